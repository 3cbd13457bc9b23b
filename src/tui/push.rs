//! The Git step's state: the push form, and the run of `core::git::publish` it starts. The run
//! happens on a worker thread (see `effects`); its progress comes back as `PushEvent`s, which
//! `GitStep::on_event` folds in without touching the terminal or the disk.

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::mpsc::Receiver;
use std::sync::Arc;

use crate::core::failure::Failure;
use crate::core::git::{
    Identity, PendingFile, Progress, PublishOptions, Suspicion, Token, TokenSource, DEFAULT_BRANCH,
};

/// The form's items, in Tab order; the identity pair is disabled when git has one configured,
/// and the file list when there is nothing to commit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GitFocus {
    Remote,
    Branch,
    Message,
    Token,
    Name,
    Email,
    Files,
}

impl GitFocus {
    pub const ALL: [GitFocus; 7] = [
        GitFocus::Remote,
        GitFocus::Branch,
        GitFocus::Message,
        GitFocus::Token,
        GitFocus::Name,
        GitFocus::Email,
        GitFocus::Files,
    ];
}

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

#[derive(Debug)]
pub struct GitStep {
    pub remote: String,
    pub branch: String,
    /// Empty: `publish` writes one naming what changed.
    pub message: String,
    pub token: Secret,
    pub name: String,
    pub email: String,
    /// Git has no `user.name` / `user.email` here: the form asks for them.
    pub ask_identity: bool,
    pub focus: GitFocus,
    /// What the commit would hold (read when the step opens).
    pub files: Vec<CommitFile>,
    pub file_cursor: usize,
    /// The lock file's state, one line (issue: never push without saying poetry.lock is missing).
    pub lock: Option<String>,
    /// `check`'s failures, if it fails: pushing then asks first.
    pub check_failures: Vec<String>,
    /// Why the form cannot be pushed as filled in.
    pub error: Option<Failure>,
    pub run: Option<PushRun>,
    /// The worker's messages while a push runs.
    pub channel: Option<PushChannel>,
    /// Set to stop the running push.
    pub cancel: Option<Arc<AtomicBool>>,
}

impl Default for GitStep {
    fn default() -> Self {
        GitStep {
            remote: String::new(),
            branch: DEFAULT_BRANCH.to_string(),
            message: String::new(),
            token: Secret::default(),
            name: String::new(),
            email: String::new(),
            ask_identity: false,
            focus: GitFocus::Remote,
            files: Vec::new(),
            file_cursor: 0,
            lock: None,
            check_failures: Vec::new(),
            error: None,
            run: None,
            channel: None,
            cancel: None,
        }
    }
}

/// One push: the progress lines so far and, once over, how it ended.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PushRun {
    pub lines: Vec<String>,
    /// The last line is an object counter, redrawn in place rather than added.
    counting: bool,
    pub finished: Option<Result<Pushed, Failure>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pushed {
    pub branch: String,
    pub remote: String,
}

#[derive(Debug, Clone)]
pub enum PushEvent {
    Progress(Progress),
    Finished(Result<Pushed, Failure>),
}

pub struct PushChannel(pub Receiver<PushEvent>);

impl std::fmt::Debug for PushChannel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PushChannel")
    }
}

impl GitStep {
    /// Whether `item` takes part in the form now.
    pub fn enabled(&self, item: GitFocus) -> bool {
        match item {
            GitFocus::Name | GitFocus::Email => self.ask_identity,
            GitFocus::Files => !self.files.is_empty(),
            _ => true,
        }
    }

    /// Reads what the step shows before anything is pushed: `origin`, the files to commit with
    /// the suspicious ones left out, the lock file, and `check`.
    pub fn prepare(&mut self, dir: &std::path::Path) {
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
        self.file_cursor = 0;
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

    /// A push is under way: the form is locked until it ends.
    pub fn running(&self) -> bool {
        self.run.as_ref().is_some_and(|r| r.finished.is_none())
    }

    pub fn succeeded(&self) -> bool {
        matches!(
            self.run.as_ref().and_then(|r| r.finished.as_ref()),
            Some(Ok(_))
        )
    }

    /// The form can be edited and pushed (again): nothing ran, or the last push failed.
    pub fn editable(&self) -> bool {
        !self.running() && !self.succeeded()
    }

    pub fn text_mut(&mut self) -> Option<&mut String> {
        Some(match self.focus {
            GitFocus::Remote => &mut self.remote,
            GitFocus::Branch => &mut self.branch,
            GitFocus::Message => &mut self.message,
            GitFocus::Token => &mut self.token.0,
            GitFocus::Name => &mut self.name,
            GitFocus::Email => &mut self.email,
            GitFocus::Files => return None,
        })
    }

    /// The options `publish` gets for module directory `dir`, or what is missing from the form.
    pub fn options(&self, dir: &std::path::Path) -> Result<PublishOptions, Failure> {
        let remote = self.remote.trim();
        if remote.is_empty() {
            return Err(Failure::with_hint(
                "enter the URL of the repository to push to",
                "e.g. git@github.com:OWNER/NAME.git or https://gitlab.com/GROUP/NAME.git; C-n skips this step",
            ));
        }
        // A URL git cannot use is refused here, before `git init` or a commit.
        crate::core::git::check_remote_url(remote)
            .map_err(|e| crate::tui::effects::failure_of(&e))?;
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
        let mut options = PublishOptions::new(dir).remote(remote);
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

    /// Folds one message of the worker into the run on screen.
    pub fn on_event(&mut self, event: PushEvent) {
        let run = self.run.get_or_insert_with(PushRun::default);
        match event {
            PushEvent::Progress(progress) => {
                let counter = matches!(progress, Progress::Pushing { .. });
                if counter && run.counting {
                    run.lines.pop();
                }
                run.counting = counter;
                run.lines.push(progress.to_string());
            }
            PushEvent::Finished(result) => {
                run.counting = false;
                run.finished = Some(result);
                self.channel = None;
                self.cancel = None;
            }
        }
    }
}

/// One line on the lock file: present, or why not (the Write step made it, or says why not).
pub fn lock_state(dir: &std::path::Path) -> String {
    let file = crate::tui::effects::lock_file(dir);
    if dir.join(file).is_file() {
        format!("✓ {file} is there")
    } else {
        format!("✗ no {file}: the module's check fails without it (see the Write step: l locks)")
    }
}

/// Why a flagged file is flagged, for the list.
pub fn flag_text(s: Suspicion) -> String {
    match s {
        Suspicion::Secret(why) => format!("secret? {why}"),
        Suspicion::Junk(why) => format!("junk? {why}"),
    }
}
