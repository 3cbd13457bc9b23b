//! `sekoia-wizard run` on triggers and connectors of generated modules (`new` + `add trigger` /
//! `add connector`), in the real `sekoia-automation-sdk`: the events a trigger sends and those a
//! connector pushes to the intake are printed one per line on stdout, until Ctrl-C, `--max-events`
//! or `--timeout`. And `--create-env`: the module's `.venv` made by the `environment` step of
//! `sekoia-wizard test` (a stand-in poetry here) when it has none.

use crate::common;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::{python, run_ok, wizard};

/// A module with the generated NewEntriesTrigger and FeedConnector, in `dir`.
fn feed_module(dir: &Path) -> PathBuf {
    run_ok(
        wizard()
            .current_dir(dir)
            .args(["new", "--name", "Feed", "--no-lock"]),
    );
    let module = dir.join("Feed");
    run_ok(
        wizard()
            .args(["add", "trigger", "--module"])
            .arg(&module)
            .args(["--name", "NewEntriesTrigger", "--arg", "url:url,required"])
            .arg("--no-lock"),
    );
    run_ok(
        wizard()
            .args(["add", "connector", "--module"])
            .arg(&module)
            .args(["--name", "FeedConnector", "--no-lock"]),
    );
    // The generated connector collects nothing until the service is written; here it collects
    // three events per round, as a real one would.
    let code = module.join("feed_modules/connector_feed.py");
    let text = std::fs::read_to_string(&code).unwrap();
    assert!(text.contains("        return []\n"), "{text}");
    std::fs::write(
        &code,
        text.replace(
            "        return []\n",
            "        return ['{\"id\": 1}', '{\"id\": 2}', 'plain text']\n",
        ),
    )
    .unwrap();
    module
}

fn run(module: &Path, py: &Path, args: &[&str]) -> Output {
    wizard()
        .arg("run")
        .arg(args[0])
        .arg(module)
        .args(&args[1..])
        .arg("--python")
        .arg(py)
        .env_remove("CI")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// `run ARGS` on a new feed module with the real SDK (None without it): stdout, stderr and the
/// time it took, once it succeeded.
fn run_feed(args: &[&str]) -> Option<(String, String, Duration)> {
    let py = python()?;
    let tmp = tempfile::tempdir().unwrap();
    let module = feed_module(tmp.path());
    let started = Instant::now();
    let out = run(&module, &py, args);
    let took = started.elapsed();
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert!(out.status.success(), "{stdout}{stderr}");
    Some((stdout, stderr, took))
}

const EVENT: &str = r#"{"event_name": "NewEntriesTrigger event", "event": {"message": "example"}}"#;

#[test]
fn a_trigger_prints_its_events_until_max_events() {
    let Some((stdout, stderr, took)) = run_feed(&[
        "NewEntriesTrigger",
        "--arg",
        "url=https://example.com",
        "--max-events",
        "1",
    ]) else {
        return;
    };
    // stdout is the events only (the trigger's log goes to stderr), one JSON line each.
    assert_eq!(stdout, format!("{EVENT}\n"), "{stderr}");
    assert!(
        stderr.contains("log: info: NewEntriesTrigger started"),
        "{stderr}"
    );
    assert!(
        stderr.contains("1 event sent (stopped after 1 event)."),
        "{stderr}"
    );
    // Not after the trigger's 60 s sleep: the stop interrupts it.
    assert!(took < Duration::from_secs(30));
}

#[test]
fn a_trigger_stops_at_the_timeout_even_while_it_sleeps() {
    let Some((stdout, stderr, took)) = run_feed(&[
        "NewEntriesTrigger",
        "--arg",
        "url=https://example.com",
        "--timeout",
        "2s",
    ]) else {
        return;
    };
    assert_eq!(stdout, format!("{EVENT}\n"), "{stderr}");
    assert!(
        stderr.contains("1 event sent (stopped at the timeout)."),
        "{stderr}"
    );
    assert!(
        took >= Duration::from_secs(2) && took < Duration::from_secs(30),
        "{took:?}"
    );
}

/// Ctrl-C at a terminal reaches the whole foreground group: the wizard keeps running, the trigger
/// stops through the SDK's stop, and the run ends cleanly.
#[test]
fn ctrl_c_stops_a_trigger_cleanly() {
    use std::os::unix::process::CommandExt;
    let Some(py) = python() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let module = feed_module(tmp.path());
    let scratch = tmp.path().join("scratch");
    std::fs::create_dir(&scratch).unwrap();
    let mut child = wizard()
        .args(["run", "NewEntriesTrigger"])
        .arg(&module)
        .args(["--arg", "url=https://example.com", "--python"])
        .arg(&py)
        .env_remove("CI")
        .env("TMPDIR", &scratch)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0)
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    assert_eq!(first, EVENT);
    let started = Instant::now();
    let group = format!("-{}", child.id());
    assert!(Command::new("kill")
        .args(["-INT", "--", &group])
        .status()
        .unwrap()
        .success());
    let rest: Vec<String> = lines.map(Result::unwrap).collect();
    let out = child.wait_with_output().unwrap();
    let stderr = text(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(rest.is_empty(), "{rest:?}");
    assert!(
        stderr.contains("1 event sent (stopped by Ctrl-C)."),
        "{stderr}"
    );
    assert!(started.elapsed() < Duration::from_secs(20));
    // The temporary directory of the run is gone.
    assert_eq!(std::fs::read_dir(&scratch).unwrap().count(), 0);
}

/// The connector's `push_events_to_intakes` runs for real, against the local intake: every event
/// it pushes is printed as pushed.
#[test]
fn a_connector_prints_the_events_pushed_to_the_intake() {
    let Some((stdout, stderr, _)) = run_feed(&["FeedConnector", "--max-events", "3"]) else {
        return;
    };
    assert_eq!(stdout, "{\"id\": 1}\n{\"id\": 2}\nplain text\n", "{stderr}");
    assert!(
        stderr.contains("note: intake_key `sekoia-wizard-run`"),
        "{stderr}"
    );
    assert!(stderr.contains("log: info: 3 events collected"), "{stderr}");
    assert!(
        stderr.contains("3 events sent (stopped after 3 events)."),
        "{stderr}"
    );
}

/// With an `intake_server` given, the SDK pushes there (`POST /batch` with the intake key and the
/// events), as it would to Sekoia.io.
#[test]
fn a_connector_pushes_to_the_intake_server_it_is_given() {
    let Some(py) = python() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let module = feed_module(tmp.path());
    let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
    let port = server.server_addr().to_ip().unwrap().port();
    let handle = std::thread::spawn(move || {
        let mut request = server.recv().unwrap();
        let mut body = String::new();
        request.as_reader().read_to_string(&mut body).unwrap();
        let url = request.url().to_string();
        let header = tiny_http::Header::from_bytes("Content-Type", "application/json").unwrap();
        request
            .respond(
                tiny_http::Response::from_string(
                    r#"{"received": true, "event_ids": ["a", "b", "c"]}"#,
                )
                .with_header(header),
            )
            .unwrap();
        (url, body)
    });
    let out = run(
        &module,
        &py,
        &[
            "FeedConnector",
            "--arg",
            &format!("intake_server=http://127.0.0.1:{port}/"),
            "--arg",
            "intake_key=my-key",
            "--timeout",
            "3",
        ],
    );
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert!(out.status.success(), "{stdout}{stderr}");
    let (url, body) = handle.join().unwrap();
    assert_eq!(url, "/batch");
    let body: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        body,
        serde_json::json!({"intake_key": "my-key", "jsons": ["{\"id\": 1}", "{\"id\": 2}", "plain text"]})
    );
    assert_eq!(stdout, "", "the events went to the given intake");
    assert!(!stderr.contains("note: intake_key"), "{stderr}");
}

