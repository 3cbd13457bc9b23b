//! The automation-library compliance checker (`_utils/compliance`), rule for rule, with the same
//! messages, plus the checks the platform needs that it misses (reported as warnings).
//!
//! Each validator lives in its own file, like the real checker. A run validates every module first
//! (collecting UUIDs, slugs and docker parameters), then runs the cross-module checks (`library`).
//! Where the real checker crashes or is wrong, this one reports an error or does the right thing;
//! the list is in the README ("Differences from the Python checker").

use std::path::{Path, PathBuf};

use serde_json::Value;

pub mod changelog;
pub mod components;
pub mod deps;
pub mod dockerfile;
pub mod extra;
pub mod fix;
pub mod ignore;
pub mod library;
pub mod logo;
pub mod mainpy;
pub mod manifest;
pub mod pyre;
pub mod pyvalue;
pub mod schema;
pub mod sync_check;
pub mod tests;

/// Errors are the real checker's rules; warnings are the extra platform checks (errors with `--strict`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// What `check --fix` can do about a finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fix {
    /// Rewrite the JSON file as `json.dumps(obj, indent=2)`.
    FormatJson,
    /// Give the component a random UUID (the real checker's "Generate random UUID").
    RandomUuid,
    /// Set the connector's UUID to its trigger twin's.
    SetUuid { uuid: String, trigger: String },
}

impl Fix {
    pub fn label(&self, file: &str) -> String {
        match self {
            Fix::FormatJson => "Format as json.dumps(obj, indent=2)".into(),
            Fix::RandomUuid => "Generate random UUID".into(),
            Fix::SetUuid { trigger, .. } => format!("Set the same UUID for {trigger} and {file}"),
        }
    }
}

/// One finding, printed `<Module>:<file name>:<message>` like the real checker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckError {
    /// The module directory's name.
    pub module: String,
    /// The module directory.
    pub module_dir: PathBuf,
    /// The file the finding is about (it may not exist, e.g. `logo.png is missing`).
    pub path: PathBuf,
    pub message: String,
    /// A short stable id of the rule (for `--format json` and tests).
    pub rule: &'static str,
    pub severity: Severity,
    pub fix: Option<Fix>,
}

impl CheckError {
    pub fn file_name(&self) -> String {
        self.path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    }

    /// `<Module>:<file>:<message>`, the real checker's line.
    pub fn line(&self) -> String {
        format!("{}:{}:{}", self.module, self.file_name(), self.message)
    }

    pub fn fix_label(&self) -> Option<String> {
        self.fix.as_ref().map(|f| f.label(&self.file_name()))
    }
}

/// A finding from `sync --check` for the extra "manifests are up to date" check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncFinding {
    /// File name inside the module (e.g. `action_get_user.json`, `main.py`).
    pub file: String,
    pub message: String,
    /// Manifests out of date are warnings; code Python would not import is an error.
    pub severity: Severity,
}

/// INTEGRATION POINT for `core::sync` (written separately): given a module directory, what
/// `sync --check` finds stale or inconsistent (component JSONs or main.py out of date with the
/// Python code, registrations without a component class). The CLI passes it in; the findings become
/// warnings with rule `sync`. `None` skips the check.
pub type SyncCheck = dyn Fn(&Path) -> Vec<SyncFinding> + Sync;

/// Which JSON files the formatting warning looks at, given the module directory and the file's
/// path inside it. `check --changes` passes one so that only the changed files are judged, as the
/// library's linter (`linter.py check --changes`) does: most existing files would fail otherwise.
pub type JsonFilter<'a> = dyn Fn(&Path, &Path) -> bool + Sync + 'a;

#[derive(Default, Clone, Copy)]
pub struct Options<'a> {
    pub sync_check: Option<&'a SyncCheck>,
    /// `None`: every JSON file of the module.
    pub json_filter: Option<&'a JsonFilter<'a>>,
}

/// Everything one module's validation gathers (the real checker's `result.options` + errors).
#[derive(Debug, Clone, Default)]
pub struct ModuleResult {
    pub path: PathBuf,
    pub name: String,
    pub errors: Vec<CheckError>,
    /// File name → UUID, for the uniqueness checks (manifest.json and components).
    pub uuids: Vec<(String, Value)>,
    pub slug: Option<Value>,
    /// Component file name → `docker_parameters`, in file order.
    pub docker: Vec<(String, String)>,
    /// `manifest.json`'s `version`, for the extra changelog check.
    pub manifest_version: Option<Value>,
    /// Whether the changelog passed every rule (the extra version check needs a sound changelog).
    pub changelog_ok: bool,
    pub changelog_newest: Option<String>,
}

impl ModuleResult {
    pub fn new(path: &Path) -> Self {
        let name = module_name(path);
        ModuleResult {
            path: path.to_path_buf(),
            name,
            ..Default::default()
        }
    }

    pub fn error(&mut self, file: &str, rule: &'static str, message: impl Into<String>) {
        self.push(file, rule, message, Severity::Error, None);
    }

