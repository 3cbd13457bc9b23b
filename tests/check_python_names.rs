//! Issue 15 finding 9: hand-written code that parses but that Python refuses on import — a field
//! shadowing a name later fields use, a class rebinding an imported name — is an error for `check`
//! and `sync --check`, never "fine". Each case is first shown to fail under the real Python.

use std::path::Path;
use std::process::Command;

use crate::common::{copy_dir, fixtures, python, wizard};

/// The acme real-style module, copied, with `edit` applied to one of its package files.
fn acme_with(
    file: &str,
    edit: impl FnOnce(&str) -> String,
) -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&fixtures().join("real-styles"), tmp.path());
    let dir = tmp.path().join("acme");
    let path = dir.join("acme_modules").join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    let edited = edit(&text);
    assert_ne!(edited, text, "the edit must change {file}");
    std::fs::write(&path, edited).unwrap();
    (tmp, dir)
}

/// Whether the real Python imports `module` from the module directory (None: no Python here).
fn imports(dir: &Path, module: &str) -> Option<bool> {
    let python = python()?;
    let out = Command::new(python)
        .current_dir(dir)
        .args(["-c", &format!("import {module}")])
        .output()
        .unwrap();
    Some(out.status.success())
}

/// The wizard's exit status and everything it printed, for `args` then the module directory.
fn wizard_on(args: &[&str], dir: &Path) -> (i32, String) {
    let out = wizard().args(args).arg(dir).output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code().unwrap_or(-1), text)
}

fn check(dir: &Path) -> (i32, String) {
    wizard_on(&["check"], dir)
}

fn sync_check(dir: &Path) -> (i32, String) {
    wizard_on(&["sync", "--check"], dir)
}

#[test]
fn the_untouched_module_imports_and_checks_clean_of_these_errors() {
    let (_tmp, dir) = acme_with("system_log_trigger.py", |t| format!("{t}\n"));
    if let Some(ok) = imports(&dir, "acme_modules.system_log_trigger") {
        assert!(ok, "the fixture itself must import");
    }
    let (_, text) = check(&dir);
    assert!(!text.contains("the class body is evaluated"), "{text}");
}

#[test]
fn a_field_shadowing_a_later_annotation_is_an_error() {
    let (_tmp, dir) = acme_with("system_log_trigger.py", |t| {
        t.replace(
            "    chunk_size: int = 1000\n",
            "    chunk_size: int = 1000\n    str: str = \"x\"\n",
        )
    });
    if let Some(ok) = imports(&dir, "acme_modules.system_log_trigger") {
        assert!(
            !ok,
            "Python must refuse this file, or the test proves nothing"
        );
    }
    let (code, text) = check(&dir);
    assert_ne!(code, 0, "{text}");
    assert!(
        text.contains("system_log_trigger.py")
            && text.contains("line 10: field `filter`: `str` here is `SystemLogConnectorConfiguration.str` (line 9)"),
        "{text}"
    );
    let (code, text) = sync_check(&dir);
    assert_eq!(code, 1, "{text}");
    assert!(
        text.contains("error: acme_modules/system_log_trigger.py:10"),
        "{text}"
    );
}

#[test]
fn a_class_rebinding_an_imported_name_used_later_is_an_error() {
    let (_tmp, dir) = acme_with("models.py", |t| {
        t.replace(
            "class AcmeModuleConfiguration(BaseModel):",
            "class Field(BaseModel):\n    x: int = 0\n\n\nclass AcmeModuleConfiguration(BaseModel):",
        )
    });
    if let Some(ok) = imports(&dir, "acme_modules.models") {
        assert!(
            !ok,
            "Python must refuse this file, or the test proves nothing"
        );
    }
    let (code, text) = check(&dir);
    assert_ne!(code, 0, "{text}");
    assert!(
        text.contains("models.py") && text.contains("`Field` rebinds the name imported at line"),
        "{text}"
    );
}
