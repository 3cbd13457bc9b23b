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
//!   with `__init__.py`), except `tests`; components defined only in a package `__init__.py` are
//!   skipped unless a submodule or main.py imports them. Classes are classified by their
//!   ancestors, through imports across files: Action, then Connector, then Trigger (asset
//!   connectors included), then Module. Classes whose `run` (or an asset connector's abstract
//!   methods) is missing or abstract are skipped. Exactly one Module subclass must exist.
//! - Manifest `name` = the class attribute `name` (inherited too) or the class name; description =
//!   `description` or the name; `uuid` = uuid5(module uuid, name); `docker_parameters` = class
//!   name; file `{action,trigger,connector}_{name.lower() with spaces as _}.json`; written with
//!   `json.dumps(indent=2)` (no final newline).
//! - Action `arguments`: the model annotating `run`'s first argument, else `{}`; `results`: the
//!   `results_model` schema, else `{}`. Trigger and connector `arguments`: the `configuration`
//!   annotation up the class chain (a connector falls back to the SDK's
//!   `DefaultConnectorConfiguration`); triggers (not connectors) get `secrets`.
//! - Schemas: decided per model class by what its base really is: pydantic 2 style for `pydantic`
//!   models; SDK 1.22.5 is emulated (pydantic v1 style) only when every model the components use
//!   is v1; a v1 model in a v2 module gives `{}` and a warning, as SDK 1.27.0. Static defaults
//!   (constants, arithmetic) are evaluated; see `core::schema`.
//!
//! # Hand-maintained modules
//! Most real modules (the automation-library's) were not written by the generator: their
//! component JSONs have chosen file names, main.py registers classes under chosen
//! `docker_parameters`, sometimes on a bare `Module()`. [`ModuleStyle`] tells the two apart; on a
//! hand-maintained module sync is surgical (see [`hand`]): JSONs are matched by
//! `docker_parameters` and updated field by field ([`merge`]), main.py only gains registrations.
//!
//! # Deliberate differences from the SDK
//! - main.py is sorted (see [`mainpy`]) and keeps the lines the generator does not own.
//! - An existing component JSON keeps its `uuid`, its `description` when the class declares none,
//!   and the keys the generator does not produce, in place.
//! - SDK classes merely imported (e.g. `GenericAPIAction`) are not turned into components.
//! - A secret field with an alias is listed under its alias (the SDK raises `KeyError`).
//! - A Module subclass in a package `__init__.py` counts even when main.py does not import it
//!   (the SDK aborts); with several, the one main.py instantiates is the module's.
//! - Classes from sibling path dependencies (`path = "../AWS"`) are read to resolve bases and
//!   fields, never turned into components of this module.

pub mod classes;
mod hand;
pub mod index;
pub mod mainpy;
pub mod manifest;
pub mod merge;
pub mod names;
pub mod on_disk;
pub mod resolve;
pub mod source;

use std::fmt;

use anyhow::Result;
use serde_json::{Map, Value};

use self::classes::{Classes, Kind};
use self::index::{ClassKey, Index, Sym};
use self::mainpy::Registration;
use self::on_disk::ComponentJson;
use self::resolve::Resolver;
pub use self::source::SourceTree;
use crate::core::failure::Failure;
use crate::core::model::ComponentKind;
use crate::core::naming::py_lower;
use crate::core::plan::Plan;
use crate::core::pyjson;
use crate::core::python::main_py::MainPy;
use crate::core::python::{parse_expression, ClassItem, Expr};
use crate::core::schema;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncOptions {
    /// Turn warnings into an error.
    pub strict: bool,
    /// On a hand-maintained module, remove schema properties the code does not declare.
    pub prune: bool,
    pub scope: Scope,
}

/// What sync brings in line with the code.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Scope {
    /// Every component and the module configuration (`sekoia-wizard sync`).
    #[default]
    All,
    /// Only what `add` just wrote: these components (registered in main.py if they are not yet)
    /// and these module configuration fields. Nothing else is touched.
    Added {
        components: Vec<NewComponent>,
        configuration: Vec<String>,
    },
}

/// A component class `add` wrote, and the name to register it under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewComponent {
    pub class: String,
    /// Dotted module defining it (`pkg.action_x`).
    pub module: String,
    pub docker_parameters: String,
}

