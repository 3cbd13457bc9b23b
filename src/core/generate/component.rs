//! The Python of one component (`<pkg>/<kind>_<name>.py`) and its test (`tests/test_<kind>_<name>.py`),
//! from the embedded templates `templates/component/*.hbs`.

use std::collections::BTreeSet;

use heck::ToSnakeCase;
use serde_json::json;

use super::python::{call_lines, literal_lines, model, python_literal, sample_object, Imports};
use crate::core::model::{ComponentKind, ComponentSpec, FieldSpec, FieldType};
use crate::core::render::{self, python_string};

/// Both files of a component, relative to the module root.
pub struct ComponentFiles {
    pub source_path: String,
    pub source: String,
    pub test_path: String,
    pub test: String,
}

/// `Class(a=1, b="x")` laid out as black would at `indent` levels, preceded by `prefix`.
fn construct(prefix: &str, class: &str, fields: &[FieldSpec], indent: usize) -> String {
    construct_then(prefix, class, fields, indent, "")
}

/// Like `construct`, followed by `suffix` (e.g. `.model_dump()`), which counts in the line length.
fn construct_then(
    prefix: &str,
    class: &str,
    fields: &[FieldSpec],
    indent: usize,
    suffix: &str,
) -> String {
    let sample = sample_object(fields);
    let args: Vec<String> = sample
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(k, v)| format!("{k}={}", python_literal(v)))
                .collect()
        })
        .unwrap_or_default();
    let pad = "    ".repeat(indent);
    call_lines(
        &format!("{pad}{prefix}{class}("),
        &args,
        &format!("){suffix}"),
        indent,
    )
}

fn docstring(text: &str) -> String {
    text.replace('\\', "\\\\").replace("\"\"\"", "\\\"\\\"\\\"")
}

pub fn render(spec: &ComponentSpec, package: &str) -> anyhow::Result<ComponentFiles> {
    let class = spec.class_name();
    let display = spec.display_name();
    let mut imports = Imports::default();
    // The component's own model classes are taken before any nested model is named (an argument
    // object called `<name>_results` must not become the results class).
    let mut taken = BTreeSet::from([class.clone(), spec.arguments_class(), spec.results_class()]);
    let mut models = String::new();
    let mut attributes = String::new();
    if spec.needs_name_attribute() {
        attributes.push_str(&format!("    name = {}\n", python_string(&display)));
    }
    if !spec.description.trim().is_empty() {
        attributes.push_str(&format!(
            "    description = {}\n",
            python_string(spec.description.trim())
        ));
    }
    let has_args = !spec.arguments.is_empty() || spec.kind == ComponentKind::Connector;
    let args_class = spec.arguments_class();
    if has_args {
        let base = match spec.kind {
            ComponentKind::Connector => {
                imports.from(
                    "sekoia_automation.connector",
                    "DefaultConnectorConfiguration",
                );
                "DefaultConnectorConfiguration"
            }
            _ => {
                imports.from("pydantic", "BaseModel");
                "BaseModel"
            }
        };
        for c in model(&args_class, base, &spec.arguments, &mut imports, &mut taken).classes {
            models.push_str(&c);
            models.push_str("\n\n");
        }
        // The SDK's Trigger declares `configuration` as a property whose setter takes a dict: a
        // model annotation is an incompatible override for mypy, though it is how the SDK reads
        // the model (as in the SDK's own asset connector).
        match spec.kind {
            ComponentKind::Trigger => attributes.push_str(&format!(
                "    configuration: {args_class}  # type: ignore[override]\n"
            )),
            ComponentKind::Connector => {
                attributes.push_str(&format!("    configuration: {args_class}\n"))
            }
            ComponentKind::Action => {}
        }
    }
    let results_class = spec.results_class();
    let has_results = !spec.results.is_empty();
    if has_results {
        imports.from("pydantic", "BaseModel");
        for c in model(
            &results_class,
            "BaseModel",
            &spec.results,
            &mut imports,
            &mut taken,
        )
        .classes
        {
            models.push_str(&c);
            models.push_str("\n\n");
        }
        attributes.push_str(&format!("    results_model = {results_class}\n"));
    }
    // black puts one blank line between a class docstring and the first attribute.
    if !attributes.is_empty() {
        attributes.insert(0, '\n');
    }
    let doc = if spec.description.trim().is_empty() {
        display.clone()
    } else {
        spec.description.trim().to_string()
    };
    let interval = polling_interval(spec);
    let started = python_string(&format!("{display} started"));
    let event_name = python_string(&format!("{display} event"));
    let mut data = json!({
        "class_name": class,
        "doc": docstring(&doc),
        "attributes": attributes,
        "models": models,
        "started": started,
        "event_name": event_name,
        "package": package,
        "snake": class.to_snake_case(),
        "fixed_interval": interval.is_none(),
        "interval": interval.unwrap_or_else(|| "POLLING_INTERVAL".into()),
    });
    let source = match spec.kind {
        ComponentKind::Action => {
            imports.from("sekoia_automation.action", "Action");
            let return_type = if has_results {
                results_class.clone()
            } else {
                "dict".into()
            };
            data["arguments_type"] = json!(if has_args {
                args_class.clone()
            } else {
                "dict".into()
            });
            data["return_type"] = json!(return_type);
            let statement = if has_results {
                construct("return ", &results_class, &spec.results, 2)
            } else {
                "        return {}".to_string()
            };
            data["return_value"] = json!(statement
                .trim_start()
                .trim_start_matches("return ")
                .to_string());
            data["imports"] = json!(imports.render());
            render::render("component/action.py", &data)?
        }
        ComponentKind::Trigger => {
            imports.std("time");
            imports.from("sekoia_automation.trigger", "Trigger");
            let event = if has_results {
                construct("event = ", &results_class, &spec.results, 3)
            } else {
                "            event = {\"message\": \"example\"}".to_string()
            };
            data["event_value"] = json!(event
                .trim_start()
                .trim_start_matches("event = ")
                .to_string());
            data["imports"] = json!(imports.render());
            render::render("component/trigger.py", &data)?
        }
        ComponentKind::Connector => {
            imports.std("time");
            imports.from("sekoia_automation.connector", "Connector");
            data["imports"] = json!(imports.render());
            render::render("component/connector.py", &data)?
        }
    };
    let file_stem = spec.file_stem();
    data["file_stem"] = json!(file_stem);
    let test = render_test(spec, &mut data, has_args, has_results)?;
    Ok(ComponentFiles {
        source_path: format!("{package}/{file_stem}.py"),
        source,
        test_path: format!("tests/test_{file_stem}.py"),
        test,
    })
}

