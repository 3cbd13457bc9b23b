//! pydantic v1's `Model.schema()` (what SDK 1.22.5 wrote for `from pydantic.v1 import ...` models):
//! a port of `pydantic/v1/schema.py`'s field walk, keeping its key order (title, description,
//! default, constraints, extras, then the type's keys), `allOf` wrapping of references that carry
//! overrides, and `definitions` in discovery order at the end.

use serde_json::{json, Map, Value};

use super::model::{DefaultValue, FieldDef, FieldInfo, Prim, Registry, Ty};
use super::title_from_name;
use super::v2::flatten_annotated;
use crate::core::python::ast::cleandoc;

/// The v1 schema of model `id`.
pub fn model_schema(reg: &Registry, id: usize) -> Value {
    let mut gen = Gen {
        reg,
        defs: Map::new(),
        known: vec![id],
    };
    let mut s = gen.model_process(id);
    if !gen.defs.is_empty() {
        s.insert(
            "definitions".into(),
            Value::Object(std::mem::take(&mut gen.defs)),
        );
    }
    Value::Object(s)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Singleton,
    List,
    Set,
    Tuple,
    Dict,
}

/// pydantic v1's `ModelField` after `_type_analysis`.
struct Field {
    alias: String,
    /// The type after unwrapping `Optional` and the container (v1's `type_`).
    type_: Ty,
    /// What `outer_type_` is, for `__modify_schema__` (only URLs have one among ours).
    outer_is_url: Option<Prim>,
    shape: Shape,
    sub_fields: Vec<Field>,
    info: FieldInfo,
    required: bool,
}

fn analyse(alias: String, ty: &Ty, info: FieldInfo, required_default: bool) -> Field {
    let mut f = Field {
        alias,
        type_: ty.clone(),
        outer_is_url: None,
        shape: Shape::Singleton,
        sub_fields: Vec::new(),
        info,
        required: required_default,
    };
    let mut ty = ty.clone();
    loop {
        match ty {
            Ty::Annotated(inner, _) => ty = *inner,
            Ty::Union(members) if members.iter().any(Ty::is_none) => {
                // Optional[X]: not required, default None.
                f.required = false;
                let rest: Vec<Ty> = members.into_iter().filter(|t| !t.is_none()).collect();
                ty = if rest.len() == 1 {
                    rest.into_iter().next().unwrap_or(Ty::Any)
                } else {
                    Ty::Union(rest)
                };
            }
            other => {
                ty = other;
                break;
            }
        }
    }
    if matches!(ty, Ty::Any) {
        f.required = false;
    }
    if let Ty::Prim(p @ (Prim::HttpUrl | Prim::AnyUrl)) = ty {
        f.outer_is_url = Some(p);
    }
    let sub = |t: &Ty, alias: &str| analyse(format!("_{alias}"), t, FieldInfo::empty(), true);
    match &ty {
        Ty::List(item) | Ty::Set(item) => {
            f.shape = if matches!(ty, Ty::List(_)) {
                Shape::List
            } else {
                Shape::Set
            };
            f.type_ = strip_annotated(item);
            f.sub_fields = vec![sub(item, &f.alias)];
        }
        Ty::Prim(Prim::List) | Ty::Prim(Prim::Set) => {
            f.shape = if matches!(ty, Ty::Prim(Prim::List)) {
                Shape::List
            } else {
                Shape::Set
            };
            f.type_ = Ty::Any;
            f.sub_fields = vec![sub(&Ty::Any, &f.alias)];
        }
        Ty::Dict(_, value) => {
            f.shape = Shape::Dict;
            f.type_ = strip_annotated(value);
            f.sub_fields = vec![sub(value, &f.alias)];
        }
        Ty::Tuple(items) => {
            f.shape = Shape::Tuple;
            f.sub_fields = items.iter().map(|t| sub(t, &f.alias)).collect();
        }
        Ty::Union(members) => {
            f.type_ = ty.clone();
            f.sub_fields = members.iter().map(|t| sub(t, &f.alias)).collect();
        }
        _ => f.type_ = ty.clone(),
    }
    f
}

