//! The "manifests are up to date" check: what `sekoia-wizard sync --check` would rewrite in a code
//! module, reported as findings (main.py or component JSONs stale or missing, component JSONs that
//! no class generates).

use std::path::Path;

use super::{Severity, SyncFinding};
use crate::core::sync::{self, SourceTree, SyncOptions};

/// The `Options::sync_check` the CLI passes: only code modules (with `pyproject.toml` and
/// `main.py`) are generated from code, so only they are checked.
pub fn sync_findings(dir: &Path) -> Vec<SyncFinding> {
    if !dir.join("pyproject.toml").is_file() || !dir.join("main.py").is_file() {
        return Vec::new();
    }
    // Many library modules are not generated from code at all (e.g. `module = Module()` with no
    // Module subclass, which the SDK's generator refuses too): the check does not apply to them,
    // and broken Python is reported by the main.py rule already.
    let Ok(report) = sync::plan(&SourceTree::from_disk(dir), &SyncOptions::default()) else {
        return Vec::new();
    };
    // On a hand-maintained module, say which field differs; a property only the JSON declares is
    // not a fault (modules read some arguments from the raw dict).
    let mut findings: Vec<SyncFinding> = report
        .drift
        .iter()
        .filter(|d| !d.message.ends_with("in the JSON, not in the code"))
        .map(|d| SyncFinding {
            file: d.file.clone(),
            message: format!("{}: {} (run `sekoia-wizard sync`)", d.path, d.message),
            severity: Severity::Warning,
        })
        .collect();
    findings.extend(
        report
            .plan
            .changes()
            .filter(|f| !report.drift.iter().any(|d| d.file == f.path))
            .map(|f| SyncFinding {
                file: f.path.clone(),
                message: match f.change() {
                    crate::core::plan::Change::New => {
                        "missing: the code defines it (run `sekoia-wizard sync`)"
                    }
                    _ => "out of date with the Python code (run `sekoia-wizard sync`)",
                }
                .into(),
                severity: Severity::Warning,
            }),
    );
    findings.extend(report.orphans.iter().map(|o| SyncFinding {
        file: o.clone(),
        message: "no component class in the code generates this manifest".into(),
        severity: Severity::Warning,
    }));
    // Not a manifest matter: the module's own code fails on import, whatever the checker says.
    findings.extend(report.import_problems.iter().map(|p| SyncFinding {
        file: p.file.clone(),
        message: match &p.field {
            Some(field) => format!("line {}: field `{field}`: {}", p.line, p.message),
            None => format!("line {}: {}", p.line, p.message),
        },
        severity: Severity::Error,
    }));
    findings
}
