//! sekoia-wizard: create and grow Sekoia.io automation modules.
//!
//! `core` knows nothing of terminals: it holds the module model, naming, validation, JSON Schema
//! generation, Python reading, rendering into a plan of files and the workspace that applies plans.
//! `cli` (flags and answers files), `tui` (ratatui) and `plain` (dialoguer) are front ends that only
//! edit the model and show it.

pub mod cli;
pub mod core;
pub mod plain;
pub mod tui;
