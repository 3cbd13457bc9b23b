//! The UI-free core. Every front end goes through these modules; none of them prints or reads a terminal.

pub mod changelog;
pub mod ci;
pub mod compliance;
pub mod deps;
pub mod failure;
pub mod forge;
pub mod generate;
pub mod git;
pub mod lock;
pub mod model;
pub mod naming;
pub mod openapi;
pub mod plan;
pub mod pyjson;
pub mod python;
pub mod release;
pub mod render;
pub mod run;
pub mod schema;
pub mod sync;
pub mod token;
pub mod workspace;
