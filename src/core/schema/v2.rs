//! pydantic 2's `model_json_schema()` (mode "validation", `by_alias=True`, `#/$defs/{name}`), as
//! SDK 1.27.0 writes it: nested models and enums in `$defs`, every key sorted alphabetically except
//! directly under `properties` and inside `default` (pydantic's `GenerateJsonSchema.sort`).

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use super::model::{DefaultValue, FieldDef, FieldInfo, Prim, Registry, Ty};
use super::title_from_name;
use crate::core::python::ast::cleandoc;

/// The JSON Schema of model `id`.
pub fn model_json_schema(reg: &Registry, id: usize) -> Value {
    let mut gen = Gen {
        reg,
        defs: BTreeMap::new(),
        top: id,
    };
    let mut top = gen.model_body(id);
    if !gen.defs.is_empty() {
        let defs: Map<String, Value> = std::mem::take(&mut gen.defs).into_iter().collect();
        top.insert("$defs".into(), Value::Object(defs));
    }
    sort(&Value::Object(top), None)
}

struct Gen<'a> {
    reg: &'a Registry,
    defs: BTreeMap<String, Value>,
    top: usize,
}

impl Gen<'_> {
    fn model_body(&mut self, id: usize) -> Map<String, Value> {
        let model = &self.reg.models[id];
        let mut out = Map::new();
        if let Some(doc) = model.doc.as_deref().map(cleandoc).filter(|d| !d.is_empty()) {
            out.insert("description".into(), Value::String(doc));
        }
        let mut properties = Map::new();
        let mut required = Vec::new();
        for field in &model.fields {
            let schema = self.field_schema(field);
            properties.insert(field.key().to_string(), Value::Object(schema));
            if field_required(field) {
                required.push(Value::String(field.key().to_string()));
            }
        }
        out.insert("properties".into(), Value::Object(properties));
        if !required.is_empty() {
            out.insert("required".into(), Value::Array(required));
        }
        out.insert(
            "title".into(),
            Value::String(model.title.clone().unwrap_or_else(|| model.name.clone())),
        );
        out.insert("type".into(), json!("object"));
        out
    }

    fn field_schema(&mut self, field: &FieldDef) -> Map<String, Value> {
        let (ty, info) = flatten_annotated(&field.ty, &field.info);
        let mut s = self.type_schema(ty);
        apply_constraints(&mut s, &info);
        if let Some(title) = &info.title {
            s.insert("title".into(), Value::String(title.clone()));
        } else if title_should_be_set(ty) {
            s.insert(
                "title".into(),
                Value::String(title_from_name(field.key()).trim().to_string()),
            );
        }
        if let Some(d) = &info.description {
            s.insert("description".into(), Value::String(d.clone()));
        }
        if let DefaultValue::Value(v) = &info.default {
            s.insert("default".into(), v.clone());
        }
        if let Some(ex) = &info.examples {
            s.insert("examples".into(), ex.clone());
        }
        for (k, v) in &info.extra {
            s.insert(k.clone(), v.clone());
        }
        s
    }

    fn type_schema(&mut self, ty: &Ty) -> Map<String, Value> {
        let v = match ty {
            Ty::Prim(p) => prim_schema(*p),
            Ty::Any => json!({}),
            Ty::NoneType => json!({"type": "null"}),
            Ty::List(item) => json!({"items": self.type_schema(item), "type": "array"}),
            Ty::Set(item) => {
                json!({"items": self.type_schema(item), "type": "array", "uniqueItems": true})
            }
            Ty::Tuple(items) => {
                let prefix: Vec<Value> = items
                    .iter()
                    .map(|t| Value::Object(self.type_schema(t)))
                    .collect();
                let n = prefix.len();
                if n == 0 {
                    json!({"maxItems": 0, "type": "array"})
                } else {
                    json!({"maxItems": n, "minItems": n, "prefixItems": prefix, "type": "array"})
                }
            }
            Ty::Dict(_, value) => {
                let additional = match value.as_ref() {
                    Ty::Any => Value::Bool(true),
                    other => Value::Object(self.type_schema(other)),
                };
                json!({"additionalProperties": additional, "type": "object"})
            }
            Ty::Union(members) => {
                let (nones, rest): (Vec<&Ty>, Vec<&Ty>) = members.iter().partition(|t| t.is_none());
                let inner: Vec<Value> = rest
                    .iter()
                    .map(|t| Value::Object(self.type_schema(t)))
                    .collect();
                let inner = if inner.len() == 1 {
                    inner.into_iter().next().unwrap_or(json!({}))
                } else {
                    flattened_anyof(inner)
                };
                if nones.is_empty() || inner == json!({"type": "null"}) {
                    inner
                } else {
                    flattened_anyof(vec![inner, json!({"type": "null"})])
                }
            }
            Ty::Literal(values) => literal_schema(values),
            Ty::Enum(i) => {
                let e = &self.reg.enums[*i];
                if !self.defs.contains_key(&e.name) {
                    let schema = enum_schema(self.reg, *i);
                    self.defs.insert(e.name.clone(), schema);
                }
                json!({"$ref": format!("#/$defs/{}", e.name)})
            }
            Ty::Model(i) => {
                let name = self.reg.models[*i].name.clone();
                if !self.defs.contains_key(&name) && *i != self.top {
                    // Reserve the name first so recursive models terminate.
                    self.defs.insert(name.clone(), Value::Null);
                    let body = self.model_body(*i);
                    self.defs.insert(name.clone(), Value::Object(body));
                }
                json!({"$ref": format!("#/$defs/{name}")})
            }
            Ty::Annotated(inner, info) => {
                let mut s = self.type_schema(inner);
                apply_constraints(&mut s, info);
                return s;
            }
        };
        match v {
            Value::Object(m) => m,
            _ => Map::new(),
        }
    }
}

