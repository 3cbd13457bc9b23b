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
        note,
    })
}

fn components_from_code(dir: &Path) -> Result<Vec<ComponentSummary>, String> {
    use crate::core::sync::{self, source::SourceTree};
    let summary = sync::read_module(&SourceTree::from_disk(dir)).map_err(|e| e.to_string())?;
    Ok(summary
        .components
        .into_iter()
        .map(|c| ComponentSummary {
            kind: match c.kind {
                sync::ComponentKind::Action => ComponentKind::Action,
                sync::ComponentKind::Trigger => ComponentKind::Trigger,
                sync::ComponentKind::Connector => ComponentKind::Connector,
            },
            name: c.name,
            docker_parameters: c.class_name,
            file: c.file,
        })
        .collect())
}

fn components_from_json(dir: &Path) -> Result<Vec<ComponentSummary>, String> {
    let field = |v: &serde_json::Value, k: &str| {
        v.get(k)
            .and_then(|s| s.as_str())
            .unwrap_or_default()
            .to_string()
    };
    let mut components = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| format!("cannot list {}: {e}", dir.display()))?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    entries.sort();
    for file in entries {
        let Some(kind) = ComponentKind::ALL
            .into_iter()
            .find(|k| file.starts_with(&format!("{}_", k.as_str())))
        else {
            continue;
        };
        if !file.ends_with(".json") {
            continue;
        }
        let Ok(json) = std::fs::read_to_string(dir.join(&file)) else {
            continue;
        };
        let Ok(value) = serde_json::from_str::<serde_json::Value>(&json) else {
            continue;
        };
        components.push(ComponentSummary {
            kind,
            name: field(&value, "name"),
            docker_parameters: field(&value, "docker_parameters"),
            file,
        });
    }
    Ok(components)
}
