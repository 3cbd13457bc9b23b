//! `sekoia-wizard new`: golden comparison with the real SDK's `new-module`, names the SDK breaks on,
//! and the generated module's own tests under the real SDK.

use crate::common;

use std::fs;
use std::path::Path;

use common::{files_under, fixtures, python, run_ok, wizard};
use sekoia_wizard::core::pyjson;

/// The SDK output with the README's deliberate fixes applied, file by file.
fn expected_with_fixes(rel: &str, bytes: Vec<u8>) -> Vec<u8> {
    let text = String::from_utf8(bytes).unwrap();
    match rel {
        // Fixes: categories filled (Generic), slug valid, configuration generated from the model,
        // written as json.dumps(indent=2) (no final newline).
        "manifest.json" => {
            let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
            v["categories"] = serde_json::json!(["Generic"]);
            // The configuration is the schema of the configuration model, as `sync` (and the SDK's
            // generate-files-from-code) writes it, instead of the template's placeholder.
            let prefix = sekoia_wizard::core::naming::derive(v["name"].as_str().unwrap()).unwrap().configuration_class();
            v["configuration"] = serde_json::json!({"properties": {}, "title": prefix, "type": "object"});
            let slug = v["slug"].as_str().unwrap().to_string();
            if slug == "ümlaut-straße" {
                v["slug"] = "umlaut-strasse".into();
            }
            pyjson::dumps(&v).into_bytes()
        }
        // Fix: the dev dependencies in a table uv reads; a PEP 508 project name.
        "pyproject.toml" => text
            .replace(
                "[project.dependency-group.dev]\npytest = \"*\"\npytest-cov = \"*\"\nrequests = \"*\"\nrequests-mock = \"*\"\n",
                "[dependency-groups]\ndev = [\n    \"pytest\",\n    \"pytest-cov\",\n    \"requests\",\n    \"requests-mock\",\n]\n",
            )
            .replace("name = \"ümlaut_straße-automation-module\"", "name = \"umlaut_strasse-automation-module\"")
            .into_bytes(),
        // Fix: the Module's configuration annotation passes the library's mypy.
        rel if rel.ends_with("_modules/__init__.py") => {
            let mut out = String::new();
            for line in text.split_inclusive('\n') {
                match line.strip_suffix('\n') {
                    Some(l) if l.starts_with("    configuration: ") => {
                        out.push_str(&format!("{l}  # type: ignore[override]\n"))
                    }
                    _ => out.push_str(line),
                }
            }
            out.into_bytes()
        }
        _ => text.into_bytes(),
    }
}

#[test]
fn uv_output_matches_the_sdk_fixtures_except_listed_fixes() {
    for case in 1..=5 {
        let case_dir = fixtures().join(format!("new-module/case-{case}"));
        let read = |f: &str| {
            fs::read_to_string(case_dir.join(f))
                .unwrap()
                .trim_end_matches('\n')
                .to_string()
        };
        let out = tempfile::tempdir().unwrap();
        run_ok(wizard().arg("new").arg(out.path()).args([
            "--name",
            &read("name.txt"),
            "--description",
            &read("description.txt"),
            "--uuid",
            &read("uuid.txt"),
            "--packaging",
            "uv",
            "--no-lock",
        ]));
        let expected_root = fs::read_dir(case_dir.join("expected"))
            .unwrap()
            .next()
            .unwrap()
            .unwrap()
            .path();
        let dir_name = expected_root.file_name().unwrap();
        let ours = out.path().join(dir_name);
        assert!(
            ours.is_dir(),
            "case {case}: module directory {dir_name:?} was not created"
        );
        let expected_files = files_under(&expected_root);
        let mut our_files = files_under(&ours);
        // Deliberate additions: a .gitignore and a first test so that tests/ is not empty.
        our_files.retain(|f| f != ".gitignore" && f != "tests/test_module.py");
        assert_eq!(our_files, expected_files, "case {case}: file list");
        for rel in &expected_files {
            let expected = expected_with_fixes(rel, fs::read(expected_root.join(rel)).unwrap());
            let actual = fs::read(ours.join(rel)).unwrap();
            assert!(
                actual == expected,
                "case {case}: {rel} differs\n--- expected\n{}\n--- actual\n{}",
                String::from_utf8_lossy(&expected),
                String::from_utf8_lossy(&actual)
            );
        }
    }
}

