//! The package's Python files, parsed, and name resolution across them (imports, relative imports,
//! re-exports, aliases), the static counterpart of the SDK's `walk_packages` + `import_module`.

use std::collections::{BTreeMap, HashMap};

use anyhow::Result;

use super::source::SourceTree;
use crate::core::failure::Failure;
use crate::core::python::{self, ClassDef, Expr, Import, PyFile};

/// A class defined in the module's sources: dotted module + class name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ClassKey {
    pub module: String,
    pub name: String,
}

/// What a name refers to.
#[derive(Debug, Clone, PartialEq)]
pub enum Sym {
    Class(ClassKey),
    /// A module of the package.
    Module(String),
    /// `name` from a module outside the package (`sekoia_automation.action`, `pydantic`, ...).
    External(String, String),
    ExternalModule(String),
    /// A top-level assignment (`Alias = list[int]`) in a module, at a line, resolved lazily by
    /// the caller (as seen from that line).
    Alias(String, Expr, usize),
    /// Not bound anywhere we can see: a builtin such as `str`, or an error.
    Unbound(String),
}

#[derive(Debug, Clone)]
pub struct PyModule {
    pub dotted: String,
    /// Relative path with `/` separators.
    pub path: String,
    pub is_package: bool,
    pub file: PyFile,
    /// Every module-level binding by name: (line, what, index in `file`), in the order classes,
    /// imports, assignments. Name lookups are the hot path of sync (a module of thousands of
    /// classes or constants must not make them quadratic).
    names: HashMap<String, Vec<(usize, BindingKind, usize)>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BindingKind {
    Class,
    Import,
    Assign,
}

impl PyModule {
    pub fn new(dotted: &str, path: &str, is_package: bool, file: PyFile) -> Self {
        let mut names: HashMap<String, Vec<(usize, BindingKind, usize)>> = HashMap::new();
        for (i, c) in file.classes.iter().enumerate() {
            names
                .entry(c.name.clone())
                .or_default()
                .push((c.line, BindingKind::Class, i));
        }
        for (i, imp) in file.imports.iter().enumerate() {
            names
                .entry(imp.bound.clone())
                .or_default()
                .push((imp.line, BindingKind::Import, i));
        }
        for (i, (n, _, line)) in file.assigns.iter().enumerate() {
            names
                .entry(n.clone())
                .or_default()
                .push((*line, BindingKind::Assign, i));
        }
        PyModule {
            dotted: dotted.to_string(),
            path: path.to_string(),
            is_package,
            file,
            names,
        }
    }
}

#[derive(Debug, Default)]
pub struct Index {
    /// The module's own files: what sync generates for.
    pub modules: BTreeMap<String, PyModule>,
    /// Packages of sibling modules named as path dependencies in pyproject.toml
    /// (`aws-helpers = {path = "../AWS", develop = true}`): read to resolve names, never generated
    /// for. Their paths are relative to the module directory (`../AWS/aws_helpers/base.py`).
    pub siblings: BTreeMap<String, PyModule>,
    // Stubs of SDK classes whose annotations or fields sync must see are not here: see
    // [`SDK_STUBS`], parsed only when a lookup needs one (most modules never do).
}

/// The SDK stubs, parsed on first use and shared by every index of the process.
fn sdk_stubs() -> &'static BTreeMap<String, PyModule> {
    static STUBS: std::sync::OnceLock<BTreeMap<String, PyModule>> = std::sync::OnceLock::new();
    STUBS.get_or_init(|| {
        let mut stubs = BTreeMap::new();
        for (dotted, source) in SDK_STUBS {
            if let Ok(file) = python::parse(source) {
                let path = format!("<sekoia-automation-sdk>/{}.py", dotted.replace('.', "/"));
                stubs.insert(
                    dotted.to_string(),
                    PyModule::new(dotted, &path, false, file),
                );
            }
        }
        stubs
    })
}

