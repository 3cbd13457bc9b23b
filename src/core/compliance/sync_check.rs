//! The "manifests are up to date" check: what `sekoia-wizard sync --check` would rewrite in a code
//! module, reported as findings (main.py or component JSONs stale or missing, component JSONs that
//! no class generates).

use std::path::Path;

use super::SyncFinding;
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
    let mut findings: Vec<SyncFinding> = report
        .plan
        .changes()
        .map(|f| SyncFinding {
            file: f.path.clone(),
            message: match f.change() {
                crate::core::plan::Change::New => {
                    "missing: the code defines it (run `sekoia-wizard sync`)"
                }
                _ => "out of date with the Python code (run `sekoia-wizard sync`)",
            }
            .into(),
        })
        .collect();
    findings.extend(report.orphans.iter().map(|o| SyncFinding {
        file: o.clone(),
        message: "no component class in the code generates this manifest".into(),
    }));
    findings
}
