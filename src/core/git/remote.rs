//! The remote half of publishing: point `origin` at the right URL (never storing a password),
//! push one branch without ever forcing, and set the upstream. Every failure becomes a one-line
//! cause with a hint; the local repository and its commits are never touched by a failed push.

use std::cell::RefCell;

use anyhow::{Context, Result};
use git2::{ErrorClass, ErrorCode, ProxyOptions, PushOptions, RemoteCallbacks, Repository};

use super::credentials::{AskPassphrase, Credentials, Offered, PASSPHRASE_ENV};
use super::remote_url::{RemoteUrl, Transport};
use super::Progress;
use crate::core::failure::Failure;
use crate::core::token::Token;

pub const ORIGIN: &str = "origin";

/// The URL `origin` has, if it exists.
pub fn origin_url(repo: &Repository) -> Option<String> {
    repo.find_remote(ORIGIN)
        .ok()
        .and_then(|r| r.url().ok().map(str::to_string))
}

/// Creates `origin` or points it at `url`. Stores the password-free form only.
pub fn set_origin(repo: &Repository, url: &RemoteUrl) -> Result<()> {
    match origin_url(repo) {
        Some(current) if current == url.safe => Ok(()),
        Some(_) => repo
            .remote_set_url(ORIGIN, &url.safe)
            .context("cannot update the origin remote"),
        None => repo
            .remote(ORIGIN, &url.safe)
            .map(|_| ())
            .context("cannot add the origin remote"),
    }
}

/// Pushes `refs/heads/{local}` to `refs/heads/{remote_branch}` on `origin`, fast-forward only,
/// and `tags` (never moving a tag the remote has), with a token and an SSH-key passphrase source.
pub fn push(
    repo: &Repository,
    local: &str,
    remote_branch: &str,
    tags: &[String],
    (token, passphrase): (Option<Token>, Option<AskPassphrase>),
    cancel: Option<&std::sync::atomic::AtomicBool>,
    progress: &mut dyn FnMut(Progress),
) -> Result<()> {
    let stop = || cancel.is_some_and(|c| c.load(std::sync::atomic::Ordering::SeqCst));
    let mut remote = repo
        .find_remote(ORIGIN)
        .context("the origin remote is missing")?;
    let url = RemoteUrl::parse(remote.url().unwrap_or_default());
    let scrubber = token.clone();
    let credentials =
        RefCell::new(Credentials::new(token, repo.config().ok()).with_passphrase(passphrase));
    let rejection: RefCell<Option<(String, String)>> = RefCell::new(None);
    {
        let mut callbacks = RemoteCallbacks::new();
        callbacks.credentials(|url, username, allowed| {
            if stop() {
                return Err(git2::Error::from_str("the push was cancelled"));
            }
            credentials.borrow_mut().next(url, username, allowed)
        });
        // The last moment before the pack is sent: a cancel here sends nothing.
        callbacks.push_negotiation(|_| {
            if stop() {
                Err(git2::Error::from_str("the push was cancelled"))
            } else {
                Ok(())
            }
        });
        callbacks.sideband_progress(|_| !stop());
        callbacks.push_transfer_progress(|current, total, bytes| {
            progress(Progress::Pushing {
                current,
                total,
                bytes,
            });
        });
        callbacks.push_update_reference(|refname, status| {
            if let Some(status) = status {
                *rejection.borrow_mut() = Some((refname.to_string(), status.to_string()));
            }
            Ok(())
        });
        let mut proxy = ProxyOptions::new();
        proxy.auto();
        let mut options = PushOptions::new();
        options.remote_callbacks(callbacks);
        options.proxy_options(proxy);
        // No leading '+': a branch that moved on the remote is refused, never overwritten.
        let mut refspecs = vec![format!("refs/heads/{local}:refs/heads/{remote_branch}")];
        refspecs.extend(tags.iter().map(|t| format!("refs/tags/{t}:refs/tags/{t}")));
        let result = remote.push(&refspecs, Some(&mut options));
        let rejection = rejection.borrow().clone();
        let failure = match (result, rejection) {
            (Ok(()), None) => None,
            (Ok(()), Some((refname, status))) => Some(match refname.strip_prefix("refs/tags/") {
                Some(tag) => refused_tag(&status, tag),
                None => refused(&status, remote_branch),
            }),
            (Err(err), _) => Some(classify(&err, &credentials.borrow(), &url, remote_branch)),
        };
        if let Some(mut failure) = failure {
            if let Some(token) = &scrubber {
                failure.message = token.scrub(&failure.message);
            }
            return Err(failure.into());
        }
    }
    Ok(())
}

