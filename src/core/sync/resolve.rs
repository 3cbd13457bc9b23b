//! From classes to the schema generators' [`Registry`]: field annotations become [`Ty`],
//! `Field(...)` calls and literals become [`FieldInfo`], enums get their values. Whatever cannot be
//! evaluated statically becomes a [`Warning`] with file:line and the field, never a silent guess.

use std::collections::HashMap;

use serde_json::{Map, Number, Value};

use super::classes::{is_sdk, Classes, Kind};
use super::index::{ClassKey, Sym};
use super::Warning;
use crate::core::python::{parse_expression, BinOp, ClassItem, Expr};
use crate::core::schema::{
    DefaultValue, EnumDef, FieldDef, FieldInfo, Flavor, ModelDef, Prim, Registry, Ty,
};

/// The SDK's `DefaultConnectorConfiguration`, which connectors inherit.
const DEFAULT_CONNECTOR_CONFIGURATION: &str = "DefaultConnectorConfiguration";

pub struct Resolver<'a> {
    pub classes: Classes<'a>,
    pub registry: Registry,
    pub warnings: Vec<Warning>,
    /// Which SDK is emulated: v1 (SDK 1.22.5, where the SDK's own models are pydantic.v1) when
    /// the models the components and the module use are all `pydantic.v1` ones; else v2 (SDK
    /// 1.27.0), see `emulated_flavor`. Each model's own schema flavor comes from its own base.
    pub flavor: Flavor,
    models: HashMap<ClassKey, usize>,
    enums: HashMap<ClassKey, usize>,
    default_connector: Option<usize>,
    /// The flavor of the model whose fields are being read (`Field(example=...)` differs).
    field_flavor: Flavor,
    /// Aliases and constants being followed, (module, line): meeting one again is a cycle.
    following: Vec<(String, usize)>,
}

/// Where a type or value is read, for warnings.
#[derive(Clone)]
struct At<'s> {
    module: &'s str,
    line: usize,
    field: &'s str,
}

/// How many aliases or constants a single type or value may go through.
const MAX_FOLLOW: usize = 64;

impl<'a> Resolver<'a> {
    pub fn new(classes: Classes<'a>) -> Self {
        let flavor = emulated_flavor(&classes);
        let mut resolver = Resolver {
            classes,
            registry: Registry::default(),
            warnings: Vec::new(),
            flavor,
            models: HashMap::new(),
            enums: HashMap::new(),
            default_connector: None,
            field_flavor: flavor,
            following: Vec::new(),
        };
        let deep: Vec<(String, usize)> = resolver
            .classes
            .index
            .modules
            .values()
            .flat_map(|m| m.file.deep.iter().map(|l| (m.dotted.clone(), *l)))
            .collect();
        for (module, line) in deep {
            let at = At {
                module: &module,
                line,
                field: "",
            };
            resolver.warn(
                &at,
                format!(
                    "expression nested more than {} levels deep: it is not read",
                    crate::core::python::reader::MAX_DEPTH
                ),
            );
        }
        resolver
    }

    fn warn(&mut self, at: &At, message: String) {
        let file = self.classes.index.path_of(at.module).to_string();
        let field = (!at.field.is_empty()).then(|| at.field.to_string());
        let w = Warning {
            file,
            line: at.line,
            field,
            message,
        };
        if !self.warnings.contains(&w) {
            self.warnings.push(w);
        }
    }

    /// The SDK's `DefaultConnectorConfiguration` model.
    pub fn default_connector_configuration(&mut self) -> usize {
        if let Some(id) = self.default_connector {
            return id;
        }
        let mut intake_server = FieldInfo::empty();
        intake_server.default = DefaultValue::Value(Value::Null);
        let fields = vec![
            FieldDef {
                name: "intake_server".into(),
                ty: Ty::Union(vec![Ty::Prim(Prim::Str), Ty::NoneType]),
                info: intake_server,
            },
            FieldDef {
                name: "intake_key".into(),
                ty: Ty::Prim(Prim::Str),
                info: FieldInfo::empty(),
            },
        ];
        let id = self.registry.models.len();
        self.registry.models.push(ModelDef {
            name: DEFAULT_CONNECTOR_CONFIGURATION.into(),
            doc: None,
            fields,
            flavor: self.flavor,
            title: None,
        });
        self.default_connector = Some(id);
        id
    }

