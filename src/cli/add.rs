//! `sekoia-wizard add`: adds an action, trigger, connector or module configuration fields to a module.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::{Args, ValueEnum};

use crate::core::failure::Failure;
use crate::core::generate;
use crate::core::model::{Answers, ComponentKind, ComponentSpec, FieldSpec};
use crate::core::workspace;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AddWhat {
    Action,
    Trigger,
    Connector,
    /// Module configuration fields (api_key, base_url…)
    Config,
    /// One action per operation of an OpenAPI 3 / Swagger 2 spec (GenericAPIAction classes)
    Openapi,
}

#[derive(Debug, Args)]
#[command(
    after_help = "FIELD is NAME:TYPE[,required][,secret][,default=VALUE][,desc=TEXT] (desc= last; it may contain commas).\n\
TYPE: str, int, float, bool, url, datetime, dict, list[str], list[int], enum(a|b|c).\n\
A field without `required` or `default=` is optional (`T | None = None`). List defaults: default=a|b.\n\n\
Examples:\n  sekoia-wizard add action --name Request --arg url:url,required \\\n    \
--arg 'method:enum(get|post|put|patch|delete),required' --arg headers:dict \\\n    \
--result status_code:int,required --result headers:dict,required --result text:str,required --dep requests\n  \
sekoia-wizard add config --arg 'api_key:str,required,secret,desc=API Key'\n  \
sekoia-wizard add connector --name TesthttpConnector --arg 'polling_interval:int,default=5,desc=Polling interval in minutes'\n  \
sekoia-wizard add openapi petstore.yaml --tag pet --auth apiKey --auth-header X-API-Key\n  \
sekoia-wizard add --answers components.toml"
)]
pub struct AddArgs {
    /// What to add (omit with --answers)
    #[arg(value_enum, required_unless_present = "answers")]
    pub what: Option<AddWhat>,
    /// With `openapi`: the spec, a file path or an http(s) URL (JSON or YAML)
    #[arg(value_name = "SPEC")]
    pub spec: Option<String>,
    /// The module directory
    #[arg(long, default_value = ".")]
    pub module: PathBuf,
    /// Component name: a class name (Request) or words (\"Get alert\")
    #[arg(long)]
    pub name: Option<String>,
    /// What the component does (shown in Sekoia.io)
    #[arg(long)]
    pub description: Option<String>,
    /// The name main.py registers the component under (the platform and playbooks use it);
    /// default: the class name
    #[arg(long, value_name = "NAME")]
    pub docker_parameters: Option<String>,
    /// The Python class, when not the one derived from --name (e.g. --name "Request URL"
    /// --class Request); files and models follow it
    #[arg(long = "class", value_name = "CLASS")]
    pub class: Option<String>,
    /// Action argument, trigger/connector configuration field, or module configuration field
    #[arg(long = "arg", value_name = "FIELD")]
    pub args: Vec<String>,
    /// Field of the results model (actions and triggers)
    #[arg(long = "result", value_name = "FIELD")]
    pub results: Vec<String>,
    /// PyPI requirement added to pyproject.toml (e.g. requests or requests>=2.31)
    #[arg(long = "dep", value_name = "REQUIREMENT")]
    pub deps: Vec<String>,
    /// A TOML answers file with configuration fields, components and dependencies
    #[arg(long, value_name = "FILE")]
    pub answers: Option<PathBuf>,
    /// Print what would change (with diffs) and write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Do not run `poetry lock` / `uv lock` after adding dependencies
    #[arg(long)]
    pub no_lock: bool,
    #[command(flatten, next_help_heading = "OpenAPI (add openapi SPEC)")]
    pub openapi: super::openapi::OpenApiFlags,
}

/// Parses FIELD specs with the shared validator, so every error carries its hint.
fn parse_fields(specs: &[String], flag: &str) -> Result<Vec<FieldSpec>> {
    specs
        .iter()
        .map(|s| {
            s.parse::<FieldSpec>().map_err(|f| {
                Failure {
                    message: format!("{flag} '{s}': {}", f.message),
                    hint: f.hint,
                }
                .into()
            })
        })
        .collect()
}

