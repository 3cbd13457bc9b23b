//! `sekoia-wizard check`: the automation-library compliance checker, same messages and verdicts.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use serde_json::{json, Value};

use crate::core::compliance::{self, fix, ignore::Ignore, CheckError, Options, Severity};
use crate::core::failure::Failure;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Text,
    Json,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Exit status: 0 no errors, 1 errors found, 2 usage error.\n\
Warnings are the extra platform checks (manifest version vs CHANGELOG, JSON formatting);\n\
they only fail the run with --strict."
)]
pub struct CheckArgs {
    /// Module directories to check (default: the current directory). With --library, the
    /// modules of ROOT to report (names or paths)
    #[arg(value_name = "DIR")]
    pub dirs: Vec<PathBuf>,
    /// Check every module under ROOT (top-level folders not starting with `_` or `.`, and not
    /// `docs`), with UUID and slug uniqueness across all of them
    #[arg(long, value_name = "ROOT")]
    pub library: Option<PathBuf>,
    /// Output format
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
    /// Repair what is safe to repair (JSON formatting, missing or twin UUIDs) and report it
    #[arg(long)]
    pub fix: bool,
    /// Count warnings (the extra platform checks) as errors
    #[arg(long)]
    pub strict: bool,
}

/// Which modules to validate, which to report, and where `.complianceignore` is read.
struct Scope {
    universe: Vec<PathBuf>,
    selected: Vec<PathBuf>,
    ignore: Ignore,
    /// Paths in `FIX` lines are shown relative to this.
    base: PathBuf,
}

fn usage(message: String, hint: &str) -> anyhow::Error {
    Failure::with_hint(message, hint).into()
}

fn scope(args: &CheckArgs) -> anyhow::Result<Scope> {
    if let Some(root) = &args.library {
        if !root.is_dir() {
            return Err(usage(
                format!("{} is not a directory", root.display()),
                "give the automation-library checkout",
            ));
        }
        let universe = compliance::find_modules(root)?;
        let mut selected = Vec::new();
        for dir in &args.dirs {
            let by_name = root.join(dir);
            let found = universe.iter().find(|m| {
                **m == by_name
                    || same_file(m, dir)
                    || m.file_name().is_some_and(|n| Path::new(n) == dir.as_path())
            });
            match found {
                Some(m) => selected.push(m.clone()),
                None => {
                    return Err(usage(
                        format!("{} is not a module of {}", dir.display(), root.display()),
                        "give module folder names of the library (e.g. `Okta`), or leave them out to check all",
                    ))
                }
            }
        }
        if args.dirs.is_empty() {
            selected = universe.clone();
        }
        selected.sort();
        selected.dedup();
        return Ok(Scope {
            universe,
            selected,
            ignore: Ignore::load(root),
            base: root.clone(),
        });
    }
    let dirs = if args.dirs.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.dirs.clone()
    };
    for dir in &dirs {
        if !dir.is_dir() {
            return Err(usage(
                format!("{} is not a directory", dir.display()),
                "give module directories",
            ));
        }
    }
    if args.dirs.is_empty()
        && !Path::new("manifest.json").exists()
        && looks_like_library(Path::new("."))
    {
        return Err(usage(
            "the current directory is a library of modules, not a module".into(),
            "run `sekoia-wizard check --library .`, or give a module directory",
        ));
    }
    let mut selected = dirs;
    selected.sort();
    selected.dedup();
    let parent = |d: &Path| {
        let abs = std::fs::canonicalize(d).unwrap_or_else(|_| d.to_path_buf());
        abs.parent().map(Path::to_path_buf).unwrap_or(abs)
    };
    let ignore = Ignore::load(&parent(&selected[0]));
    let base = selected[0]
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    Ok(Scope {
        universe: selected.clone(),
        selected,
        ignore,
        base,
    })
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

fn looks_like_library(dir: &Path) -> bool {
    compliance::find_modules(dir)
        .map(|mods| {
            mods.iter()
                .filter(|m| m.join("manifest.json").is_file())
                .count()
                >= 2
        })
        .unwrap_or(false)
}

