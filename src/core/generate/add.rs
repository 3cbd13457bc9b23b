//! Configuration fields, components and dependencies on top of a module: a module on disk
//! (`add_to_module`) or one being created (`extend_fresh`). Both read the module through a view of
//! the plan over the disk, so the same code serves both.

use std::path::Path;

use super::component;
use super::config_edit;
use super::Generated;
use crate::core::deps;
use crate::core::failure::Failure;
use crate::core::model::{Answers, ComponentSpec};
use crate::core::naming::ModuleNames;
use crate::core::plan::Plan;
use crate::core::sync::{self, NewComponent, Scope, SourceTree};

/// Where things go in the module being extended.
#[derive(Debug, Clone)]
pub struct ModuleLayout {
    pub package: String,
    pub configuration_class: Option<String>,
    /// The file defining the configuration class, relative to the root.
    pub configuration_file: Option<String>,
}

/// Reads a file as the plan will leave it: the planned contents, else what is on disk.
fn read(plan: &Plan, rel: &str) -> Option<String> {
    match plan.get(rel) {
        Some(f) => Some(f.text().into_owned()),
        None if plan.fresh_root => None,
        None => std::fs::read_to_string(plan.root.join(rel)).ok(),
    }
}

/// The module as the plan will leave it: the disk with the planned files laid over it.
pub(super) fn tree_of(plan: &Plan) -> SourceTree {
    let mut tree = SourceTree::from_disk(&plan.root);
    for file in plan.files() {
        tree.overlay(file.path.clone(), file.contents.clone());
    }
    tree
}

/// Finds the package, the module's configuration class and the packaging of a module on disk,
/// by reading the module as `sync` does (main.py's module instance, the Module subclass and its
/// `configuration` annotation), whatever its style.
pub fn read_layout(root: &Path) -> anyhow::Result<ModuleLayout> {
    if !root.join("manifest.json").is_file() {
        return Err(Failure::with_hint(
            format!("{} is not a module: it has no manifest.json", root.display()),
            "run this in a module directory or pass --module DIR (create one with `sekoia-wizard new`)",
        )
        .into());
    }
    let summary = sync::read_module(&SourceTree::from_disk(root))?;
    let is_package = |p: &str| !p.is_empty() && root.join(p).join("__init__.py").is_file();
    let top = summary.package.split('.').next().unwrap_or("").to_string();
    let package = if is_package(&top) {
        top
    } else {
        // The module class lives in a top-level file (main.py): the first package on disk.
        let mut packages: Vec<String> = std::fs::read_dir(root)?
            .filter_map(|e| e.ok())
            .filter_map(|e| e.file_name().to_str().map(str::to_string))
            .filter(|n| n != "tests" && !n.starts_with('.') && is_package(n))
            .collect();
        packages.sort();
        packages.into_iter().next().ok_or_else(|| {
            Failure::with_hint(
                format!(
                    "{} has no Python package (a folder with __init__.py)",
                    root.display()
                ),
                "create the module with `sekoia-wizard new`",
            )
        })?
    };
    let (configuration_class, configuration_file) = match summary.configuration {
        Some((class, file)) => (Some(class), Some(file)),
        None => (None, None),
    };
    Ok(ModuleLayout {
        package,
        configuration_class,
        configuration_file,
    })
}

/// What a new component must not repeat, read once for all the components being added: parsing
/// every file of the module per component made adding many of them quadratic.
struct Taken {
    /// Class name and defining file, for the package's classes.
    classes: Vec<(String, String)>,
    /// docker_parameters registered in main.py, with the line.
    registered: Vec<(String, usize)>,
    jsons: Vec<sync::on_disk::ComponentJson>,
    /// docker_parameters of the components added so far in this run.
    added: Vec<String>,
}

impl Taken {
    fn read(plan: &Plan, layout: &ModuleLayout) -> anyhow::Result<Taken> {
        let tree = tree_of(plan);
        let index = sync::index::Index::load(&tree)?;
        let classes = index
            .all_classes()
            .into_iter()
            .filter(|k| k.module.split('.').next() == Some(layout.package.as_str()))
            .map(|k| (k.name.clone(), index.path_of(&k.module).to_string()))
            .collect();
        let registered = sync::on_disk::main_py(&tree)
            .map(|m| m.registrations)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|r| Some((r.docker_parameters?, r.line)))
            .collect();
        Ok(Taken {
            classes,
            registered,
            jsons: sync::on_disk::component_jsons(&tree),
            added: Vec::new(),
        })
    }
}