#[test]
fn dry_run_writes_nothing_and_existing_targets_are_refused() {
    let out = tempfile::tempdir().unwrap();
    let text =
        run_ok(
            wizard()
                .arg("new")
                .arg(out.path())
                .args(["--name", "TestHTTP", "--dry-run"]),
        );
    assert!(text.contains("+ manifest.json"), "{text}");
    assert_eq!(fs::read_dir(out.path()).unwrap().count(), 0);

    fs::create_dir(out.path().join("TestHTTP")).unwrap();
    fs::write(out.path().join("TestHTTP/keep.txt"), "mine").unwrap();
    let refused = wizard()
        .arg("new")
        .arg(out.path())
        .args(["--name", "TestHTTP", "--no-lock"])
        .output()
        .unwrap();
    assert!(!refused.status.success());
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(
        err.contains("already exists and is not empty") && err.contains("--force"),
        "{err}"
    );
    assert!(!out.path().join("TestHTTP/manifest.json").exists());

    run_ok(wizard().arg("new").arg(out.path()).args([
        "--name",
        "TestHTTP",
        "--force",
        "--no-lock",
    ]));
    assert_eq!(
        fs::read_to_string(out.path().join("TestHTTP/keep.txt")).unwrap(),
        "mine"
    );
    assert!(out.path().join("TestHTTP/manifest.json").is_file());
}

#[test]
fn unknown_category_is_refused_with_the_list() {
    let out = tempfile::tempdir().unwrap();
    let res = wizard()
        .arg("new")
        .arg(out.path())
        .args(["--name", "X", "--category", "Security"])
        .output()
        .unwrap();
    assert!(!res.status.success());
    let err = String::from_utf8_lossy(&res.stderr);
    assert!(
        err.contains("unknown category `Security`") && err.contains("Threat Intelligence"),
        "{err}"
    );
    assert_eq!(fs::read_dir(out.path()).unwrap().count(), 0);
}

fn manifest(dir: &Path) -> serde_json::Value {
    serde_json::from_str(&fs::read_to_string(dir.join("manifest.json")).unwrap())
        .expect("manifest.json is valid JSON")
}

/// The compliance rules that apply to a module without components (library-notes §1.4).
fn assert_compliant_skeleton(dir: &Path) {
    let m = manifest(dir);
    let slug = m["slug"].as_str().unwrap();
    assert!(
        regex::Regex::new(r"^[a-z]([a-z_.\-]|\d)*$")
            .unwrap()
            .is_match(slug),
        "slug {slug}"
    );
    assert!(semver::Version::parse(m["version"].as_str().unwrap()).is_ok());
    assert!(!m["uuid"].as_str().unwrap().is_empty() && !m["name"].as_str().unwrap().is_empty());
    let cats = m["categories"].as_array().unwrap();
    assert!(!cats.is_empty());
    let changelog = fs::read_to_string(dir.join("CHANGELOG.md")).unwrap();
    assert!(changelog.starts_with("# Changelog\n") && changelog.contains("\n## Unreleased\n"));
    for f in ["Dockerfile", "main.py", "logo.svg", "pyproject.toml"] {
        assert!(dir.join(f).is_file(), "{f}");
    }
    assert!(files_under(&dir.join("tests"))
        .iter()
        .any(|f| f.starts_with("test_") && f.ends_with(".py")));
}

/// Every finding of `sekoia-wizard check` (errors and warnings), as `Module:file:message` lines.
fn check_lines(dir: &Path) -> Vec<String> {
    sekoia_wizard::core::compliance::check_module(dir)
        .iter()
        .map(|e| e.line())
        .collect()
}

#[test]
fn default_module_passes_every_compliance_rule() {
    let out = tempfile::tempdir().unwrap();
    let bin = out.path().join("bin");
    fs::create_dir(&bin).unwrap();
    fake_tool(&bin, "poetry", "echo locked > poetry.lock");
    let path = format!("{}:/usr/bin:/bin", bin.display());
    run_ok(
        wizard()
            .env("PATH", &path)
            .arg("new")
            .arg(out.path())
            .args(["--name", "With Poetry"]),
    );
    assert_eq!(
        check_lines(&out.path().join("WithPoetry")),
        Vec::<String>::new()
    );
    // Without poetry on PATH the lock file is the only thing missing (and the command says so).
    run_ok(
        wizard()
            .env("PATH", "/nonexistent")
            .arg("new")
            .arg(out.path())
            .args(["--name", "No Poetry"]),
    );
    assert_eq!(
        check_lines(&out.path().join("NoPoetry")),
        vec!["NoPoetry:pyproject.toml:poetry.lock is missing"]
    );
}

