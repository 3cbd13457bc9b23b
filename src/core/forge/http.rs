//! The few JSON requests the forges need, over a small blocking client. The token travels in a
//! header only; it is never part of a URL, and it is scrubbed from every message built here.

use std::time::Duration;

use ureq::tls::{RootCerts, TlsConfig, TlsProvider};

use crate::core::failure::Failure;
use crate::core::token::Token;

/// A finished HTTP exchange, whatever its status.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub body: String,
}

impl Reply {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or(serde_json::Value::Null)
    }
}

/// How the token is presented: GitHub and GitLab both accept `Authorization: Bearer`.
pub struct Api<'a> {
    pub base: String,
    pub token: &'a Token,
    pub provider: &'static str,
}

impl Api<'_> {
    pub fn get(&self, path: &str) -> Result<Reply, Failure> {
        self.send(path, None)
    }

    pub fn post(&self, path: &str, body: &serde_json::Value) -> Result<Reply, Failure> {
        self.send(path, Some(body))
    }

    fn send(&self, path: &str, body: Option<&serde_json::Value>) -> Result<Reply, Failure> {
        let url = format!("{}{}", self.base, path);
        let agent = agent();
        let auth = format!("Bearer {}", self.token.expose());
        let user_agent = concat!("sekoia-wizard/", env!("CARGO_PKG_VERSION"));
        let result = match body {
            Some(body) => agent
                .post(&url)
                .header("Authorization", &auth)
                .header("Accept", "application/json")
                .header("User-Agent", user_agent)
                .header("X-GitHub-Api-Version", "2022-11-28")
                .content_type("application/json")
                .send(body.to_string()),
            None => agent
                .get(&url)
                .header("Authorization", &auth)
                .header("Accept", "application/json")
                .header("User-Agent", user_agent)
                .header("X-GitHub-Api-Version", "2022-11-28")
                .call(),
        };
        let mut response = result.map_err(|e| {
            Failure::with_hint(
                self.token.scrub(&format!(
                    "could not reach the {} API at {}: {e}",
                    self.provider, self.base
                )),
                "check --api-url and your network connection; nothing was created",
            )
        })?;
        let status = response.status().as_u16();
        let body = response.body_mut().read_to_string().unwrap_or_default();
        Ok(Reply { status, body })
    }

    /// A failure for an answer we did not expect, quoting the provider's own `message`.
    pub fn unexpected(&self, what: &str, reply: &Reply) -> Failure {
        let detail = provider_message(reply);
        Failure::with_hint(
            self.token.scrub(&format!(
                "{what} failed: HTTP {} from the {} API{detail}",
                reply.status, self.provider
            )),
            "check the owner, the repository name and the token's permissions",
        )
    }

    pub fn rejected_token(&self) -> Failure {
        Failure::with_hint(
            format!("the {} API rejected the token from {}", self.provider, self.token.origin()),
            format!("create a new {} token that can create repositories and pass it with --token-env VAR", self.provider),
        )
    }
}

fn provider_message(reply: &Reply) -> String {
    match reply.json().get("message") {
        Some(serde_json::Value::String(text)) => format!(": {text}"),
        Some(other) if !other.is_null() => format!(": {other}"),
        _ => String::new(),
    }
}

fn agent() -> ureq::Agent {
    // System roots through OpenSSL, like git itself: self-hosted forges often use a private CA.
    let tls = TlsConfig::builder()
        .provider(TlsProvider::NativeTls)
        .root_certs(RootCerts::PlatformVerifier)
        .build();
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .tls_config(tls)
        .timeout_global(Some(Duration::from_secs(60)))
        .build()
        .into()
}

/// Percent-encodes a path segment (GitLab wants `group%2Fsubgroup`).
pub fn encode_segment(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}
