//! `sekoia-wizard` without a command, where it cannot prompt: no hang, a clear message with the
//! equivalent non-interactive commands, exit status 2.

use assert_cmd::Command;
use predicates::prelude::*;

fn wizard() -> Command {
    let mut cmd = Command::cargo_bin("sekoia-wizard").unwrap();
    cmd.env_remove("CI")
        .timeout(std::time::Duration::from_secs(10));
    cmd
}

#[test]
fn without_a_terminal_it_prints_the_equivalent_commands() {
    let dir = tempfile::tempdir().unwrap();
    wizard()
        .current_dir(dir.path())
        .write_stdin("")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "the wizard needs a terminal (stdin is not a terminal)",
        ))
        .stderr(predicate::str::contains(
            "sekoia-wizard new --name TestHTTP",
        ))
        .stderr(predicate::str::contains("sekoia-wizard add action"));
}

#[test]
fn ci_set_counts_as_no_terminal_even_for_plain() {
    let dir = tempfile::tempdir().unwrap();
    wizard()
        .current_dir(dir.path())
        .env("CI", "true")
        .arg("--plain")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("(CI is set)"));
}

#[test]
fn in_an_existing_module_it_suggests_add_and_with_answers_it_replays_them() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("manifest.json"), "{\"name\": \"TestHTTP\"}").unwrap();
    wizard()
        .current_dir(dir.path())
        .write_stdin("")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "sekoia-wizard add action --module ",
        ))
        .stderr(predicate::str::contains("--name Request"));
    // Issue 15 (13): from a subfolder the hints name the module, so they work from there.
    std::fs::create_dir(dir.path().join("tests")).unwrap();
    let module = std::fs::canonicalize(dir.path()).unwrap();
    wizard()
        .current_dir(dir.path().join("tests"))
        .write_stdin("")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(format!(
            "--module {}",
            module.display()
        )));
    let answers = dir.path().join("answers.toml");
    std::fs::write(&answers, "dependencies = [\"requests\"]\n").unwrap();
    wizard()
        .current_dir(dir.path())
        .arg("--answers")
        .arg(&answers)
        .write_stdin("")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(format!(
            "--answers {}",
            answers.display()
        )));
}

#[test]
fn a_module_dir_without_manifest_is_an_error_with_a_hint() {
    let dir = tempfile::tempdir().unwrap();
    wizard()
        .arg("--module")
        .arg(dir.path())
        .write_stdin("")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("has no manifest.json"))
        .stderr(predicate::str::contains("hint:"));
}