/// The parts of SDK 1.27.0 classes that change what `generate-files-from-code` writes and that
/// sync cannot know otherwise: the asset connectors' `configuration` annotation (their default
/// arguments schema), their abstract methods, and `DefaultAssetConnectorConfiguration` (from
/// `sekoia_automation_models.connector`, re-exported as
/// `sekoia_automation.asset_connector.models.connector`), docstring included since pydantic puts
/// it in the schema.
pub const SDK_STUBS: &[(&str, &str)] = &[
    (
        // Its schema flavor follows the emulated SDK (see `Kind::ConnectorConfiguration`); the
        // stub gives its fields their place in a subclass's MRO.
        "sekoia_automation.connector",
        "from pydantic import BaseModel\n\n\nclass DefaultConnectorConfiguration(BaseModel):\n    intake_server: str | None = None\n    intake_key: str\n",
    ),
    (
    "sekoia_automation.asset_connector",
    r#"from abc import abstractmethod

from pydantic import BaseModel, Field
from sekoia_automation.trigger import Trigger


class DefaultAssetConnectorConfiguration(BaseModel):
    """
    Base configuration for asset connectors.
    This configuration is used to define the basic parameters required
    for asset connectors.
    Attributes:
        sekoia_base_url (str | None): The base URL for the Sekoia.io API.
        sekoia_api_key (str): The API key for authentication with the Sekoia.io API.
        frequency (int): The frequency in seconds at which the connector should run.
        batch_size (int): The maximum number of assets to send per batch.
        batch_push_interval (float): The delay in seconds to wait between two
            consecutive batch pushes.
        max_assets_per_cycle (int): The maximum number of assets processed in a single
            cycle before resuming from the checkpoint. 0 means unlimited.
    """

    sekoia_base_url: str | None
    sekoia_api_key: str
    frequency: int = 10800
    batch_size: int = 100
    batch_push_interval: float = Field(default=0.0, ge=0)
    max_assets_per_cycle: int = Field(default=0, ge=0)


class AssetConnector(Trigger):
    configuration: DefaultAssetConnectorConfiguration

    @abstractmethod
    def update_checkpoint(self): ...

    @abstractmethod
    def reset_checkpoint(self): ...

    @abstractmethod
    def get_mapped_fields(self): ...

    @abstractmethod
    def get_assets(self): ...

    def run(self): ...


class AsyncAssetConnector(Trigger):
    configuration: DefaultAssetConnectorConfiguration

    @abstractmethod
    def update_checkpoint(self): ...

    @abstractmethod
    def reset_checkpoint(self): ...

    @abstractmethod
    def get_mapped_fields(self): ...

    @abstractmethod
    def get_assets(self): ...

    def run(self): ...
"#,
    ),
];

impl Index {
    /// Walks the tree like `pkgutil.walk_packages`: top-level `.py` files and packages (directories
    /// with `__init__.py`), recursively, skipping `tests`. A syntax error is a [`Failure`] naming
    /// file:line. Sibling path dependencies present on disk are read too (see [`Self::siblings`]).
    pub fn load(tree: &SourceTree) -> Result<Index> {
        // (The stubs are parsed once per process: `check --library` loads an index per module.)
        let mut index = Index::default();
        index.walk(tree, "", "")?;
        for dir in path_dependencies(tree) {
            let rel = dir.to_string_lossy().replace('\\', "/");
            let sibling = SourceTree::from_disk(tree.root().join(&dir));
            let mut other = Index::default();
            other.walk_packages_only(&sibling, "", "");
            for (dotted, mut m) in other.modules {
                m.path = format!("{rel}/{}", m.path);
                index.siblings.entry(dotted).or_insert(m);
            }
        }
        Ok(index)
    }

