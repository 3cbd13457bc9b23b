//! `sekoia-wizard release [DIR] major|minor|patch|X.Y.Z`: bump the version, date the changelog.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::core::compliance::{self, Severity};
use crate::core::git;
use crate::core::release::{self, Date, Target};
use crate::core::workspace;

#[derive(Debug, Args)]
#[command(override_usage = "sekoia-wizard release [OPTIONS] [DIR] <major|minor|patch|X.Y.Z>")]
pub struct ReleaseArgs {
    /// [DIR] (default: the current directory) then major, minor, patch or an explicit X.Y.Z
    #[arg(value_name = "ARGS", num_args = 1..=2, required = true)]
    pub args: Vec<String>,
    /// A line to add under `### Changed` in the new entry
    #[arg(long, short)]
    pub message: Option<String>,
    /// Release date written in the changelog (default: today, UTC)
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<String>,
    /// Show the changes without writing them
    #[arg(long)]
    pub dry_run: bool,
    /// Then commit manifest.json and CHANGELOG.md (only them) and tag that commit `vX.Y.Z`
    /// (annotated); `push` pushes the tag
    #[arg(long)]
    pub tag: bool,
}

pub fn run(args: ReleaseArgs) -> anyhow::Result<ExitCode> {
    let (dir, target) = match args.args.as_slice() {
        [target] => (PathBuf::from("."), target.clone()),
        [dir, target] => (PathBuf::from(dir), target.clone()),
        _ => unreachable!("clap enforces 1..=2 arguments"),
    };
    // From anywhere inside the module; a module given as it is keeps its spelling in messages.
    let dir = crate::core::sync::on_disk::find_module_root(&dir).unwrap_or(dir);
    let target: Target = target.parse()?;
    // Read, plan and write under the module's lock.
    let _lock = (!args.dry_run)
        .then(|| super::module_lock::lock(&dir))
        .transpose()?;
    let date: Date = match &args.date {
        Some(d) => d.parse()?,
        None => Date::today(),
    };
    let planned = release::plan(&dir, &target, args.message.as_deref(), date)?;
    let tag = args.tag.then(|| release::tag_name(&planned.version));
    if let Some(tag) = &tag {
        // Refused before anything is written: no repository, no commit, the tag exists.
        git::check_tag(&dir, tag)?;
    }
    if args.dry_run {
        for file in planned.plan.changes() {
            print!("{}", file.diff());
        }
        if let Some(tag) = &tag {
            println!("would commit the release and tag it {tag}");
        }
        println!("(dry run: nothing written)");
        return Ok(ExitCode::SUCCESS);
    }
    workspace::apply(&planned.plan)?;
    let name = compliance::module_name(&dir);
    println!(
        "{name}: {} → {} ({date})",
        planned.previous, planned.version
    );
    for file in planned.plan.changes() {
        println!("  ~ {}", file.path);
    }
    if planned.created_changelog {
        println!("note: CHANGELOG.md was missing and has been created");
    }
    if planned.empty_entry {
        println!(
            "note: ## Unreleased was empty, so the {} entry has no notes (use --message)",
            planned.version
        );
    }
    if let Some(tag) = &tag {
        let files: Vec<String> = planned.plan.changes().map(|f| f.path.clone()).collect();
        let files: Vec<&str> = files.iter().map(String::as_str).collect();
        let (commit_message, tag_message) =
            release::tag_messages(&name, &planned.version, args.message.as_deref());
        let made = git::commit_and_tag(&dir, &files, tag, &commit_message, &tag_message)?;
        let short = &made.commit[..made.commit.len().min(7)];
        if made.committed {
            println!("Committed {short}: Release {name} {}", planned.version);
        }
        println!("Tagged {short} {tag} (annotated); `sekoia-wizard push` pushes it");
    }
    let remaining: Vec<_> = compliance::check_module(&dir)
        .into_iter()
        .filter(|e| e.severity == Severity::Error && matches!(e.rule, "changelog" | "manifest"))
        .collect();
    for e in &remaining {
        println!("check: {}", e.line());
    }
    Ok(ExitCode::SUCCESS)
}
