//! `run`: one component of a module, run locally in the module's Python as the SDK's run-action
//! does (its Module subclass configured, the component built with a data path, `run(arguments)`),
//! after its arguments were checked against the component's JSON schema. The request (with the
//! secrets) lives only in a private temporary directory, removed afterwards.

mod validate;

use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::{json, Map, Value};

use crate::core::failure::Failure;
use crate::core::model::ComponentKind;
use crate::core::sync::{on_disk, SourceTree};

pub use validate::check;

const RUNNER: &str = include_str!("runner.py");

/// The component to run, found through main.py's registrations and the component JSONs.
#[derive(Debug, Clone)]
pub struct Component {
    /// As main.py passes it to `register` (`GetPet`, `actions.GetPet`).
    pub class: String,
    pub docker_parameters: String,
    pub kind: ComponentKind,
    /// Its JSON manifest file and contents.
    pub file: String,
    pub manifest: Value,
    /// The class main.py instantiates as the module (`Module` when bare).
    pub module_class: Option<String>,
}

impl Component {
    /// The schema the arguments (or a trigger's configuration) must follow.
    pub fn arguments_schema(&self) -> &Value {
        &self.manifest["arguments"]
    }
}

/// Finds `wanted`: a docker_parameters, a class name, a manifest file (`action_x.json` or
/// `action_x`) or a manifest `name`.
pub fn find(root: &Path, wanted: &str) -> Result<Component, Failure> {
    let tree = SourceTree::from_disk(root);
    let main = on_disk::main_py(&tree).ok_or_else(|| {
        Failure::with_hint(
            format!("{} has no main.py that parses", root.display()),
            "run this in a module (or pass its directory)",
        )
    })?;
    let jsons = on_disk::component_jsons(&tree);
    let json_dp = jsons
        .iter()
        .find(|j| {
            j.file == wanted
                || j.file.strip_suffix(".json") == Some(wanted)
                || j.name() == Some(wanted)
        })
        .and_then(|j| j.docker_parameters().map(str::to_string));
    let registration = main
        .registrations
        .iter()
        .find(|r| r.docker_parameters.as_deref() == Some(wanted))
        .or_else(|| {
            main.registrations
                .iter()
                .find(|r| r.class == wanted || r.class.rsplit('.').next() == Some(wanted))
        })
        .or_else(|| {
            let dp = json_dp.as_deref()?;
            main.registrations
                .iter()
                .find(|r| r.docker_parameters.as_deref() == Some(dp))
        });
    let Some(registration) = registration else {
        let known: Vec<String> = main
            .registrations
            .iter()
            .filter_map(|r| r.docker_parameters.clone())
            .collect();
        return Err(Failure::with_hint(
            format!("the module has no component `{wanted}`"),
            format!(
                "name a docker_parameters, class or manifest file; registered: {}",
                known.join(", ")
            ),
        ));
    };
    let dp = registration.docker_parameters.clone().unwrap_or_default();
    let json = jsons
        .iter()
        .find(|j| j.docker_parameters() == Some(dp.as_str()))
        .ok_or_else(|| {
            Failure::with_hint(
                format!("no component JSON has docker_parameters `{dp}`"),
                "run `sekoia-wizard sync` to write it",
            )
        })?;
    Ok(Component {
        class: registration.class.clone(),
        docker_parameters: dp,
        kind: json.kind,
        file: json.file.clone(),
        manifest: json.value.clone().map(Value::Object).unwrap_or(Value::Null),
        module_class: main.module.map(|m| m.class),
    })
}

/// The module configuration's schema (manifest.json `configuration`).
pub fn configuration_schema(root: &Path) -> Value {
    std::fs::read(root.join("manifest.json"))
        .ok()
        .and_then(|b| serde_json::from_slice::<Value>(&b).ok())
        .and_then(|m| m.get("configuration").cloned())
        .unwrap_or(Value::Null)
}

