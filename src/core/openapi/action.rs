//! One operation → one action: its manifest (`action_<name>.json`, the SDK's keys and names) and
//! what its `GenericAPIAction` class needs (verb, endpoint, query parameters).

use serde_json::{json, Map, Value};

use super::refs::Resolver;
use super::spec::{Operation, Spec};

/// An action before names are made unique and uuids given.
#[derive(Debug, Clone)]
pub struct Action {
    pub op: Operation,
    /// The SDK's name: `action_<name>.json` and the manifest `name`.
    pub name: String,
    pub class_name: String,
    pub docker_parameters: String,
    pub description: String,
    pub verb: String,
    /// `basePath` joined with the path, without its leading `/` (the SDK's).
    pub endpoint: String,
    pub arguments: Value,
    pub results: Value,
    pub query_parameters: Vec<String>,
}

/// The SDK's `get_action_name`: the summary (prefixed by the tags with `--tags-in-names`) or the
/// docker_parameters, every character but ASCII letters and digits as `_`, lower case, `_`
/// trimmed.
pub fn sdk_name(op: &Operation, tags_in_names: bool) -> String {
    let raw = match &op.summary {
        Some(summary) => {
            let mut name = String::new();
            if tags_in_names && !op.tags.is_empty() {
                name = format!("{}_", op.tags.join("-"));
            }
            name + summary
        }
        None => op.docker_parameters.clone(),
    };
    let name = sanitize(&raw);
    if name.is_empty() {
        // A summary of punctuation only: the SDK writes `action_.json`.
        sanitize(&op.docker_parameters)
    } else {
        name
    }
}

fn sanitize(raw: &str) -> String {
    let replaced: String = raw
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    replaced.to_ascii_lowercase().trim_matches('_').to_string()
}

/// The SDK's class name: words of the name capitalised and joined, articles dropped
/// (`get_a_pet` → `GetPet`). Not always an identifier (`2fa` → `2fa`); see `unique`.
pub fn sdk_class_name(name: &str) -> String {
    let mut dashed: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    for article in ["a", "an", "the"] {
        dashed = dashed.replace(&format!("-{article}-"), "-");
    }
    dashed.split('-').map(capitalize).collect()
}

fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first
            .to_uppercase()
            .chain(chars.flat_map(char::to_lowercase))
            .collect(),
        None => String::new(),
    }
}

/// `posixpath.join(base_path, endpoint)` with the path's leading `/` removed first, as the SDK.
fn endpoint(base_path: &str, path: &str) -> String {
    let path = path.trim_start_matches('/');
    if base_path.is_empty() || base_path.ends_with('/') {
        format!("{base_path}{path}")
    } else {
        format!("{base_path}/{path}")
    }
}

/// Builds the action for `op`; problems worth telling go to `notes`.
pub fn build(spec: &Spec, op: &Operation, tags_in_names: bool, notes: &mut Vec<String>) -> Action {
    let (item, raw) = spec.raw(op);
    let mut resolver = Resolver::new(&spec.doc);
    let name = sdk_name(op, tags_in_names);
    let (properties, required) = properties(&mut resolver, &item, &raw, op, notes);
    let mut arguments = Map::new();
    arguments.insert(
        "$schema".into(),
        json!("https://json-schema.org/draft/2020-12/schema"),
    );
    arguments.insert("type".into(), json!("object"));
    arguments.insert("title".into(), json!(name));
    let query_parameters = properties
        .iter()
        .filter(|(_, v)| v.get("in").and_then(Value::as_str) == Some("query"))
        .map(|(k, _)| k.clone())
        .collect();
    arguments.insert("properties".into(), Value::Object(properties));
    if !required.is_empty() {
        arguments.insert("required".into(), json!(required));
    }
    let results = results(&mut resolver, &raw, op, notes);
    for warning in resolver.warnings() {
        notes.push(format!("{}: {warning}", op.label()));
    }
    let base_path = spec
        .doc
        .get("basePath")
        .and_then(Value::as_str)
        .unwrap_or("");
    Action {
        op: op.clone(),
        class_name: sdk_class_name(&name),
        name,
        docker_parameters: op.docker_parameters.clone(),
        // The SDK wrote the text "None" when an operation had no description.
        description: op
            .description
            .clone()
            .or_else(|| op.summary.clone())
            .unwrap_or_else(|| op.label()),
        verb: op.method.clone(),
        endpoint: endpoint(base_path, &op.path),
        arguments: Value::Object(arguments),
        results,
        query_parameters,
    }
}

