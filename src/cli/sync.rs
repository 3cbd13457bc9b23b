//! `sekoia-wizard sync`: regenerate main.py, component manifests and the module configuration
//! from the Python code (the SDK's `generate-files-from-code`, without importing the code).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::core::plan::Change;
use crate::core::sync::{self, SourceTree, SyncOptions};
use crate::core::workspace;

#[derive(Debug, Args)]
pub struct SyncArgs {
    /// The module directory (the one holding manifest.json)
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Write nothing; exit 1 and list the files that are out of date
    #[arg(long, conflicts_with = "dry_run")]
    pub check: bool,
    /// Write nothing; show what would change, as a diff
    #[arg(long)]
    pub dry_run: bool,
    /// Treat warnings (computed defaults, unknown types) as errors
    #[arg(long)]
    pub strict: bool,
    /// On a hand-maintained module, also remove schema properties the code does not declare
    #[arg(long)]
    pub prune: bool,
}

pub fn run(args: SyncArgs) -> anyhow::Result<ExitCode> {
    // Run from anywhere inside the module.
    let dir = crate::core::sync::on_disk::find_module_root(&args.dir).unwrap_or(args.dir.clone());
    let _lock = (!args.check && !args.dry_run)
        .then(|| super::module_lock::lock(&dir))
        .transpose()?;
    let tree = SourceTree::from_disk(&dir);
    let report = sync::plan(
        &tree,
        &SyncOptions {
            strict: args.strict,
            prune: args.prune,
            ..SyncOptions::default()
        },
    )?;
    for w in &report.warnings {
        eprintln!("warning: {w}");
    }
    for problem in &report.import_problems {
        eprintln!("error: {problem}");
    }
    for orphan in &report.orphans {
        eprintln!("warning: {orphan}: no class generates this file any more (left in place)");
    }
    let changes: Vec<_> = report.plan.changes().collect();
    // On a hand-maintained module, say what differs field by field (`Okta:file.json:arguments.x: ...`).
    let module_name = std::fs::canonicalize(&dir)
        .ok()
        .and_then(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_default();
    let changed_files: Vec<&str> = changes.iter().map(|f| f.path.as_str()).collect();
    for drift in &report.drift {
        // Drift that sync does not act on (a property only in the JSON, without --prune) is a note.
        let acted = changed_files.contains(&drift.file.as_str())
            && !drift.message.ends_with("in the JSON, not in the code");
        let label = if acted { "" } else { "note: " };
        println!("{label}{module_name}:{drift}");
    }
    if args.check {
        if changes.is_empty() && report.import_problems.is_empty() {
            println!("up to date");
            return Ok(ExitCode::SUCCESS);
        }
        for file in &changes {
            if !report.drift.iter().any(|d| d.file == file.path) {
                println!("out of date: {}", file.path);
            }
        }
        if changes.is_empty() {
            println!("manifests up to date, but Python cannot import the code (errors above)");
        }
        return Ok(ExitCode::from(1));
    }
    if args.dry_run {
        print!("{}", report.plan.tree());
        for file in &changes {
            print!("{}", file.diff());
        }
        return Ok(ExitCode::SUCCESS);
    }
    if changes.is_empty() {
        println!("up to date");
        return Ok(ExitCode::SUCCESS);
    }
    let verbs: Vec<(String, Change)> = changes
        .iter()
        .map(|f| (f.path.clone(), f.change()))
        .collect();
    workspace::apply(&report.plan)?;
    for (path, change) in verbs {
        let verb = if change == Change::New {
            "Generated"
        } else {
            "Updated"
        };
        println!("[+] {verb} {path}");
    }
    Ok(ExitCode::SUCCESS)
}
