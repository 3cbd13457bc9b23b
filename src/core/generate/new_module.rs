//! The files of a new module: the SDK 1.27 `new-module` template (uv) or the automation-library's
//! house style (Poetry), plus `.gitignore` and a first test.

use std::path::Path;

use serde_json::{json, Value};

use super::Generated;
use crate::core::failure::Failure;
use crate::core::model::{Answers, ModuleSpec, Packaging};
use crate::core::naming::ModuleNames;
use crate::core::plan::Plan;
use crate::core::pyjson;
use crate::core::render::{self, python_string, toml_string, GITIGNORE, LOGO_SVG};

/// The plan for the module skeleton alone (configuration fields and components are added on top).
pub fn skeleton(spec: &ModuleSpec, output_dir: &Path) -> anyhow::Result<(Plan, ModuleNames)> {
    if let Some((_, failure)) = spec.validate().into_iter().next() {
        return Err(failure.into());
    }
    let names = spec.names()?;
    let data = json!({
        "package": names.package,
        "module_class": names.module_class(),
        "config_class": names.configuration_class(),
        "distribution": names.distribution(),
        "toml_name": toml_string(&format!("Automation Module for {}", names.name)),
        "py_slug": python_string(&names.slug),
    });
    let flavour = match spec.packaging {
        Packaging::Poetry => "poetry",
        Packaging::Uv => "uv",
    };
    let mut plan = Plan::new_tree(output_dir.join(&names.dir));
    let pkg = &names.package;
    plan.put(
        "CHANGELOG.md",
        render::render("module/common/CHANGELOG.md", &data)?,
    );
    plan.put(
        "Dockerfile",
        render::render(&format!("module/{flavour}/Dockerfile"), &data)?,
    );
    plan.put("logo.svg", LOGO_SVG);
    plan.put(".gitignore", GITIGNORE);
    plan.put("main.py", render::render("module/common/main.py", &data)?);
    plan.put("manifest.json", manifest(spec, &names));
    plan.put(
        "pyproject.toml",
        render::render(&format!("module/{flavour}/pyproject.toml"), &data)?,
    );
    plan.put(
        format!("{pkg}/__init__.py"),
        render::render("module/common/package_init.py", &data)?,
    );
    plan.put(
        format!("{pkg}/models.py"),
        render::render("module/common/models.py", &data)?,
    );
    plan.put("tests/__init__.py", "");
    plan.put(
        "tests/conftest.py",
        render::render("module/common/conftest.py", &data)?,
    );
    plan.put(
        "tests/test_module.py",
        render::render("module/common/test_module.py", &data)?,
    );
    Ok((plan, names))
}

/// manifest.json with the SDK template's keys and order, written as the library's linter wants.
fn manifest(spec: &ModuleSpec, names: &ModuleNames) -> String {
    let uuid = spec.uuid.unwrap_or_else(uuid::Uuid::new_v4);
    let categories: Vec<Value> = spec
        .effective_categories()
        .iter()
        .map(|c| Value::from(c.as_str()))
        .collect();
    let value = json!({
        "configuration": {
            "$schema": "http://json-schema.org/draft-07/schema#",
            "title": names.name,
            "type": "object",
            "properties": {},
            "required": []
        },
        "description": spec.description,
        "name": names.name,
        "slug": names.slug,
        "categories": categories,
        "uuid": uuid.to_string(),
        "version": "0.1.0"
    });
    pyjson::dumps(&value)
}

pub fn new_module(answers: &Answers, output_dir: &Path) -> anyhow::Result<Generated> {
    let spec = answers.module.as_ref().ok_or_else(|| {
        Failure::with_hint(
            "the answers describe no module",
            "add a [module] table with at least a name",
        )
    })?;
    answers.validate()?;
    let (plan, names) = skeleton(spec, output_dir)?;
    let mut notes = names.notes.clone();
    if spec.categories.is_empty() {
        notes.push("category `Generic` (none was given; the platform needs one)".to_string());
    }
    let plan = super::add::extend_fresh(plan, &names, answers)?;
    Ok(Generated { plan, notes })
}
