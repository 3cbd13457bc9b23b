//! Every integration test in one binary: one link of the crate instead of one per file.
//! Run one file's tests with `cargo test --test suite FILE::`.

mod check_support;
mod common;
mod push_support;
mod tui_support;

mod add_component;
mod check_changes;
mod check_cli;
mod check_python_names;
mod check_regex;
mod check_rules;
mod core_boundary;
mod fuzz_readers;
mod interrupted;
mod library_ci;
mod lock_step;
mod module_test_cmd;
mod naming_title;
mod new_module;
mod openapi_generate;
mod openapi_wizard;
mod plain_mode;
mod push_forge;
mod push_http;
mod push_local;
mod real_modules;
mod release;
mod release_tag;
mod run_component;
mod run_triggers;
mod sync_cli;
mod sync_corpus;
mod sync_differential;
mod sync_discovery;
mod sync_fuzz;
mod sync_real_hardening;
mod sync_real_sdk;
mod sync_real_warnings;
mod terminal_hangup;
mod tui_behaviour;
mod tui_cli;
mod tui_e2e;
mod tui_passphrase;
mod tui_snapshots;
