//! `sekoia-wizard check` (not built yet).

use std::process::ExitCode;

use clap::Args;

#[derive(Debug, Args)]
pub struct CheckArgs {}

pub fn run(_args: CheckArgs) -> anyhow::Result<ExitCode> {
    crate::core::failure::fail(
        "`check` is not available yet",
        "see the README for the commands that work",
    )
}
