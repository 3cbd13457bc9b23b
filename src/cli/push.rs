//! `sekoia-wizard push` (not built yet).

use std::process::ExitCode;

use clap::Args;

#[derive(Debug, Args)]
pub struct PushArgs {}

pub fn run(_args: PushArgs) -> anyhow::Result<ExitCode> {
    crate::core::failure::fail(
        "`push` is not available yet",
        "see the README for the commands that work",
    )
}
