//! The cross-module checks of `__main__.py`: UUID and slug uniqueness across the library, and the
//! trigger/connector "twins" (a trigger and a connector with the same name share their UUID and
//! docker parameters).
//!
//! Twins are paired by removing the `trigger_` / `connector_` prefix. The real checker uses
//! `str.lstrip`, which strips a *set of characters*, so 10 real pairs (e.g.
//! `trigger_crowdstrike_telemetry_events.json`) are never compared and unrelated files can be
//! paired (with a file name in the message that does not exist); this is one of the documented
//! differences.

use std::collections::HashMap;

use super::components::Kind;
use super::pyvalue::key;
use super::{Fix, ModuleResult, Severity};

/// Groups in first-seen order (Python's `defaultdict(list)` iteration order).
#[derive(Default)]
struct Groups {
    order: Vec<String>,
    members: HashMap<String, Vec<(usize, String)>>,
}

impl Groups {
    fn add(&mut self, k: String, module: usize, file: &str) {
        let entry = self.members.entry(k.clone()).or_default();
        if entry.is_empty() && !self.order.contains(&k) {
            self.order.push(k);
        }
        entry.push((module, file.to_string()));
    }
    fn remove(&mut self, k: &str) {
        self.members.remove(k);
        self.order.retain(|o| o != k);
    }
    /// Every member of a group with more than one gets `message`.
    fn report(&self, results: &mut [ModuleResult], message: &str, rule: &'static str) {
        for k in &self.order {
            let members = &self.members[k];
            if members.len() > 1 {
                for (m, file) in members {
                    results[*m].push(file, rule, message, Severity::Error, None);
                }
            }
        }
    }
}

/// A component's name without its kind prefix (`trigger_x.json` → `x.json`).
fn twin_suffix(file: &str, kind: Kind) -> Option<&str> {
    file.strip_prefix(super::components::prefix(kind).as_str())
}

/// A trigger/connector pair by suffix: (suffix, trigger (file, uuid), connector (file, uuid)).
type Twin = (String, Option<(String, String)>, Option<(String, String)>);

/// `check_uuids_and_slugs`.
// The index is also the module id the groups record, so a range loop is the clearest form.
#[allow(clippy::needless_range_loop)]
pub fn check_uuids_and_slugs(results: &mut [ModuleResult]) {
    let mut slugs = Groups::default();
    let mut manifests = Groups::default();
    let mut actions = Groups::default();
    let mut triggers = Groups::default();
    let mut connectors = Groups::default();
    for i in 0..results.len() {
        if let Some(slug) = results[i].slug.clone() {
            slugs.add(key(&slug), i, "manifest.json");
        }
        let mut twins: Vec<Twin> = Vec::new();
        for (file, uuid) in results[i].uuids.clone() {
            let k = key(&uuid);
            let uuid_text = uuid.as_str().unwrap_or_default().to_string();
            if file == "manifest.json" {
                manifests.add(k, i, &file);
                continue;
            }
            match super::components::kind_of(&file) {
                Some(Kind::Action) => actions.add(k, i, &file),
                Some(kind @ (Kind::Trigger | Kind::Connector)) => {
                    if kind == Kind::Trigger {
                        triggers.add(k, i, &file);
                    } else {
                        connectors.add(k, i, &file);
                    }
                    let suffix = twin_suffix(&file, kind).unwrap_or_default().to_string();
                    let pos = match twins.iter().position(|t| t.0 == suffix) {
                        Some(p) => p,
                        None => {
                            twins.push((suffix, None, None));
                            twins.len() - 1
                        }
                    };
                    let slot = if kind == Kind::Trigger {
                        &mut twins[pos].1
                    } else {
                        &mut twins[pos].2
                    };
                    *slot = Some((file.clone(), uuid_text));
                }
                None => {}
            }
        }
        for (suffix, trigger, connector) in twins {
            let (Some((trigger_file, trigger_uuid)), Some((connector_file, connector_uuid))) =
                (trigger, connector)
            else {
                continue;
            };
            if trigger_uuid != connector_uuid {
                let fix = Fix::SetUuid {
                    uuid: trigger_uuid.clone(),
                    trigger: trigger_file.clone(),
                };
                results[i].push(
                    &connector_file,
                    "twins",
                    format!("UUID is not consistent with trigger_{suffix}"),
                    Severity::Error,
                    Some(fix),
                );
                triggers.remove(&key(&serde_json::Value::String(trigger_uuid)));
                connectors.remove(&key(&serde_json::Value::String(connector_uuid)));
            }
        }
    }
    slugs.report(results, "slug is not unique", "uniqueness");
    manifests.report(results, "UUID is not unique", "uniqueness");
    actions.report(results, "UUID is not unique", "uniqueness");
    connectors.report(results, "UUID is not unique", "uniqueness");
    triggers.report(results, "UUID is not unique", "uniqueness");
}

/// `check_docker_params`: per module, twins share docker parameters and, per kind, no two
/// components use the same one.
pub fn check_docker_params(results: &mut [ModuleResult]) {
    for i in 0..results.len() {
        let mut actions = Groups::default();
        let mut triggers = Groups::default();
        let mut connectors = Groups::default();
        let mut twins: Vec<(String, Option<String>, Option<String>)> = Vec::new();
        for (file, docker) in results[i].docker.clone() {
            let Some(kind) = super::components::kind_of(&file) else {
                continue;
            };
            match kind {
                Kind::Action => actions.add(docker.clone(), i, &file),
                Kind::Trigger => triggers.add(docker.clone(), i, &file),
                Kind::Connector => connectors.add(docker.clone(), i, &file),
            }
            if kind == Kind::Action {
                continue;
            }
            let suffix = twin_suffix(&file, kind).unwrap_or_default().to_string();
            let pos = match twins.iter().position(|t| t.0 == suffix) {
                Some(p) => p,
                None => {
                    twins.push((suffix, None, None));
                    twins.len() - 1
                }
            };
            if kind == Kind::Trigger {
                twins[pos].1 = Some(docker);
            } else {
                twins[pos].2 = Some(docker);
            }
        }
        for (suffix, trigger, connector) in twins {
            let (Some(trigger), Some(connector)) = (trigger, connector) else {
                continue;
            };
            if trigger != connector {
                results[i].error(
                    &format!("connector_{suffix}"),
                    "twins",
                    format!("`docker_parameters` is not consistent with trigger_{suffix}"),
                );
                triggers.remove(&trigger);
                connectors.remove(&connector);
            }
        }
        actions.report(results, "`docker_parameters` is not unique", "uniqueness");
        triggers.report(results, "`docker_parameters` is not unique", "uniqueness");
        connectors.report(results, "`docker_parameters` is not unique", "uniqueness");
    }
}
