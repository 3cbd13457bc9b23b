//! `sekoia-wizard check` as a command: output lines, emoji, exit codes, selection, JSON, --fix.

use crate::check_support;

use std::process::Command;

use check_support::*;
use serde_json::{json, Value};

fn run(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_sekoia-wizard"))
        .arg("check")
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn library() -> Lib {
    let lib = Lib::new();
    lib.code_module("Mod");
    lib.format_module("Fmt");
    lib
}

#[test]
fn clean_library_prints_the_real_banner_and_verdict() {
    let lib = library();
    let (code, out, _) = run(&["--library", lib.root().to_str().unwrap()]);
    assert_eq!(out, "🔎 2 module(s) found\n✅  No errors found!\n");
    assert_eq!(code, 0);
}

#[test]
fn errors_fixes_and_verdict() {
    let lib = library();
    lib.edit("Mod/trigger_events.json", |m| {
        m.remove("uuid");
    });
    let (code, out, _) = run(&["--library", lib.root().to_str().unwrap()]);
    assert_eq!(
        out,
        "🔎 2 module(s) found\nMod:trigger_events.json:`uuid` is not present\n\n\
🛠 Available automatic fixes (run with `--fix`):\nFIX Mod/trigger_events.json:Generate random UUID\n❌  Found errors\n"
    );
    assert_eq!(code, 1);
}

#[test]
fn module_directories_and_selection_inside_a_library() {
    let lib = library();
    lib.format_module("Dup");
    lib.edit("Dup/manifest.json", |m| {
        m.insert("slug".into(), json!("fmt"));
    });
    let root = lib.root().to_str().unwrap();
    // one module on its own: nothing to collide with
    let (code, out, _) = run(&[lib.module("Dup").to_str().unwrap()]);
    assert_eq!(
        (code, out.as_str()),
        (0, "🔎 1 module(s) found\n✅  No errors found!\n")
    );
    // inside the library: validated against all, only the selected one reported
    let (code, out, _) = run(&["--library", root, "Dup"]);
    assert_eq!(code, 1);
    assert_eq!(
        out,
        "🔎 1 module(s) found\nDup:manifest.json:slug is not unique\n❌  Found errors\n"
    );
    // several directories are checked together
    let (code, out, _) = run(&[
        lib.module("Dup").to_str().unwrap(),
        lib.module("Fmt").to_str().unwrap(),
    ]);
    assert_eq!(code, 1);
    assert!(
        out.contains("Fmt:manifest.json:slug is not unique")
            && out.contains("Dup:manifest.json:slug is not unique")
    );
    // docs/, _utils and dot folders are not modules
    lib.write("_utils/x/manifest.json", "{");
    lib.write(".github/manifest.json", "{");
    let (_, out, _) = run(&["--library", root]);
    assert!(out.starts_with("🔎 3 module(s) found\n"));
}

#[test]
fn usage_errors_exit_2() {
    let lib = library();
    let (code, _, err) = run(&[lib.module("Nope").to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("is not a directory") && err.contains("hint:"));
    let (code, _, err) = run(&["--library", lib.root().to_str().unwrap(), "Nope"]);
    assert_eq!(code, 2);
    assert!(err.contains("is not a module of"));
    let (code, _, _) = run(&["--format", "xml"]);
    assert_eq!(code, 2);
    // running in a library without --library says what to do
    let out = Command::new(env!("CARGO_BIN_EXE_sekoia-wizard"))
        .arg("check")
        .current_dir(lib.root())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--library"));
}

#[test]
fn json_format_lists_findings() {
    let lib = library();
    lib.edit("Fmt/manifest.json", |m| {
        m.insert("categories".into(), json!(["Firewall"]));
    });
    lib.write(
        "Mod/action_search.json",
        dumps(&action("Mod", "Search", "search")) + "\n",
    );
    let (code, out, _) = run(&[
        "--library",
        lib.root().to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(code, 1);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["modules_checked"], 2);
    assert_eq!(v["ok"], false);
    let errors = v["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 2);
    assert_eq!(errors[0]["module"], "Fmt");
    assert_eq!(errors[0]["file"], "manifest.json");
    assert_eq!(
        errors[0]["message"],
        "`category` could not contain value 'Firewall'"
    );
    assert_eq!(errors[0]["severity"], "error");
    assert_eq!(errors[1]["rule"], "json-format");
    assert_eq!(errors[1]["severity"], "warning");
    assert_eq!(errors[1]["fix"], "Format as json.dumps(obj, indent=2)");
}

#[test]
fn warnings_for_platform_checks_and_strict() {
    let lib = library();
    lib.write(
        "Mod/action_search.json",
        dumps(&action("Mod", "Search", "search")) + "\n",
    );
    lib.edit("Fmt/manifest.json", |m| {
        m.insert("version".into(), json!("1.0.1"));
    });
    let log = std::fs::read_to_string(lib.module("Mod/CHANGELOG.md")).unwrap();
    lib.write("Fmt/CHANGELOG.md", log);
    let root = lib.root().to_str().unwrap();
    let (code, out, _) = run(&["--library", root]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(
        out,
        "🔎 2 module(s) found\n\
warning: Fmt:manifest.json:`version` 1.0.1 is not the newest CHANGELOG.md entry (1.1.0)\n\
warning: Mod:action_search.json:JSON is not formatted as json.dumps(obj, indent=2) without a final newline\n\
(1 warning(s) can be repaired with `--fix`)\n✅  No errors found!\n"
    );
    let (code, out, _) = run(&["--library", root, "--strict"]);
    assert_eq!(code, 1);
    assert!(
        out.contains("\nFmt:manifest.json:`version` 1.0.1 is not the newest")
            && out.ends_with("❌  Found errors\n")
    );
}

#[test]
fn fix_repairs_formatting_and_uuids_and_reports_it() {
    let lib = library();
    let pretty = serde_json::to_string_pretty(&manifest("Fmt", "fmt")).unwrap() + "\n";
    lib.write("Fmt/manifest.json", &pretty);
    lib.edit("Mod/action_search.json", |m| {
        m.remove("uuid");
    });
    lib.edit("Mod/connector_events.json", |m| {
        m.insert("uuid".into(), json!(uid("stray")));
    });
    let root = lib.root().to_str().unwrap();
    let (code, out, _) = run(&["--library", root, "--fix"]);
    assert_eq!(code, 0, "{out}");
    let expected_head = "🔎 2 module(s) found\nFixing...\n";
    assert!(out.starts_with(expected_head), "{out}");
    assert!(out.contains("FIX Fmt/manifest.json:Format as json.dumps(obj, indent=2)\n"));
    assert!(out.contains("FIX Mod/action_search.json:Generate random UUID\n"));
    assert!(out.contains("FIX Mod/connector_events.json:Set the same UUID for trigger_events.json and connector_events.json\n"));
    assert!(out.ends_with("✅  No errors found!\n"));
    let fixed = std::fs::read_to_string(lib.module("Fmt/manifest.json")).unwrap();
    assert_eq!(fixed, dumps(&serde_json::from_str(&pretty).unwrap()));
    let connector: Value = serde_json::from_str(
        &std::fs::read_to_string(lib.module("Mod/connector_events.json")).unwrap(),
    )
    .unwrap();
    let trigger: Value = serde_json::from_str(
        &std::fs::read_to_string(lib.module("Mod/trigger_events.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(connector["uuid"], trigger["uuid"]);
    let action: Value = serde_json::from_str(
        &std::fs::read_to_string(lib.module("Mod/action_search.json")).unwrap(),
    )
    .unwrap();
    assert!(uuid::Uuid::parse_str(action["uuid"].as_str().unwrap()).is_ok());
    // a second run has nothing left to do
    let (code, out, _) = run(&["--library", root, "--fix"]);
    assert_eq!(
        (code, out.as_str()),
        (0, "🔎 2 module(s) found\n✅  No errors found!\n")
    );
}

#[test]
fn check_module_api_for_other_commands() {
    use sekoia_wizard::core::compliance::{check_module, Severity};
    let lib = library();
    assert_eq!(check_module(&lib.module("Mod")), vec![]);
    lib.remove("Mod/Dockerfile");
    let errors = check_module(&lib.module("Mod"));
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].line(), "Mod:Dockerfile:Dockerfile is missing");
    assert_eq!(errors[0].severity, Severity::Error);
}

#[test]
fn complianceignore_applies_to_module_directories_too() {
    let lib = library();
    lib.write("Mod/main.py", "");
    lib.write(".complianceignore", "# list\nMod/main.py\n");
    let out = Command::new(env!("CARGO_BIN_EXE_sekoia-wizard"))
        .args(["check", "Mod"])
        .current_dir(lib.root())
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "🔎 1 module(s) found\n✅  No errors found!\n"
    );
    let out = Command::new(env!("CARGO_BIN_EXE_sekoia-wizard"))
        .arg("check")
        .current_dir(lib.module("Mod"))
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "🔎 1 module(s) found\n✅  No errors found!\n"
    );
    lib.write(".complianceignore", "");
    let out = Command::new(env!("CARGO_BIN_EXE_sekoia-wizard"))
        .args(["check", "./Mod/"])
        .current_dir(lib.root())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout)
        .contains("Mod:main.py:Docker parameter `search` is not registered in main.py"));
}
