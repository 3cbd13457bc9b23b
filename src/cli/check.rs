//! `sekoia-wizard check`: the automation-library compliance checker, same messages and verdicts.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use serde_json::{json, Value};

use crate::core::compliance::{self, fix, ignore::Ignore, CheckError, Options, Severity};
use crate::core::failure::Failure;
use crate::core::git;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Text,
    Json,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Exit status: 0 no errors, 1 errors found, 2 usage error (also: not a git\n\
repository, or --changes REF not found).\n\
Warnings are the extra platform checks (manifest version vs CHANGELOG, JSON formatting);\n\
they only fail the run with --strict.\n\n\
Like the library's CI on a branch:\n  \
sekoia-wizard check --library . --changes\n  \
sekoia-wizard check --library . --changes HEAD~1"
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
    /// Report only the modules with files changed since REF (default `origin/main`), like the
    /// library's CI: commits since the merge-base with REF, plus staged, unstaged and untracked
    /// files. Uniqueness is still checked against every module; JSON formatting only on the
    /// changed files. With DIRs, put them first or write `--changes=REF`
    #[arg(
        long,
        value_name = "REF",
        num_args = 0..=1,
        default_missing_value = DEFAULT_BASE
    )]
    pub changes: Option<String>,
}

/// What `--changes` compares with by default: the branch the library's pull requests target.
const DEFAULT_BASE: &str = "origin/main";

/// `--changes`: the changed files of each module (paths inside the module), keyed by the module
/// path as it appears in `Scope::universe`.
type ChangedFiles = HashMap<PathBuf, HashSet<PathBuf>>;

/// Which modules to validate, which to report, and where `.complianceignore` is read.
struct Scope {
    universe: Vec<PathBuf>,
    selected: Vec<PathBuf>,
    ignore: Ignore,
    /// Paths in `FIX` lines are shown relative to this.
    base: PathBuf,
    /// With `--changes`: the changed files, which alone get the JSON formatting rule.
    changed: Option<ChangedFiles>,
    /// Printed before the banner (the real checker's "check all modules" notice).
    notice: Option<&'static str>,
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
        let mut changed = None;
        let mut notice = None;
        if let Some(base) = &args.changes {
            let (files, all) = library_changes(root, &universe, base)?;
            if all {
                notice = Some("Compliance code folder is changed - check all modules");
            } else {
                // Given DIRs narrow the changed modules down rather than being overridden.
                selected.retain(|m| files.contains_key(m));
            }
            changed = Some(files);
        }
        selected.sort();
        selected.dedup();
        return Ok(Scope {
            universe,
            selected,
            ignore: Ignore::load(root),
            base: root.clone(),
            changed,
            notice,
        });
    }
    let dirs = if args.dirs.is_empty() {
        // From anywhere inside a module (its tests/, its package): that module.
        let here = PathBuf::from(".");
        vec![crate::core::sync::on_disk::find_module_root(&here).unwrap_or(here)]
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
    let universe = selected.clone();
    let mut changed = None;
    if let Some(base) = &args.changes {
        let files = dir_changes(&selected, base)?;
        selected.retain(|m| files.contains_key(m));
        changed = Some(files);
    }
    let parent = |d: &Path| {
        let abs = std::fs::canonicalize(d).unwrap_or_else(|_| d.to_path_buf());
        abs.parent().map(Path::to_path_buf).unwrap_or(abs)
    };
    // From the given DIRs, not the changed ones: with --changes there may be none.
    let ignore = Ignore::load(&parent(&universe[0]));
    let base = universe[0]
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    Ok(Scope {
        universe,
        selected,
        ignore,
        base,
        changed,
        notice: None,
    })
}

