//! Configuration fields, components and dependencies on top of a module: a module on disk
//! (`add_to_module`) or one being created (`extend_fresh`). Both read the module through a view of
//! the plan over the disk, so the same code serves both.

use std::path::{Path, PathBuf};

use regex::Regex;

use super::component;
use super::config_edit;
use super::Generated;
use crate::core::deps;
use crate::core::failure::Failure;
use crate::core::model::{Answers, ComponentSpec};
use crate::core::naming::ModuleNames;
use crate::core::plan::Plan;

/// Where things go in the module being extended.
#[derive(Debug, Clone)]
pub struct ModuleLayout {
    pub root: PathBuf,
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

/// Finds the package, the module's configuration class and the packaging of a module on disk.
pub fn read_layout(root: &Path) -> anyhow::Result<ModuleLayout> {
    if !root.join("manifest.json").is_file() {
        return Err(Failure::with_hint(
            format!("{} is not a module: it has no manifest.json", root.display()),
            "run this in a module directory or pass --module DIR (create one with `sekoia-wizard new`)",
        )
        .into());
    }
    let mut packages: Vec<String> = std::fs::read_dir(root)?
        .filter_map(|e| e.ok())
        .filter(|e| e.path().join("__init__.py").is_file())
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .filter(|n| n != "tests" && !n.starts_with('.'))
        .collect();
    packages.sort();
    let main = std::fs::read_to_string(root.join("main.py")).unwrap_or_default();
    let package = match packages.len() {
        0 => {
            return Err(Failure::with_hint(
                format!(
                    "{} has no Python package (a folder with __init__.py)",
                    root.display()
                ),
                "create the module with `sekoia-wizard new`",
            )
            .into())
        }
        1 => packages.remove(0),
        _ => {
            // Several packages: the one main.py imports the module class from.
            let re = Regex::new(r"(?m)^from\s+([\w]+)").expect("valid regex");
            let first = re.captures(&main).map(|c| c[1].to_string());
            match first.filter(|p| packages.contains(p)) {
                Some(p) => p,
                None => packages.remove(0),
            }
        }
    };
    let (configuration_class, configuration_file) = find_configuration(root, &package);
    Ok(ModuleLayout {
        root: root.to_path_buf(),
        package,
        configuration_class,
        configuration_file,
    })
}

/// The `configuration: X` annotation of the package's Module subclass, and the file defining X.
fn find_configuration(root: &Path, package: &str) -> (Option<String>, Option<String>) {
    let module_re = Regex::new(r"(?ms)^class\s+\w+\((?:[\w.]+\.)?Module\):\s*\n(.*?)(?:^\S|\z)")
        .expect("valid regex");
    let annotation_re = Regex::new(r"(?m)^\s+configuration:\s*(\w+)").expect("valid regex");
    let files = python_files(&root.join(package));
    let class = files.iter().find_map(|f| {
        let text = std::fs::read_to_string(f).ok()?;
        let body = module_re.captures(&text)?.get(1)?.as_str().to_string();
        Some(annotation_re.captures(&body)?[1].to_string())
    });
    let file = class.as_ref().and_then(|c| {
        files.iter().find(|f| {
            std::fs::read_to_string(f)
                .map(|t| config_edit::defines_class(&t, c))
                .unwrap_or(false)
        })
    });
    let rel = file
        .and_then(|f| f.strip_prefix(root).ok())
        .map(|p| p.to_string_lossy().replace('\\', "/"));
    (class, rel)
}

fn python_files(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "py"))
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

