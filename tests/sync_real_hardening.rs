//! Valid (or merely odd) Python that used to overflow the stack: alias cycles in name resolution
//! and very deep expressions in the reader. Sync runs as a separate process, so a stack overflow
//! shows up as a failed test with its output instead of aborting the whole test binary.

use crate::common;

use std::fs;
use std::path::Path;

const MANIFEST: &str = r#"{
  "name": "Deep",
  "uuid": "1d2a3b4c-0000-4000-8000-000000000001",
  "slug": "deep",
  "version": "0.1.0",
  "configuration": {}
}"#;

const INIT: &str = "from sekoia_automation.module import Module\n\nfrom deep_modules.models import DeepConfiguration\n\n\nclass DeepModule(Module):\n    configuration: DeepConfiguration\n";

/// A module whose `models.py` is `models`; returns its directory.
fn module(models: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::write(root.join("manifest.json"), MANIFEST).unwrap();
    fs::create_dir(root.join("deep_modules")).unwrap();
    fs::write(root.join("deep_modules/__init__.py"), INIT).unwrap();
    fs::write(root.join("deep_modules/models.py"), models).unwrap();
    fs::write(
        root.join("main.py"),
        "from deep_modules import DeepModule\n\nif __name__ == \"__main__\":\n    module = DeepModule()\n    module.run()\n",
    )
    .unwrap();
    dir
}

/// Runs `sekoia-wizard sync` on `dir`; returns (success, stdout+stderr). Panics only when the
/// process died on a signal (a stack overflow aborts).
fn sync(dir: &Path) -> (bool, String) {
    let out = common::wizard()
        .args(["sync", "--plain"])
        .arg(dir)
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.code().is_some(),
        "sync crashed ({}):\n{}",
        out.status,
        &text[..text.len().min(2000)]
    );
    (out.status.success(), text)
}

fn configuration(dir: &Path) -> serde_json::Value {
    let manifest: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap();
    manifest["configuration"].clone()
}

#[test]
fn alias_cycle_through_reassignment_resolves_like_python() {
    // Python runs these top to bottom: X = int, Y = int, X = int, so `a: X` is an int.
    let dir = module(
        "from pydantic import BaseModel\n\nX = int\nY = X\nX = Y\n\n\nclass DeepConfiguration(BaseModel):\n    a: X\n    b: Y\n",
    );
    let (ok, text) = sync(dir.path());
    assert!(ok, "{text}");
    let conf = configuration(dir.path());
    assert_eq!(conf["properties"]["a"]["type"], "integer", "{conf}");
    assert_eq!(conf["properties"]["b"]["type"], "integer", "{conf}");
}

#[test]
fn alias_cycle_across_files_is_a_warning() {
    // `a.X` is `b.X` is `a.X`: an ImportError in Python; sync must stop and warn, not recurse.
    let dir = module(
        "from pydantic import BaseModel\n\nfrom deep_modules.other import X\n\n\nclass DeepConfiguration(BaseModel):\n    a: X\n",
    );
    fs::write(
        dir.path().join("deep_modules/other.py"),
        "from deep_modules.models import X\n",
    )
    .unwrap();
    let (_, text) = sync(dir.path());
    assert!(text.contains("models.py:7"), "{text}");
}

#[test]
fn self_referencing_alias_chain_is_a_warning() {
    let dir = module(
        "from pydantic import BaseModel\n\nA = B\nB = A\n\n\nclass DeepConfiguration(BaseModel):\n    a: A\n",
    );
    let (_, text) = sync(dir.path());
    // Reported where the cycle closes, for field `a`.
    assert!(
        text.contains("models.py:4: field `a`") && text.contains("cycle"),
        "{text}"
    );
}

fn deep_case(expr: &str) {
    let dir = module(&format!(
        "from pydantic import BaseModel\n\n\nclass DeepConfiguration(BaseModel):\n    a: int = 1\n    b: {expr}\n"
    ));
    let (_, text) = sync(dir.path());
    assert!(
        text.contains("models.py:6"),
        "no file:line for the deep expression:\n{}",
        &text[..text.len().min(2000)]
    );
}

#[test]
fn five_thousand_nested_brackets_do_not_crash() {
    deep_case(&format!("{}int{}", "list[".repeat(5000), "]".repeat(5000)));
}

#[test]
fn five_thousand_nested_parentheses_do_not_crash() {
    deep_case(&format!("{}int{}", "(".repeat(5000), ")".repeat(5000)));
}

#[test]
fn ten_thousand_unary_operators_do_not_crash() {
    let dir = module(&format!(
        "from pydantic import BaseModel\n\n\nclass DeepConfiguration(BaseModel):\n    a: int = 1\n    b: int = {}1\n",
        "-".repeat(10_000)
    ));
    let (_, text) = sync(dir.path());
    assert!(
        text.contains("models.py:6"),
        "{}",
        &text[..text.len().min(2000)]
    );
}

#[test]
fn ten_thousand_chained_attributes_do_not_crash() {
    deep_case(&format!("typing{}", ".x".repeat(10_000)));
}

#[test]
fn ten_thousand_union_terms_do_not_crash() {
    deep_case(&vec!["int"; 10_000].join(" | "));
}

#[test]
fn deep_expressions_in_the_reader_are_bounded() {
    // The reader itself, on a 2 MiB test thread: no overflow, the expression is kept as text.
    let src = format!(
        "class A:\n    b: {}int{}\n    c: {}\n",
        "list[".repeat(5000),
        "]".repeat(5000),
        vec!["int"; 10_000].join(" | ")
    );
    let file = sekoia_wizard::core::python::parse(&src).unwrap();
    assert_eq!(file.classes.len(), 1);
    assert!(!file.deep.is_empty());
}

#[test]
fn ten_thousand_chained_aliases_do_not_crash() {
    let aliases: String = (1..10_000)
        .map(|i| format!("X{i} = X{}\n", i - 1))
        .collect();
    let dir = module(&format!(
        "from pydantic import BaseModel\n\nX0 = int\n{aliases}\n\nclass DeepConfiguration(BaseModel):\n    a: X9999\n    b: int = 1\n"
    ));
    let (ok, text) = sync(dir.path());
    assert!(ok, "{}", &text[..text.len().min(2000)]);
}

#[test]
fn ten_thousand_deep_inheritance_does_not_crash() {
    let classes: String = (1..10_000)
        .map(|i| format!("class M{i}(M{}):\n    f{i}: int = {i}\n\n\n", i - 1))
        .collect();
    let dir = module(&format!(
        "from pydantic import BaseModel\n\n\nclass M0(BaseModel):\n    f0: int = 0\n\n\n{classes}class DeepConfiguration(M9999):\n    pass\n"
    ));
    let (_, text) = sync(dir.path());
    assert!(
        !text.contains("panicked"),
        "{}",
        &text[..text.len().min(2000)]
    );
}
