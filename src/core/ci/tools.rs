//! The steps that run Python tools in the module directory: black, mypy and pytest, with the
//! library CI's arguments.

use std::path::Path;
use std::process::Command;

use super::{summary, Outcome, Python, Step, StepResult};

/// mypy as `build-modules.yml` runs it.
pub const MYPY_ARGS: &[&str] = &[
    "--install-types",
    "--non-interactive",
    "--ignore-missing-imports",
    "--show-column-numbers",
    "--hide-error-context",
    ".",
];

/// The tool's arguments after `python -m`.
pub fn args(step: Step, fix: bool) -> Vec<&'static str> {
    let mut args = match step {
        // With --fix black rewrites the files; it still fails on code it cannot parse.
        Step::Black if fix => vec!["black", "."],
        Step::Black => vec!["black", "--check", "."],
        Step::Mypy => [&["mypy"][..], MYPY_ARGS].concat(),
        Step::Pytest => vec!["pytest", "--cov", ".", "--cov-config", "pyproject.toml"],
        _ => unreachable!("not a tool step"),
    };
    args.insert(0, "-m");
    args
}

pub fn run(step: Step, dir: &Path, python: &Python, fix: bool) -> StepResult {
    let mut result = StepResult::new(step);
    let args = args(step, fix);
    let mut cmd = Command::new(&python.path);
    cmd.args(&args).current_dir(dir);
    let line = format!("{} {}", python.path.display(), args.join(" "));
    if exec(&mut result, line, &mut cmd) {
        if step == Step::Black && fix {
            result.details = summary::reformatted(&result.output);
        }
        return result;
    }
    result.outcome = Outcome::Failed;
    result.details = summary::failure_lines(step, &result.output);
    let tool = args[1];
    if result.output.contains(&format!("No module named {tool}")) {
        result.details.insert(
            0,
            format!(
                "{tool} is not installed in {} ({}): run `{} -m pip install {tool}`",
                python.path.display(),
                python.from,
                python.path.display()
            ),
        );
    }
    result
}

/// Runs `cmd`, recording its command line and output in `result`. True when it succeeded.
pub fn exec(result: &mut StepResult, line: String, cmd: &mut Command) -> bool {
    result.output.push_str(&format!("$ {line}\n"));
    result.commands.push(line);
    match cmd.output() {
        Ok(out) => {
            result
                .output
                .push_str(&String::from_utf8_lossy(&out.stdout));
            result
                .output
                .push_str(&String::from_utf8_lossy(&out.stderr));
            out.status.success()
        }
        Err(err) => {
            let program = cmd.get_program().to_string_lossy().into_owned();
            result
                .output
                .push_str(&format!("could not run {program}: {err}\n"));
            false
        }
    }
}