/// Refuses a component whose class, file, docker_parameters or manifest name the module already has.
fn check_unique(plan: &Plan, layout: &ModuleLayout, spec: &ComponentSpec) -> anyhow::Result<()> {
    let class = spec.class_name();
    let source = format!("{}/{}.py", layout.package, spec.file_stem());
    let json_file = spec.manifest_file();
    let clash = |what: String| -> anyhow::Result<()> {
        Err(Failure::with_hint(
            format!("the module already has {what}"),
            format!("give the {} another --name", spec.kind),
        )
        .into())
    };
    if read(plan, &source).is_some() {
        return clash(format!("a file {source}"));
    }
    if read(plan, &json_file).is_some() {
        return clash(format!("a manifest {json_file}"));
    }
    let class_re =
        Regex::new(&format!(r"(?m)^class\s+{}\b", regex::escape(&class))).expect("valid regex");
    let mut sources: Vec<(String, String)> = Vec::new();
    if !plan.fresh_root {
        for f in python_files(&layout.root.join(&layout.package)) {
            if let (Ok(text), Some(name)) = (std::fs::read_to_string(&f), f.file_name()) {
                sources.push((
                    format!("{}/{}", layout.package, name.to_string_lossy()),
                    text,
                ));
            }
        }
    }
    for f in plan
        .files()
        .filter(|f| f.path.ends_with(".py") && f.path.starts_with(&format!("{}/", layout.package)))
    {
        sources.push((f.path.clone(), f.text().into_owned()));
    }
    if let Some((file, _)) = sources.iter().find(|(_, text)| class_re.is_match(text)) {
        return clash(format!("a class {class} (in {file})"));
    }
    for manifest in component_manifests(plan) {
        if manifest.get("docker_parameters").and_then(|v| v.as_str()) == Some(class.as_str()) {
            return clash(format!("a component registered as `{class}`"));
        }
        if manifest.get("name").and_then(|v| v.as_str()) == Some(spec.display_name().as_str()) {
            return clash(format!("a component named `{}`", spec.display_name()));
        }
    }
    Ok(())
}

/// Every component manifest of the module (on disk and planned).
fn component_manifests(plan: &Plan) -> Vec<serde_json::Value> {
    let is_component = |name: &str| {
        ["action_", "trigger_", "connector_"]
            .iter()
            .any(|p| name.starts_with(p))
            && name.ends_with(".json")
            && !name.contains('/')
    };
    let mut names: std::collections::BTreeSet<String> = plan
        .files()
        .map(|f| f.path.clone())
        .filter(|p| is_component(p))
        .collect();
    if !plan.fresh_root {
        if let Ok(dir) = std::fs::read_dir(&plan.root) {
            names.extend(
                dir.filter_map(|e| e.ok())
                    .filter_map(|e| e.file_name().to_str().map(str::to_string))
                    .filter(|n| is_component(n)),
            );
        }
    }
    names
        .iter()
        .filter_map(|n| read(plan, n))
        .filter_map(|t| serde_json::from_str(&t).ok())
        .collect()
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
    for spec in &answers.components {
        spec.validate()?;
        check_unique(plan, layout, spec)?;
        let files = component::render(spec, &layout.package)?;
        plan.put(files.source_path, files.source);
        plan.put(files.test_path, files.test);
    }
    if !answers.dependencies.is_empty() {
        let mut pyproject = read(plan, "pyproject.toml").ok_or_else(|| {
            Failure::with_hint(
                "the module has no pyproject.toml",
                "create it, then add dependencies",
            )
        })?;
        let mut changed = false;
        for dep in &answers.dependencies {
            let requirement = deps::validate_requirement(dep)?;
            if let Some(updated) = deps::add_dependency(&pyproject, &requirement)? {
                pyproject = updated;
                changed = true;
            }
        }
        if changed {
            plan.put("pyproject.toml", pyproject);
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
        root: plan.root.clone(),
        package: names.package.clone(),
        configuration_class: Some(names.configuration_class()),
        configuration_file: Some(format!("{}/models.py", names.package)),
    };
    add_parts(&mut plan, &layout, answers)?;
    let _ = super::regenerate(&mut plan)?;
    Ok(plan)
}

/// The plan that adds `answers` to the module in `root`.
pub fn add_to_module(root: &Path, answers: &Answers) -> anyhow::Result<Generated> {
    answers.validate()?;
    let layout = read_layout(root)?;
    let mut plan = Plan::edit(root);
    add_parts(&mut plan, &layout, answers)?;
    super::regenerate(&mut plan)?;
    Ok(Generated {
        plan,
        notes: Vec::new(),
    })
}
