//! Sync on a hand-maintained module: surgical and additive.
//!
//! - Each registration in main.py (class → docker_parameters) is matched to the component JSONs
//!   carrying that `docker_parameters`, whatever their file names; their `arguments` / `results`
//!   are updated field by field ([`merge`]), keeping everything the code does not decide and the
//!   file's own formatting. Where the code declares no model the JSON is left as it is.
//! - A registration with no JSON gets one under the generator's file name.
//! - main.py only gains registrations (for the classes `add` wrote); none is ever removed.
//!   A component class that main.py does not register is reported, not registered: in these
//!   modules concrete base classes are common, and what runs is the author's choice.
//! - manifest.json: only the `configuration` properties, field by field.

use anyhow::Result;
use serde_json::{Map, Value};

use super::index::ClassKey;
use super::merge::{self, MergeScope};
use super::on_disk::ComponentJson;
use super::{generator_json_file, mainpy, registered_class, Ctx, Scope, Warning};
use crate::core::model::ComponentKind;
use crate::core::pyjson;

/// Plans the surgical sync; returns the orphan JSONs (no registration names them).
pub(super) fn plan(ctx: &mut Ctx) -> Result<Vec<String>> {
    let l = ctx.loaded;
    let index = &l.index;

    // main.py: register what `add` just wrote, nothing else.
    let mut main_src = ctx.tree.read_string("main.py");
    if let Scope::Added { components, .. } = &ctx.options.scope {
        let line_length = black_line_length(ctx.tree);
        for c in components {
            let src = main_src.clone().unwrap_or_default();
            let already = l.main.iter().flat_map(|m| &m.registrations).any(|r| {
                registered_class(index, &r.class)
                    .is_some_and(|k| k.name == c.class && k.module == c.module)
            });
            if already {
                continue;
            }
            let updated = mainpy::add_registration(
                &src,
                &c.class,
                &c.module,
                &c.docker_parameters,
                line_length,
            )
            .map_err(|why| {
                crate::core::failure::Failure::with_hint(
                    format!("cannot register {} in main.py: {why}", c.class),
                    format!(
                        "register it by hand: `module.register({}, \"{}\")`",
                        c.class, c.docker_parameters
                    ),
                )
            })?;
            main_src = Some(updated);
        }
        if let Some(src) = &main_src {
            ctx.plan.put("main.py", src.clone());
        }
    }
    // The registrations as main.py will read: class → docker_parameters.
    let main = main_src
        .as_deref()
        .and_then(crate::core::python::main_py::read)
        .unwrap_or_default();
    let mut registrations: Vec<(ClassKey, String)> = Vec::new();
    for r in &main.registrations {
        let (Some(key), Some(dp)) = (registered_class(index, &r.class), &r.docker_parameters)
        else {
            continue;
        };
        registrations.push((key, dp.clone()));
    }
    // Classes `add` just registered are read from the planned main.py above, but the index was
    // loaded before: resolve them through their own module.
    if let Scope::Added { components, .. } = &ctx.options.scope {
        for c in components {
            let key = ClassKey {
                module: c.module.clone(),
                name: c.class.clone(),
            };
            if !registrations.iter().any(|(k, _)| *k == key) {
                registrations.push((key, c.docker_parameters.clone()));
            }
        }
    }

    let mut matched: Vec<String> = Vec::new();
    let mut taken: Vec<String> = l.jsons.iter().map(|j| j.file.clone()).collect();
    for ((kind, key), summary) in l.discovery.components.iter().zip(&l.summaries) {
        let names: Vec<&String> = registrations
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, dp)| dp)
            .collect();
        if names.is_empty() {
            if ctx.options.scope == Scope::All {
                let message = format!(
                    "{} is not registered in main.py, so the platform cannot run it (left as is)",
                    key.name
                );
                ctx.warn_class(summary, key, message);
            }
            continue;
        }
        for dp in names {
            let jsons: Vec<&ComponentJson> = l
                .jsons
                .iter()
                .filter(|j| j.docker_parameters() == Some(dp.as_str()))
                .collect();
            matched.extend(jsons.iter().map(|j| j.file.clone()));
            if !ctx.in_scope(key) {
                continue;
            }
            if jsons.is_empty() {
                let file = free_file_name(*kind, &summary.name, dp, &taken);
                let value = ctx.generated_json(*kind, key, summary, dp, None);
                ctx.plan.put(file.clone(), pyjson::dumps(&value));
                taken.push(file);
                continue;
            }
            let (arguments, results) = ctx.schemas(*kind, key);
            for json in jsons {
                update_json(
                    ctx,
                    json,
                    arguments.as_ref(),
                    results.as_ref().and_then(|r| r.as_ref()),
                );
            }
        }
    }

    // The module configuration, field by field.
    let only = match &ctx.options.scope {
        Scope::All => None,
        Scope::Added { configuration, .. } => Some(configuration.clone()),
    };
    if only.as_ref().is_none_or(|o| !o.is_empty()) {
        if let Some(generated) = ctx.module_configuration() {
            let text = ctx.tree.read_string("manifest.json").unwrap_or_default();
            let mut manifest = ctx.manifest.clone();
            let mut schema = manifest
                .get("configuration")
                .cloned()
                .unwrap_or(Value::Object(Map::new()));
            let scope = MergeScope {
                prune: ctx.options.prune,
                only,
            };
            let drift = merge::merge(
                &mut schema,
                &generated,
                &scope,
                "manifest.json",
                "configuration",
            );
            if !drift.is_empty() {
                manifest.insert("configuration".into(), schema);
                ctx.plan
                    .put("manifest.json", write_like(&text, &Value::Object(manifest)));
            }
            ctx.drift.extend(drift);
        }
    }

    // A JSON is an orphan only when main.py registers nothing under its docker_parameters (a
    // registered class whose code cannot be read, e.g. with a base from a sibling module, still
    // owns its JSON).
    let registered_names: Vec<&str> = main
        .registrations
        .iter()
        .filter_map(|r| r.docker_parameters.as_deref())
        .collect();
    Ok(l.jsons
        .iter()
        .filter(|j| !matched.contains(&j.file))
        .filter(|j| {
            !j.docker_parameters()
                .is_some_and(|d| registered_names.contains(&d))
        })
        .map(|j| j.file.clone())
        .collect())
}

