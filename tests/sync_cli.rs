//! `sekoia-wizard sync` end to end on the seed module: --check / --dry-run / --strict, idempotence,
//! what existing files keep, syntax errors, and the overlay API that `add` uses.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;
use sekoia_wizard::core::model::ComponentKind;
use sekoia_wizard::core::sync::{self, SourceTree, SyncOptions};

fn seed(variant: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/seed-testhttp")
        .join(variant)
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn module_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&seed("v2").join("input"), dir.path());
    dir
}

fn wizard() -> Command {
    Command::cargo_bin("sekoia-wizard").unwrap()
}

fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for entry in walk(dir) {
        out.push((
            entry.strip_prefix(dir).unwrap().display().to_string(),
            fs::read(&entry).unwrap(),
        ));
    }
    out.sort();
    out
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn check_lists_stale_files_then_sync_twice_is_a_no_op() {
    let dir = module_copy();
    let before = snapshot(dir.path());
    wizard()
        .args(["sync", "--check"])
        .arg(dir.path())
        .assert()
        .code(1)
        .stdout(predicate::str::contains("out of date: main.py"))
        .stdout(predicate::str::contains("out of date: action_request.json"));
    assert_eq!(snapshot(dir.path()), before, "--check wrote something");

    wizard()
        .arg("sync")
        .arg(dir.path())
        .assert()
        .success()
        .stdout(predicate::str::contains("Generated action_request.json"));
    for name in [
        "action_request.json",
        "trigger_newentriestrigger.json",
        "connector_testhttpconnector.json",
        "manifest.json",
    ] {
        let want = fs::read(seed("v2").join("expected").join(name)).unwrap();
        assert_eq!(fs::read(dir.path().join(name)).unwrap(), want, "{name}");
    }
    let after_first = snapshot(dir.path());
    wizard()
        .arg("sync")
        .arg(dir.path())
        .assert()
        .success()
        .stdout(predicate::str::contains("up to date"));
    assert_eq!(
        snapshot(dir.path()),
        after_first,
        "second sync changed files"
    );
    wizard()
        .args(["sync", "--check"])
        .arg(dir.path())
        .assert()
        .success()
        .stdout("up to date\n");
}

#[test]
fn dry_run_shows_a_diff_and_writes_nothing() {
    let dir = module_copy();
    let before = snapshot(dir.path());
    wizard()
        .args(["sync", "--dry-run"])
        .arg(dir.path())
        .assert()
        .success()
        .stdout(predicate::str::contains("+ action_request.json"))
        .stdout(predicate::str::contains(
            "+    module.register(Request, \"Request\")",
        ));
    assert_eq!(snapshot(dir.path()), before);
}

#[test]
fn computed_default_warns_and_strict_refuses() {
    let dir = module_copy();
    let models = dir.path().join("testhttp_modules/models.py");
    let mut code = fs::read_to_string(&models).unwrap();
    code.push_str("    timeout: int = compute_timeout()\n");
    fs::write(&models, code).unwrap();
    let before = snapshot(dir.path());
    wizard()
        .args(["sync", "--strict"])
        .arg(dir.path())
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "testhttp_modules/models.py:6: field `timeout`: computed default",
        ));
    assert_eq!(
        snapshot(dir.path()),
        before,
        "--strict wrote files despite warnings"
    );
    wizard()
        .arg("sync")
        .arg(dir.path())
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "warning: testhttp_modules/models.py:6: field `timeout`",
        ));
    let manifest = fs::read_to_string(dir.path().join("manifest.json")).unwrap();
    assert!(
        manifest.contains("\"timeout\""),
        "the field is still described"
    );
}

