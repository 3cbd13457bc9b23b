//! Parity with the real SDK on constructs found in real modules of the automation library (issue
//! 10, point 4): asset connectors, static non-literal defaults, TypedDict fields, pydantic v1/v2
//! per model class, field order under multiple inheritance, classes only in a package
//! `__init__`, bases from a sibling path dependency. Each case in `tests/fixtures/sync-real/` is a
//! small synthetic module; its `expected/` was written by `sekoia-automation
//! generate-files-from-code` (SDK 1.27.0, see the README there). Sync must write every expected
//! JSON byte for byte, no other component JSON, main.py with the same lines, and exactly the
//! warnings of `<case>/warnings.txt` (none when it is absent).
//!
//! `goldens_are_what_the_sdk_writes` runs the SDK again when its Python is available (and fails
//! under `CI=true` when it is not), so the goldens cannot drift from the SDK.

use crate::common;

use common::copy_dir;

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use sekoia_wizard::core::sync::{self, is_component_json, SourceTree, SyncOptions};
use sekoia_wizard::core::workspace;

fn cases_dir() -> PathBuf {
    common::fixtures().join("sync-real")
}

/// The module directory inside a case's `input/` (`module` names it when siblings sit next to
/// it).
fn module_rel(case: &Path) -> String {
    fs::read_to_string(case.join("module"))
        .map(|s| s.trim().to_string())
        .unwrap_or_else(|_| ".".into())
}

fn lines(text: &str) -> BTreeSet<String> {
    text.lines().map(str::to_string).collect()
}

/// Runs sync on a copy of the case and compares with `expected/`.
fn check(name: &str) {
    let case = cases_dir().join(name);
    let work = tempfile::tempdir().unwrap();
    copy_dir(&case.join("input"), work.path());
    let root = work.path().join(module_rel(&case));
    let report = sync::plan(&SourceTree::from_disk(&root), &SyncOptions::default())
        .unwrap_or_else(|e| panic!("{name}: sync failed: {e:#}"));
    let mut problems = Vec::new();
    // `warnings.txt`, when present, lists the warnings the case must give; otherwise none.
    let want_warnings: Vec<String> = fs::read_to_string(case.join("warnings.txt"))
        .map(|t| t.lines().map(str::to_string).collect())
        .unwrap_or_default();
    let warnings: Vec<String> = report.warnings.iter().map(|w| w.to_string()).collect();
    if warnings != want_warnings {
        problems.push(format!(
            "warnings differ:\n--- want\n  {}\n--- got\n  {}",
            want_warnings.join("\n  "),
            warnings.join("\n  ")
        ));
    }
    let mut expected_json = BTreeSet::new();
    for entry in fs::read_dir(case.join("expected")).unwrap() {
        let file = entry.unwrap().file_name().into_string().unwrap();
        let want = fs::read_to_string(case.join("expected").join(&file)).unwrap();
        let got = match report.plan.get(&file) {
            Some(got) => got.text().to_string(),
            // The SDK leaves manifest.json alone when the module declares no configuration.
            None if file == "manifest.json" => fs::read_to_string(root.join(&file)).unwrap(),
            None => {
                problems.push(format!("{file} not generated"));
                continue;
            }
        };
        if file == "main.py" {
            if lines(&got) != lines(&want) {
                problems.push(format!(
                    "main.py lines differ:\n--- sdk\n{want}\n--- sync\n{got}"
                ));
            }
        } else {
            expected_json.insert(file.clone());
            if got != want {
                problems.push(format!("{file} differs:\n--- sdk\n{want}\n--- sync\n{got}"));
            }
        }
    }
    for file in report.plan.files() {
        if is_component_json(&file.path) && !expected_json.contains(&file.path) {
            problems.push(format!("extra component JSON {}", file.path));
        }
    }
    if problems.is_empty() {
        workspace::apply(&report.plan).unwrap();
        let again = sync::plan(&SourceTree::from_disk(&root), &SyncOptions::default()).unwrap();
        let changed: Vec<String> = again.plan.changes().map(|f| f.path.clone()).collect();
        if !changed.is_empty() {
            problems.push(format!("a second sync changes {changed:?}"));
        }
    }
    assert!(problems.is_empty(), "{name}:\n{}", problems.join("\n\n"));
}

#[test]
fn asset_connectors_are_triggers_with_the_asset_configuration() {
    check("asset-connectors");
}

#[test]
fn static_defaults_are_evaluated() {
    check("static-defaults");
}

#[test]
fn typed_dict_fields() {
    check("typed-dict");
}

#[test]
fn pydantic_flavor_is_decided_per_model_class() {
    check("mixed-flavor");
}

#[test]
fn field_order_follows_the_mro() {
    check("multiple-inheritance");
}

#[test]
fn classes_only_in_a_package_init_are_not_components() {
    check("init-only");
}

#[test]
fn bases_from_a_sibling_path_dependency_are_read() {
    check("path-dependency");
}

/// Reruns the SDK on every case and compares with the committed goldens.
#[test]
fn goldens_are_what_the_sdk_writes() {
    let Some(python) = common::python() else {
        return;
    };
    let mut problems = Vec::new();
    let mut cases: Vec<PathBuf> = fs::read_dir(cases_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("input").is_dir())
        .collect();
    cases.sort();
    assert!(!cases.is_empty());
    for case in cases {
        let work = tempfile::tempdir().unwrap();
        copy_dir(&case.join("input"), work.path());
        let module = module_rel(&case);
        // Siblings of the module are importable, as `poetry install` makes path dependencies.
        let siblings: Vec<String> = fs::read_dir(work.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| module != "." && p.is_dir() && !p.ends_with(&module))
            .map(|p| p.display().to_string())
            .collect();
        let root = work.path().join(&module);
        let out = Command::new(&python)
            .args([
                "-m",
                "sekoia_automation.cli",
                "generate-files-from-code",
                ".",
            ])
            .current_dir(&root)
            .env("PYTHONPATH", siblings.join(":"))
            .env("PYTHONDONTWRITEBYTECODE", "1")
            .output()
            .unwrap();
        let name = case.file_name().unwrap().to_string_lossy().to_string();
        if !out.status.success() {
            problems.push(format!(
                "{name}: the SDK failed: {}",
                String::from_utf8_lossy(&out.stderr)
            ));
            continue;
        }
        let written: BTreeSet<String> = fs::read_dir(&root)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|f| is_component_json(f))
            .collect();
        let expected: BTreeSet<String> = fs::read_dir(case.join("expected"))
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|f| is_component_json(f))
            .collect();
        if written != expected {
            problems.push(format!(
                "{name}: the SDK wrote {written:?}, goldens have {expected:?}"
            ));
        }
        for file in expected.iter().map(String::as_str).chain(["manifest.json"]) {
            let want = fs::read_to_string(case.join("expected").join(file)).unwrap();
            let got = fs::read_to_string(root.join(file)).unwrap_or_default();
            if want != got {
                problems.push(format!("{name}: {file} is stale (rerun regen.sh)"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
