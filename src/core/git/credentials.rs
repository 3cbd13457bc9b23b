//! Answers libgit2's credential requests, each source tried once, in the order people expect:
//! SSH agent then key files for SSH remotes; for HTTPS a token the person named first, then the
//! git credential helpers (`gh auth`, Git Credential Manager, stored credentials), then an ambient
//! `GITHUB_TOKEN` / `GITLAB_TOKEN`. libgit2 calls back again after every rejection, so each source
//! is offered once and the callback then gives up instead of looping.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use git2::{Config, Cred, CredentialType};

use crate::core::token::{Token, TokenSource};

/// A source of credentials offered to the remote, named for error messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Offered {
    Token(String),
    CredentialHelper,
    SshAgent,
    SshKey(PathBuf),
    Default,
}

/// The environment variable the passphrase of an encrypted SSH key can come from.
pub const PASSPHRASE_ENV: &str = "SEKOIA_WIZARD_SSH_PASSPHRASE";

/// Asks for the passphrase of a passphrase-protected SSH key (the path given): the front end
/// prompts, or reads `SEKOIA_WIZARD_SSH_PASSPHRASE`. `None`: no passphrase, the key is skipped.
#[derive(Clone)]
pub struct AskPassphrase(pub Arc<AskFn>);

type AskFn = dyn Fn(&Path) -> Option<String> + Send + Sync;

impl AskPassphrase {
    pub fn new(ask: impl Fn(&Path) -> Option<String> + Send + Sync + 'static) -> Self {
        AskPassphrase(Arc::new(ask))
    }

    /// The passphrase from `SEKOIA_WIZARD_SSH_PASSPHRASE`, if it is set.
    pub fn from_env() -> Option<Self> {
        std::env::var(PASSPHRASE_ENV)
            .ok()
            .filter(|p| !p.is_empty())
            .map(|p| AskPassphrase::new(move |_| Some(p.clone())))
    }
}

impl std::fmt::Debug for AskPassphrase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AskPassphrase")
    }
}

/// Whether the private key in `path` is protected by a passphrase: the OpenSSH format names its
/// cipher (`none` when not), PEM keys say `Proc-Type: 4,ENCRYPTED` or `BEGIN ENCRYPTED`.
pub fn key_is_encrypted(path: &Path) -> bool {
    let Ok(text) = std::fs::read_to_string(path) else {
        return false;
    };
    if text.contains("Proc-Type: 4,ENCRYPTED") || text.contains("BEGIN ENCRYPTED PRIVATE KEY") {
        return true;
    }
    let Some(body) = text
        .split("-----BEGIN OPENSSH PRIVATE KEY-----")
        .nth(1)
        .and_then(|rest| rest.split("-----END").next())
    else {
        return false;
    };
    let bytes = decode_base64(body);
    // "openssh-key-v1\0", then the cipher name as a length-prefixed string.
    let magic = b"openssh-key-v1\0";
    let Some(rest) = bytes.strip_prefix(magic.as_slice()) else {
        return false;
    };
    let Some(len) = rest
        .get(..4)
        .map(|l| u32::from_be_bytes([l[0], l[1], l[2], l[3]]) as usize)
    else {
        return false;
    };
    rest.get(4..4 + len).is_some_and(|cipher| cipher != b"none")
}

/// Standard base64, white space skipped, stopping at padding or anything else.
fn decode_base64(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    };
    let (mut out, mut acc, mut bits) = (Vec::new(), 0u32, 0);
    for c in text.bytes().filter(|c| !c.is_ascii_whitespace()) {
        let Some(v) = value(c) else { break };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}

pub struct Credentials {
    token: Option<Token>,
    passphrase: Option<AskPassphrase>,
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
    /// Passphrase-protected keys skipped because no passphrase was given.
    pub locked: Vec<PathBuf>,
}

impl Credentials {
    pub fn new(token: Option<Token>, config: Option<Config>) -> Self {
        Credentials {
            token,
            passphrase: None,
            config,
            home: std::env::var_os("HOME").map(PathBuf::from),
            helper_tried: false,
            token_tried: false,
            agent_tried: false,
            default_tried: false,
            keys_tried: 0,
            offered: Vec::new(),
            exhausted: false,
            locked: Vec::new(),
        }
    }

