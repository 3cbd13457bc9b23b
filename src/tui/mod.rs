//! The full-screen wizard (ratatui + crossterm). It edits the core answer model and shows it; the
//! core plans and writes the files. `app` holds the state and its update (no terminal), `screens`
//! one file per screen, each declaring its keys, `view` the frame, `terminal` the real terminal.

pub mod app;
pub mod effects;
pub mod existing;
pub mod keys;
pub mod openapi;
pub mod paths;
pub mod push;
pub mod screens;
pub mod task;
pub mod terminal;
pub mod text;
pub mod theme;
pub mod validation;
pub mod view;

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::core::failure::Failure;
use crate::core::model::Answers;
use app::{App, Exit, Flow};

/// How the wizard was started.
#[derive(Debug, Clone, Default)]
pub struct Launch {
    pub plain: bool,
    /// `--module DIR`: the existing module to add to (default: the current directory if it has one).
    pub module: Option<PathBuf>,
    /// `--answers FILE`: answers to start from.
    pub answers: Option<PathBuf>,
}

/// Where the wizard works: an existing module (a `manifest.json` in `--module` or the current
/// directory), or a new module created in the current directory.
pub fn flow_for(module: Option<&Path>, cwd: &Path) -> Result<Flow, Failure> {
    let start = module
        .map(Path::to_path_buf)
        .unwrap_or_else(|| cwd.to_path_buf());
    // Started anywhere inside a module (`tests/`, the package): work on that module.
    let dir = crate::core::sync::on_disk::find_module_root(&start).unwrap_or(start);
    if dir.join("manifest.json").is_file() {
        let summary = existing::read_module_summary(&dir);
        return Ok(Flow::Existing { dir, summary });
    }
    if module.is_some() {
        return Err(Failure::with_hint(
            format!("{} has no manifest.json", dir.display()),
            "give the directory of an existing module, or leave out --module to create one",
        ));
    }
    Ok(Flow::New {
        output_dir: cwd.to_path_buf(),
    })
}

/// Why the wizard cannot prompt here, if it cannot: not a terminal, or `CI` set.
pub fn not_interactive_reason() -> Option<&'static str> {
    if std::env::var_os("CI").is_some_and(|v| !v.is_empty()) {
        Some("CI is set")
    } else if !std::io::stdin().is_terminal() {
        Some("stdin is not a terminal")
    } else if !std::io::stdout().is_terminal() {
        Some("stdout is not a terminal")
    } else {
        None
    }
}

/// The non-interactive commands that do what the wizard would.
/// The commands that do what the wizard would, for a terminal-less run. On an existing module they
/// name it with `--module` (the wizard may have been started from a subfolder, or elsewhere).
pub fn equivalent_commands(answers: Option<&Path>, existing: Option<&Path>) -> String {
    match (answers, existing) {
        (Some(file), None) => format!("  sekoia-wizard new --answers {}", file.display()),
        (Some(file), Some(dir)) => format!(
            "  sekoia-wizard add --module {} --answers {}",
            dir.display(),
            file.display()
        ),
        (None, None) => {
            "  sekoia-wizard new --name TestHTTP --description \"My test HTTP module\"\n  \
             sekoia-wizard add action --module TestHTTP --name Request --arg url:url,required\n  \
             (or describe everything in an answers file: sekoia-wizard new --answers answers.toml)"
                .to_string()
        }
        (None, Some(dir)) => format!(
            "  sekoia-wizard add action --module {0} --name Request --arg url:url,required\n  \
             sekoia-wizard add config --module {0} --arg 'api_key:str,required,secret'\n  \
             sekoia-wizard sync {0}",
            dir.display()
        ),
    }
}

/// `sekoia-wizard` without a command.
pub fn launch(options: Launch) -> anyhow::Result<ExitCode> {
    let cwd = std::env::current_dir()?;
    let flow = flow_for(options.module.as_deref(), &cwd)?;
    let answers = options.answers.as_deref().map(Answers::load).transpose()?;
    if let Some(reason) = not_interactive_reason() {
        eprintln!("error: the wizard needs a terminal ({reason}), so it did not start");
        eprintln!("hint: run the equivalent commands instead:");
        eprintln!(
            "{}",
            equivalent_commands(
                options.answers.as_deref(),
                match &flow {
                    Flow::Existing { dir, .. } => Some(dir.as_path()),
                    _ => None,
                }
            )
        );
        return Ok(ExitCode::from(2));
    }
    if options.plain {
        return crate::plain::run(flow, answers);
    }
    let mut app = terminal::run(App::new(flow, answers))?;
    Ok(farewell(&mut app))
}

/// One line on the normal screen after the wizard closes, and the exit code.
fn farewell(app: &mut App) -> ExitCode {
    // A lock step still running is let finish: killed half-way it would leave no lock file.
    if let Some(task) = app.lock_task.as_mut().filter(|t| t.running()) {
        say(&format!("Waiting for {} to be made…", task.title));
        task.wait();
    }
    let written = app.all_written();
    if app.exit == Some(Exit::HungUp) {
        // Nobody is there to read or answer: no lock step (it may ask), only the shell's status
        // for a hang-up. What was written stays written.
        return ExitCode::from(129);
    }
    for w in &written {
        say(&format!(
            "Wrote {} files in {}.",
            w.files.len(),
            w.root.display()
        ));
        // The same lock step as `new` and `add`, now that the terminal is back to normal.
        if w.files.iter().any(|f| f == "pyproject.toml") {
            crate::cli::new::run_lock_step(&w.root, crate::core::lock::packaging_of(&w.root));
        }
    }
    // Ctrl-C is an interruption whether or not something was written before it (shells and
    // scripts tell a finished run from a stopped one by 130).
    if app.exit == Some(Exit::Interrupted) {
        say(if written.is_empty() {
            "Interrupted: nothing was written."
        } else {
            "Interrupted."
        });
        return ExitCode::from(130);
    }
    if written.is_empty() {
        say("Nothing was written.");
    }
    ExitCode::SUCCESS
}

/// A line on stderr that cannot panic: `eprintln!` panics when the terminal has gone away, which
/// would turn a closed window into exit status 101.
pub fn say(line: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "{line}");
}
