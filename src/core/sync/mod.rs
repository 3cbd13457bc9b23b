//! `sync`: what the SDK's `generate-files-from-code` writes (main.py, one JSON per component, the
//! module `configuration` in manifest.json), computed from the Python sources without importing
//! them.
//!
//! # API
//! - [`plan`]`(&tree, &SyncOptions)` → [`SyncReport`]: the [`Plan`] (an edit of the module
//!   directory holding main.py, every component JSON and, when the module class declares a
//!   `configuration`, manifest.json), the [`Warning`]s (file, line, field, message) for constructs
//!   that cannot be evaluated statically, and the orphan component JSONs (no class generates
//!   them; they are reported, never deleted). Nothing is written: apply the plan with
//!   `core::workspace::apply`, all or nothing. With `strict`, any warning is an error.
//! - [`read_module`]`(&tree)` → [`ModuleSummary`]: the module class and its components (kind,
//!   class, manifest `name`, defining file, JSON file), without generating schemas.
//! - Sources are read through a [`SourceTree`]: the disk with in-memory files laid over it
//!   (`SourceTree::from_disk(root)` then `tree.overlay("pkg/action_x.py", code)`), so a caller can
//!   learn what sync would write for files it has not written yet.
//!
//! # Rules (SDK 1.27.0, `scripts/files_generator.py`)
//! - Files walked as `pkgutil.walk_packages` does: top-level `.py` files and packages (directories
//!   with `__init__.py`), except `tests`. Classes are classified by their ancestors, through
//!   imports across files: Action, then Connector, then Trigger, then Module. Classes whose `run`
//!   is missing or abstract are skipped. Exactly one Module subclass must exist.
//! - Manifest `name` = the class attribute `name` (inherited too) or the class name; description =
//!   `description` or the name; `uuid` = uuid5(module uuid, name); `docker_parameters` = class
//!   name; file `{action,trigger,connector}_{name.lower() with spaces as _}.json`; written with
//!   `json.dumps(indent=2)` (no final newline).
//! - Action `arguments`: the model annotating `run`'s first argument, else `{}`; `results`: the
//!   `results_model` schema, else `{}`. Trigger and connector `arguments`: the `configuration`
//!   annotation up the class chain (a connector falls back to the SDK's
//!   `DefaultConnectorConfiguration`); triggers (not connectors) get `secrets`.
//! - Schemas: pydantic 2 style for `pydantic` models, pydantic v1 style (as SDK 1.22.5 wrote them)
//!   when the package imports `pydantic.v1`; see `core::schema`.
//!
//! # Deliberate differences from the SDK
//! - main.py is sorted (see [`mainpy`]) and keeps the lines the generator does not own.
//! - An existing component JSON keeps its `uuid`, its `description` when the class declares none,
//!   and the keys the generator does not produce, in place.
//! - SDK classes merely imported (e.g. `GenericAPIAction`) are not turned into components.
//! - A secret field with an alias is listed under its alias (the SDK raises `KeyError`).

pub mod classes;
pub mod index;
pub mod mainpy;
pub mod manifest;
pub mod resolve;
pub mod source;

use std::fmt;

use anyhow::Result;
use serde_json::{Map, Value};

use self::classes::{Classes, Kind};
use self::index::{ClassKey, Index, Sym};
use self::mainpy::Registration;
use self::resolve::Resolver;
pub use self::source::SourceTree;
use crate::core::failure::Failure;
use crate::core::naming::py_lower;
use crate::core::plan::Plan;
use crate::core::pyjson;
use crate::core::python::{parse_expression, ClassItem, Expr};
use crate::core::schema;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SyncOptions {
    /// Turn warnings into an error.
    pub strict: bool,
}

/// Something sync could not evaluate statically.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// Relative path of the Python file.
    pub file: String,
    pub line: usize,
    pub field: Option<String>,
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.field {
            Some(field) => write!(
                f,
                "{}:{}: field `{}`: {}",
                self.file, self.line, field, self.message
            ),
            None => write!(f, "{}:{}: {}", self.file, self.line, self.message),
        }
    }
}

