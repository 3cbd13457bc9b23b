//! Answers libgit2's credential requests, each source tried once, in the order people expect:
//! SSH agent then key files for SSH remotes; for HTTPS a token the person named first, then the
//! git credential helpers (`gh auth`, Git Credential Manager, stored credentials), then an ambient
//! `GITHUB_TOKEN` / `GITLAB_TOKEN`. libgit2 calls back again after every rejection, so each source
//! is offered once and the callback then gives up instead of looping.

use std::path::PathBuf;

use git2::{Config, Cred, CredentialType};

use super::token::{Token, TokenSource};

/// A source of credentials offered to the remote, named for error messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Offered {
    Token(String),
    CredentialHelper,
    SshAgent,
    SshKey(PathBuf),
    Default,
}

pub struct Credentials {
    token: Option<Token>,
    config: Option<Config>,
    home: Option<PathBuf>,
    helper_tried: bool,
    token_tried: bool,
    agent_tried: bool,
    default_tried: bool,
    keys_tried: usize,
    /// Everything handed to libgit2, in order. Non-empty plus `exhausted` means "rejected".
    pub offered: Vec<Offered>,
    /// Set when libgit2 asked again and nothing was left to offer.
    pub exhausted: bool,
}

impl Credentials {
    pub fn new(token: Option<Token>, config: Option<Config>) -> Self {
        Credentials {
            token,
            config,
            home: std::env::var_os("HOME").map(PathBuf::from),
            helper_tried: false,
            token_tried: false,
            agent_tried: false,
            default_tried: false,
            keys_tried: 0,
            offered: Vec::new(),
            exhausted: false,
        }
    }

    /// Looks for SSH key files under `home/.ssh` instead of `$HOME/.ssh`.
    #[cfg(test)]
    pub fn with_home(mut self, home: Option<PathBuf>) -> Self {
        self.home = home;
        self
    }

    /// The `credentials` callback of `git2::RemoteCallbacks`.
    pub fn next(
        &mut self,
        url: &str,
        username: Option<&str>,
        allowed: CredentialType,
    ) -> Result<Cred, git2::Error> {
        let found = if allowed.contains(CredentialType::USER_PASS_PLAINTEXT) {
            self.next_user_pass(url, username)
        } else if allowed.contains(CredentialType::SSH_KEY) {
            self.next_ssh_key(username.unwrap_or("git"))
        } else if allowed.contains(CredentialType::USERNAME) {
            Cred::username(username.unwrap_or("git")).ok()
        } else if allowed.contains(CredentialType::DEFAULT) && !self.default_tried {
            self.default_tried = true;
            self.offered.push(Offered::Default);
            Cred::default().ok()
        } else {
            None
        };
        found.ok_or_else(|| {
            self.exhausted = true;
            git2::Error::new(
                git2::ErrorCode::Auth,
                git2::ErrorClass::Net,
                "no more credentials to try",
            )
        })
    }

    fn next_user_pass(&mut self, url: &str, username: Option<&str>) -> Option<Cred> {
        let named_first = matches!(
            self.token.as_ref().map(|t| &t.source),
            Some(TokenSource::Explicit(_)) | Some(TokenSource::RemoteUrl)
        );
        if named_first {
            if let Some(cred) = self.try_token(url, username) {
                return Some(cred);
            }
        }
        if !self.helper_tried {
            self.helper_tried = true;
            if let Some(config) = &self.config {
                if let Ok(cred) = Cred::credential_helper(config, url, username) {
                    self.offered.push(Offered::CredentialHelper);
                    return Some(cred);
                }
            }
        }
        self.try_token(url, username)
    }

    fn try_token(&mut self, url: &str, username: Option<&str>) -> Option<Cred> {
        if self.token_tried {
            return None;
        }
        self.token_tried = true;
        let token = self.token.as_ref()?;
        let user = username
            .map(str::to_string)
            .unwrap_or_else(|| token_username(url).to_string());
        let cred = Cred::userpass_plaintext(&user, token.expose()).ok()?;
        self.offered.push(Offered::Token(token.origin()));
        Some(cred)
    }

