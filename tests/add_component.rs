//! `sekoia-wizard add`: generated code, tests that pass under the real SDK, in-place edits that keep
//! hand-written code, and refusals that write nothing.

use crate::common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{python, run_ok, wizard};

const MODULE_UUID: &str = "408ed2ef-65af-4d61-ba9a-5c26c6b7f777";

/// A fresh TestHTTP module (Poetry, the default) in a temporary directory.
fn new_module(parent: &Path) -> PathBuf {
    run_ok(wizard().arg("new").arg(parent).args([
        "--name",
        "TestHTTP",
        "--description",
        "My test HTTP module",
        "--uuid",
        MODULE_UUID,
        "--no-lock",
    ]));
    parent.join("TestHTTP")
}

fn add(module: &Path, args: &[&str]) -> String {
    run_ok(
        wizard()
            .arg("add")
            .args(args)
            .arg("--module")
            .arg(module)
            .arg("--no-lock"),
    )
}

/// The guide's TestHTTP module, built only with `new` + `add`.
pub fn build_guide_module(parent: &Path) -> PathBuf {
    let module = new_module(parent);
    add(
        &module,
        &[
            "config",
            "--arg",
            "api_key:str,required,secret,desc=API Key",
        ],
    );
    add(
        &module,
        &[
            "action",
            "--name",
            "Request",
            "--arg",
            "url:url,required",
            "--arg",
            "headers:dict",
            "--arg",
            "method:enum(get|post|put|patch|delete),required",
            "--result",
            "status_code:int,required",
            "--result",
            "headers:dict,required",
            "--result",
            "text:str,required",
            "--dep",
            "requests",
        ],
    );
    add(
        &module,
        &[
            "connector",
            "--name",
            "TesthttpConnector",
            "--arg",
            "polling_interval:int,default=5,desc=Polling interval in minutes",
        ],
    );
    let answers = parent.join("trigger.toml");
    fs::write(
        &answers,
        r#"[[components]]
kind = "trigger"
name = "NewEntriesTrigger"
arguments = [{ name = "url", type = "url", required = true }]

[[components.results]]
name = "entries"
type = "list[object]"
required = true
fields = [
  { name = "id", type = "int", required = true },
  { name = "value", type = "str", required = true },
  { name = "timestamp", type = "int", required = true },
]
"#,
    )
    .unwrap();
    run_ok(
        wizard()
            .arg("add")
            .arg("--answers")
            .arg(&answers)
            .arg("--module")
            .arg(&module),
    );
    module
}

/// pytest and black (line length 119) in the module, with the real SDK.
fn assert_python_checks_pass(module: &Path, py: &Path) {
    run_ok(
        Command::new(py)
            .args(["-m", "pytest", "-q"])
            .current_dir(module),
    );
    run_ok(
        Command::new(py)
            .args(["-m", "black", "--check", "-l", "119", "."])
            .current_dir(module),
    );
}

#[test]
fn guide_module_code_is_black_clean_and_its_tests_pass() {
    let dir = tempfile::tempdir().unwrap();
    let module = build_guide_module(dir.path());
    let action = fs::read_to_string(module.join("testhttp_modules/action_request.py")).unwrap();
    assert!(action.contains("class RequestArguments(BaseModel):\n    url: HttpUrl\n    headers: dict | None = None\n    method: Literal[\"get\", \"post\", \"put\", \"patch\", \"delete\"]\n"));
    assert!(action.contains("    results_model = RequestResults\n"));
    let models = fs::read_to_string(module.join("testhttp_modules/models.py")).unwrap();
    assert!(models.contains(
        "api_key: str = Field(..., description=\"API Key\", json_schema_extra={\"secret\": True})"
    ));
    let pyproject = fs::read_to_string(module.join("pyproject.toml")).unwrap();
    assert!(pyproject.contains("\nrequests = \"*\"\n"));
    for test in [
        "test_action_request.py",
        "test_connector_testhttp.py",
        "test_trigger_new_entries.py",
    ] {
        assert!(module.join("tests").join(test).is_file(), "{test}");
    }
    // Compliant, manifests in sync with the code; only the lock file needs poetry.
    fs::write(module.join("poetry.lock"), "").unwrap();
    let findings: Vec<String> = sekoia_wizard::core::compliance::check_module(&module)
        .iter()
        .map(|e| e.line())
        .collect();
    assert_eq!(findings, Vec::<String>::new());
    let Some(py) = python() else { return };
    assert_python_checks_pass(&module, &py);
}

