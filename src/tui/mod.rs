//! The full-screen wizard (ratatui + crossterm). It edits the core answer model and shows it; the
//! core plans and writes the files. `app` holds the state and its update (no terminal), `screens`
//! one file per screen, each declaring its keys, `view` the frame, `terminal` the real terminal.

pub mod app;
pub mod effects;
pub mod keys;
pub mod paths;
pub mod push;
pub mod screens;
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
    let app = terminal::run(App::new(flow, answers))?;
    Ok(farewell(&app))
}

/// One line on the normal screen after the wizard closes, and the exit code.
fn farewell(app: &App) -> ExitCode {
    let written = app.all_written();
    for w in &written {
        eprintln!("Wrote {} files in {}.", w.files.len(), w.root.display());
        // The same lock step as `new` and `add`, now that the terminal is back to normal.
        if w.files.iter().any(|f| f == "pyproject.toml") {
            crate::cli::new::run_lock_step(&w.root, crate::core::lock::packaging_of(&w.root));
        }
    }
    // Ctrl-C is an interruption whether or not something was written before it (shells and
    // scripts tell a finished run from a stopped one by 130).
    if app.exit == Some(Exit::Interrupted) {
        if written.is_empty() {
            eprintln!("Interrupted: nothing was written.");
        } else {
            eprintln!("Interrupted.");
        }
        return ExitCode::from(130);
    }
    if written.is_empty() {
        eprintln!("Nothing was written.");
    }
    ExitCode::SUCCESS
}