/// The SDK's `get_properties`, on resolved parameters: path-level parameters first, then the
/// operation's (same name and location: the operation's wins), then the request body's
/// properties with `"in": "body"`.
fn properties(
    resolver: &mut Resolver,
    item: &Value,
    raw: &Value,
    op: &Operation,
    notes: &mut Vec<String>,
) -> (Map<String, Value>, Vec<String>) {
    let mut properties = Map::new();
    let mut required: Vec<String> = Vec::new();
    let require = |required: &mut Vec<String>, name: &str| {
        if !required.iter().any(|r| r == name) {
            required.push(name.to_string());
        }
    };
    let params = |v: &Value| -> Vec<Value> {
        v.get("parameters")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    let own = params(raw);
    let own_resolved: Vec<Value> = own.iter().map(|p| resolver.resolve(p)).collect();
    let key = |p: &Value| (p.get("name").cloned(), p.get("in").cloned());
    let mut all: Vec<Value> = params(item)
        .iter()
        .map(|p| resolver.resolve(p))
        .filter(|p| !own_resolved.iter().any(|o| key(o) == key(p)))
        .collect();
    all.extend(own_resolved);
    for param in all {
        let (Some(name), Some(location)) = (
            param.get("name").and_then(Value::as_str),
            param.get("in").and_then(Value::as_str),
        ) else {
            continue;
        };
        if (location == "body" || location == "formData") && param.get("schema").is_some() {
            // Swagger 2 body: its schema's properties are the arguments (the parameter's own
            // name is not one, so it is not required either).
            let schema = param.get("schema").cloned().unwrap_or(Value::Null);
            add_body(&schema, location, &mut properties, &mut required, op, notes);
            continue;
        }
        if param.get("required").and_then(Value::as_bool) == Some(true) {
            require(&mut required, name);
        }
        let mut prop: Map<String, Value> = param
            .as_object()
            .into_iter()
            .flatten()
            .filter(|(k, _)| !["required", "format", "allowEmptyValue"].contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        if let Some(Value::Object(schema)) = param.get("schema") {
            for (k, v) in schema {
                prop.insert(k.clone(), v.clone());
            }
        }
        // OpenAPI 3's `examples` is a map of Example objects: invalid as JSON Schema's array.
        if prop.get("examples").is_some_and(|e| !e.is_array()) {
            prop.remove("examples");
        }
        properties.insert(name.to_string(), Value::Object(prop));
    }
    if let Some(body) = raw.get("requestBody") {
        let body = resolver.resolve(body);
        let schema = body
            .get("content")
            .and_then(Value::as_object)
            .and_then(|c| c.get("application/json").or_else(|| c.values().next()))
            .and_then(|m| m.get("schema"))
            .cloned()
            .unwrap_or(Value::Null);
        add_body(&schema, "body", &mut properties, &mut required, op, notes);
    }
    (properties, required)
}

fn add_body(
    schema: &Value,
    location: &str,
    properties: &mut Map<String, Value>,
    required: &mut Vec<String>,
    op: &Operation,
    notes: &mut Vec<String>,
) {
    match schema.get("properties").and_then(Value::as_object) {
        Some(props) => {
            for (name, prop) in props {
                let mut prop = prop.clone();
                if let Value::Object(map) = &mut prop {
                    map.insert("in".into(), json!(location));
                }
                properties.insert(name.clone(), prop);
            }
            for name in schema
                .get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
            {
                if !required.iter().any(|r| r == name) {
                    required.push(name.to_string());
                }
            }
        }
        None if !schema.is_null() => notes.push(format!(
            "{}: the request body is not an object with properties; GenericAPIAction sends the arguments as a JSON object, so it has no arguments for it",
            op.label()
        )),
        None => {}
    }
}

/// The first successful response's schema (Swagger 2 `schema`, OpenAPI 3 `content`, JSON
/// preferred), resolved. Actions must declare results: without an object schema, an open one.
fn results(resolver: &mut Resolver, raw: &Value, op: &Operation, notes: &mut Vec<String>) -> Value {
    let responses = raw.get("responses").and_then(Value::as_object);
    let mut found = None;
    for (code, response) in responses.into_iter().flatten() {
        if !(code.starts_with('2') || code == "default") {
            continue;
        }
        let response = resolver.resolve(response);
        let schema = response.get("schema").cloned().or_else(|| {
            let content = response.get("content")?.as_object()?;
            content
                .get("application/json")
                .or_else(|| content.values().next())?
                .get("schema")
                .cloned()
        });
        if let Some(schema) = schema {
            found = Some(schema);
            break;
        }
    }
    match found {
        Some(schema)
            if schema.get("properties").is_some()
                || schema.get("type") == Some(&json!("object")) =>
        {
            schema
        }
        Some(_) => {
            notes.push(format!(
                "{}: the response is not an object; its results are left open",
                op.label()
            ));
            json!({})
        }
        None => json!({}),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_sdk() {
        let op = Operation {
            method: "get".into(),
            path: "/pet/{id}".into(),
            operation_id: Some("getPetById".into()),
            summary: Some("Find a pet by ID".into()),
            description: None,
            tags: vec!["pet".into(), "store".into()],
            docker_parameters: "getPetById".into(),
        };
        assert_eq!(sdk_name(&op, false), "find_a_pet_by_id");
        assert_eq!(sdk_name(&op, true), "pet_store_find_a_pet_by_id");
        assert_eq!(sdk_class_name("find_a_pet_by_id"), "FindPetById");
        assert_eq!(sdk_class_name("get_the_an_a_list"), "GetList"); // as the SDK: articles removed in turn
        assert_eq!(endpoint("/v2", "/pet/{id}"), "/v2/pet/{id}");
        assert_eq!(endpoint("", "/pet"), "pet");
    }
}