/// Whether the module was written by the SDK's generator (or this tool), or by hand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModuleStyle {
    /// main.py registers each component under its class name on a Module subclass, and each JSON
    /// has the generator's file name: sync regenerates them as the SDK does.
    Generated,
    /// Chosen JSON names or docker_parameters, or a bare `Module()`: sync is surgical.
    Hand,
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
    /// On a hand-maintained module: where the JSON schemas disagree with the code.
    pub drift: Vec<merge::Drift>,
    pub style: ModuleStyle,
    /// Code that parses but that Python would reject on import (`names`): errors for `check`
    /// and `sync --check`, whatever the manifests say.
    pub import_problems: Vec<Warning>,
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
    /// The component JSON the generator would write for it.
    pub json_file: String,
}

/// A module as it is: its code's components joined with main.py's registrations and the
/// component JSONs on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModuleSummary {
    /// The Module subclass; `None` for a bare `Module()`.
    pub module_class: Option<String>,
    /// Dotted module defining the module class, or holding the registered components.
    pub package: String,
    pub file: String,
    /// The module's configuration model: class name and defining file.
    pub configuration: Option<(String, String)>,
    /// Sorted by kind (triggers, connectors, actions), then class name.
    pub components: Vec<ComponentSummary>,
    /// Every component the platform sees, in main.py order then JSON-only ones.
    pub registered: Vec<RegisteredComponent>,
    pub style: ModuleStyle,
}

/// One `docker_parameters` of the module: its class (if main.py registers one the code defines)
/// and the JSONs that describe it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisteredComponent {
    pub kind: ComponentKind,
    pub docker_parameters: String,
    /// From the JSON, else the class.
    pub name: String,
    pub class_name: Option<String>,
    /// Relative path of the defining Python file.
    pub file: Option<String>,
    pub json_files: Vec<String>,
}

/// The classes sync works on.
struct Discovery {
    /// `None` for a bare `Module()` in main.py.
    module: Option<ClassKey>,
    components: Vec<(ComponentKind, ClassKey)>,
}

/// The Module class main.py instantiates: `Some(key)` for a class of the package, `Some(None)`
/// for the SDK's own `Module`, `None` when main.py says nothing.
fn instantiated_module(index: &Index, main: Option<&MainPy>) -> Option<Option<ClassKey>> {
    let instance = main?.module.as_ref()?;
    let expr = parse_expression(&instance.class)?;
    match index.resolve_expr("main", &expr)? {
        Sym::Class(key) => Some(Some(key)),
        Sym::External(m, n) if classes::is_sdk(&m) && n == "Module" => Some(None),
        _ => None,
    }
}

