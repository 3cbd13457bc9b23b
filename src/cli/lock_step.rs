//! Runs the lock step the core plans (`core::lock::plan`): the first way to run Poetry / uv that
//! starts, with its output visible; with none, in a terminal, an offer to install Poetry into a
//! private virtual environment; otherwise, exactly what to run. Never fatal: the module is
//! written either way.

use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;

use crate::core::lock::{self, LockEnd, PoetryInstall};
use crate::core::model::Packaging;

pub fn run(module_dir: &Path, packaging: Packaging) {
    let plan = lock::plan(module_dir, packaging);
    if packaging == Packaging::Uv {
        eprintln!("note: {}", lock::UV_NOT_FOR_LIBRARY);
    }
    // Only when nothing can run Poetry, and only a person at a terminal is offered the install.
    let install = plan.candidates.is_empty()
        && plan
            .install
            .as_ref()
            .is_some_and(|install| interactive() && ask_install(install));
    let hint = plan.manual_hint();
    match lock::run(plan, install, true, &mut |line| eprintln!("{line}")) {
        LockEnd::Locked(_) => {}
        LockEnd::Failed(why) => {
            eprintln!("warning: {why}");
            if install {
                eprintln!("note: {hint}");
            }
        }
        LockEnd::NotRun(hint) => eprintln!("note: {hint}"),
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