    /// The registry index of the model class `key` (built on first use), or `None` if it is not a
    /// pydantic model.
    pub fn model(&mut self, key: &ClassKey) -> Option<usize> {
        if let Some(id) = self.models.get(key) {
            return Some(*id);
        }
        let kind = self.classes.kind(key);
        if kind == Kind::ModelV1 && self.flavor == Flavor::V2 {
            // SDK 1.27.0 takes only pydantic 2 models: a v1 action argument gives `{}`, and a
            // v1 configuration or results model makes it fail (no `model_json_schema`).
            let line = self.classes.def(key).map(|d| d.line).unwrap_or(0);
            let at = At {
                module: &key.module,
                line,
                field: "",
            };
            self.warn(
                &at,
                format!(
                    "{} is a pydantic.v1 model in a pydantic 2 module: SDK 1.27.0 writes {{}} for \
                     it as action arguments and fails on it as a configuration or results model",
                    key.name
                ),
            );
            return None;
        }
        let flavor = match kind {
            Kind::ModelV1 => Flavor::V1,
            Kind::ModelV2 => Flavor::V2,
            Kind::ConnectorConfiguration | Kind::TypedDict => self.flavor,
            _ => return None,
        };
        let id = self.registry.models.len();
        self.registry.models.push(ModelDef {
            name: key.name.clone(),
            doc: None,
            fields: Vec::new(),
            flavor,
            title: None,
        });
        self.models.insert(key.clone(), id);

        let mro = self.classes.mro(key);
        // `DefaultConnectorConfiguration`'s fields come from its stub, at its place in the MRO.
        let mut fields: Vec<FieldDef> = Vec::new();
        // pydantic collects annotations walking the MRO from the root down: a field keeps the
        // position where a base first declared it, and the most derived declaration wins.
        let saved_flavor = std::mem::replace(&mut self.field_flavor, flavor);
        let total = self.classes.typed_dict_total(key);
        if kind == Kind::TypedDict {
            let from_typing = self
                .classes
                .external_bases(key)
                .iter()
                .any(|b| matches!(b, Sym::External(m, n) if m == "typing" && n == "TypedDict"));
            if from_typing {
                let line = self.classes.def(key).map(|d| d.line).unwrap_or(0);
                let at = At {
                    module: &key.module,
                    line,
                    field: "",
                };
                self.warn(
                    &at,
                    format!(
                        "{} derives from typing.TypedDict, which pydantic rejects on Python < 3.12 \
                         (the SDK then fails); use typing_extensions.TypedDict",
                        key.name
                    ),
                );
            }
        }
        // Which declaration a field gets: pydantic (both versions) merges the direct bases'
        // fields in reverse order, each merged the same way, then the class's own annotations;
        // a redeclaration replaces the field. Where the field goes: v1 keeps that merge order,
        // pydantic 2 lists fields in the order the MRO, walked from the root, first declares them.
        let order = self.classes.field_order(key, Flavor::V1);
        for k in &order {
            let Some(def) = self.classes.def(k) else {
                continue;
            };
            for item in &def.items {
                let ClassItem::Annotated {
                    name,
                    annotation,
                    value,
                    line,
                } = item
                else {
                    continue;
                };
                if name.starts_with('_') || name == "model_config" || is_classvar(annotation) {
                    continue;
                }
                let at = At {
                    module: &k.module,
                    line: *line,
                    field: name,
                };
                if kind == Kind::TypedDict {
                    let field = self.typed_dict_field(&at, name, annotation, total);
                    match fields.iter_mut().find(|f| f.name == *name) {
                        Some(existing) => *existing = field,
                        None => fields.push(field),
                    }
                    continue;
                }
                let ty = self.ty(&at, annotation);
                let info = self.field_info(&at, value.as_ref(), flavor);
                let field = FieldDef {
                    name: name.clone(),
                    ty,
                    info,
                };
                match fields.iter_mut().find(|f| f.name == *name) {
                    Some(existing) => *existing = field,
                    None => fields.push(field),
                }
            }
        }
        self.field_flavor = saved_flavor;
        if flavor == Flavor::V2 || kind == Kind::TypedDict {
            let mut names: Vec<&str> = Vec::new();
            for k in self.classes.field_order(key, Flavor::V2) {
                let Some(def) = self.classes.def(&k) else {
                    continue;
                };
                for item in &def.items {
                    if let ClassItem::Annotated { name, .. } = item {
                        if !names.contains(&name.as_str()) {
                            names.push(name);
                        }
                    }
                }
            }
            let position = |n: &str| names.iter().position(|m| *m == n).unwrap_or(usize::MAX);
            fields.sort_by_key(|f| position(&f.name));
        }
        let own_doc = self.classes.def(key).and_then(|d| d.docstring.clone());
        // v1 uses `inspect.getdoc`, which falls back to the nearest ancestor's docstring.
        let doc = match flavor {
            Flavor::V2 => own_doc,
            Flavor::V1 => mro
                .iter()
                .find_map(|k| self.classes.def(k).and_then(|d| d.docstring.clone())),
        };
        let title = self.config_title(&mro);
        let model = &mut self.registry.models[id];
        model.fields = fields;
        model.doc = doc;
        model.title = title;
        Some(id)
    }

