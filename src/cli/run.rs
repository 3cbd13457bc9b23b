//! `sekoia-wizard run`: runs one component of a module locally and prints its results and logs.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::Args;

use crate::core::ci::{Event, Outcome};
use crate::core::failure::Failure;
use crate::core::run::{self, Request, Stream};

#[derive(Debug, Args)]
#[command(
    after_help = "Secrets of the module configuration not given with --config are read from \
SEKOIA_WIZARD_CONFIG_<NAME> (e.g. SEKOIA_WIZARD_CONFIG_API_KEY), else asked for (masked) at a terminal.\n\n\
Examples:\n  sekoia-wizard run getPetById --arg petId=1 --config api_key=KEY\n  \
sekoia-wizard run action_request.json MyModule --args-file args.json --python .venv/bin/python\n  \
sekoia-wizard run NewEntriesTrigger --arg url=https://example.com --max-events 3 --timeout 2m\n  \
sekoia-wizard run FeedConnector --create-env\n\n\
A trigger prints each event it sends, a connector each event pushed to a local intake, one per line on \
stdout, until Ctrl-C, --max-events or --timeout."
)]
pub struct RunArgs {
    /// The component: its docker_parameters, class name, manifest file or name
    pub component: String,
    /// The module directory (default: the current one, or the module containing it)
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// An argument (repeatable); VALUE is JSON unless the schema says string
    #[arg(long = "arg", value_name = "KEY=VALUE")]
    pub args: Vec<String>,
    /// Arguments from a JSON object file (--arg wins)
    #[arg(long, value_name = "JSON")]
    pub args_file: Option<PathBuf>,
    /// A module configuration value (repeatable)
    #[arg(long = "config", value_name = "KEY=VALUE")]
    pub config: Vec<String>,
    /// Module configuration from a JSON object file (--config wins)
    #[arg(long, value_name = "JSON")]
    pub config_file: Option<PathBuf>,
    /// The Python to run in (default: the module's .venv, else SEKOIA_WIZARD_PYTHON)
    #[arg(long, value_name = "PATH")]
    pub python: Option<PathBuf>,
    /// Create the module's .venv when it has none (poetry install, or uv sync), without asking
    #[arg(long)]
    pub create_env: bool,
    /// A trigger or connector stops after N events (default: at Ctrl-C)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub max_events: Option<u64>,
    /// Stop the component after this long: seconds, or 90s, 2m, 1h
    #[arg(long, value_name = "DURATION", value_parser = duration_parser)]
    pub timeout: Option<std::time::Duration>,
}

fn duration_parser(text: &str) -> Result<std::time::Duration, String> {
    run::parse_duration(text).map_err(|f| match f.hint {
        Some(h) => format!("{} ({h})", f.message),
        None => f.message,
    })
}

fn env_name(field: &str) -> String {
    let upper: String = field
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect();
    format!("SEKOIA_WIZARD_CONFIG_{upper}")
}

