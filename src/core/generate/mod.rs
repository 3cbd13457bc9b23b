//! Turns answers into a plan of files: a new module (`new_module`) or components, configuration
//! fields and dependencies added to an existing one (`add_to_module`). Nothing here writes to disk;
//! `core::workspace::apply` does, once a front end has shown the plan.

use std::path::Path;

use crate::core::model::Answers;
use crate::core::plan::Plan;
use crate::core::sync::{self, Scope, SyncOptions};

mod add;
mod component;
mod config_edit;
pub mod into_dir;
mod new_module;
pub mod python;

pub use add::{read_layout, ModuleLayout};

/// A rendered plan, with what the person should know about it.
#[derive(Debug, Clone, Default)]
pub struct Generated {
    pub plan: Plan,
    /// Things derived on the person's behalf (e.g. a package name that differs from the SDK's).
    pub notes: Vec<String>,
}

/// The plan that creates `output_dir/<module dir>` from `answers` (which must have a module).
pub fn new_module(answers: &Answers, output_dir: &Path) -> anyhow::Result<Generated> {
    new_module::new_module(answers, output_dir)
}

/// The plan that adds `answers`' configuration fields, components and dependencies to the module
/// in `module_dir`, keeping what it does not own.
pub fn add_to_module(module_dir: &Path, answers: &Answers) -> anyhow::Result<Generated> {
    add::add_to_module(module_dir, answers)
}

/// `source` (a models.py) with `fields` added to its class `class`, edited through the syntax tree;
/// an error rather than Python that does not parse.
pub fn add_config_fields(
    source: &str,
    file: &str,
    class: &str,
    fields: &[crate::core::model::FieldSpec],
) -> anyhow::Result<String> {
    config_edit::add_fields(source, file, class, fields)
}

/// Regenerates main.py, component manifests and the module configuration from the Python code as
/// the plan leaves it, exactly as `sekoia-wizard sync` (and the SDK's generate-files-from-code) would,
/// and adds them to the plan. Returns what sync warned about, for the person to see.
fn regenerate(plan: &mut Plan, scope: Scope) -> anyhow::Result<Vec<String>> {
    let tree = add::tree_of(plan);
    let options = SyncOptions {
        scope,
        ..SyncOptions::default()
    };
    let report = sync::plan(&tree, &options)?;
    for file in report.plan.files() {
        plan.put(file.path.clone(), file.contents.clone());
    }
    Ok(report
        .warnings
        .iter()
        .map(|w| format!("sync: {w}"))
        .collect())
}
