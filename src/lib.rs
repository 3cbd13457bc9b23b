//! sekoia-wizard: create and grow Sekoia.io automation modules.
//!
//! `core` knows nothing of terminals: it holds the module model, naming, validation, JSON Schema
//! generation, Python reading, rendering into a plan of files and the workspace that applies plans.
//! `wizard` is the wizard without a user interface: flow, validation, planning, the Git step's form.
//! `cli` (flags and answers files), `tui` (ratatui) and `plain` (dialoguer) are front ends that only
//! edit the model and show it; `tui` and `plain` build on `wizard` and never import each other.

pub mod cli;
pub mod core;
pub mod plain;
pub mod tui;
pub mod wizard;