#[test]
fn every_field_type_and_option_gives_working_code() {
    let dir = tempfile::tempdir().unwrap();
    let module = new_module(dir.path());
    let fields = [
        "name:str,required,desc=The name, with a comma",
        "count:int,default=3",
        "ratio:float,default=0.5",
        "enabled:bool,default=true",
        "endpoint:url,default=https://api.example.com",
        "since:datetime",
        "extra:dict",
        "tags:list[str],default=a|b",
        "ids:list[int]",
        "mode:enum(fast|slow),default=slow",
        "token:str,secret",
    ];
    let mut action = vec![
        "action",
        "--name",
        "Get every thing",
        "--description",
        "Does \"everything\"",
    ];
    for f in &fields {
        action.extend(["--arg", f]);
    }
    for f in [
        "answer:str,required",
        "score:float",
        "seen:datetime,required",
        "link:url,required",
    ] {
        action.extend(["--result", f]);
    }
    add(&module, &action);
    let mut trigger = vec!["trigger", "--name", "Watcher"];
    for f in &fields {
        trigger.extend(["--arg", f]);
    }
    trigger.extend(["--result", "count:int,required", "--result", "label:str"]);
    add(&module, &trigger);
    let mut connector = vec!["connector", "--name", "Collector"];
    for f in &fields {
        connector.extend(["--arg", f]);
    }
    add(&module, &connector);
    let mut config = vec!["config"];
    for f in &fields {
        config.extend(["--arg", f]);
    }
    add(&module, &config);
    let source =
        fs::read_to_string(module.join("testhttp_modules/action_get_every_thing.py")).unwrap();
    assert!(
        source
            .contains("    name = \"Get every thing\"\n    description = 'Does \"everything\"'\n"),
        "{source}"
    );
    let Some(py) = python() else { return };
    assert_python_checks_pass(&module, &py);
}

#[test]
fn hand_edits_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    let module = new_module(dir.path());
    let models = module.join("testhttp_modules/models.py");
    fs::write(
        &models,
        "# Configuration of the module.\nfrom pydantic import BaseModel, Field\n\n\nclass TesthttpModuleConfiguration(BaseModel):\n    # where the API lives\n    base_url: str = \"https://api.example.com\"  # keep me\n\n\ndef helper() -> int:\n    return 42\n",
    )
    .unwrap();
    let pyproject = module.join("pyproject.toml");
    let original = fs::read_to_string(&pyproject).unwrap();
    let edited = original.replace(
        "[tool.black]",
        "# my note\n[tool.mypy]\nstrict = true # yes\n\n[tool.black]",
    );
    fs::write(&pyproject, &edited).unwrap();

    let validator = module.join("testhttp_modules/validator.py");
    fs::write(
        &validator,
        "from sekoia_automation.account_validator import AccountValidator\n\n\nclass TesthttpValidator(AccountValidator):\n    def validate(self) -> bool:\n        return True\n",
    )
    .unwrap();
    let main_py = module.join("main.py");
    fs::write(
        &main_py,
        "import logging\n\nfrom testhttp_modules import TesthttpModule\nfrom testhttp_modules.validator import TesthttpValidator\n\n# set up logging first\nlogging.basicConfig(level=logging.INFO)\n\nif __name__ == \"__main__\":\n    module = TesthttpModule()\n    module.register_account_validator(TesthttpValidator)\n    module.run()\n",
    )
    .unwrap();

    add(&module, &["config", "--arg", "api_key:str,required,secret"]);
    add(
        &module,
        &["action", "--name", "Ping", "--dep", "requests>=2.31"],
    );
    let main_after = fs::read_to_string(&main_py).unwrap();
    for kept in [
        "import logging",
        "from testhttp_modules.validator import TesthttpValidator",
        "# set up logging first",
        "logging.basicConfig(level=logging.INFO)",
        "    module.register_account_validator(TesthttpValidator)",
        "    module.register(Ping, \"Ping\")",
    ] {
        assert!(
            main_after.lines().any(|l| l == kept),
            "main.py lost {kept:?}:\n{main_after}"
        );
    }
    add(&module, &["action", "--name", "Pong", "--dep", "requests"]); // already there: no change

    assert_eq!(
        fs::read_to_string(&models).unwrap(),
        "# Configuration of the module.\nfrom pydantic import BaseModel, Field\n\n\nclass TesthttpModuleConfiguration(BaseModel):\n    # where the API lives\n    base_url: str = \"https://api.example.com\"  # keep me\n    api_key: str = Field(..., json_schema_extra={\"secret\": True})\n\n\ndef helper() -> int:\n    return 42\n"
    );
    let after = fs::read_to_string(&pyproject).unwrap();
    assert_eq!(
        after,
        edited.replace(
            "sekoia-automation-sdk = \"^1.27.0\"\n",
            "sekoia-automation-sdk = \"^1.27.0\"\nrequests = \">=2.31\"\n"
        )
    );
}