    /// The packages of a sibling module (its top-level scripts such as main.py are not
    /// importable from another module); files that do not parse are skipped.
    fn walk_packages_only(&mut self, tree: &SourceTree, rel_dir: &str, package: &str) {
        for (name, is_dir) in tree.list_dir(rel_dir) {
            let rel = if rel_dir.is_empty() {
                name.clone()
            } else {
                format!("{rel_dir}/{name}")
            };
            if is_dir {
                if name.starts_with('.')
                    || !crate::core::naming::is_identifier(&name)
                    || (package.is_empty() && name == "tests")
                {
                    continue;
                }
                let init = format!("{rel}/__init__.py");
                if !tree.is_file(&init) {
                    continue;
                }
                let dotted = join(package, &name);
                let _ = self.add(tree, &init, &dotted, true);
                self.walk_packages_only(tree, &rel, &dotted);
            } else if let Some(stem) = name.strip_suffix(".py") {
                if package.is_empty()
                    || stem == "__init__"
                    || !crate::core::naming::is_identifier(stem)
                {
                    continue;
                }
                let _ = self.add(tree, &rel, &join(package, stem), false);
            }
        }
    }

    /// A module of the package or of a sibling package, else an SDK stub.
    pub fn module(&self, dotted: &str) -> Option<&PyModule> {
        self.modules
            .get(dotted)
            .or_else(|| self.siblings.get(dotted))
            .or_else(|| {
                // Parse the stubs only for a module they hold.
                let stubbed = SDK_STUBS.iter().any(|(d, _)| *d == dotted);
                stubbed.then(|| sdk_stubs().get(dotted)).flatten()
            })
    }

    /// Whether `dotted` is a module whose names resolve to classes (the package or a sibling);
    /// SDK stubs are not: names imported from the SDK stay [`Sym::External`].
    fn readable(&self, dotted: &str) -> bool {
        self.modules.contains_key(dotted) || self.siblings.contains_key(dotted)
    }

    /// The stub of SDK class `name` imported from `module`, if there is one.
    pub fn stub_class(&self, module: &str, name: &str) -> Option<ClassKey> {
        let sdk = module == "sekoia_automation"
            || module.starts_with("sekoia_automation.")
            || module == "sekoia_automation_models"
            || module.starts_with("sekoia_automation_models.");
        // Parse the stubs only when one defines a class of that name (most SDK names, such as
        // `Action`, have no stub).
        let defined = |source: &str| source.contains(&format!("\nclass {name}("));
        if !sdk || !SDK_STUBS.iter().any(|(_, source)| defined(source)) {
            return None;
        }
        sdk_stubs().iter().find_map(|(dotted, m)| {
            m.file
                .classes
                .iter()
                .any(|c| c.name == name)
                .then(|| ClassKey {
                    module: dotted.clone(),
                    name: name.to_string(),
                })
        })
    }

    fn walk(&mut self, tree: &SourceTree, rel_dir: &str, package: &str) -> Result<()> {
        for (name, is_dir) in tree.list_dir(rel_dir) {
            let rel = if rel_dir.is_empty() {
                name.clone()
            } else {
                format!("{rel_dir}/{name}")
            };
            if is_dir {
                if name.starts_with('.') || !crate::core::naming::is_identifier(&name) {
                    continue;
                }
                if package.is_empty() && name == "tests" {
                    continue;
                }
                let init = format!("{rel}/__init__.py");
                if !tree.is_file(&init) {
                    continue;
                }
                let dotted = join(package, &name);
                self.add(tree, &init, &dotted, true)?;
                self.walk(tree, &rel, &dotted)?;
            } else if let Some(stem) = name.strip_suffix(".py") {
                if stem == "__init__" || !crate::core::naming::is_identifier(stem) {
                    continue;
                }
                self.add(tree, &rel, &join(package, stem), false)?;
            }
        }
        Ok(())
    }

    fn add(&mut self, tree: &SourceTree, rel: &str, dotted: &str, is_package: bool) -> Result<()> {
        let source = tree.read_string(rel).unwrap_or_default();
        let file = python::parse(&source).map_err(|e| {
            Failure::with_hint(
                format!("{rel}:{}:{}: Python syntax error", e.line, e.column),
                "fix the syntax error (python -m py_compile shows it too), then run sync again",
            )
        })?;
        self.modules.insert(
            dotted.to_string(),
            PyModule::new(dotted, rel, is_package, file),
        );
        Ok(())
    }

