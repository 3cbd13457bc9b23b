//! The steps this tool does itself: the compliance check (the library's checker, with its JSON
//! linter's rule as an error, as CI enforces it on changed files) and `sync --check`.

use std::path::Path;

use super::{summary, Outcome, Step, StepResult};
use crate::core::compliance::{self, fix, ignore::Ignore, CheckError, Fix, Options, Severity};
use crate::core::sync::{self, SourceTree, SyncOptions};

/// The findings of the checker on one module, minus what `.complianceignore` (in the folder
/// above the module, the library's root) leaves out. The sync findings are the `sync` step's.
fn findings(dir: &Path) -> Vec<CheckError> {
    let options = Options {
        sync_check: None,
        json_filter: None,
    };
    let ignore = dir.parent().map(Ignore::load);
    let mut results = compliance::validate_all(&[dir.to_path_buf()], options);
    let mut errors = results.pop().map(|r| r.errors).unwrap_or_default();
    errors.retain(|e| ignore.as_ref().is_none_or(|i| !i.is_ignored(&e.path)));
    errors.sort_by_key(|e| e.severity);
    errors
}

/// The library's CI fails a JSON file its linter rejects; the checker reports it as a warning.
fn fails(e: &CheckError) -> bool {
    e.severity == Severity::Error || e.rule == "json-format"
}

pub fn check(dir: &Path) -> StepResult {
    let mut result = StepResult::new(Step::Check);
    result
        .commands
        .push("sekoia-wizard check (JSON formatting as an error)".into());
    let errors = findings(dir);
    for e in &errors {
        let label = if fails(e) { "" } else { "warning: " };
        result.output.push_str(&format!("{label}{}\n", e.line()));
    }
    let failing: Vec<String> = errors
        .iter()
        .filter(|e| fails(e))
        .map(|e| e.line())
        .collect();
    if !failing.is_empty() {
        result.outcome = Outcome::Failed;
        let lines: Vec<&str> = failing.iter().map(String::as_str).collect();
        result.details = summary::shorten(&lines);
        if errors.iter().any(|e| e.fix == Some(Fix::FormatJson)) {
            result
                .details
                .push("(`sekoia-wizard test --fix` formats the JSON files)".into());
        }
    } else if errors.len() > failing.len() {
        result.details.push(format!("{} warning(s)", errors.len()));
    }
    result
}

pub fn sync(dir: &Path) -> StepResult {
    let mut result = StepResult::new(Step::Sync);
    result.commands.push("sekoia-wizard sync --check".into());
    let report = match sync::plan(&SourceTree::from_disk(dir), &SyncOptions::default()) {
        Ok(report) => report,
        Err(err) => {
            let text: Vec<String> = err.chain().map(|e| e.to_string()).collect();
            result.output = text.join(": ");
            result.outcome = Outcome::Failed;
            result.details = result
                .output
                .lines()
                .take(summary::MAX_LINES)
                .map(str::to_string)
                .collect();
            return result;
        }
    };
    let module = compliance::module_name(dir);
    for w in &report.warnings {
        result.output.push_str(&format!("warning: {w}\n"));
    }
    for d in &report.drift {
        result.output.push_str(&format!("{module}:{d}\n"));
    }
    let stale: Vec<String> = report
        .plan
        .changes()
        .map(|f| format!("out of date: {} (run `sekoia-wizard sync`)", f.path))
        .collect();
    for line in &stale {
        result.output.push_str(line);
        result.output.push('\n');
    }
    if !stale.is_empty() {
        result.outcome = Outcome::Failed;
        let lines: Vec<&str> = stale.iter().map(String::as_str).collect();
        result.details = summary::shorten(&lines);
    }
    result
}

/// `--fix`: formats every JSON file the linter would reject, as `check --fix` does. Returns a
/// line per file changed.
pub fn format_json(dir: &Path) -> Vec<String> {
    let errors = findings(dir);
    let fixable: Vec<&CheckError> = errors
        .iter()
        .filter(|e| e.fix == Some(Fix::FormatJson))
        .collect();
    let (plans, repairs) = fix::plan(&fixable);
    let mut done = Vec::new();
    for plan in &plans {
        if let Err(err) = crate::core::workspace::apply(plan) {
            done.push(format!("could not format JSON files: {err}"));
            return done;
        }
    }
    for r in repairs {
        let rel = r.path.strip_prefix(dir).unwrap_or(&r.path);
        done.push(format!("formatted {}", rel.display()));
    }
    done
}