#[test]
fn bounds_that_make_no_sense_are_refused_before_running() {
    let tmp = tempfile::tempdir().unwrap();
    let module = feed_module(tmp.path());
    let mut action = wizard();
    action
        .args(["add", "action", "--module"])
        .arg(&module)
        .args(["--name", "Ping", "--no-lock"]);
    run_ok(&mut action);
    let out = run(
        &module,
        Path::new("/nonexistent"),
        &["Ping", "--max-events", "2"],
    );
    let stderr = text(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains("--max-events applies to triggers and connectors; Ping is an action"),
        "{stderr}"
    );
    for bad in ["soon", "0", "2x", "5 weeks"] {
        let out = run(
            &module,
            Path::new("/nonexistent"),
            &["FeedConnector", "--timeout", bad],
        );
        let stderr = text(&out.stderr);
        assert!(!out.status.success(), "{bad}");
        assert!(stderr.contains("is not a duration"), "{bad}: {stderr}");
    }
    let out = run(
        &module,
        Path::new("/nonexistent"),
        &["FeedConnector", "--max-events", "0"],
    );
    assert!(!out.status.success());
}

/// A PATH with a stand-in `poetry` that records its call and makes `.venv/bin/python` (running the
/// Python with the SDK), as `poetry install` with in-project virtualenvs does.
struct Sandbox {
    tmp: tempfile::TempDir,
}