#[test]
fn unknown_type_is_a_warning_with_file_line_and_field() {
    let dir = module_copy();
    let models = dir.path().join("testhttp_modules/models.py");
    let mut code = fs::read_to_string(&models).unwrap();
    code.push_str("    proxy: SomethingUnknown\n");
    fs::write(&models, code).unwrap();
    let report = sync::plan(&SourceTree::from_disk(dir.path()), &SyncOptions::default()).unwrap();
    let w = report
        .warnings
        .iter()
        .find(|w| w.field.as_deref() == Some("proxy"))
        .expect("a warning for proxy");
    assert_eq!((w.file.as_str(), w.line), ("testhttp_modules/models.py", 6));
    assert!(w.message.contains("unknown type"), "{}", w.message);
}

#[test]
fn syntax_error_names_file_and_line_and_writes_nothing() {
    let dir = module_copy();
    fs::write(
        dir.path().join("testhttp_modules/models.py"),
        "from pydantic import BaseModel\n\nclass X(BaseModel:\n    a: int\n",
    )
    .unwrap();
    let before = snapshot(dir.path());
    wizard()
        .arg("sync")
        .arg(dir.path())
        .assert()
        .failure()
        .stderr(predicate::str::contains("testhttp_modules/models.py:3:"))
        .stderr(predicate::str::contains("syntax error"));
    assert_eq!(snapshot(dir.path()), before);
}

#[test]
fn missing_manifest_is_an_error_with_a_hint() {
    let dir = tempfile::tempdir().unwrap();
    wizard()
        .arg("sync")
        .arg(dir.path())
        .assert()
        .failure()
        .stderr(predicate::str::contains("no manifest.json"))
        .stderr(predicate::str::contains("hint:"));
}

#[test]
fn existing_manifests_keep_uuid_description_extra_keys_and_orphans_are_reported() {
    let dir = module_copy();
    fs::write(
        dir.path().join("action_request.json"),
        r#"{"uuid": "11111111-2222-3333-4444-555555555555", "name": "Request", "slug": "request", "description": "Hand-written", "outputs": {"x": 1}}"#,
    )
    .unwrap();
    fs::write(dir.path().join("action_gone.json"), "{}").unwrap();
    let main = dir.path().join("main.py");
    fs::write(
        &main,
        "from testhttp_modules import TesthttpModule\nfrom testhttp_modules.gone import Gone\nfrom testhttp_modules.validator import Validator\n\nif __name__ == \"__main__\":\n    module = TesthttpModule()\n    module.register(Gone, \"Gone\")\n    module.register_account_validator(Validator)\n    module.run()\n",
    )
    .unwrap();
    wizard()
        .arg("sync")
        .arg(dir.path())
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "action_gone.json: no class generates this file",
        ));
    let action = fs::read_to_string(dir.path().join("action_request.json")).unwrap();
    let keys: Vec<String> =
        serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(&action)
            .unwrap()
            .keys()
            .cloned()
            .collect();
    assert_eq!(
        keys,
        [
            "uuid",
            "name",
            "slug",
            "description",
            "outputs",
            "docker_parameters",
            "arguments",
            "results"
        ]
    );
    assert!(action.contains("\"uuid\": \"11111111-2222-3333-4444-555555555555\""));
    assert!(action.contains("\"description\": \"Hand-written\""));
    assert!(
        dir.path().join("action_gone.json").exists(),
        "orphans are never deleted"
    );
    let main = fs::read_to_string(&main).unwrap();
    assert!(!main.contains("Gone"), "{main}");
    assert!(
        main.contains("from testhttp_modules.validator import Validator\n"),
        "{main}"
    );
    assert!(
        main.contains("    module.register_account_validator(Validator)\n    module.run()\n"),
        "{main}"
    );
}