/// A server that accepts the connection and never answers must not hang the push: libgit2 gives
/// up after `timeout` without a connection, or without an answer to a request.
pub fn set_timeouts(timeout: std::time::Duration) {
    let ms = i32::try_from(timeout.as_millis())
        .unwrap_or(i32::MAX)
        .max(1);
    // SAFETY: these set libgit2's process-wide options, read when a connection is opened; only
    // one push runs at a time in this program, and it sets them before connecting.
    unsafe {
        let _ = git2::opts::set_server_connect_timeout_in_milliseconds(ms);
        let _ = git2::opts::set_server_timeout_in_milliseconds(ms);
    }
}

/// Says which limit a timed-out push hit, and how to change it.
pub fn explain_timeout(err: anyhow::Error, timeout: std::time::Duration) -> anyhow::Error {
    let Some(failure) = err.downcast_ref::<Failure>() else {
        return err;
    };
    let lower = failure.message.to_ascii_lowercase();
    if !(lower.contains("timed out") || lower.contains("timeout")) {
        return err;
    }
    Failure::with_hint(
        format!("{} (no answer within {} s)", failure.message, timeout.as_secs()),
        "your commit is kept locally; check the server, or wait longer with --timeout SECS (or SEKOIA_WIZARD_GIT_TIMEOUT)",
    )
    .into()
}

/// Records `origin/{remote_branch}` as the upstream of `local`, like `git push -u`.
pub fn set_upstream(repo: &Repository, local: &str, remote_branch: &str) -> Result<()> {
    let mut config = repo
        .config()
        .context("cannot open the repository configuration")?;
    config.set_str(&format!("branch.{local}.remote"), ORIGIN)?;
    config.set_str(
        &format!("branch.{local}.merge"),
        &format!("refs/heads/{remote_branch}"),
    )?;
    Ok(())
}

fn non_fast_forward(branch: &str) -> Failure {
    Failure::with_hint(
        format!("the remote branch {branch} has commits that your branch does not have; nothing was pushed"),
        format!(
            "bring them in with `git pull --rebase origin {branch}`, then push again \
             (sekoia-wizard never force-pushes); your commit is kept locally"
        ),
    )
}

/// A reference the server refused after receiving the objects (hooks, protected branches...).
fn refused(status: &str, branch: &str) -> Failure {
    let lower = status.to_ascii_lowercase();
    if lower.contains("non-fast-forward")
        || lower.contains("fetch first")
        || lower.contains("stale")
    {
        return non_fast_forward(branch);
    }
    Failure::with_hint(
        format!(
            "the remote refused to update {branch}: {}",
            status.split_whitespace().collect::<Vec<_>>().join(" ")
        ),
        "check the branch protection rules and server hooks of the repository; your commit is kept locally",
    )
}

/// A tag the remote has with another target: it is never overwritten.
fn refused_tag(status: &str, tag: &str) -> Failure {
    Failure::with_hint(
        format!(
            "the remote refused the tag {tag}: {}",
            status.split_whitespace().collect::<Vec<_>>().join(" ")
        ),
        format!("the remote has another {tag}: release a new version, or delete the local tag (`git tag -d {tag}`)"),
    )
}

fn classify(
    err: &git2::Error,
    credentials: &Credentials,
    url: &RemoteUrl,
    branch: &str,
) -> Failure {
    // One line, whatever libgit2 or the server wrote.
    let message = err
        .message()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let lower = message.to_ascii_lowercase();
    let host = url.host.clone().unwrap_or_else(|| url.safe.clone());
    if lower.contains("the push was cancelled") {
        return Failure::with_hint(
            "the push was cancelled",
            "nothing was sent; the commit stays in the local repository, push again when ready",
        );
    }
    if err.code() == ErrorCode::NotFastForward || lower.contains("non-fastforwardable") {
        return non_fast_forward(branch);
    }
    if err.code() == ErrorCode::Certificate || lower.contains("unknown remote ssh hostkey") {
        return match url.transport {
            Transport::Ssh => Failure::with_hint(
                format!("the SSH host key of {host} is not in ~/.ssh/known_hosts, or does not match it"),
                format!("run `ssh -T git@{host}` once to check and record the key, then push again"),
            ),
            _ => Failure::with_hint(
                format!("the TLS certificate of {host} could not be verified: {message}"),
                "check the URL; for a private certificate authority set `git config --global http.sslCAInfo FILE`",
            ),
        };
    }
    if credentials.exhausted || err.code() == ErrorCode::Auth || lower.contains("401") {
        return rejected_credentials(credentials, url, &host);
    }
    if lower.contains("403") {
        return Failure::with_hint(
            format!("{host} refused write access to {} (HTTP 403)", url.safe),
            "the credentials work but may not push here: check the token's scopes (repo / write_repository)",
        );
    }
    let unreachable = [
        "failed to connect",
        "could not resolve",
        "connection refused",
        "timed out",
        "resolve host",
    ];
    if unreachable.iter().any(|text| lower.contains(text))
        || matches!(err.class(), ErrorClass::Os | ErrorClass::Ssl) && !lower.contains("404")
    {
        return Failure::with_hint(
            format!("could not reach {host}: {message}"),
            "check the remote URL and your network connection; your commit is kept locally, run push again later",
        );
    }
    if lower.contains("404")
        || lower.contains("not found")
        || lower.contains("does not appear to be a git repository")
    {
        return Failure::with_hint(
            format!("there is no repository at {}", url.safe),
            "create it first (--create github|gitlab) or check --remote",
        );
    }
    Failure::with_hint(
        format!("push to {} failed: {message}", url.safe),
        "your commit is kept locally; fix the cause and run push again",
    )
}

