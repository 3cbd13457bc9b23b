//! What the home screen of an existing module shows: the module from `manifest.json`, and its
//! components as the Python code declares them (`core::sync::read_module`). When the code cannot be
//! read, the component JSON files say what they can, with the reason shown.

use std::path::Path;

use crate::core::model::ComponentKind;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModuleSummary {
    pub name: String,
    pub slug: String,
    pub version: String,
    pub description: String,
    /// Names of the module configuration fields, secrets marked.
    pub configuration: Vec<String>,
    pub components: Vec<ComponentSummary>,
    /// The dependencies pyproject.toml declares, as written (the Dependencies step lists them).
    pub dependencies: Vec<String>,
    /// Why the components come from the JSON files rather than the code, if they do.
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComponentSummary {
    pub kind: ComponentKind,
    pub name: String,
    pub docker_parameters: String,
    /// The Python file (or, without readable code, the component JSON).
    pub file: String,
    /// The component JSONs carrying its docker_parameters (hand-chosen names included).
    pub json_files: Vec<String>,
}

/// Reads the module in `dir` (which has a `manifest.json`).
pub fn read_module_summary(dir: &Path) -> Result<ModuleSummary, String> {
    let manifest_path = dir.join("manifest.json");
    let text = std::fs::read_to_string(&manifest_path)
        .map_err(|e| format!("cannot read {}: {e}", manifest_path.display()))?;
    let manifest: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| format!("{} is not valid JSON: {e}", manifest_path.display()))?;
    let field = |v: &serde_json::Value, k: &str| {
        v.get(k)
            .and_then(|s| s.as_str())
            .unwrap_or_default()
            .to_string()
    };
    let secrets: Vec<&str> = manifest
        .pointer("/configuration/secrets")
        .and_then(|s| s.as_array())
        .map(|a| a.iter().filter_map(|s| s.as_str()).collect())
        .unwrap_or_default();
    let configuration = manifest
        .pointer("/configuration/properties")
        .and_then(|p| p.as_object())
        .map(|p| {
            p.keys()
                .map(|k| {
                    if secrets.contains(&k.as_str()) {
                        format!("{k} (secret)")
                    } else {
                        k.clone()
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    let (components, note) = match components_from_code(dir) {
        Ok(c) => (c, None),
        Err(why) => (components_from_json(dir)?, Some(why)),
    };
    Ok(ModuleSummary {
        name: field(&manifest, "name"),
        slug: field(&manifest, "slug"),
        version: field(&manifest, "version"),
        description: field(&manifest, "description"),
        configuration,
        components,
        dependencies: std::fs::read_to_string(dir.join("pyproject.toml"))
            .map(|t| crate::core::deps::declared(&t))
            .unwrap_or_default(),
        note,
    })
}

fn components_from_code(dir: &Path) -> Result<Vec<ComponentSummary>, String> {
    use crate::core::sync::{self, source::SourceTree};
    let summary = sync::read_module(&SourceTree::from_disk(dir)).map_err(|e| e.to_string())?;
    Ok(summary
        .registered
        .into_iter()
        .map(|c| ComponentSummary {
            kind: c.kind,
            name: c.name,
            docker_parameters: c.docker_parameters,
            file: c.file.unwrap_or_default(),
            json_files: c.json_files,
        })
        .collect())
}

fn components_from_json(dir: &Path) -> Result<Vec<ComponentSummary>, String> {
    use crate::core::sync::{on_disk, source::SourceTree};
    Ok(on_disk::component_jsons(&SourceTree::from_disk(dir))
        .into_iter()
        .map(|j| ComponentSummary {
            kind: j.kind,
            name: j.name().unwrap_or_default().to_string(),
            docker_parameters: j.docker_parameters().unwrap_or_default().to_string(),
            file: j.file.clone(),
            json_files: vec![j.file],
        })
        .collect())
}
