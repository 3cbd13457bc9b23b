//! Issue 15 (10): `kill -9` at any point of `sync` or `add` on a large module, then the next run:
//! the module ends equal to the state a complete run gives, with no temporary file left (an edit
//! journals its renames before making them; the next holder of the module's lock completes them
//! and removes what an interrupted run staged).

use crate::common;

use common::{copy_dir, snapshot};

use std::path::Path;
use std::time::Duration;

use common::{files_under, run_ok, wizard};

/// A module with many components whose JSONs all need rewriting (a final newline sync removes).
fn large_drifted_module(parent: &Path) -> std::path::PathBuf {
    run_ok(
        wizard()
            .arg("new")
            .arg(parent)
            .args(["--name", "Big", "--no-lock"]),
    );
    let dir = parent.join("Big");
    let mut answers = String::new();
    for i in 0..150 {
        answers.push_str(&format!(
            "[[components]]\nkind = \"action\"\nname = \"Step{i}\"\narguments = [{{ name = \"n\", type = \"int\" }}]\n\n"
        ));
    }
    std::fs::write(parent.join("big.toml"), answers).unwrap();
    run_ok(
        wizard()
            .current_dir(&dir)
            .args(["add", "--answers", "../big.toml", "--no-lock"]),
    );
    for f in files_under(&dir)
        .iter()
        .filter(|f| f.starts_with("action_"))
    {
        let path = dir.join(f);
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, text + "\n").unwrap();
    }
    dir
}

fn kill_after(cmd: &mut std::process::Command, delay: Duration) {
    let mut child = cmd
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(delay);
    let _ = child.kill(); // SIGKILL
    let _ = child.wait();
}

fn no_temp_files(dir: &Path) {
    let left: Vec<String> = files_under(dir)
        .into_iter()
        .filter(|f| f.split('/').any(|part| part.starts_with(".sekoia-wizard-")))
        .collect();
    assert!(left.is_empty(), "temporary files left: {left:?}");
}

#[test]
fn sync_killed_at_any_point_ends_whole_after_the_next_run() {
    let tmp = tempfile::tempdir().unwrap();
    let original = large_drifted_module(tmp.path());
    let done = tmp.path().join("done");
    copy_dir(&original, &done);
    run_ok(wizard().arg("sync").arg(&done));
    let after = snapshot(&done);
    for (round, ms) in [1u64, 10, 25, 50, 80, 120, 200, 400]
        .into_iter()
        .enumerate()
    {
        let work = tmp.path().join(format!("round{round}"));
        copy_dir(&original, &work);
        kill_after(wizard().arg("sync").arg(&work), Duration::from_millis(ms));
        run_ok(wizard().arg("sync").arg(&work));
        no_temp_files(&work);
        assert!(
            snapshot(&work) == after,
            "round {round} ({ms} ms): the module differs from a complete sync"
        );
    }
}

#[test]
fn add_killed_at_any_point_ends_before_or_after() {
    let tmp = tempfile::tempdir().unwrap();
    let original = large_drifted_module(tmp.path());
    run_ok(wizard().arg("sync").arg(&original));
    let before = snapshot(&original);
    let add = |dir: &Path| {
        let mut cmd = wizard();
        cmd.current_dir(dir).args([
            "add",
            "action",
            "--name",
            "Last",
            "--dep",
            "requests",
            "--no-lock",
        ]);
        cmd
    };
    let done = tmp.path().join("done");
    copy_dir(&original, &done);
    run_ok(&mut add(&done));
    let after = snapshot(&done);
    for (round, ms) in [1u64, 10, 25, 50, 80, 120, 200].into_iter().enumerate() {
        let work = tmp.path().join(format!("round{round}"));
        copy_dir(&original, &work);
        kill_after(&mut add(&work), Duration::from_millis(ms));
        // The next run (a check that takes the lock and changes nothing) recovers.
        run_ok(wizard().arg("sync").arg(&work));
        no_temp_files(&work);
        let now = snapshot(&work);
        assert!(
            now == before || now == after,
            "round {round} ({ms} ms): neither before nor after"
        );
    }
}