#[test]
fn refusals_name_the_problem_and_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let module = new_module(dir.path());
    add(&module, &["action", "--name", "Request"]);
    let snapshot = common::files_under(&module);
    let cases: &[(&[&str], &str)] = &[
        (&["action", "--name", "Request"], "already has"),
        (
            &["trigger", "--name", "Request"],
            "already has a class Request",
        ),
        (
            &["action", "--name", "Other", "--arg", "url:uri"],
            "unknown type `uri`",
        ),
        (
            &["action", "--name", "Other", "--arg", "n:int,default=x"],
            "default `x` is not a whole number",
        ),
        (
            &[
                "action", "--name", "Other", "--arg", "a:str", "--arg", "a:int",
            ],
            "defined twice",
        ),
        (
            &["action", "--name", "Other", "--dep", "not valid!"],
            "not a PyPI requirement",
        ),
        (
            &["connector", "--name", "C", "--result", "x:str"],
            "connector has no results",
        ),
        (
            &["config", "--arg", "api_key:str", "--arg", "api_key:str"],
            "defined twice",
        ),
    ];
    for (args, expected) in cases {
        let out = wizard()
            .arg("add")
            .args(*args)
            .arg("--module")
            .arg(&module)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{args:?} should fail");
        assert!(
            err.contains(expected) && err.contains("hint: "),
            "{args:?}: {err}"
        );
        assert_eq!(
            common::files_under(&module),
            snapshot,
            "{args:?} wrote something"
        );
    }
    let out = wizard()
        .args(["add", "action", "--name", "X", "--module"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("has no manifest.json"));
}

/// The guide's JSON with our model class names (the guide names its models freely; `add` names them
/// after the component) and the category `new` fills in: everything else must be the same bytes.
fn guide_expected(file: &str) -> String {
    let text = fs::read_to_string(
        common::fixtures()
            .join("seed-testhttp/v2/expected")
            .join(file),
    )
    .unwrap();
    let text = text
        .replace("\"title\": \"Response\"", "\"title\": \"RequestResults\"")
        .replace(
            "\"title\": \"TriggerConfiguration\"",
            "\"title\": \"NewEntriesTriggerConfiguration\"",
        )
        .replace(
            "\"title\": \"NewEntries\"",
            "\"title\": \"NewEntriesTriggerResults\"",
        );
    if file == "manifest.json" {
        let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
        v["categories"] = serde_json::json!(["Generic"]);
        return sekoia_wizard::core::pyjson::dumps(&v);
    }
    text
}

#[test]
fn guide_module_manifests_equal_the_sdk_output() {
    let dir = tempfile::tempdir().unwrap();
    let module = build_guide_module(dir.path());
    for file in [
        "manifest.json",
        "action_request.json",
        "connector_testhttpconnector.json",
        "trigger_newentriestrigger.json",
    ] {
        let ours = fs::read_to_string(module.join(file)).unwrap();
        assert_eq!(ours, guide_expected(file), "{file}");
    }
    let main = fs::read_to_string(module.join("main.py")).unwrap();
    for line in [
        "from testhttp_modules.action_request import Request",
        "    module.register(Request, \"Request\")",
        "    module.register(NewEntriesTrigger, \"NewEntriesTrigger\")",
        "    module.register(TesthttpConnector, \"TesthttpConnector\")",
    ] {
        assert!(
            main.lines().any(|l| l == line),
            "main.py lacks {line:?}:\n{main}"
        );
    }
}

/// Every JSON file directly in `dir`, with its bytes.
fn json_files(dir: &Path) -> std::collections::BTreeMap<String, String> {
    fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.ends_with(".json"))
        .map(|n| (n.clone(), fs::read_to_string(dir.join(&n)).unwrap()))
        .collect()
}

fn sorted_lines(text: &str) -> Vec<String> {
    let mut lines: Vec<String> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(str::to_string)
        .collect();
    lines.sort();
    lines
}