    /// The last definition of class `key` in its module.
    pub fn class(&self, key: &ClassKey) -> Option<&ClassDef> {
        let m = self.module(&key.module)?;
        let (_, _, i) = m
            .names
            .get(&key.name)?
            .iter()
            .rev()
            .find(|(_, kind, _)| *kind == BindingKind::Class)?;
        m.file.classes.get(*i)
    }

    pub fn path_of(&self, module: &str) -> &str {
        self.module(module).map(|m| m.path.as_str()).unwrap_or("")
    }

    /// Every class of the package that the SDK's `getmembers` sees, in module then source order:
    /// the classes of every non-package module (main.py, submodules), plus the classes of a
    /// package `__init__.py` that such a module imports. `walk_packages` never inspects a package
    /// `__init__` itself (SDK notes §3.1), so a class defined only there is invisible otherwise.
    pub fn all_classes(&self) -> Vec<ClassKey> {
        let mut out = Vec::new();
        for (dotted, m) in &self.modules {
            if m.is_package {
                continue;
            }
            for c in &m.file.classes {
                let key = ClassKey {
                    module: dotted.clone(),
                    name: c.name.clone(),
                };
                if !out.contains(&key) {
                    out.push(key);
                }
            }
        }
        let mut imported = Vec::new();
        for (dotted, m) in &self.modules {
            if m.is_package {
                continue;
            }
            let bound = m
                .file
                .imports
                .iter()
                .map(|i| i.bound.as_str())
                .chain(m.file.assigns.iter().map(|a| a.0.as_str()));
            for name in bound {
                if let Sym::Class(key) = self.resolve_name(dotted, name) {
                    let in_init = self.modules.get(&key.module).is_some_and(|m| m.is_package);
                    if in_init && !out.contains(&key) && !imported.contains(&key) {
                        imported.push(key);
                    }
                }
            }
        }
        imported.sort();
        out.extend(imported);
        // Module subclasses count wherever they are: main.py, which sync writes, imports the
        // module class, so the SDK sees it once main.py is in place (without main.py the SDK
        // aborts on a fresh module; sync finds the class and writes main.py).
        let classes = super::classes::Classes::new(self);
        let is_module = |k: &ClassKey| classes.kind(k) == super::classes::Kind::Module;
        {
            for (dotted, m) in &self.modules {
                if !m.is_package {
                    continue;
                }
                for c in &m.file.classes {
                    let key = ClassKey {
                        module: dotted.clone(),
                        name: c.name.clone(),
                    };
                    if is_module(&key) && !out.contains(&key) {
                        out.push(key);
                    }
                }
            }
        }
        out
    }

    /// The absolute module named by an import in `module` (`.models` → `pkg.models`).
    pub fn absolute(&self, module: &str, target: &str) -> String {
        let dots = target.chars().take_while(|c| *c == '.').count();
        if dots == 0 {
            return target.to_string();
        }
        let is_package = self.module(module).is_some_and(|m| m.is_package);
        let mut parts: Vec<&str> = module.split('.').collect();
        if !is_package {
            parts.pop();
        }
        for _ in 1..dots {
            parts.pop();
        }
        let rest = &target[dots..];
        let base = parts.join(".");
        match (base.is_empty(), rest.is_empty()) {
            (true, _) => rest.to_string(),
            (false, true) => base,
            (false, false) => format!("{base}.{rest}"),
        }
    }

    /// Resolves `name` as seen from module `module` once it has run to its end.
    pub fn resolve_name(&self, module: &str, name: &str) -> Sym {
        self.resolve_name_at(module, name, None)
    }

