//! `sekoia-wizard check --changes [REF]`: only the modules with files changed since REF are
//! reported (like the library's CI), uniqueness still sees every module, and the JSON formatting
//! warning only looks at changed files (like the library's `linter.py check --changes`).
//! The repositories are made with the git command line, an independent check of the git2 code.

use crate::check_support;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use check_support::*;
use serde_json::json;

const UNFORMATTED: &str =
    "JSON is not formatted as json.dumps(obj, indent=2) without a final newline";

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args([
            "-c",
            "user.name=Test",
            "-c",
            "user.email=test@example.com",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .current_dir(dir)
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn commit_all(lib: &Lib, message: &str) {
    git(lib.root(), &["add", "-A"]);
    git(lib.root(), &["commit", "-q", "-m", message]);
}

/// Three clean modules committed, with `origin/main` pointing at that commit (as after a fetch).
/// `Beta/action_search.json` is committed unformatted: an old file the linter never looks at.
fn repo() -> Lib {
    let lib = Lib::new();
    lib.code_module("Alpha");
    lib.code_module("Beta");
    lib.format_module("Gamma");
    let beta = std::fs::read_to_string(lib.module("Beta/action_search.json")).unwrap();
    lib.write("Beta/action_search.json", beta + "\n");
    git(lib.root(), &["init", "-q"]);
    commit_all(&lib, "library");
    git(
        lib.root(),
        &["update-ref", "refs/remotes/origin/main", "HEAD"],
    );
    lib
}

fn run_in(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_sekoia-wizard"))
        .arg("check")
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn check(lib: &Lib, extra: &[&str]) -> (i32, String, String) {
    let mut args = vec!["--library", lib.root().to_str().unwrap()];
    args.extend_from_slice(extra);
    run_in(lib.root(), &args)
}

/// The modules named in finding lines (errors and warnings).
fn modules_reported(stdout: &str) -> BTreeSet<String> {
    stdout
        .lines()
        .map(|l| l.strip_prefix("warning: ").unwrap_or(l))
        .filter(|l| l.matches(':').count() >= 2 && !l.starts_with("FIX "))
        .map(|l| l.split(':').next().unwrap().to_string())
        .collect()
}

fn banner(stdout: &str) -> &str {
    stdout
        .lines()
        .find(|l| l.starts_with('🔎'))
        .unwrap_or_default()
}

#[test]
fn only_changed_modules_are_reported_and_only_changed_json_is_linted() {
    let lib = repo();
    // Alpha: a component rewritten unformatted and committed on the branch.
    let alpha = std::fs::read_to_string(lib.module("Alpha/action_search.json")).unwrap();
    lib.write(
        "Alpha/action_search.json",
        alpha.replace("\n  ", "\n    ") + "\n",
    );
    commit_all(&lib, "alpha");

    let (code, out, err) = check(&lib, &["--changes"]);
    assert_eq!(code, 0, "warnings only:\n{out}{err}");
    assert_eq!(banner(&out), "🔎 1 module(s) found");
    assert!(
        out.contains(&format!("warning: Alpha:action_search.json:{UNFORMATTED}")),
        "{out}"
    );
    // Beta's old unformatted file is not looked at, and Beta is not reported at all.
    assert_eq!(modules_reported(&out), set(&["Alpha"]), "{out}");

    // Without --changes, everything is checked, so Beta's old file is warned about too.
    let (_, all, _) = check(&lib, &[]);
    assert_eq!(banner(&all), "🔎 3 module(s) found");
    assert!(all.contains(&format!("warning: Beta:action_search.json:{UNFORMATTED}")));
}

#[test]
fn only_the_changed_json_files_of_a_changed_module_are_linted() {
    let lib = repo();
    // Beta changes, but not its unformatted action: the trigger is rewritten unformatted.
    let trigger = std::fs::read_to_string(lib.module("Beta/trigger_events.json")).unwrap();
    lib.write("Beta/trigger_events.json", trigger + "\n");
    commit_all(&lib, "beta trigger");
    let (code, out, _) = check(&lib, &["--changes"]);
    assert_eq!(code, 0);
    assert!(out.contains(&format!("warning: Beta:trigger_events.json:{UNFORMATTED}")));
    assert!(!out.contains("Beta:action_search.json"), "{out}");
    // --fix formats the changed file only.
    let (_, fixed, _) = check(&lib, &["--changes", "--fix"]);
    assert!(fixed.contains("FIX Beta/trigger_events.json:"), "{fixed}");
    assert!(!fixed.contains("action_search"), "{fixed}");
    assert!(
        std::fs::read_to_string(lib.module("Beta/action_search.json"))
            .unwrap()
            .ends_with("}\n")
    );
}

#[test]
fn uniqueness_still_sees_the_whole_library() {
    let lib = repo();
    lib.edit("Alpha/manifest.json", |m| {
        m.insert("slug".into(), json!("gamma"));
    });
    commit_all(&lib, "alpha takes gamma's slug");
    let (code, out, _) = check(&lib, &["--changes"]);
    assert_eq!(code, 1);
    assert_eq!(
        out,
        "🔎 1 module(s) found\nAlpha:manifest.json:slug is not unique\n❌  Found errors\n"
    );
}

#[test]
fn uncommitted_changes_count() {
    let lib = repo();
    // untracked file in a new folder of Gamma
    lib.write("Gamma/samples/event.json", "{\"a\":1}");
    // modified, not staged
    lib.write("Alpha/CHANGELOG.md", CHANGELOG.to_string() + "\n");
    let (code, out, _) = check(&lib, &["--changes"]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(banner(&out), "🔎 2 module(s) found");
    assert!(
        out.contains(&format!("warning: Gamma:event.json:{UNFORMATTED}")),
        "{out}"
    );
    assert_eq!(modules_reported(&out), set(&["Gamma"]));

    // staged only
    git(lib.root(), &["checkout", "--", "Alpha/CHANGELOG.md"]);
    std::fs::remove_dir_all(lib.module("Gamma/samples")).unwrap();
    lib.edit("Beta/manifest.json", |m| {
        m.insert("version".into(), json!("9.9.9"));
    });
    git(lib.root(), &["add", "Beta/manifest.json"]);
    let (_, out, _) = check(&lib, &["--changes"]);
    assert_eq!(banner(&out), "🔎 1 module(s) found");
    assert!(
        out.contains("warning: Beta:manifest.json:`version` 9.9.9 is not the newest"),
        "{out}"
    );

    // ignored files do not count
    git(lib.root(), &["reset", "-q", "--hard"]);
    lib.write(".gitignore", "*.log\n");
    commit_all(&lib, "ignore logs");
    git(
        lib.root(),
        &["update-ref", "refs/remotes/origin/main", "HEAD"],
    );
    lib.write("Alpha/debug.log", "noise");
    let (_, out, _) = check(&lib, &["--changes"]);
    assert_eq!(banner(&out), "🔎 0 module(s) found");
}

#[test]
fn the_merge_base_is_the_reference_not_the_tip_of_ref() {
    let lib = repo();
    git(lib.root(), &["checkout", "-q", "-b", "feature"]);
    lib.write("Alpha/CHANGELOG.md", CHANGELOG.to_string() + "\n");
    commit_all(&lib, "feature work on Alpha");
    // main moves on with a change to Beta after the branch started
    git(lib.root(), &["checkout", "-q", "main"]);
    lib.write("Beta/CHANGELOG.md", CHANGELOG.to_string() + "\n");
    commit_all(&lib, "someone else's work on Beta");
    git(lib.root(), &["checkout", "-q", "feature"]);
    let (_, out, _) = check(&lib, &["--changes=main"]);
    assert_eq!(banner(&out), "🔎 1 module(s) found", "{out}");
    // a commit id works as REF too
    let first = git(lib.root(), &["rev-list", "--max-parents=0", "HEAD"]);
    let (_, out, _) = check(&lib, &["--changes", first.trim()]);
    assert_eq!(banner(&out), "🔎 1 module(s) found");
    let (_, out, _) = check(&lib, &["--changes", "HEAD"]);
    assert_eq!(banner(&out), "🔎 0 module(s) found");
}

#[test]
fn deleted_modules_are_skipped_and_utils_changes_check_everything() {
    let lib = repo();
    git(lib.root(), &["rm", "-q", "-r", "Beta"]);
    commit_all(&lib, "drop Beta");
    let (code, out, _) = check(&lib, &["--changes"]);
    assert_eq!(
        (code, out.as_str()),
        (0, "🔎 0 module(s) found\n✅  No errors found!\n")
    );
    // like the real checker: a change to its own code checks all modules
    lib.write("_utils/compliance/__main__.py", "print()\n");
    let (_, out, _) = check(&lib, &["--changes"]);
    assert!(
        out.starts_with(
            "Compliance code folder is changed - check all modules\n🔎 2 module(s) found\n"
        ),
        "{out}"
    );
}

#[test]
fn given_module_names_narrow_the_changed_ones() {
    let lib = repo();
    lib.write("Alpha/CHANGELOG.md", CHANGELOG.to_string() + "\n");
    lib.write("Gamma/CHANGELOG.md", CHANGELOG.to_string() + "\n");
    let root = lib.root().to_str().unwrap();
    let (_, out, _) = run_in(
        lib.root(),
        &["--library", root, "Alpha", "Beta", "--changes"],
    );
    assert_eq!(banner(&out), "🔎 1 module(s) found");
    // `--changes Alpha` reads Alpha as the REF: the error says so
    let (code, _, err) = run_in(lib.root(), &["--library", root, "--changes", "Alpha"]);
    assert_eq!(code, 2);
    assert!(err.contains("was read as the REF"), "{err}");
}

#[test]
fn module_directories_inside_a_repository() {
    let lib = repo();
    lib.write("Alpha/CHANGELOG.md", CHANGELOG.to_string() + "\n");
    // from inside a module, no DIR: the repository is found by walking up
    let (code, out, err) = run_in(&lib.module("Alpha"), &["--changes"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(banner(&out), "🔎 1 module(s) found");
    let (_, out, _) = run_in(&lib.module("Beta"), &["--changes"]);
    assert_eq!(out, "🔎 0 module(s) found\n✅  No errors found!\n");
    // several DIRs (relative paths), only the changed one reported
    let (_, out, _) = run_in(lib.root(), &["Alpha", "Beta", "Gamma", "--changes"]);
    assert_eq!(banner(&out), "🔎 1 module(s) found");
    // JSON output says what it compared with
    let (_, out, _) = run_in(lib.root(), &["Alpha", "--format", "json", "--changes=HEAD"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["modules_checked"], 1);
    assert_eq!(v["changes"], json!({"since": "HEAD", "all_modules": false}));
}

#[test]
fn a_module_that_is_its_own_repository() {
    let lib = Lib::new();
    lib.format_module("Solo");
    let solo = lib.module("Solo");
    git(&solo, &["init", "-q"]);
    git(&solo, &["add", "-A"]);
    git(&solo, &["commit", "-q", "-m", "solo"]);
    let (code, out, err) = run_in(&solo, &["--changes", "HEAD"]);
    assert_eq!(
        (code, out.as_str()),
        (0, "🔎 0 module(s) found\n✅  No errors found!\n"),
        "{err}"
    );
    lib.write("Solo/manifest.json", "{\"a\":1}");
    let (code, out, _) = run_in(&solo, &["--changes=HEAD"]);
    assert_eq!(code, 1);
    assert_eq!(banner(&out), "🔎 1 module(s) found");
    assert!(
        out.contains("Solo:manifest.json:`uuid` is not present"),
        "{out}"
    );
}

#[test]
fn missing_ref_is_a_clear_error() {
    let lib = repo();
    git(
        lib.root(),
        &["update-ref", "-d", "refs/remotes/origin/main"],
    );
    let (code, out, err) = check(&lib, &["--changes"]);
    assert_eq!(code, 2, "{out}");
    assert!(
        err.contains("error: revision `origin/main` not found"),
        "{err}"
    );
    assert!(err.contains("git fetch origin main"), "{err}");
    assert!(err.contains("--changes HEAD~1"), "{err}");
    // a clone whose remote's default branch is another one: the hint names it
    git(
        lib.root(),
        &["update-ref", "refs/remotes/origin/develop", "HEAD"],
    );
    git(
        lib.root(),
        &[
            "symbolic-ref",
            "refs/remotes/origin/HEAD",
            "refs/remotes/origin/develop",
        ],
    );
    let (code, _, err) = check(&lib, &["--changes"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("origin's default branch is `origin/develop`: `--changes origin/develop`"),
        "{err}"
    );
    let (code, _, err) = check(&lib, &["--changes", "no-such-branch"]);
    assert_eq!(code, 2);
    assert!(err.contains("`no-such-branch` not found"), "{err}");
}

#[test]
fn outside_a_repository_is_a_clear_error() {
    let lib = Lib::new();
    lib.format_module("Gamma");
    lib.format_module("Delta");
    if git2::Repository::discover(lib.root()).is_ok() {
        return; // the temporary directory is itself inside a repository here
    }
    let (code, _, err) = check(&lib, &["--changes"]);
    assert_eq!(code, 2);
    assert!(err.contains("is not inside a git repository"), "{err}");
    let (code, _, err) = run_in(&lib.module("Gamma"), &["--changes"]);
    assert_eq!(code, 2);
    assert!(err.contains("is not inside a git repository"), "{err}");
}

/// The git2 answer equals git's own: `git diff --name-only <merge-base>` plus untracked files.
#[test]
fn changed_files_agree_with_git() {
    let lib = repo();
    git(lib.root(), &["checkout", "-q", "-b", "feature"]);
    lib.write("Alpha/CHANGELOG.md", CHANGELOG.to_string() + "\n");
    git(lib.root(), &["mv", "Beta/tests", "Beta/unit_tests"]);
    commit_all(&lib, "feature");
    git(lib.root(), &["checkout", "-q", "main"]);
    lib.write("Gamma/CHANGELOG.md", CHANGELOG.to_string() + "\n");
    commit_all(&lib, "main");
    git(lib.root(), &["checkout", "-q", "feature"]);
    lib.write("Gamma/new dir/x y.json", "{}");
    lib.write("Alpha/main.py", "# edited\n");
    git(lib.root(), &["rm", "-q", "Alpha/logo.png"]);

    let changes = sekoia_wizard::core::git::changed_files(&lib.module("Alpha"), "main").unwrap();
    let ours: BTreeSet<PathBuf> = changes.files.into_iter().collect();
    let base = git(lib.root(), &["merge-base", "main", "HEAD"]);
    let theirs: BTreeSet<PathBuf> = git(
        lib.root(),
        &["diff", "--name-only", "--no-renames", "-z", base.trim()],
    )
    .split('\0')
    .chain(
        git(
            lib.root(),
            &["ls-files", "--others", "--exclude-standard", "-z"],
        )
        .split('\0'),
    )
    .filter(|l| !l.is_empty())
    .map(PathBuf::from)
    .collect();
    assert_eq!(ours, theirs);
    assert!(ours.contains(Path::new("Beta/tests/test_search.py")));
    assert!(ours.contains(Path::new("Beta/unit_tests/test_search.py")));
    assert!(!ours.iter().any(|p| p.starts_with("Gamma/CHANGELOG.md")));
    assert_eq!(
        changes.workdir,
        lib.root().canonicalize().unwrap(),
        "work tree is canonical"
    );
}