fn strip_annotated(ty: &Ty) -> Ty {
    match ty {
        Ty::Annotated(inner, _) => strip_annotated(inner),
        other => other.clone(),
    }
}

struct Gen<'a> {
    reg: &'a Registry,
    defs: Map<String, Value>,
    known: Vec<usize>,
}

impl Gen<'_> {
    fn model_process(&mut self, id: usize) -> Map<String, Value> {
        let model = &self.reg.models[id];
        let mut s = Map::new();
        s.insert(
            "title".into(),
            Value::String(model.title.clone().unwrap_or_else(|| model.name.clone())),
        );
        if let Some(doc) = model.doc.as_deref().map(cleandoc).filter(|d| !d.is_empty()) {
            s.insert("description".into(), Value::String(doc));
        }
        let mut properties = Map::new();
        let mut required = Vec::new();
        for field in &model.fields {
            let f = model_field(field);
            let schema = self.field_schema(&f);
            properties.insert(f.alias.clone(), Value::Object(schema));
            if f.required {
                required.push(Value::String(f.alias.clone()));
            }
        }
        s.insert("type".into(), json!("object"));
        s.insert("properties".into(), Value::Object(properties));
        if !required.is_empty() {
            s.insert("required".into(), Value::Array(required));
        }
        s
    }

    fn field_schema(&mut self, f: &Field) -> Map<String, Value> {
        let (mut s, mut overrides) = field_info_schema(f);
        let validations = field_validations(f);
        if !validations.is_empty() {
            for (k, v) in validations {
                s.insert(k, v);
            }
            overrides = true;
        }
        let f_schema = self.field_type_schema(f, overrides);
        if f_schema.contains_key("$ref") {
            return f_schema;
        }
        for (k, v) in f_schema {
            s.insert(k, v);
        }
        s
    }

    fn field_type_schema(&mut self, f: &Field, overrides: bool) -> Map<String, Value> {
        match f.shape {
            Shape::List | Shape::Set => {
                let items = self.singleton(f, false);
                let mut s = Map::new();
                s.insert("type".into(), json!("array"));
                s.insert("items".into(), Value::Object(items));
                if f.shape == Shape::Set {
                    s.insert("uniqueItems".into(), json!(true));
                }
                s
            }
            Shape::Dict => {
                let items = self.singleton(f, false);
                let mut s = Map::new();
                s.insert("type".into(), json!("object"));
                if !items.is_empty() {
                    s.insert("additionalProperties".into(), Value::Object(items));
                }
                s
            }
            Shape::Tuple => {
                let n = f.sub_fields.len();
                let items: Vec<Value> = f
                    .sub_fields
                    .iter()
                    .map(|sf| Value::Object(self.field_type_schema(sf, false)))
                    .collect();
                let mut s = Map::new();
                s.insert("type".into(), json!("array"));
                s.insert("minItems".into(), json!(n));
                s.insert("maxItems".into(), json!(n));
                if n >= 1 {
                    s.insert("items".into(), Value::Array(items));
                }
                s
            }
            Shape::Singleton => self.singleton(f, overrides),
        }
    }

    fn singleton(&mut self, f: &Field, overrides: bool) -> Map<String, Value> {
        if !f.sub_fields.is_empty() && !matches!(f.type_, Ty::Model(_)) {
            return self.sub_fields_schema(f, overrides);
        }
        match &f.type_ {
            Ty::Any => Map::new(),
            Ty::NoneType => obj(json!({"type": "null"})),
            Ty::Literal(values) => {
                let mut s = Map::new();
                s.insert("enum".into(), Value::Array(values.clone()));
                if let Some(t) = super::v2::common_json_type(values) {
                    s.insert("type".into(), json!(t));
                }
                s
            }
            Ty::Enum(i) => {
                let name = self.reg.enums[*i].name.clone();
                let (mut s, overrides) = field_info_schema_with(f, overrides);
                for (k, v) in schema_ref(&name, overrides) {
                    s.insert(k, v);
                }
                let def = enum_schema(self.reg, *i);
                self.defs.insert(name, def);
                s
            }
            Ty::Model(i) => {
                let name = self.reg.models[*i].name.clone();
                if !self.known.contains(i) {
                    self.known.push(*i);
                    let sub = self.model_process(*i);
                    self.defs.insert(name.clone(), Value::Object(sub));
                }
                schema_ref(&name, overrides)
            }
            Ty::Prim(p) => prim_schema(*p),
            Ty::Annotated(inner, _) => {
                let sub = analyse(f.alias.clone(), inner, f.info.clone(), true);
                self.singleton(&sub, overrides)
            }
            // Containers nested directly in a union member are analysed as their own field.
            other => {
                let sub = analyse(f.alias.clone(), other, FieldInfo::empty(), true);
                self.field_type_schema(&sub, overrides)
            }
        }
    }

    fn sub_fields_schema(&mut self, f: &Field, overrides: bool) -> Map<String, Value> {
        if f.sub_fields.len() == 1 {
            return self.field_type_schema(&f.sub_fields[0], overrides);
        }
        let mut members = Vec::new();
        for sf in &f.sub_fields {
            let mut s = self.field_type_schema(sf, overrides);
            if overrides {
                if let Some(Value::Array(all)) = s.get("allOf") {
                    if let Some(Value::Object(first)) = all.first() {
                        s = first.clone();
                    }
                }
            }
            members.push(Value::Object(s));
        }
        let mut s = Map::new();
        s.insert("anyOf".into(), Value::Array(members));
        s
    }
}

