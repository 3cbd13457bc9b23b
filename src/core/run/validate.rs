//! The part of JSON Schema a component's arguments need before running: `required`, `type`,
//! `enum`, nested `properties` and array `items`. A failure names the field (`arguments.petId`).

use serde_json::{Map, Value};

use crate::core::failure::Failure;

fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn is_type(value: &Value, ty: &str) -> bool {
    let actual = type_name(value);
    actual == ty || (ty == "number" && actual == "integer")
}

/// Checks `value` against `schema`; `path` names it in the error.
pub fn check(value: &Value, schema: &Value, path: &str) -> Result<(), Failure> {
    let Some(schema) = schema.as_object() else {
        return Ok(());
    };
    let types: Vec<&str> = match schema.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => vec![],
    };
    let nullable = schema.get("nullable") == Some(&Value::Bool(true));
    let fits = types.is_empty()
        || types.iter().any(|t| is_type(value, t))
        || (nullable && value.is_null());
    if !fits {
        return Err(Failure::with_hint(
            format!(
                "{path}: expected {}, got {} {value}",
                types.join(" or "),
                type_name(value)
            ),
            format!("give {path} a value of type {}", types.join(" or ")),
        ));
    }
    if let Some(Value::Array(allowed)) = schema.get("enum") {
        if !allowed.contains(value) {
            let list: Vec<String> = allowed.iter().map(Value::to_string).collect();
            return Err(Failure::with_hint(
                format!("{path}: {value} is not one of {}", list.join(", ")),
                format!("use one of {}", list.join(", ")),
            ));
        }
    }
    if let Value::Object(map) = value {
        check_object(map, schema, path)?;
    }
    if let (Value::Array(items), Some(item_schema)) = (value, schema.get("items")) {
        for (i, item) in items.iter().enumerate() {
            check(item, item_schema, &format!("{path}[{i}]"))?;
        }
    }
    Ok(())
}

fn check_object(
    map: &Map<String, Value>,
    schema: &Map<String, Value>,
    path: &str,
) -> Result<(), Failure> {
    for name in schema
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
    {
        if !map.contains_key(name) {
            return Err(Failure::with_hint(
                format!("{path}.{name} is required"),
                format!("pass --arg {name}=VALUE (or put it in --args-file)"),
            ));
        }
    }
    let properties = schema.get("properties").and_then(Value::as_object);
    for (name, value) in map {
        if let Some(prop) = properties.and_then(|p| p.get(name)) {
            check(value, prop, &format!("{path}.{name}"))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn names_the_bad_field() {
        let schema = json!({"type": "object", "required": ["id"], "properties": {
            "id": {"type": "integer"}, "tags": {"type": "array", "items": {"type": "string"}},
            "status": {"enum": ["a", "b"]}}});
        assert!(check(&json!({"id": 1, "tags": ["x"]}), &schema, "arguments").is_ok());
        let e = check(&json!({}), &schema, "arguments").unwrap_err();
        assert_eq!(e.message, "arguments.id is required");
        let e = check(&json!({"id": "x"}), &schema, "arguments").unwrap_err();
        assert_eq!(
            e.message,
            "arguments.id: expected integer, got string \"x\""
        );
        let e = check(&json!({"id": 1, "tags": [1]}), &schema, "arguments").unwrap_err();
        assert!(
            e.message.starts_with("arguments.tags[0]: expected string"),
            "{e:?}"
        );
        let e = check(&json!({"id": 1, "status": "c"}), &schema, "arguments").unwrap_err();
        assert!(e.message.contains("is not one of"), "{e:?}");
    }
}
