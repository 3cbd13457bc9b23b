//! `sekoia-wizard` without a command: finds where the wizard works, refuses politely without a
//! terminal, and opens the full-screen wizard or, with `--plain`, the line-by-line one.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::core::model::Answers;
use crate::wizard::{equivalent_commands, flow_for, not_interactive_reason, Flow};

/// How the wizard was started.
#[derive(Debug, Clone, Default)]
pub struct Launch {
    pub plain: bool,
    /// `--module DIR`: the existing module to add to (default: the current directory if it has one).
    pub module: Option<PathBuf>,
    /// `--answers FILE`: answers to start from.
    pub answers: Option<PathBuf>,
}

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
        crate::plain::run(flow, answers)
    } else {
        crate::tui::run(flow, answers)
    }
}