fn model_field(field: &FieldDef) -> Field {
    let (ty, info) = flatten_annotated(&field.ty, &field.info);
    let required = matches!(info.default, DefaultValue::Required);
    analyse(field.key().to_string(), ty, info, required)
}

fn obj(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

fn schema_ref(name: &str, overrides: bool) -> Map<String, Value> {
    let r = json!({"$ref": format!("#/definitions/{name}")});
    if overrides {
        obj(json!({"allOf": [r]}))
    } else {
        obj(r)
    }
}

fn field_info_schema(f: &Field) -> (Map<String, Value>, bool) {
    field_info_schema_with(f, false)
}

/// v1 `get_field_info_schema`.
fn field_info_schema_with(f: &Field, mut overrides: bool) -> (Map<String, Value>, bool) {
    let mut s = Map::new();
    let is_enum = matches!(f.type_, Ty::Enum(_));
    if f.info.title.is_some() || !is_enum {
        let title = f
            .info
            .title
            .clone()
            .unwrap_or_else(|| title_from_name(&f.alias));
        s.insert("title".into(), Value::String(title));
    }
    if f.info.title.is_some() {
        overrides = true;
    }
    if let Some(d) = f.info.description.as_ref().filter(|d| !d.is_empty()) {
        s.insert("description".into(), Value::String(d.clone()));
        overrides = true;
    }
    if !f.required {
        if let DefaultValue::Value(v) = &f.info.default {
            if !v.is_null() {
                s.insert("default".into(), v.clone());
                overrides = true;
            }
        }
    }
    (s, overrides)
}

/// v1 `get_field_schema_validations`: string then numeric constraints (in v1's fixed order),
/// extra keyword arguments, then the URL types' `__modify_schema__`.
fn field_validations(f: &Field) -> Map<String, Value> {
    let mut s = Map::new();
    if matches!(f.type_, Ty::Enum(_)) {
        for (k, v) in &f.info.extra {
            s.insert(k.clone(), v.clone());
        }
        return s;
    }
    let stringy = matches!(
        f.type_,
        Ty::Prim(Prim::Str | Prim::Bytes | Prim::HttpUrl | Prim::AnyUrl | Prim::EmailStr)
    );
    if stringy {
        for (key, json_key) in [
            ("max_length", "maxLength"),
            ("min_length", "minLength"),
            ("regex", "pattern"),
        ] {
            if let Some(v) = f.info.constraint(key) {
                s.insert(json_key.into(), v.clone());
            }
        }
    }
    let numeric = matches!(f.type_, Ty::Prim(Prim::Int | Prim::Float | Prim::Decimal));
    if numeric {
        for (key, json_key) in [
            ("gt", "exclusiveMinimum"),
            ("lt", "exclusiveMaximum"),
            ("ge", "minimum"),
            ("le", "maximum"),
            ("multiple_of", "multipleOf"),
        ] {
            if let Some(v) = f.info.constraint(key) {
                s.insert(json_key.into(), v.clone());
            }
        }
    }
    // `min_items` / `max_items` are list constraints in v1.
    if matches!(f.shape, Shape::List | Shape::Set) {
        for (key, json_key) in [("min_items", "minItems"), ("max_items", "maxItems")] {
            if let Some(v) = f.info.constraint(key) {
                s.insert(json_key.into(), v.clone());
            }
        }
    }
    for (k, v) in &f.info.extra {
        s.insert(k.clone(), v.clone());
    }
    if f.shape == Shape::Singleton {
        if let Some(p) = f.outer_is_url {
            for (k, v) in url_modify(p) {
                s.insert(k, v);
            }
        }
    }
    s
}

fn url_modify(p: Prim) -> Map<String, Value> {
    let max = if p == Prim::HttpUrl { 2083 } else { 65536 };
    obj(json!({"minLength": 1, "maxLength": max, "format": "uri"}))
}

fn prim_schema(p: Prim) -> Map<String, Value> {
    let v = match p {
        Prim::Str | Prim::SecretStr => json!({"type": "string"}),
        Prim::Int => json!({"type": "integer"}),
        Prim::Float | Prim::Decimal => json!({"type": "number"}),
        Prim::Bool => json!({"type": "boolean"}),
        Prim::Bytes => json!({"type": "string", "format": "binary"}),
        Prim::DateTime => json!({"type": "string", "format": "date-time"}),
        Prim::Date => json!({"type": "string", "format": "date"}),
        Prim::Time => json!({"type": "string", "format": "time"}),
        Prim::TimeDelta => json!({"type": "number", "format": "time-delta"}),
        Prim::Uuid => json!({"type": "string", "format": "uuid"}),
        Prim::EmailStr => json!({"type": "string", "format": "email"}),
        Prim::HttpUrl | Prim::AnyUrl => {
            let mut m = obj(json!({"type": "string"}));
            m.extend(url_modify(p));
            return m;
        }
        Prim::List => json!({"type": "array", "items": {}}),
        Prim::Dict => json!({"type": "object"}),
        Prim::Set => json!({"type": "array", "items": {}, "uniqueItems": true}),
    };
    obj(v)
}

fn enum_schema(reg: &Registry, id: usize) -> Value {
    let e = &reg.enums[id];
    let mut s = Map::new();
    s.insert("title".into(), Value::String(e.name.clone()));
    let doc = e
        .doc
        .as_deref()
        .map(cleandoc)
        .filter(|d| !d.is_empty())
        .unwrap_or_else(|| "An enumeration.".into());
    s.insert("description".into(), Value::String(doc));
    s.insert("enum".into(), Value::Array(e.values.clone()));
    let t = match e.mixin {
        Some(Prim::Str) => Some("string"),
        Some(Prim::Int) => Some("integer"),
        Some(Prim::Float) => Some("number"),
        _ => None,
    };
    if let Some(t) = t {
        s.insert("type".into(), json!(t));
    }
    Value::Object(s)
}
