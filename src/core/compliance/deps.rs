//! `DependenciesValidator` (`validators/deps.py`): `pyproject.toml` and `poetry.lock`.
//! The real checker reports a missing lock file on `pyproject.toml`; kept for identical output.

use super::ModuleResult;

pub fn validate(result: &mut ModuleResult) {
    if !result.file("pyproject.toml").is_file() {
        result.error("pyproject.toml", "deps", "pyproject.toml is missing");
    }
    if !result.file("poetry.lock").is_file() {
        result.error("pyproject.toml", "deps", "poetry.lock is missing");
        // A uv module is fine outside the library: say what the error means for it.
        if result.file("uv.lock").is_file() {
            result.push(
                "pyproject.toml",
                "deps-uv",
                "uv.lock is there: enough for a module not meant for the automation-library, \
                 which requires poetry.lock (`poetry lock`)",
                super::Severity::Warning,
                None,
            );
        }
    }
}