#[test]
fn default_module_is_compliant_and_its_tests_pass_with_the_real_sdk() {
    let out = tempfile::tempdir().unwrap();
    run_ok(wizard().arg("new").arg(out.path()).args([
        "--name",
        "TestHTTP",
        "--description",
        "A test module",
        "--no-lock",
    ]));
    let dir = out.path().join("TestHTTP");
    assert_compliant_skeleton(&dir);
    let pyproject = fs::read_to_string(dir.join("pyproject.toml")).unwrap();
    assert!(
        pyproject.contains("package-mode = false")
            && pyproject.contains("sekoia-automation-sdk = ")
    );
    let Some(py) = python() else { return };
    run_ok(
        std::process::Command::new(&py)
            .args(["-m", "pytest", "-q"])
            .current_dir(&dir),
    );
}

#[test]
fn hostile_names_give_importable_python_and_valid_json_or_a_clear_refusal() {
    let py = python();
    let long = "x".repeat(300);
    let names = [
        "My-module",
        "2fast",
        "class",
        "Ümlaut Straße",
        "a\"b",
        "X{{ 7*7 }}",
        long.as_str(),
        "../evil",
    ];
    for name in names {
        let parent = tempfile::tempdir().unwrap();
        let out = parent.path().join("out");
        fs::create_dir(&out).unwrap();
        let res = wizard()
            .arg("new")
            .arg(&out)
            .args(["--name", name, "--description", name, "--no-lock"])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&res.stderr).to_string();
        // Nothing ever lands outside the output directory.
        assert_eq!(
            fs::read_dir(parent.path()).unwrap().count(),
            1,
            "{name}: wrote outside OUTPUT_DIR"
        );
        if !res.status.success() {
            assert!(
                err.starts_with("error: ") && err.contains("hint: "),
                "{name}: unclear refusal: {err}"
            );
            assert_eq!(
                fs::read_dir(&out).unwrap().count(),
                0,
                "{name}: refused but wrote"
            );
            continue;
        }
        let dirs: Vec<_> = fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        assert_eq!(dirs.len(), 1, "{name}");
        let dir = &dirs[0];
        let m = manifest(dir);
        assert_eq!(
            m["name"], name,
            "{name}: the name is kept verbatim, never evaluated"
        );
        assert_eq!(m["description"], name);
        assert_compliant_skeleton(dir);
        let pyproject = fs::read_to_string(dir.join("pyproject.toml")).unwrap();
        pyproject
            .parse::<toml_edit::DocumentMut>()
            .unwrap_or_else(|e| panic!("{name}: invalid TOML: {e}"));
        if let Some(py) = &py {
            let main = fs::read_to_string(dir.join("main.py")).unwrap();
            let package = main
                .lines()
                .next()
                .unwrap()
                .split_whitespace()
                .nth(1)
                .unwrap()
                .to_string();
            run_ok(
                std::process::Command::new(py)
                    .args([
                        "-c",
                        &format!("import {package}; import ast; ast.parse(open('main.py').read())"),
                    ])
                    .current_dir(dir),
            );
        }
    }
}

#[test]
fn readme_answers_example_builds_a_working_module() {
    let readme = fs::read_to_string(common::root().join("README.md")).unwrap();
    let start = readme
        .find("```toml\n")
        .expect("README has a TOML answers example")
        + "```toml\n".len();
    let example = &readme[start..start + readme[start..].find("```").unwrap()];
    let out = tempfile::tempdir().unwrap();
    let answers = out.path().join("answers.toml");
    fs::write(&answers, example).unwrap();
    // Its `[openapi]` names a spec beside the answers file.
    fs::copy(
        common::root().join("tests/fixtures/openapi/petstore-swagger2.json"),
        out.path().join("petstore.json"),
    )
    .unwrap();
    run_ok(
        wizard()
            .arg("new")
            .arg(out.path())
            .arg("--answers")
            .arg(&answers)
            .arg("--no-lock"),
    );
    let dir = out.path().join("TestHTTP");
    assert_eq!(manifest(&dir)["categories"], serde_json::json!(["Network"]));
    for f in [
        "testhttp_modules/action_request.py",
        "testhttp_modules/trigger_new_entries.py",
        "tests/test_action_request.py",
        "action_find_a_pet_by_id.json",
        "action_returns_pet_inventories_by_status.json",
        "testhttp_modules/openapi_pet_store.py",
    ] {
        assert!(dir.join(f).is_file(), "{f}");
    }
    assert!(fs::read_to_string(dir.join("pyproject.toml"))
        .unwrap()
        .contains("\nrequests = \"*\"\n"));
    let Some(py) = python() else { return };
    run_ok(
        std::process::Command::new(&py)
            .args(["-m", "pytest", "-q"])
            .current_dir(&dir),
    );
}

