//! Component manifests and the module manifest's `configuration`, as the SDK writes them, merged
//! with what is already on disk (uuid, hand-written description and extra keys are kept).

use serde_json::{Map, Value};

use crate::core::schema::Flavor;

/// SDK `add_secrets_to_configuration`: fields marked `secret` lose the marker and are listed under
/// a trailing `secrets` key, in field order. `secret_fields` are property keys.
pub fn add_secrets(schema: &mut Value, secret_fields: &[String]) {
    let Value::Object(map) = schema else { return };
    let mut found = Vec::new();
    if let Some(Value::Object(props)) = map.get_mut("properties") {
        for name in secret_fields {
            if let Some(Value::Object(p)) = props.get_mut(name) {
                p.shift_remove("secret");
                found.push(Value::String(name.clone()));
            }
        }
    }
    if found.is_empty() {
        return;
    }
    match map.get_mut("secrets") {
        Some(Value::Array(existing)) => existing.extend(found),
        _ => {
            map.insert("secrets".into(), Value::Array(found));
        }
    }
}

/// Whether a trigger's configuration gets its `secrets` list: SDK 1.27.0 does it, 1.22.5 (the
/// pydantic.v1 SDK) did not.
pub fn triggers_get_secrets(flavor: Flavor) -> bool {
    flavor == Flavor::V2
}

/// The generated keys of a component manifest, in the SDK's order.
pub struct Generated {
    pub name: String,
    pub description: Option<String>,
    pub uuid: String,
    pub docker_parameters: String,
    pub arguments: Value,
    /// `None` for connectors (the SDK writes no `results` for them).
    pub results: Option<Value>,
}

/// The manifest to write: the SDK's keys, laid over the existing file if there is one.
pub fn component(generated: Generated, existing: Option<&Map<String, Value>>) -> Value {
    let description = generated.description.clone();
    let mut fresh = Map::new();
    fresh.insert("name".into(), Value::String(generated.name.clone()));
    fresh.insert(
        "description".into(),
        Value::String(
            description
                .clone()
                .unwrap_or_else(|| generated.name.clone()),
        ),
    );
    fresh.insert("uuid".into(), Value::String(generated.uuid));
    fresh.insert(
        "docker_parameters".into(),
        Value::String(generated.docker_parameters),
    );
    fresh.insert("arguments".into(), generated.arguments);
    if let Some(results) = generated.results {
        fresh.insert("results".into(), results);
    }
    let Some(existing) = existing else {
        return Value::Object(fresh);
    };
    let mut out = existing.clone();
    for (key, value) in fresh {
        let keep_existing = match key.as_str() {
            "uuid" => matches!(existing.get("uuid"), Some(Value::String(s)) if !s.is_empty()),
            "description" => {
                description.is_none()
                    && matches!(existing.get("description"), Some(Value::String(_)))
            }
            _ => false,
        };
        if !keep_existing {
            out.insert(key, value);
        }
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn gen(description: Option<&str>) -> Generated {
        Generated {
            name: "Req".into(),
            description: description.map(String::from),
            uuid: "u5".into(),
            docker_parameters: "Req".into(),
            arguments: json!({}),
            results: Some(json!({})),
        }
    }

    #[test]
    fn fresh_manifest_has_sdk_key_order() {
        let v = component(gen(None), None);
        let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
        assert_eq!(
            keys,
            [
                "name",
                "description",
                "uuid",
                "docker_parameters",
                "arguments",
                "results"
            ]
        );
        assert_eq!(v["description"], "Req");
    }

    #[test]
    fn existing_uuid_description_and_extra_keys_are_kept_in_place() {
        let existing = json!({"uuid": "old", "slug": "s", "name": "Old", "description": "Hand written", "outputs": {}});
        let v = component(gen(None), existing.as_object());
        assert_eq!(
            crate::core::pyjson::dumps(&v),
            crate::core::pyjson::dumps(
                &json!({"uuid": "old", "slug": "s", "name": "Req", "description": "Hand written", "outputs": {}, "docker_parameters": "Req", "arguments": {}, "results": {}})
            )
        );
        let declared = component(gen(Some("Declared")), existing.as_object());
        assert_eq!(declared["description"], "Declared");
    }

    #[test]
    fn secrets_are_moved_to_a_trailing_list() {
        let mut s = json!({"properties": {"a": {"secret": true, "type": "string"}, "b": {}}, "title": "C", "type": "object"});
        add_secrets(&mut s, &["a".to_string()]);
        assert_eq!(
            s,
            json!({"properties": {"a": {"type": "string"}, "b": {}}, "title": "C", "type": "object", "secrets": ["a"]})
        );
        assert_eq!(
            s.as_object().unwrap().keys().next_back().unwrap(),
            "secrets"
        );
    }
}