#[test]
fn real_sdk_regenerates_exactly_what_add_wrote() {
    let Some(py) = python() else { return };
    let sdk = py.parent().unwrap().join("sekoia-automation");
    let dir = tempfile::tempdir().unwrap();
    let module = build_guide_module(dir.path());
    let every = [
        "name:str,required,desc=The name, with a comma",
        "count:int,default=3",
        "ratio:float,default=0.5",
        "enabled:bool,default=true",
        "endpoint:url,default=https://api.example.com",
        "since:datetime",
        "extra:dict",
        "tags:list[str],default=a|b",
        "ids:list[int]",
        "mode:enum(fast|slow),default=slow",
        "token:str,secret",
        "label:str,required,secret,desc=Réglage – «x»",
    ];
    for (kind, name) in [
        ("action", "Get every thing"),
        ("trigger", "Watch things"),
        ("connector", "Collect things"),
    ] {
        let mut args = vec![kind, "--name", name, "--description", "Does \"everything\""];
        for f in &every {
            args.extend(["--arg", f]);
        }
        if kind != "connector" {
            args.extend([
                "--result",
                "answer:str,required",
                "--result",
                "score:float,default=1.5",
                "--result",
                "when:datetime",
            ]);
        }
        add(&module, &args);
    }
    let mut config = vec!["config"];
    for f in &every[1..] {
        config.extend(["--arg", f]);
    }
    add(&module, &config);
    let ours = json_files(&module);
    let our_main = fs::read_to_string(module.join("main.py")).unwrap();

    // The SDK imports the module to regenerate: run it on a copy.
    let copy = dir.path().join("sdk-copy");
    run_ok(Command::new("cp").arg("-r").arg(&module).arg(&copy));
    for name in ours.keys().filter(|n| *n != "manifest.json") {
        fs::remove_file(copy.join(name)).unwrap();
    }
    run_ok(
        Command::new(&sdk)
            .arg("generate-files-from-code")
            .arg(&copy)
            .current_dir(&copy),
    );
    let theirs = json_files(&copy);
    assert_eq!(
        ours.keys().collect::<Vec<_>>(),
        theirs.keys().collect::<Vec<_>>(),
        "same component files"
    );
    for (name, text) in &ours {
        assert_eq!(
            text, &theirs[name],
            "{name} differs from what the SDK generates"
        );
    }
    let sdk_main = fs::read_to_string(copy.join("main.py")).unwrap();
    assert_eq!(
        sorted_lines(&our_main),
        sorted_lines(&sdk_main),
        "main.py lines"
    );
}

/// Issue 15 (4): several `add` runs on one module at once each keep their registration and
/// dependency (they take the module's lock and read it under the lock).
#[test]
fn concurrent_adds_lose_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    run_ok(
        wizard()
            .arg("new")
            .arg(tmp.path())
            .args(["--name", "Race", "--no-lock"]),
    );
    let dir = tmp.path().join("Race");
    let children: Vec<_> = (0..4)
        .map(|i| {
            wizard()
                .current_dir(&dir)
                .args([
                    "add",
                    "action",
                    "--name",
                    &format!("Step{i}"),
                    "--dep",
                    &format!("package-{i}"),
                    "--no-lock",
                ])
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let main = std::fs::read_to_string(dir.join("main.py")).unwrap();
    let pyproject = std::fs::read_to_string(dir.join("pyproject.toml")).unwrap();
    for i in 0..4 {
        assert!(
            main.contains(&format!("module.register(Step{i}, \"Step{i}\")")),
            "Step{i} lost:\n{main}"
        );
        assert!(
            pyproject.contains(&format!("package-{i}")),
            "package-{i} lost:\n{pyproject}"
        );
        assert!(dir.join(format!("action_step{i}.json")).is_file());
    }
}

/// Issue 15 (9): names that made generated code break at import while `check` said it was fine are
/// refused with a hint, or given another name, and what is generated runs under the real SDK.
#[test]
fn names_that_would_break_the_generated_code_are_refused_or_renamed() {
    let tmp = tempfile::tempdir().unwrap();
    run_ok(
        wizard()
            .arg("new")
            .arg(tmp.path())
            .args(["--name", "Names", "--no-lock"]),
    );
    let dir = tmp.path().join("Names");
    let refused = |args: &[&str], expected: &str| {
        let out = wizard().current_dir(&dir).args(args).output().unwrap();
        assert!(!out.status.success(), "{args:?} was accepted");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(expected), "{args:?}: {err}");
    };
    for shadow in ["str", "int", "datetime", "HttpUrl", "Literal", "Field"] {
        refused(
            &[
                "add",
                "action",
                "--name",
                "A",
                "--arg",
                &format!("{shadow}:str"),
            ],
            "would hide",
        );
    }
    for sdk in ["Action", "Trigger", "Connector"] {
        refused(&["add", "action", "--name", sdk], "would hide the SDK's");
    }
    refused(&["add", "action", "--name", "Get/Set"], "contains `/`");

    // Nested objects named like what the file imports, or like the results class, get other names.
    std::fs::write(
        tmp.path().join("nested.toml"),
        r#"[[components]]
kind = "action"
name = "Lookup"
arguments = [
  { name = "field", type = "object", fields = [{ name = "x", type = "str" }] },
  { name = "lookup_results", type = "object", fields = [{ name = "y", type = "int" }] },
  { name = "literal", type = "object", fields = [{ name = "z", type = "bool" }] },
]
results = [{ name = "found", type = "bool", required = true }]
"#,
    )
    .unwrap();
    run_ok(
        wizard()
            .current_dir(&dir)
            .args(["add", "--answers", "../nested.toml", "--no-lock"]),
    );
    let code = fs::read_to_string(dir.join("names_modules/action_lookup.py")).unwrap();
    for hidden in [
        "class Field(",
        "class Literal(",
        "class LookupResults(BaseModel):\n    y",
    ] {
        assert!(!code.contains(hidden), "{hidden} in:\n{code}");
    }
    let json: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(dir.join("action_lookup.json")).unwrap()).unwrap();
    assert!(
        json["results"]["properties"].get("found").is_some(),
        "{json}"
    );
    assert!(
        json["arguments"]["properties"].get("found").is_none(),
        "{json}"
    );
    if let Some(python) = python() {
        run_ok(
            Command::new(python)
                .current_dir(&dir)
                .args(["-m", "pytest", "-q", "tests"]),
        );
    }
}

