//! Access tokens: where they come from, and the rule that they never show up anywhere but in the
//! request that needs them (not in `.git/config`, not in messages, not in `Debug` output).

use std::fmt;

/// Where a token came from. Decides which hosts may receive it: an ambient `GITHUB_TOKEN` is only
/// sent to GitHub, while a token the person named (`--token-env`, a TUI prompt) goes wherever they push.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenSource {
    /// `--token-env VAR`, or typed into the TUI: meant for this push, whatever the host.
    Explicit(String),
    /// `GITHUB_TOKEN` / `GITLAB_TOKEN` found in the environment.
    Ambient(String),
    /// The password part of a remote URL (`https://user:token@host/...`), removed from the URL.
    RemoteUrl,
}

#[derive(Clone, PartialEq, Eq)]
pub struct Token {
    value: String,
    pub source: TokenSource,
}

impl Token {
    pub fn new(value: impl Into<String>, source: TokenSource) -> Self {
        Token {
            value: value.into().trim().to_string(),
            source,
        }
    }

    /// The secret itself; only for building the request that carries it.
    pub fn expose(&self) -> &str {
        &self.value
    }

    /// Human description of the origin, e.g. `$GITHUB_TOKEN` (never the value).
    pub fn origin(&self) -> String {
        match &self.source {
            TokenSource::Explicit(what) => what.clone(),
            TokenSource::Ambient(var) => format!("${var}"),
            TokenSource::RemoteUrl => "the remote URL".to_string(),
        }
    }

    /// Replaces every occurrence of the secret in `text`, as a last guard on messages.
    pub fn scrub(&self, text: &str) -> String {
        if self.value.len() < 4 {
            return text.to_string();
        }
        text.replace(&self.value, "***")
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Token(*** from {})", self.origin())
    }
}

/// Which provider a host belongs to, judged from its name, for picking the ambient token variable.
pub fn ambient_variable_for_host(host: &str) -> Option<&'static str> {
    let host = host.to_ascii_lowercase();
    if host == "github.com" || host.ends_with(".github.com") {
        Some("GITHUB_TOKEN")
    } else if host == "gitlab.com" || host.ends_with(".gitlab.com") {
        Some("GITLAB_TOKEN")
    } else {
        None
    }
}

/// Reads a token from the environment variable `var`; empty values count as absent.
pub fn from_env(var: &str, source: TokenSource) -> Option<Token> {
    std::env::var(var)
        .ok()
        .filter(|v| !v.trim().is_empty())
        .map(|v| Token::new(v, source))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_scrub_never_show_the_value() {
        let token = Token::new(
            "ghp_secretvalue",
            TokenSource::Ambient("GITHUB_TOKEN".into()),
        );
        assert_eq!(format!("{token:?}"), "Token(*** from $GITHUB_TOKEN)");
        assert_eq!(token.scrub("bad ghp_secretvalue here"), "bad *** here");
    }

    #[test]
    fn ambient_tokens_only_for_their_provider() {
        assert_eq!(
            ambient_variable_for_host("github.com"),
            Some("GITHUB_TOKEN")
        );
        assert_eq!(
            ambient_variable_for_host("GitLab.com"),
            Some("GITLAB_TOKEN")
        );
        assert_eq!(ambient_variable_for_host("git.example.com"), None);
        assert_eq!(ambient_variable_for_host("notgithub.com"), None);
    }
}