/// `--changes` with `--library ROOT`: the changed files of each module of ROOT, and whether the
/// library's own checker (`_utils`) changed, in which case the real checker checks every module.
fn library_changes(
    root: &Path,
    universe: &[PathBuf],
    base: &str,
) -> anyhow::Result<(ChangedFiles, bool)> {
    let changes = git::changed_files(root, base).map_err(|e| with_dir_hint(e, base, root))?;
    let root_abs = std::fs::canonicalize(root)?;
    let mut files = ChangedFiles::new();
    let mut all = false;
    for file in &changes.files {
        // ROOT may be a folder of a bigger repository: keep what is under it.
        let Ok(inside) = changes
            .workdir
            .join(file)
            .strip_prefix(&root_abs)
            .map(Path::to_path_buf)
        else {
            continue;
        };
        let mut parts = inside.components();
        let Some(first) = parts.next() else {
            continue;
        };
        if first.as_os_str() == "_utils" {
            all = true;
        }
        // Deleted modules are not in the universe (it lists existing folders): skipped.
        let module = root.join(first.as_os_str());
        if universe.contains(&module) {
            files
                .entry(module)
                .or_default()
                .insert(parts.as_path().to_path_buf());
        }
    }
    Ok((files, all))
}

/// `--changes` with module DIRs: each one's changed files, from the repository it is in.
fn dir_changes(dirs: &[PathBuf], base: &str) -> anyhow::Result<ChangedFiles> {
    let mut files = ChangedFiles::new();
    // Modules side by side usually share a repository: ask git once per work tree.
    let mut by_workdir: HashMap<PathBuf, git::Changes> = HashMap::new();
    for dir in dirs {
        let dir_abs = std::fs::canonicalize(dir)?;
        let known = by_workdir
            .iter()
            .find(|(w, _)| dir_abs.starts_with(w))
            .map(|(w, _)| w.clone());
        let workdir = match known {
            Some(w) => w,
            None => {
                let changes =
                    git::changed_files(dir, base).map_err(|e| with_dir_hint(e, base, dir))?;
                let w = changes.workdir.clone();
                by_workdir.insert(w.clone(), changes);
                w
            }
        };
        let changes = &by_workdir[&workdir];
        for file in &changes.files {
            if let Ok(inside) = workdir.join(file).strip_prefix(&dir_abs) {
                files
                    .entry(dir.clone())
                    .or_default()
                    .insert(inside.to_path_buf());
            }
        }
    }
    Ok(files)
}

/// `check --library . --changes Okta` reads `Okta` as the REF: say so instead of "not found".
fn with_dir_hint(err: anyhow::Error, base: &str, dir: &Path) -> anyhow::Error {
    let looks_like_dir = Path::new(base).is_dir() || dir.join(base).is_dir();
    match err.downcast::<Failure>() {
        Ok(failure) if looks_like_dir && failure.message.contains("not found") => {
            Failure::with_hint(
                failure.message,
                format!(
                    "`{base}` was read as the REF of --changes: write `--changes={DEFAULT_BASE}` or put the DIRs first"
                ),
            )
            .into()
        }
        Ok(failure) => failure.into(),
        Err(err) => err,
    }
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
    let json_filter = |module: &Path, file: &Path| {
        scope
            .changed
            .as_ref()
            .is_none_or(|changed| changed.get(module).is_some_and(|f| f.contains(file)))
    };
    let options = Options {
        sync_check: Some(&crate::core::compliance::sync_check::sync_findings),
        json_filter: scope.changed.is_some().then_some(&json_filter as &_),
    };

    let mut errors = findings(&scope, options);
    let mut repairs = Vec::new();
    if args.fix {
        let fixable: Vec<&CheckError> = errors.iter().filter(|e| e.fix.is_some()).collect();
        let (plans, done) = fix::plan(&fixable);
        for plan in &plans {
            // Under the module's lock: a file changed since it was read is not overwritten.
            crate::core::workspace::apply_locked(plan)?;
        }
        repairs = done;
        if !plans.is_empty() {
            errors = findings(&scope, options);
        }
    }
    let is_error = |e: &CheckError| e.severity == Severity::Error || args.strict;
    let failed = errors.iter().any(is_error);

    match args.format {
        OutputFormat::Json => print_json(&scope, &errors, &repairs, failed, &args),
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
    if let Some(notice) = scope.notice {
        println!("{notice}");
    }
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
    args: &CheckArgs,
) {
    let strict = args.strict;
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
    let mut out = json!({
        "modules_checked": scope.selected.len(),
        "ok": !failed,
        "errors": items,
        "fixed": fixed,
    });
    if let Some(base) = &args.changes {
        out["changes"] = json!({"since": base, "all_modules": scope.notice.is_some()});
    }
    println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
}
