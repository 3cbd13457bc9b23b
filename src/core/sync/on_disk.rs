//! What a module has on disk besides its code: the component JSONs (matched to components by
//! `docker_parameters`, never by file name) and main.py's registrations. Real modules are
//! hand-maintained: people name these files and choose these names, and the platform and
//! playbooks depend on them.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::source::SourceTree;
use crate::core::model::ComponentKind;
use crate::core::python::main_py::{self, MainPy};

/// A top-level `action_*.json`, `trigger_*.json` or `connector_*.json` (the compliance checker's
/// globs).
#[derive(Debug, Clone)]
pub struct ComponentJson {
    pub file: String,
    /// From the file name's prefix.
    pub kind: ComponentKind,
    /// The parsed object; `None` when the file is not a JSON object.
    pub value: Option<Map<String, Value>>,
    pub text: String,
}

impl ComponentJson {
    pub fn docker_parameters(&self) -> Option<&str> {
        self.value.as_ref()?.get("docker_parameters")?.as_str()
    }

    pub fn name(&self) -> Option<&str> {
        self.value.as_ref()?.get("name")?.as_str()
    }
}

/// The kind a component JSON file name announces, if it is one.
pub fn component_json_kind(file_name: &str) -> Option<ComponentKind> {
    if !file_name.ends_with(".json") || file_name.contains('/') {
        return None;
    }
    ComponentKind::ALL
        .into_iter()
        .find(|k| file_name.starts_with(&format!("{}_", k.as_str())))
}

/// Every component JSON at the module root, sorted by file name.
pub fn component_jsons(tree: &SourceTree) -> Vec<ComponentJson> {
    tree.list_dir("")
        .into_iter()
        .filter(|(_, is_dir)| !is_dir)
        .filter_map(|(name, _)| {
            let kind = component_json_kind(&name)?;
            let bytes = tree.read(&name)?;
            let text = String::from_utf8_lossy(&bytes).into_owned();
            // Only what can be written back exactly is ever edited.
            let value = match crate::core::pyjson::loads_exact(&bytes) {
                Ok(Value::Object(m)) => Some(m),
                _ => None,
            };
            Some(ComponentJson {
                file: name,
                kind,
                value,
                text,
            })
        })
        .collect()
}

/// main.py's registrations; `None` without a main.py or when it does not parse.
pub fn main_py(tree: &SourceTree) -> Option<MainPy> {
    main_py::read(&tree.read_string("main.py")?)
}

/// The module directory containing `start`: `start` itself or the nearest ancestor with a
/// manifest.json (so every command works from `<module>/tests/` or from inside the package).
pub fn find_module_root(start: &Path) -> Option<PathBuf> {
    // The path as the person gave it, when it is the module (messages then name it as they did).
    if start.join("manifest.json").is_file() {
        return Some(start.to_path_buf());
    }
    let start = std::fs::canonicalize(start).unwrap_or_else(|_| start.to_path_buf());
    start
        .ancestors()
        .find(|dir| dir.join("manifest.json").is_file())
        .map(Path::to_path_buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_up_to_the_manifest() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("M/tests/deep")).unwrap();
        std::fs::write(dir.path().join("M/manifest.json"), "{}").unwrap();
        let found = find_module_root(&dir.path().join("M/tests/deep")).unwrap();
        assert_eq!(found, std::fs::canonicalize(dir.path().join("M")).unwrap());
        assert_eq!(find_module_root(dir.path()), None);
    }

    #[test]
    fn kinds_from_file_names() {
        assert_eq!(
            component_json_kind("trigger_x.json"),
            Some(ComponentKind::Trigger)
        );
        assert_eq!(
            component_json_kind("connector_pull.json"),
            Some(ComponentKind::Connector)
        );
        assert_eq!(component_json_kind("manifest.json"), None);
        assert_eq!(component_json_kind("action_x.yaml"), None);
    }
}