    /// Who to ask for the passphrase of a protected key.
    pub fn with_passphrase(mut self, ask: Option<AskPassphrase>) -> Self {
        self.passphrase = ask;
        self
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
            let passphrase = if key_is_encrypted(&key) {
                match self.passphrase.as_ref().and_then(|ask| (ask.0)(&key)) {
                    Some(p) => Some(p),
                    None => {
                        self.locked.push(key);
                        continue;
                    }
                }
            } else {
                None
            };
            if let Ok(cred) =
                Cred::ssh_key(username, public.as_deref(), &key, passphrase.as_deref())
            {
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

    /// A key made by `ssh-keygen` in `home/.ssh/NAME` (`None` when ssh-keygen is missing).
    fn keygen(home: &Path, name: &str, passphrase: &str, extra: &[&str]) -> Option<PathBuf> {
        let ssh = home.join(".ssh");
        std::fs::create_dir_all(&ssh).unwrap();
        let key = ssh.join(name);
        let made = std::process::Command::new("ssh-keygen")
            .args(["-q", "-N", passphrase, "-C", "test", "-f"])
            .arg(&key)
            .args(extra)
            .status();
        match made {
            Ok(status) if status.success() => Some(key),
            _ => {
                assert!(
                    std::env::var("CI").as_deref() != Ok("true"),
                    "ssh-keygen is required in CI"
                );
                eprintln!("skipped: ssh-keygen is not installed");
                None
            }
        }
    }

    fn ssh_key_request(creds: &mut Credentials) -> Result<Cred, git2::Error> {
        creds.next(
            "ssh://git@example.com/x.git",
            Some("git"),
            CredentialType::SSH_KEY,
        )
    }

    #[test]
    fn protected_keys_are_told_apart_from_plain_ones() {
        let home = tempfile::tempdir().unwrap();
        let Some(plain) = keygen(home.path(), "id_ed25519", "", &["-t", "ed25519"]) else {
            return;
        };
        let locked = keygen(home.path(), "id_ecdsa", "s3cret", &["-t", "ecdsa"]).unwrap();
        let pem = keygen(
            home.path(),
            "id_rsa",
            "s3cret",
            &["-t", "rsa", "-b", "2048", "-m", "PEM"],
        )
        .unwrap();
        assert!(!key_is_encrypted(&plain));
        assert!(key_is_encrypted(&locked));
        assert!(key_is_encrypted(&pem));
    }

    #[test]
    fn the_passphrase_of_a_protected_key_is_asked_for_that_key() {
        let home = tempfile::tempdir().unwrap();
        let Some(key) = keygen(home.path(), "id_ed25519", "s3cret", &["-t", "ed25519"]) else {
            return;
        };
        let asked = Arc::new(std::sync::Mutex::new(Vec::new()));
        let record = asked.clone();
        let ask = AskPassphrase::new(move |k: &Path| {
            record.lock().unwrap().push(k.to_path_buf());
            Some("s3cret".to_string())
        });
        let mut creds = Credentials::new(None, None)
            .with_home(Some(home.path().to_path_buf()))
            .with_passphrase(Some(ask));
        // The agent (if this machine has one) comes first; then the key, with its passphrase.
        while ssh_key_request(&mut creds).is_ok()
            && !creds.offered.contains(&Offered::SshKey(key.clone()))
        {}
        assert!(
            creds.offered.contains(&Offered::SshKey(key.clone())),
            "{:?}",
            creds.offered
        );
        assert_eq!(*asked.lock().unwrap(), [key]);
        assert!(creds.locked.is_empty());
    }

    #[test]
    fn without_a_passphrase_a_protected_key_is_skipped_and_named() {
        let home = tempfile::tempdir().unwrap();
        let Some(key) = keygen(home.path(), "id_ed25519", "s3cret", &["-t", "ed25519"]) else {
            return;
        };
        let mut creds = Credentials::new(None, None).with_home(Some(home.path().to_path_buf()));
        while ssh_key_request(&mut creds).is_ok() {}
        assert!(creds.exhausted);
        assert!(!creds.offered.contains(&Offered::SshKey(key.clone())));
        assert_eq!(creds.locked, std::slice::from_ref(&key));
        // The rejection names the key and both ways to fix it.
        let url = super::super::RemoteUrl::parse("git@github.com:acme/mod.git");
        let f = super::super::remote::rejected_credentials(&creds, &url, "github.com");
        assert!(
            f.message.contains(&key.display().to_string()),
            "{}",
            f.message
        );
        assert!(f.message.contains("passphrase"), "{}", f.message);
        let hint = f.hint.unwrap();
        assert!(
            hint.contains(&format!("ssh-add {}", key.display())),
            "{hint}"
        );
        assert!(hint.contains(PASSPHRASE_ENV), "{hint}");
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