/// Required or secret configuration fields that `config` lacks: `(name, secret)`.
pub fn missing_configuration(schema: &Value, config: &Map<String, Value>) -> Vec<(String, bool)> {
    let list = |key: &str| -> Vec<String> {
        schema[key]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect()
    };
    let (required, secrets) = (list("required"), list("secrets"));
    let mut out = Vec::new();
    for name in schema["properties"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(k, _)| k)
    {
        let secret = secrets.contains(name);
        if !config.contains_key(name) && (secret || required.contains(name)) {
            out.push((name.clone(), secret));
        }
    }
    out
}

/// `k=v` pairs into an object: a property typed string keeps the text, others parse it as JSON
/// (`5`, `true`, `["a"]`) and keep the text when it is not JSON (the check then names it).
pub fn parse_assignments(
    pairs: &[String],
    schema: &Value,
    flag: &str,
) -> Result<Map<String, Value>, Failure> {
    let mut out = Map::new();
    for pair in pairs {
        let Some((key, text)) = pair.split_once('=') else {
            return Err(Failure::with_hint(
                format!("{flag} `{pair}` is not KEY=VALUE"),
                format!("e.g. {flag} petId=1"),
            ));
        };
        let prop = &schema["properties"][key];
        let is_string = match &prop["type"] {
            Value::String(t) => t == "string",
            Value::Array(ts) => ts.iter().any(|t| t == "string"),
            _ => false,
        };
        let value = if is_string || prop["type"].is_null() && !looks_like_json(text) {
            Value::String(text.to_string())
        } else {
            serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_string()))
        };
        out.insert(key.to_string(), value);
    }
    Ok(out)
}

fn looks_like_json(text: &str) -> bool {
    matches!(text, "true" | "false" | "null")
        || text.starts_with(['{', '['])
        || text.parse::<f64>().is_ok()
}

/// An object read from a JSON file (`--args-file`, `--config-file`).
pub fn read_object(path: &Path) -> Result<Map<String, Value>, Failure> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Failure::new(format!("cannot read {}: {e}", path.display())))?;
    match serde_json::from_str(&text) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(Failure::new(format!(
            "{} is not a JSON object",
            path.display()
        ))),
        Err(e) => Err(Failure::new(format!(
            "{} is not valid JSON: {e}",
            path.display()
        ))),
    }
}

/// The Python to run in: `explicit`, else the module's `.venv`, else `SEKOIA_WIZARD_PYTHON`.
pub fn python(root: &Path, explicit: Option<&Path>) -> Result<PathBuf, Failure> {
    if let Some(p) = explicit {
        return if p.is_file() {
            Ok(p.to_path_buf())
        } else {
            Err(Failure::with_hint(
                format!("--python {} is not a file", p.display()),
                "pass the path of a python with the module's dependencies",
            ))
        };
    }
    for venv in [".venv/bin/python", ".venv/Scripts/python.exe"] {
        if root.join(venv).is_file() {
            return Ok(root.join(venv));
        }
    }
    if let Some(p) = std::env::var_os("SEKOIA_WIZARD_PYTHON").map(PathBuf::from) {
        if p.is_file() {
            return Ok(p);
        }
    }
    Err(Failure::with_hint(
        "the module has no .venv to run in",
        "create it with `sekoia-wizard test --step environment`, or pass --python PATH (or set SEKOIA_WIZARD_PYTHON)",
    ))
}

#[derive(Debug, Clone)]
pub struct Request {
    pub root: PathBuf,
    pub component: Component,
    pub arguments: Map<String, Value>,
    pub configuration: Map<String, Value>,
    pub python: PathBuf,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    Stdout,
    Stderr,
}

#[derive(Debug, Clone)]
pub struct Outcome {
    pub results: Value,
    /// What the component reported with `error()`, or the exception's traceback.
    pub error: Option<String>,
    /// The action's logs (`{date, level, message, ...}`).
    pub logs: Vec<Value>,
    /// Results that do not follow the manifest's `results` schema.
    pub results_warning: Option<String>,
    pub success: bool,
}

