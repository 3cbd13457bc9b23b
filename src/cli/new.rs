//! `sekoia-wizard new` (in progress).

use std::process::ExitCode;

use clap::Args;

#[derive(Debug, Args)]
pub struct NewArgs {}

pub fn run(_args: NewArgs) -> anyhow::Result<ExitCode> {
    crate::core::failure::fail("`new` is not available yet", "see the README")
}
