//! Field-by-field update of a hand-maintained JSON Schema (a component's `arguments` / `results`,
//! the module's `configuration`) from the schema the code generates.
//!
//! People write these schemas by hand: `$schema`, `format: uri`, no `title`s, descriptions worded
//! for the platform's forms, properties read from the raw configuration dict that no model
//! declares. So only what the code decides is brought in line: properties the code adds, types
//! and defaults that disagree, `required`, `secrets`. Everything else, and the order of keys, stays.

use serde_json::{Map, Value};

/// One difference between the code and a JSON schema, at a dotted path inside the file
/// (`arguments.chunk_size`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Drift {
    /// The JSON file, relative to the module root.
    pub file: String,
    pub path: String,
    pub message: String,
}

impl std::fmt::Display for Drift {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.path, self.message)
    }
}

/// What to bring in line.
#[derive(Debug, Clone, Default)]
pub struct MergeScope {
    /// Remove properties (and their `required` / `secrets` entries) that the code does not declare.
    pub prune: bool,
    /// Only these properties (the fields `add config` adds); `None` for all.
    pub only: Option<Vec<String>>,
}

/// Keys of a property schema that say what type it is. They are replaced together when the code's
/// type disagrees; descriptions, titles, examples and formats of a matching type are left alone.
const TYPE_KEYS: &[&str] = &[
    "type",
    "anyOf",
    "oneOf",
    "allOf",
    "$ref",
    "items",
    "enum",
    "const",
    "properties",
    "additionalProperties",
];

/// Merges `generated` into `existing` (both JSON Schemas of an object). Returns the drift found;
/// `existing` is updated in place. `at` is the dotted prefix for drift paths (`arguments`).
pub fn merge(
    existing: &mut Value,
    generated: &Value,
    scope: &MergeScope,
    file: &str,
    at: &str,
) -> Vec<Drift> {
    let mut drift = Vec::new();
    let mut report = |path: String, message: String| {
        drift.push(Drift {
            file: file.to_string(),
            path,
            message,
        })
    };
    let Some(gen) = generated.as_object() else {
        return drift;
    };
    let Value::Object(map) = existing else {
        report(
            at.to_string(),
            "is not a JSON object; replaced by the code's schema".into(),
        );
        *existing = generated.clone();
        return drift;
    };
    let in_scope = |name: &str| {
        scope
            .only
            .as_ref()
            .is_none_or(|o| o.iter().any(|n| n == name))
    };
    let empty = Map::new();
    let gen_props = gen
        .get("properties")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let had_props = map.get("properties").and_then(Value::as_object).is_some();
    let keep_titles = map
        .get("properties")
        .and_then(Value::as_object)
        .is_none_or(|p| p.is_empty() || p.values().any(|v| v.get("title").is_some()));
    if !had_props && !gen_props.is_empty() {
        map.insert("properties".into(), Value::Object(Map::new()));
    }
    let mut needs_defs = false;
    // `$ref`s in the existing schema point into its own definitions.
    let old_root = Value::Object(map.clone());

    // Properties.
    if let Some(Value::Object(props)) = map.get_mut("properties") {
        for (name, gen_prop) in gen_props {
            if !in_scope(name) {
                continue;
            }
            let path = format!("{at}.{name}");
            match props.get_mut(name) {
                None => {
                    report(path, "in the code, not in the JSON".into());
                    let mut fresh = gen_prop.clone();
                    if !keep_titles {
                        if let Value::Object(f) = &mut fresh {
                            f.shift_remove("title");
                        }
                    }
                    needs_defs |= has_ref(&fresh);
                    props.insert(name.clone(), fresh);
                }
                Some(prop) => {
                    if let Some(message) = update_property(prop, gen_prop, &old_root, generated) {
                        needs_defs |= has_ref(prop);
                        report(path, message);
                    }
                }
            }
        }
        let only_in_json: Vec<String> = props
            .keys()
            .filter(|k| !gen_props.contains_key(*k) && in_scope(k))
            .cloned()
            .collect();
        for name in &only_in_json {
            if scope.only.is_some() {
                continue;
            }
            let message = if scope.prune {
                "in the JSON, not in the code (removed)"
            } else {
                "in the JSON, not in the code"
            };
            report(format!("{at}.{name}"), message.into());
            if scope.prune {
                props.shift_remove(name);
            }
        }
    }

    // `required`: the code decides for the properties it declares; others keep their entry
    // unless pruned.
    let gen_required = string_list(gen.get("required"));
    let old_required = string_list(map.get("required"));
    let mut required: Vec<String> = old_required
        .iter()
        .filter(|r| {
            if !in_scope(r) {
                return true;
            }
            if gen_props.contains_key(*r) {
                gen_required.contains(r)
            } else {
                !scope.prune
            }
        })
        .cloned()
        .collect();
    for r in &gen_required {
        if in_scope(r) && !required.contains(r) {
            required.push(r.clone());
        }
    }
    if required != old_required {
        let added: Vec<&String> = required
            .iter()
            .filter(|r| !old_required.contains(r))
            .collect();
        let removed: Vec<&String> = old_required
            .iter()
            .filter(|r| !required.contains(r))
            .collect();
        let mut parts = Vec::new();
        if !added.is_empty() {
            parts.push(format!("the code requires {}", list(&added)));
        }
        if !removed.is_empty() {
            parts.push(format!("the code does not require {}", list(&removed)));
        }
        report(format!("{at}.required"), parts.join("; "));
        set_list(map, "required", required, "properties");
    }

    // `secrets`, as the SDK lists them after the schema.
    if let Some(gen_secrets) = gen.get("secrets") {
        let gen_secrets = string_list(Some(gen_secrets));
        let old = string_list(map.get("secrets"));
        let mut secrets: Vec<String> = old
            .iter()
            .filter(|s| !in_scope(s) || !scope.prune || gen_props.contains_key(*s))
            .filter(|s| !in_scope(s) || !gen_props.contains_key(*s) || gen_secrets.contains(s))
            .cloned()
            .collect();
        for s in gen_secrets {
            if in_scope(&s) && !secrets.contains(&s) {
                secrets.push(s);
            }
        }
        if secrets != old {
            report(
                format!("{at}.secrets"),
                format!(
                    "the code's secrets are {}",
                    list(&secrets.iter().collect::<Vec<_>>())
                ),
            );
            set_list(map, "secrets", secrets, "");
        }
    }

    // Definitions the inserted or updated properties refer to.
    if needs_defs {
        for key in ["$defs", "definitions"] {
            let Some(Value::Object(gen_defs)) = gen.get(key) else {
                continue;
            };
            let defs = map
                .entry(key.to_string())
                .or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(defs) = defs {
                for (name, def) in gen_defs {
                    if !defs.contains_key(name) {
                        defs.insert(name.clone(), def.clone());
                    }
                }
            }
        }
    }
    drift
}

