//! One file per screen. Each declares its keys (`bindings`), handles the actions they trigger
//! (`act`) and draws itself (`render`).

pub mod component_editor;
pub mod components;
pub mod dependencies;
pub mod field_editor;
pub mod fields;
pub mod finish;
pub mod form;
pub mod home;
pub mod module;
pub mod overlays;
pub mod review;