pub(super) fn field_required(field: &FieldDef) -> bool {
    let (_, info) = flatten_annotated(&field.ty, &field.info);
    matches!(info.default, DefaultValue::Required)
}

/// `Annotated[T, Field(...)] = value`: the field's type is `T`; the annotated `Field` and the
/// assigned one are merged (the assigned one wins).
pub fn flatten_annotated<'t>(ty: &'t Ty, info: &FieldInfo) -> (&'t Ty, FieldInfo) {
    let mut ty = ty;
    let mut stack = Vec::new();
    while let Ty::Annotated(inner, meta) = ty {
        stack.push(meta.as_ref());
        ty = inner;
    }
    let mut merged = FieldInfo::empty();
    for meta in stack.iter().rev() {
        merged.merge(meta);
    }
    merged.merge(info);
    (ty, merged)
}

fn title_should_be_set(ty: &Ty) -> bool {
    match ty {
        Ty::Model(_) | Ty::Enum(_) => false,
        Ty::Annotated(inner, _) => title_should_be_set(inner),
        // `Optional[X]` is pydantic's nullable schema around X: X decides.
        Ty::Union(members) => {
            let rest: Vec<&Ty> = members.iter().filter(|t| !t.is_none()).collect();
            if rest.len() == 1 && rest.len() < members.len() {
                title_should_be_set(rest[0])
            } else {
                true
            }
        }
        _ => true,
    }
}

fn prim_schema(p: Prim) -> Value {
    match p {
        Prim::Str => json!({"type": "string"}),
        Prim::Int => json!({"type": "integer"}),
        Prim::Float => json!({"type": "number"}),
        Prim::Bool => json!({"type": "boolean"}),
        Prim::Bytes => json!({"format": "binary", "type": "string"}),
        Prim::DateTime => json!({"format": "date-time", "type": "string"}),
        Prim::Date => json!({"format": "date", "type": "string"}),
        Prim::Time => json!({"format": "time", "type": "string"}),
        Prim::TimeDelta => json!({"format": "duration", "type": "string"}),
        Prim::Uuid => json!({"format": "uuid", "type": "string"}),
        Prim::Decimal => {
            json!({"anyOf": [{"type": "number"}, {"pattern": "^(?!^[-+.]*$)[+-]?0*\\d*\\.?\\d*$", "type": "string"}]})
        }
        Prim::HttpUrl => {
            json!({"format": "uri", "maxLength": 2083, "minLength": 1, "type": "string"})
        }
        Prim::AnyUrl => json!({"format": "uri", "minLength": 1, "type": "string"}),
        Prim::EmailStr => json!({"format": "email", "type": "string"}),
        Prim::SecretStr => json!({"format": "password", "type": "string", "writeOnly": true}),
        Prim::List => json!({"items": {}, "type": "array"}),
        Prim::Dict => json!({"additionalProperties": true, "type": "object"}),
        Prim::Set => json!({"items": {}, "type": "array", "uniqueItems": true}),
    }
}

