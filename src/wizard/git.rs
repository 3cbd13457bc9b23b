//! The Git step's form without its screen: what the commit would hold (secrets and junk flagged and
//! left out until confirmed), the remote prefilled from `origin`, the lock file's state, `check`'s
//! verdict, and the `publish` options the filled-in form gives. The TUI's Git step and `--plain`'s
//! Git questions both fill in a `GitForm`.

use std::path::{Path, PathBuf};

use super::effects::failure_of;
use crate::core::failure::Failure;
use crate::core::forge::{CreateRepo, Forge, Visibility};
use crate::core::git::{
    Identity, PendingFile, PublishOptions, Suspicion, Token, TokenSource, DEFAULT_BRANCH,
};

/// A typed token: never printed (`Debug` shows bullets), handed only to `publish`, and its
/// bytes overwritten when dropped.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Secret(pub String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Secret({})", "•".repeat(self.0.chars().count().min(8)))
    }
}

impl Drop for Secret {
    fn drop(&mut self) {
        // Overwrite in place (same allocation) so the token does not linger in freed memory.
        let len = self.0.len();
        self.0.clear();
        self.0.extend(std::iter::repeat_n('\0', len));
        std::hint::black_box(&self.0);
    }
}

/// One file the commit would hold; flagged ones start excluded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitFile {
    pub file: PendingFile,
    pub include: bool,
}

/// The form: what is typed and what the step read from the module.
#[derive(Debug)]
pub struct GitForm {
    pub remote: String,
    pub branch: String,
    /// Empty: `publish` writes one naming what changed.
    pub message: String,
    pub token: Secret,
    pub name: String,
    pub email: String,
    /// Git has no `user.name` / `user.email` here: the form asks for them.
    pub ask_identity: bool,
    /// What the commit would hold (read when the step opens).
    pub files: Vec<CommitFile>,
    /// The lock file's state, one line (never push without saying poetry.lock is missing).
    pub lock: Option<String>,
    /// `check`'s failures, if it fails: pushing then asks first.
    pub check_failures: Vec<String>,
    /// Create the repository on GitHub / GitLab first (then the remote URL is the new one).
    pub create: Option<Forge>,
    /// Organisation (GitHub) or group (GitLab); empty: the token's own account.
    pub owner: String,
    pub public: bool,
    /// Empty: the provider's public API (GitHub Enterprise / self-hosted GitLab set it).
    pub api_url: String,
}

impl Default for GitForm {
    fn default() -> Self {
        GitForm {
            remote: String::new(),
            branch: DEFAULT_BRANCH.to_string(),
            message: String::new(),
            token: Secret::default(),
            name: String::new(),
            email: String::new(),
            ask_identity: false,
            files: Vec::new(),
            lock: None,
            check_failures: Vec::new(),
            create: None,
            owner: String::new(),
            public: false,
            api_url: String::new(),
        }
    }
}

impl GitForm {
    /// Reads what the step shows before anything is pushed: `origin`, the files to commit with
    /// the suspicious ones left out, the lock file, and `check`.
    pub fn prepare(&mut self, dir: &Path) {
        if self.remote.is_empty() {
            if let Some(origin) = crate::core::git::origin_of(dir) {
                self.remote = origin;
            }
        }
        self.files = crate::core::git::pending_files(dir)
            .unwrap_or_default()
            .into_iter()
            .map(|file| CommitFile {
                include: file.suspicion.is_none(),
                file,
            })
            .collect();
        self.lock = Some(lock_state(dir));
        let report = crate::core::ci::run(
            &crate::core::ci::Options {
                dir: dir.to_path_buf(),
                steps: vec![crate::core::ci::Step::Check],
                ..Default::default()
            },
            &mut |_| {},
        );
        self.check_failures = report
            .results
            .iter()
            .filter(|r| r.outcome == crate::core::ci::Outcome::Failed)
            .flat_map(|r| r.details.clone())
            .collect();
    }

    /// Files flagged and not confirmed: left out of the commit.
    pub fn excluded(&self) -> Vec<PathBuf> {
        self.files
            .iter()
            .filter(|f| !f.include)
            .map(|f| f.file.path.clone())
            .collect()
    }

    pub fn flagged(&self) -> usize {
        self.files
            .iter()
            .filter(|f| f.file.suspicion.is_some())
            .count()
    }

    /// Whether `remote` can be pushed to: typed, and a URL git can use.
    pub fn check_remote(&self) -> Result<(), Failure> {
        let remote = self.remote.trim();
        if remote.is_empty() {
            return Err(Failure::with_hint(
                "enter the URL of the repository to push to",
                "e.g. git@github.com:OWNER/NAME.git or https://gitlab.com/GROUP/NAME.git",
            ));
        }
        // A URL git cannot use is refused here, before `git init` or a commit.
        crate::core::git::check_remote_url(remote).map_err(|e| failure_of(&e))
    }

    /// The options `publish` gets for module directory `dir`, or what is missing from the form.
    pub fn options(&self, dir: &Path) -> Result<PublishOptions, Failure> {
        if self.create.is_none() {
            self.check_remote()?;
        }
        let (name, email) = (self.name.trim(), self.email.trim());
        let identity = match (name.is_empty(), email.is_empty()) {
            (true, true) => None,
            (false, false) => Some(Identity {
                name: name.to_string(),
                email: email.to_string(),
            }),
            _ => {
                return Err(Failure::with_hint(
                    "a git identity needs both a name and an e-mail address",
                    "fill in both, or leave both empty to use git's configuration",
                ))
            }
        };
        let branch = self.branch.trim();
        let mut options = PublishOptions::new(dir);
        match self.create {
            // The provider makes the repository; its URL becomes the remote.
            Some(forge) => {
                let mut repo = CreateRepo::for_module(forge, dir);
                let (owner, api) = (self.owner.trim(), self.api_url.trim());
                repo.owner = (!owner.is_empty()).then(|| owner.to_string());
                repo.api_url = (!api.is_empty()).then(|| api.to_string());
                if self.public {
                    repo.visibility = Visibility::Public;
                }
                options.create = Some(repo);
            }
            None => options = options.remote(self.remote.trim()),
        }
        options.branch = Some(if branch.is_empty() {
            DEFAULT_BRANCH.to_string()
        } else {
            branch.to_string()
        });
        options.identity = identity;
        options.token = Some(self.token.0.trim())
            .filter(|t| !t.is_empty())
            .map(|t| Token::new(t, TokenSource::Explicit("the token you typed".into())));
        let message = self.message.trim();
        options.message = (!message.is_empty()).then(|| message.to_string());
        options.exclude = self.excluded();
        Ok(options)
    }
}

/// One line on the lock file: present, or how it will be made, or what to run.
pub fn lock_state(dir: &Path) -> String {
    let file = crate::core::lock::lock_file_of(dir);
    if dir.join(file).is_file() {
        format!("✓ {file} is there")
    } else {
        // The front ends made it right after writing, or said why they could not.
        format!("✗ no {file}: the module's check fails without it (lock it before pushing)")
    }
}

/// Why a flagged file is flagged, for the list.
pub fn flag_text(s: Suspicion) -> String {
    match s {
        Suspicion::Secret(why) => format!("secret? {why}"),
        Suspicion::Junk(why) => format!("junk? {why}"),
    }
}
