//! Differential test against the real SDK: random modules (scripts/sync-differential.py) are
//! generated, the SDK 1.27.0 writes the expected files (and an emulation of 1.22.5 for pydantic.v1
//! modules), and sync must match byte for byte. Needs the Python venv with the SDK: found through
//! `SEKOIA_WIZARD_PYTHON` or `<repo>/.venv/bin/python`; skipped when absent unless `CI=true`.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use sekoia_wizard::core::sync::{self, is_component_json, SourceTree, SyncOptions};

fn python() -> Option<PathBuf> {
    let candidate = match std::env::var_os("SEKOIA_WIZARD_PYTHON") {
        Some(p) => PathBuf::from(p),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join(".venv/bin/python"),
    };
    let ok = Command::new(&candidate)
        .args(["-c", "import sekoia_automation, pydantic"])
        .status()
        .is_ok_and(|s| s.success());
    if ok {
        return Some(candidate);
    }
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!(
            "CI=true but no Python with sekoia-automation-sdk at {}",
            candidate.display()
        );
    }
    eprintln!(
        "skipped: no Python with sekoia-automation-sdk at {} (set SEKOIA_WIZARD_PYTHON)",
        candidate.display()
    );
    None
}

fn run(v1: bool, seed: u32) {
    let Some(python) = python() else { return };
    let out = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(&python);
    cmd.arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/sync-differential.py"))
        .arg(out.path())
        .args(["--cases", "4", "--seed", &seed.to_string()]);
    if v1 {
        cmd.arg("--v1");
    }
    let status = cmd.status().unwrap();
    assert!(status.success(), "case generator failed");
    let mut problems = Vec::new();
    let mut cases = 0;
    for case in fs::read_dir(out.path()).unwrap() {
        let case = case.unwrap().path();
        cases += 1;
        let report = sync::plan(
            &SourceTree::from_disk(case.join("input")),
            &SyncOptions::default(),
        )
        .unwrap_or_else(|e| panic!("{}: {e:#}", case.display()));
        let mut expected = BTreeSet::new();
        for entry in fs::read_dir(case.join("expected")).unwrap() {
            let name = entry.unwrap().file_name().into_string().unwrap();
            let want = fs::read_to_string(case.join("expected").join(&name)).unwrap();
            let got = report
                .plan
                .get(&name)
                .map(|f| f.text().to_string())
                .unwrap_or_default();
            if name == "main.py" {
                let set = |s: &str| s.lines().map(String::from).collect::<BTreeSet<_>>();
                if set(&want) != set(&got) {
                    problems.push(format!("{}: main.py\n{want}\n---\n{got}", case.display()));
                }
            } else {
                expected.insert(name.clone());
                if want != got {
                    problems.push(format!("{}: {name}\n{want}\n---\n{got}", case.display()));
                }
            }
        }
        for f in report.plan.files().filter(|f| is_component_json(&f.path)) {
            if !expected.contains(&f.path) {
                problems.push(format!("{}: extra {}", case.display(), f.path));
            }
        }
    }
    assert!(cases > 0, "no case generated");
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

#[test]
fn random_pydantic_v2_modules_match_sdk_1_27_0() {
    run(false, 11);
}

#[test]
fn random_pydantic_v1_modules_match_sdk_1_22_5() {
    run(true, 12);
}