    /// A `TypedDict` key: required unless the class is `total=False` or the key is wrapped in
    /// `NotRequired[...]` (`Required[...]` forces it); TypedDict keys have no defaults.
    fn typed_dict_field(
        &mut self,
        at: &At,
        name: &str,
        annotation: &Expr,
        total: bool,
    ) -> FieldDef {
        let parsed;
        let annotation = match annotation {
            Expr::Str(s) => match parse_expression(s) {
                Some(e) => {
                    parsed = e;
                    &parsed
                }
                None => annotation,
            },
            other => other,
        };
        let (inner, required) = match annotation {
            Expr::Subscript(base, args) if args.len() == 1 => match self.resolve(at, base) {
                Some(Sym::External(m, n))
                    if matches!(m.as_str(), "typing" | "typing_extensions") =>
                {
                    match n.as_str() {
                        "Required" => (&args[0], true),
                        "NotRequired" => (&args[0], false),
                        _ => (annotation, total),
                    }
                }
                _ => (annotation, total),
            },
            _ => (annotation, total),
        };
        let ty = self.ty(at, inner);
        let mut info = FieldInfo::empty();
        if !required {
            // Not required and no `default` in the schema, like a default factory.
            info.default = DefaultValue::Factory;
        }
        FieldDef {
            name: name.to_string(),
            ty,
            info,
        }
    }

    /// Resolves a name or attribute chain as seen from `at`'s line.
    fn resolve(&self, at: &At, expr: &Expr) -> Option<Sym> {
        self.classes
            .index
            .resolve_expr_at(at.module, expr, Some(at.line))
    }

    /// `model_config = ConfigDict(title=...)` or v1 `class Config: title = ...`.
    fn config_title(&self, mro: &[ClassKey]) -> Option<String> {
        for k in mro {
            let def = self.classes.def(k)?;
            if let Some((Expr::Call { kwargs, .. }, _)) = def.assigned("model_config") {
                if let Some((_, Expr::Str(t))) = kwargs.iter().find(|(n, _)| n == "title") {
                    return Some(t.clone());
                }
            }
        }
        None
    }

    pub fn enum_(&mut self, key: &ClassKey, mixin: Option<Prim>) -> usize {
        if let Some(id) = self.enums.get(key) {
            return *id;
        }
        let mut values = Vec::new();
        let def = self.classes.def(key).cloned();
        let mut doc = None;
        if let Some(def) = &def {
            doc = def.docstring.clone();
            for item in &def.items {
                if let ClassItem::Assign { name, value, line } = item {
                    if name.starts_with('_') {
                        continue;
                    }
                    let at = At {
                        module: &key.module,
                        line: *line,
                        field: name,
                    };
                    match self.literal(&at, value) {
                        Some(v) => values.push(v),
                        None => self.warn(
                            &at,
                            format!(
                                "enum member {}.{name} has a value that is not a literal",
                                key.name
                            ),
                        ),
                    }
                }
            }
        }
        let id = self.registry.enums.len();
        self.registry.enums.push(EnumDef {
            name: key.name.clone(),
            doc,
            values,
            mixin,
        });
        self.enums.insert(key.clone(), id);
        id
    }

    /// Resolves a type annotation (a [`Ty`] of `Any` plus a warning when unknown).
    fn ty(&mut self, at: &At, expr: &Expr) -> Ty {
        match expr {
            Expr::None => Ty::NoneType,
            Expr::Str(s) => match parse_expression(s) {
                Some(e) if !matches!(e, Expr::Str(_)) => self.ty(at, &e),
                _ => self.unknown(at, s),
            },
            Expr::BitOr(a, b) => {
                let members = vec![self.ty(at, a), self.ty(at, b)];
                union(members)
            }
            Expr::Name(_) | Expr::Attr(..) => {
                let sym = self.resolve(at, expr);
                self.named_type(at, expr, sym)
            }
            Expr::Subscript(base, args) => {
                let sym = self.resolve(at, base);
                let generic = match &sym {
                    Some(Sym::External(m, n))
                        if matches!(
                            m.as_str(),
                            "typing" | "typing_extensions" | "collections.abc" | "builtins"
                        ) =>
                    {
                        n.clone()
                    }
                    Some(Sym::Unbound(n)) => n.clone(),
                    // `Seq = list` then `Seq[str]`: an alias of a builtin generic.
                    Some(Sym::Alias(_, Expr::Name(n), _)) => n.clone(),
                    _ => String::new(),
                };
                self.generic(at, &generic, args, expr)
            }
            other => {
                let text = format!("{other:?}");
                self.unknown(at, &text)
            }
        }
    }

