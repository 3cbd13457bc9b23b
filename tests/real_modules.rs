//! Modules written by hand, in the styles of the automation-library (`tests/fixtures/real-styles`,
//! synthetic): `add` is purely additive, `sync` is surgical and idempotent, `check` keeps its
//! verdict, and the module is read as it is (every registration, JSONs matched by
//! docker_parameters) from any folder inside it.

use crate::common;

use common::{copy_dir, snapshot};

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::{fixtures, run_ok, wizard};

/// Each fixture module and its Python package. `acmecloud` builds on its sibling `acme` through a
/// Poetry path dependency.
const STYLES: [&str; 3] = ["acme", "whois", "acmecloud"];

fn package_of(style: &str) -> String {
    match style {
        "acmecloud" => "acmecloud".into(),
        other => format!("{other}_modules"),
    }
}

/// A scratch copy of the fixture modules (side by side, as in the library); the path of `style`.
fn copy_of(style: &str) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&fixtures().join("real-styles"), tmp.path());
    let dst = tmp.path().join(style);
    (tmp, dst)
}

/// The lines of `after` that are not in `before`, asserting that every line of `before` is still
/// there, in order (nothing removed or changed).
fn added_lines(before: &str, after: &str) -> Vec<String> {
    let mut old = before.lines().peekable();
    let mut added = Vec::new();
    for line in after.lines() {
        if old.peek() == Some(&line) {
            old.next();
        } else {
            added.push(line.to_string());
        }
    }
    assert!(
        old.peek().is_none(),
        "lines were removed or changed, first: {:?}\n--- before\n{before}\n--- after\n{after}",
        old.peek()
    );
    added
}

