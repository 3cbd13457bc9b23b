//! `sekoia-wizard sync` (not built yet).

use std::process::ExitCode;

use clap::Args;

#[derive(Debug, Args)]
pub struct SyncArgs {}

pub fn run(_args: SyncArgs) -> anyhow::Result<ExitCode> {
    crate::core::failure::fail(
        "`sync` is not available yet",
        "see the README for the commands that work",
    )
}
