//! `DependenciesValidator` (`validators/deps.py`): `pyproject.toml` and `poetry.lock`.
//! The real checker reports a missing lock file on `pyproject.toml`; kept for identical output.

use super::ModuleResult;

pub fn validate(result: &mut ModuleResult) {
    if !result.file("pyproject.toml").is_file() {
        result.error("pyproject.toml", "deps", "pyproject.toml is missing");
    }
    if !result.file("poetry.lock").is_file() {
        result.error("pyproject.toml", "deps", "poetry.lock is missing");
    }
}