/// The findings to show: selected modules only, minus `.complianceignore`d files.
fn findings(scope: &Scope, options: Options) -> Vec<CheckError> {
    let results = compliance::validate_all(&scope.universe, options);
    let mut out = Vec::new();
    for result in results {
        if !scope.selected.contains(&result.path) {
            continue;
        }
        out.extend(
            result
                .errors
                .into_iter()
                .filter(|e| !scope.ignore.is_ignored(&e.path)),
        );
    }
    out
}

fn relative(path: &Path, base: &Path) -> String {
    path.strip_prefix(base)
        .unwrap_or(path)
        .to_string_lossy()
        .into_owned()
}

pub fn run(args: CheckArgs) -> anyhow::Result<ExitCode> {
    let scope = match scope(&args) {
        Ok(s) => s,
        Err(err) => {
            super::report(&err);
            return Ok(ExitCode::from(2));
        }
    };
    // The "manifests are up to date" check runs the sync engine on each code module.
    let options = Options {
        sync_check: Some(&crate::core::compliance::sync_check::sync_findings),
    };

    let mut errors = findings(&scope, options);
    let mut repairs = Vec::new();
    if args.fix {
        let fixable: Vec<&CheckError> = errors.iter().filter(|e| e.fix.is_some()).collect();
        let (plans, done) = fix::plan(&fixable);
        for plan in &plans {
            crate::core::workspace::apply(plan)?;
        }
        repairs = done;
        if !plans.is_empty() {
            errors = findings(&scope, options);
        }
    }
    let is_error = |e: &CheckError| e.severity == Severity::Error || args.strict;
    let failed = errors.iter().any(is_error);

    match args.format {
        OutputFormat::Json => print_json(&scope, &errors, &repairs, failed, args.strict),
        OutputFormat::Text => print_text(&scope, &errors, &repairs, failed, &args),
    }
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn print_text(
    scope: &Scope,
    errors: &[CheckError],
    repairs: &[fix::Repair],
    failed: bool,
    args: &CheckArgs,
) {
    println!("🔎 {} module(s) found", scope.selected.len());
    if !repairs.is_empty() {
        println!("Fixing...");
        for r in repairs {
            println!("FIX {}:{}", relative(&r.path, &scope.base), r.label);
        }
    }
    for e in errors
        .iter()
        .filter(|e| e.severity == Severity::Error || args.strict)
    {
        println!("{}", e.line());
    }
    if !args.strict {
        for e in errors.iter().filter(|e| e.severity == Severity::Warning) {
            println!("warning: {}", e.line());
        }
    }
    // Like the real checker, the fix list covers errors; fixable warnings are only counted.
    let counts = |e: &&CheckError| e.severity == Severity::Error || args.strict;
    let fixable: Vec<&CheckError> = errors
        .iter()
        .filter(counts)
        .filter(|e| e.fix.is_some())
        .collect();
    let fixable_warnings = errors
        .iter()
        .filter(|e| !counts(e) && e.fix.is_some())
        .count();
    if !args.fix && fixable_warnings > 0 {
        println!("({fixable_warnings} warning(s) can be repaired with `--fix`)");
    }
    if !args.fix && !fixable.is_empty() {
        println!();
        println!("🛠 Available automatic fixes (run with `--fix`):");
        for e in fixable {
            println!(
                "FIX {}:{}",
                relative(&e.path, &scope.base),
                e.fix_label().unwrap_or_default()
            );
        }
    }
    if failed {
        println!("❌  Found errors");
    } else {
        println!("✅  No errors found!");
    }
}

fn print_json(
    scope: &Scope,
    errors: &[CheckError],
    repairs: &[fix::Repair],
    failed: bool,
    strict: bool,
) {
    let items: Vec<Value> = errors
        .iter()
        .map(|e| {
            let severity = if strict { Severity::Error } else { e.severity };
            json!({
                "module": e.module,
                "file": e.file_name(),
                "path": e.path.to_string_lossy(),
                "message": e.message,
                "rule": e.rule,
                "severity": severity,
                "fix": e.fix_label(),
            })
        })
        .collect();
    let fixed: Vec<Value> = repairs
        .iter()
        .map(|r| json!({"path": r.path.to_string_lossy(), "label": r.label}))
        .collect();
    let out = json!({
        "modules_checked": scope.selected.len(),
        "ok": !failed,
        "errors": items,
        "fixed": fixed,
    });
    println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
}