    fn generic(&mut self, at: &At, generic: &str, args: &[Expr], whole: &Expr) -> Ty {
        let arg = |r: &mut Self, i: usize| match args.get(i) {
            Some(e) => r.ty(at, e),
            None => Ty::Any,
        };
        match generic {
            "Optional" => union(vec![arg(self, 0), Ty::NoneType]),
            "Union" => {
                let members = args.iter().map(|a| self.ty(at, a)).collect();
                union(members)
            }
            "list" | "List" | "Sequence" | "MutableSequence" | "Iterable" | "Collection"
            | "Deque" | "deque" => Ty::List(Box::new(arg(self, 0))),
            "set" | "Set" | "frozenset" | "FrozenSet" | "AbstractSet" | "MutableSet" => {
                Ty::Set(Box::new(arg(self, 0)))
            }
            "tuple" | "Tuple" => {
                if args.len() == 2 && args[1] == Expr::Ellipsis {
                    Ty::List(Box::new(arg(self, 0)))
                } else {
                    Ty::Tuple(args.iter().map(|a| self.ty(at, a)).collect())
                }
            }
            "dict" | "Dict" | "Mapping" | "MutableMapping" | "OrderedDict" | "DefaultDict"
            | "defaultdict" => Ty::Dict(Box::new(arg(self, 0)), Box::new(arg(self, 1))),
            "Literal" => {
                let mut values = Vec::new();
                for a in args {
                    match self.literal(at, a) {
                        Some(v) => values.push(v),
                        None => {
                            self.warn(at, format!("Literal value `{a:?}` is not a static literal"));
                        }
                    }
                }
                Ty::Literal(values)
            }
            "Annotated" => {
                let inner = arg(self, 0);
                let mut info = FieldInfo::empty();
                for meta in args.iter().skip(1) {
                    if is_field_call(meta) {
                        let flavor = self.field_flavor;
                        let parsed = self.field_info(at, Some(meta), flavor);
                        info.merge(&parsed);
                    } else {
                        self.warn(
                            at,
                            "Annotated metadata other than Field(...) is ignored".to_string(),
                        );
                    }
                }
                Ty::Annotated(Box::new(inner), Box::new(info))
            }
            "ClassVar" | "Final" | "Required" | "NotRequired" => arg(self, 0),
            _ => {
                let text = format!("{whole:?}");
                self.unknown(at, &text)
            }
        }
    }

    fn named_type(&mut self, at: &At, expr: &Expr, sym: Option<Sym>) -> Ty {
        let name = expr.dotted().unwrap_or_default();
        match sym {
            Some(Sym::Class(key)) => match self.classes.kind(&key) {
                Kind::ModelV1 | Kind::ModelV2 | Kind::ConnectorConfiguration | Kind::TypedDict => {
                    match self.model(&key) {
                        Some(id) => Ty::Model(id),
                        None => self.unknown(at, &name),
                    }
                }
                Kind::Enum(mixin) => Ty::Enum(self.enum_(&key, mixin)),
                _ => self.unknown(at, &name),
            },
            Some(Sym::External(module, n)) => match external_type(&module, &n) {
                Some(ty) => ty,
                None if is_sdk(&module) && n == DEFAULT_CONNECTOR_CONFIGURATION => {
                    Ty::Model(self.default_connector_configuration())
                }
                None => self.unknown(at, &name),
            },
            Some(Sym::Unbound(n)) => match builtin_type(&n) {
                Some(ty) => ty,
                None => self.unknown(at, &name),
            },
            Some(Sym::Alias(module, e, line)) => {
                // The alias's value, read as of its own line (`X = Y` sees the `Y` bound above).
                let at2 = At {
                    module: &module,
                    line,
                    field: at.field,
                };
                match self.follow(at, &module, line) {
                    Ok(()) => {
                        let ty = self.ty(&at2, &e);
                        self.following.pop();
                        ty
                    }
                    Err(()) => Ty::Any,
                }
            }
            _ => self.unknown(at, &name),
        }
    }

