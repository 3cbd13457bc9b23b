//! `sekoia-wizard new`: creates a module directory from flags or an answers file.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Result;
use clap::Args;

use crate::core::failure::Failure;
use crate::core::generate::into_dir::{new_module_into, IntoExisting};
use crate::core::generate::{self, Generated};
use crate::core::model::{Answers, Category, Packaging};
use crate::core::openapi::{self, Spec};
use crate::core::plan::Plan;
use crate::core::workspace;

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  sekoia-wizard new --name TestHTTP --description \"My test HTTP module\" --category Network\n  \
    sekoia-wizard new modules --name \"Acme Cloud\" --packaging uv --dry-run\n  \
    sekoia-wizard new --answers testhttp.toml\n  \
    sekoia-wizard new --from-openapi petstore.yaml --tag pet"
)]
pub struct NewArgs {
    /// Directory in which the module directory is created
    #[arg(default_value = ".")]
    pub output_dir: PathBuf,
    /// Module name, as shown in Sekoia.io (e.g. TestHTTP)
    #[arg(long, required_unless_present_any = ["answers", "from_openapi"])]
    pub name: Option<String>,
    /// One-line description of the module
    #[arg(long)]
    pub description: Option<String>,
    /// Platform category (repeatable): Applicative, Cloud Providers, Collaboration Tools, Email,
    /// Endpoint, Generic, IAM, Network, Threat Intelligence
    #[arg(long = "category", value_name = "CAT")]
    pub categories: Vec<String>,
    /// Dependency manager of the module
    #[arg(long, value_parser = packaging_parser())]
    pub packaging: Option<Packaging>,
    /// Module uuid (random by default)
    #[arg(long)]
    pub uuid: Option<uuid::Uuid>,
    /// A TOML answers file describing the module (and its components); flags override its values
    #[arg(long, value_name = "FILE")]
    pub answers: Option<PathBuf>,
    /// Write into an existing, non-empty directory: only the files it lacks are written; the
    /// files it has (manifest.json, CHANGELOG.md, models.py…) and an existing module uuid are kept
    #[arg(long)]
    pub force: bool,
    /// With --force, also replace the existing files this command generates
    #[arg(long, requires = "force")]
    pub overwrite: bool,
    /// Print the files that would be written, and write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Do not run `poetry lock` / `uv lock` afterwards
    #[arg(long)]
    pub no_lock: bool,
    /// Create the module from an OpenAPI 3 / Swagger 2 spec (a file path or an http(s) URL): one
    /// action per operation; the name and description default to the spec's title and description
    #[arg(long, value_name = "SPEC")]
    pub from_openapi: Option<String>,
    #[command(flatten, next_help_heading = "OpenAPI (with --from-openapi)")]
    pub openapi: super::openapi::OpenApiFlags,
}

/// Merges the answers file (if any) with the flags, flags winning.
fn answers_from(args: &NewArgs) -> Result<Answers> {
    let mut answers = match &args.answers {
        Some(path) => Answers::load(path)?,
        None => Answers::default(),
    };
    let mut spec = answers.module.take().unwrap_or_default();
    if let Some(name) = &args.name {
        spec.name = name.clone();
    }
    if let Some(d) = &args.description {
        spec.description = d.clone();
    }
    if !args.categories.is_empty() {
        spec.categories = args
            .categories
            .iter()
            .map(|c| c.parse::<Category>())
            .collect::<Result<_, _>>()?;
    }
    if let Some(p) = args.packaging {
        spec.packaging = p;
    }
    if let Some(u) = args.uuid {
        spec.uuid = Some(u);
    }
    if spec.name.is_empty() && args.from_openapi.is_none() && answers.openapi.is_none() {
        return Err(Failure::with_hint(
            "no module name",
            "pass --name NAME or set name in the answers file's [module]",
        )
        .into());
    }
    answers.module = Some(spec);
    Ok(answers)
}

/// The plan: from the answers, with the spec's actions when there is one (`--from-openapi` or the
/// answers' `[openapi]`).
fn generate(
    args: &NewArgs,
    answers: &mut Answers,
    openapi: Option<&(Spec, openapi::Options)>,
) -> Result<Generated> {
    let Some((spec, options)) = openapi else {
        return generate::new_module(answers, &args.output_dir);
    };
    let generated = openapi::new_module_with_answers(answers, spec, options, &args.output_dir)?;
    // The name now comes from the spec when none was given: later steps read it from the answers.
    if let Some(m) = answers.module.as_mut() {
        if m.name.is_empty() {
            m.name = spec.title().unwrap_or_default();
        }
    }
    Ok(generated)
}

/// The spec and options to make actions from: `--from-openapi` and its flags, or the answers
/// file's `[openapi]` (not both).
fn openapi_input(args: &NewArgs, answers: &Answers) -> Result<Option<(Spec, openapi::Options)>> {
    match (&args.from_openapi, &answers.openapi) {
        (Some(_), Some(_)) => Err(Failure::with_hint(
            "both --from-openapi and the answers file's [openapi] name a spec",
            "drop one of them",
        )
        .into()),
        (Some(source), None) => Ok(Some((
            super::openapi::load(source)?,
            args.openapi.options(),
        ))),
        (None, Some(saved)) => Ok(Some(saved.load()?)),
        (None, None) => Ok(None),
    }
}

pub fn run(args: NewArgs) -> Result<ExitCode> {
    if args.from_openapi.is_none() && args.openapi.any() {
        return Err(Failure::with_hint(
            "the OpenAPI flags go with --from-openapi SPEC",
            "sekoia-wizard new --from-openapi petstore.yaml --tag pet",
        )
        .into());
    }
    let mut answers = answers_from(&args)?;
    let openapi = openapi_input(&args, &answers)?;
    let how = match (args.force, args.overwrite) {
        (false, _) => None,
        (true, false) => Some(IntoExisting::Keep),
        (true, true) => Some(IntoExisting::Overwrite),
    };
    let (generated, kept) = new_module_into(&mut answers, how, &mut |answers| {
        generate(&args, answers, openapi.as_ref())
    })?;
    for kept in &kept {
        eprintln!("note: kept the existing {kept} (pass --overwrite to replace it)");
    }
    let plan: Plan = generated.plan;
    let spec = answers
        .module
        .as_ref()
        .expect("answers_from sets the module");
    for note in &generated.notes {
        eprintln!("note: {note}");
    }
    if args.dry_run {
        print!("{}", plan.tree());
        eprintln!("dry run: nothing was written");
        return Ok(ExitCode::SUCCESS);
    }
    workspace::apply(&plan)?;
    println!("Created {}", plan.root.display());
    print!("{}", plan.tree());
    if !args.no_lock {
        run_lock_step(&plan.root, spec.packaging);
    }
    println!("\nNext steps:\n  cd {}\n  sekoia-wizard add action --name MyAction --arg 'url:url,required'", plan.root.display());
    Ok(ExitCode::SUCCESS)
}

/// `--packaging`: the core's values, parsed by the core (which knows nothing of clap).
fn packaging_parser() -> impl clap::builder::TypedValueParser<Value = Packaging> {
    use clap::builder::TypedValueParser;
    clap::builder::PossibleValuesParser::new(Packaging::ALL.map(Packaging::as_str))
        .try_map(|s| s.parse::<Packaging>())
}

/// Runs the lock step with its own output visible; a failure is reported, never fatal.
/// Poetry is run directly, through uvx or pipx, or (asked first) installed privately.
pub fn run_lock_step(module_dir: &Path, packaging: Packaging) {
    super::lock_step::run(module_dir, packaging);
}