/// The literal assigned in a test's body (`    {target}{literal}`), as black lays it out, without
/// the part the template already writes.
fn assigned_literal(target: &str, value: &serde_json::Value) -> String {
    let lines = literal_lines(target, value, 1, "");
    lines
        .strip_prefix(&format!("    {target}"))
        .unwrap_or(&lines)
        .to_string()
}

fn render_test(
    spec: &ComponentSpec,
    data: &mut serde_json::Value,
    has_args: bool,
    has_results: bool,
) -> anyhow::Result<String> {
    let class = spec.class_name();
    let results_class = spec.results_class();
    match spec.kind {
        ComponentKind::Action => {
            let args = if has_args {
                sample_object(&spec.arguments)
            } else {
                json!({})
            };
            data["arguments_value"] = json!(assigned_literal("arguments = ", &args));
            let (imports, expected) = if has_results {
                let expected = construct_then(
                    "expected = ",
                    &results_class,
                    &spec.results,
                    1,
                    ".model_dump()",
                );
                (
                    format!("{class}, {results_class}"),
                    expected.trim_start().to_string(),
                )
            } else {
                (class.clone(), "expected = {}".to_string())
            };
            data["test_imports"] = json!(imports);
            data["results_assertion"] = json!(expected);
            render::render("component/test_action.py", data)
        }
        ComponentKind::Trigger => {
            data["configuration_value"] = json!(assigned_literal(
                "trigger.configuration = ",
                &sample_object(&spec.arguments)
            ));
            let expected = if has_results {
                let expected = construct_then(
                    "expected = ",
                    &results_class,
                    &spec.results,
                    1,
                    ".model_dump()",
                );
                expected.trim_start().to_string()
            } else {
                "expected = {\"message\": \"example\"}".to_string()
            };
            data["event_json"] = json!(expected);
            let mut text = render::render("component/test_trigger.py", data)?;
            if has_results {
                text = text.replacen(
                    &format!(" import {class}\n"),
                    &format!(" import {class}, {results_class}\n"),
                    1,
                );
            }
            Ok(text)
        }
        ComponentKind::Connector => {
            let mut config = sample_object(&spec.arguments);
            if let Some(map) = config.as_object_mut() {
                map.insert("intake_server".into(), json!("https://intake.test"));
                map.insert("intake_key".into(), json!("intake-key"));
            }
            data["configuration_value"] =
                json!(assigned_literal("connector.configuration = ", &config));
            render::render("component/test_connector.py", data)
        }
    }
}

/// What a trigger or connector sleeps between polls: its own polling setting when its
/// configuration declares one that always has a value (`frequency: int = 60`), converted from the
/// unit its description names; otherwise the skeleton's constant.
fn polling_interval(spec: &ComponentSpec) -> Option<String> {
    if spec.kind == ComponentKind::Action {
        return None;
    }
    let field = spec.arguments.iter().find(|f| {
        matches!(
            f.name.as_str(),
            "polling_interval" | "polling_frequency" | "frequency" | "interval"
        ) && matches!(f.ty, FieldType::Int | FieldType::Float)
            && !f.is_optional()
    })?;
    let description = field.description.as_deref().unwrap_or("").to_lowercase();
    let factor = if description.contains("minute") {
        " * 60"
    } else if description.contains("hour") {
        " * 3600"
    } else {
        ""
    };
    Some(format!("self.configuration.{}{factor}", field.name))
}
