//! The lock step after pyproject.toml changes (`poetry lock` / `uv lock`). The core only says what
//! to run; front ends run it with visible progress and never fail the whole command for it.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::core::model::Packaging;

/// The packaging a module uses, read from its pyproject.toml (`[tool.poetry]` means Poetry).
pub fn packaging_of(module_dir: &Path) -> Packaging {
    let text = std::fs::read_to_string(module_dir.join("pyproject.toml")).unwrap_or_default();
    let doc: Result<toml_edit::DocumentMut, _> = text.parse();
    match doc {
        Ok(doc) if doc.get("tool").and_then(|t| t.get("poetry")).is_some() => Packaging::Poetry,
        Ok(_) => Packaging::Uv,
        Err(_) => Packaging::Poetry,
    }
}

/// The program and arguments of the lock step.
pub fn lock_args(packaging: Packaging) -> (&'static str, &'static [&'static str]) {
    match packaging {
        Packaging::Poetry => ("poetry", &["lock"]),
        Packaging::Uv => ("uv", &["lock"]),
    }
}

/// Finds `program` on PATH.
pub fn which(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|p| p.is_file())
}

/// The lock command ready to run in `module_dir`, or `None` when the tool is not installed.
pub fn lock_command(module_dir: &Path, packaging: Packaging) -> Option<Command> {
    let (program, args) = lock_args(packaging);
    let exe = which(program)?;
    let mut cmd = Command::new(exe);
    cmd.args(args).current_dir(module_dir);
    Some(cmd)
}

/// What to tell a person who does not have the tool.
pub fn manual_hint(module_dir: &Path, packaging: Packaging) -> String {
    let (program, args) = lock_args(packaging);
    let install = match packaging {
        Packaging::Poetry => "pipx install poetry",
        Packaging::Uv => "pipx install uv",
    };
    format!(
        "{program} is not installed, so no lock file was written: install it ({install}), then run `cd {} && {program} {}`",
        module_dir.display(),
        args.join(" ")
    )
}
