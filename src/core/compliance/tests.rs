//! `TestsValidator` (`validators/tests.py`): a `tests/` folder with at least one `test_*.py`
//! anywhere below it.

use std::path::Path;

use super::ModuleResult;

pub fn validate(result: &mut ModuleResult) {
    let dir = result.file("tests");
    if !dir.is_dir() {
        result.error("tests", "tests", "Tests folder is missing");
        return;
    }
    if !has_test_file(&dir) {
        result.error("tests", "tests", "There are no tests in tests folder");
    }
}

/// `Path.rglob("test_*.py")`: files or directories, hidden ones included.
fn has_test_file(dir: &Path) -> bool {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with("test_") && name.ends_with(".py") {
            return true;
        }
        let path = entry.path();
        let is_real_dir = entry.file_type().map(|t| t.is_dir()).unwrap_or(false);
        if is_real_dir && has_test_file(&path) {
            return true;
        }
    }
    false
}