    /// Enters the alias or constant at `module`:`line`; a cycle or a chain longer than
    /// [`MAX_FOLLOW`] is a warning at `at` (Python would raise NameError or ImportError).
    fn follow(&mut self, at: &At, module: &str, line: usize) -> Result<(), ()> {
        let key = (module.to_string(), line);
        if self.following.contains(&key) {
            self.warn(
                at,
                "this name refers to itself through assignments or imports (a cycle): it is not evaluated".into(),
            );
            return Err(());
        }
        if self.following.len() >= MAX_FOLLOW {
            self.warn(
                at,
                format!("more than {MAX_FOLLOW} chained assignments: the name is not evaluated"),
            );
            return Err(());
        }
        self.following.push(key);
        Ok(())
    }

    fn unknown(&mut self, at: &At, what: &str) -> Ty {
        self.warn(
            at,
            format!("unknown type `{what}`: its schema is left unconstrained ({{}})"),
        );
        Ty::Any
    }

    /// The `FieldInfo` of a field's assigned value: `Field(...)` or a plain default.
    fn field_info(&mut self, at: &At, value: Option<&Expr>, flavor: Flavor) -> FieldInfo {
        let mut info = FieldInfo::empty();
        let Some(value) = value else { return info };
        if !is_field_call(value) {
            info.default = self.default(at, value);
            return info;
        }
        let Expr::Call { args, kwargs, .. } = value else {
            return info;
        };
        if let Some(first) = args.first() {
            info.default = self.default(at, first);
        }
        for (key, v) in kwargs {
            match key.as_str() {
                "default" => info.default = self.default(at, v),
                "default_factory" => info.default = DefaultValue::Factory,
                "alias" => info.alias = self.string(at, v),
                "title" => info.title = self.string(at, v),
                "description" => info.description = self.string(at, v),
                "examples" => info.examples = self.literal(at, v),
                "example" if flavor == Flavor::V1 => {
                    if let Some(lit) = self.literal(at, v) {
                        info.extra.insert("example".into(), lit);
                    }
                }
                "ge" | "gt" | "le" | "lt" | "multiple_of" | "min_length" | "max_length"
                | "pattern" | "regex" | "min_items" | "max_items" => match self.literal(at, v) {
                    Some(lit) => info.constraints.push((key.clone(), lit)),
                    None => self.warn(
                        at,
                        format!("`{key}` is not a static value and was left out"),
                    ),
                },
                "json_schema_extra" => match self.literal(at, v) {
                    Some(Value::Object(map)) => {
                        for (k, v) in map {
                            info.extra.insert(k, v);
                        }
                    }
                    _ => self.warn(
                        at,
                        "json_schema_extra is not a literal dict and was left out".into(),
                    ),
                },
                // Keyword arguments that do not change the validation schema.
                "validation_alias"
                | "serialization_alias"
                | "exclude"
                | "include"
                | "repr"
                | "init"
                | "init_var"
                | "kw_only"
                | "frozen"
                | "validate_default"
                | "strict"
                | "allow_inf_nan"
                | "max_digits"
                | "decimal_places"
                | "union_mode"
                | "coerce_numbers_to_str"
                | "fail_fast"
                | "allow_mutation"
                | "const"
                | "unique_items"
                | "discriminator"
                | "field_title_generator"
                | "deprecated" => {}
                "**" => self.warn(at, "Field(**kwargs) cannot be read statically".into()),
                // pydantic (v1 and, deprecated, v2) puts any other keyword into the schema.
                other => match self.literal(at, v) {
                    Some(lit) => {
                        info.extra.insert(other.to_string(), lit);
                    }
                    None => self.warn(
                        at,
                        format!("Field argument `{other}` is not a static value and was left out"),
                    ),
                },
            }
        }
        info
    }

    fn default(&mut self, at: &At, value: &Expr) -> DefaultValue {
        if *value == Expr::Ellipsis {
            return DefaultValue::Required;
        }
        match self.literal(at, value) {
            Some(v) => DefaultValue::Value(v),
            None => {
                self.warn(at, "computed default: it cannot be evaluated statically and is left out of the schema".into());
                DefaultValue::Factory
            }
        }
    }

    fn string(&mut self, at: &At, value: &Expr) -> Option<String> {
        match self.literal(at, value) {
            Some(Value::String(s)) => Some(s),
            Some(Value::Null) => None,
            _ => {
                self.warn(at, "expected a static string".into());
                None
            }
        }
    }

    /// The value of the module-level assignment `expr` at `module`:`line`, read as of that line.
    fn constant(&mut self, at: &At, module: &str, expr: &Expr, line: usize) -> Option<Value> {
        self.follow(at, module, line).ok()?;
        let at2 = At {
            module,
            line,
            field: at.field,
        };
        let v = self.literal(&at2, expr);
        self.following.pop();
        v
    }

