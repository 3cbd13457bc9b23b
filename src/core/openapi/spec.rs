//! A loaded spec and its operations, in the spec's order (paths, then each path's methods), as the
//! SDK walks them: get, post, delete, patch and put.

use serde_json::Value;

use super::refs::Resolver;
use crate::core::failure::Failure;

pub const METHODS: [&str; 5] = ["get", "post", "delete", "patch", "put"];

#[derive(Debug, Clone)]
pub struct Spec {
    pub doc: Value,
    /// The path or URL it was read from.
    pub source: String,
}

/// One operation of the spec, as a person picks it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operation {
    /// Lower case, as in the spec.
    pub method: String,
    /// The path as written in the spec (`/pet/{petId}`).
    pub path: String,
    pub operation_id: Option<String>,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub tags: Vec<String>,
    /// The operationId, else `{method}-{path without its leading /}` (the SDK's rule).
    pub docker_parameters: String,
}

impl Operation {
    /// `GET /pet/{petId}`.
    pub fn label(&self) -> String {
        format!("{} {}", self.method.to_uppercase(), self.path)
    }

    /// Whether `--operation WANTED` names this operation: its operationId, its docker_parameters
    /// or `METHOD /path` (method in any case).
    pub fn is_named(&self, wanted: &str) -> bool {
        let wanted = wanted.trim();
        if self.operation_id.as_deref() == Some(wanted) || self.docker_parameters == wanted {
            return true;
        }
        match wanted.split_once(char::is_whitespace) {
            Some((m, p)) => m.eq_ignore_ascii_case(&self.method) && p.trim() == self.path,
            None => false,
        }
    }
}

fn text(v: Option<&Value>) -> Option<String> {
    v.and_then(Value::as_str)
        .map(str::to_string)
        .filter(|s| !s.trim().is_empty())
}

impl Spec {
    /// Reads and parses `source` (path or URL), and checks it is an OpenAPI 3 / Swagger 2 document.
    pub fn load(source: &str) -> Result<Spec, Failure> {
        let text = super::load::read_source(source)?;
        Spec::parse(&text, source)
    }

    pub fn parse(text: &str, source: &str) -> Result<Spec, Failure> {
        let doc = super::load::parse(text, source)?;
        if !doc.is_object() || (doc.get("openapi").is_none() && doc.get("swagger").is_none()) {
            return Err(Failure::with_hint(
                format!("{source} is not an OpenAPI document (no `openapi` or `swagger` key)"),
                "pass an OpenAPI 3.0 / 3.1 or Swagger 2.0 spec",
            ));
        }
        if !doc.get("paths").is_some_and(Value::is_object) {
            return Err(Failure::with_hint(
                format!("{source} has no `paths`"),
                "the spec must describe at least one operation",
            ));
        }
        Ok(Spec {
            doc,
            source: source.to_string(),
        })
    }

    pub fn is_swagger2(&self) -> bool {
        self.doc.get("swagger").is_some()
    }

    pub fn title(&self) -> Option<String> {
        text(self.doc.pointer("/info/title"))
    }

    /// The first paragraph of `info.description`, on one line (a manifest description).
    pub fn summary_description(&self) -> Option<String> {
        let d = text(self.doc.pointer("/info/description"))?;
        let para = d.trim().split("\n\n").next().unwrap_or("");
        Some(para.split_whitespace().collect::<Vec<_>>().join(" "))
    }

    /// Every operation, in the spec's order. Path items given by `$ref` are followed.
    pub fn operations(&self) -> Vec<Operation> {
        let mut out = Vec::new();
        let mut resolver = Resolver::new(&self.doc);
        let Some(paths) = self.doc.get("paths").and_then(Value::as_object) else {
            return out;
        };
        for (path, item) in paths {
            let item = resolver.resolve(item);
            let Some(item) = item.as_object() else {
                continue;
            };
            for (method, op) in item {
                if !METHODS.contains(&method.as_str()) {
                    continue;
                }
                let operation_id = text(op.get("operationId"));
                let docker_parameters = operation_id
                    .clone()
                    .unwrap_or_else(|| format!("{method}-{}", path.trim_start_matches('/')));
                out.push(Operation {
                    method: method.clone(),
                    path: path.clone(),
                    operation_id,
                    summary: text(op.get("summary")),
                    description: text(op.get("description")),
                    tags: op
                        .get("tags")
                        .and_then(Value::as_array)
                        .map(|t| {
                            t.iter()
                                .filter_map(Value::as_str)
                                .map(str::to_string)
                                .collect()
                        })
                        .unwrap_or_default(),
                    docker_parameters,
                });
            }
        }
        out
    }

    /// The raw (unresolved) path item and operation objects.
    pub fn raw(&self, op: &Operation) -> (Value, Value) {
        let item = self
            .doc
            .get("paths")
            .and_then(|p| p.get(&op.path))
            .cloned()
            .unwrap_or(Value::Null);
        // A path item given by `$ref` is looked up, not resolved: the action's resolver does that
        // (and reports the cycles it meets).
        let item = match item.get("$ref").and_then(Value::as_str) {
            Some(target) => target
                .strip_prefix('#')
                .and_then(|p| self.doc.pointer(&p.replace("~1", "/").replace("~0", "~")))
                .cloned()
                .unwrap_or(Value::Null),
            None => item,
        };
        let operation = item.get(&op.method).cloned().unwrap_or(Value::Null);
        (item, operation)
    }
}

/// Which operations to generate: those named by `--operation` or tagged with a `--tag`; all of
/// them when neither is given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    pub operations: Vec<String>,
    pub tags: Vec<String>,
}

impl Selection {
    pub fn pick(&self, all: Vec<Operation>) -> Result<Vec<Operation>, Failure> {
        if self.operations.is_empty() && self.tags.is_empty() {
            return Ok(all);
        }
        for wanted in &self.operations {
            if !all.iter().any(|op| op.is_named(wanted)) {
                let known: Vec<String> = all
                    .iter()
                    .take(8)
                    .map(|op| format!("{} ({})", op.docker_parameters, op.label()))
                    .collect();
                return Err(Failure::with_hint(
                    format!("the spec has no operation `{wanted}`"),
                    format!(
                        "name an operationId or `METHOD /path`, e.g. {}{}",
                        known.join(", "),
                        if all.len() > 8 { ", …" } else { "" }
                    ),
                ));
            }
        }
        for tag in &self.tags {
            if !all.iter().any(|op| op.tags.contains(tag)) {
                let mut tags: Vec<&String> = all.iter().flat_map(|op| &op.tags).collect();
                tags.sort();
                tags.dedup();
                return Err(Failure::with_hint(
                    format!("no operation has the tag `{tag}`"),
                    format!(
                        "the spec's tags: {}",
                        tags.iter()
                            .map(|t| t.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ));
            }
        }
        Ok(all
            .into_iter()
            .filter(|op| {
                self.operations.iter().any(|w| op.is_named(w))
                    || op.tags.iter().any(|t| self.tags.contains(t))
            })
            .collect())
    }
}
