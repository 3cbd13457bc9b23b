//! Publishing a module with git: the five manual steps of the guide (create the repository,
//! `git init`, add, commit, remote add, push) as one call, shared by `sekoia-wizard push` and the
//! TUI's Git step. Nothing here prints; progress goes to a callback.
//!
//! ```no_run
//! use sekoia_wizard::core::git::{publish, PublishOptions};
//! let options = PublishOptions::new("TestHTTP").remote("git@github.com:acme/TestHTTP.git");
//! let outcome = publish(&options, &mut |progress| eprintln!("{progress:?}"))?;
//! # anyhow::Ok(())
//! ```

use std::path::PathBuf;

use anyhow::Result;

use crate::core::forge::{self, CreateRepo, CreatedRepo, Forge};

mod changes;
mod credentials;
mod local;
mod message;
mod pending;
mod remote;
mod remote_url;
mod tag;

pub use changes::{changed_files, Changes};
pub use credentials::{key_is_encrypted, AskPassphrase, PASSPHRASE_ENV};
pub use local::{configured_identity, CommitInfo, Identity};
pub use message::{commit_message, Change, ChangeKind};
pub use pending::{check_remote_url, origin_of, pending_files, PendingFile, Suspicion};
pub use remote_url::{RemoteUrl, Transport};
pub use tag::{check_tag, commit_and_tag, tags_at, TagInfo};
// The token is a leaf of the core: the forge API uses it too, and git depends on the forge.
pub use crate::core::token::{Token, TokenSource};

/// The standard Python `.gitignore` written into modules that have none (the one `new` writes).
pub use crate::core::render::GITIGNORE;

/// The branch a new repository starts on.
pub const DEFAULT_BRANCH: &str = "main";

/// Everything `publish` needs. Build with `PublishOptions::new(dir)` and the setters.
#[derive(Debug, Clone)]
pub struct PublishOptions {
    pub dir: PathBuf,
    /// Where to push; `None` keeps the existing `origin`, or uses the repository `create` makes.
    pub remote: Option<String>,
    /// The remote branch (and the first branch of a new repository); `None` = current or `main`.
    pub branch: Option<String>,
    /// Commit message; `None` = one naming what changed.
    pub message: Option<String>,
    /// Create the remote repository first.
    pub create: Option<CreateRepo>,
    /// Commit as this person instead of the git configuration.
    pub identity: Option<Identity>,
    /// A token the person gave, for HTTPS pushes and the forge API: `--token-env` through
    /// `token_from_env`, or a TUI prompt as `Token::new(typed, TokenSource::Explicit("the token you typed".into()))`.
    pub token: Option<Token>,
    /// Also look for `GITHUB_TOKEN` / `GITLAB_TOKEN`, each sent only to its own provider.
    pub env_tokens: bool,
    /// How long to wait for the server to accept the connection, then for each answer.
    pub timeout: std::time::Duration,
    /// Files (relative to `dir`) left out of the commit: those a person chose not to publish.
    pub exclude: Vec<PathBuf>,
    /// Set from another thread to stop: checked before each step, before credentials are sent
    /// and before the pack is; a transfer already under way ends at the network timeout.
    pub cancel: Option<std::sync::Arc<std::sync::atomic::AtomicBool>>,
    /// Asked for the passphrase of a passphrase-protected SSH key (`None`: such keys are skipped
    /// and a rejection names them).
    pub passphrase: Option<AskPassphrase>,
}

/// The network timeout when none is given: `SEKOIA_WIZARD_GIT_TIMEOUT` (seconds), else 60 s.
pub fn default_timeout() -> std::time::Duration {
    let secs = std::env::var("SEKOIA_WIZARD_GIT_TIMEOUT")
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .filter(|s| *s > 0)
        .unwrap_or(60);
    std::time::Duration::from_secs(secs)
}

impl PublishOptions {
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        PublishOptions {
            dir: dir.into(),
            remote: None,
            branch: None,
            message: None,
            create: None,
            identity: None,
            token: None,
            env_tokens: true,
            timeout: default_timeout(),
            exclude: Vec::new(),
            cancel: None,
            passphrase: AskPassphrase::from_env(),
        }
    }

    pub fn remote(mut self, url: impl Into<String>) -> Self {
        self.remote = Some(url.into());
        self
    }
}

/// What `publish` is doing, for progress displays.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Progress {
    /// A new repository was created in the module directory on `branch`.
    Initialised {
        branch: String,
    },
    WroteGitignore,
    Committed {
        id: String,
        message: String,
    },
    /// The work tree matched the last commit: nothing new to commit.
    NothingToCommit,
    CreatingRepository {
        forge: Forge,
        name: String,
    },
    CreatedRepository {
        web_url: String,
    },
    /// `origin` now points at `url` (added or changed).
    RemoteSet {
        url: String,
    },
    /// Connecting and sending objects to `url` (password-free form).
    Connecting {
        url: String,
    },
    Pushing {
        current: usize,
        total: usize,
        bytes: usize,
    },
    Pushed {
        branch: String,
    },
    /// These tags point at what is pushed (e.g. `release --tag`'s) and are pushed with it.
    PushingTags {
        tags: Vec<String>,
    },
}