/// Brings one property in line with the code: its type (when the non-null types differ) and its
/// default (when the code has a non-null one that differs). Returns what changed.
fn update_property(
    prop: &mut Value,
    gen: &Value,
    old_root: &Value,
    gen_root: &Value,
) -> Option<String> {
    let (Value::Object(p), Some(g)) = (&mut *prop, gen.as_object()) else {
        return None;
    };
    let mut parts = Vec::new();
    let (old_types, new_types) = (
        types(&Value::Object(p.clone()), old_root),
        types(gen, gen_root),
    );
    if !old_types.is_empty() && !new_types.is_empty() && old_types != new_types {
        parts.push(format!(
            "type: the code says {}, the JSON {}",
            new_types.join("|"),
            old_types.join("|")
        ));
        for key in TYPE_KEYS {
            match g.get(*key) {
                Some(v) => {
                    p.insert(key.to_string(), v.clone());
                }
                None => {
                    p.shift_remove(*key);
                }
            }
        }
        // A format belongs to the old type (`uri` on a string that became an integer).
        if g.get("format") != p.get("format") {
            match g.get("format") {
                Some(v) => {
                    p.insert("format".into(), v.clone());
                }
                None => {
                    p.shift_remove("format");
                }
            }
        }
    }
    if let Some(default) = g.get("default").filter(|d| !d.is_null()) {
        if p.get("default") != Some(default) && !same_number(p.get("default"), default) {
            parts.push(match p.get("default") {
                Some(old) => format!("default: the code says {default}, the JSON {old}"),
                None => format!("default: the code says {default}, the JSON has none"),
            });
            p.insert("default".into(), default.clone());
        }
    }
    (!parts.is_empty()).then(|| parts.join("; "))
}

/// `60` and `60.0` are the same default for a platform form.
fn same_number(a: Option<&Value>, b: &Value) -> bool {
    match (a.and_then(Value::as_f64), b.as_f64()) {
        (Some(x), Some(y)) => x == y,
        _ => false,
    }
}

/// The non-null JSON types a property schema allows, sorted; empty when it does not say.
/// `$ref`s are followed into `root`'s `$defs` / `definitions` (an enum model is a string).
fn types(schema: &Value, root: &Value) -> Vec<String> {
    let mut out = Vec::new();
    collect_types(schema, root, &mut out, 0);
    out.retain(|t| t != "null");
    out.sort();
    out.dedup();
    out
}

fn collect_types(schema: &Value, root: &Value, out: &mut Vec<String>, depth: usize) {
    if depth > 8 {
        return;
    }
    let Some(o) = schema.as_object() else { return };
    match o.get("type") {
        Some(Value::String(t)) => out.push(t.clone()),
        Some(Value::Array(ts)) => {
            out.extend(ts.iter().filter_map(|t| t.as_str().map(String::from)))
        }
        _ => {}
    }
    for key in ["anyOf", "oneOf"] {
        if let Some(Value::Array(alts)) = o.get(key) {
            for alt in alts {
                collect_types(alt, root, out, depth + 1);
            }
        }
    }
    if let Some(Value::Array(all)) = o.get("allOf") {
        for alt in all {
            collect_types(alt, root, out, depth + 1);
        }
    }
    if let Some(Value::String(r)) = o.get("$ref") {
        let target = r
            .strip_prefix("#/")
            .map(|path| path.split('/').try_fold(root, |v, key| v.get(key)));
        match target {
            Some(Some(def)) => collect_types(def, root, out, depth + 1),
            _ => out.push("object".into()),
        }
    }
}