fn literal_schema(values: &[Value]) -> Value {
    let mut out = Map::new();
    if values.len() == 1 {
        out.insert("const".into(), values[0].clone());
    } else {
        out.insert("enum".into(), Value::Array(values.to_vec()));
    }
    if let Some(t) = common_json_type(values) {
        out.insert("type".into(), json!(t));
    }
    Value::Object(out)
}

/// The JSON type shared by all `values`, as pydantic derives `type` for literals and enums.
pub(super) fn common_json_type(values: &[Value]) -> Option<&'static str> {
    let kinds: std::collections::BTreeSet<&str> = values
        .iter()
        .map(|v| match v {
            Value::String(_) => "string",
            Value::Number(n) if n.is_f64() => "number",
            Value::Number(_) => "integer",
            Value::Bool(_) => "boolean",
            Value::Array(_) => "array",
            Value::Null => "null",
            Value::Object(_) => "object",
        })
        .collect();
    if kinds.len() == 1 {
        kinds.into_iter().next().filter(|k| *k != "object")
    } else {
        None
    }
}

fn enum_schema(reg: &Registry, id: usize) -> Value {
    let e = &reg.enums[id];
    let mut out = Map::new();
    if let Some(doc) = e
        .doc
        .as_deref()
        .map(cleandoc)
        .filter(|d| !d.is_empty() && d != "An enumeration.")
    {
        out.insert("description".into(), Value::String(doc));
    }
    out.insert("enum".into(), Value::Array(e.values.clone()));
    out.insert("title".into(), Value::String(e.name.clone()));
    let t = match e.mixin {
        Some(Prim::Str) => Some("string"),
        Some(Prim::Int) => Some("integer"),
        Some(Prim::Float) => Some("number"),
        _ => common_json_type(&e.values).filter(|t| *t != "null"),
    };
    if let Some(t) = t {
        out.insert("type".into(), json!(t));
    }
    Value::Object(out)
}

/// pydantic's `get_flattened_anyof`: members that are bare `anyOf`s are spliced in, duplicates
/// dropped, a single member returned as is.
fn flattened_anyof(schemas: Vec<Value>) -> Value {
    let mut members: Vec<Value> = Vec::new();
    for s in schemas {
        match s {
            Value::Object(ref m) if m.len() == 1 && m.contains_key("anyOf") => {
                if let Some(Value::Array(items)) = m.get("anyOf") {
                    members.extend(items.iter().cloned());
                }
            }
            other => members.push(other),
        }
    }
    let mut unique: Vec<Value> = Vec::new();
    for m in members {
        if !unique.contains(&m) {
            unique.push(m);
        }
    }
    if unique.len() == 1 {
        return unique.pop().unwrap_or(json!({}));
    }
    json!({ "anyOf": unique })
}

/// Field constraints land on the type's schema: through `Optional` onto the non-null member, and
/// `min_length`/`max_length` mean characters, items or properties depending on that type.
fn apply_constraints(s: &mut Map<String, Value>, info: &FieldInfo) {
    if info.constraints.is_empty() {
        return;
    }
    if let Some(Value::Array(members)) = s.get_mut("anyOf") {
        if let Some(Value::Object(target)) = members
            .iter_mut()
            .find(|m| m.get("type") != Some(&json!("null")))
        {
            apply_constraints(target, info);
            return;
        }
    }
    let ty = s
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    for (key, value) in &info.constraints {
        let json_key = match (key.as_str(), ty.as_str()) {
            ("ge", _) => "minimum",
            ("gt", _) => "exclusiveMinimum",
            ("le", _) => "maximum",
            ("lt", _) => "exclusiveMaximum",
            ("multiple_of", _) => "multipleOf",
            ("min_length" | "min_items", "array") => "minItems",
            ("max_length" | "max_items", "array") => "maxItems",
            ("min_length", "object") => "minProperties",
            ("max_length", "object") => "maxProperties",
            ("min_length", _) => "minLength",
            ("max_length", _) => "maxLength",
            ("pattern" | "regex", _) => "pattern",
            _ => continue,
        };
        s.insert(json_key.into(), value.clone());
    }
}

/// `GenerateJsonSchema.sort`: keys sorted recursively, except directly under `properties` and
/// `default` (whose own key order is meaningful).
pub fn sort(value: &Value, parent_key: Option<&str>) -> Value {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            if !matches!(parent_key, Some("properties") | Some("default")) {
                keys.sort();
            }
            let mut out = Map::new();
            for k in keys {
                out.insert(k.clone(), sort(&map[k], Some(k)));
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(|i| sort(i, parent_key)).collect()),
        other => other.clone(),
    }
}
