//! `check --fix`: the repairs that are safe to do without asking — JSON formatting, a random UUID
//! for a component without one, a connector's UUID set to its trigger twin's. Logo fixes are not
//! done (no well-kept image crate is a dependency).

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde_json::Value;

use super::{CheckError, Fix};
use crate::core::plan::Plan;
use crate::core::pyjson;

/// One repair that a plan will make.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repair {
    pub path: PathBuf,
    pub label: String,
}

/// Plans the fixes of `errors`: one plan per module directory (each applied all or nothing).
pub fn plan(errors: &[&CheckError]) -> (Vec<Plan>, Vec<Repair>) {
    let mut by_file: BTreeMap<PathBuf, Vec<&CheckError>> = BTreeMap::new();
    for e in errors.iter().filter(|e| e.fix.is_some()) {
        by_file.entry(e.path.clone()).or_default().push(e);
    }
    let mut plans: BTreeMap<PathBuf, Plan> = BTreeMap::new();
    let mut repairs = Vec::new();
    for (path, errs) in by_file {
        // Only a file that can be written back exactly is repaired (no U+FFFD, no float for a
        // 128-bit integer).
        let Some(mut value) = std::fs::read(&path)
            .ok()
            .and_then(|bytes| pyjson::loads_exact(&bytes).ok())
        else {
            continue;
        };
        for e in &errs {
            match e.fix.as_ref().expect("filtered") {
                Fix::FormatJson => {}
                Fix::RandomUuid => set_uuid(&mut value, uuid::Uuid::new_v4().to_string()),
                Fix::SetUuid { uuid, .. } => set_uuid(&mut value, uuid.clone()),
            }
            repairs.push(Repair {
                path: path.clone(),
                label: e.fix_label().unwrap_or_default(),
            });
        }
        let module = errs[0].module_dir.clone();
        let rel = path
            .strip_prefix(&module)
            .unwrap_or(&path)
            .to_string_lossy()
            .into_owned();
        plans
            .entry(module.clone())
            .or_insert_with(|| Plan::edit(&module))
            .put(rel, pyjson::dumps(&value));
    }
    (plans.into_values().collect(), repairs)
}

fn set_uuid(value: &mut Value, uuid: String) {
    if let Value::Object(map) = value {
        map.insert("uuid".into(), Value::String(uuid));
    }
}
