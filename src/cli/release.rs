//! `sekoia-wizard release` (not built yet).

use std::process::ExitCode;

use clap::Args;

#[derive(Debug, Args)]
pub struct ReleaseArgs {}

pub fn run(_args: ReleaseArgs) -> anyhow::Result<ExitCode> {
    crate::core::failure::fail(
        "`release` is not available yet",
        "see the README for the commands that work",
    )
}