    /// A static Python value: literals and containers of them, enum members, module-level
    /// constants (of this file or imported from another file of the package, each read as of its
    /// own line), and arithmetic on them (`5 * 60`, `BASE + "/path"`), with Python's semantics.
    fn literal(&mut self, at: &At, value: &Expr) -> Option<Value> {
        Some(match value {
            Expr::Str(s) => Value::String(s.clone()),
            Expr::Int(i) => int_value(i, false)?,
            Expr::Float(f) => Value::Number(Number::from_f64(*f)?),
            Expr::Neg(inner) => match inner.as_ref() {
                Expr::Int(i) => int_value(i, true)?,
                other => {
                    let v = self.literal(at, other)?;
                    arithmetic(&Value::from(0), BinOp::Sub, &v)?
                }
            },
            Expr::BinOp(left, op, right) => {
                let l = self.literal(at, left)?;
                let r = self.literal(at, right)?;
                arithmetic(&l, *op, &r)?
            }
            Expr::Name(_) => match self.resolve(at, value)? {
                Sym::Alias(module, expr, line) => self.constant(at, &module, &expr, line)?,
                _ => return None,
            },
            Expr::Bool(b) => Value::Bool(*b),
            Expr::None => Value::Null,
            Expr::List(items) | Expr::Tuple(items) | Expr::Set(items) => {
                let mut out = Vec::new();
                for i in items {
                    out.push(self.literal(at, i)?);
                }
                Value::Array(out)
            }
            Expr::Dict(pairs) => {
                let mut out = Map::new();
                for (k, v) in pairs {
                    let key = match self.literal(at, k)? {
                        Value::String(s) => s,
                        Value::Number(n) => n.to_string(),
                        Value::Bool(b) => b.to_string(),
                        _ => return None,
                    };
                    out.insert(key, self.literal(at, v)?);
                }
                Value::Object(out)
            }
            Expr::Attr(base, member) => {
                // `module.CONSTANT`
                if let Some(Sym::Alias(module, expr, line)) = self.resolve(at, value) {
                    return self.constant(at, &module, &expr, line);
                }
                // `Kind.MEMBER` → the member's value.
                let Some(Sym::Class(key)) = self.resolve(at, base) else {
                    return None;
                };
                let Kind::Enum(_) = self.classes.kind(&key) else {
                    return None;
                };
                let def = self.classes.def(&key)?.clone();
                let (expr, line) = def.assigned(member)?;
                let at2 = At {
                    module: &key.module,
                    line,
                    field: at.field,
                };
                self.literal(&at2, expr)?
            }
            Expr::Call { func, args, kwargs } if kwargs.is_empty() && args.len() <= 1 => {
                // `list()`, `dict()`, `set()`, `tuple()` and `str("x")`-like trivial calls.
                let name = func.dotted().unwrap_or_default();
                match (name.as_str(), args.first()) {
                    ("list" | "set" | "tuple" | "frozenset", None) => Value::Array(Vec::new()),
                    ("dict", None) => Value::Object(Map::new()),
                    _ => return None,
                }
            }
            _ => return None,
        })
    }
}

