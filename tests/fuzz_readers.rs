//! Issue 15: a fuzz target per reader — main.py, answers TOML, FIELD specs, JSON read back exactly,
//! changelogs, the compliance checker on a module with mangled files, and `add config`'s edit of
//! models.py. Mangled real inputs and free-form text must give a result or an error, never a panic.
//!
//! CI runs a bounded number of cases; `FUZZ_CASES=100000 cargo test --release --test suite fuzz_readers::`
//! runs longer (done for 10+ minutes before resolving the issue; see the README).

use proptest::prelude::*;
use sekoia_wizard::core::model::{Answers, FieldSpec};
use sekoia_wizard::core::{changelog, compliance, pyjson, python};

fn cases() -> u32 {
    std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300)
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: cases(),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

const MAIN_PY: &str = "\"\"\"Entry.\"\"\"\n\nfrom sekoia_automation.loguru.config import init_logging\n\nfrom acme_modules import AcmeModule\nfrom acme_modules.a import A\n\nif __name__ == \"__main__\":\n    init_logging()\n    module = AcmeModule()\n    module.register_account_validator(V)\n    module.register(A, \"a_name\")\n    module.register(\n        B,\n        name=\"b\",\n    )\n    module.run()\n";

const ANSWERS: &str = "dependencies = [\"requests\"]\n\n[module]\nname = \"TestHTTP\"\ncategories = [\"Network\"]\n\n[[configuration]]\nname = \"api_key\"\ntype = \"str\"\nrequired = true\nsecret = true\n\n[[components]]\nkind = \"action\"\nname = \"Request\"\narguments = [{ name = \"url\", type = \"url\", required = true }, { name = \"o\", type = \"object\", fields = [{ name = \"x\", type = \"list[str]\", default = [\"a|b\"] }] }]\nresults = [{ name = \"status\", type = \"int\" }]\n";

const CHANGELOG: &str = "# Changelog\n\nAll notable changes to this project will be documented in this file.\n\n## Unreleased\n\n## 2024-05-28 - 1.21.0\n\n### Changed\n\n- Upgrade\n\n## 2024-01-01 - 1.0.0\n\n### Added\n\n- First\n";

const MANIFEST: &str = "{\n  \"name\": \"X\",\n  \"uuid\": \"4ef895d1-3f21-4678-8d0a-5c39c37210aa\",\n  \"slug\": \"x\",\n  \"version\": \"1.21.0\",\n  \"categories\": [\"IAM\"],\n  \"configuration\": {\"type\": \"object\", \"properties\": {\"a\": {\"type\": \"integer\", \"default\": 5}}}\n}";

const MODELS: &str =
    "from pydantic import BaseModel, Field\n\n\nclass C(BaseModel):\n    x: int = 1\n";

const TOKENS: &[&str] = &[
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ":",
    ",",
    "\"",
    "'",
    "\n",
    "\n    ",
    "\t",
    "#",
    "##",
    "\\",
    "=",
    "|",
    "\u{feff}",
    "é",
    "💥",
    "\u{0}",
    "-",
    "99999999999999999999999",
    "class ",
    "import ",
    "from ",
    "pass",
    "\"\"\"",
];

/// A real input cut, spliced and sprinkled with tokens.
fn mangled(base: &'static str) -> impl Strategy<Value = String> {
    (
        0..=base.len(),
        0..=base.len(),
        prop::collection::vec((0..=base.len(), prop::sample::select(TOKENS)), 0..8),
    )
        .prop_map(move |(a, b, inserts)| {
            let (lo, hi) = (a.min(b), a.max(b));
            let cut = |i: usize| {
                (0..=i)
                    .rev()
                    .find(|j| base.is_char_boundary(*j))
                    .unwrap_or(0)
            };
            let mut text = format!("{}{}", &base[..cut(lo)], &base[cut(hi)..]);
            for (at, token) in inserts {
                let at = cut(at.min(text.len()));
                let at = (0..=at)
                    .rev()
                    .find(|j| text.is_char_boundary(*j))
                    .unwrap_or(0);
                text.insert_str(at, token);
            }
            text
        })
}

fn free_text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(TOKENS), 0..40).prop_map(|t| t.concat())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn main_py_reader(text in prop_oneof![mangled(MAIN_PY), free_text()]) {
        let _ = python::main_py::read(&text);
        let _ = python::parse(&text);
        // The additive edit either succeeds with Python that still parses, or says why.
        if let Ok(out) = sekoia_wizard::core::sync::mainpy::add_registration(&text, "P", "pkg.p", "p", 88) {
            prop_assert!(python::parse(&out).is_ok(), "invalid Python from\n{text}\n---\n{out}");
        }
    }

    #[test]
    fn answers_and_field_specs(text in prop_oneof![mangled(ANSWERS), free_text()]) {
        if let Ok(answers) = Answers::parse(&text) {
            let _ = answers.validate();
        }
        for line in text.lines() {
            if let Ok(field) = line.parse::<FieldSpec>() {
                let _ = sekoia_wizard::core::model::field::validate_fields(&[field]);
            }
        }
    }

    #[test]
    fn json_read_back_exactly(text in prop_oneof![mangled(MANIFEST), free_text()]) {
        if let Ok(value) = pyjson::loads_exact(text.as_bytes()) {
            // What is read exactly is written back to the same value.
            let again = pyjson::loads_exact(pyjson::dumps(&value).as_bytes()).unwrap();
            prop_assert_eq!(again, value);
        }
    }

    #[test]
    fn changelogs(text in prop_oneof![mangled(CHANGELOG), free_text()]) {
        let _ = changelog::parse(&text);
        let _ = changelog::elements(&text, 2, 2);
        let _ = changelog::release(&text, "9.0.0", "2024-01-01", Some(&text));
    }

    #[test]
    fn add_config_never_writes_invalid_python(text in prop_oneof![mangled(MODELS), free_text()]) {
        let field: FieldSpec = "api_key:str,required,secret".parse().unwrap();
        if let Ok(out) = sekoia_wizard::core::generate::add_config_fields(&text, "models.py", "C", &[field]) {
            prop_assert!(python::parse(&out).is_ok(), "invalid Python from\n{text}\n---\n{out}");
        }
    }
}

proptest! {
    // Whole-module checks are slower: a tenth of the cases.
    #![proptest_config(ProptestConfig { cases: (cases() / 10).max(10), ..config() })]

    #[test]
    fn compliance_on_mangled_files(
        log in prop_oneof![mangled(CHANGELOG), free_text()],
        manifest in prop_oneof![mangled(MANIFEST), free_text()],
        main in prop_oneof![mangled(MAIN_PY), free_text()],
    ) {
        let dir = tempfile::tempdir().unwrap();
        let m = dir.path().join("X");
        std::fs::create_dir_all(m.join("tests")).unwrap();
        std::fs::write(m.join("CHANGELOG.md"), &log).unwrap();
        std::fs::write(m.join("manifest.json"), &manifest).unwrap();
        std::fs::write(m.join("main.py"), &main).unwrap();
        std::fs::write(m.join("pyproject.toml"), "[tool.poetry]\nname = \"x\"\n").unwrap();
        std::fs::write(m.join("action_a.json"), &manifest).unwrap();
        let _ = compliance::check_module(&m);
    }
}