#[test]
fn overlay_gives_the_json_of_files_not_yet_on_disk() {
    let dir = module_copy();
    let mut tree = SourceTree::from_disk(dir.path());
    tree.overlay(
        "testhttp_modules/action_ping.py",
        "from pydantic import BaseModel\nfrom sekoia_automation.action import Action\n\n\nclass PingArguments(BaseModel):\n    host: str\n\n\nclass Ping(Action):\n    name = \"Ping host\"\n\n    def run(self, arguments: PingArguments) -> dict:\n        return {}\n",
    );
    let report = sync::plan(&tree, &SyncOptions::default()).unwrap();
    let ping = report
        .plan
        .get("action_ping_host.json")
        .expect("generated from the overlay")
        .text()
        .to_string();
    assert!(
        ping.starts_with("{\n  \"name\": \"Ping host\",\n  \"description\": \"Ping host\",\n"),
        "{ping}"
    );
    assert!(ping.contains("\"docker_parameters\": \"Ping\""));
    let main = report.plan.get("main.py").unwrap().text().to_string();
    assert!(main.contains("from testhttp_modules.action_ping import Ping\nfrom testhttp_modules.action_request import Request\n"), "{main}");
    assert!(!dir.path().join("testhttp_modules/action_ping.py").exists());
    assert!(
        !dir.path().join("action_ping_host.json").exists(),
        "plan() writes nothing"
    );

    let summary = sync::read_module(&tree).unwrap();
    assert_eq!(
        (
            summary.module_class.as_deref().unwrap_or(""),
            summary.package.as_str()
        ),
        ("TesthttpModule", "testhttp_modules")
    );
    let rows: Vec<(ComponentKind, &str, &str, &str)> = summary
        .components
        .iter()
        .map(|c| {
            (
                c.kind,
                c.class_name.as_str(),
                c.name.as_str(),
                c.json_file.as_str(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            (
                ComponentKind::Trigger,
                "NewEntriesTrigger",
                "NewEntriesTrigger",
                "trigger_newentriestrigger.json"
            ),
            (
                ComponentKind::Connector,
                "TesthttpConnector",
                "TesthttpConnector",
                "connector_testhttpconnector.json"
            ),
            (
                ComponentKind::Action,
                "Ping",
                "Ping host",
                "action_ping_host.json"
            ),
            (
                ComponentKind::Action,
                "Request",
                "Request",
                "action_request.json"
            ),
        ]
    );
    assert_eq!(
        summary.components[2].file,
        "testhttp_modules/action_ping.py"
    );
}

#[test]
fn pydantic_v1_seed_is_written_as_sdk_1_22_5_did() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&seed("v1").join("input"), dir.path());
    wizard().arg("sync").arg(dir.path()).assert().success();
    for name in [
        "action_request.json",
        "trigger_newentriestrigger.json",
        "connector_testhttpconnector.json",
        "manifest.json",
    ] {
        let want = fs::read(seed("v1").join("expected").join(name)).unwrap();
        assert_eq!(fs::read(dir.path().join(name)).unwrap(), want, "{name}");
    }
}

/// Issue 15 (6): a file sync cannot write back exactly is refused, never rewritten: bytes that are
/// not UTF-8 (they became U+FFFD) and integers beyond 64 bits (they became floats).
#[test]
fn files_that_cannot_be_written_back_exactly_are_never_rewritten() {
    let dir = module_copy();
    let manifest = dir.path().join("manifest.json");
    let original = fs::read_to_string(&manifest).unwrap();
    let big = original.replacen(
        "\"version\"",
        "\"build\": 123456789012345678901234567890, \"version\"",
        1,
    );
    fs::write(&manifest, &big).unwrap();
    let before = snapshot(dir.path());
    wizard()
        .arg("sync")
        .arg(dir.path())
        .assert()
        .failure()
        .stderr(
            predicate::str::contains("does not fit in 64 bits")
                .and(predicate::str::contains("nothing was written")),
        );
    assert_eq!(snapshot(dir.path()), before);

    let mut bytes = original.into_bytes();
    let at = bytes.windows(6).position(|w| w == b"\"name\"").unwrap();
    bytes.splice(at + 9..at + 9, [0xff_u8]);
    fs::write(&manifest, &bytes).unwrap();
    let before = snapshot(dir.path());
    wizard()
        .arg("sync")
        .arg(dir.path())
        .assert()
        .failure()
        .stderr(predicate::str::contains("not UTF-8"));
    assert_eq!(snapshot(dir.path()), before);
}