impl Sandbox {
    fn new(py: &Path, code: i32) -> Sandbox {
        let tmp = tempfile::tempdir().unwrap();
        let bin = tmp.path().join("bin");
        std::fs::create_dir(&bin).unwrap();
        let script = format!(
            "#!/bin/sh\necho \"poetry $* @ $(pwd) in-project=$POETRY_VIRTUALENVS_IN_PROJECT\" >> \"{log}\"\n\
             echo 'Installing dependencies from lock file'\n\
             if [ {code} -ne 0 ]; then echo 'Because feed depends on nothing that exists, solving failed.' >&2; exit {code}; fi\n\
             mkdir -p .venv/bin\nprintf '#!/bin/sh\\nexec \"%s\" \"$@\"\\n' '{py}' > .venv/bin/python\nchmod +x .venv/bin/python\n",
            log = tmp.path().join("log").display(),
            py = py.display(),
        );
        let poetry = bin.join("poetry");
        std::fs::write(&poetry, script).unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&poetry, std::fs::Permissions::from_mode(0o755)).unwrap();
        Sandbox { tmp }
    }

    fn run(&self, module: &Path, extra: &[&str]) -> Output {
        let path = format!("{}:/usr/bin:/bin", self.tmp.path().join("bin").display());
        wizard()
            .args(["run", "NewEntriesTrigger"])
            .arg(module)
            .args(["--arg", "url=https://example.com", "--max-events", "1"])
            .args(extra)
            .env("PATH", path)
            .env("XDG_CACHE_HOME", self.tmp.path().join("cache"))
            .env_remove("SEKOIA_WIZARD_PYTHON")
            .env_remove("CI")
            .stdin(Stdio::null())
            .output()
            .unwrap()
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.tmp.path().join("log")).unwrap_or_default()
    }
}

#[test]
fn without_a_venv_run_says_so_and_create_env_makes_it() {
    let Some(py) = python() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let module = std::fs::canonicalize(feed_module(tmp.path())).unwrap();
    let sandbox = Sandbox::new(&py, 0);
    // Not at a terminal, no --create-env: nothing is installed, and the message says how.
    let out = sandbox.run(&module, &[]);
    let stderr = text(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains(&format!(
            "error: the module has no .venv to run in ({})",
            module.join(".venv").display()
        )),
        "{stderr}"
    );
    assert!(stderr.contains("hint: pass --create-env"), "{stderr}");
    assert_eq!(sandbox.log(), "");

    let out = sandbox.run(&module, &["--create-env"]);
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert!(out.status.success(), "{stdout}{stderr}");
    assert_eq!(
        sandbox.log(),
        format!("poetry install @ {} in-project=true\n", module.display())
    );
    assert!(
        stderr.contains("The module has no .venv: creating it with `poetry install`"),
        "{stderr}"
    );
    assert!(stderr.contains("  $ poetry install\n"), "{stderr}");
    assert!(stderr.contains("  ✓ made "), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "with {}",
            module.join(".venv/bin/python").display()
        )),
        "{stderr}"
    );
    assert_eq!(stdout, format!("{EVENT}\n"));

    // Once made, it is used: no second install.
    let out = sandbox.run(&module, &["--create-env"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(sandbox.log().lines().count(), 1);
}

#[test]
fn a_failing_install_is_reported_with_its_output() {
    let Some(py) = python() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let module = feed_module(tmp.path());
    let sandbox = Sandbox::new(&py, 1);
    let out = sandbox.run(&module, &["--create-env"]);
    let stderr = text(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains("  | Because feed depends on nothing that exists, solving failed."),
        "{stderr}"
    );
    assert!(
        stderr.contains("error: could not create the module's environment"),
        "{stderr}"
    );
    assert!(stderr.contains("--step environment --verbose"), "{stderr}");
    assert!(!stderr.contains("Running NewEntriesTrigger"), "{stderr}");
}

/// At a terminal, `run` asks before creating the environment; yes creates it and runs.
#[test]
fn at_a_terminal_run_asks_before_creating_the_environment() {
    let Some(py) = python() else { return };
    if !crate::tui_support::tmux::tmux_available() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let module = std::fs::canonicalize(feed_module(tmp.path())).unwrap();
    let sandbox = Sandbox::new(&py, 0);
    let path = format!("{}:/usr/bin:/bin", sandbox.tmp.path().join("bin").display());
    let cache = sandbox.tmp.path().join("cache").display().to_string();
    let module_arg = module.display().to_string();
    let pane = crate::tui_support::tmux::Pane::start_unsetting(
        "run",
        tmp.path(),
        &[
            "run",
            "NewEntriesTrigger",
            &module_arg,
            "--arg",
            "url=https://example.com",
            "--max-events",
            "1",
        ],
        &[("PATH", &path), ("XDG_CACHE_HOME", &cache)],
        &["SEKOIA_WIZARD_PYTHON"],
    );
    pane.wait_for_within("has no .venv. Create it now (poetry install)?", 30);
    assert_eq!(sandbox.log(), "", "nothing installed before the answer");
    pane.keys(&["y"]);
    pane.wait_for_within("EXIT=", 30);
    let screen = pane.screen();
    assert_eq!(pane.exit_status(), 0, "{screen}");
    assert!(screen.contains(EVENT), "{screen}");
    assert_eq!(sandbox.log().lines().count(), 1);
}
