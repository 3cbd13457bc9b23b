//! The answer model: what a person says about a module and its components. Flags, answers files,
//! the TUI and the plain prompts all fill these types and share their validators; rendering and
//! writing happen elsewhere (`core::generate`), so this model never imports a front end.

pub mod answers;
pub mod component;
pub mod field;
pub mod module;
pub mod openapi;

pub use answers::Answers;
pub use component::{ComponentKind, ComponentSpec};
pub use field::{FieldSpec, FieldType};
pub use module::{Category, ModuleSpec, Packaging};
pub use openapi::OpenApiAnswers;
