//! `sekoia-wizard run`: runs one component of a module locally and prints its results and logs.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::Args;

use crate::core::failure::Failure;
use crate::core::run::{self, Request, Stream};

#[derive(Debug, Args)]
#[command(
    after_help = "Secrets of the module configuration not given with --config are read from \
SEKOIA_WIZARD_CONFIG_<NAME> (e.g. SEKOIA_WIZARD_CONFIG_API_KEY), else asked for (masked) at a terminal.\n\n\
Examples:\n  sekoia-wizard run getPetById --arg petId=1 --config api_key=KEY\n  \
sekoia-wizard run action_request.json MyModule --args-file args.json --python .venv/bin/python"
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
    let mut arguments = match &args.args_file {
        Some(path) => run::read_object(path)?,
        None => Default::default(),
    };
    arguments.extend(run::parse_assignments(
        &args.args,
        component.arguments_schema(),
        "--arg",
    )?);
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
    let python = run::python(&root, args.python.as_deref())?;
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
    };
    // Ctrl-C stops the component (a trigger runs until then), not this process: the temporary
    // directory holding the secrets is removed once the component has ended.
    let interrupted = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let sigint = signal_hook::flag::register(signal_hook::consts::SIGINT, interrupted)?;
    let outcome = run::execute(&request, |stream, line| match stream {
        Stream::Stdout => println!("{line}"),
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
