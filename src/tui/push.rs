//! The Git step's state: the push form, and the run of `core::git::publish` it starts. The run
//! happens on a worker thread (see `effects`); its progress comes back as `PushEvent`s, which
//! `GitStep::on_event` folds in without touching the terminal or the disk.

use std::sync::atomic::AtomicBool;
use std::sync::mpsc::Receiver;
use std::sync::Arc;

use crate::core::failure::Failure;
use crate::core::git::Progress;
pub use crate::wizard::git::{flag_text, lock_state, CommitFile, GitForm, Secret};

/// The form's items, in Tab order; the identity pair is disabled when git has one configured,
/// and the file list when there is nothing to commit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GitFocus {
    /// Where the repository comes from: an existing URL, or created on GitHub / GitLab.
    Create,
    Remote,
    Owner,
    Visibility,
    ApiUrl,
    Branch,
    Message,
    Token,
    Name,
    Email,
    Files,
}

impl GitFocus {
    pub const ALL: [GitFocus; 11] = [
        GitFocus::Create,
        GitFocus::Remote,
        GitFocus::Owner,
        GitFocus::Visibility,
        GitFocus::ApiUrl,
        GitFocus::Branch,
        GitFocus::Message,
        GitFocus::Token,
        GitFocus::Name,
        GitFocus::Email,
        GitFocus::Files,
    ];
}

#[derive(Debug)]
pub struct GitStep {
    /// What is typed and what was read from the module (shared with `--plain`).
    pub form: GitForm,
    pub focus: GitFocus,
    pub file_cursor: usize,
    /// Why the form cannot be pushed as filled in.
    pub error: Option<Failure>,
    pub run: Option<PushRun>,
    /// The worker's messages while a push runs.
    pub channel: Option<PushChannel>,
    /// Set to stop the running push.
    pub cancel: Option<Arc<AtomicBool>>,
    /// The push waits for a key's passphrase: the key, and where the answer goes.
    pub passphrase: Option<(std::path::PathBuf, std::sync::mpsc::Sender<Option<String>>)>,
}

impl Default for GitStep {
    fn default() -> Self {
        GitStep {
            form: GitForm::default(),
            focus: GitFocus::Remote,
            file_cursor: 0,
            error: None,
            run: None,
            channel: None,
            cancel: None,
            passphrase: None,
        }
    }
}

/// The form's fields read as the step's own (`app.git.remote`).
impl std::ops::Deref for GitStep {
    type Target = GitForm;
    fn deref(&self) -> &GitForm {
        &self.form
    }
}

impl std::ops::DerefMut for GitStep {
    fn deref_mut(&mut self) -> &mut GitForm {
        &mut self.form
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
    /// The push needs the passphrase of SSH key `key`: the answer (`None`: skip the key) goes
    /// back on `reply`, which the worker waits on.
    Passphrase {
        key: std::path::PathBuf,
        reply: std::sync::mpsc::Sender<Option<String>>,
    },
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
        self.enabler()(item)
    }

    /// `enabled` as a closure over a copy of what it reads, for use while the step is borrowed.
    pub fn enabler(&self) -> impl Fn(GitFocus) -> bool + Copy {
        let (ask, files, create) = (
            self.ask_identity,
            !self.files.is_empty(),
            self.create.is_some(),
        );
        move |item| match item {
            GitFocus::Name | GitFocus::Email => ask,
            GitFocus::Files => files,
            GitFocus::Remote => !create,
            GitFocus::Owner | GitFocus::Visibility | GitFocus::ApiUrl => create,
            _ => true,
        }
    }

    /// ←/→ on Create: no → GitHub → GitLab.
    pub fn cycle_create(&mut self, forward: bool) {
        use crate::core::forge::Forge;
        let all = [None, Some(Forge::GitHub), Some(Forge::GitLab)];
        let at = all.iter().position(|c| *c == self.create).unwrap_or(0);
        self.form.create = all[(at + if forward { 1 } else { 2 }) % 3];
    }

    /// Reads what the step shows before anything is pushed (see `GitForm::prepare`).
    pub fn prepare(&mut self, dir: &std::path::Path) {
        self.form.prepare(dir);
        self.file_cursor = 0;
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
            GitFocus::Remote => &mut self.form.remote,
            GitFocus::Branch => &mut self.form.branch,
            GitFocus::Message => &mut self.form.message,
            GitFocus::Token => &mut self.form.token.0,
            GitFocus::Name => &mut self.form.name,
            GitFocus::Email => &mut self.form.email,
            GitFocus::Owner => &mut self.form.owner,
            GitFocus::ApiUrl => &mut self.form.api_url,
            GitFocus::Create | GitFocus::Visibility | GitFocus::Files => return None,
        })
    }

    /// The options `publish` gets for module directory `dir`, or what is missing from the form.
    pub fn options(
        &self,
        dir: &std::path::Path,
    ) -> Result<crate::core::git::PublishOptions, Failure> {
        self.form.options(dir).map_err(|mut f| {
            if self.form.create.is_none() && self.form.remote.trim().is_empty() {
                f.hint = f.hint.map(|h| format!("{h}; C-n skips this step"));
            }
            f
        })
    }

    /// Answers the push's passphrase question (`None`: skip the key).
    pub fn answer_passphrase(&mut self, passphrase: Option<String>) {
        if let Some((_, reply)) = self.passphrase.take() {
            let _ = reply.send(passphrase.filter(|p| !p.is_empty()));
        }
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
            PushEvent::Passphrase { key, reply } => self.passphrase = Some((key, reply)),
            PushEvent::Finished(result) => {
                run.counting = false;
                run.finished = Some(result);
                self.channel = None;
                self.cancel = None;
                self.passphrase = None;
            }
        }
    }
}