pub fn run(args: RunArgs) -> Result<ExitCode> {
    let root = crate::core::sync::on_disk::find_module_root(&args.dir).ok_or_else(|| {
        Failure::with_hint(
            format!(
                "{} is not inside a module (no manifest.json)",
                args.dir.display()
            ),
            "run this in a module or pass its directory",
        )
    })?;
    let component = run::find(&root, &args.component)?;
    let is_action = component.kind == crate::core::model::ComponentKind::Action;
    if is_action && args.max_events.is_some() {
        return Err(Failure::with_hint(
            format!(
                "--max-events applies to triggers and connectors; {} is an action",
                component.docker_parameters
            ),
            "leave out --max-events (an action returns once), or use --timeout",
        )
        .into());
    }
    let mut arguments = match &args.args_file {
        Some(path) => run::read_object(path)?,
        None => Default::default(),
    };
    arguments.extend(run::parse_assignments(
        &args.args,
        component.arguments_schema(),
        "--arg",
    )?);
    for note in run::local_defaults(&component, &mut arguments) {
        eprintln!("note: {note}");
    }
    // Refused before anything runs, naming the field.
    run::check(
        &serde_json::Value::Object(arguments.clone()),
        component.arguments_schema(),
        "arguments",
    )?;
    let config_schema = run::configuration_schema(&root);
    let mut configuration = match &args.config_file {
        Some(path) => run::read_object(path)?,
        None => Default::default(),
    };
    configuration.extend(run::parse_assignments(
        &args.config,
        &config_schema,
        "--config",
    )?);
    let interactive = std::io::stdin().is_terminal() && std::env::var_os("CI").is_none();
    for (name, secret) in run::missing_configuration(&config_schema, &configuration) {
        let var = env_name(&name);
        let value = match std::env::var(&var) {
            Ok(v) => v,
            Err(_) if secret && interactive => dialoguer::Password::new()
                .with_prompt(format!("{name} (secret)"))
                .allow_empty_password(true)
                .interact()?,
            Err(_) => {
                return Err(Failure::with_hint(
                    format!("the module configuration needs `{name}`"),
                    format!("pass --config {name}=VALUE or set {var}"),
                )
                .into())
            }
        };
        let parsed =
            run::parse_assignments(&[format!("{name}={value}")], &config_schema, "--config")?;
        configuration.extend(parsed);
    }
    let python = match (&args.python, run::module_venv(&root)) {
        (None, None) => python_without_venv(&root, args.create_env, interactive)?,
        _ => run::python(&root, args.python.as_deref())?,
    };
    eprintln!(
        "Running {} ({}) of {} with {}",
        component.docker_parameters,
        component.file,
        root.display(),
        python.display()
    );
    let request = Request {
        root: root.clone(),
        component,
        arguments,
        configuration,
        python,
        max_events: args.max_events,
        timeout: args.timeout,
    };
    if !is_action {
        eprintln!(
            "Printing the events it sends, one per line on stdout, until Ctrl-C{}.",
            match (args.max_events, args.timeout) {
                (Some(n), Some(t)) => format!(", {} or {}", events(n), show_duration(t)),
                (Some(n), None) => format!(" or {}", events(n)),
                (None, Some(t)) => format!(" or {}", show_duration(t)),
                (None, None) => String::new(),
            }
        );
    }
    // Ctrl-C stops the component (a trigger runs until then), not this process: the temporary
    // directory holding the secrets is removed once the component has ended.
    let interrupted = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let sigint = signal_hook::flag::register(signal_hook::consts::SIGINT, interrupted)?;
    let outcome = run::execute(&request, |stream, line| match stream {
        Stream::Stdout | Stream::Event => println!("{line}"),
        Stream::Stderr => eprintln!("{line}"),
    });
    signal_hook::low_level::unregister(sigint);
    let outcome = outcome?;
    for log in &outcome.logs {
        let level = log["level"].as_str().unwrap_or("info");
        let message = log["message"].as_str().unwrap_or("");
        eprintln!("log: {level}: {message}");
    }
    if let Some(warning) = &outcome.results_warning {
        eprintln!("warning: the results do not follow the manifest: {warning}");
    }
    if !is_action && outcome.error.is_none() {
        let why = match outcome.stopped.as_deref() {
            Some("interrupted") => " (stopped by Ctrl-C)".to_string(),
            Some("max-events") => format!(" (stopped after {})", events(outcome.events)),
            Some("timeout") => " (stopped at the timeout)".to_string(),
            Some("killed") => format!(
                " (killed: it did not stop within {} s of the timeout)",
                run::STOP_GRACE.as_secs()
            ),
            _ => " (it returned by itself)".to_string(),
        };
        eprintln!(
            "{} event{} sent{why}.",
            outcome.events,
            if outcome.events == 1 { "" } else { "s" }
        );
    }
    if let Some(error) = &outcome.error {
        eprintln!("error: {}", error.trim_end());
        return Ok(ExitCode::FAILURE);
    }
    if !outcome.results.is_null()
        || request.component.kind == crate::core::model::ComponentKind::Action
    {
        println!(
            "{}",
            serde_json::to_string_pretty(&outcome.results).unwrap_or_default()
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn show_duration(d: std::time::Duration) -> String {
    format!("{} s", d.as_secs_f64())
}

fn events(n: u64) -> String {
    format!("{n} event{}", if n == 1 { "" } else { "s" })
}

/// The module has no `.venv`: create it when asked (`--create-env`, or yes at a terminal), else
/// run with SEKOIA_WIZARD_PYTHON when set, else say how to get one.
fn python_without_venv(root: &std::path::Path, create: bool, interactive: bool) -> Result<PathBuf> {
    let fallback = std::env::var_os("SEKOIA_WIZARD_PYTHON").is_some();
    let create = create
        || (interactive
            && !fallback
            && dialoguer::Confirm::new()
                .with_prompt(format!(
                    "{} has no .venv. Create it now ({})?",
                    root.display(),
                    install_command(root)
                ))
                .default(true)
                .interact()?);
    if !create {
        return Ok(run::python(root, None)?);
    }
    eprintln!(
        "The module has no .venv: creating it with `{}` (this can take a few minutes)…",
        install_command(root)
    );
    let started = std::time::Instant::now();
    let python = run::create_environment(root, &mut |event| match event {
        Event::Started { .. } => eprintln!("  environment: running…"),
        Event::Finished { result, .. } => {
            for command in &result.commands {
                eprintln!("  $ {command}");
            }
            if result.outcome != Outcome::Passed {
                for line in result
                    .output
                    .lines()
                    .rev()
                    .take(20)
                    .collect::<Vec<_>>()
                    .iter()
                    .rev()
                {
                    eprintln!("  | {line}");
                }
            }
        }
        Event::Fixed(_) => {}
    })?;
    eprintln!(
        "  ✓ made {} in {:.1} s",
        root.join(".venv").display(),
        started.elapsed().as_secs_f64()
    );
    Ok(python)
}

fn install_command(root: &std::path::Path) -> &'static str {
    match crate::core::lock::packaging_of(root) {
        crate::core::model::Packaging::Poetry => "poetry install",
        crate::core::model::Packaging::Uv => "uv sync",
    }
}
