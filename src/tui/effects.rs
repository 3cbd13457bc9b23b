//! Runs what `App::on_key` asks for: planning the files through the core, writing them, saving the
//! answers. No terminal here either, so tests drive the whole wizard with it.

use std::sync::atomic::AtomicBool;
use std::sync::mpsc::{self, TryRecvError};
use std::sync::Arc;

use super::app::{App, Effect, Flow, Written};
use super::push::{PushChannel, PushEvent, Pushed};
use super::screens::finish;
use crate::core::changelog::BumpPart;
use crate::core::failure::Failure;
use crate::core::generate;
use crate::core::git;
use crate::core::model::{Answers, FieldSpec};
use crate::core::release::{self, Date, Target};
use crate::core::workspace;

/// The release of an existing module, shown on the review screen like any other plan.
fn plan_release(dir: &std::path::Path, part: BumpPart) -> anyhow::Result<generate::Generated> {
    let release = release::plan(dir, &Target::Bump(part), None, Date::today())?;
    let note = format!("release {} → {}", release.previous, release.version);
    Ok(generate::Generated {
        plan: release.plan,
        notes: vec![note],
    })
}

pub fn perform(app: &mut App, effect: Effect) {
    match effect {
        Effect::Generate => {
            let result = match (&app.flow, app.release) {
                (Flow::New { output_dir }, _) => generate::new_module(&app.answers, output_dir),
                (Flow::Existing { dir, .. }, Some(part)) => plan_release(dir, part),
                (Flow::Existing { dir, .. }, None) => generate::add_to_module(dir, &app.answers),
            };
            app.review.result = Some(result.map_err(|e| failure_of(&e)));
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
            if let Some(cancel) = &app.git.cancel {
                cancel.store(true, std::sync::atomic::Ordering::SeqCst);
                app.status = Some("Stopping the push…".into());
            }
        }
        Effect::SaveAnswers(path) => {
            let text = without_secret_defaults(&app.answers).to_toml();
            app.status = Some(match std::fs::write(&path, text) {
                Ok(()) => format!(
                    "Saved the answers to {} (replay: sekoia-wizard --answers {0}).",
                    path.display()
                ),
                Err(e) => format!("Could not save {}: {e}", path.display()),
            });
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
    any
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

/// The one-line cause and the hint of an error, as the CLI prints them.
pub fn failure_of(err: &anyhow::Error) -> Failure {
    let hint = err
        .chain()
        .find_map(|e| e.downcast_ref::<Failure>())
        .and_then(|f| f.hint.clone());
    let message = err
        .chain()
        .map(|e| e.to_string())
        .collect::<Vec<_>>()
        .join(": ");
    Failure { message, hint }
}

/// Answers files are shared and committed: a default typed for a secret field stays out of them.
pub fn without_secret_defaults(answers: &Answers) -> Answers {
    fn strip(fields: &mut [FieldSpec]) {
        for f in fields {
            if f.secret {
                f.default = None;
            }
            if let Some(sub) = f.ty.sub_fields_mut() {
                strip(sub);
            }
        }
    }
    let mut a = answers.clone();
    strip(&mut a.configuration);
    for c in &mut a.components {
        strip(&mut c.arguments);
        strip(&mut c.results);
    }
    a
}
