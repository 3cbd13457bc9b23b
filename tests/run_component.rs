//! `sekoia-wizard run` on a module generated from a spec, its action calling a local server.

use crate::common;

use std::fs;
use std::path::{Path, PathBuf};

use common::{python, run_ok, wizard};

fn petstore_module(out: &Path) -> PathBuf {
    let spec = common::fixtures().join("openapi/petstore-swagger2.json");
    run_ok(
        wizard()
            .arg("new")
            .arg(out)
            .arg("--from-openapi")
            .arg(spec)
            .arg("--no-lock"),
    );
    out.join("PetStore")
}

#[test]
fn an_action_calls_the_server_and_prints_its_answer() {
    let Some(py) = python() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let module = petstore_module(tmp.path());
    let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
    let port = server.server_addr().to_ip().unwrap().port();
    let handle = std::thread::spawn(move || {
        let request = server.recv().unwrap();
        let key = request
            .headers()
            .iter()
            .find(|h| h.field.equiv("X-API-Key"))
            .map(|h| h.value.to_string())
            .unwrap_or_default();
        let body = serde_json::json!({"id": 7, "name": "Rex", "path": request.url(), "key": key});
        let header = tiny_http::Header::from_bytes("Content-Type", "application/json").unwrap();
        request
            .respond(tiny_http::Response::from_string(body.to_string()).with_header(header))
            .unwrap();
    });
    let scratch = tmp.path().join("scratch");
    fs::create_dir(&scratch).unwrap();
    let out = wizard()
        .args(["run", "getPetById"])
        .arg(&module)
        .args(["--arg", "petId=7", "--config"])
        .arg(format!("base_url=http://127.0.0.1:{port}/"))
        .arg("--python")
        .arg(&py)
        .env("SEKOIA_WIZARD_CONFIG_API_KEY", "s3cret")
        .env("TMPDIR", &scratch)
        .output()
        .unwrap();
    handle.join().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let results: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(
        results,
        serde_json::json!({"id": 7, "name": "Rex", "path": "/v2/pet/7", "key": "s3cret"})
    );
    // The temporary data directory (which held the secret) is gone.
    assert_eq!(fs::read_dir(&scratch).unwrap().count(), 0);
}

#[test]
fn a_bad_argument_is_refused_before_running_with_the_field_named() {
    let tmp = tempfile::tempdir().unwrap();
    let module = petstore_module(tmp.path());
    for (arg, message) in [
        (
            "petId=abc",
            "error: arguments.petId: expected integer, got string \"abc\"",
        ),
        ("other=1", "error: arguments.petId is required"),
    ] {
        let out = wizard()
            .args(["run", "FindPetById"])
            .arg(&module)
            .args(["--arg", arg, "--python", "/nonexistent/python"])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success());
        assert!(err.contains(message), "{err}");
        assert!(!err.contains("Running"), "{err}");
    }
    let out = wizard()
        .args(["run", "getPetById"])
        .arg(&module)
        .args(["--arg", "petId=1"])
        .env_remove("SEKOIA_WIZARD_CONFIG_API_KEY")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("the module configuration needs `api_key`"),
        "{err}"
    );
    assert!(err.contains("SEKOIA_WIZARD_CONFIG_API_KEY"), "{err}");
    let out = wizard()
        .args(["run", "nope"])
        .arg(&module)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("the module has no component `nope`") && err.contains("getPetById"),
        "{err}"
    );
}