/// `l op r` on static values, as Python computes it: `int` arithmetic stays integral (floor
/// division and modulo round toward negative infinity), `/` and anything with a float give a
/// float, `+` concatenates strings and lists, `*` repeats them. `None` for what Python rejects
/// (ZeroDivisionError, TypeError) or what JSON cannot hold (integers beyond 64 bits).
fn arithmetic(l: &Value, op: BinOp, r: &Value) -> Option<Value> {
    /// Python bools are ints.
    fn int(v: &Value) -> Option<i128> {
        match v {
            Value::Bool(b) => Some(i128::from(*b)),
            Value::Number(n) if !n.is_f64() => n
                .as_i64()
                .map(i128::from)
                .or_else(|| n.as_u64().map(i128::from)),
            _ => None,
        }
    }
    fn float(v: &Value) -> Option<f64> {
        match v {
            Value::Number(n) if n.is_f64() => n.as_f64(),
            other => int(other).map(|i| i as f64),
        }
    }
    /// Repetition is capped: a huge `"x" * 10**9` is not a plausible default.
    const MAX_REPEAT: i128 = 100_000;
    match (l, r) {
        (Value::String(a), Value::String(b)) if op == BinOp::Add => {
            return Some(Value::String(format!("{a}{b}")))
        }
        (Value::Array(a), Value::Array(b)) if op == BinOp::Add => {
            return Some(Value::Array(a.iter().chain(b).cloned().collect()))
        }
        (Value::String(s), n) | (n, Value::String(s)) if op == BinOp::Mul => {
            let times = int(n)?;
            if times.saturating_mul(s.len() as i128) > MAX_REPEAT {
                return None;
            }
            return Some(Value::String(s.repeat(times.max(0) as usize)));
        }
        (Value::Array(a), n) | (n, Value::Array(a)) if op == BinOp::Mul => {
            let times = int(n)?;
            if times.saturating_mul(a.len() as i128) > MAX_REPEAT {
                return None;
            }
            let mut out = Vec::new();
            for _ in 0..times.max(0) {
                out.extend(a.iter().cloned());
            }
            return Some(Value::Array(out));
        }
        _ => {}
    }
    if let (Some(a), Some(b)) = (int(l), int(r)) {
        let v = match op {
            BinOp::Add => a.checked_add(b)?,
            BinOp::Sub => a.checked_sub(b)?,
            BinOp::Mul => a.checked_mul(b)?,
            BinOp::FloorDiv => {
                if b == 0 {
                    return None;
                }
                let q = a / b;
                if a % b != 0 && ((a < 0) != (b < 0)) {
                    q - 1
                } else {
                    q
                }
            }
            BinOp::Mod => {
                if b == 0 {
                    return None;
                }
                let m = a % b;
                if m != 0 && ((m < 0) != (b < 0)) {
                    m + b
                } else {
                    m
                }
            }
            BinOp::Pow if b >= 0 => a.checked_pow(u32::try_from(b).ok()?)?,
            BinOp::Pow | BinOp::Div => {
                return float_value(float_op(a as f64, op, b as f64)?);
            }
        };
        return if let Ok(v) = i64::try_from(v) {
            Some(Value::from(v))
        } else {
            u64::try_from(v).ok().map(Value::from)
        };
    }
    float_value(float_op(float(l)?, op, float(r)?)?)
}

fn float_op(a: f64, op: BinOp, b: f64) -> Option<f64> {
    Some(match op {
        BinOp::Add => a + b,
        BinOp::Sub => a - b,
        BinOp::Mul => a * b,
        BinOp::Div if b != 0.0 => a / b,
        BinOp::FloorDiv if b != 0.0 => (a / b).floor(),
        BinOp::Mod if b != 0.0 => {
            let m = a % b;
            if m != 0.0 && ((m < 0.0) != (b < 0.0)) {
                m + b
            } else {
                m
            }
        }
        BinOp::Pow => a.powf(b),
        _ => return None,
    })
}

fn float_value(f: f64) -> Option<Value> {
    // Python would give inf (OverflowError for `**`); JSON cannot hold it either.
    f.is_finite()
        .then(|| Number::from_f64(f).map(Value::Number))?
}

fn int_value(digits: &str, negative: bool) -> Option<Value> {
    if negative {
        let v: i64 = format!("-{digits}").parse().ok()?;
        Some(Value::Number(v.into()))
    } else {
        let v: u64 = digits.parse().ok()?;
        Some(Value::Number(v.into()))
    }
}

fn is_field_call(expr: &Expr) -> bool {
    match expr {
        Expr::Call { func, .. } => matches!(
            func.dotted().as_deref(),
            Some("Field" | "pydantic.Field" | "v1.Field" | "pydantic.v1.Field")
        ),
        _ => false,
    }
}

fn is_classvar(annotation: &Expr) -> bool {
    let base = match annotation {
        Expr::Subscript(base, _) => base.as_ref(),
        other => other,
    };
    matches!(
        base.dotted().as_deref(),
        Some("ClassVar" | "typing.ClassVar")
    )
}

/// Flattens nested unions and drops duplicates, as `typing.Union` does.
fn union(members: Vec<Ty>) -> Ty {
    let mut flat: Vec<Ty> = Vec::new();
    for m in members {
        match m {
            Ty::Union(inner) => {
                for i in inner {
                    if !flat.contains(&i) {
                        flat.push(i);
                    }
                }
            }
            other => {
                if !flat.contains(&other) {
                    flat.push(other);
                }
            }
        }
    }
    if flat.len() == 1 {
        return flat.pop().unwrap_or(Ty::Any);
    }
    Ty::Union(flat)
}

