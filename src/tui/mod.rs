//! The full-screen wizard (ratatui + crossterm). It edits the core answer model and shows it; the
//! core plans and writes the files. `app` holds the state and its update (no terminal), `screens`
//! one file per screen, each declaring its keys, `view` the frame, `terminal` the real terminal.

pub mod app;
pub mod effects;
pub mod keys;
pub mod openapi;
pub mod paths;
pub mod push;
pub mod screens;
pub mod task;
pub mod terminal;
pub mod text;
pub mod theme;
pub mod view;

// The wizard's UI-free layer, under the names the TUI has always used.
pub use crate::wizard::{existing, flow_for, validation};

use std::process::ExitCode;

use crate::core::model::Answers;
use app::{App, Exit, Flow};

/// Runs the full-screen wizard on `flow` until it closes, then says what was written.
pub fn run(flow: Flow, answers: Option<Answers>) -> anyhow::Result<ExitCode> {
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
        // The wizard ran the lock step after writing; say what to run if it could not.
        let lock_file = crate::core::lock::lock_file_of(&w.root);
        if w.files.iter().any(|f| f == "pyproject.toml") && !w.root.join(lock_file).is_file() {
            let packaging = crate::core::lock::packaging_of(&w.root);
            say(&format!(
                "note: {}",
                crate::core::lock::manual_hint(&w.root, packaging)
            ));
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
