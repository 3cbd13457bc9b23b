//! The lock step after `new` / `add --dep`: Poetry on PATH, else `uvx poetry`, else
//! `pipx run poetry`, else the private install under the cache directory, else (not at a
//! terminal) a message saying exactly what to run. Stand-ins on PATH record their arguments.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::wizard;

/// A PATH holding only the named stand-ins, each appending `<name> <args> @ <cwd>` to a log
/// and exiting with `code`.
struct Sandbox {
    tmp: tempfile::TempDir,
}

impl Sandbox {
    fn new() -> Self {
        let tmp = tempfile::tempdir().unwrap();
        for dir in ["bin", "out", "cache"] {
            std::fs::create_dir(tmp.path().join(dir)).unwrap();
        }
        Sandbox { tmp }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.tmp.path().join(rel)
    }

    fn stand_in(&self, rel: &str, code: i32) {
        let path = self.path(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let script =
            format!("#!/bin/sh\necho \"${{0##*/}} $* @ $(pwd)\" >> \"$LOCK_LOG\"\nexit {code}\n");
        std::fs::write(&path, script).unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }

    fn new_module(&self, extra: &[&str]) -> Output {
        wizard()
            .arg("new")
            .arg(self.path("out"))
            .args(["--name", "TestHTTP"])
            .args(extra)
            .env("PATH", self.path("bin"))
            .env("LOCK_LOG", self.path("log"))
            .env("XDG_CACHE_HOME", self.path("cache"))
            .env("HOME", self.tmp.path())
            .env_remove("CI")
            .output()
            .unwrap()
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.path("log")).unwrap_or_default()
    }

    fn module(&self) -> PathBuf {
        std::fs::canonicalize(self.path("out/TestHTTP")).unwrap()
    }
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn at(module: &Path) -> String {
    format!("@ {}", module.display())
}

#[test]
fn poetry_on_path_is_used_first() {
    let sandbox = Sandbox::new();
    sandbox.stand_in("bin/poetry", 0);
    sandbox.stand_in("bin/uvx", 0);
    let out = sandbox.new_module(&[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        sandbox.log(),
        format!("poetry lock {}\n", at(&sandbox.module()))
    );
    assert!(
        stderr(&out).contains("Running `poetry lock` in"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn uvx_runs_poetry_when_poetry_is_not_installed() {
    let sandbox = Sandbox::new();
    sandbox.stand_in("bin/uvx", 0);
    sandbox.stand_in("bin/pipx", 0);
    let out = sandbox.new_module(&[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        sandbox.log(),
        format!("uvx poetry lock {}\n", at(&sandbox.module()))
    );
    assert!(
        stderr(&out).contains("Running `uvx poetry lock`"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn pipx_runs_poetry_without_poetry_or_uvx() {
    let sandbox = Sandbox::new();
    sandbox.stand_in("bin/pipx", 0);
    let out = sandbox.new_module(&[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        sandbox.log(),
        format!("pipx run poetry lock {}\n", at(&sandbox.module()))
    );
}

#[test]
fn the_private_install_comes_before_uvx() {
    let sandbox = Sandbox::new();
    sandbox.stand_in("cache/sekoia-wizard/poetry/bin/poetry", 0);
    sandbox.stand_in("bin/uvx", 0);
    let out = sandbox.new_module(&[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        sandbox.log(),
        format!("poetry lock {}\n", at(&sandbox.module()))
    );
    assert!(
        stderr(&out).contains("/sekoia-wizard/poetry/bin/poetry"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_failing_lock_is_reported_once_and_not_fatal() {
    let sandbox = Sandbox::new();
    sandbox.stand_in("bin/poetry", 1);
    sandbox.stand_in("bin/uvx", 0);
    let out = sandbox.new_module(&[]);
    assert!(out.status.success(), "{}", stderr(&out));
    // A lock that fails would fail the same way through uvx: not retried.
    assert_eq!(sandbox.log().lines().count(), 1, "{}", sandbox.log());
    let err = stderr(&out);
    assert!(err.contains("warning: `poetry lock` failed"), "{err}");
    assert!(err.contains("&& poetry lock` again once fixed"), "{err}");
}

#[test]
fn without_any_runner_the_message_says_what_to_run() {
    let sandbox = Sandbox::new();
    let out = sandbox.new_module(&[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(sandbox.log(), "");
    let err = stderr(&out);
    let module = sandbox.module();
    assert!(err.contains("no poetry.lock was written"), "{err}");
    assert!(err.contains("pipx install poetry"), "{err}");
    assert!(
        err.contains(&format!("`cd {} && poetry lock`", module.display())),
        "{err}"
    );
    assert!(
        err.contains(&format!("`cd {} && uvx poetry lock`", module.display())),
        "{err}"
    );
    // Not at a terminal: nothing is asked, nothing is installed.
    assert!(!err.contains("[Y/n]"), "{err}");
    assert!(!sandbox.path("cache/sekoia-wizard").exists());
}

#[test]
fn uv_modules_are_locked_with_uv_and_told_the_library_wants_poetry() {
    let sandbox = Sandbox::new();
    sandbox.stand_in("bin/uv", 0);
    let out = sandbox.new_module(&["--packaging", "uv"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        sandbox.log(),
        format!("uv lock {}\n", at(&sandbox.module()))
    );
    let err = stderr(&out);
    assert!(
        err.contains("the SEKOIA-IO/automation-library requires poetry.lock"),
        "{err}"
    );
}

#[test]
fn no_lock_runs_nothing() {
    let sandbox = Sandbox::new();
    sandbox.stand_in("bin/poetry", 0);
    let out = sandbox.new_module(&["--no-lock"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(sandbox.log(), "");
}

#[test]
fn add_with_a_dependency_locks_through_the_same_plan() {
    let sandbox = Sandbox::new();
    assert!(sandbox.new_module(&["--no-lock"]).status.success());
    sandbox.stand_in("bin/uvx", 0);
    let out = wizard()
        .current_dir(sandbox.module())
        .args(["add", "action", "--name", "Lookup", "--dep", "requests"])
        .env("PATH", sandbox.path("bin"))
        .env("LOCK_LOG", sandbox.path("log"))
        .env("XDG_CACHE_HOME", sandbox.path("cache"))
        .env_remove("CI")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        sandbox.log(),
        format!("uvx poetry lock {}\n", at(&sandbox.module()))
    );
}