fn check_output(dir: &Path) -> String {
    let out = wizard().arg("check").arg(dir).output().unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn sync(dir: &Path, extra: &[&str]) -> (bool, String) {
    let out = wizard().arg("sync").arg(dir).args(extra).output().unwrap();
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

#[test]
fn add_of_every_kind_is_purely_additive() {
    for style in STYLES {
        for kind in ["action", "trigger", "connector"] {
            let (_tmp, dir) = copy_of(style);
            let before = snapshot(&dir);
            let verdict = check_output(&dir);
            let mut cmd = wizard();
            cmd.current_dir(&dir).args([
                "add",
                kind,
                "--name",
                "Probe lookup",
                "--arg",
                "target:str,required",
                "--dep",
                "pyyaml",
                "--no-lock",
            ]);
            if kind != "connector" {
                cmd.args(["--result", "found:bool"]);
            }
            run_ok(&mut cmd);
            let after = snapshot(&dir);
            let package = package_of(style);
            let mut expected_new = vec![
                format!("{kind}_probe_lookup.json"),
                format!("{package}/{kind}_probe_lookup.py"),
                format!("tests/test_{kind}_probe_lookup.py"),
            ];
            expected_new.sort();
            let new: Vec<String> = after
                .keys()
                .filter(|f| !before.contains_key(*f))
                .cloned()
                .collect();
            assert_eq!(new, expected_new, "{style} {kind}: new files");
            for (file, bytes) in &before {
                let now = &after[file];
                if file == "main.py" || file == "pyproject.toml" {
                    continue;
                }
                assert!(now == bytes, "{style} {kind}: {file} changed");
            }
            let text =
                |m: &BTreeMap<String, Vec<u8>>, f: &str| String::from_utf8(m[f].clone()).unwrap();
            let main_added = added_lines(&text(&before, "main.py"), &text(&after, "main.py"));
            assert_eq!(
                main_added,
                [
                    format!("from {package}.{kind}_probe_lookup import ProbeLookup"),
                    "    module.register(ProbeLookup, \"ProbeLookup\")".to_string()
                ],
                "{style} {kind}: main.py"
            );
            let deps_added = added_lines(
                &text(&before, "pyproject.toml"),
                &text(&after, "pyproject.toml"),
            );
            assert_eq!(deps_added.len(), 1, "{style} {kind}: {deps_added:?}");
            assert!(deps_added[0].starts_with("pyyaml"), "{deps_added:?}");
            // The new JSON is registered under the name main.py uses.
            let json: serde_json::Value =
                serde_json::from_slice(&after[&format!("{kind}_probe_lookup.json")]).unwrap();
            assert_eq!(json["docker_parameters"], "ProbeLookup");
            assert_eq!(check_output(&dir), verdict, "{style} {kind}: check verdict");
            // sync right after add changes nothing, and sync --check is clean.
            let (ok, out) = sync(&dir, &[]);
            assert!(ok, "{out}");
            assert_eq!(
                snapshot(&dir),
                after,
                "{style} {kind}: sync after add changed files:\n{out}"
            );
            let (ok, out) = sync(&dir, &["--check"]);
            assert!(ok, "{style} {kind}: sync --check after add:\n{out}");
        }
    }
}

#[test]
fn add_with_a_chosen_docker_parameters_and_a_long_name_laid_out_as_black() {
    let (_tmp, dir) = copy_of("acme");
    // Too long for one line at 119 columns, short enough for black's second form.
    let long = format!("acme_{}", "probe_".repeat(15));
    run_ok(wizard().current_dir(&dir).args([
        "add",
        "action",
        "--name",
        "Probe",
        "--docker-parameters",
        &long,
    ]));
    let main = std::fs::read_to_string(dir.join("main.py")).unwrap();
    assert!(
        main.contains(&format!(
            "    module.register(GetUserAction, \"acme_get_user\")\n    module.register(\n        Probe, \"{long}\"\n    )\n    module.run()\n"
        )),
        "{main}"
    );
    // isort's place among the package's imports.
    assert!(main.contains(
        "from acme_modules.account_validator import AcmeAccountValidator\nfrom acme_modules.action_probe import Probe\nfrom acme_modules.actions.get_user import GetUserAction\n"
    ), "{main}");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("action_probe.json")).unwrap())
            .unwrap();
    assert_eq!(json["docker_parameters"], long.as_str());
    // Longer still: one argument a line, as black writes it.
    let longer = format!("acme_{}", "probe_".repeat(25));
    run_ok(wizard().current_dir(&dir).args([
        "add",
        "action",
        "--name",
        "Probe again",
        "--docker-parameters",
        &longer,
    ]));
    if let Some(python) = common::python() {
        run_ok(
            std::process::Command::new(python)
                .current_dir(&dir)
                .args(["-m", "black", "--check", "--diff", "-l", "119", "main.py"]),
        );
    }
    // The same name again is refused, naming where it is used.
    let out = wizard()
        .current_dir(&dir)
        .args([
            "add",
            "action",
            "--name",
            "Other",
            "--docker-parameters",
            "acme_get_user",
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("registered as `acme_get_user` (main.py:"),
        "{err}"
    );
}

#[test]
fn add_works_from_inside_the_module() {
    let (_tmp, dir) = copy_of("whois");
    run_ok(
        wizard()
            .current_dir(dir.join("tests"))
            .args(["add", "action", "--name", "Probe"]),
    );
    assert!(dir.join("action_probe.json").is_file());
    assert!(!dir.join("tests/action_probe.json").exists());
    let (ok, out) = sync(&dir.join("whois_modules"), &["--check"]);
    assert!(ok, "{out}");
    // check and release too.
    let out = run_ok(wizard().current_dir(dir.join("tests")).arg("check"));
    assert!(
        out.contains("1 module(s) found") && out.contains("No errors found"),
        "{out}"
    );
    run_ok(wizard().current_dir(dir.join("whois_modules")).args([
        "release",
        "patch",
        "--date",
        "2026-01-02",
    ]));
    let manifest = std::fs::read_to_string(dir.join("manifest.json")).unwrap();
    assert!(manifest.contains("\"version\": \"1.3.1\""), "{manifest}");
}

#[test]
fn add_config_edits_only_the_matching_properties() {
    let (_tmp, dir) = copy_of("acme");
    let before = snapshot(&dir);
    run_ok(wizard().current_dir(&dir).args([
        "add",
        "config",
        "--arg",
        "region:str,default=eu,desc=Where the tenant lives",
        "--arg",
        "token:str,required,secret",
    ]));
    let after = snapshot(&dir);
    let changed: Vec<&String> = after
        .keys()
        .filter(|f| before.get(*f) != after.get(*f))
        .collect();
    assert_eq!(changed, ["acme_modules/models.py", "manifest.json"]);
    let manifest = String::from_utf8(after["manifest.json"].clone()).unwrap();
    let old = String::from_utf8(before["manifest.json"].clone()).unwrap();
    // Every old line is kept (a comma may be added after the last property and list entry).
    let added = added_lines(
        &old.replace("\"\n", "\",\n"),
        &manifest.replace("\"\n", "\",\n"),
    );
    assert!(
        added.iter().all(|l| l.contains("region")
            || l.contains("token")
            || l.contains("Where the tenant")
            || l.contains("\"type\": \"string\"")
            || l.contains("\"default\": \"eu\"")
            || l.trim() == "},"
            || l.trim() == "}"),
        "{added:?}\n{manifest}"
    );
    let value: serde_json::Value = serde_json::from_str(&manifest).unwrap();
    assert_eq!(
        value["configuration"]["required"],
        serde_json::json!(["base_url", "api_key", "token"])
    );
    assert_eq!(
        value["configuration"]["secrets"],
        serde_json::json!(["api_key", "token"])
    );
    assert_eq!(
        value["configuration"]["properties"]["base_url"]["format"],
        "uri"
    );
    assert!(value["configuration"]["properties"]["token"]
        .get("title")
        .is_none());
    let (ok, out) = sync(&dir, &["--check"]);
    assert!(ok, "{out}");
}

#[test]
fn sync_reports_drift_per_field_and_keeps_what_people_wrote() {
    let (_tmp, dir) = copy_of("acme");
    let file = dir.join("connector_pull_system_logs.json");
    let mut json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let props = json["arguments"]["properties"].as_object_mut().unwrap();
    props.remove("chunk_size");
    props["frequency"]["default"] = 30.into();
    props.insert("legacy".into(), serde_json::json!({"type": "string"}));
    std::fs::write(&file, serde_json::to_string_pretty(&json).unwrap()).unwrap();
    let before = snapshot(&dir);

    let (ok, out) = sync(&dir, &["--check"]);
    assert!(!ok);
    for line in [
        "acme:connector_pull_system_logs.json:arguments.frequency: default: the code says 60, the JSON 30",
        "acme:connector_pull_system_logs.json:arguments.chunk_size: in the code, not in the JSON",
        "note: acme:connector_pull_system_logs.json:arguments.legacy: in the JSON, not in the code",
        "note: acme:action_get_user.json:arguments.timeout: in the JSON, not in the code",
    ] {
        assert!(out.lines().any(|l| l == line), "missing {line:?} in\n{out}");
    }
    assert_eq!(snapshot(&dir), before, "--check writes nothing");

    let (ok, out) = sync(&dir, &[]);
    assert!(ok, "{out}");
    let after = snapshot(&dir);
    let changed: Vec<&String> = after.keys().filter(|f| before[*f] != after[*f]).collect();
    assert_eq!(changed, ["connector_pull_system_logs.json"]);
    let value: serde_json::Value =
        serde_json::from_slice(&after["connector_pull_system_logs.json"]).unwrap();
    let args = &value["arguments"];
    assert_eq!(args["$schema"], "http://json-schema.org/draft-07/schema#");
    assert_eq!(args["properties"]["frequency"]["default"], 60);
    assert_eq!(
        args["properties"]["frequency"]["description"],
        "Batch frequency in seconds"
    );
    assert_eq!(
        args["properties"]["chunk_size"],
        serde_json::json!({"default": 1000, "type": "integer"})
    );
    assert_eq!(
        args["properties"]["legacy"]["type"], "string",
        "kept without --prune"
    );
    let keys: Vec<&String> = value.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "description",
            "docker_parameters",
            "name",
            "arguments",
            "results",
            "uuid",
            "slug"
        ]
    );
    // Twice is a no-op; --check is clean.
    let (ok, _) = sync(&dir, &[]);
    assert!(ok);
    assert_eq!(snapshot(&dir), after);
    let (ok, out) = sync(&dir, &["--check"]);
    assert!(ok, "{out}");
    // --prune removes what only the JSON has.
    let (ok, out) = sync(&dir, &["--prune"]);
    assert!(ok, "{out}");
    let value: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert!(value["arguments"]["properties"].get("legacy").is_none());
    let action: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("action_get_user.json")).unwrap())
            .unwrap();
    assert!(action["arguments"]["properties"].get("timeout").is_none());
}