/// One line per step, worded the same in the CLI and the TUI.
impl std::fmt::Display for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Progress::Initialised { branch } => {
                write!(f, "Initialised a git repository (branch {branch})")
            }
            Progress::WroteGitignore => f.write_str("Wrote .gitignore"),
            Progress::Committed { id, message } => {
                let subject = message.lines().next().unwrap_or_default();
                write!(f, "Committed {}: {subject}", &id[..id.len().min(7)])
            }
            Progress::NothingToCommit => f.write_str("Nothing new to commit"),
            Progress::CreatingRepository { forge, name } => {
                write!(f, "Creating {forge} repository {name}")
            }
            Progress::CreatedRepository { web_url } => write!(f, "Created {web_url}"),
            Progress::RemoteSet { url } => write!(f, "origin is {url}"),
            Progress::Connecting { url } => write!(f, "Pushing to {url}"),
            Progress::Pushing {
                current,
                total,
                bytes,
            } => {
                write!(
                    f,
                    "Pushing objects: {current}/{total} ({} KiB)",
                    bytes / 1024
                )
            }
            Progress::Pushed { branch } => write!(f, "Pushed {branch}"),
            Progress::PushingTags { tags } => write!(f, "Pushing tag(s) {}", tags.join(", ")),
        }
    }
}

/// What `publish` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishOutcome {
    pub initialised: bool,
    pub wrote_gitignore: bool,
    pub commit: Option<CommitInfo>,
    pub created: Option<CreatedRepo>,
    /// The pushed-to URL, without any password.
    pub remote_url: String,
    pub local_branch: String,
    pub remote_branch: String,
}

/// Initialises (if needed), commits every non-ignored file, optionally creates the remote
/// repository, sets `origin`, pushes fast-forward only and sets the upstream. On failure the
/// local repository and any commit made are left as they are.
pub fn publish(
    options: &PublishOptions,
    progress: &mut dyn FnMut(Progress),
) -> Result<PublishOutcome> {
    // Refuse what cannot succeed before touching the directory.
    let has_origin = git2::Repository::open(&options.dir)
        .ok()
        .is_some_and(|r| remote::origin_url(&r).is_some());
    if options.remote.is_none() && options.create.is_none() && !has_origin {
        return crate::core::failure::fail(
            "there is no remote to push to",
            "pass --remote URL (e.g. git@github.com:OWNER/NAME.git) or --create github|gitlab",
        );
    }
    if let Some(url) = &options.remote {
        check_remote_url(url)?;
    }
    if let Some(branch) = &options.branch {
        if !git2::Branch::name_is_valid(branch).unwrap_or(false) {
            return crate::core::failure::fail(
                format!("`{branch}` is not a valid git branch name"),
                "use letters, digits, `-`, `_`, `.` and `/` (no spaces, `..`, `~`, `^`, `:` or `?`), e.g. main",
            );
        }
    }
    let create_token = match &options.create {
        Some(request) => {
            Some(forge_token(options, request.forge).ok_or_else(|| missing_token(request.forge))?)
        }
        None => None,
    };

    let wanted_branch = options
        .branch
        .clone()
        .unwrap_or_else(|| DEFAULT_BRANCH.to_string());
    let (repo, initialised) = local::open_or_init(&options.dir, &wanted_branch)?;
    if initialised {
        progress(Progress::Initialised {
            branch: wanted_branch.clone(),
        });
    } else if repo.head().is_err() && options.branch.is_some() {
        // An empty repository (`git init` with another default branch): start on the asked one.
        repo.set_head(&format!("refs/heads/{wanted_branch}"))?;
    }
    let local_branch = local::current_branch(&repo)?;
    let remote_branch = options
        .branch
        .clone()
        .unwrap_or_else(|| local_branch.clone());

    // Without an identity nothing can be committed: say so before writing anything else.
    local::signature(&repo, options.identity.as_ref())?;
    // A release tag made on HEAD stays pushable when this run commits more on top of it.
    let head_before = repo.head().ok().and_then(|h| h.target());
    let wrote_gitignore = local::ensure_gitignore(&repo)?;
    if wrote_gitignore {
        progress(Progress::WroteGitignore);
    }
    stopped(options)?;
    let commit = local::commit_all(
        &repo,
        options.message.as_deref(),
        options.identity.as_ref(),
        &options.exclude,
    )?;
    stopped(options)?;
    match &commit {
        Some(info) => progress(Progress::Committed {
            id: info.id.clone(),
            message: info.message.clone(),
        }),
        None => progress(Progress::NothingToCommit),
    }

    let created = match &options.create {
        Some(request) => {
            let token = create_token.as_ref().expect("checked above");
            progress(Progress::CreatingRepository {
                forge: request.forge,
                name: request.name.clone(),
            });
            let created = forge::create_repository(request, token)?;
            progress(Progress::CreatedRepository {
                web_url: created.web_url.clone(),
            });
            Some(created)
        }
        None => None,
    };

    let target = options
        .remote
        .clone()
        .or_else(|| created.as_ref().map(|c| c.https_url.clone()));
    let mut url_token = None;
    if let Some(target) = target {
        let parsed = RemoteUrl::parse(&target);
        url_token = parsed
            .password
            .clone()
            .map(|p| Token::new(p, TokenSource::RemoteUrl));
        let before = remote::origin_url(&repo);
        remote::set_origin(&repo, &parsed)?;
        if before.as_deref() != Some(parsed.safe.as_str()) {
            progress(Progress::RemoteSet {
                url: parsed.safe.clone(),
            });
        }
    }
    let remote_url = RemoteUrl::parse(&remote::origin_url(&repo).unwrap_or_default());
    let token = url_token.or_else(|| {
        push_token(
            options,
            &remote_url,
            created.as_ref(),
            create_token.as_ref(),
        )
    });

    let mut tags: Vec<String> = [head_before, repo.head().ok().and_then(|h| h.target())]
        .into_iter()
        .flatten()
        .flat_map(|commit| tags_at(&repo, commit))
        .collect();
    tags.sort();
    tags.dedup();
    if !tags.is_empty() {
        progress(Progress::PushingTags { tags: tags.clone() });
    }
    progress(Progress::Connecting {
        url: remote_url.safe.clone(),
    });
    remote::set_timeouts(options.timeout);
    stopped(options)?;
    let cancel = options.cancel.as_deref();
    remote::push(
        &repo,
        &local_branch,
        &remote_branch,
        &tags,
        (token, options.passphrase.clone()),
        cancel,
        progress,
    )
    .map_err(|e| remote::explain_timeout(e, options.timeout))?;
    remote::set_upstream(&repo, &local_branch, &remote_branch)?;
    progress(Progress::Pushed {
        branch: remote_branch.clone(),
    });

    Ok(PublishOutcome {
        initialised,
        wrote_gitignore,
        commit,
        created,
        remote_url: remote_url.safe,
        local_branch,
        remote_branch,
    })
}

