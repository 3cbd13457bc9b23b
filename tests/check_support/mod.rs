//! Builds modules shaped like the automation-library's (written from its conventions, not copied)
//! and runs `sekoia-wizard check` on them, and the real Python checker when it is available.
#![allow(dead_code)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{json, Value};

pub const CHANGELOG: &str = "# Changelog\n\nAll notable changes to this project will be documented in this file.\n\n\
The format is based on [Keep a Changelog](https://keepachangelog.com/en/1.0.0/),\n\
and this project adheres to [Semantic Versioning](https://semver.org/spec/v2.0.0.html).\n\n## Unreleased\n\n\
## 2024-05-28 - 1.1.0\n\n### Changed\n\n- Upgrade sekoia-automation-sdk\n\n## 2024-01-10 - 1.0.0\n\n### Added\n\n- Initial version\n";

pub const DOCKERFILE: &str = "FROM python:3.11\n\nWORKDIR /app\n\nRUN pip install poetry\n\nCOPY poetry.lock pyproject.toml /app/\n\
RUN poetry config virtualenvs.create false && poetry install --only main\n\nCOPY . .\n\n\
RUN useradd -ms /bin/bash sekoiaio-runtime\nUSER sekoiaio-runtime\n\nENTRYPOINT [ \"python\", \"./main.py\" ]\n";

pub fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/check")
            .join(name),
    )
    .unwrap()
}

pub fn dumps(v: &Value) -> String {
    sekoia_wizard::core::pyjson::dumps(v)
}

/// A deterministic UUID-shaped string.
pub fn uid(seed: &str) -> String {
    uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_OID, seed.as_bytes()).to_string()
}

pub fn manifest(name: &str, slug: &str) -> Value {
    json!({
        "configuration": {
            "$schema": "http://json-schema.org/draft-07/schema#",
            "properties": {"api_key": {"description": "API key", "type": "string"}},
            "required": ["api_key"],
            "secrets": ["api_key"],
            "title": format!("{name} configuration"),
            "type": "object"
        },
        "description": format!("Integrate {name}"),
        "name": name,
        "uuid": uid(&format!("manifest-{slug}")),
        "slug": slug,
        "version": "1.1.0",
        "categories": ["Network"]
    })
}

pub fn action(module: &str, name: &str, docker: &str) -> Value {
    json!({
        "name": name,
        "description": format!("Run {name}"),
        "uuid": uid(&format!("{module}-action-{docker}")),
        "docker_parameters": docker,
        "arguments": {
            "$schema": "http://json-schema.org/draft-07/schema#",
            "type": "object",
            "properties": {"query": {"type": "string", "pattern": "^[a-z]+$", "minLength": 1}},
            "required": ["query"],
            "title": "Arguments"
        },
        "results": {"type": "object", "properties": {"count": {"type": "integer"}}}
    })
}

pub fn trigger(module: &str, name: &str, docker: &str) -> Value {
    json!({
        "name": name,
        "description": format!("Collect {name}"),
        "uuid": uid(&format!("{module}-twin-{docker}")),
        "docker_parameters": docker,
        "arguments": {"type": "object", "properties": {"intake_key": {"type": "string"}}, "required": ["intake_key"]},
        "results": {}
    })
}

pub fn connector(module: &str, name: &str, docker: &str) -> Value {
    let mut v = trigger(module, name, docker);
    v.as_object_mut().unwrap().remove("results");
    v
}

/// A library checkout in a temporary directory.
pub struct Lib {
    pub dir: tempfile::TempDir,
}