#[test]
fn sync_on_an_untouched_hand_module_changes_nothing_and_keeps_formatting() {
    for style in STYLES {
        let (_tmp, dir) = copy_of(style);
        let before = snapshot(&dir);
        let (ok, out) = sync(&dir, &[]);
        assert!(ok, "{out}");
        assert_eq!(snapshot(&dir), before, "{style}: {out}");
        let (ok, out) = sync(&dir, &["--check"]);
        assert!(ok, "{style}: {out}");
    }
    // A file with a final newline and 4-space indent keeps both when sync rewrites it.
    let (_tmp, dir) = copy_of("acme");
    let file = dir.join("connector_acme_user_assets.json");
    let mut json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    json["arguments"]["required"] = serde_json::json!([]);
    let mut bytes = Vec::new();
    let mut ser = serde_json::Serializer::with_formatter(
        &mut bytes,
        serde_json::ser::PrettyFormatter::with_indent(b"    "),
    );
    serde::Serialize::serialize(&json, &mut ser).unwrap();
    let text = String::from_utf8(bytes).unwrap() + "\n";
    std::fs::write(&file, &text).unwrap();
    // sync restores `required` (the SDK's asset connector configuration needs both) and writes the
    // file back in its own style: 4-space indent, final newline.
    let (ok, out) = sync(&dir, &[]);
    assert!(ok, "{out}");
    let written = std::fs::read_to_string(&file).unwrap();
    assert!(written.ends_with("}\n"), "{written}");
    assert!(
        written.contains("\n    \"arguments\": {\n        \"$schema\""),
        "{written}"
    );
    let value: serde_json::Value = serde_json::from_str(&written).unwrap();
    assert_eq!(
        value["arguments"]["required"],
        serde_json::json!(["sekoia_base_url", "sekoia_api_key"])
    );
    json["arguments"]["required"] = value["arguments"]["required"].clone();
    assert_eq!(value, json, "nothing else changed");
}

