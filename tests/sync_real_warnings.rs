//! What sync still cannot evaluate statically stays a warning naming file:line (and the field),
//! while the static forms next to it are evaluated without a warning.

use sekoia_wizard::core::sync::{self, SourceTree, SyncOptions};

const MANIFEST: &str = r#"{"uuid": "7cf9ccf6-e20a-4e53-bd77-3c19cdc94154", "name": "W", "slug": "w", "version": "0.1.0"}"#;

fn warnings(models: &str) -> (Vec<String>, String) {
    let dir = tempfile::tempdir().unwrap();
    let mut tree = SourceTree::from_disk(dir.path());
    tree.overlay("manifest.json", MANIFEST)
        .overlay(
            "pkg/__init__.py",
            "from sekoia_automation.module import Module\n\nfrom pkg.models import Conf\n\n\nclass M(Module):\n    configuration: Conf\n",
        )
        .overlay("pkg/models.py", models)
        .overlay("main.py", "from pkg import M\n");
    let report = sync::plan(&tree, &SyncOptions::default()).unwrap();
    let manifest = report.plan.get("manifest.json").unwrap().text().to_string();
    (
        report.warnings.iter().map(|w| w.to_string()).collect(),
        manifest,
    )
}

#[test]
fn runtime_values_are_warnings_with_file_line_and_field() {
    let (w, manifest) = warnings(
        "import os\nfrom datetime import timedelta\n\nfrom pydantic import BaseModel\n\nSTEP = 30\n\n\nclass Conf(BaseModel):\n    a: int = STEP * 2\n    b: int = int(os.environ.get(\"B\", \"5\"))\n    c: float = timedelta(minutes=5).total_seconds()\n    d: str = f\"{STEP}s\"\n    e: int = 1 // 0\n    f: int = UNDEFINED\n",
    );
    assert!(manifest.contains("\"default\": 60"), "{manifest}");
    for (line, field) in [(11, "b"), (12, "c"), (13, "d"), (14, "e"), (15, "f")] {
        let want = format!("pkg/models.py:{line}: field `{field}`: computed default");
        assert!(
            w.iter().any(|x| x.starts_with(&want)),
            "{want} not in {w:#?}"
        );
    }
    assert!(!w.iter().any(|x| x.contains(":10:")), "{w:#?}");
}

#[test]
fn huge_integers_and_repetitions_are_not_evaluated() {
    let (w, _) = warnings(
        "from pydantic import BaseModel\n\n\nclass Conf(BaseModel):\n    a: int = 2 ** 200\n    b: str = \"x\" * 10 ** 9\n",
    );
    assert!(
        w.iter()
            .any(|x| x.starts_with("pkg/models.py:5: field `a`")),
        "{w:#?}"
    );
    assert!(
        w.iter()
            .any(|x| x.starts_with("pkg/models.py:6: field `b`")),
        "{w:#?}"
    );
}

#[test]
fn typing_typed_dict_is_a_warning() {
    let (w, manifest) = warnings(
        "from typing import TypedDict\n\nfrom pydantic import BaseModel\n\n\nclass Tag(TypedDict):\n    name: str\n\n\nclass Conf(BaseModel):\n    tags: list[Tag]\n",
    );
    assert!(
        w.iter()
            .any(|x| x.starts_with("pkg/models.py:6: Tag derives from typing.TypedDict")),
        "{w:#?}"
    );
    assert!(manifest.contains("\"$ref\": \"#/$defs/Tag\""), "{manifest}");
}
