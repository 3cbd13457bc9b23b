//! Runs the lock step the core plans (`core::lock::plan`): the first way to run Poetry / uv that
//! starts, with its output visible; with none, in a terminal, an offer to install Poetry into a
//! private virtual environment; otherwise, exactly what to run. Never fatal: the module is
//! written either way.

use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;

use crate::core::lock::{self, LockPlan, PoetryInstall};
use crate::core::model::Packaging;

pub fn run(module_dir: &Path, packaging: Packaging) {
    let mut plan = lock::plan(module_dir, packaging);
    if packaging == Packaging::Uv {
        eprintln!("note: {}", lock::UV_NOT_FOR_LIBRARY);
    }
    if run_candidates(&plan) {
        return;
    }
    if let Some(install) = plan.install.take().filter(|_| interactive()) {
        if ask_install(&install) {
            let (dir, poetry) = (install.dir.clone(), install.poetry.clone());
            match install_poetry(install) {
                Ok(()) => {
                    if run_one(&plan, &poetry) != Ran::NotStarted {
                        return;
                    }
                }
                Err(step) => eprintln!(
                    "warning: {step} failed (offline, or no package index reachable?); \
                     {} is left for the next try",
                    dir.display()
                ),
            }
        }
    }
    eprintln!("note: {}", plan.manual_hint());
}

#[derive(Debug, PartialEq, Eq)]
enum Ran {
    Succeeded,
    Failed,
    NotStarted,
}

/// Tries each candidate until one starts. Returns whether one ran (successfully or not): a lock
/// that fails would fail the same way under another runner, so it is reported, not retried.
fn run_candidates(plan: &LockPlan) -> bool {
    plan.candidates
        .iter()
        .any(|runner| run_one(plan, runner) != Ran::NotStarted)
}

fn run_one(plan: &LockPlan, runner: &lock::Runner) -> Ran {
    let line = runner.display(plan.args());
    eprintln!("Running `{line}` in {}…", plan.dir.display());
    match runner.command(&plan.dir, plan.args()).status() {
        Ok(status) if status.success() => Ran::Succeeded,
        Ok(status) => {
            eprintln!(
                "warning: `{line}` failed ({status}); the module is written, run `cd {} && {line}` again once fixed",
                plan.dir.display()
            );
            Ran::Failed
        }
        Err(err) => {
            eprintln!("warning: could not run {}: {err}", runner.label);
            Ran::NotStarted
        }
    }
}

/// Only a person at a terminal is asked; CI and pipes get the message instead.
fn interactive() -> bool {
    let ci = std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false" && v != "0");
    !ci && std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
}

fn ask_install(install: &PoetryInstall) -> bool {
    eprint!(
        "Poetry is not installed (nor uv or pipx). Install it into {} (a private virtual \
         environment, only for sekoia-wizard) and lock now? [Y/n] ",
        install.dir.display()
    );
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    if std::io::stdin().lock().read_line(&mut answer).is_err() {
        return false;
    }
    matches!(
        answer.trim().to_ascii_lowercase().as_str(),
        "" | "y" | "yes"
    )
}

/// Runs the install steps with their output visible. On failure, the step that failed.
fn install_poetry(install: PoetryInstall) -> Result<(), String> {
    let total = install.steps.len();
    for (i, (what, mut command)) in install.steps.into_iter().enumerate() {
        eprintln!("[{}/{total}] {what}…", i + 1);
        match command.status() {
            Ok(status) if status.success() => {}
            _ => return Err(what),
        }
    }
    eprintln!("Poetry is installed in {}", install.dir.display());
    Ok(())
}