#[derive(Debug, Clone)]
pub struct SyncReport {
    pub plan: Plan,
    pub warnings: Vec<Warning>,
    /// Component JSON files (relative paths) that no class generates.
    pub orphans: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ComponentKind {
    Trigger,
    Connector,
    Action,
}

impl ComponentKind {
    pub fn prefix(self) -> &'static str {
        match self {
            ComponentKind::Action => "action",
            ComponentKind::Trigger => "trigger",
            ComponentKind::Connector => "connector",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComponentSummary {
    pub kind: ComponentKind,
    pub class_name: String,
    /// The manifest `name` (class attribute `name`, else the class name).
    pub name: String,
    /// Dotted Python module defining the class.
    pub module: String,
    /// Relative path of the defining file.
    pub file: String,
    /// Relative path of the component JSON.
    pub json_file: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModuleSummary {
    pub module_class: String,
    /// Dotted module defining the module class (what main.py imports it from).
    pub package: String,
    pub file: String,
    /// Sorted by kind (triggers, connectors, actions), then class name.
    pub components: Vec<ComponentSummary>,
}

/// The classes sync works on.
struct Discovery {
    module: ClassKey,
    components: Vec<(ComponentKind, ClassKey)>,
}

fn discover(index: &Index) -> Result<Discovery> {
    let classes = Classes::new(index);
    let mut modules = Vec::new();
    let mut components = Vec::new();
    for key in index.all_classes() {
        let kind = match classes.kind(&key) {
            Kind::Action => ComponentKind::Action,
            Kind::Trigger => ComponentKind::Trigger,
            Kind::Connector => ComponentKind::Connector,
            Kind::Module => {
                modules.push(key);
                continue;
            }
            _ => continue,
        };
        if classes.is_concrete(&key) {
            components.push((kind, key));
        }
    }
    components.sort_by(|a, b| (a.0, &a.1.name, &a.1.module).cmp(&(b.0, &b.1.name, &b.1.module)));
    match modules.len() {
        1 => Ok(Discovery { module: modules.remove(0), components }),
        0 => Err(Failure::with_hint(
            "found no Module subclass in the module's Python packages",
            "declare `class MyModule(Module)` (from sekoia_automation.module import Module) in the package",
        )
        .into()),
        _ => {
            let names: Vec<String> = modules.iter().map(|k| format!("{}.{}", k.module, k.name)).collect();
            Err(Failure::with_hint(
                format!("found {} Module subclasses ({}); exactly one is allowed", modules.len(), names.join(", ")),
                "keep a single Module subclass in the package",
            )
            .into())
        }
    }
}

/// A class attribute that must be a string literal (`name`, `description`), looked up the class
/// chain. A non-literal value is a warning and counts as unset.
fn string_attribute(
    classes: &Classes,
    key: &ClassKey,
    attr: &str,
    warnings: &mut Vec<Warning>,
) -> Option<String> {
    for k in classes.mro(key) {
        let Some(def) = classes.def(&k) else { continue };
        if let Some((value, line)) = def.assigned(attr) {
            return match value {
                Expr::Str(s) => Some(s.clone()),
                Expr::None => None,
                _ => {
                    warnings.push(Warning {
                        file: classes.index.path_of(&k.module).to_string(),
                        line,
                        field: Some(attr.to_string()),
                        message: format!(
                            "`{attr}` is not a string literal; the SDK default is used"
                        ),
                    });
                    None
                }
            };
        }
    }
    None
}

fn component_summaries(
    index: &Index,
    d: &Discovery,
    warnings: &mut Vec<Warning>,
) -> Vec<ComponentSummary> {
    let classes = Classes::new(index);
    d.components
        .iter()
        .map(|(kind, key)| {
            let name = string_attribute(&classes, key, "name", warnings)
                .unwrap_or_else(|| key.name.clone());
            let json_file = format!(
                "{}_{}.json",
                kind.prefix(),
                py_lower(&name).replace(' ', "_")
            );
            ComponentSummary {
                kind: *kind,
                class_name: key.name.clone(),
                name,
                module: key.module.clone(),
                file: index.path_of(&key.module).to_string(),
                json_file,
            }
        })
        .collect()
}

/// The module class and its components, read-only (no schema is generated).
pub fn read_module(tree: &SourceTree) -> Result<ModuleSummary> {
    let index = Index::load(tree)?;
    let d = discover(&index)?;
    let mut warnings = Vec::new();
    Ok(ModuleSummary {
        module_class: d.module.name.clone(),
        package: d.module.module.clone(),
        file: index.path_of(&d.module.module).to_string(),
        components: component_summaries(&index, &d, &mut warnings),
    })
}

/// Everything sync would write for the module in `tree`. Nothing is written.
pub fn plan(tree: &SourceTree, options: &SyncOptions) -> Result<SyncReport> {
    let manifest_text = tree.read_string("manifest.json").ok_or_else(|| {
        Failure::with_hint(
            format!("no manifest.json found in {}", tree.root().display()),
            "run sync from a module's root directory, or pass that directory",
        )
    })?;
    let mut manifest: Map<String, Value> = match serde_json::from_str(&manifest_text) {
        Ok(Value::Object(m)) => m,
        Ok(_) => {
            return Err(Failure::with_hint(
                "manifest.json is not a JSON object",
                "fix manifest.json",
            )
            .into())
        }
        Err(e) => {
            return Err(Failure::with_hint(
                format!(
                    "manifest.json:{}:{}: invalid JSON ({e})",
                    e.line(),
                    e.column()
                ),
                "fix manifest.json",
            )
            .into())
        }
    };
    let module_uuid = manifest
        .get("uuid")
        .and_then(Value::as_str)
        .and_then(|s| uuid::Uuid::parse_str(s).ok())
        .ok_or_else(|| {
            Failure::with_hint(
                "manifest.json has no valid `uuid`",
                "set `uuid` to a UUID (uuid4)",
            )
        })?;

    let index = Index::load(tree)?;
    let d = discover(&index)?;
    let mut warnings = Vec::new();
    let summaries = component_summaries(&index, &d, &mut warnings);
    let classes = Classes::new(&index);
    let mut resolver = Resolver::new(Classes::new(&index));
    let mut plan = Plan::edit(tree.root());

    // main.py
    let registration = |k: &ClassKey| Registration {
        class: k.name.clone(),
        module: k.module.clone(),
    };
    let group = |kind: ComponentKind| -> Vec<Registration> {
        d.components
            .iter()
            .filter(|(k, _)| *k == kind)
            .map(|(_, c)| registration(c))
            .collect()
    };
    let main_py = mainpy::render(
        &registration(&d.module),
        &group(ComponentKind::Trigger),
        &group(ComponentKind::Connector),
        &group(ComponentKind::Action),
        tree.read_string("main.py").as_deref(),
    );
    plan.put("main.py", main_py);

    // Component manifests.
    let mut written: Vec<String> = Vec::new();
    for ((kind, key), summary) in d.components.iter().zip(&summaries) {
        if written.contains(&summary.json_file) {
            warnings.push(Warning {
                file: summary.file.clone(),
                line: classes.def(key).map(|c| c.line).unwrap_or(0),
                field: None,
                message: format!(
                    "{} also writes {}; this class is skipped",
                    summary.json_file, summary.json_file
                ),
            });
            continue;
        }
        let description = string_attribute(&classes, key, "description", &mut warnings);
        let (arguments, results) = match kind {
            ComponentKind::Action => {
                let args = action_arguments(&mut resolver, key);
                let results = results_model(&mut resolver, key);
                (args, Some(results))
            }
            ComponentKind::Trigger => {
                let mut args = configuration(&mut resolver, key, false);
                if manifest::triggers_get_secrets(resolver.flavor) {
                    if let Some((schema, secrets)) = args.as_mut() {
                        manifest::add_secrets(schema, secrets);
                    }
                }
                (
                    args.map(|a| a.0).unwrap_or_else(empty),
                    Some(results_model(&mut resolver, key)),
                )
            }
            ComponentKind::Connector => {
                let args = configuration(&mut resolver, key, true);
                (args.map(|a| a.0).unwrap_or_else(empty), None)
            }
        };
        let existing = match tree.read_string(&summary.json_file) {
            Some(text) => match serde_json::from_str::<Value>(&text) {
                Ok(Value::Object(m)) => Some(m),
                _ => {
                    warnings.push(Warning {
                        file: summary.json_file.clone(),
                        line: 1,
                        field: None,
                        message: "is not a JSON object; it is regenerated from scratch".into(),
                    });
                    None
                }
            },
            None => None,
        };
        let generated = manifest::Generated {
            name: summary.name.clone(),
            description,
            uuid: uuid::Uuid::new_v5(&module_uuid, summary.name.as_bytes()).to_string(),
            docker_parameters: key.name.clone(),
            arguments,
            results,
        };
        let value = manifest::component(generated, existing.as_ref());
        plan.put(summary.json_file.clone(), pyjson::dumps(&value));
        written.push(summary.json_file.clone());
    }

    // Module configuration.
    if let Some((mut schema, secrets)) = configuration(&mut resolver, &d.module, false) {
        manifest::add_secrets(&mut schema, &secrets);
        manifest.insert("configuration".into(), schema);
        plan.put("manifest.json", pyjson::dumps(&Value::Object(manifest)));
    }

    warnings.extend(resolver.warnings);
    let orphans = tree
        .list_dir("")
        .into_iter()
        .filter(|(name, is_dir)| !is_dir && is_component_json(name) && !written.contains(name))
        .map(|(name, _)| name)
        .collect();
    if options.strict && !warnings.is_empty() {
        let lines: Vec<String> = warnings.iter().map(|w| w.to_string()).collect();
        return Err(Failure::with_hint(
            format!(
                "{} warning(s) in strict mode:\n  {}",
                warnings.len(),
                lines.join("\n  ")
            ),
            "make these values static (literals, known types), or run without --strict",
        )
        .into());
    }
    Ok(SyncReport {
        plan,
        warnings,
        orphans,
    })
}

fn empty() -> Value {
    Value::Object(Map::new())
}

pub fn is_component_json(name: &str) -> bool {
    name.ends_with(".json")
        && ["action_", "trigger_", "connector_"]
            .iter()
            .any(|p| name.starts_with(p) && name.len() > p.len() + 5)
}

/// The model an annotation names, if it names one.
fn annotated_model(resolver: &mut Resolver, module: &str, annotation: &Expr) -> Option<usize> {
    let expr = match annotation {
        Expr::Str(s) => parse_expression(s)?,
        other => other.clone(),
    };
    match resolver.classes.index.resolve_expr(module, &expr)? {
        Sym::Class(key) => resolver.model(&key),
        Sym::External(m, n) if classes::is_sdk(&m) && n == "DefaultConnectorConfiguration" => {
            Some(resolver.default_connector_configuration())
        }
        _ => None,
    }
}

fn action_arguments(resolver: &mut Resolver, key: &ClassKey) -> Value {
    let mro = resolver.classes.mro(key);
    for k in mro {
        let Some(def) = resolver.classes.def(&k) else {
            continue;
        };
        if let Some(ClassItem::Method { params, .. }) = def.method("run") {
            let Some(ann) = params.get(1).and_then(|p| p.annotation.clone()) else {
                return empty();
            };
            return match annotated_model(resolver, &k.module, &ann) {
                Some(id) => schema::schema_of(&resolver.registry, id),
                None => empty(),
            };
        }
    }
    empty()
}

fn results_model(resolver: &mut Resolver, key: &ClassKey) -> Value {
    for k in resolver.classes.mro(key) {
        let Some(def) = resolver.classes.def(&k) else {
            continue;
        };
        if let Some((value, _)) = def.assigned("results_model") {
            let value = value.clone();
            return match annotated_model(resolver, &k.module, &value) {
                Some(id) => schema::schema_of(&resolver.registry, id),
                None => empty(),
            };
        }
    }
    empty()
}

/// The `configuration` model's schema and its secret property keys, looked up the class chain
/// (connectors fall back to `DefaultConnectorConfiguration`).
fn configuration(
    resolver: &mut Resolver,
    key: &ClassKey,
    connector: bool,
) -> Option<(Value, Vec<String>)> {
    let mut id = None;
    for k in resolver.classes.mro(key) {
        let Some(def) = resolver.classes.def(&k) else {
            continue;
        };
        if let Some((ann, _)) = def.annotation("configuration") {
            let ann = ann.clone();
            // An annotation that is not a model gives `{}` (the SDK would crash on it).
            id = Some(annotated_model(resolver, &k.module, &ann)?);
            break;
        }
    }
    let id = match id {
        Some(id) => id,
        None if connector => resolver.default_connector_configuration(),
        None => return None,
    };
    let schema = schema::schema_of(&resolver.registry, id);
    let secrets = resolver.registry.models[id]
        .fields
        .iter()
        .filter(|f| {
            let (_, info) = schema::v2::flatten_annotated(&f.ty, &f.info);
            info.extra.get("secret").is_some_and(truthy)
        })
        .map(|f| f.key().to_string())
        .collect();
    Some((schema, secrets))
}

fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
    }
}