impl Lib {
    pub fn new() -> Lib {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("docs")).unwrap();
        std::fs::write(dir.path().join("docs/module.md"), "# Modules\n").unwrap();
        Lib { dir }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn module(&self, name: &str) -> PathBuf {
        self.root().join(name)
    }

    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) {
        let path = self.root().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, contents).unwrap();
    }

    pub fn json(&self, rel: &str, v: &Value) {
        self.write(rel, dumps(v));
    }

    pub fn remove(&self, rel: &str) {
        let path = self.root().join(rel);
        if path.is_dir() {
            std::fs::remove_dir_all(path).unwrap();
        } else {
            std::fs::remove_file(path).unwrap();
        }
    }

    /// Edits a JSON file in place.
    pub fn edit(&self, rel: &str, f: impl FnOnce(&mut serde_json::Map<String, Value>)) {
        let path = self.root().join(rel);
        let mut v: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        f(v.as_object_mut().unwrap());
        self.json(rel, &v);
    }

    /// A manifest-only (intake format) module.
    pub fn format_module(&self, name: &str) {
        let slug = name.to_lowercase();
        let mut m = manifest(name, &slug);
        m["version"] = json!("1.0.0");
        self.json(&format!("{name}/manifest.json"), &m);
        let log = CHANGELOG
            .split("## 2024-05-28")
            .next()
            .unwrap()
            .trim_end()
            .to_string()
            + "\n";
        self.write(&format!("{name}/CHANGELOG.md"), log);
        self.write(&format!("{name}/logo.png"), fixture("logo.png"));
    }

    /// A code module with an action and a trigger/connector twin, compliant.
    pub fn code_module(&self, name: &str) {
        let slug = name.to_lowercase();
        let pkg = format!("{slug}_modules");
        self.json(&format!("{name}/manifest.json"), &manifest(name, &slug));
        self.write(&format!("{name}/CHANGELOG.md"), CHANGELOG);
        self.write(&format!("{name}/logo.png"), fixture("logo.png"));
        self.write(&format!("{name}/Dockerfile"), DOCKERFILE);
        self.write(
            &format!("{name}/pyproject.toml"),
            format!("[tool.poetry]\nname = \"Automation Module for {name}\"\nversion = \"0.0\"\ndescription = \"\"\nauthors = []\npackage-mode = false\n\n[tool.poetry.dependencies]\npython = \">=3.10,<3.12\"\nsekoia-automation-sdk = \"^1.13.0\"\n"),
        );
        self.write(
            &format!("{name}/poetry.lock"),
            "# This file is automatically @generated by Poetry.\n",
        );
        self.write(&format!("{name}/{pkg}/__init__.py"), "");
        self.write(&format!("{name}/tests/__init__.py"), "");
        self.write(
            &format!("{name}/tests/test_search.py"),
            "def test_search():\n    assert True\n",
        );
        self.json(
            &format!("{name}/action_search.json"),
            &action(name, "Search", "search"),
        );
        self.json(
            &format!("{name}/trigger_events.json"),
            &trigger(name, "Events", "events_trigger"),
        );
        self.json(
            &format!("{name}/connector_events.json"),
            &connector(name, "Events", "events_trigger"),
        );
        self.write(
            &format!("{name}/main.py"),
            format!(
                "from sekoia_automation.module import Module\n\nfrom {pkg}.search import SearchAction\nfrom {pkg}.events import EventsConnector\n\n\
if __name__ == \"__main__\":\n    module = Module()\n    module.register(SearchAction, \"search\")\n    module.register(EventsConnector, \"events_trigger\")\n    module.run()\n"
            ),
        );
    }
}

/// Error lines of `sekoia-wizard check` (no banner, verdict, fix or warning lines), normalised.
pub fn wizard_lines(args: &[&str]) -> (BTreeSet<String>, i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_sekoia-wizard"))
        .arg("check")
        .args(args)
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    (
        error_lines(&stdout),
        out.status.code().unwrap_or(-1),
        stdout,
    )
}

pub fn check_library(lib: &Lib) -> BTreeSet<String> {
    let (lines, code, stdout) = wizard_lines(&["--library", lib.root().to_str().unwrap()]);
    assert_eq!(
        code,
        if lines.is_empty() { 0 } else { 1 },
        "exit code vs findings:\n{stdout}"
    );
    lines
}

/// `Options are [...]` lists are Python sets (random order): sorted for comparison.
pub fn normalise(line: &str) -> String {
    match line.split_once("Options are [") {
        Some((head, rest)) => {
            let (list, tail) = rest.split_once(']').unwrap_or((rest, ""));
            let mut items: Vec<&str> = list.split(',').collect();
            items.sort();
            format!("{head}Options are [{}]{tail}", items.join(","))
        }
        None => line.to_string(),
    }
}

pub fn error_lines(stdout: &str) -> BTreeSet<String> {
    let mut lines = BTreeSet::new();
    let mut in_fixes = false;
    for line in stdout.lines() {
        if line.starts_with('🛠') {
            in_fixes = true;
            continue;
        }
        if line.starts_with('🔎')
            || line.starts_with('❌')
            || line.starts_with('✅')
            || line.starts_with("warning: ")
            || line.is_empty()
            || line.starts_with('(')
            || line.starts_with("Fixing")
            || line.starts_with("raw_name:")
            || line.starts_with("Compliance code")
            || (in_fixes && line.starts_with("FIX "))
        {
            continue;
        }
        lines.insert(normalise(line));
    }
    lines
}

/// The real checker, when `SEKOIA_COMPLIANCE_PYTHON` (a python with the checker's dependencies)
/// and `SEKOIA_COMPLIANCE_DIR` (its `_utils/compliance` folder) are set: its error lines.
pub fn python_lines(lib: &Lib) -> Option<(BTreeSet<String>, i32)> {
    let python = std::env::var_os("SEKOIA_COMPLIANCE_PYTHON")?;
    let source = PathBuf::from(std::env::var_os("SEKOIA_COMPLIANCE_DIR")?);
    let target = lib.root().join("_utils/compliance");
    copy_dir(&source, &target);
    let out = Command::new(python)
        .arg(&target)
        .arg("check")
        .current_dir(lib.root())
        .output()
        .unwrap();
    let _ = std::fs::remove_dir_all(lib.root().join("_utils"));
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    Some((error_lines(&stdout), out.status.code().unwrap_or(-1)))
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let name = entry.file_name();
        if name == "__pycache__" {
            continue;
        }
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &to.join(&name));
        } else {
            std::fs::copy(entry.path(), to.join(&name)).unwrap();
        }
    }
}

pub fn set(lines: &[&str]) -> BTreeSet<String> {
    lines.iter().map(|l| normalise(l)).collect()
}