fn discover(index: &Index, main: Option<&MainPy>) -> Result<Discovery> {
    let classes = Classes::new(index);
    let mut modules = Vec::new();
    let mut components = Vec::new();
    for key in index.all_classes() {
        let kind = match classes.kind(&key) {
            Kind::Component(kind) => kind,
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
    components.sort_by(|a, b| {
        (a.0.main_py_rank(), &a.1.name, &a.1.module).cmp(&(
            b.0.main_py_rank(),
            &b.1.name,
            &b.1.module,
        ))
    });
    // main.py decides which Module class the module runs (a bare `Module()` included).
    // A class whose ancestry cannot be read (a base from a sibling module, say) is still the
    // module's class when main.py instantiates it.
    if let Some(module) = instantiated_module(index, main) {
        if module
            .as_ref()
            .is_none_or(|m| modules.contains(m) || classes.kind(m) == Kind::Other)
        {
            return Ok(Discovery { module, components });
        }
    }
    match modules.len() {
        1 => Ok(Discovery {
            module: Some(modules.remove(0)),
            components,
        }),
        0 => Err(Failure::with_hint(
            "found no Module subclass in the module's Python packages, and main.py builds no `Module()`",
            "declare `class MyModule(Module)` (from sekoia_automation.module import Module) in the package, or write `module = Module()` in main.py",
        )
        .into()),
        _ => {
            let names: Vec<String> = modules.iter().map(|k| format!("{}.{}", k.module, k.name)).collect();
            Err(Failure::with_hint(
                format!(
                    "found {} Module subclasses ({}) and main.py instantiates none of them",
                    modules.len(),
                    names.join(", ")
                ),
                "instantiate the module's class in main.py (`module = MyModule()`), or keep a single Module subclass",
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

/// The file the SDK's generator writes for a component named `name`.
pub fn generator_json_file(kind: ComponentKind, name: &str) -> String {
    format!(
        "{}_{}.json",
        kind.as_str(),
        py_lower(name).replace(' ', "_")
    )
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
            ComponentSummary {
                kind: *kind,
                class_name: key.name.clone(),
                json_file: generator_json_file(*kind, &name),
                name,
                module: key.module.clone(),
                file: index.path_of(&key.module).to_string(),
            }
        })
        .collect()
}

/// The class a main.py registration names, if the package defines it.
fn registered_class(index: &Index, class: &str) -> Option<ClassKey> {
    match index.resolve_expr("main", &parse_expression(class)?)? {
        Sym::Class(key) => Some(key),
        _ => None,
    }
}

/// Generated when main.py registers every class under its own name on a Module subclass and every
/// component JSON carries the generator's file name for its component.
fn module_style(
    d: &Discovery,
    main: Option<&MainPy>,
    jsons: &[ComponentJson],
    summaries: &[ComponentSummary],
) -> ModuleStyle {
    if d.module.is_none() {
        return ModuleStyle::Hand;
    }
    if let Some(main) = main {
        if main.module.is_none() && !main.registrations.is_empty() {
            return ModuleStyle::Hand;
        }
        let own_names = main
            .registrations
            .iter()
            .all(|r| r.docker_parameters.as_deref() == Some(r.class.as_str()));
        if !own_names {
            return ModuleStyle::Hand;
        }
    }
    let generator_named = jsons.iter().all(|j| {
        let Some(dp) = j.docker_parameters() else {
            return true;
        };
        match summaries.iter().find(|s| s.class_name == dp) {
            Some(s) => s.json_file == j.file,
            // A class that is gone: a generator-named leftover is an orphan, not a hand choice.
            None => j
                .name()
                .is_some_and(|n| generator_json_file(j.kind, n) == j.file),
        }
    });
    if generator_named {
        ModuleStyle::Generated
    } else {
        ModuleStyle::Hand
    }
}

/// Everything read from the module before planning.
struct Loaded {
    index: Index,
    main: Option<MainPy>,
    jsons: Vec<ComponentJson>,
    discovery: Discovery,
    summaries: Vec<ComponentSummary>,
    style: ModuleStyle,
    warnings: Vec<Warning>,
    import_problems: Vec<Warning>,
}

fn load(tree: &SourceTree) -> Result<Loaded> {
    let index = Index::load(tree)?;
    let main = on_disk::main_py(tree);
    let jsons = on_disk::component_jsons(tree);
    let discovery = discover(&index, main.as_ref())?;
    let mut warnings = Vec::new();
    let summaries = component_summaries(&index, &discovery, &mut warnings);
    let style = module_style(&discovery, main.as_ref(), &jsons, &summaries);
    let import_problems = names::problems(&index);
    Ok(Loaded {
        import_problems,
        index,
        main,
        jsons,
        discovery,
        summaries,
        style,
        warnings,
    })
}

/// The module as it is: its classes, registrations and JSONs (no schema is generated).
pub fn read_module(tree: &SourceTree) -> Result<ModuleSummary> {
    let l = load(tree)?;
    let classes = Classes::new(&l.index);
    let (package, file) = match &l.discovery.module {
        Some(m) => (m.module.clone(), l.index.path_of(&m.module).to_string()),
        None => {
            // A bare `Module()`: the package most registered classes come from.
            let mut counts: std::collections::BTreeMap<String, usize> = Default::default();
            for r in l.main.iter().flat_map(|m| &m.registrations) {
                if let Some(key) = registered_class(&l.index, &r.class) {
                    let top = key.module.split('.').next().unwrap_or("").to_string();
                    *counts.entry(top).or_default() += 1;
                }
            }
            let best = counts.into_iter().max_by_key(|(_, n)| *n).map(|(p, _)| p);
            let best = best.or_else(|| {
                l.index
                    .modules
                    .values()
                    .find(|m| m.is_package && !m.dotted.contains('.'))
                    .map(|m| m.dotted.clone())
            });
            let package = best.unwrap_or_default();
            let file = l.index.path_of(&package).to_string();
            (package, file)
        }
    };
    let configuration = l.discovery.module.as_ref().and_then(|m| {
        let mut resolver = Resolver::new(Classes::new(&l.index));
        for k in classes.mro(m) {
            let def = classes.def(&k)?;
            if let Some((ann, _)) = def.annotation("configuration") {
                let expr = match ann {
                    Expr::Str(s) => parse_expression(s)?,
                    other => other.clone(),
                };
                let _ = &mut resolver;
                return match l.index.resolve_expr(&k.module, &expr)? {
                    Sym::Class(c) => Some((c.name.clone(), l.index.path_of(&c.module).to_string())),
                    _ => None,
                };
            }
        }
        None
    });
    let mut registered: Vec<RegisteredComponent> = Vec::new();
    let mut seen_json: Vec<&str> = Vec::new();
    for r in l.main.iter().flat_map(|m| &m.registrations) {
        let Some(dp) = r.docker_parameters.clone() else {
            continue;
        };
        let key = registered_class(&l.index, &r.class);
        let summary = key.as_ref().and_then(|k| {
            l.discovery
                .components
                .iter()
                .zip(&l.summaries)
                .find(|((_, c), _)| c == k)
                .map(|(_, s)| s)
        });
        let json_files: Vec<&ComponentJson> = l
            .jsons
            .iter()
            .filter(|j| j.docker_parameters() == Some(dp.as_str()))
            .collect();
        seen_json.extend(json_files.iter().map(|j| j.file.as_str()));
        // What the platform sees is the JSON (an asset connector is a `connector_*.json` although
        // the SDK classifies its class as a trigger).
        let kind = json_files
            .first()
            .map(|j| j.kind)
            .or_else(|| summary.map(|s| s.kind))
            .unwrap_or(ComponentKind::Action);
        registered.push(RegisteredComponent {
            kind,
            name: json_files
                .first()
                .and_then(|j| j.name().map(String::from))
                .or_else(|| summary.map(|s| s.name.clone()))
                .unwrap_or_else(|| dp.clone()),
            docker_parameters: dp,
            class_name: key
                .as_ref()
                .map(|k| k.name.clone())
                .or_else(|| Some(r.class.clone())),
            file: summary.map(|s| s.file.clone()),
            json_files: json_files.iter().map(|j| j.file.clone()).collect(),
        });
    }
    for j in &l.jsons {
        if seen_json.contains(&j.file.as_str()) {
            continue;
        }
        registered.push(RegisteredComponent {
            kind: j.kind,
            docker_parameters: j.docker_parameters().unwrap_or_default().to_string(),
            name: j.name().unwrap_or(&j.file).to_string(),
            class_name: None,
            file: None,
            json_files: vec![j.file.clone()],
        });
    }
    Ok(ModuleSummary {
        module_class: l.discovery.module.as_ref().map(|m| m.name.clone()),
        package,
        file,
        configuration,
        components: l.summaries,
        registered,
        style: l.style,
    })
}

/// Reads and checks manifest.json and the module uuid.
fn read_manifest(tree: &SourceTree) -> Result<(Map<String, Value>, uuid::Uuid)> {
    let manifest_bytes = tree.read("manifest.json").ok_or_else(|| {
        Failure::with_hint(
            format!("no manifest.json found in {}", tree.root().display()),
            "run sync from a module's root directory, or pass that directory",
        )
    })?;
    // Read exactly or not at all: sync writes manifest.json back.
    let manifest: Map<String, Value> = match pyjson::loads_exact(&manifest_bytes) {
        Ok(Value::Object(m)) => m,
        Ok(_) => {
            return Err(Failure::with_hint(
                "manifest.json is not a JSON object",
                "fix manifest.json",
            )
            .into())
        }
        Err(why) => {
            return Err(Failure::with_hint(
                format!("manifest.json:{why}; nothing was written"),
                "fix manifest.json (sync would not write it back exactly), then run again",
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
    Ok((manifest, module_uuid))
}

/// Everything sync would write for the module in `tree`. Nothing is written.
pub fn plan(tree: &SourceTree, options: &SyncOptions) -> Result<SyncReport> {
    let (manifest, module_uuid) = read_manifest(tree)?;
    let mut loaded = load(tree)?;
    // A component registered under a chosen name makes main.py a hand-written one.
    if let Scope::Added { components, .. } = &options.scope {
        if components.iter().any(|c| c.docker_parameters != c.class) {
            loaded.style = ModuleStyle::Hand;
        }
    }
    let mut warnings = std::mem::take(&mut loaded.warnings);
    let mut drift = Vec::new();
    let mut plan = Plan::edit(tree.root());
    let resolver_warnings;
    let orphans;
    {
        let mut resolver = Resolver::new(Classes::new(&loaded.index));
        let mut ctx = Ctx {
            tree,
            loaded: &loaded,
            resolver: &mut resolver,
            module_uuid,
            manifest,
            options,
            plan: &mut plan,
            warnings: &mut warnings,
            drift: &mut drift,
        };
        orphans = match loaded.style {
            ModuleStyle::Generated => generated_plan(&mut ctx),
            ModuleStyle::Hand => hand::plan(&mut ctx)?,
        };
        resolver_warnings = std::mem::take(&mut resolver.warnings);
    }
    warnings.extend(resolver_warnings);
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
        drift,
        style: loaded.style,
        import_problems: loaded.import_problems,
    })
}

/// What both plans work with.
struct Ctx<'a, 'r> {
    tree: &'a SourceTree,
    loaded: &'a Loaded,
    resolver: &'a mut Resolver<'r>,
    module_uuid: uuid::Uuid,
    manifest: Map<String, Value>,
    options: &'a SyncOptions,
    plan: &'a mut Plan,
    warnings: &'a mut Vec<Warning>,
    drift: &'a mut Vec<merge::Drift>,
}

impl Ctx<'_, '_> {
    /// A warning about a component class, at its definition.
    fn warn_class(&mut self, summary: &ComponentSummary, key: &ClassKey, message: String) {
        let line = Classes::new(&self.loaded.index)
            .def(key)
            .map(|c| c.line)
            .unwrap_or(0);
        self.warnings.push(Warning {
            file: summary.file.clone(),
            line,
            field: None,
            message,
        });
    }

    /// Whether a component class is in the scope of this run.
    fn in_scope(&self, key: &ClassKey) -> bool {
        match &self.options.scope {
            Scope::All => true,
            Scope::Added { components, .. } => components
                .iter()
                .any(|c| c.class == key.name && c.module == key.module),
        }
    }

    /// The generated `arguments` and `results` (`None`: the code declares no model; connectors
    /// have no results).
    fn schemas(
        &mut self,
        kind: ComponentKind,
        key: &ClassKey,
    ) -> (Option<Value>, Option<Option<Value>>) {
        let resolver = &mut *self.resolver;
        match kind {
            ComponentKind::Action => (
                action_arguments(resolver, key),
                Some(results_model(resolver, key)),
            ),
            ComponentKind::Trigger => {
                let mut args = configuration(resolver, key, false);
                if manifest::triggers_get_secrets(resolver.flavor) {
                    if let Some((schema, secrets)) = args.as_mut() {
                        manifest::add_secrets(schema, secrets);
                    }
                }
                (args.map(|a| a.0), Some(results_model(resolver, key)))
            }
            ComponentKind::Connector => (configuration(resolver, key, true).map(|a| a.0), None),
        }
    }

    /// A component JSON as the generator writes it, keeping what an existing file has.
    fn generated_json(
        &mut self,
        kind: ComponentKind,
        key: &ClassKey,
        summary: &ComponentSummary,
        docker_parameters: &str,
        existing: Option<&Map<String, Value>>,
    ) -> Value {
        let classes = Classes::new(&self.loaded.index);
        let description = string_attribute(&classes, key, "description", self.warnings);
        let (arguments, results) = self.schemas(kind, key);
        let generated = manifest::Generated {
            name: summary.name.clone(),
            description,
            uuid: uuid::Uuid::new_v5(&self.module_uuid, summary.name.as_bytes()).to_string(),
            docker_parameters: docker_parameters.to_string(),
            arguments: arguments.unwrap_or_else(empty),
            results: results.map(|r| r.unwrap_or_else(empty)),
        };
        manifest::component(generated, existing)
    }

    /// The module configuration's schema with its secrets listed, when the module class declares one.
    fn module_configuration(&mut self) -> Option<Value> {
        let module = self.loaded.discovery.module.clone()?;
        let (mut schema, secrets) = configuration(self.resolver, &module, false)?;
        manifest::add_secrets(&mut schema, &secrets);
        Some(schema)
    }
}

/// The SDK's generator, made deterministic: main.py rendered, every JSON regenerated (keeping
/// uuid, a hand description and extra keys). Returns the orphan JSONs.
fn generated_plan(ctx: &mut Ctx) -> Vec<String> {
    let l = ctx.loaded;
    let d = &l.discovery;
    let Some(module) = &d.module else {
        return Vec::new();
    };
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
        &registration(module),
        &group(ComponentKind::Trigger),
        &group(ComponentKind::Connector),
        &group(ComponentKind::Action),
        ctx.tree.read_string("main.py").as_deref(),
    );
    ctx.plan.put("main.py", main_py);

    let mut written: Vec<String> = Vec::new();
    for ((kind, key), summary) in d.components.iter().zip(&l.summaries) {
        if written.contains(&summary.json_file) {
            let message = format!(
                "another class also writes {}; this class is skipped",
                summary.json_file
            );
            ctx.warn_class(summary, key, message);
            continue;
        }
        written.push(summary.json_file.clone());
        if !ctx.in_scope(key) {
            continue;
        }
        let existing = match ctx.tree.read(&summary.json_file) {
            Some(bytes) => match pyjson::loads_exact(&bytes) {
                Ok(Value::Object(m)) => Some(m),
                Ok(_) => {
                    ctx.warnings.push(Warning {
                        file: summary.json_file.clone(),
                        line: 1,
                        field: None,
                        message: "is not a JSON object; it is regenerated from scratch".into(),
                    });
                    None
                }
                // What cannot be read exactly is never rewritten (its uuid, its extra keys...).
                Err(why) => {
                    ctx.warnings.push(Warning {
                        file: summary.json_file.clone(),
                        line: 1,
                        field: None,
                        message: format!(
                            "{why}: left as it is (fix or delete it to regenerate it)"
                        ),
                    });
                    continue;
                }
            },
            None => None,
        };
        let value = ctx.generated_json(*kind, key, summary, &key.name, existing.as_ref());
        ctx.plan
            .put(summary.json_file.clone(), pyjson::dumps(&value));
    }

    let configure = match &ctx.options.scope {
        Scope::All => true,
        Scope::Added { configuration, .. } => !configuration.is_empty(),
    };
    if configure {
        if let Some(schema) = ctx.module_configuration() {
            let mut manifest = ctx.manifest.clone();
            manifest.insert("configuration".into(), schema);
            ctx.plan
                .put("manifest.json", pyjson::dumps(&Value::Object(manifest)));
        }
    }
    l.jsons
        .iter()
        .filter(|j| !written.contains(&j.file))
        .map(|j| j.file.clone())
        .collect()
}

fn empty() -> Value {
    Value::Object(Map::new())
}

pub fn is_component_json(name: &str) -> bool {
    on_disk::component_json_kind(name).is_some()
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

/// The schema of the model annotating `run`'s argument; `None` when there is none (the SDK then
/// writes `{}`).
fn action_arguments(resolver: &mut Resolver, key: &ClassKey) -> Option<Value> {
    let mro = resolver.classes.mro(key);
    for k in mro {
        let Some(def) = resolver.classes.def(&k) else {
            continue;
        };
        if let Some(ClassItem::Method { params, .. }) = def.method("run") {
            let ann = params.get(1).and_then(|p| p.annotation.clone())?;
            let id = annotated_model(resolver, &k.module, &ann)?;
            return Some(schema::schema_of(&resolver.registry, id));
        }
    }
    None
}

/// The schema of `results_model`; `None` when the class declares none.
fn results_model(resolver: &mut Resolver, key: &ClassKey) -> Option<Value> {
    for k in resolver.classes.mro(key) {
        let Some(def) = resolver.classes.def(&k) else {
            continue;
        };
        if let Some((value, _)) = def.assigned("results_model") {
            let value = value.clone();
            let id = annotated_model(resolver, &k.module, &value)?;
            return Some(schema::schema_of(&resolver.registry, id));
        }
    }
    None
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
