//! The Git step's state: the push form, and the run of `core::git::publish` it starts. The run
//! happens on a worker thread (see `effects`); its progress comes back as `PushEvent`s, which
//! `GitStep::on_event` folds in without touching the terminal or the disk.

use std::sync::mpsc::Receiver;
use std::sync::{Arc, Mutex};

use crate::core::failure::Failure;
use crate::core::git::{Identity, Progress, PublishOptions, Token, TokenSource, DEFAULT_BRANCH};

/// Form items, in focus order; the identity pair only shows when git has none configured.
pub const REMOTE: usize = 0;
pub const BRANCH: usize = 1;
pub const TOKEN: usize = 2;
pub const NAME: usize = 3;
pub const EMAIL: usize = 4;

#[derive(Debug, Clone)]
pub struct GitStep {
    pub remote: String,
    pub branch: String,
    /// Typed token; masked on screen and only handed to `publish`.
    pub token: String,
    pub name: String,
    pub email: String,
    /// Git has no `user.name` / `user.email` here: the form asks for them.
    pub ask_identity: bool,
    pub focus: usize,
    /// Why the form cannot be pushed as filled in.
    pub error: Option<Failure>,
    pub run: Option<PushRun>,
    /// The worker's messages while a push runs (shared so `App` stays `Clone`).
    pub channel: Option<PushChannel>,
}

impl Default for GitStep {
    fn default() -> Self {
        GitStep {
            remote: String::new(),
            branch: DEFAULT_BRANCH.to_string(),
            token: String::new(),
            name: String::new(),
            email: String::new(),
            ask_identity: false,
            focus: REMOTE,
            error: None,
            run: None,
            channel: None,
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

#[derive(Clone)]
pub struct PushChannel(pub Arc<Mutex<Receiver<PushEvent>>>);

impl std::fmt::Debug for PushChannel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PushChannel")
    }
}

impl GitStep {
    pub fn items(&self) -> usize {
        if self.ask_identity {
            5
        } else {
            3
        }
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
            REMOTE => &mut self.remote,
            BRANCH => &mut self.branch,
            TOKEN => &mut self.token,
            NAME => &mut self.name,
            EMAIL => &mut self.email,
            _ => return None,
        })
    }

    /// The options `publish` gets for module directory `dir`, or what is missing from the form.
    pub fn options(&self, dir: &std::path::Path) -> Result<PublishOptions, Failure> {
        let remote = self.remote.trim();
        if remote.is_empty() {
            return Err(Failure::with_hint(
                "enter the URL of the repository to push to",
                "e.g. git@github.com:OWNER/NAME.git or https://gitlab.com/GROUP/NAME.git; PgDn skips this step",
            ));
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
        let mut options = PublishOptions::new(dir).remote(remote);
        options.branch = Some(if branch.is_empty() {
            DEFAULT_BRANCH.to_string()
        } else {
            branch.to_string()
        });
        options.identity = identity;
        options.token = Some(self.token.trim())
            .filter(|t| !t.is_empty())
            .map(|t| Token::new(t, TokenSource::Explicit("the token you typed".into())));
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
            }
        }
    }
}
