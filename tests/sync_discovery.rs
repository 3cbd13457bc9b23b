//! Discovery rules on small modules built in memory: inheritance across files, abstract classes,
//! relative and aliased imports, the one-Module rule.

use sekoia_wizard::core::sync::{self, SourceTree, SyncOptions};

const MANIFEST: &str = r#"{"uuid": "7cf9ccf6-e20a-4e53-bd77-3c19cdc94154", "name": "M", "slug": "m", "version": "0.1.0"}"#;

fn tree(files: &[(&str, &str)]) -> (tempfile::TempDir, SourceTree) {
    let dir = tempfile::tempdir().unwrap();
    let mut tree = SourceTree::from_disk(dir.path());
    tree.overlay("manifest.json", MANIFEST);
    for (path, code) in files {
        tree.overlay(*path, *code);
    }
    (dir, tree)
}

const MODULE: (&str, &str) = (
    "pkg/__init__.py",
    "from sekoia_automation.module import Module as SdkModule\n\n\nclass MyModule(SdkModule):\n    pass\n",
);

#[test]
fn inheritance_abstract_bases_and_connectors_without_run() {
    let (_dir, tree) = tree(&[
        MODULE,
        (
            "pkg/base.py",
            "from sekoia_automation.action import Action\n\n\nclass BaseAction(Action):\n    name = \"Shared name\"\n    description = \"From the base\"\n",
        ),
        (
            "pkg/sub/__init__.py",
            "",
        ),
        (
            "pkg/sub/concrete.py",
            "from ..base import BaseAction\nfrom pkg import models as m\n\n\nclass Concrete(BaseAction):\n    results_model = m.Out\n\n    def run(self, arguments: \"m.In\"):\n        return {}\n",
        ),
        (
            "pkg/models.py",
            "import pydantic\n\n\nclass In(pydantic.BaseModel):\n    a: int\n\n\nclass Out(pydantic.BaseModel):\n    \"\"\"Results.\"\"\"\n    b: str = \"x\"\n",
        ),
        (
            "pkg/conn.py",
            "from sekoia_automation.connector import Connector\n\n\nclass Plain(Connector):\n    pass\n",
        ),
        ("tests/test_x.py", "from sekoia_automation.action import Action\n\n\nclass NotMe(Action):\n    def run(self, a):\n        pass\n"),
    ]);
    let summary = sync::read_module(&tree).unwrap();
    let names: Vec<(&str, &str, &str)> = summary
        .components
        .iter()
        .map(|c| (c.class_name.as_str(), c.name.as_str(), c.module.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            ("Plain", "Plain", "pkg.conn"),
            ("Concrete", "Shared name", "pkg.sub.concrete")
        ]
    );

    let report = sync::plan(
        &tree,
        &SyncOptions {
            strict: true,
            ..SyncOptions::default()
        },
    )
    .unwrap();
    let action = report
        .plan
        .get("action_shared_name.json")
        .unwrap()
        .text()
        .to_string();
    assert!(
        action.contains("\"description\": \"From the base\""),
        "{action}"
    );
    assert!(action.contains("\"title\": \"In\""), "{action}");
    assert!(action.contains("\"description\": \"Results.\""), "{action}");
    let connector = report
        .plan
        .get("connector_plain.json")
        .unwrap()
        .text()
        .to_string();
    assert!(
        connector.contains("\"title\": \"DefaultConnectorConfiguration\""),
        "{connector}"
    );
    // No configuration annotation on the module: manifest.json is left alone.
    assert!(report.plan.get("manifest.json").is_none());
    let main = report.plan.get("main.py").unwrap().text().to_string();
    assert_eq!(
        main,
        "from pkg import MyModule\n\nfrom pkg.conn import Plain\nfrom pkg.sub.concrete import Concrete\n\nif __name__ == \"__main__\":\n    module = MyModule()\n    module.register(Plain, \"Plain\")\n    module.register(Concrete, \"Concrete\")\n    module.run()\n"
    );
}

#[test]
fn exactly_one_module_class() {
    let (_dir, none) = tree(&[("pkg/__init__.py", "")]);
    let err = sync::plan(&none, &SyncOptions::default()).unwrap_err();
    assert!(format!("{err:#}").contains("no Module subclass"), "{err:#}");
    let (_dir, two) = tree(&[
        MODULE,
        (
            "pkg/other.py",
            "from sekoia_automation.module import Module\n\n\nclass Second(Module):\n    pass\n",
        ),
    ]);
    let err = sync::plan(&two, &SyncOptions::default()).unwrap_err();
    assert!(
        format!("{err:#}").contains("found 2 Module subclasses"),
        "{err:#}"
    );
}

#[test]
fn abstract_run_is_skipped() {
    let (_dir, tree) = tree(&[
        MODULE,
        (
            "pkg/a.py",
            "from abc import abstractmethod\nfrom sekoia_automation.action import Action\n\n\nclass Template(Action):\n    @abstractmethod\n    def run(self, arguments):\n        ...\n\n\nclass Real(Template):\n    def run(self, arguments: dict):\n        return {}\n",
        ),
    ]);
    let summary = sync::read_module(&tree).unwrap();
    let classes: Vec<&str> = summary
        .components
        .iter()
        .map(|c| c.class_name.as_str())
        .collect();
    assert_eq!(classes, ["Real"]);
    let report = sync::plan(&tree, &SyncOptions::default()).unwrap();
    let real = report
        .plan
        .get("action_real.json")
        .unwrap()
        .text()
        .to_string();
    assert!(
        real.contains("\"arguments\": {},\n  \"results\": {}\n}"),
        "{real}"
    );
}