/// Fails when the person asked to stop.
fn stopped(options: &PublishOptions) -> Result<()> {
    if options
        .cancel
        .as_ref()
        .is_some_and(|c| c.load(std::sync::atomic::Ordering::SeqCst))
    {
        return crate::core::failure::fail(
            "the push was cancelled",
            "nothing was sent; a commit already made stays in the local repository",
        );
    }
    Ok(())
}

/// The token in the environment variable the person named (`--token-env VAR`), if set.
pub fn token_from_env(variable: &str) -> Option<Token> {
    crate::core::token::from_env(variable, TokenSource::Explicit(format!("${variable}")))
}

/// The token for the forge API: the one given, else the provider's usual variable.
fn forge_token(options: &PublishOptions, forge: Forge) -> Option<Token> {
    let var = forge.token_variable();
    options.token.clone().or_else(|| {
        options
            .env_tokens
            .then(|| crate::core::token::from_env(var, TokenSource::Ambient(var.to_string())))
            .flatten()
    })
}

/// The token offered to the git server after the credential helpers: the one given, else the one
/// that just created the repository (its API named this host), else the ambient variable of the
/// host's provider. An ambient `GITHUB_TOKEN` is never sent to any other host.
fn push_token(
    options: &PublishOptions,
    url: &RemoteUrl,
    created: Option<&CreatedRepo>,
    create_token: Option<&Token>,
) -> Option<Token> {
    if let Some(token) = &options.token {
        return Some(token.clone());
    }
    let host = url.host.as_deref()?;
    if let (Some(created), Some(token)) = (created, create_token) {
        if RemoteUrl::parse(&created.https_url).host.as_deref() == Some(host) {
            return Some(token.clone());
        }
    }
    let var = crate::core::token::ambient_variable_for_host(host).filter(|_| options.env_tokens)?;
    crate::core::token::from_env(var, TokenSource::Ambient(var.to_string()))
}

fn missing_token(forge: Forge) -> anyhow::Error {
    crate::core::failure::Failure::with_hint(
        format!("creating a {forge} repository needs an access token"),
        format!(
            "export {} (or pass --token-env VAR naming the variable that holds it)",
            forge.token_variable()
        ),
    )
    .into()
}