    /// Resolves `name` as seen from line `line` of `module` (Python runs a module top to bottom:
    /// `X = int; Y = X; X = Y` makes `X` an int at every line). A name bound only later (a forward
    /// reference, resolved when pydantic rebuilds the model) gets its final binding.
    pub fn resolve_name_at(&self, module: &str, name: &str, line: Option<usize>) -> Sym {
        self.resolve_name_in(module, name, line, &mut Vec::new())
    }

    /// `seen` holds the bindings (module, name, line) being followed: meeting one again is a
    /// cycle (`A = B; B = A`, or two files importing a name from each other), which Python
    /// rejects with a NameError or ImportError; it resolves to `Unbound`.
    fn resolve_name_in(
        &self,
        module: &str,
        name: &str,
        line: Option<usize>,
        seen: &mut Vec<(String, String, usize)>,
    ) -> Sym {
        if seen.len() > 64 {
            return Sym::Unbound(name.to_string());
        }
        let Some(m) = self.module(module) else {
            return Sym::Unbound(name.to_string());
        };
        let visible = |l: usize| line.is_none_or(|limit| l < limit);
        let mut binding = self.binding(m, name, &visible);
        if binding.is_none() && line.is_some() {
            binding = self.binding(m, name, &|_| true);
        }
        let Some(binding) = binding else {
            return Sym::Unbound(name.to_string());
        };
        let at = match binding {
            Binding::Class(l) | Binding::Import(_, l) | Binding::Assign(_, l) => l,
        };
        let key = (module.to_string(), name.to_string(), at);
        if seen.contains(&key) {
            return Sym::Unbound(name.to_string());
        }
        seen.push(key);
        let out = match binding {
            Binding::Class(_) => Sym::Class(ClassKey {
                module: module.to_string(),
                name: name.to_string(),
            }),
            Binding::Import(imp, _) => {
                let target = self.absolute(module, &imp.module);
                match &imp.name {
                    None => {
                        if self.readable(&target) {
                            Sym::Module(target)
                        } else {
                            Sym::ExternalModule(target)
                        }
                    }
                    Some(imported) => {
                        let sub = join(&target, imported);
                        if self.readable(&sub) {
                            Sym::Module(sub)
                        } else if self.readable(&target) {
                            match self.resolve_name_in(&target, imported, None, seen) {
                                Sym::Unbound(_) => Sym::Unbound(imported.clone()),
                                other => other,
                            }
                        } else {
                            Sym::External(target, imported.clone())
                        }
                    }
                }
            }
            Binding::Assign(expr, l) => match self.resolve_expr_in(module, expr, Some(l), seen) {
                Some(Sym::Unbound(_)) | None => Sym::Alias(module.to_string(), expr.clone(), l),
                Some(sym) => sym,
            },
        };
        seen.pop();
        out
    }

    /// The last binding of `name` in `m` among the lines `visible` accepts (Python keeps the
    /// last one).
    fn binding<'m>(
        &self,
        m: &'m PyModule,
        name: &str,
        visible: &dyn Fn(usize) -> bool,
    ) -> Option<Binding<'m>> {
        // On one line the later statement wins; `max_by_key` keeps the last maximum.
        let (line, kind, i) = m
            .names
            .get(name)?
            .iter()
            .filter(|(line, _, _)| visible(*line))
            .max_by_key(|(line, _, _)| *line)?;
        Some(match kind {
            BindingKind::Class => Binding::Class(*line),
            BindingKind::Import => Binding::Import(&m.file.imports[*i], *line),
            BindingKind::Assign => Binding::Assign(&m.file.assigns[*i].1, *line),
        })
    }

    /// Resolves a `Name` or `Attr` chain as seen at the end of `module`; `None` for other
    /// expressions.
    pub fn resolve_expr(&self, module: &str, expr: &Expr) -> Option<Sym> {
        self.resolve_expr_in(module, expr, None, &mut Vec::new())
    }

    /// Resolves a `Name` or `Attr` chain as seen from line `line` of `module`.
    pub fn resolve_expr_at(&self, module: &str, expr: &Expr, line: Option<usize>) -> Option<Sym> {
        self.resolve_expr_in(module, expr, line, &mut Vec::new())
    }

    fn resolve_expr_in(
        &self,
        module: &str,
        expr: &Expr,
        line: Option<usize>,
        seen: &mut Vec<(String, String, usize)>,
    ) -> Option<Sym> {
        match expr {
            Expr::Name(n) => Some(self.resolve_name_in(module, n, line, seen)),
            Expr::Attr(base, attr) => {
                let base = self.resolve_expr_in(module, base, line, seen)?;
                Some(match base {
                    Sym::Module(m) => {
                        let sub = join(&m, attr);
                        if self.readable(&sub) {
                            Sym::Module(sub)
                        } else {
                            self.resolve_name_in(&m, attr, None, seen)
                        }
                    }
                    Sym::ExternalModule(m) => Sym::External(m, attr.clone()),
                    Sym::External(m, n) => Sym::External(join(&m, &n), attr.clone()),
                    // `Kind.RED`, `Model.attr`: the caller looks inside the class.
                    Sym::Class(_) | Sym::Alias(..) | Sym::Unbound(_) => return None,
                })
            }
            _ => None,
        }
    }
}

