//! Creating the remote repository through the provider's REST API (GitHub, GitHub Enterprise,
//! GitLab.com or self-hosted GitLab), so `push --create` replaces the "New repository" web form.
//! An existing repository is reported, never touched.

use std::fmt;

use crate::core::failure::Failure;
use crate::core::token::Token;

mod github;
mod gitlab;
pub mod http;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Forge {
    GitHub,
    GitLab,
}

impl Forge {
    pub fn default_api_url(self) -> &'static str {
        match self {
            Forge::GitHub => "https://api.github.com",
            Forge::GitLab => "https://gitlab.com",
        }
    }

    /// The environment variable people already set for this provider's tools.
    pub fn token_variable(self) -> &'static str {
        match self {
            Forge::GitHub => "GITHUB_TOKEN",
            Forge::GitLab => "GITLAB_TOKEN",
        }
    }
}

impl fmt::Display for Forge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Forge::GitHub => "GitHub",
            Forge::GitLab => "GitLab",
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Visibility {
    #[default]
    Private,
    Public,
}

/// What to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateRepo {
    pub forge: Forge,
    pub name: String,
    /// GitHub organisation or GitLab group/namespace; the token's own account when `None`.
    pub owner: Option<String>,
    pub visibility: Visibility,
    pub description: Option<String>,
    /// API root: `https://api.github.com`, `https://HOST/api/v3` (GitHub Enterprise),
    /// `https://gitlab.com` or `https://HOST` (`/api/v4` is added when missing).
    pub api_url: Option<String>,
}

impl CreateRepo {
    /// The repository for the module in `dir`: named after its directory, described by its
    /// manifest, private, in the token's own account, on the provider's public API.
    pub fn for_module(forge: Forge, dir: &std::path::Path) -> CreateRepo {
        let absolute = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
        let dir_name = absolute
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let description = std::fs::read_to_string(dir.join("manifest.json"))
            .ok()
            .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
            .and_then(|m| m.get("description")?.as_str().map(str::to_string))
            .filter(|d| !d.trim().is_empty());
        CreateRepo {
            forge,
            name: repository_name(&dir_name),
            owner: None,
            visibility: Visibility::Private,
            description,
            api_url: None,
        }
    }
}

/// The repository the provider created.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreatedRepo {
    /// `owner/name` (GitLab: the full namespace path).
    pub full_name: String,
    pub web_url: String,
    pub https_url: String,
    pub ssh_url: String,
}

/// Creates the repository. Fails with a hint when the name is taken, the token is refused or the
/// API cannot be reached; never modifies an existing repository.
pub fn create_repository(request: &CreateRepo, token: &Token) -> anyhow::Result<CreatedRepo> {
    validate_name(&request.name)?;
    let api = request
        .api_url
        .as_deref()
        .unwrap_or(request.forge.default_api_url())
        .trim_end_matches('/');
    let created = match request.forge {
        Forge::GitHub => github::create(api, request, token)?,
        Forge::GitLab => gitlab::create(api, request, token)?,
    };
    Ok(created)
}

/// A repository name both providers accept, derived from a directory name such as `TestHTTP`.
pub fn repository_name(dir_name: &str) -> String {
    let mapped: String = dir_name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-_.".contains(c) {
                c
            } else {
                '-'
            }
        })
        .collect();
    mapped.trim_matches(|c| c == '-' || c == '.').to_string()
}

fn validate_name(name: &str) -> Result<(), Failure> {
    let valid = !name.is_empty()
        && name.len() <= 100
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
        && !name.starts_with('.');
    if valid {
        Ok(())
    } else {
        Err(Failure::with_hint(
            format!("`{name}` cannot be a repository name"),
            "use letters, digits, '-', '_' and '.' (at most 100), e.g. --name my-module",
        ))
    }
}

/// The failure for a name that is taken: reported, never overwritten.
fn already_exists(forge: Forge, full_name: &str) -> Failure {
    Failure::with_hint(
        format!("a {forge} repository named {full_name} already exists; it was left untouched"),
        "push to it with --remote URL (without --create), or choose another name with --name",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repository_names_come_from_directory_names() {
        assert_eq!(repository_name("TestHTTP"), "TestHTTP");
        assert_eq!(repository_name("My Module!"), "My-Module");
        assert!(validate_name("ok-name_1.x").is_ok());
        assert!(validate_name("").is_err());
        assert!(validate_name("bad name").is_err());
    }
}
