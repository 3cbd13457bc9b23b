//! Pydantic models as sync understands them once names are resolved: the input of both schema
//! generators. Built by `core::sync::resolve` from the Python reader's classes.

use serde_json::{Map, Value};

/// Which pydantic generated the schema: v2 `model_json_schema()` (SDK 1.27.0) or v1 `.schema()`
/// (`from pydantic.v1 import ...`, as SDK 1.22.5 wrote it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavor {
    V1,
    V2,
}

/// Types with a fixed JSON Schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prim {
    Str,
    Int,
    Float,
    Bool,
    Bytes,
    DateTime,
    Date,
    Time,
    TimeDelta,
    Uuid,
    Decimal,
    HttpUrl,
    AnyUrl,
    EmailStr,
    SecretStr,
    /// Bare `list` / `List` (items unconstrained).
    List,
    /// Bare `dict` / `Dict`.
    Dict,
    /// Bare `set`.
    Set,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Ty {
    Prim(Prim),
    Any,
    NoneType,
    List(Box<Ty>),
    Set(Box<Ty>),
    /// `tuple[A, B]` (fixed) — `tuple[A, ...]` is a `List`.
    Tuple(Vec<Ty>),
    Dict(Box<Ty>, Box<Ty>),
    /// `Union[...]` / `A | B` / `Optional[A]` (with `NoneType` as a member), in declaration order.
    Union(Vec<Ty>),
    Literal(Vec<Value>),
    Enum(usize),
    Model(usize),
    /// `Annotated[T, Field(...)]`.
    Annotated(Box<Ty>, Box<FieldInfo>),
}

impl Ty {
    pub fn is_none(&self) -> bool {
        matches!(self, Ty::NoneType)
    }
}

/// A field's default as pydantic sees it.
#[derive(Debug, Clone, PartialEq)]
pub enum DefaultValue {
    Required,
    Value(Value),
    /// `default_factory=...`: no `default` in the schema, not required.
    Factory,
}

/// What `Field(...)` (or a plain default) says about a field.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldInfo {
    pub default: DefaultValue,
    pub alias: Option<String>,
    pub title: Option<String>,
    pub description: Option<String>,
    pub examples: Option<Value>,
    /// `(python keyword, value)` for ge/gt/le/lt/multiple_of/min_length/max_length/pattern/regex,
    /// min_items/max_items, in call order.
    pub constraints: Vec<(String, Value)>,
    /// v2 `json_schema_extra={...}`, or v1 extra keyword arguments (`secret=True`).
    pub extra: Map<String, Value>,
}

impl FieldInfo {
    pub fn empty() -> Self {
        FieldInfo {
            default: DefaultValue::Required,
            alias: None,
            title: None,
            description: None,
            examples: None,
            constraints: Vec::new(),
            extra: Map::new(),
        }
    }

    pub fn constraint(&self, key: &str) -> Option<&Value> {
        self.constraints
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
    }

    /// Merges `other` over `self` (later `Field(...)` wins), as pydantic merges `Annotated` metadata
    /// with the assigned `Field`.
    pub fn merge(&mut self, other: &FieldInfo) {
        if other.default != DefaultValue::Required {
            self.default = other.default.clone();
        }
        for (slot, value) in [
            (&mut self.alias, &other.alias),
            (&mut self.title, &other.title),
            (&mut self.description, &other.description),
        ] {
            if value.is_some() {
                *slot = value.clone();
            }
        }
        if other.examples.is_some() {
            self.examples = other.examples.clone();
        }
        self.constraints.extend(other.constraints.iter().cloned());
        for (k, v) in &other.extra {
            self.extra.insert(k.clone(), v.clone());
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct FieldDef {
    pub name: String,
    pub ty: Ty,
    pub info: FieldInfo,
}

impl FieldDef {
    /// The key in `properties` and the base of the title (`by_alias=True`).
    pub fn key(&self) -> &str {
        self.info.alias.as_deref().unwrap_or(&self.name)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ModelDef {
    pub name: String,
    /// The class's own docstring, raw (v2 reads `__doc__`, v1 `inspect.getdoc`, which inherits).
    pub doc: Option<String>,
    /// Fields in pydantic order: base classes first, a redefinition keeps the base's position.
    pub fields: Vec<FieldDef>,
    pub flavor: Flavor,
    /// `model_config` / `Config` title override.
    pub title: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EnumDef {
    pub name: String,
    pub doc: Option<String>,
    pub values: Vec<Value>,
    /// The mixed-in type (`class K(str, Enum)`), which fixes `type` even when values vary.
    pub mixin: Option<Prim>,
}

/// Every model and enum reachable from the components, addressed by index from [`Ty`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Registry {
    pub models: Vec<ModelDef>,
    pub enums: Vec<EnumDef>,
}