    fn next_ssh_key(&mut self, username: &str) -> Option<Cred> {
        if !self.agent_tried {
            self.agent_tried = true;
            if let Ok(cred) = Cred::ssh_key_from_agent(username) {
                self.offered.push(Offered::SshAgent);
                return Some(cred);
            }
        }
        let keys = self.key_files();
        while self.keys_tried < keys.len() {
            let key = keys[self.keys_tried].clone();
            self.keys_tried += 1;
            let public = key.with_extension("pub");
            let public = public.exists().then_some(public);
            if let Ok(cred) = Cred::ssh_key(username, public.as_deref(), &key, None) {
                self.offered.push(Offered::SshKey(key));
                return Some(cred);
            }
        }
        None
    }

    fn key_files(&self) -> Vec<PathBuf> {
        let Some(home) = &self.home else {
            return Vec::new();
        };
        ["id_ed25519", "id_ecdsa", "id_rsa"]
            .iter()
            .map(|name| home.join(".ssh").join(name))
            .filter(|path| path.is_file())
            .collect()
    }
}

/// The user name sent with a bare token: GitLab wants `oauth2` (which also works for personal
/// access tokens); GitHub and most others accept any name, `x-access-token` being the usual one.
fn token_username(url: &str) -> &'static str {
    if url.to_ascii_lowercase().contains("gitlab") {
        "oauth2"
    } else {
        "x-access-token"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(source: TokenSource) -> Option<Token> {
        Some(Token::new("t0ken-value", source))
    }

    const URL: &str = "https://git.example.com/acme/mod.git";

    #[test]
    fn a_named_token_is_offered_once_then_the_callback_gives_up() {
        let mut creds = Credentials::new(token(TokenSource::Explicit("$MY_TOKEN".into())), None);
        assert!(creds
            .next(URL, None, CredentialType::USER_PASS_PLAINTEXT)
            .is_ok());
        assert_eq!(creds.offered, [Offered::Token("$MY_TOKEN".into())]);
        assert!(!creds.exhausted);
        let again = creds.next(URL, None, CredentialType::USER_PASS_PLAINTEXT);
        assert_eq!(again.err().map(|e| e.code()), Some(git2::ErrorCode::Auth));
        assert!(creds.exhausted);
        assert_eq!(
            creds.offered.len(),
            1,
            "no second offer of a rejected token"
        );
    }

    #[test]
    fn without_any_source_the_first_request_is_refused() {
        let mut creds = Credentials::new(None, None);
        assert!(creds
            .next(URL, None, CredentialType::USER_PASS_PLAINTEXT)
            .is_err());
        assert!(creds.exhausted && creds.offered.is_empty());
    }

    #[test]
    fn ssh_tries_the_agent_then_each_key_file_once() {
        let home = tempfile::tempdir().unwrap();
        let ssh = home.path().join(".ssh");
        std::fs::create_dir_all(&ssh).unwrap();
        std::fs::write(ssh.join("id_rsa"), "key").unwrap();
        std::fs::write(ssh.join("id_ed25519"), "key").unwrap();
        let mut creds = Credentials::new(token(TokenSource::Explicit("$T".into())), None)
            .with_home(Some(home.path().to_path_buf()));
        while creds
            .next(
                "ssh://git@example.com/x.git",
                Some("git"),
                CredentialType::SSH_KEY,
            )
            .is_ok()
        {}
        let keys: Vec<&Offered> = creds
            .offered
            .iter()
            .filter(|o| !matches!(o, Offered::SshAgent))
            .collect();
        assert_eq!(
            keys,
            [
                &Offered::SshKey(ssh.join("id_ed25519")),
                &Offered::SshKey(ssh.join("id_rsa"))
            ],
            "keys in preference order, never the HTTPS token"
        );
        assert!(creds.exhausted);
    }

    #[test]
    fn token_user_names_follow_the_provider() {
        assert_eq!(
            token_username("https://gitlab.example.com/a/b.git"),
            "oauth2"
        );
        assert_eq!(
            token_username("https://github.com/a/b.git"),
            "x-access-token"
        );
    }
}
