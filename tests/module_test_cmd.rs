//! `sekoia-wizard test`: the library's CI steps on a module made with `new` + `add` of every kind
//! (the module of `library_ci.rs`) pass; copies broken in each way fail that step, with its
//! message, and exit 1.

use crate::common;

use common::copy_dir;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{python, run_ok, wizard};

const FIELDS: &[&str] = &[
    "name:str,required,desc=A name",
    "url:url,required",
    "method:enum(get|post|put),default=get",
    "headers:dict",
    "count:int,default=5",
    "ratio:float,default=1.5",
    "enabled:bool,default=true",
    "since:datetime",
    "tags:list[str],default=a|b",
    "ids:list[int]",
    "secret_token:str,secret",
];

const RESULTS: &[&str] = &["status:int,required", "text:str", "items:list[str]"];

fn add(dir: &Path, kind: &str, name: &str, args: &[&str], results: &[&str]) {
    let mut cmd = wizard();
    cmd.current_dir(dir)
        .args(["add", kind, "--name", name, "--no-lock"]);
    for a in args {
        cmd.args(["--arg", a]);
    }
    for r in results {
        cmd.args(["--result", r]);
    }
    run_ok(&mut cmd);
}

/// The module of `library_ci.rs`, with a stand-in poetry.lock (Poetry cannot lock here).
fn module(root: &Path) -> PathBuf {
    run_ok(wizard().arg("new").arg(root).args([
        "--name",
        "TestHTTP",
        "--description",
        "My test HTTP module",
        "--category",
        "Network",
        "--no-lock",
    ]));
    let dir = root.join("TestHTTP");
    run_ok(wizard().current_dir(&dir).args([
        "add",
        "config",
        "--arg",
        "api_key:str,required,secret,desc=API key",
    ]));
    let args: Vec<&str> = FIELDS
        .iter()
        .copied()
        .filter(|f| !f.contains("secret"))
        .collect();
    add(&dir, "action", "Request", &args, RESULTS);
    add(&dir, "trigger", "New entries", FIELDS, RESULTS);
    add(&dir, "connector", "Collector", FIELDS, &[]);
    std::fs::write(dir.join("poetry.lock"), "# stand-in\n").unwrap();
    dir
}

fn test_cmd(python: &Path, dir: &Path) -> Command {
    let mut cmd = wizard();
    cmd.arg("test")
        .arg(dir)
        .arg("--python")
        .arg(python)
        .env_remove("SEKOIA_WIZARD_PYTHON");
    cmd
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// The summary table's row for `step`: `step result time  details`.
fn row<'a>(out: &'a str, step: &str) -> &'a str {
    let table = out
        .rsplit_once("step         result")
        .map_or(out, |(_, t)| t);
    table
        .lines()
        .find(|l| l.split_whitespace().next() == Some(step))
        .unwrap_or_else(|| panic!("no row for {step}:\n{out}"))
}

fn result_of<'a>(out: &'a str, step: &str) -> &'a str {
    row(out, step).split_whitespace().nth(1).unwrap()
}

/// A copy of the module broken by `breakage`, then `test` on it: exit 1, `step` failed with
/// `message` in its row, every other step passed.
fn fails_only(
    python: &Path,
    good: &Path,
    name: &str,
    step: &str,
    message: &str,
    breakage: impl Fn(&Path),
) {
    let copy = good.parent().unwrap().join(name).join("TestHTTP");
    copy_dir(good, &copy);
    breakage(&copy);
    let out = test_cmd(python, &copy).output().unwrap();
    let printed = text(&out);
    assert_eq!(out.status.code(), Some(1), "{name}:\n{printed}");
    assert_eq!(result_of(&printed, step), "failed", "{name}:\n{printed}");
    let failed_row_and_details = printed.rsplit_once("step         result").unwrap().1;
    assert!(
        failed_row_and_details.contains(message),
        "{name}: no `{message}` in the summary:\n{printed}"
    );
    for other in ["black", "mypy", "pytest", "check", "sync"] {
        if other != step {
            assert_eq!(
                result_of(&printed, other),
                "passed",
                "{name}/{other}:\n{printed}"
            );
        }
    }
}