pub(super) fn rejected_credentials(
    credentials: &Credentials,
    url: &RemoteUrl,
    host: &str,
) -> Failure {
    if let Some(key) = credentials.locked.first() {
        return Failure::with_hint(
            format!(
                "{host} asked for an SSH key and {} is protected by a passphrase that was not given",
                key.display()
            ),
            format!(
                "add the key to the SSH agent (`ssh-add {}`), or give its passphrase in ${PASSPHRASE_ENV}",
                key.display()
            ),
        );
    }
    let tried: Vec<String> = credentials
        .offered
        .iter()
        .map(|offered| match offered {
            Offered::Token(origin) => format!("the token from {origin}"),
            Offered::CredentialHelper => "your git credential helper".to_string(),
            Offered::SshAgent => "the SSH agent".to_string(),
            Offered::SshKey(path) => format!("the SSH key {}", path.display()),
            Offered::Default => "your default credentials".to_string(),
        })
        .collect();
    let message = if tried.is_empty() {
        format!("{host} asked for credentials and none were found")
    } else {
        format!("{host} rejected the credentials ({})", tried.join(", "))
    };
    let hint = match url.transport {
        Transport::Ssh => "load a key that your account accepts (`ssh-add -l` lists them) or push over HTTPS with a token",
        _ => "pass a token that may push to this repository with --token-env VAR (or set GITHUB_TOKEN / GITLAB_TOKEN), or log in with your git credential helper",
    };
    Failure::with_hint(message, hint)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failure(code: ErrorCode, class: ErrorClass, message: &str, url: &str) -> Failure {
        let err = git2::Error::new(code, class, message);
        classify(
            &err,
            &Credentials::new(None, None),
            &RemoteUrl::parse(url),
            "main",
        )
    }

    #[test]
    fn errors_become_one_line_causes_with_hints() {
        let ssh = "git@github.com:acme/mod.git";
        let unknown_host = failure(
            ErrorCode::Certificate,
            ErrorClass::Ssh,
            "invalid or unknown remote ssh hostkey",
            ssh,
        );
        assert!(
            unknown_host.message.contains("SSH host key of github.com"),
            "{unknown_host:?}"
        );
        assert!(unknown_host.hint.unwrap().contains("ssh -T git@github.com"));

        let nff = failure(
            ErrorCode::NotFastForward,
            ErrorClass::Reference,
            "cannot push",
            ssh,
        );
        assert!(nff.hint.unwrap().contains("git pull --rebase origin main"));

        let https = "https://github.com/acme/mod.git";
        let forbidden = failure(
            ErrorCode::GenericError,
            ErrorClass::Http,
            "unexpected http status code: 403",
            https,
        );
        assert!(forbidden.message.contains("HTTP 403"), "{forbidden:?}");

        let auth = failure(
            ErrorCode::Auth,
            ErrorClass::Ssh,
            "authentication failed",
            ssh,
        );
        assert_eq!(
            auth.message,
            "github.com asked for credentials and none were found"
        );
        assert!(auth.hint.unwrap().contains("ssh-add -l"));

        let other = failure(
            ErrorCode::GenericError,
            ErrorClass::Odb,
            "object missing",
            https,
        );
        assert_eq!(
            other.message,
            format!("push to {https} failed: object missing")
        );
        assert!(!other.message.contains('\n'));
    }

    #[test]
    fn server_refusals_are_told_apart() {
        assert!(refused("non-fast-forward", "main")
            .message
            .contains("has commits that your branch does not have"));
        let hook = refused("pre-receive hook declined", "main");
        assert_eq!(
            hook.message,
            "the remote refused to update main: pre-receive hook declined"
        );
    }
}