/// Issue 12 point 8: a connector whose configuration has its own polling setting sleeps that
/// long (converted from the unit its description names), not the skeleton's fixed 60 s.
#[test]
fn a_connector_with_a_polling_setting_sleeps_by_it() {
    let tmp = tempfile::tempdir().unwrap();
    run_ok(wizard().current_dir(tmp.path()).args([
        "new",
        "--name",
        "Poll",
        "--description",
        "d",
        "--no-lock",
    ]));
    let module = tmp.path().join("Poll");
    run_ok(
        wizard()
            .args(["add", "connector", "--module"])
            .arg(&module)
            .args([
                "--name",
                "Fetch",
                "--arg",
                "frequency:int,default=5,desc=Polling interval in minutes",
                "--no-lock",
            ]),
    );
    run_ok(
        wizard()
            .args(["add", "trigger", "--module"])
            .arg(&module)
            .args(["--name", "Watch", "--no-lock"]),
    );
    let connector =
        std::fs::read_to_string(module.join("poll_modules/connector_fetch.py")).unwrap();
    assert!(
        connector.contains("time.sleep(self.configuration.frequency * 60)")
            && !connector.contains("POLLING_INTERVAL"),
        "{connector}"
    );
    let trigger = std::fs::read_to_string(module.join("poll_modules/trigger_watch.py")).unwrap();
    assert!(
        trigger.contains("time.sleep(POLLING_INTERVAL)"),
        "{trigger}"
    );
}

/// Issue 12 point 6: the guide's manifest name "Request URL" with the class `Request`.
#[test]
fn name_and_class_apart() {
    let tmp = tempfile::tempdir().unwrap();
    run_ok(wizard().current_dir(tmp.path()).args([
        "new",
        "--name",
        "TestHTTP",
        "--description",
        "d",
        "--no-lock",
    ]));
    let module = tmp.path().join("TestHTTP");
    run_ok(
        wizard()
            .args(["add", "action", "--module"])
            .arg(&module)
            .args([
                "--name",
                "Request URL",
                "--class",
                "Request",
                "--arg",
                "url:url,required",
                "--no-lock",
            ]),
    );
    let code = std::fs::read_to_string(module.join("testhttp_modules/action_request.py")).unwrap();
    assert!(
        code.contains("class Request(Action):") && code.contains("name = \"Request URL\""),
        "{code}"
    );
    let manifest: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(module.join("action_request_url.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(manifest["name"], "Request URL");
    assert_eq!(manifest["docker_parameters"], "Request");
    let main = std::fs::read_to_string(module.join("main.py")).unwrap();
    assert!(
        main.contains("module.register(Request, \"Request\")"),
        "{main}"
    );
    // The manifests are what the code generates.
    run_ok(wizard().args(["sync", "--check"]).arg(&module));
    // A class that is not one is refused with the field named.
    let out = wizard()
        .args(["add", "action", "--module"])
        .arg(&module)
        .args(["--name", "Other", "--class", "other thing", "--no-lock"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("the class name `other thing` is not a Python class name"),
        "{err}"
    );
    if let Some(python) = python() {
        let out = std::process::Command::new(python)
            .current_dir(&module)
            .args(["-m", "pytest", "-q"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
}
