//! From an OpenAPI 3 / Swagger 2 spec to `GenericAPIAction` actions, as the SDK's
//! `openapi-to-module` writes them (same classes, manifest keys, names, docker_parameters), with its
//! faults fixed: every local `$ref` resolved (cycles warned about), `allOf` merged, uuid5 from the
//! module uuid and docker_parameters, `json.dumps(indent=2)`, no "None" descriptions, colliding
//! names made unique and reported, and additive on an existing module.
//!
//! Front ends: `Spec::load`, `Spec::operations` (to list and pick), `preview` (the action
//! manifests), then `add_to_module` / `add_with_answers` or `new_module_with_answers` for a plan to
//! review and apply.

mod action;
mod auth;
mod load;
mod plan;
mod python;
mod refs;
mod spec;

pub use auth::{Auth, AuthSettings};
pub use load::is_url;
pub use plan::{add_to_module, add_with_answers, new_module_with_answers, preview, ActionPreview};
pub use spec::{Operation, Selection, Spec};

/// What to generate from a spec (the flags of `add openapi` and `new --from-openapi`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    pub selection: Selection,
    /// Prefix action names with the operation's tags (the SDK's `--tags`).
    pub tags_in_names: bool,
    /// Overrides the spec's security schemes.
    pub auth: Option<Auth>,
    /// The header carrying the credentials with `--auth` (default `Authorization`).
    pub auth_header: Option<String>,
    /// Overrides the spec's server.
    pub base_url: Option<String>,
}
