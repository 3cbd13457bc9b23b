//! The UI-free core. Every front end goes through these modules; none of them prints or reads a terminal.

pub mod changelog;
pub mod compliance;
pub mod failure;
pub mod naming;
pub mod plan;
pub mod pyjson;
pub mod release;
pub mod workspace;