#[test]
fn the_library_ci_passes_and_each_breakage_fails_its_step() {
    let Some(python) = python() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let dir = module(tmp.path());

    let out = test_cmd(&python, &dir).output().unwrap();
    let printed = text(&out);
    assert!(out.status.success(), "{printed}");
    // One line per step as it runs (plain text here: stdout is not a terminal), then the table.
    for (i, step) in ["environment", "black", "mypy", "pytest", "check", "sync"]
        .iter()
        .enumerate()
    {
        assert!(
            printed.contains(&format!("[{}/6] {step:<12}", i + 1)),
            "{printed}"
        );
    }
    assert!(!printed.contains('\x1b'), "{printed}");
    assert!(
        row(&printed, "environment").contains("skipped"),
        "{printed}"
    );
    assert!(
        row(&printed, "environment").contains("(--python)"),
        "{printed}"
    );
    for step in ["black", "mypy", "pytest", "check", "sync"] {
        assert_eq!(result_of(&printed, step), "passed", "{printed}");
    }
    assert!(
        printed.contains("✓ 5 step(s) passed, 1 skipped"),
        "{printed}"
    );

    fails_only(&python, &dir, "black", "black", "would reformat", |d| {
        std::fs::write(
            d.join("testhttp_modules/helpers.py"),
            "def twice( x ):\n    return x*2\n",
        )
        .unwrap();
    });
    fails_only(
        &python,
        &dir,
        "mypy",
        "mypy",
        "error: Incompatible types in assignment",
        |d| {
            std::fs::write(
                d.join("testhttp_modules/helpers.py"),
                "count: int = \"many\"\n",
            )
            .unwrap();
        },
    );
    fails_only(
        &python,
        &dir,
        "pytest",
        "pytest",
        "FAILED tests/test_broken.py::test_broken",
        |d| {
            std::fs::write(
                d.join("tests/test_broken.py"),
                "def test_broken() -> None:\n    assert 1 == 2\n",
            )
            .unwrap();
        },
    );
    fails_only(
        &python,
        &dir,
        "check",
        "check",
        "TestHTTP:Dockerfile:Dockerfile is missing",
        |d| {
            std::fs::remove_file(d.join("Dockerfile")).unwrap();
        },
    );
    fails_only(
        &python,
        &dir,
        "sync",
        "sync",
        "out of date: action_request.json",
        |d| {
            let path = d.join("action_request.json");
            let mut json: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            json["arguments"]["properties"]
                .as_object_mut()
                .unwrap()
                .remove("count");
            std::fs::write(&path, serde_json::to_string_pretty(&json).unwrap()).unwrap();
        },
    );
}

#[test]
fn steps_fix_and_running_from_inside_the_module() {
    let Some(python) = python() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let dir = module(tmp.path());
    std::fs::write(
        dir.join("testhttp_modules/helpers.py"),
        "def twice( x ):\n    return x*2\n",
    )
    .unwrap();
    let manifest = std::fs::read_to_string(dir.join("manifest.json")).unwrap();
    std::fs::write(dir.join("manifest.json"), format!("{manifest}\n")).unwrap();

    // --step runs only those, in CI order whatever the order given; from a folder inside.
    let out = wizard()
        .current_dir(dir.join("tests"))
        .args(["test", "--step", "check", "--step", "black", "--python"])
        .arg(&python)
        .output()
        .unwrap();
    let printed = text(&out);
    assert_eq!(out.status.code(), Some(1), "{printed}");
    assert!(printed.contains("[1/2] black"), "{printed}");
    assert!(printed.contains("[2/2] check"), "{printed}");
    assert!(!printed.contains("mypy"), "{printed}");
    // The JSON linter's rule is an error here, as in the library's CI.
    assert!(
        row(&printed, "check").contains("TestHTTP:manifest.json:JSON is not formatted"),
        "{printed}"
    );

    let out = wizard()
        .current_dir(dir.join("tests"))
        .args([
            "test", "--fix", "--step", "black", "--step", "check", "--python",
        ])
        .arg(&python)
        .output()
        .unwrap();
    let printed = text(&out);
    assert!(out.status.success(), "{printed}");
    assert!(
        printed.contains("fix: formatted manifest.json"),
        "{printed}"
    );
    assert!(row(&printed, "black").contains("reformatted"), "{printed}");
    assert_eq!(
        std::fs::read_to_string(dir.join("testhttp_modules/helpers.py")).unwrap(),
        "def twice(x):\n    return x * 2\n"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("manifest.json")).unwrap(),
        manifest
    );
}