/// One binding of a name at module level, with its line.
enum Binding<'m> {
    Class(usize),
    Import(&'m Import, usize),
    Assign(&'m Expr, usize),
}

fn join(package: &str, name: &str) -> String {
    if package.is_empty() {
        name.to_string()
    } else {
        format!("{package}.{name}")
    }
}

/// Sibling directories named as path dependencies in the module's pyproject.toml (Poetry
/// `name = {path = "../X"}` in any dependency group, or uv `[tool.uv.sources]`), relative to the
/// module directory, when they exist on disk.
fn path_dependencies(tree: &SourceTree) -> Vec<std::path::PathBuf> {
    let Some(text) = tree.read_string("pyproject.toml") else {
        return Vec::new();
    };
    let Ok(doc) = text.parse::<toml::Table>() else {
        return Vec::new();
    };
    let mut tables: Vec<&toml::Table> = Vec::new();
    let tool = doc.get("tool").and_then(|t| t.as_table());
    let poetry = tool
        .and_then(|t| t.get("poetry"))
        .and_then(|p| p.as_table());
    if let Some(deps) = poetry
        .and_then(|p| p.get("dependencies"))
        .and_then(|d| d.as_table())
    {
        tables.push(deps);
    }
    if let Some(groups) = poetry
        .and_then(|p| p.get("group"))
        .and_then(|g| g.as_table())
    {
        for group in groups.values() {
            if let Some(deps) = group.get("dependencies").and_then(|d| d.as_table()) {
                tables.push(deps);
            }
        }
    }
    if let Some(sources) = tool
        .and_then(|t| t.get("uv"))
        .and_then(|u| u.get("sources"))
        .and_then(|s| s.as_table())
    {
        tables.push(sources);
    }
    let mut out = Vec::new();
    for table in tables {
        for spec in table.values() {
            let Some(path) = spec.get("path").and_then(|p| p.as_str()) else {
                continue;
            };
            let rel = std::path::PathBuf::from(path);
            if rel.is_absolute() || !tree.root().join(&rel).is_dir() || out.contains(&rel) {
                continue;
            }
            out.push(rel);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `stub_class` looks for `\nclass NAME(` in the stubs' text before parsing them: every class
    /// the parsed stubs define must pass that test, or its stub would never be found.
    #[test]
    fn every_stub_class_is_found_by_name() {
        let index = Index::default();
        for (dotted, module) in sdk_stubs() {
            for class in &module.file.classes {
                let found = index.stub_class("sekoia_automation.anything", &class.name);
                assert_eq!(
                    found.map(|k| k.module),
                    Some(dotted.clone()),
                    "{}",
                    class.name
                );
            }
        }
        assert!(index
            .stub_class("sekoia_automation.action", "Action")
            .is_none());
        assert!(index.stub_class("pydantic", "BaseModel").is_none());
    }
}
