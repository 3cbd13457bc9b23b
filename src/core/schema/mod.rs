//! JSON Schema generation for the module's pydantic models, without Python: [`v2`] reproduces
//! pydantic 2's `model_json_schema()` (SDK 1.27.0), [`v1`] pydantic v1's `.schema()` (the
//! `from pydantic.v1 import ...` models of the SDK guide, as SDK 1.22.5 wrote them).
//!
//! Both take a [`model::Registry`] of already-resolved models and enums (see `core::sync::resolve`)
//! and are pure functions of it.

pub mod model;
pub mod v1;
pub mod v2;

pub use model::{DefaultValue, EnumDef, FieldDef, FieldInfo, Flavor, ModelDef, Prim, Registry, Ty};

/// The JSON Schema of model `id` in its own flavor.
pub fn schema_of(reg: &Registry, id: usize) -> serde_json::Value {
    match reg.models[id].flavor {
        Flavor::V2 => v2::model_json_schema(reg, id),
        Flavor::V1 => v1::model_schema(reg, id),
    }
}

/// pydantic's default field title: `name.title().replace("_", " ")` (Python's `str.title`).
pub fn title_from_name(name: &str) -> String {
    crate::core::naming::py_title(name).replace('_', " ")
}
