//! `$ref` resolution and `allOf` merging over a whole spec. The SDK looked refs up only in Swagger 2
//! `definitions` and only for results; here every local ref (`#/...`, any JSON pointer) is replaced
//! by what it points to, recursively. A ref that leads back to itself cannot be inlined: it becomes
//! an open object and a warning, so generation goes on.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

pub struct Resolver<'a> {
    root: &'a Value,
    /// Refs being resolved, outermost first: a ref met again here is a cycle.
    stack: Vec<String>,
    /// Refs resolved without meeting a cycle (the same result wherever they are used).
    done: BTreeMap<String, Value>,
    cycle_seen: bool,
    warnings: BTreeSet<String>,
}

impl<'a> Resolver<'a> {
    pub fn new(root: &'a Value) -> Self {
        Resolver {
            root,
            stack: Vec::new(),
            done: BTreeMap::new(),
            cycle_seen: false,
            warnings: BTreeSet::new(),
        }
    }

    /// What went wrong on the way (cycles, refs to other files, missing targets), sorted.
    pub fn warnings(&self) -> Vec<String> {
        self.warnings.iter().cloned().collect()
    }

    /// `value` with every `$ref` inlined and every `allOf` merged.
    pub fn resolve(&mut self, value: &Value) -> Value {
        match value {
            Value::Object(map) => {
                if let Some(Value::String(target)) = map.get("$ref") {
                    let resolved = self.follow(target);
                    // Keys beside `$ref` (OpenAPI 3.1 allows them) refine what it points to.
                    let siblings: Map<String, Value> = map
                        .iter()
                        .filter(|(k, _)| k.as_str() != "$ref")
                        .map(|(k, v)| (k.clone(), self.resolve(v)))
                        .collect();
                    return overlay(resolved, siblings);
                }
                let mut out = Map::new();
                for (k, v) in map {
                    if k != "allOf" {
                        out.insert(k.clone(), self.resolve(v));
                    }
                }
                match map.get("allOf") {
                    Some(Value::Array(parts)) => {
                        let parts: Vec<Value> = parts.iter().map(|p| self.resolve(p)).collect();
                        merge_all_of(parts, out)
                    }
                    _ => Value::Object(out),
                }
            }
            Value::Array(items) => Value::Array(items.iter().map(|v| self.resolve(v)).collect()),
            other => other.clone(),
        }
    }

    fn follow(&mut self, target: &str) -> Value {
        let Some(pointer) = target.strip_prefix('#') else {
            self.warnings.insert(format!(
                "`$ref: {target}` points outside this file; left as an open object"
            ));
            return open_object();
        };
        if self.stack.iter().any(|t| t == target) {
            self.cycle_seen = true;
            self.warnings.insert(format!(
                "`$ref: {target}` refers back to itself; the inner occurrence is an open object"
            ));
            return open_object();
        }
        if let Some(done) = self.done.get(target) {
            return done.clone();
        }
        let Some(found) = self.root.pointer(&decode_pointer(pointer)) else {
            self.warnings.insert(format!(
                "`$ref: {target}` points to nothing in the spec; left as an open object"
            ));
            return open_object();
        };
        let outer_cycle = std::mem::replace(&mut self.cycle_seen, false);
        self.stack.push(target.to_string());
        let resolved = self.resolve(found);
        self.stack.pop();
        if !self.cycle_seen {
            self.done.insert(target.to_string(), resolved.clone());
        }
        self.cycle_seen |= outer_cycle;
        resolved
    }
}

fn open_object() -> Value {
    serde_json::json!({"type": "object"})
}

/// A JSON pointer as written in a ref (`#/components/schemas/A%20B`) to serde_json's form.
fn decode_pointer(pointer: &str) -> String {
    let bytes = pointer.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = |b: u8| (b as char).to_digit(16);
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `base` with `extra`'s keys set on it (a non-object base is replaced when there are extras).
fn overlay(base: Value, extra: Map<String, Value>) -> Value {
    if extra.is_empty() {
        return base;
    }
    match base {
        Value::Object(mut map) => {
            for (k, v) in extra {
                map.insert(k, v);
            }
            Value::Object(map)
        }
        _ => Value::Object(extra),
    }
}

/// One schema from `allOf` parts and the schema's own keys: properties merged (later parts
/// win), `required` united in order, other keys from the first part that has them, the schema's
/// own keys last.
fn merge_all_of(parts: Vec<Value>, own: Map<String, Value>) -> Value {
    let mut merged = Map::new();
    let mut properties = Map::new();
    let mut required: Vec<Value> = Vec::new();
    let mut take = |map: Map<String, Value>, own: bool| {
        for (k, v) in map {
            match (k.as_str(), v) {
                ("properties", Value::Object(p)) => properties.extend(p),
                ("required", Value::Array(r)) => {
                    for name in r {
                        if !required.contains(&name) {
                            required.push(name);
                        }
                    }
                }
                (_, v) => {
                    if own || !merged.contains_key(&k) {
                        merged.insert(k, v);
                    }
                }
            }
        }
    };
    for part in parts {
        if let Value::Object(map) = part {
            take(map, false);
        }
    }
    take(own, true);
    if !properties.is_empty() {
        merged
            .entry("type")
            .or_insert_with(|| Value::String("object".into()));
        merged.insert("properties".into(), Value::Object(properties));
    }
    if !required.is_empty() {
        merged.insert("required".into(), Value::Array(required));
    }
    Value::Object(merged)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn refs_are_inlined_and_all_of_merged() {
        let doc = json!({
            "components": {"schemas": {
                "Id": {"type": "object", "properties": {"id": {"type": "integer"}}, "required": ["id"]},
                "Pet": {"allOf": [{"$ref": "#/components/schemas/Id"},
                                   {"properties": {"name": {"type": "string"}}, "required": ["name"]}]},
            }}
        });
        let mut r = Resolver::new(&doc);
        let pet = r.resolve(&json!({"$ref": "#/components/schemas/Pet"}));
        assert_eq!(
            pet,
            json!({"type": "object", "properties": {"id": {"type": "integer"}, "name": {"type": "string"}}, "required": ["id", "name"]})
        );
        assert!(r.warnings().is_empty());
    }

    #[test]
    fn a_cycle_becomes_an_open_object_and_a_warning() {
        let doc = json!({"definitions": {"Node": {"type": "object", "properties": {
            "child": {"$ref": "#/definitions/Node"}}}}});
        let mut r = Resolver::new(&doc);
        let node = r.resolve(&json!({"$ref": "#/definitions/Node"}));
        assert_eq!(node["properties"]["child"], json!({"type": "object"}));
        assert_eq!(r.warnings().len(), 1);
        assert!(r.warnings()[0].contains("#/definitions/Node"));
    }

    #[test]
    fn pointers_are_decoded() {
        let doc = json!({"paths": {"/a/{b}": {"x": 1}}, "s": {"a b": 2}});
        let mut r = Resolver::new(&doc);
        assert_eq!(r.resolve(&json!({"$ref": "#/paths/~1a~1{b}/x"})), json!(1));
        assert_eq!(r.resolve(&json!({"$ref": "#/s/a%20b"})), json!(2));
    }
}