fn has_ref(v: &Value) -> bool {
    match v {
        Value::Object(o) => o.contains_key("$ref") || o.values().any(has_ref),
        Value::Array(a) => a.iter().any(has_ref),
        _ => false,
    }
}

fn string_list(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

fn list(items: &[&String]) -> String {
    items
        .iter()
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Sets `key` to `values`, in place when it exists; a new key goes right after `after` (or at
/// the end). An empty list removes the key.
fn set_list(map: &mut Map<String, Value>, key: &str, values: Vec<String>, after: &str) {
    let value = Value::Array(values.into_iter().map(Value::String).collect());
    if value.as_array().is_some_and(|a| a.is_empty()) {
        map.shift_remove(key);
        return;
    }
    if let Some(slot) = map.get_mut(key) {
        *slot = value;
        return;
    }
    if after.is_empty() || !map.contains_key(after) {
        map.insert(key.to_string(), value);
        return;
    }
    let old = std::mem::take(map);
    let mut value = Some(value);
    for (k, v) in old {
        let here = k == after;
        map.insert(k, v);
        if here {
            if let Some(value) = value.take() {
                map.insert(key.to_string(), value);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(existing: Value, generated: Value, scope: MergeScope) -> (Value, Vec<String>) {
        let mut e = existing;
        let d = merge(&mut e, &generated, &scope, "c.json", "arguments");
        (e, d.iter().map(|d| d.to_string()).collect())
    }

    #[test]
    fn agreeing_schemas_are_left_alone() {
        let existing = json!({"$schema": "http://json-schema.org/draft-07/schema#", "properties": {"url": {"type": "string", "format": "uri", "description": "Hand"}, "n": {"type": "integer", "default": 60}}, "required": ["url"], "type": "object"});
        let generated = json!({"properties": {"url": {"format": "uri", "minLength": 1, "title": "Url", "type": "string"}, "n": {"anyOf": [{"type": "integer"}, {"type": "null"}], "default": 60, "title": "N"}}, "required": ["url"], "title": "A", "type": "object"});
        let (out, drift) = run(existing.clone(), generated, MergeScope::default());
        assert_eq!(out, existing);
        assert!(drift.is_empty(), "{drift:?}");
    }

    #[test]
    fn brings_in_new_fields_types_defaults_and_required_in_the_files_style() {
        let existing = json!({"properties": {"n": {"type": "string", "description": "N", "default": "5"}, "extra": {"type": "string"}}, "required": ["extra"], "type": "object"});
        let generated = json!({"properties": {"n": {"default": 60, "title": "N", "type": "integer"}, "new": {"title": "New", "type": "boolean"}}, "required": ["new"], "title": "A", "type": "object"});
        let (out, drift) = run(existing, generated.clone(), MergeScope::default());
        assert_eq!(
            out,
            json!({"properties": {"n": {"type": "integer", "description": "N", "default": 60}, "extra": {"type": "string"}, "new": {"type": "boolean"}}, "required": ["extra", "new"], "type": "object"})
        );
        assert_eq!(
            drift,
            [
                "c.json:arguments.n: type: the code says integer, the JSON string; default: the code says 60, the JSON \"5\"",
                "c.json:arguments.new: in the code, not in the JSON",
                "c.json:arguments.extra: in the JSON, not in the code",
                "c.json:arguments.required: the code requires `new`",
            ]
        );
        let (pruned, _) = run(
            out,
            generated,
            MergeScope {
                prune: true,
                only: None,
            },
        );
        assert_eq!(
            pruned,
            json!({"properties": {"n": {"type": "integer", "description": "N", "default": 60}, "new": {"type": "boolean"}}, "required": ["new"], "type": "object"})
        );
    }

    #[test]
    fn an_enum_model_is_a_string() {
        let existing = json!({"properties": {"d": {"type": "string", "enum": ["in", "out"]}}});
        let generated = json!({"$defs": {"Direction": {"enum": ["in", "out"], "title": "Direction", "type": "string"}}, "properties": {"d": {"$ref": "#/$defs/Direction"}}});
        let (out, drift) = run(existing.clone(), generated, MergeScope::default());
        assert_eq!(out, existing);
        assert!(drift.is_empty(), "{drift:?}");
    }

    #[test]
    fn only_touches_the_named_fields() {
        let existing = json!({"properties": {"a": {"type": "string"}}, "type": "object"});
        let generated = json!({"properties": {"a": {"type": "integer"}, "key": {"type": "string"}}, "required": ["key"], "secrets": ["key"]});
        let (out, _) = run(
            existing,
            generated,
            MergeScope {
                prune: false,
                only: Some(vec!["key".into()]),
            },
        );
        assert_eq!(
            out,
            json!({"properties": {"a": {"type": "string"}, "key": {"type": "string"}}, "required": ["key"], "type": "object", "secrets": ["key"]})
        );
    }
}
