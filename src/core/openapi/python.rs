//! The Python the SDK's openapi-to-module writes (a `Base(GenericAPIAction)` class and one subclass
//! per operation, as black formats it), and a pytest file that runs each action against a
//! requests-mock of its endpoint.

use serde_json::{json, Map, Value};

use super::action::Action;
use super::auth::AuthSettings;
use crate::core::generate::python::{literal_lines, python_literal, LINE_LENGTH};
use crate::core::render::python_string;

fn py_opt(value: Option<&str>) -> String {
    value.map(python_string).unwrap_or_else(|| "None".into())
}

/// The classes' file: byte for byte the SDK's `__init__.py` after black, with strings escaped.
pub fn classes(base_url: &str, auth: &AuthSettings, actions: &[Action]) -> String {
    let mut out = String::from("from sekoia_automation.action import GenericAPIAction\n\n\n");
    out.push_str("class Base(GenericAPIAction):\n");
    out.push_str(&format!("    base_url = {}\n", python_string(base_url)));
    out.push_str(&format!(
        "    authentication = {}\n",
        py_opt(auth.authentication.map(|a| a.as_str()))
    ));
    out.push_str(&format!(
        "    auth_header = {}\n",
        py_opt(auth.auth_header.as_deref())
    ));
    out.push_str(&format!(
        "    auth_query_param = {}\n",
        py_opt(auth.auth_query_param.as_deref())
    ));
    for action in actions {
        out.push_str(&format!("\n\nclass {}(Base):\n", action.class_name));
        out.push_str(&format!("    verb = {}\n", python_string(&action.verb)));
        out.push_str(&format!(
            "    endpoint = {}\n",
            python_string(&action.endpoint)
        ));
        out.push_str(&literal_lines(
            "query_parameters = ",
            &json!(action.query_parameters),
            1,
            "",
        ));
        out.push('\n');
    }
    out
}

/// A value of the property's type (enum: its first value), for the generated tests.
fn sample(prop: &Value) -> Value {
    if let Some(first) = prop
        .get("enum")
        .and_then(Value::as_array)
        .and_then(|e| e.first())
    {
        return first.clone();
    }
    let ty = match prop.get("type") {
        Some(Value::Array(types)) => types.iter().find(|t| *t != "null").cloned(),
        other => other.cloned(),
    };
    match ty.as_ref().and_then(Value::as_str) {
        Some("integer") => json!(1),
        Some("number") => json!(1.5),
        Some("boolean") => json!(true),
        Some("array") => json!([]),
        Some("object") => json!({}),
        _ => json!("value"),
    }
}

/// What Python's `str()` gives for a sample (it is put into the URL by `get_url`).
fn py_str(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        other => python_literal(other),
    }
}

/// The arguments a test passes: every required argument and every path parameter.
fn sample_arguments(action: &Action) -> Map<String, Value> {
    let required: Vec<&str> = action.arguments["required"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let mut out = Map::new();
    for (name, prop) in action.arguments["properties"]
        .as_object()
        .into_iter()
        .flatten()
    {
        let in_path = prop.get("in").and_then(Value::as_str) == Some("path")
            || action.endpoint.contains(&format!("{{{name}}}"));
        if in_path || required.contains(&name.as_str()) {
            out.insert(name.clone(), sample(prop));
        }
    }
    out
}

/// The URL `GenericAPIAction.get_url` builds: `posixpath.join(base, endpoint)` with the path
/// parameters replaced by `str()` of their values.
fn expected_url(base: &str, action: &Action, arguments: &Map<String, Value>) -> String {
    let mut endpoint = action.endpoint.clone();
    for (name, value) in arguments {
        endpoint = endpoint.replacen(&format!("{{{name}}}"), &py_str(value), 1);
    }
    let endpoint = endpoint.trim_start_matches('/');
    if base.is_empty() || base.ends_with('/') {
        format!("{base}{endpoint}")
    } else {
        format!("{base}/{endpoint}")
    }
}

/// The test file: one test per action, its endpoint mocked, its results checked.
pub fn tests(
    package: &str,
    stem: &str,
    base_url: &str,
    auth: &AuthSettings,
    actions: &[Action],
) -> String {
    let mut configuration = Map::new();
    let absolute = base_url.starts_with("http://") || base_url.starts_with("https://");
    let base = if absolute {
        base_url.to_string()
    } else {
        configuration.insert("base_url".into(), json!("https://api.example.com"));
        "https://api.example.com".to_string()
    };
    for key in auth.configuration_keys() {
        configuration.insert(key.into(), json!(format!("test-{key}")));
    }
    let names: Vec<String> = actions.iter().map(|a| a.class_name.clone()).collect();
    let mut out = String::from("import requests_mock\n\n");
    out.push_str(&import_line(&format!("{package}.{stem}"), &names));
    out.push('\n');
    out.push_str(&literal_lines(
        "CONFIGURATION = ",
        &Value::Object(configuration),
        0,
        "",
    ));
    out.push('\n');
    out.push_str(&literal_lines(
        "RESPONSE = ",
        &json!({"status": "ok"}),
        0,
        "",
    ));
    out.push('\n');
    for action in actions {
        let arguments = sample_arguments(action);
        let url = expected_url(&base, action, &arguments);
        out.push_str(&format!("\n\ndef test_{}(tmp_path):\n", action.name));
        out.push_str(&format!(
            "    action = {}(data_path=tmp_path)\n",
            action.class_name
        ));
        out.push_str("    action.module.configuration = CONFIGURATION\n");
        out.push_str(&literal_lines(
            "arguments = ",
            &Value::Object(arguments),
            1,
            "",
        ));
        out.push('\n');
        out.push_str("    with requests_mock.Mocker() as mock:\n");
        out.push_str(&format!("        url = {}\n", python_string(&url)));
        out.push_str(&format!(
            "        mock.register_uri({}, url, json=RESPONSE)\n",
            python_string(&action.verb.to_uppercase())
        ));
        out.push_str("        results = action.run(arguments)\n\n");
        out.push_str("    assert results == RESPONSE\n");
        out.push_str("    assert mock.call_count == 1\n");
    }
    out
}

/// `from module import A, B`, exploded one name a line (as black does for imports) when too long.
fn import_line(module: &str, names: &[String]) -> String {
    let one = format!("from {module} import {}\n", names.join(", "));
    if one.trim_end().chars().count() <= LINE_LENGTH {
        return one;
    }
    let each: Vec<String> = names.iter().map(|n| format!("    {n},")).collect();
    format!("from {module} import (\n{}\n)\n", each.join("\n"))
}
