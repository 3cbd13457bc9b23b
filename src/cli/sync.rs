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
    let tree = SourceTree::from_disk(&args.dir);
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
    for orphan in &report.orphans {
        eprintln!("warning: {orphan}: no class generates this file any more (left in place)");
    }
    let changes: Vec<_> = report.plan.changes().collect();
    if args.check {
        if changes.is_empty() {
            println!("up to date");
            return Ok(ExitCode::SUCCESS);
        }
        for file in &changes {
            println!("out of date: {}", file.path);
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
