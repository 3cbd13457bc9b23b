//! Errors meant for people: a one-line cause and, where we know one, a hint on how to fix it.

use std::fmt;

/// An error the user can act on. Front ends print `error: <message>` then `hint: <hint>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub message: String,
    pub hint: Option<String>,
}

impl Failure {
    pub fn new(message: impl Into<String>) -> Self {
        Failure {
            message: message.into(),
            hint: None,
        }
    }

    pub fn with_hint(message: impl Into<String>, hint: impl Into<String>) -> Self {
        Failure {
            message: message.into(),
            hint: Some(hint.into()),
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Failure {}

/// Shorthand for `Err(Failure::with_hint(..))` in functions returning `anyhow::Result`.
pub fn fail<T>(message: impl Into<String>, hint: impl Into<String>) -> anyhow::Result<T> {
    Err(Failure::with_hint(message, hint).into())
}
