//! Every golden case written by the real SDK (1.27.0 for `sdk-corpus` and `seed-testhttp/v2`,
//! 1.22.5 for `sdk-corpus-v1` and `seed-testhttp/v1`): sync must write every expected JSON byte for
//! byte, no other component JSON, and main.py with the same set of lines. Then a second run must
//! change nothing.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use sekoia_wizard::core::sync::{self, is_component_json, SourceTree, SyncOptions};
use sekoia_wizard::core::workspace;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
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

fn lines(text: &str) -> BTreeSet<String> {
    text.lines().map(str::to_string).collect()
}

/// Runs sync on a copy of `case/input` and compares with `case/expected`; returns the problems.
fn check_case(case: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    let work = tempfile::tempdir().unwrap();
    copy_dir(&case.join("input"), work.path());
    let tree = SourceTree::from_disk(work.path());
    let report = match sync::plan(&tree, &SyncOptions::default()) {
        Ok(r) => r,
        Err(e) => return vec![format!("{}: sync failed: {e:#}", case.display())],
    };
    if !report.warnings.is_empty() {
        problems.push(format!(
            "{}: unexpected warnings: {:?}",
            case.display(),
            report.warnings
        ));
    }
    let expected_dir = case.join("expected");
    let mut expected_json = BTreeSet::new();
    for entry in fs::read_dir(&expected_dir).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        let want = fs::read_to_string(expected_dir.join(&name)).unwrap();
        let Some(got) = report.plan.get(&name) else {
            problems.push(format!("{}: {name} not generated", case.display()));
            continue;
        };
        let got = got.text();
        if name == "main.py" {
            if lines(&got) != lines(&want) {
                problems.push(format!(
                    "{}: main.py lines differ:\n--- want\n{want}\n--- got\n{got}",
                    case.display()
                ));
            }
        } else {
            expected_json.insert(name.clone());
            if got != want {
                problems.push(format!(
                    "{}: {name} differs:\n--- want\n{want}\n--- got\n{got}",
                    case.display()
                ));
            }
        }
    }
    for file in report.plan.files() {
        if is_component_json(&file.path) && !expected_json.contains(&file.path) {
            problems.push(format!(
                "{}: extra component JSON {}",
                case.display(),
                file.path
            ));
        }
    }
    if problems.is_empty() {
        // Applying, then planning again, must be a no-op.
        workspace::apply(&report.plan).unwrap();
        let again =
            sync::plan(&SourceTree::from_disk(work.path()), &SyncOptions::default()).unwrap();
        let changed: Vec<String> = again.plan.changes().map(|f| f.path.clone()).collect();
        if !changed.is_empty() {
            problems.push(format!(
                "{}: second sync changes {changed:?}",
                case.display()
            ));
        }
        if !again.orphans.is_empty() {
            problems.push(format!(
                "{}: orphans after sync: {:?}",
                case.display(),
                again.orphans
            ));
        }
    }
    problems
}

fn check_all(corpus: &str) {
    let dir = fixtures().join(corpus);
    let mut cases: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    cases.sort();
    assert!(!cases.is_empty(), "no cases in {}", dir.display());
    let problems: Vec<String> = cases.iter().flat_map(|c| check_case(c)).collect();
    assert!(
        problems.is_empty(),
        "{} problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn sdk_corpus_v2_is_byte_identical() {
    check_all("sdk-corpus");
}

#[test]
fn sdk_corpus_v1_is_byte_identical() {
    check_all("sdk-corpus-v1");
}

#[test]
fn seed_testhttp_both_variants_are_byte_identical() {
    check_all("seed-testhttp");
}