fn answers_from(args: &AddArgs) -> Result<Answers> {
    let fields = parse_fields(&args.args, "--arg")?;
    let results = parse_fields(&args.results, "--result")?;
    let mut answers = match &args.answers {
        Some(path) => Answers::load(path)?,
        None => Answers::default(),
    };
    answers.module = None;
    answers.dependencies.extend(args.deps.iter().cloned());
    match args.what {
        Some(AddWhat::Config) => {
            if args.name.is_some() || !args.results.is_empty() {
                return Err(Failure::with_hint(
                    "`add config` takes only --arg fields",
                    "drop --name / --result",
                )
                .into());
            }
            if args.args.is_empty() && args.answers.is_none() {
                return Err(Failure::with_hint(
                    "no configuration field given",
                    "add --arg 'api_key:str,required,secret'",
                )
                .into());
            }
            answers.configuration.extend(fields);
        }
        Some(AddWhat::Openapi) => unreachable!("`add openapi` does not build answers"),
        Some(kind) => {
            let kind = match kind {
                AddWhat::Action => ComponentKind::Action,
                AddWhat::Trigger => ComponentKind::Trigger,
                _ => ComponentKind::Connector,
            };
            let name = args.name.clone().ok_or_else(|| {
                Failure::with_hint(
                    format!("the {kind} needs a name"),
                    "pass --name, e.g. --name Request",
                )
            })?;
            let mut spec = ComponentSpec::new(kind, name);
            spec.description = args.description.clone().unwrap_or_default();
            spec.docker_parameters = args.docker_parameters.clone();
            spec.class = args.class.clone();
            spec.arguments = fields;
            spec.results = results;
            answers.components.push(spec);
        }
        None => {}
    }
    answers.validate()?;
    Ok(answers)
}

/// Refuses the flags that belong to the other form (`add openapi SPEC` vs the rest).
fn check_form(args: &AddArgs) -> Result<()> {
    let openapi = args.what == Some(AddWhat::Openapi);
    if openapi && args.spec.is_none() {
        return Err(Failure::with_hint(
            "`add openapi` needs a spec",
            "sekoia-wizard add openapi petstore.yaml (a file path or an http(s) URL)",
        )
        .into());
    }
    if !openapi && (args.spec.is_some() || args.openapi.any()) {
        return Err(Failure::with_hint(
            "a SPEC and the OpenAPI flags go with `add openapi`",
            "sekoia-wizard add openapi SPEC [--operation ID] [--tag TAG] ...",
        )
        .into());
    }
    let others = args.name.is_some()
        || args.description.is_some()
        || args.docker_parameters.is_some()
        || args.class.is_some()
        || !args.args.is_empty()
        || !args.results.is_empty()
        || !args.deps.is_empty()
        || args.answers.is_some();
    if openapi && others {
        return Err(Failure::with_hint(
            "`add openapi` names its actions from the spec",
            "drop --name / --arg / --result / --dep / --answers / --docker-parameters / --class (choose operations with --operation or --tag)",
        )
        .into());
    }
    Ok(())
}

pub fn run(args: AddArgs) -> Result<ExitCode> {
    check_form(&args)?;
    let spec = match (&args.what, &args.spec) {
        (Some(AddWhat::Openapi), Some(source)) => Some(super::openapi::load(source)?),
        _ => None,
    };
    let answers = match spec {
        Some(_) => Answers::default(),
        None => answers_from(&args)?,
    };
    // An answers file's `[openapi]` adds the spec's actions with its other additions.
    let saved = answers.openapi.as_ref().map(|o| o.load()).transpose()?;
    // Run from anywhere inside the module (its tests/, its package).
    let module = crate::core::sync::on_disk::find_module_root(&args.module)
        .unwrap_or_else(|| args.module.clone());
    // Read, plan and write under the module's lock: a concurrent `add` must not lose this one's
    // registration or dependency.
    let _lock = (!args.dry_run)
        .then(|| super::module_lock::lock(&module))
        .transpose()?;
    let generated = match (&spec, &saved) {
        (Some(spec), _) => {
            crate::core::openapi::add_to_module(&module, spec, &args.openapi.options())?
        }
        (None, Some((spec, options))) => {
            crate::core::openapi::add_with_answers(&module, &answers, spec, options)?
        }
        (None, None) => generate::add_to_module(&module, &answers)?,
    };
    let plan = generated.plan;
    for note in &generated.notes {
        eprintln!("note: {note}");
    }
    if args.dry_run {
        print!("{}", plan.tree());
        for file in plan.changes() {
            print!(
                "{}",
                if file.before.is_some() {
                    file.diff()
                } else {
                    String::new()
                }
            );
        }
        eprintln!("dry run: nothing was written");
        return Ok(ExitCode::SUCCESS);
    }
    workspace::apply(&plan)?;
    println!("Updated {}", plan.root.display());
    for file in plan.changes() {
        println!("  {} {}", file.change().mark(), file.path);
    }
    if !args.no_lock && plan.changes().any(|f| f.path == "pyproject.toml") {
        super::new::run_lock_step(&plan.root, crate::core::lock::packaging_of(&plan.root));
    }
    Ok(ExitCode::SUCCESS)
}
