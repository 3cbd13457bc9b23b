//! The `environment` step: the module's own virtual environment, made as the library's CI makes
//! it (`poetry install` with `virtualenvs.in-project`, or `uv sync` for a uv module), plus black and
//! mypy in it (the CI runs `poetry run pip install mypy`, and black beside it).
//!
//! Which Python the tool steps use, in order: `--python`; the `.venv` this step made; without
//! Poetry / uv, `SEKOIA_WIZARD_PYTHON`; otherwise the tool steps are skipped, saying why.

use std::path::Path;
use std::process::Command;

use super::tools::exec;
use super::{summary, venv_python, Options, Outcome, Python, Step, StepResult};
use crate::core::lock;
use crate::core::model::Packaging;

pub const NO_PYTHON: &str = "no Python environment: install Poetry (uv for a uv module), or pass \
     --python PATH / set SEKOIA_WIZARD_PYTHON";

/// Runs the step. Besides its result: the Python it provides (`Ok(None)` when `--python` was
/// given), or why the tool steps cannot run.
pub fn environment(
    dir: &Path,
    given: Option<&Python>,
    options: &Options,
) -> (StepResult, Result<Option<Python>, String>) {
    if let Some(py) = given {
        let why = format!("using {} (--python)", py.path.display());
        return (StepResult::skipped(Step::Environment, why), Ok(None));
    }
    let packaging = lock::packaging_of(dir);
    let (tool, runners, install): (_, _, &[&str]) = match packaging {
        Packaging::Poetry => ("poetry", lock::poetry_runners(), &["install"]),
        Packaging::Uv => ("uv", lock::uv_runners(), &["sync"]),
    };
    let Some(runner) = runners.into_iter().next() else {
        if let Some(path) = &options.fallback_python {
            let why = format!("no {tool}: using {} (SEKOIA_WIZARD_PYTHON)", path.display());
            let py = Python {
                path: path.clone(),
                from: "SEKOIA_WIZARD_PYTHON".into(),
            };
            return (StepResult::skipped(Step::Environment, why), Ok(Some(py)));
        }
        let why =
            format!("no {tool} (nor uvx / pipx to run it): install it, or pass --python PATH");
        let tools_why = format!("no Python environment (no {tool}; pass --python PATH)");
        return (StepResult::skipped(Step::Environment, why), Err(tools_why));
    };

    let mut result = StepResult::new(Step::Environment);
    let mut cmd = runner.command(dir, install);
    // In the module's own .venv, like the library's CI; an activated venv must not take its place.
    cmd.env("POETRY_VIRTUALENVS_IN_PROJECT", "true")
        .env_remove("VIRTUAL_ENV");
    if !exec(&mut result, runner.display(install), &mut cmd) {
        return failed(result, format!("the environment step failed ({tool})"));
    }
    let py = venv_python(&dir.join(".venv"));
    if !py.is_file() {
        result.output.push_str(&format!(
            "{} did not create {}\n",
            runner.display(install),
            py.display()
        ));
        return failed(result, "the environment step made no .venv".into());
    }
    let has_tools = Command::new(&py)
        .args(["-c", "import black, mypy"])
        .current_dir(dir)
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_tools {
        let py_text = py.to_string_lossy().into_owned();
        let (line, mut cmd) = match packaging {
            Packaging::Poetry => {
                let mut cmd = Command::new(&py);
                cmd.args(["-m", "pip", "install", "black", "mypy"])
                    .current_dir(dir);
                (format!("{py_text} -m pip install black mypy"), cmd)
            }
            // uv's venvs have no pip.
            Packaging::Uv => {
                let args = ["pip", "install", "--python", &py_text, "black", "mypy"];
                (runner.display(&args), runner.command(dir, &args))
            }
        };
        if !exec(&mut result, line, &mut cmd) {
            return failed(
                result,
                "the environment step failed (installing black, mypy)".into(),
            );
        }
    }
    let from = format!(".venv ({})", runner.display(install));
    result
        .details
        .push(format!("{} made .venv", runner.display(install)));
    (result, Ok(Some(Python { path: py, from })))
}

fn failed(mut result: StepResult, why: String) -> (StepResult, Result<Option<Python>, String>) {
    result.outcome = Outcome::Failed;
    result.details = summary::failure_lines(Step::Environment, &result.output);
    (result, Err(why))
}

/// The Python for the tool steps when the environment step is not run: the module's `.venv`
/// from an earlier run, else `SEKOIA_WIZARD_PYTHON`.
pub fn existing(dir: &Path, options: &Options) -> Option<Python> {
    let venv = venv_python(&dir.join(".venv"));
    if venv.is_file() {
        return Some(Python {
            path: venv,
            from: ".venv".into(),
        });
    }
    options.fallback_python.clone().map(|path| Python {
        path,
        from: "SEKOIA_WIZARD_PYTHON".into(),
    })
}