/// Refuses a component whose class, file, docker_parameters or manifest name the module already
/// has (on disk, or earlier in the same plan).
fn check_unique(
    plan: &Plan,
    layout: &ModuleLayout,
    taken: &mut Taken,
    spec: &ComponentSpec,
) -> anyhow::Result<()> {
    let class = spec.class_name();
    let docker_parameters = spec.docker_parameters();
    let source = format!("{}/{}.py", layout.package, spec.file_stem());
    let json_file = spec.manifest_file();
    // Worded for every front end: the CLI's --name / --docker-parameters and the wizard's fields.
    let clash = |what: String, field: &str| -> anyhow::Result<()> {
        Err(Failure::with_hint(
            format!("the module already has {what}"),
            format!("give the {} another {field}", spec.kind),
        )
        .into())
    };
    if read(plan, &source).is_some() {
        return clash(format!("a file {source}"), "name");
    }
    if read(plan, &json_file).is_some() {
        return clash(format!("a manifest {json_file}"), "name");
    }
    if let Some((_, file)) = taken.classes.iter().find(|(name, _)| *name == class) {
        return clash(format!("a class {class} (in {file})"), "name");
    }
    if let Some((_, line)) = taken
        .registered
        .iter()
        .find(|(dp, _)| *dp == docker_parameters)
    {
        return clash(
            format!("a component registered as `{docker_parameters}` (main.py:{line})"),
            "docker_parameters",
        );
    }
    if taken.added.contains(&docker_parameters) {
        return clash(
            format!("a component registered as `{docker_parameters}` (added just before)"),
            "docker_parameters",
        );
    }
    for json in &taken.jsons {
        if json.docker_parameters() == Some(docker_parameters.as_str()) {
            return clash(
                format!(
                    "a component registered as `{docker_parameters}` ({})",
                    json.file
                ),
                "docker_parameters",
            );
        }
        if json.name() == Some(spec.display_name().as_str()) {
            return clash(
                format!(
                    "a component named `{}` ({})",
                    spec.display_name(),
                    json.file
                ),
                "--name",
            );
        }
    }
    taken.added.push(docker_parameters);
    Ok(())
}

/// Adds configuration fields, components and dependencies to `plan` (which may be empty).
fn add_parts(plan: &mut Plan, layout: &ModuleLayout, answers: &Answers) -> anyhow::Result<()> {
    if !answers.configuration.is_empty() {
        let (Some(class), Some(file)) = (&layout.configuration_class, &layout.configuration_file)
        else {
            return Err(Failure::with_hint(
                "cannot find the module's configuration model",
                "the Module subclass needs a `configuration: SomeModel` annotation whose class is in the package",
            )
            .into());
        };
        let source = read(plan, file).unwrap_or_default();
        plan.put(
            file.clone(),
            config_edit::add_fields(&source, file, class, &answers.configuration)?,
        );
    }
    let mut taken = if answers.components.is_empty() {
        None
    } else {
        Some(Taken::read(plan, layout)?)
    };
    for spec in &answers.components {
        spec.validate()?;
        if let Some(taken) = taken.as_mut() {
            check_unique(plan, layout, taken, spec)?;
        }
        let files = component::render(spec, &layout.package)?;
        plan.put(files.source_path, files.source);
        plan.put(files.test_path, files.test);
    }
    if !answers.dependencies.is_empty() {
        let pyproject = read(plan, "pyproject.toml").ok_or_else(|| {
            Failure::with_hint(
                "the module has no pyproject.toml",
                "create it, then add dependencies",
            )
        })?;
        let requirements = answers
            .dependencies
            .iter()
            .map(|dep| deps::validate_requirement(dep))
            .collect::<Result<Vec<_>, _>>()?;
        if let Some(updated) = deps::add_dependencies(&pyproject, &requirements)? {
            plan.put("pyproject.toml", updated);
        }
    }
    Ok(())
}

/// Adds what `answers` describes beyond the module itself to a plan that creates a new module, then
/// generates manifest.json's configuration and main.py as `sync` would, so a new module is in sync
/// with its code from the start.
pub fn extend_fresh(
    mut plan: Plan,
    names: &ModuleNames,
    answers: &Answers,
) -> anyhow::Result<Plan> {
    let layout = ModuleLayout {
        package: names.package.clone(),
        configuration_class: Some(names.configuration_class()),
        configuration_file: Some(format!("{}/models.py", names.package)),
    };
    add_parts(&mut plan, &layout, answers)?;
    let _ = super::regenerate(&mut plan, Scope::All)?;
    Ok(plan)
}

/// The plan that adds `answers` to the module in `root`: the new files, one import and one
/// registration per component in main.py, the new component JSONs, the new configuration
/// properties and dependencies — nothing else of the module changes.
pub fn add_to_module(root: &Path, answers: &Answers) -> anyhow::Result<Generated> {
    answers.validate()?;
    let layout = read_layout(root)?;
    let mut plan = Plan::edit(root);
    add_parts(&mut plan, &layout, answers)?;
    let scope = Scope::Added {
        components: answers
            .components
            .iter()
            .map(|spec| NewComponent {
                class: spec.class_name(),
                module: format!("{}.{}", layout.package, spec.file_stem()),
                docker_parameters: spec.docker_parameters(),
            })
            .collect(),
        configuration: answers
            .configuration
            .iter()
            .map(|f| f.name.clone())
            .collect(),
    };
    let notes = super::regenerate(&mut plan, scope)?;
    Ok(Generated { plan, notes })
}
