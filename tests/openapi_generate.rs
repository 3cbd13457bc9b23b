//! `new --from-openapi` and `add openapi`: the SDK's output where it works (compared with the real
//! `openapi-to-module`), and the fixes: refs, allOf, cycles, unique names, uuid5, additivity.

use crate::common;

use std::fs;
use std::path::{Path, PathBuf};

use common::{files_under, python, run_ok, wizard};
use serde_json::Value;

const UUID: &str = "11111111-2222-4333-8444-555555555555";

fn fixture(name: &str) -> String {
    common::fixtures()
        .join("openapi")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

/// `new --from-openapi SPEC` into a fresh directory; returns the module directory.
fn new_from(spec: &str, out: &Path, extra: &[&str]) -> PathBuf {
    let mut cmd = wizard();
    cmd.args(["new"])
        .arg(out)
        .args(["--from-openapi", spec, "--uuid", UUID, "--no-lock"])
        .args(extra);
    run_ok(&mut cmd);
    let dirs: Vec<PathBuf> = fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(dirs.len(), 1, "{dirs:?}");
    dirs[0].clone()
}

fn json(path: &Path) -> Value {
    serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap()
}

fn action_files(dir: &Path) -> Vec<String> {
    files_under(dir)
        .into_iter()
        .filter(|f| f.starts_with("action_") && f.ends_with(".json"))
        .collect()
}

fn has_ref(v: &Value) -> bool {
    match v {
        Value::Object(m) => {
            m.contains_key("$ref") || m.contains_key("allOf") || m.values().any(has_ref)
        }
        Value::Array(a) => a.iter().any(has_ref),
        _ => false,
    }
}

#[test]
fn swagger2_actions_and_classes_equal_the_sdks() {
    let Some(py) = python() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let spec = fixture("petstore-swagger2.json");
    let sdk_out = tmp.path().join("sdk");
    fs::create_dir(&sdk_out).unwrap();
    let cli = py.parent().unwrap().join("sekoia-automation");
    run_ok(
        std::process::Command::new(&cli)
            .arg("openapi-to-module")
            .arg(&sdk_out)
            .arg(&spec),
    );
    let sdk = sdk_out.join("Pet Store");
    let ours = new_from(&spec, &tmp.path().join("ours"), &[]);

    assert_eq!(action_files(&sdk), action_files(&ours));
    for file in action_files(&sdk) {
        let mut theirs = json(&sdk.join(&file));
        let mut mine = json(&ours.join(&file));
        // Normalised: the SDK's uuid4 (ours is a uuid5, checked below); indent is gone once parsed.
        theirs.as_object_mut().unwrap().remove("uuid");
        let uuid = mine.as_object_mut().unwrap().remove("uuid").unwrap();
        assert_eq!(
            uuid::Uuid::parse_str(uuid.as_str().unwrap())
                .unwrap()
                .get_version_num(),
            5
        );
        assert_eq!(theirs, mine, "{file}");
        // Key order too, as written.
        let keys = |v: &Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
        assert_eq!(keys(&theirs), keys(&mine), "{file}");
        // The library's format: json.dumps(indent=2), no final newline.
        let text = fs::read_to_string(ours.join(&file)).unwrap();
        assert!(text.starts_with("{\n  \"uuid\": "), "{text}");
        assert!(!text.ends_with('\n'));
    }
    assert_eq!(
        fs::read_to_string(sdk.join("pet_store/__init__.py")).unwrap(),
        fs::read_to_string(ours.join("pet_store_modules/openapi_pet_store.py")).unwrap()
    );
    // Registered under the operationIds, as the SDK's main.py does.
    let main = fs::read_to_string(ours.join("main.py")).unwrap();
    assert!(
        main.contains("module.register(FindPetById, \"getPetById\")"),
        "{main}"
    );
}

#[test]
fn the_module_passes_check_and_is_reproducible() {
    let tmp = tempfile::tempdir().unwrap();
    let spec = fixture("inventory-openapi3.yaml");
    let a = new_from(&spec, &tmp.path().join("a"), &[]);
    let b = new_from(&spec, &tmp.path().join("b"), &[]);
    for file in files_under(&a) {
        assert_eq!(
            fs::read(a.join(&file)).unwrap(),
            fs::read(b.join(&file)).unwrap(),
            "{file}"
        );
    }
    fs::write(a.join("poetry.lock"), "").unwrap();
    let out = wizard()
        .arg("check")
        .arg(&a)
        .arg("--strict")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn openapi3_refs_are_resolved_all_of_merged_and_collisions_reported() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("o");
    let mut cmd = wizard();
    cmd.args(["new"]).arg(&out).args([
        "--from-openapi",
        &fixture("inventory-openapi3.yaml"),
        "--uuid",
        UUID,
        "--no-lock",
    ]);
    let text = run_ok(&mut cmd);
    assert!(
        text.contains("the name `get_item` is taken; this action is `get_item_2`"),
        "{text}"
    );
    assert!(
        text.contains("`$ref: #/components/schemas/Category` refers back to itself"),
        "{text}"
    );
    let dir = out.join("InventoryAPI");
    for file in action_files(&dir) {
        let v = json(&dir.join(&file));
        assert!(!has_ref(&v), "{file} keeps a $ref or allOf: {v:#}");
        assert_ne!(v["description"], "None", "{file}");
        assert!(v["results"].is_object(), "{file}");
    }
    let create = json(&dir.join("action_create_item.json"));
    assert_eq!(
        create["arguments"]["required"],
        serde_json::json!(["name", "quantity"])
    );
    assert_eq!(create["arguments"]["properties"]["quantity"]["in"], "body");
    assert_eq!(create["results"]["properties"]["id"]["format"], "uuid");
    let list = json(&dir.join("action_list_items.json"));
    assert_eq!(list["arguments"]["properties"]["limit"]["maximum"], 100);
    // A path-level parameter given by $ref.
    let deleted = json(&dir.join("action_get_item_2.json"));
    assert_eq!(deleted["docker_parameters"], "delete-items/{itemId}");
    assert_eq!(
        deleted["arguments"]["required"],
        serde_json::json!(["itemId"])
    );
    let classes =
        fs::read_to_string(dir.join("inventory_api_modules/openapi_inventory_api.py")).unwrap();
    assert!(
        classes.contains("base_url = \"https://eu.inventory.example.com/api/v1\""),
        "{classes}"
    );
    assert!(
        classes.contains(
            "authentication = \"apiKey\"\n    auth_header = None\n    auth_query_param = \"token\""
        ),
        "{classes}"
    );
    assert!(
        classes.contains("class GetItem2(Base):\n    verb = \"delete\""),
        "{classes}"
    );
    let manifest = json(&dir.join("manifest.json"));
    assert_eq!(
        manifest["description"],
        "Stock levels of an imaginary warehouse."
    );
    let config = &manifest["configuration"];
    assert_eq!(config["secrets"], serde_json::json!(["api_key"]));
    assert!(config["properties"]["base_url"].is_object(), "{config:#}");
}

#[test]
fn generated_tests_pass_under_pytest() {
    let Some(py) = python() else { return };
    let tmp = tempfile::tempdir().unwrap();
    for spec in ["petstore-swagger2.json", "inventory-openapi3.yaml"] {
        let dir = new_from(&fixture(spec), &tmp.path().join(spec), &[]);
        let out = std::process::Command::new(&py)
            .args(["-m", "pytest", "-q", "--no-cov"])
            .current_dir(&dir)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{spec}: {text}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(text.contains(" passed"), "{text}");
    }
}

#[test]
fn add_openapi_is_additive() {
    let tmp = tempfile::tempdir().unwrap();
    let mut cmd = wizard();
    cmd.args(["new"])
        .arg(tmp.path())
        .args(["--name", "TestHTTP", "--no-lock"]);
    run_ok(&mut cmd);
    let module = tmp.path().join("TestHTTP");
    run_ok(
        wizard()
            .args(["add", "action", "--name", "Ping", "--no-lock", "--module"])
            .arg(&module),
    );
    let before: Vec<(String, Vec<u8>)> = files_under(&module)
        .into_iter()
        .map(|f| (f.clone(), fs::read(module.join(&f)).unwrap()))
        .collect();
    let text = run_ok(
        wizard()
            .args([
                "add",
                "openapi",
                &fixture("petstore-swagger2.json"),
                "--operation",
                "getPetById",
                "--tag",
                "store",
                "--module",
            ])
            .arg(&module),
    );
    assert!(
        text.contains("the actions read `api_key` from the module configuration"),
        "{text}"
    );
    for (file, bytes) in &before {
        let now = fs::read(module.join(file)).unwrap();
        if file == "main.py" {
            let (old, new) = (
                String::from_utf8_lossy(bytes),
                String::from_utf8_lossy(&now),
            );
            let kept: Vec<&str> = new
                .lines()
                .filter(|l| old.lines().any(|o| o == *l))
                .collect();
            assert_eq!(
                kept,
                old.lines().collect::<Vec<_>>(),
                "main.py lost or moved a line:\n{new}"
            );
            assert_eq!(new.lines().count(), old.lines().count() + 4, "{new}");
        } else {
            assert_eq!(&now, bytes, "{file} changed");
        }
    }
    let new_files: Vec<String> = files_under(&module)
        .into_iter()
        .filter(|f| !before.iter().any(|(b, _)| b == f))
        .collect();
    assert_eq!(
        new_files,
        [
            "action_find_a_pet_by_id.json",
            "action_returns_pet_inventories_by_status.json",
            "testhttp_modules/openapi_pet_store.py",
            "tests/test_openapi_pet_store.py",
        ]
    );
    // uuid5 of the module uuid and docker_parameters.
    let module_uuid = uuid::Uuid::parse_str(
        json(&module.join("manifest.json"))["uuid"]
            .as_str()
            .unwrap(),
    )
    .unwrap();
    let action = json(&module.join("action_find_a_pet_by_id.json"));
    assert_eq!(
        action["uuid"],
        uuid::Uuid::new_v5(&module_uuid, b"getPetById").to_string()
    );

    // Again: the names are taken, so the second copy is numbered and said so.
    let text = run_ok(
        wizard()
            .args([
                "add",
                "openapi",
                &fixture("petstore-swagger2.json"),
                "--operation",
                "GET /pet/{petId}",
                "--module",
            ])
            .arg(&module),
    );
    assert!(
        text.contains("this action is `find_a_pet_by_id_2`"),
        "{text}"
    );
    assert!(
        text.contains("it is registered as `getPetById_2`"),
        "{text}"
    );
    assert!(module
        .join("testhttp_modules/openapi_pet_store_2.py")
        .is_file());
}

#[test]
fn unknown_operations_and_bad_specs_are_refused_with_a_hint() {
    let tmp = tempfile::tempdir().unwrap();
    let out = wizard()
        .args(["new"])
        .arg(tmp.path())
        .args([
            "--from-openapi",
            &fixture("petstore-swagger2.json"),
            "--operation",
            "nope",
            "--no-lock",
        ])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(err.contains("the spec has no operation `nope`"), "{err}");
    assert!(
        err.contains("hint: name an operationId or `METHOD /path`, e.g. addPet (POST /pet)"),
        "{err}"
    );
    assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 0);

    let bad = tmp.path().join("bad.yaml");
    fs::write(&bad, "title: not a spec\n").unwrap();
    let out = wizard()
        .args(["new", "--from-openapi"])
        .arg(&bad)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not an OpenAPI document"));
}

#[test]
fn a_spec_is_read_from_a_url_whatever_its_name() {
    let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
    let port = server.server_addr().to_ip().unwrap().port();
    let body = fs::read_to_string(fixture("inventory-openapi3.yaml")).unwrap();
    let handle = std::thread::spawn(move || {
        let request = server.recv().unwrap();
        request
            .respond(tiny_http::Response::from_string(body))
            .unwrap();
    });
    let tmp = tempfile::tempdir().unwrap();
    let url = format!("http://127.0.0.1:{port}/spec");
    let dir = new_from(
        &url,
        tmp.path(),
        &[
            "--tag",
            "admin",
            "--auth",
            "bearer",
            "--base-url",
            "https://api.test/",
        ],
    );
    handle.join().unwrap();
    assert_eq!(action_files(&dir), ["action_get_item.json"]);
    let classes =
        fs::read_to_string(dir.join("inventory_api_modules/openapi_inventory_api.py")).unwrap();
    assert!(classes.contains("base_url = \"https://api.test/\"\n    authentication = \"bearer\"\n    auth_header = \"Authorization\""), "{classes}");
}
