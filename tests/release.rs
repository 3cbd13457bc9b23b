//! `sekoia-wizard release`: version bump + changelog dating, in the library's house style.

use crate::check_support;

use std::process::Command;

use check_support::*;
use sekoia_wizard::core::compliance::check_module;
use serde_json::json;

fn release(dir: &std::path::Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_sekoia-wizard"))
        .arg("release")
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

fn read(lib: &Lib, rel: &str) -> String {
    std::fs::read_to_string(lib.module(rel)).unwrap()
}

#[test]
fn patch_twice_gives_two_dated_entries_and_passes_check() {
    let lib = Lib::new();
    lib.code_module("Mod");
    let log = CHANGELOG.replace(
        "## Unreleased\n\n",
        "## Unreleased\n\n### Fixed\n\n- Handle empty pages\n\n",
    );
    lib.write("Mod/CHANGELOG.md", &log);
    let manifest_before = read(&lib, "Mod/manifest.json");

    let (code, out, err) = release(
        lib.root(),
        &[
            "Mod",
            "patch",
            "--date",
            "2026-01-02",
            "--message",
            "Upgrade the SDK",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out.lines().next().unwrap(),
        "Mod: 1.1.0 → 1.1.1 (2026-01-02)"
    );
    assert_eq!(
        read(&lib, "Mod/manifest.json"),
        manifest_before.replace("\"version\": \"1.1.0\"", "\"version\": \"1.1.1\"")
    );
    let expected = CHANGELOG.replace(
        "## Unreleased\n\n",
        "## Unreleased\n\n## 2026-01-02 - 1.1.1\n\n### Changed\n\n- Upgrade the SDK\n\n### Fixed\n\n- Handle empty pages\n\n",
    );
    assert_eq!(read(&lib, "Mod/CHANGELOG.md"), expected);
    assert_eq!(check_module(&lib.module("Mod")), vec![]);

    let (code, out, err) = release(&lib.module("Mod"), &["patch", "--date", "2026-01-03"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("has no notes"), "{out}");
    let log = read(&lib, "Mod/CHANGELOG.md");
    let first = log.find("## 2026-01-03 - 1.1.2").unwrap();
    let second = log.find("## 2026-01-02 - 1.1.1").unwrap();
    assert!(
        log.find("## Unreleased").unwrap() < first
            && first < second
            && second < log.find("## 2024-05-28 - 1.1.0").unwrap()
    );
    assert_eq!(check_module(&lib.module("Mod")), vec![]);
    assert!(read(&lib, "Mod/manifest.json").contains("\"version\": \"1.1.2\""));
}

#[test]
fn minor_major_and_explicit_versions() {
    let lib = Lib::new();
    lib.format_module("Fmt");
    assert_eq!(
        release(lib.root(), &["Fmt", "minor", "--date", "2026-02-01"]).0,
        0
    );
    assert!(read(&lib, "Fmt/manifest.json").contains("\"version\": \"1.1.0\""));
    assert_eq!(
        release(lib.root(), &["Fmt", "major", "--date", "2026-02-02"]).0,
        0
    );
    assert!(read(&lib, "Fmt/manifest.json").contains("\"version\": \"2.0.0\""));
    assert_eq!(
        release(
            lib.root(),
            &["Fmt", "2.3.0", "--date", "2026-02-03", "-m", "New parser"]
        )
        .0,
        0
    );
    let log = read(&lib, "Fmt/CHANGELOG.md");
    assert!(log.contains("## Unreleased\n\n## 2026-02-03 - 2.3.0\n\n### Changed\n\n- New parser\n\n## 2026-02-02 - 2.0.0\n\n## 2026-02-01 - 1.1.0\n"), "{log}");
    assert_eq!(check_module(&lib.module("Fmt")), vec![]);
    // not above the current version
    let (code, _, err) = release(lib.root(), &["Fmt", "2.2.0"]);
    assert_ne!(code, 0);
    assert!(err.contains("not above the current version") && err.contains("hint:"));
}

#[test]
fn non_semver_version_gets_a_clear_error_and_fix() {
    let lib = Lib::new();
    lib.format_module("Fmt");
    lib.edit("Fmt/manifest.json", |m| {
        m.insert("version".into(), json!("0.2"));
    });
    let before = read(&lib, "Fmt/manifest.json");
    let (code, _, err) = release(lib.root(), &["Fmt", "patch"]);
    assert_ne!(code, 0);
    assert!(err.contains("`0.2` is not a semantic version"), "{err}");
    assert!(err.contains("release Fmt 0.2.0"), "{err}");
    assert_eq!(read(&lib, "Fmt/manifest.json"), before);
    // the suggested fix works
    assert_eq!(
        release(lib.root(), &["Fmt", "0.2.0", "--date", "2026-03-01"]).0,
        0
    );
    assert!(read(&lib, "Fmt/manifest.json").contains("\"version\": \"0.2.0\""));
    // nonsense bump and bad date are usage errors with hints
    let (code, _, err) = release(lib.root(), &["Fmt", "bigger"]);
    assert!(code != 0 && err.contains("hint:"));
    let (code, _, err) = release(lib.root(), &["Fmt", "patch", "--date", "03/01/2026"]);
    assert!(code != 0 && err.contains("YYYY-MM-DD"));
}

#[test]
fn dry_run_writes_nothing_and_other_bytes_are_kept() {
    let lib = Lib::new();
    lib.format_module("Fmt");
    // a hand-written manifest layout and a CRLF changelog are kept as they are
    let manifest = "{\"name\":\"Fmt\",  \"version\" : \"1.0.0\",\"slug\":\"fmt\"}\n";
    lib.write("Fmt/manifest.json", manifest);
    let log = read(&lib, "Fmt/CHANGELOG.md").replace('\n', "\r\n");
    lib.write("Fmt/CHANGELOG.md", &log);
    let (code, out, _) = release(
        lib.root(),
        &["Fmt", "patch", "--dry-run", "--date", "2026-04-01"],
    );
    assert_eq!(code, 0);
    assert!(out.contains("+## 2026-04-01 - 1.0.1"), "{out}");
    assert_eq!(read(&lib, "Fmt/manifest.json"), manifest);
    assert_eq!(
        release(lib.root(), &["Fmt", "patch", "--date", "2026-04-01"]).0,
        0
    );
    assert_eq!(
        read(&lib, "Fmt/manifest.json"),
        manifest.replace("1.0.0", "1.0.1")
    );
    assert_eq!(
        read(&lib, "Fmt/CHANGELOG.md"),
        log.replace(
            "## Unreleased\r\n",
            "## Unreleased\r\n\r\n## 2026-04-01 - 1.0.1\r\n"
        )
    );
}
