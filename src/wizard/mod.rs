//! The wizard without a user interface: where it works (`Flow`), the problems of the answers
//! (`validation`), the field designer's model (`fields`), planning and saving (`effects`), the Git
//! step's form (`git`) and the home screen's summary of an existing module (`existing`). Both front
//! ends — the full-screen `tui` and the line-by-line `plain` — build on this layer and only ask
//! and show; nothing here imports a front end or a terminal crate (`tests/core_boundary.rs`).

pub mod effects;
pub mod existing;
pub mod fields;
pub mod git;
pub mod validation;

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use crate::core::failure::Failure;
use existing::ModuleSummary;

/// A new module in `output_dir`, or additions to the module in `dir`.
#[derive(Debug, Clone)]
pub enum Flow {
    New {
        output_dir: PathBuf,
    },
    Existing {
        dir: PathBuf,
        summary: Result<ModuleSummary, String>,
    },
}

impl Flow {
    pub fn is_new(&self) -> bool {
        matches!(self, Flow::New { .. })
    }
}

/// Where the wizard works: an existing module (a `manifest.json` in `--module` or the current
/// directory), or a new module created in the current directory.
pub fn flow_for(module: Option<&Path>, cwd: &Path) -> Result<Flow, Failure> {
    let start = module
        .map(Path::to_path_buf)
        .unwrap_or_else(|| cwd.to_path_buf());
    // Started anywhere inside a module (`tests/`, the package): work on that module.
    let dir = crate::core::sync::on_disk::find_module_root(&start).unwrap_or(start);
    if dir.join("manifest.json").is_file() {
        let summary = existing::read_module_summary(&dir);
        return Ok(Flow::Existing { dir, summary });
    }
    if module.is_some() {
        return Err(Failure::with_hint(
            format!("{} has no manifest.json", dir.display()),
            "give the directory of an existing module, or leave out --module to create one",
        ));
    }
    Ok(Flow::New {
        output_dir: cwd.to_path_buf(),
    })
}

/// Why the wizard cannot prompt here, if it cannot: not a terminal, or `CI` set.
pub fn not_interactive_reason() -> Option<&'static str> {
    if std::env::var_os("CI").is_some_and(|v| !v.is_empty()) {
        Some("CI is set")
    } else if !std::io::stdin().is_terminal() {
        Some("stdin is not a terminal")
    } else if !std::io::stdout().is_terminal() {
        Some("stdout is not a terminal")
    } else {
        None
    }
}

/// The commands that do what the wizard would, for a terminal-less run. On an existing module they
/// name it with `--module` (the wizard may have been started from a subfolder, or elsewhere).
pub fn equivalent_commands(answers: Option<&Path>, existing: Option<&Path>) -> String {
    match (answers, existing) {
        (Some(file), None) => format!("  sekoia-wizard new --answers {}", file.display()),
        (Some(file), Some(dir)) => format!(
            "  sekoia-wizard add --module {} --answers {}",
            dir.display(),
            file.display()
        ),
        (None, None) => {
            "  sekoia-wizard new --name TestHTTP --description \"My test HTTP module\"\n  \
             sekoia-wizard add action --module TestHTTP --name Request --arg url:url,required\n  \
             (or describe everything in an answers file: sekoia-wizard new --answers answers.toml)"
                .to_string()
        }
        (None, Some(dir)) => format!(
            "  sekoia-wizard add action --module {0} --name Request --arg url:url,required\n  \
             sekoia-wizard add config --module {0} --arg 'api_key:str,required,secret'\n  \
             sekoia-wizard sync {0}",
            dir.display()
        ),
    }
}