/// A stand-in `poetry` / `uv` on PATH that records where it ran and writes the lock file, or fails.
fn fake_tool(bin: &Path, name: &str, body: &str) {
    use std::os::unix::fs::PermissionsExt;
    let path = bin.join(name);
    fs::write(
        &path,
        format!("#!/bin/sh\necho \"$@\" > \"$PWD/{name}.args\"\n{body}\n"),
    )
    .unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).unwrap();
}

#[test]
fn lock_step_runs_the_tool_on_path_and_never_fails_the_command() {
    let out = tempfile::tempdir().unwrap();
    let bin = out.path().join("bin");
    fs::create_dir(&bin).unwrap();
    fake_tool(&bin, "poetry", "echo locked > poetry.lock");
    fake_tool(&bin, "uv", "echo 'network down' >&2; exit 3");
    let path = format!("{}:/usr/bin:/bin", bin.display());
    let modules = out.path().join("modules");
    let text = run_ok(
        wizard()
            .env("PATH", &path)
            .arg("new")
            .arg(&modules)
            .args(["--name", "Locked"]),
    );
    assert!(text.contains("poetry lock"), "{text}");
    assert_eq!(
        fs::read_to_string(modules.join("Locked/poetry.args"))
            .unwrap()
            .trim(),
        "lock"
    );
    assert!(modules.join("Locked/poetry.lock").is_file());

    let text = run_ok(wizard().env("PATH", &path).arg("new").arg(&modules).args([
        "--name",
        "Unlocked",
        "--packaging",
        "uv",
    ]));
    assert!(
        text.contains("`uv lock` failed") && text.contains("the module is written"),
        "{text}"
    );
    assert!(modules.join("Unlocked/manifest.json").is_file());

    let text = run_ok(
        wizard()
            .env("PATH", "/nonexistent")
            .arg("new")
            .arg(&modules)
            .args(["--name", "NoTool"]),
    );
    assert!(
        text.contains("poetry is not installed") && text.contains("poetry lock"),
        "{text}"
    );
}

/// Issue 15 (7): `new --force` over an existing module wiped its configuration fields, drew a new
/// uuid and overwrote CHANGELOG.md. It now writes only what is missing and keeps the uuid;
/// `--overwrite` replaces the generated files, still under the same uuid.
#[test]
fn force_over_an_existing_module_keeps_its_files_and_uuid() {
    let out = tempfile::tempdir().unwrap();
    run_ok(
        wizard()
            .arg("new")
            .arg(out.path())
            .args(["--name", "Keep", "--no-lock"]),
    );
    let dir = out.path().join("Keep");
    run_ok(wizard().current_dir(&dir).args([
        "add",
        "config",
        "--arg",
        "api_key:str,required,secret",
    ]));
    fs::write(
        dir.join("CHANGELOG.md"),
        fs::read_to_string(dir.join("CHANGELOG.md")).unwrap() + "\n- my note\n",
    )
    .unwrap();
    fs::remove_file(dir.join("Dockerfile")).unwrap();
    let read = |f: &str| fs::read_to_string(dir.join(f)).unwrap();
    let (manifest, changelog, models) = (
        read("manifest.json"),
        read("CHANGELOG.md"),
        read("keep_modules/models.py"),
    );

    let text = run_ok(wizard().arg("new").arg(out.path()).args([
        "--name",
        "Keep",
        "--force",
        "--no-lock",
    ]));
    assert!(text.contains("kept the existing CHANGELOG.md"), "{text}");
    assert_eq!(read("manifest.json"), manifest);
    assert_eq!(read("CHANGELOG.md"), changelog);
    assert_eq!(read("keep_modules/models.py"), models);
    assert!(
        dir.join("Dockerfile").is_file(),
        "a missing file is written"
    );

    run_ok(wizard().arg("new").arg(out.path()).args([
        "--name",
        "Keep",
        "--force",
        "--overwrite",
        "--no-lock",
    ]));
    let uuid =
        |text: &str| serde_json::from_str::<serde_json::Value>(text).unwrap()["uuid"].clone();
    assert_eq!(uuid(&read("manifest.json")), uuid(&manifest));
    assert!(!read("CHANGELOG.md").contains("my note"));
}