/// Brings one component JSON's schemas in line with the code; written only when something changed.
fn update_json(
    ctx: &mut Ctx,
    json: &ComponentJson,
    arguments: Option<&Value>,
    results: Option<&Value>,
) {
    let Some(value) = &json.value else {
        ctx.warnings.push(Warning {
            file: json.file.clone(),
            line: 1,
            field: None,
            message: "is not a JSON object this tool can write back exactly (invalid JSON, bytes that are not UTF-8, or integers beyond 64 bits); left as it is".into(),
        });
        return;
    };
    let mut updated = value.clone();
    let scope = MergeScope {
        prune: ctx.options.prune,
        only: None,
    };
    let mut drift = Vec::new();
    for (key, generated) in [("arguments", arguments), ("results", results)] {
        let Some(generated) = generated else { continue };
        let mut schema = updated
            .get(key)
            .cloned()
            .unwrap_or(Value::Object(Map::new()));
        let found = merge::merge(&mut schema, generated, &scope, &json.file, key);
        if !found.is_empty() {
            updated.insert(key.to_string(), schema);
            drift.extend(found);
        }
    }
    if !drift.is_empty() {
        ctx.plan.put(
            json.file.clone(),
            write_like(&json.text, &Value::Object(updated)),
        );
    }
    ctx.drift.extend(drift);
}

/// `value` written in the style of `original`: its indent, its escaping of non-ASCII text and its
/// final newline (or the library linter's style for a new file).
pub fn write_like(original: &str, value: &Value) -> String {
    let indent = original
        .lines()
        .nth(1)
        .map(|l| l.len() - l.trim_start_matches(' ').len())
        .filter(|n| *n > 0)
        .unwrap_or(2);
    let style = pyjson::Style {
        indent,
        ensure_ascii: original.is_ascii(),
    };
    let mut out = pyjson::dumps_with(value, style);
    if original.ends_with('\n') {
        out.push('\n');
    }
    out
}

/// The generator's file name for a new JSON, or one derived from `docker_parameters` when a file
/// of that name exists already (another component's).
fn free_file_name(
    kind: ComponentKind,
    name: &str,
    docker_parameters: &str,
    taken: &[String],
) -> String {
    let generator = generator_json_file(kind, name);
    if !taken.contains(&generator) {
        return generator;
    }
    let stem: String = docker_parameters
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    let mut candidate = format!("{}_{stem}.json", kind.as_str());
    let mut n = 2;
    while taken.contains(&candidate) {
        candidate = format!("{}_{stem}_{n}.json", kind.as_str());
        n += 1;
    }
    candidate
}

/// black's line length for this module (`[tool.black] line-length`), 88 by default.
fn black_line_length(tree: &super::SourceTree) -> usize {
    tree.read_string("pyproject.toml")
        .and_then(|t| t.parse::<toml_edit::DocumentMut>().ok())
        .and_then(|d| {
            d.get("tool")?
                .get("black")?
                .get("line-length")?
                .as_integer()
        })
        .and_then(|n| usize::try_from(n).ok())
        .unwrap_or(88)
}
