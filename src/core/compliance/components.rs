//! `ActionsJSONValidator`, `ConnectorsJSONValidator`, `TriggersJSONValidator`
//! (`validators/{actions,connectors,triggers}_json.py`): top-level `action_*.json`,
//! `connector_*.json`, `trigger_*.json` files, their required keys and schemas.

use serde_json::Value;

use super::{schema, Fix, ModuleResult, Severity};

/// The component kinds, as everywhere else; file names by `core::sync::on_disk`.
pub use crate::core::model::ComponentKind as Kind;

/// The checker's glob prefix for a kind: `action_`, `connector_`, `trigger_`.
pub fn prefix(kind: Kind) -> String {
    format!("{}_", kind.as_str())
}

/// The kind a component JSON's file name announces (`action_*.json` …), if it is one.
pub fn kind_of(file_name: &str) -> Option<Kind> {
    crate::core::sync::on_disk::component_json_kind(file_name)
}

/// `Path.glob("<prefix>*.json")` at the top of the module, sorted (the real order is the
/// filesystem's, so only the set of messages is comparable).
pub fn files(result: &ModuleResult, kind: Kind) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(&result.path) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| kind_of(n) == Some(kind))
        .collect();
    names.sort();
    names
}

pub fn validate(result: &mut ModuleResult, kind: Kind) {
    for name in files(result, kind) {
        validate_file(result, kind, &name);
    }
}

fn validate_file(result: &mut ModuleResult, kind: Kind, name: &str) {
    // A root that is not an object crashes the real checker; here it cannot be loaded either.
    let Some(Value::Object(raw)) = super::load_json(&result.file(name)) else {
        result.error(name, "component", "can't load JSON");
        return;
    };
    let is_str = |k: &str| raw.get(k).is_some_and(Value::is_string);
    if !is_str("name") {
        result.error(name, "component", "`name` is not present");
    }
    match raw.get("uuid") {
        Some(Value::String(uuid)) => result
            .uuids
            .push((name.into(), Value::String(uuid.clone()))),
        _ => result.push(
            name,
            "component",
            "`uuid` is not present",
            Severity::Error,
            Some(Fix::RandomUuid),
        ),
    }
    if !is_str("description") {
        result.error(name, "component", "`description` is not present");
    }
    match raw.get("docker_parameters") {
        Some(Value::String(docker)) => result.docker.push((name.into(), docker.clone())),
        _ => result.error(name, "component", "`docker_parameters` is not present"),
    }
    check_schema_key(result, name, raw.get("arguments"), "arguments");
    if kind.has_results() {
        check_schema_key(result, name, raw.get("results"), "results");
    }
}

fn check_schema_key(result: &mut ModuleResult, name: &str, value: Option<&Value>, key: &str) {
    match value {
        Some(v @ Value::Object(_)) => {
            if !schema::is_valid(v) {
                result.error(
                    name,
                    "component",
                    format!("`{key}` is not valid JSON schema"),
                );
            }
        }
        _ => result.error(name, "component", format!("`{key}` is not present")),
    }
}