/// A PATH holding a stand-in `poetry` whose `install` makes `.venv/bin/python` (a wrapper around
/// the test Python) and records how it was called.
fn poetry_stand_in(bin: &Path, python: &Path, log: &Path) {
    std::fs::create_dir_all(bin).unwrap();
    let script = format!(
        "#!/bin/sh\nPATH=/usr/bin:/bin:$PATH\necho \"poetry $* in-project=$POETRY_VIRTUALENVS_IN_PROJECT\" >> {log}\n\
         mkdir -p .venv/bin\nprintf '#!/bin/sh\\nexec {py} \"$@\"\\n' > .venv/bin/python\n\
         chmod +x .venv/bin/python\n",
        log = log.display(),
        py = python.display()
    );
    let path = bin.join("poetry");
    std::fs::write(&path, script).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

#[test]
fn the_environment_step_uses_poetry_or_says_why_it_is_skipped() {
    let Some(python) = python() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let dir = module(tmp.path());
    let empty = tmp.path().join("empty-bin");
    std::fs::create_dir_all(&empty).unwrap();

    // No poetry, no uv, no fallback: the environment and the tool steps are skipped, saying so.
    let out = wizard()
        .arg("test")
        .arg(&dir)
        .args(["--step", "environment", "--step", "pytest"])
        .env("PATH", &empty)
        .env("XDG_CACHE_HOME", tmp.path().join("cache"))
        .env_remove("SEKOIA_WIZARD_PYTHON")
        .output()
        .unwrap();
    let printed = text(&out);
    assert!(out.status.success(), "{printed}");
    assert!(
        row(&printed, "environment").contains("skipped"),
        "{printed}"
    );
    assert!(
        row(&printed, "environment").contains("no poetry"),
        "{printed}"
    );
    assert!(row(&printed, "pytest").contains("skipped"), "{printed}");
    assert!(
        printed.contains("✓ 0 step(s) passed, 2 skipped"),
        "{printed}"
    );

    // No poetry, SEKOIA_WIZARD_PYTHON set: that Python runs the tool steps.
    let out = wizard()
        .arg("test")
        .arg(&dir)
        .args(["--step", "environment", "--step", "black"])
        .env("PATH", &empty)
        .env("XDG_CACHE_HOME", tmp.path().join("cache"))
        .env("SEKOIA_WIZARD_PYTHON", &python)
        .output()
        .unwrap();
    let printed = text(&out);
    assert!(out.status.success(), "{printed}");
    assert!(
        row(&printed, "environment").contains("(SEKOIA_WIZARD_PYTHON)"),
        "{printed}"
    );
    assert_eq!(result_of(&printed, "black"), "passed", "{printed}");

    // Poetry on PATH: `poetry install` into the module's .venv, which then runs the tests.
    let bin = tmp.path().join("bin");
    let log = tmp.path().join("poetry.log");
    poetry_stand_in(&bin, &python, &log);
    let out = wizard()
        .arg("test")
        .arg(&dir)
        .args(["--step", "environment", "--step", "pytest"])
        .env("PATH", &bin)
        .env("XDG_CACHE_HOME", tmp.path().join("cache"))
        .env_remove("SEKOIA_WIZARD_PYTHON")
        .output()
        .unwrap();
    let printed = text(&out);
    assert!(out.status.success(), "{printed}");
    assert_eq!(
        std::fs::read_to_string(&log).unwrap(),
        "poetry install in-project=true\n"
    );
    assert_eq!(result_of(&printed, "environment"), "passed", "{printed}");
    assert_eq!(result_of(&printed, "pytest"), "passed", "{printed}");
}

#[test]
fn usage_errors_exit_2() {
    let tmp = tempfile::tempdir().unwrap();
    let out = wizard().arg("test").arg(tmp.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        text(&out).contains("is not inside a module"),
        "{}",
        text(&out)
    );
    let out = wizard().args(["test", "--step", "lint"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
}