    pub fn push(
        &mut self,
        file: &str,
        rule: &'static str,
        message: impl Into<String>,
        severity: Severity,
        fix: Option<Fix>,
    ) {
        self.errors.push(CheckError {
            module: self.name.clone(),
            module_dir: self.path.clone(),
            path: self.path.join(file),
            message: message.into(),
            rule,
            severity,
            fix,
        });
    }

    pub fn file(&self, name: &str) -> PathBuf {
        self.path.join(name)
    }
}

/// The name a module is reported under: its directory's name (`.` resolved).
pub fn module_name(path: &Path) -> String {
    let named = path.file_name().map(|n| n.to_string_lossy().into_owned());
    match named {
        Some(n) if n != "." && n != ".." => n,
        _ => std::fs::canonicalize(path)
            .ok()
            .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_else(|| path.display().to_string()),
    }
}

/// Runs every per-module validator in the real checker's order, then the extra checks.
pub fn validate_module(path: &Path, options: Options) -> ModuleResult {
    let mut result = ModuleResult::new(path);
    changelog::validate(&mut result);
    manifest::validate(&mut result);
    logo::validate(&mut result);
    if path.join("pyproject.toml").exists() {
        tests::validate(&mut result);
        deps::validate(&mut result);
        dockerfile::validate(&mut result);
        components::validate(&mut result, components::Kind::Action);
        components::validate(&mut result, components::Kind::Connector);
        components::validate(&mut result, components::Kind::Trigger);
        mainpy::validate(&mut result);
    }
    extra::validate(&mut result, options);
    result
}

/// `validate_module`, except that a bug in one validator (a panic) becomes an error on that module
/// instead of ending the whole run: `check --library` still reports the 169 others.
fn validate_guarded(path: &Path, options: Options) -> ModuleResult {
    guarded(path, || validate_module(path, options))
}

fn guarded(path: &Path, validate: impl FnOnce() -> ModuleResult) -> ModuleResult {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(validate)) {
        Ok(result) => result,
        Err(payload) => {
            let why = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown cause".into());
            let mut result = ModuleResult::new(path);
            result.error(
                "manifest.json",
                "internal",
                format!(
                    "sekoia-wizard failed while checking this module ({why}); please report it"
                ),
            );
            result
        }
    }
}

/// Validates modules and runs the cross-module checks over all of them.
pub fn validate_all(paths: &[PathBuf], options: Options) -> Vec<ModuleResult> {
    let mut results: Vec<ModuleResult> = if paths.len() > 8 {
        validate_parallel(paths, options)
    } else {
        paths.iter().map(|p| validate_guarded(p, options)).collect()
    };
    library::check_uuids_and_slugs(&mut results);
    library::check_docker_params(&mut results);
    results
}

fn validate_parallel(paths: &[PathBuf], options: Options) -> Vec<ModuleResult> {
    let workers = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .min(8);
    let chunk = paths.len().div_ceil(workers);
    std::thread::scope(|scope| {
        let handles: Vec<_> = paths
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .map(|p| validate_guarded(p, options))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            // Each module's validation is guarded, so a worker cannot panic.
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    })
}

/// Checks one module directory on its own (cross-module uniqueness within the module only): all
/// findings, errors first. Used to prove that what `new` and `release` write is compliant.
pub fn check_module(dir: &Path) -> Vec<CheckError> {
    let options = Options {
        sync_check: Some(&sync_check::sync_findings),
        json_filter: None,
    };
    let mut results = validate_all(&[dir.to_path_buf()], options);
    let mut errors = results.pop().map(|r| r.errors).unwrap_or_default();
    errors.sort_by_key(|e| e.severity);
    errors
}

/// Library modules: top-level directories not starting with `_` or `.`, and not `docs`, sorted.
pub fn find_modules(root: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut modules = Vec::new();
    for entry in std::fs::read_dir(root)? {
        let path = entry?.path();
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if path.is_dir() && !name.starts_with('_') && !name.starts_with('.') && name != "docs" {
            modules.push(path);
        }
    }
    modules.sort();
    Ok(modules)
}

/// Reads a file as Python's `open(path, "rt")` + `read()` would: `None` when unreadable or not UTF-8.
pub fn read_text(path: &Path) -> Option<String> {
    let bytes = std::fs::read(path).ok()?;
    String::from_utf8(bytes)
        .ok()
        .map(|t| crate::core::changelog::normalize_newlines(&t))
}

/// `json.load`: `None` when the file does not parse (serde_json is as strict as Python here,
/// except that Python also takes `NaN`/`Infinity`).
pub fn load_json(path: &Path) -> Option<Value> {
    let text = std::fs::read(path).ok()?;
    let text = String::from_utf8(text).ok()?;
    serde_json::from_str(&text).ok()
}

#[cfg(test)]
mod guard_tests {
    use super::*;

    #[test]
    fn a_panicking_validator_becomes_an_error_on_its_module() {
        let path = Path::new("/library/Broken");
        let result = guarded(path, || panic!("index out of range"));
        assert_eq!(result.errors.len(), 1);
        let e = &result.errors[0];
        assert!(e.message.contains("index out of range"), "{}", e.message);
        assert_eq!(result.name, "Broken");
        let fine = guarded(path, || ModuleResult::new(path));
        assert!(fine.errors.is_empty());
    }
}