/// Checks the arguments, runs the component and collects its outcome; the child's output lines go
/// to `on_line` as they come. A front end that lets Ctrl-C stop a trigger keeps SIGINT from ending
/// itself while this runs, so the temporary directory is still removed.
pub fn execute(
    request: &Request,
    mut on_line: impl FnMut(Stream, &str),
) -> anyhow::Result<Outcome> {
    let component = &request.component;
    let arguments = Value::Object(request.arguments.clone());
    check(&arguments, component.arguments_schema(), "arguments")?;
    let config_schema = configuration_schema(&request.root);
    if !request.configuration.is_empty() {
        check(
            &Value::Object(request.configuration.clone()),
            &config_schema,
            "configuration",
        )?;
    }
    let temp = tempfile::Builder::new()
        .prefix("sekoia-wizard-run")
        .tempdir()?;
    let data = temp.path().join("data");
    std::fs::create_dir(&data)?;
    let outcome_path = temp.path().join("outcome.json");
    std::fs::write(temp.path().join("runner.py"), RUNNER)?;
    let kind = match component.kind {
        ComponentKind::Action => "action",
        ComponentKind::Trigger => "trigger",
        ComponentKind::Connector => "connector",
    };
    let root = std::fs::canonicalize(&request.root)?;
    let payload = json!({
        "module_root": root,
        "class": component.class,
        "module_class": component.module_class,
        "kind": kind,
        "arguments": arguments,
        "configuration": request.configuration,
        "data_path": data,
        "outcome": outcome_path,
    });
    std::fs::write(
        temp.path().join("request.json"),
        serde_json::to_vec(&payload)?,
    )?;
    let mut child = Command::new(&request.python)
        .arg(temp.path().join("runner.py"))
        .arg(temp.path().join("request.json"))
        .current_dir(&root)
        .env("PYTHONUNBUFFERED", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| Failure::new(format!("cannot start {}: {e}", request.python.display())))?;
    let (tx, rx) = std::sync::mpsc::channel();
    let readers: Vec<_> = [
        (
            Stream::Stdout,
            child
                .stdout
                .take()
                .map(|s| Box::new(s) as Box<dyn std::io::Read + Send>),
        ),
        (
            Stream::Stderr,
            child
                .stderr
                .take()
                .map(|s| Box::new(s) as Box<dyn std::io::Read + Send>),
        ),
    ]
    .into_iter()
    .filter_map(|(stream, pipe)| {
        let tx = tx.clone();
        let pipe = pipe?;
        Some(std::thread::spawn(move || {
            for line in std::io::BufReader::new(pipe).lines().map_while(Result::ok) {
                let _ = tx.send((stream, line));
            }
        }))
    })
    .collect();
    drop(tx);
    for (stream, line) in rx {
        on_line(stream, &line);
    }
    for reader in readers {
        let _ = reader.join();
    }
    let status = child.wait()?;
    let written: Value = std::fs::read(&outcome_path)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or(Value::Null);
    drop(temp);
    let error = written["error"].as_str().map(str::to_string);
    if written.is_null() && !status.success() {
        return Err(Failure::with_hint(
            format!("the component's Python stopped ({status}) before reporting"),
            "its output above says why (a missing dependency: install the module's environment)",
        )
        .into());
    }
    let results = written["results"].clone();
    let results_warning = match (&component.kind, component.manifest.get("results")) {
        (ComponentKind::Action, Some(schema)) if error.is_none() && !results.is_null() => {
            check(&results, schema, "results").err().map(|f| f.message)
        }
        _ => None,
    };
    Ok(Outcome {
        results,
        success: error.is_none(),
        error,
        logs: written["logs"].as_array().cloned().unwrap_or_default(),
        results_warning,
    })
}
