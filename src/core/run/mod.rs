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

/// The intake key a connector's configuration needs when none is given: events go to the local
/// intake, so any key does. Returns the note to show when it was added.
pub const LOCAL_INTAKE_KEY: &str = "sekoia-wizard-run";

/// Fills in what a local run needs and the person need not give: a connector's `intake_key`.
pub fn local_defaults(component: &Component, arguments: &mut Map<String, Value>) -> Vec<String> {
    let mut notes = Vec::new();
    if component.kind == ComponentKind::Connector && !arguments.contains_key("intake_key") {
        arguments.insert("intake_key".into(), Value::String(LOCAL_INTAKE_KEY.into()));
        notes.push(format!(
            "intake_key `{LOCAL_INTAKE_KEY}` (the events go to a local intake and are printed)"
        ));
    }
    notes
}

/// `30`, `30s`, `2m`, `1h`, `1.5s`: a duration for `--timeout`.
pub fn parse_duration(text: &str) -> Result<std::time::Duration, Failure> {
    let t = text.trim();
    let (number, unit) = match t.find(|c: char| c.is_ascii_alphabetic()) {
        Some(i) => (&t[..i], &t[i..]),
        None => (t, "s"),
    };
    let factor = match unit {
        "ms" => 0.001,
        "s" => 1.0,
        "m" => 60.0,
        "h" => 3600.0,
        _ => f64::NAN,
    };
    match number.trim().parse::<f64>() {
        Ok(n) if n > 0.0 && n.is_finite() && factor.is_finite() => {
            Ok(std::time::Duration::from_secs_f64(n * factor))
        }
        _ => Err(Failure::with_hint(
            format!("`{text}` is not a duration"),
            "give seconds (30), or a number with s, m or h (90s, 2m)",
        )),
    }
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

/// The module's own `.venv` Python, if it has one.
pub fn module_venv(root: &Path) -> Option<PathBuf> {
    [".venv/bin/python", ".venv/Scripts/python.exe"]
        .into_iter()
        .map(|p| root.join(p))
        .find(|p| p.is_file())
}

/// Makes the module's `.venv` with the `environment` step of `sekoia-wizard test` (`poetry
/// install`, or `uv sync` for a uv module, then black and mypy if missing), reporting its
/// progress; returns the Python it made.
pub fn create_environment(
    root: &Path,
    progress: &mut dyn FnMut(crate::core::ci::Event),
) -> Result<PathBuf, Failure> {
    use crate::core::ci::{self, Outcome, Step};
    let options = ci::Options {
        dir: root.to_path_buf(),
        steps: vec![Step::Environment],
        ..ci::Options::default()
    };
    let report = ci::run(&options, progress);
    let result = report.results.first();
    if let (Some(python), Some(Outcome::Passed)) = (module_venv(root), result.map(|r| r.outcome)) {
        return Ok(python);
    }
    let why = result
        .map(|r| r.details.join("; "))
        .filter(|d| !d.is_empty())
        .unwrap_or_else(|| "no .venv was made".into());
    Err(Failure::with_hint(
        format!("could not create the module's environment: {why}"),
        format!(
            "run `sekoia-wizard test {} --step environment --verbose` to see everything, or pass --python PATH",
            root.display()
        ),
    ))
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
        format!("the module has no .venv to run in ({})", root.join(".venv").display()),
        "pass --create-env to create it (poetry install, or uv sync), or --python PATH (or set SEKOIA_WIZARD_PYTHON)",
    ))
}

#[derive(Debug, Clone)]
pub struct Request {
    pub root: PathBuf,
    pub component: Component,
    pub arguments: Map<String, Value>,
    pub configuration: Map<String, Value>,
    pub python: PathBuf,
    /// A trigger or connector stops after this many events (else at Ctrl-C).
    pub max_events: Option<u64>,
    /// The component is stopped after this long.
    pub timeout: Option<std::time::Duration>,
}

/// How long a component may take to end once asked to stop before it is killed.
pub const STOP_GRACE: std::time::Duration = std::time::Duration::from_secs(10);

/// The prefix the runner puts before each event it prints.
const EVENT_MARK: &str = "\u{1e}sekoia-wizard-event ";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    Stdout,
    Stderr,
    /// One event a trigger sent or a connector pushed to the intake (JSON for a trigger, the
    /// event as pushed for a connector).
    Event,
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
    /// Events a trigger sent or a connector pushed.
    pub events: u64,
    /// Why the component was stopped: `interrupted` (Ctrl-C), `max-events`, `timeout`, `killed`
    /// (it did not end within `STOP_GRACE` of the timeout); `None` when it ended by itself.
    pub stopped: Option<String>,
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
        "max_events": request.max_events,
        "timeout": request.timeout.map(|t| t.as_secs_f64()),
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
    // A component that ignores the stop is killed once the timeout and the grace have passed.
    let deadline = request
        .timeout
        .map(|t| std::time::Instant::now() + t + STOP_GRACE);
    let mut killed = false;
    let mut seen = 0;
    loop {
        let wait = deadline
            .map(|d| d.saturating_duration_since(std::time::Instant::now()))
            .unwrap_or(std::time::Duration::from_secs(3600));
        match rx.recv_timeout(wait) {
            Ok((Stream::Stdout, line)) => match line.strip_prefix(EVENT_MARK) {
                Some(event) => {
                    seen += 1;
                    on_line(Stream::Event, event)
                }
                None => on_line(Stream::Stdout, &line),
            },
            Ok((stream, line)) => on_line(stream, &line),
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                if deadline.is_some_and(|d| std::time::Instant::now() >= d) && !killed {
                    let _ = child.kill();
                    killed = true;
                }
            }
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => break,
        }
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
    if killed {
        return Ok(Outcome {
            results: Value::Null,
            error: None,
            logs: Vec::new(),
            results_warning: None,
            success: true,
            events: seen,
            stopped: Some("killed".into()),
        });
    }
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
        events: written["events"].as_u64().unwrap_or(0),
        stopped: written["stopped"].as_str().map(str::to_string),
    })
}
