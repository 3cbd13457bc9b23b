//! Checks the platform needs and the Python checker misses, reported as warnings (errors with
//! `check --strict`):
//! * `manifest.json`'s `version` is the newest released CHANGELOG entry (it is the Docker image tag);
//! * every JSON file is written as the library's linter wants: `json.dumps(obj, indent=2)`, no
//!   final newline (`linter.py`, enforced by CI on changed files; with `check --changes`, only
//!   the changed files are looked at, through `Options::json_filter`);
//! * the manifests are up to date with the code (`sync --check`, through `Options::sync_check`).

use std::path::{Path, PathBuf};

use super::{Fix, ModuleResult, Options, Severity};
use crate::core::pyjson;

pub fn validate(result: &mut ModuleResult, options: Options) {
    version_matches_changelog(result);
    json_formatting(result, options);
    if let Some(sync_check) = options.sync_check {
        for finding in sync_check(&result.path) {
            result.push(
                &finding.file,
                "sync",
                finding.message,
                finding.severity,
                None,
            );
        }
    }
}

fn version_matches_changelog(result: &mut ModuleResult) {
    // Only when both sides are sound, so a broken file gets its own message and nothing more.
    let Some(version) = result
        .manifest_version
        .as_ref()
        .and_then(|v| v.as_str())
        .map(str::to_string)
    else {
        return;
    };
    if !crate::core::changelog::is_semver(&version) || !result.changelog_ok {
        return;
    }
    let Some(newest) = result.changelog_newest.clone() else {
        return;
    };
    if version.trim_end() != newest {
        result.push(
            "manifest.json",
            "version",
            format!("`version` {version} is not the newest CHANGELOG.md entry ({newest})"),
            Severity::Warning,
            None,
        );
    }
}

/// Every `*.json` below the module, skipping hidden directories (like `glob("**/*.json")`).
pub fn json_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    walk(dir, &mut out);
    out.sort();
    out
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            // Test and build artefacts (pytest-cov's `htmlcov/status.json`, a virtualenv) are not
            // the module's files, and a module's .gitignore keeps them out of the repository.
            let artefact = matches!(
                name.as_str(),
                "htmlcov" | "__pycache__" | "node_modules" | "venv"
            ) || entry.path().join("pyvenv.cfg").is_file();
            if !artefact {
                walk(&entry.path(), out);
            }
        } else if name.ends_with(".json") {
            out.push(entry.path());
        }
    }
}

/// What the linter would write for this text, or `None` when it is not JSON.
pub fn formatted(text: &str) -> Option<String> {
    // A file that cannot be written back exactly (integers beyond 64 bits) is never reformatted.
    let value = pyjson::loads_exact(text.as_bytes()).ok()?;
    Some(pyjson::dumps(&value))
}

fn json_formatting(result: &mut ModuleResult, options: Options) {
    for path in json_files(&result.path) {
        let Ok(rel) = path.strip_prefix(&result.path) else {
            continue;
        };
        if options
            .json_filter
            .is_some_and(|keep| !keep(&result.path, rel))
        {
            continue;
        }
        let rel = rel.to_string_lossy().into_owned();
        let top_level_checked = !rel.contains('/')
            && (rel == "manifest.json" || super::components::kind_of(&rel).is_some());
        let Some(text) = super::read_text(&path) else {
            if !top_level_checked {
                result.push(
                    &rel,
                    "json-format",
                    "can't load JSON",
                    Severity::Warning,
                    None,
                );
            }
            continue;
        };
        match formatted(&text) {
            Some(expected) if expected != text => result.push(
                &rel,
                "json-format",
                "JSON is not formatted as json.dumps(obj, indent=2) without a final newline",
                Severity::Warning,
                Some(Fix::FormatJson),
            ),
            Some(_) => {}
            // manifest and component files already get the checker's own message
            None if !top_level_checked => result.push(
                &rel,
                "json-format",
                "can't load JSON",
                Severity::Warning,
                None,
            ),
            None => {}
        }
    }
}