fn builtin_type(name: &str) -> Option<Ty> {
    Some(match name {
        "str" => Ty::Prim(Prim::Str),
        "int" => Ty::Prim(Prim::Int),
        "float" => Ty::Prim(Prim::Float),
        "bool" => Ty::Prim(Prim::Bool),
        "bytes" => Ty::Prim(Prim::Bytes),
        "dict" => Ty::Prim(Prim::Dict),
        "list" => Ty::Prim(Prim::List),
        "set" | "frozenset" => Ty::Prim(Prim::Set),
        "tuple" => Ty::List(Box::new(Ty::Any)),
        "object" => Ty::Any,
        "None" => Ty::NoneType,
        _ => return None,
    })
}

/// Types imported from the standard library and pydantic.
fn external_type(module: &str, name: &str) -> Option<Ty> {
    let pydantic = module == "pydantic" || module.starts_with("pydantic.");
    Some(match (module, name) {
        ("builtins", n) => return builtin_type(n),
        ("typing" | "typing_extensions", "Any") => Ty::Any,
        ("typing", "Dict" | "Mapping") => Ty::Prim(Prim::Dict),
        ("typing", "List" | "Sequence") => Ty::Prim(Prim::List),
        ("typing", "Set" | "FrozenSet") => Ty::Prim(Prim::Set),
        ("datetime", "datetime") => Ty::Prim(Prim::DateTime),
        ("datetime", "date") => Ty::Prim(Prim::Date),
        ("datetime", "time") => Ty::Prim(Prim::Time),
        ("datetime", "timedelta") => Ty::Prim(Prim::TimeDelta),
        ("uuid", "UUID") => Ty::Prim(Prim::Uuid),
        ("decimal", "Decimal") => Ty::Prim(Prim::Decimal),
        (_, "HttpUrl") if pydantic => Ty::Prim(Prim::HttpUrl),
        (_, "AnyUrl" | "AnyHttpUrl") if pydantic => Ty::Prim(Prim::AnyUrl),
        (_, "EmailStr") if pydantic => Ty::Prim(Prim::EmailStr),
        (_, "SecretStr") if pydantic => Ty::Prim(Prim::SecretStr),
        (_, "StrictStr") if pydantic => Ty::Prim(Prim::Str),
        (_, "StrictInt") if pydantic => Ty::Prim(Prim::Int),
        (_, "StrictFloat") if pydantic => Ty::Prim(Prim::Float),
        (_, "StrictBool") if pydantic => Ty::Prim(Prim::Bool),
        _ => return None,
    })
}

/// The SDK generation sync emulates (see [`Resolver::flavor`]), from the models a component or
/// the module class uses directly (configuration, `run` argument, `results_model`): v2 when one of
/// them is a pydantic 2 model, v1 when all are `pydantic.v1` models. Without any such model, a
/// `pydantic.v1` import anywhere still selects v1 (nothing else tells the generations apart).
fn emulated_flavor(classes: &Classes) -> Flavor {
    let index = classes.index;
    let (mut any_v1, mut any_v2) = (false, false);
    for key in index.all_classes() {
        if !matches!(classes.kind(&key), Kind::Component(_) | Kind::Module) {
            continue;
        }
        for k in classes.mro(&key) {
            let Some(def) = classes.def(&k) else { continue };
            let mut used: Vec<(&Expr, usize)> = Vec::new();
            used.extend(def.annotation("configuration"));
            used.extend(def.assigned("results_model"));
            if let Some(ClassItem::Method { params, line, .. }) = def.method("run") {
                used.extend(
                    params
                        .get(1)
                        .and_then(|p| p.annotation.as_ref())
                        .map(|a| (a, *line)),
                );
            }
            for (expr, line) in used {
                let expr = match expr {
                    Expr::Str(s) => match parse_expression(s) {
                        Some(e) => e,
                        None => continue,
                    },
                    other => other.clone(),
                };
                if let Some(Sym::Class(model)) = index.resolve_expr_at(&k.module, &expr, Some(line))
                {
                    match classes.kind(&model) {
                        Kind::ModelV1 => any_v1 = true,
                        Kind::ModelV2 => any_v2 = true,
                        _ => {}
                    }
                }
            }
        }
    }
    // A pydantic 2 model anywhere means SDK 1.27.0 (1.22.5 could not build it); v1 models it
    // meets then give `{}` (see `Resolver::model`).
    if any_v2 {
        return Flavor::V2;
    }
    if any_v1 {
        return Flavor::V1;
    }
    let imports_v1 = index.modules.values().any(|m| {
        m.file
            .imports
            .iter()
            .any(|i| i.module == "pydantic.v1" || i.module.starts_with("pydantic.v1."))
    });
    if imports_v1 {
        Flavor::V1
    } else {
        Flavor::V2
    }
}
