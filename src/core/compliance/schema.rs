//! `Draft7Validator.check_schema(schema)` as the library's checker runs it (jsonschema 4.22): the
//! schema is validated against the Draft-07 metaschema with the Draft-7 format checker, whose only
//! format that matters there is `regex` (Python `re`; `uri` and `uri-reference` are not checked
//! because the checker's lock has no rfc3987 package).
//!
//! Written out keyword by keyword rather than through a JSON Schema crate so the two Python-isms
//! are exact: `pattern` must compile with Python's `re` (see `pyre`), and `1.0` is an integer.

use serde_json::{Map, Value};

use super::pyre;

/// Whether `schema` is a valid Draft-07 schema.
pub fn is_valid(schema: &Value) -> bool {
    check(schema)
}

fn check(schema: &Value) -> bool {
    match schema {
        Value::Bool(_) => true,
        Value::Object(map) => map.iter().all(|(k, v)| keyword(map, k, v)),
        _ => false,
    }
}

fn is_number(v: &Value) -> bool {
    v.is_number()
}

/// Python jsonschema's Draft-4+ `integer`: ints, and floats with no fractional part.
fn is_integer(v: &Value) -> bool {
    match v {
        Value::Number(n) => {
            n.is_i64() || n.is_u64() || n.as_f64().is_some_and(|f| f.fract() == 0.0)
        }
        _ => false,
    }
}

fn non_negative_integer(v: &Value) -> bool {
    is_integer(v) && v.as_f64().is_some_and(|f| f >= 0.0)
}

/// JSON equality as Python's `==` after jsonschema's `unbool`: `1 == 1.0`, `true != 1`.
fn py_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_i64(), y.as_i64()) {
            (Some(p), Some(q)) => p == q,
            _ => x.as_f64() == y.as_f64(),
        },
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| py_equal(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| py_equal(v, w)))
        }
        _ => a == b,
    }
}

fn unique(items: &[Value]) -> bool {
    items
        .iter()
        .enumerate()
        .all(|(i, a)| items[i + 1..].iter().all(|b| !py_equal(a, b)))
}

fn string_array(v: &Value) -> bool {
    matches!(v, Value::Array(items) if items.iter().all(Value::is_string) && unique(items))
}

fn schema_array(v: &Value) -> bool {
    matches!(v, Value::Array(items) if !items.is_empty() && items.iter().all(check))
}

fn schema_map(v: &Value) -> bool {
    matches!(v, Value::Object(m) if m.values().all(check))
}

const SIMPLE_TYPES: [&str; 7] = [
    "array", "boolean", "integer", "null", "number", "object", "string",
];

fn simple_type(v: &Value) -> bool {
    v.as_str().is_some_and(|s| SIMPLE_TYPES.contains(&s))
}

fn keyword(_map: &Map<String, Value>, key: &str, v: &Value) -> bool {
    match key {
        "$id" | "$schema" | "$ref" | "$comment" | "title" | "description" | "format"
        | "contentMediaType" | "contentEncoding" => v.is_string(),
        "readOnly" | "uniqueItems" => v.is_boolean(),
        "examples" | "enum" => v.is_array(),
        "multipleOf" => is_number(v) && v.as_f64().is_some_and(|f| f > 0.0),
        "maximum" | "exclusiveMaximum" | "minimum" | "exclusiveMinimum" => is_number(v),
        "maxLength" | "minLength" | "maxItems" | "minItems" | "maxProperties" | "minProperties" => {
            non_negative_integer(v)
        }
        "pattern" => v.as_str().is_some_and(pyre::is_valid),
        "additionalItems"
        | "contains"
        | "additionalProperties"
        | "propertyNames"
        | "if"
        | "then"
        | "else"
        | "not" => check(v),
        "items" => match v {
            Value::Array(_) => schema_array(v),
            _ => check(v),
        },
        "allOf" | "anyOf" | "oneOf" => schema_array(v),
        "required" => string_array(v),
        "definitions" | "properties" => schema_map(v),
        "patternProperties" => {
            schema_map(v)
                && v.as_object()
                    .is_some_and(|m| m.keys().all(|k| pyre::is_valid(k)))
        }
        "dependencies" => match v {
            Value::Object(m) => m.values().all(|d| match d {
                Value::Array(_) => string_array(d),
                _ => check(d),
            }),
            _ => false,
        },
        "type" => match v {
            Value::Array(items) => {
                !items.is_empty() && items.iter().all(simple_type) && unique(items)
            }
            _ => simple_type(v),
        },
        // `default`, `const` and unknown keywords (`secrets`, `internal`, ...) take anything.
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn follows_the_draft7_metaschema() {
        for ok in [
            json!({}),
            json!(true),
            json!({"type": "object", "properties": {"a": {"type": "string", "pattern": "^a$"}}, "required": ["a"]}),
            json!({"minLength": 1.0, "enum": [], "secrets": ["x"], "default": {"pattern": "["}}),
            json!({"$schema": "https://json-schema.org/draft/2020-12/schema", "type": ["string", "null"]}),
            json!({"items": [{}, true], "dependencies": {"a": ["b"], "c": {"type": "object"}}}),
        ] {
            assert!(is_valid(&ok), "{ok} should be valid");
        }
        for bad in [
            json!([]),
            json!(1),
            json!({"type": "str"}),
            json!({"type": []}),
            json!({"type": ["string", "string"]}),
            json!({"required": ["a", "a"]}),
            json!({"required": "a"}),
            json!({"minLength": 1.5}),
            json!({"minLength": -1}),
            json!({"title": 3}),
            json!({"properties": {"a": 1}}),
            json!({"pattern": "(?<n>a)"}),
            json!({"patternProperties": {"[": {}}}),
            json!({"items": []}),
            json!({"multipleOf": 0}),
            json!({"properties": {"a": {"items": {"pattern": "\\p{L}"}}}}),
        ] {
            assert!(!is_valid(&bad), "{bad} should be invalid");
        }
    }
}
