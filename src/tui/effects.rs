//! Runs what `App::on_key` asks for: planning the files through the core, writing them, saving the
//! answers. No terminal here either, so tests drive the whole wizard with it.

use std::sync::atomic::AtomicBool;
use std::sync::mpsc::{self, TryRecvError};
use std::sync::Arc;

use super::app::{App, Effect, Overlay, Written};
use super::push::{PushChannel, PushEvent, Pushed};
use super::screens::finish;
use crate::core::failure::Failure;
use crate::core::git;
use crate::core::workspace;
use crate::wizard::effects;
// Planning, errors and saving are the wizard layer's; the names stay here for the screens.
pub use crate::wizard::effects::{failure_of, without_secret_defaults};

pub fn perform(app: &mut App, effect: Effect) {
    match effect {
        Effect::Generate => {
            app.review.result = Some(effects::plan(&app.flow, &app.answers, app.release));
            app.review.selected = 0;
            app.review.scroll = 0;
        }
        Effect::Write => {
            let Some(Ok(generated)) = &app.review.result else {
                return;
            };
            match workspace::apply_locked(&generated.plan) {
                Ok(applied) => {
                    let root = generated.plan.root.clone();
                    let files = applied
                        .written
                        .iter()
                        .map(|p| p.strip_prefix(&root).unwrap_or(p).display().to_string())
                        .collect();
                    app.release = None;
                    // Asked once here, not on every frame: the form adds the identity fields.
                    app.git.ask_identity = git::configured_identity(&root).is_none();
                    app.on_written(Written { root, files });
                }
                Err(e) => {
                    let f = failure_of(&e);
                    app.status = Some(format!(
                        "Nothing written: {}{}",
                        f.message,
                        f.hint.map(|h| format!(" ({h})")).unwrap_or_default()
                    ));
                }
            }
        }
        Effect::Push => start_push(app),
        Effect::CancelPush => {
            // A push waiting for a passphrase gets none, then sees the cancel.
            app.git.answer_passphrase(None);
            if let Some(cancel) = &app.git.cancel {
                cancel.store(true, std::sync::atomic::Ordering::SeqCst);
                app.status = Some("Stopping the push…".into());
            }
        }
        Effect::SaveAnswers(path) => {
            let (Ok(line) | Err(line)) = effects::save_answers(&app.answers, &path);
            app.status = Some(line);
        }
    }
}

/// Starts `core::git::publish` (the same call as `sekoia-wizard push`) on a worker thread; its
/// progress and end come back over a channel that `poll_push` drains.
fn start_push(app: &mut App) {
    let mut options = match app.git.options(&finish::module_dir(app)) {
        Ok(options) => options,
        Err(problem) => {
            app.git.run = None;
            app.git.error = Some(problem);
            return;
        }
    };
    let cancel = Arc::new(AtomicBool::new(false));
    options.cancel = Some(cancel.clone());
    app.git.cancel = Some(cancel);
    let (sender, receiver) = mpsc::channel();
    app.git.channel = Some(PushChannel(receiver));
    if options.passphrase.is_none() {
        // Asked on screen: the worker sends the question and waits for the answer.
        let asker = sender.clone();
        options.passphrase = Some(git::AskPassphrase::new(move |key| {
            let (reply, answer) = mpsc::channel();
            let key = key.to_path_buf();
            asker.send(PushEvent::Passphrase { key, reply }).ok()?;
            answer.recv().ok().flatten()
        }));
    }
    std::thread::spawn(move || {
        let progress_sender = sender.clone();
        let result = git::publish(&options, &mut |progress| {
            let _ = progress_sender.send(PushEvent::Progress(progress));
        });
        let ended = result
            .map(|outcome| Pushed {
                branch: outcome.remote_branch,
                remote: outcome.remote_url,
            })
            .map_err(|e| failure_of(&e));
        let _ = sender.send(PushEvent::Finished(ended));
    });
}

/// Folds in whatever the push worker has sent since the last call; true if anything came.
pub fn poll_push(app: &mut App) -> bool {
    let mut events = Vec::new();
    if let Some(channel) = &app.git.channel {
        loop {
            match channel.0.try_recv() {
                Ok(event) => {
                    // The worker hangs up right after its last word; that is not an error.
                    let last = matches!(event, PushEvent::Finished(_));
                    events.push(event);
                    if last {
                        break;
                    }
                }
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => {
                    events.push(worker_gone());
                    break;
                }
            }
        }
    }
    let any = !events.is_empty();
    for event in events {
        app.git.on_event(event);
    }
    open_passphrase_prompt(app);
    any
}

/// The push waits for a passphrase: ask it in a pop-up (once).
fn open_passphrase_prompt(app: &mut App) {
    if let Some((key, _)) = &app.git.passphrase {
        if !matches!(app.overlay, Some(Overlay::Passphrase { .. })) {
            app.overlay = Some(Overlay::Passphrase {
                key: key.clone(),
                text: Default::default(),
            });
            app.cursor = 0;
        }
    }
}

/// Blocks until the running push ends (tests and non-interactive callers).
pub fn wait_push(app: &mut App) {
    while let Some(channel) = &app.git.channel {
        let event = channel.0.recv().unwrap_or_else(|_| worker_gone());
        app.git.on_event(event);
    }
}

/// The worker ended without a word: it panicked.
fn worker_gone() -> PushEvent {
    PushEvent::Finished(Err(Failure::with_hint(
        "the push stopped unexpectedly",
        "run `sekoia-wizard push` from a shell to see the whole error",
    )))
}

/// Runs effects until none is left (an effect never yields another today, but the loop is cheap).
pub fn perform_all(app: &mut App, effects: Vec<Effect>) {
    for effect in effects {
        perform(app, effect);
    }
}
