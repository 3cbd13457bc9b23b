//! The package's Python files, parsed, and name resolution across them (imports, relative imports,
//! re-exports, aliases), the static counterpart of the SDK's `walk_packages` + `import_module`.

use std::collections::BTreeMap;

use anyhow::Result;

use super::source::SourceTree;
use crate::core::failure::Failure;
use crate::core::python::{self, ClassDef, Expr, PyFile};

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
    /// A top-level assignment (`Alias = list[int]`), resolved lazily by the caller.
    Alias(String, Expr),
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
}

#[derive(Debug, Default)]
pub struct Index {
    pub modules: BTreeMap<String, PyModule>,
}

impl Index {
    /// Walks the tree like `pkgutil.walk_packages`: top-level `.py` files and packages (directories
    /// with `__init__.py`), recursively, skipping `tests`. A syntax error is a [`Failure`] naming
    /// file:line.
    pub fn load(tree: &SourceTree) -> Result<Index> {
        let mut index = Index::default();
        index.walk(tree, "", "")?;
        Ok(index)
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
            PyModule {
                dotted: dotted.to_string(),
                path: rel.to_string(),
                is_package,
                file,
            },
        );
        Ok(())
    }

    pub fn class(&self, key: &ClassKey) -> Option<&ClassDef> {
        self.modules
            .get(&key.module)?
            .file
            .classes
            .iter()
            .rev()
            .find(|c| c.name == key.name)
    }

    pub fn path_of(&self, module: &str) -> &str {
        self.modules
            .get(module)
            .map(|m| m.path.as_str())
            .unwrap_or("")
    }

    /// Every class defined in the package, in module then source order.
    pub fn all_classes(&self) -> Vec<ClassKey> {
        let mut out = Vec::new();
        for (dotted, m) in &self.modules {
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
        out
    }

    /// The absolute module named by an import in `module` (`.models` → `pkg.models`).
    pub fn absolute(&self, module: &str, target: &str) -> String {
        let dots = target.chars().take_while(|c| *c == '.').count();
        if dots == 0 {
            return target.to_string();
        }
        let is_package = self.modules.get(module).is_some_and(|m| m.is_package);
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

    /// Resolves `name` as seen from module `module`.
    pub fn resolve_name(&self, module: &str, name: &str) -> Sym {
        self.resolve_name_depth(module, name, 0)
    }

    fn resolve_name_depth(&self, module: &str, name: &str, depth: usize) -> Sym {
        if depth > 32 {
            return Sym::Unbound(name.to_string());
        }
        let Some(m) = self.modules.get(module) else {
            return Sym::Unbound(name.to_string());
        };
        // Python keeps the last binding; compare the lines of each kind of binding.
        let class_line = m
            .file
            .classes
            .iter()
            .filter(|c| c.name == name)
            .map(|c| c.line)
            .max();
        let import = m.file.imports.iter().rev().find(|i| i.bound == name);
        let assign = m.file.assigns.iter().rev().find(|(n, _, _)| n == name);
        let best_line = [class_line, import.map(|i| i.line), assign.map(|a| a.2)]
            .into_iter()
            .flatten()
            .max();
        let Some(best) = best_line else {
            // A name used in `pkg/__init__.py` may be a submodule (`from pkg import sub`).
            return Sym::Unbound(name.to_string());
        };
        if class_line == Some(best) {
            return Sym::Class(ClassKey {
                module: module.to_string(),
                name: name.to_string(),
            });
        }
        if let Some(imp) = import.filter(|i| i.line == best) {
            let target = self.absolute(module, &imp.module);
            return match &imp.name {
                None => {
                    if self.modules.contains_key(&target) {
                        Sym::Module(target)
                    } else {
                        Sym::ExternalModule(target)
                    }
                }
                Some(imported) => {
                    let sub = join(&target, imported);
                    if self.modules.contains_key(&sub) {
                        Sym::Module(sub)
                    } else if self.modules.contains_key(&target) {
                        match self.resolve_name_depth(&target, imported, depth + 1) {
                            Sym::Unbound(_) => Sym::Unbound(imported.clone()),
                            other => other,
                        }
                    } else {
                        Sym::External(target, imported.clone())
                    }
                }
            };
        }
        match assign {
            Some((_, expr, _)) => match self.resolve_expr_depth(module, expr, depth + 1) {
                Some(Sym::Unbound(_)) | None => Sym::Alias(module.to_string(), expr.clone()),
                Some(sym) => sym,
            },
            None => Sym::Unbound(name.to_string()),
        }
    }

    /// Resolves a `Name` or `Attr` chain; `None` for other expressions.
    pub fn resolve_expr(&self, module: &str, expr: &Expr) -> Option<Sym> {
        self.resolve_expr_depth(module, expr, 0)
    }

    fn resolve_expr_depth(&self, module: &str, expr: &Expr, depth: usize) -> Option<Sym> {
        match expr {
            Expr::Name(n) => Some(self.resolve_name_depth(module, n, depth)),
            Expr::Attr(base, attr) => {
                let base = self.resolve_expr_depth(module, base, depth + 1)?;
                Some(match base {
                    Sym::Module(m) => {
                        let sub = join(&m, attr);
                        if self.modules.contains_key(&sub) {
                            Sym::Module(sub)
                        } else {
                            self.resolve_name_depth(&m, attr, depth + 1)
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

fn join(package: &str, name: &str) -> String {
    if package.is_empty() {
        name.to_string()
    } else {
        format!("{package}.{name}")
    }
}