#[test]
fn the_module_is_read_as_it_is() {
    use sekoia_wizard::core::sync::{read_module, ModuleStyle, SourceTree};
    let acme = read_module(&SourceTree::from_disk(fixtures().join("real-styles/acme"))).unwrap();
    assert_eq!(acme.style, ModuleStyle::Hand);
    assert_eq!(acme.module_class.as_deref(), Some("AcmeModule"));
    assert_eq!(
        acme.configuration,
        Some((
            "AcmeModuleConfiguration".into(),
            "acme_modules/models.py".into()
        ))
    );
    let registered: Vec<(String, Vec<String>)> = acme
        .registered
        .iter()
        .map(|c| (c.docker_parameters.clone(), c.json_files.clone()))
        .collect();
    assert_eq!(
        registered,
        [
            (
                "user_acme_asset_connector".to_string(),
                vec!["connector_acme_user_assets.json".to_string()]
            ),
            (
                "acme_system_logs".to_string(),
                vec![
                    "connector_pull_system_logs.json".to_string(),
                    "trigger_pull_system_logs.json".to_string()
                ]
            ),
            (
                "acme_get_user".to_string(),
                vec!["action_get_user.json".to_string()]
            ),
        ]
    );
    let whois = read_module(&SourceTree::from_disk(fixtures().join("real-styles/whois"))).unwrap();
    assert_eq!(whois.module_class, None);
    assert_eq!(whois.package, "whois_modules");
    assert_eq!(
        whois
            .registered
            .iter()
            .map(|c| c.name.as_str())
            .collect::<Vec<_>>(),
        ["Lookup", "Domain history"]
    );
}

#[test]
fn the_wizard_home_lists_every_component_with_its_json_names() {
    let summary =
        sekoia_wizard::tui::existing::read_module_summary(&fixtures().join("real-styles/acme"))
            .unwrap();
    let lines: Vec<String> = summary
        .components
        .iter()
        .map(|c| format!("{} {} {}", c.kind, c.name, c.json_files.join(",")))
        .collect();
    assert_eq!(
        lines,
        [
            "connector Acme Users connector_acme_user_assets.json",
            "connector Fetch new audit logs from Acme connector_pull_system_logs.json,trigger_pull_system_logs.json",
            "action Get user action_get_user.json",
        ]
    );
    assert_eq!(summary.note, None);
    // Started in the module's tests/ folder, the wizard opens that module.
    let flow =
        sekoia_wizard::tui::flow_for(None, &fixtures().join("real-styles/acme/tests")).unwrap();
    assert!(
        matches!(flow, sekoia_wizard::tui::app::Flow::Existing { .. }),
        "{flow:?}"
    );
}

#[test]
fn added_components_pass_their_tests_with_the_real_sdk() {
    let Some(python) = common::python() else {
        return;
    };
    for style in STYLES {
        let (_tmp, dir) = copy_of(style);
        run_ok(wizard().current_dir(&dir).args([
            "add",
            "action",
            "--name",
            "Probe lookup",
            "--arg",
            "target:str,required",
            "--result",
            "found:bool",
        ]));
        // The sibling a path dependency names is importable, as `poetry install` makes it.
        run_ok(
            std::process::Command::new(&python)
                .current_dir(&dir)
                .env("PYTHONPATH", dir.parent().unwrap().join("acme"))
                .args(["-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"]),
        );
    }
}
