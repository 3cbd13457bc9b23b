//! `cargo bench --bench startup`: issue 13's start-up goals, as ratios measured in one run against
//! a no-op C program (compiled here with `cc -O2`):
//! * `sekoia-wizard --version` within 2× the no-op;
//! * `new` of the seed module (the guide's TestHTTP) and `sync` of it within 3× the no-op.
//!
//! Each command runs many times; the median is compared (start-up times are noisy, the median
//! is what a person feels). Prints one line per goal with `ok` or `MISSED`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// The binary measured: `SEKOIA_WIZARD_BIN` (e.g. the one `cargo install --path .` installed), else
/// the one cargo built for this bench (both static and not position-independent on Linux with
/// glibc: .cargo/config.toml).
fn wizard() -> String {
    std::env::var("SEKOIA_WIZARD_BIN")
        .unwrap_or_else(|_| env!("CARGO_BIN_EXE_sekoia-wizard").to_string())
}

fn median(mut runs: Vec<Duration>) -> Duration {
    runs.sort();
    runs[runs.len() / 2]
}

/// Median wall time of `n` runs of the command `make` builds (given the run's index).
fn time(n: usize, mut make: impl FnMut(usize) -> Command) -> Duration {
    let runs = (0..n)
        .map(|i| {
            let mut cmd = make(i);
            let start = Instant::now();
            let out = cmd.output().expect("command starts");
            let took = start.elapsed();
            assert!(
                out.status.success(),
                "{cmd:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            took
        })
        .collect();
    median(runs)
}

fn no_op_c(dir: &Path) -> PathBuf {
    let source = dir.join("noop.c");
    std::fs::write(&source, "int main(void) { return 0; }\n").unwrap();
    let exe = dir.join("noop");
    let status = Command::new("cc")
        .arg("-O2")
        .arg("-o")
        .arg(&exe)
        .arg(&source)
        .status()
        .expect("a C compiler (cc) for the no-op baseline");
    assert!(status.success());
    exe
}

fn report(what: &str, took: Duration, baseline: Duration, goal: f64) {
    let ratio = took.as_secs_f64() / baseline.as_secs_f64();
    println!(
        "{what:<40} {:>8.3} ms  {ratio:>5.1}x the no-op (goal ≤ {goal}x): {}",
        took.as_secs_f64() * 1e3,
        if ratio <= goal { "ok" } else { "MISSED" }
    );
}

fn main() {
    let wizard = wizard();
    println!("measuring {wizard}");
    let tmp = tempfile::tempdir().unwrap();
    let noop = no_op_c(tmp.path());
    // Warm the page cache and the dynamic loader's caches first.
    for _ in 0..20 {
        let _ = Command::new(&noop).status();
        let _ = Command::new(&wizard).arg("--version").output();
    }
    let baseline = time(300, |_| Command::new(&noop));
    println!(
        "no-op C program                          {:>8.3} ms",
        baseline.as_secs_f64() * 1e3
    );
    let version = time(300, |_| {
        let mut c = Command::new(&wizard);
        c.arg("--version");
        c
    });
    report("sekoia-wizard --version", version, baseline, 2.0);

    // `new` is mostly the file system creating 19 entries: timed in the temporary directory (with
    // `cp -r` of the module beside it) and, where there is one, on tmpfs (/dev/shm), which shows
    // the tool's own share.
    let time_new = |base: &std::path::Path| {
        let dirs = base.join("new");
        std::fs::create_dir_all(&dirs).unwrap();
        let took = time(60, |i| {
            let dir = dirs.join(i.to_string());
            std::fs::create_dir(&dir).unwrap();
            let mut c = Command::new(&wizard);
            c.arg("new").arg(&dir).args([
                "--name",
                "TestHTTP",
                "--description",
                "My test HTTP module",
                "--no-lock",
            ]);
            c
        });
        (took, dirs)
    };
    let (new, new_dirs) = time_new(tmp.path());
    report("sekoia-wizard new (seed module)", new, baseline, 3.0);
    // The file system's floor: copying the module `new` wrote (the same 19 files and directories)
    // with `cp -r`, on the same file system. `new` cannot be faster than creating its files.
    let copies = tmp.path().join("copies");
    std::fs::create_dir(&copies).unwrap();
    let copy = time(60, |i| {
        let mut c = Command::new("cp");
        c.arg("-r")
            .arg(new_dirs.join("0/TestHTTP"))
            .arg(copies.join(i.to_string()));
        c
    });
    println!(
        "cp -r of that module (the file system)   {:>8.3} ms  {:>5.1}x the no-op; new takes {:.1}x cp -r",
        copy.as_secs_f64() * 1e3,
        copy.as_secs_f64() / baseline.as_secs_f64(),
        new.as_secs_f64() / copy.as_secs_f64()
    );
    if std::path::Path::new("/dev/shm").is_dir() {
        if let Ok(shm) = tempfile::tempdir_in("/dev/shm") {
            let (on_tmpfs, _) = time_new(shm.path());
            report(
                "sekoia-wizard new (seed module, tmpfs)",
                on_tmpfs,
                baseline,
                3.0,
            );
        }
    }

    let module = new_dirs.join("0/TestHTTP");
    let add = Command::new(&wizard)
        .args(["add", "action", "--module"])
        .arg(&module)
        .args([
            "--name",
            "Request",
            "--arg",
            "url:url,required",
            "--no-lock",
        ])
        .output()
        .unwrap();
    assert!(add.status.success(), "{add:?}");
    let sync = time(60, |_| {
        let mut c = Command::new(&wizard);
        c.arg("sync").arg(&module);
        c
    });
    report("sekoia-wizard sync (seed module)", sync, baseline, 3.0);
}
