//! The OpenAPI flags shared by `add openapi SPEC` and `new --from-openapi SPEC`, turned into the
//! core's options, and the way both print what they did.

use clap::Args;

use crate::core::openapi::{Auth, Options, Selection, Spec};

#[derive(Debug, Clone, Default, Args)]
pub struct OpenApiFlags {
    /// Only this operation: its operationId or `METHOD /path` (repeatable; default: all)
    #[arg(long = "operation", value_name = "ID_OR_METHOD_PATH")]
    pub operations: Vec<String>,
    /// Only the operations with this tag (repeatable; default: all)
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,
    /// Prefix action names with the operation's tags (the SDK's --tags)
    #[arg(long)]
    pub tags_in_names: bool,
    /// Authentication of the API, overriding the spec's security schemes
    #[arg(long, value_name = "basic|apiKey|bearer|none", value_parser = auth_parser())]
    pub auth: Option<Auth>,
    /// The header carrying the credentials with --auth (default: Authorization)
    #[arg(long, value_name = "HEADER")]
    pub auth_header: Option<String>,
    /// The API's base URL, overriding the spec's server
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
}

impl OpenApiFlags {
    pub fn options(&self) -> Options {
        Options {
            selection: Selection {
                operations: self.operations.clone(),
                tags: self.tags.clone(),
            },
            tags_in_names: self.tags_in_names,
            auth: self.auth,
            auth_header: self.auth_header.clone(),
            base_url: self.base_url.clone(),
        }
    }

    /// Whether any OpenAPI flag was given (they need a spec).
    pub fn any(&self) -> bool {
        !self.operations.is_empty()
            || !self.tags.is_empty()
            || self.tags_in_names
            || self.auth.is_some()
            || self.auth_header.is_some()
            || self.base_url.is_some()
    }
}

/// `--auth`: the core's values, parsed by the core (which knows nothing of clap).
fn auth_parser() -> impl clap::builder::TypedValueParser<Value = Auth> {
    use clap::builder::TypedValueParser;
    clap::builder::PossibleValuesParser::new(Auth::ALL.map(Auth::as_str))
        .try_map(|s| s.parse::<Auth>())
}

pub fn load(source: &str) -> anyhow::Result<Spec> {
    Ok(Spec::load(source)?)
}
