//! The command line: clap definitions and dispatch. Each subcommand lives in its own file, turns its
//! flags into the core model, and prints what the core did.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::core::failure::Failure;

pub mod add;
pub mod check;
pub mod lock_step;
mod module_lock;
pub mod new;
pub mod openapi;
pub mod push;
pub mod release;
pub mod run;
pub mod sync;
pub mod test;
pub mod wizard;

#[derive(Debug, Parser)]
#[command(
    name = "sekoia-wizard",
    version,
    about = "Create Sekoia.io automation modules and their actions, triggers and connectors",
    long_about = "Create Sekoia.io automation modules and their actions, triggers and connectors.\n\n\
        Without a command, opens the full-screen wizard in a terminal.",
    after_help = "Examples:\n  sekoia-wizard new --name TestHTTP --description \"My test HTTP module\"\n  \
        sekoia-wizard sync TestHTTP --check"
)]
pub struct Cli {
    /// Ask line-by-line questions instead of the full-screen wizard (screen-reader friendly)
    #[arg(long, global = true)]
    pub plain: bool,
    /// The wizard works on this existing module (default: the current directory, if it has a manifest.json)
    #[arg(long, value_name = "DIR")]
    pub module: Option<std::path::PathBuf>,
    /// Start the wizard from these answers (TOML, as saved from its review screen)
    #[arg(long, value_name = "FILE")]
    pub answers: Option<std::path::PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a new module directory (like `sekoia-automation new-module`, but valid for any name)
    New(new::NewArgs),
    /// Add an action, trigger, connector or configuration fields to a module
    Add(add::AddArgs),
    /// Regenerate main.py, component manifests and the module configuration from the Python code
    Sync(sync::SyncArgs),
    /// Check modules against the automation-library compliance rules
    Check(check::CheckArgs),
    /// Bump the module version and date the changelog's Unreleased entries
    Release(release::ReleaseArgs),
    /// Commit the module and push it to GitHub or GitLab (creating the repository if asked)
    Push(push::PushArgs),
    /// Run the automation-library's CI steps on a module: environment, black, mypy, pytest, check, sync
    Test(test::TestArgs),
    /// Run one action (or trigger / connector) of the module locally, as the platform would
    Run(run::RunArgs),
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Some(Command::New(args)) => new::run(args),
        Some(Command::Add(args)) => add::run(args),
        Some(Command::Sync(args)) => sync::run(args),
        Some(Command::Check(args)) => check::run(args),
        Some(Command::Release(args)) => release::run(args),
        Some(Command::Push(args)) => push::run(args),
        Some(Command::Test(args)) => test::run(args),
        Some(Command::Run(args)) => run::run(args),
        None => wizard::launch(wizard::Launch {
            plain: cli.plain,
            module: cli.module,
            answers: cli.answers,
        }),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            report(&err);
            ExitCode::FAILURE
        }
    }
}

/// Prints an error as one line of cause, then a hint when the error carries one.
pub fn report(err: &anyhow::Error) {
    let hint = err
        .chain()
        .find_map(|e| e.downcast_ref::<Failure>())
        .and_then(|f| f.hint.clone());
    let causes: Vec<String> = err.chain().map(|e| e.to_string()).collect();
    eprintln!("error: {}", causes.join(": "));
    if let Some(hint) = hint {
        eprintln!("hint: {hint}");
    }
}
