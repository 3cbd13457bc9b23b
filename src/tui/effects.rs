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
use crate::core::openapi::{self, Spec};
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
            // Operations chosen from an OpenAPI spec are planned with the answers, as
            // `add openapi` / `new --from-openapi` plan them.
            let openapi = app.openapi.plan_input();
            let result = match (&app.flow, app.release, openapi) {
                (Flow::Existing { dir, .. }, Some(part), _) => plan_release(dir, part),
                (Flow::New { output_dir }, _, Some((spec, options))) => {
                    openapi::new_module_with_answers(&app.answers, spec, &options, output_dir)
                }
                (Flow::New { output_dir }, _, None) => {
                    generate::new_module(&app.answers, output_dir)
                }
                (Flow::Existing { dir, .. }, None, Some((spec, options))) => {
                    openapi::add_with_answers(dir, &app.answers, spec, &options)
                }
                (Flow::Existing { dir, .. }, None, None) => {
                    generate::add_to_module(dir, &app.answers)
                }
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
        Effect::LoadSpec => load_spec(app),
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

/// Loads the spec named on the OpenAPI screen (a file or an http(s) URL); a failure stays on the
/// screen under the field, with its hint.
fn load_spec(app: &mut App) {
    let typed = app.openapi.source.trim().to_string();
    if typed.is_empty() {
        app.openapi.error = Some(Failure::with_hint(
            "no spec given",
            "type the path of an OpenAPI 3 or Swagger 2 file (JSON or YAML), or an http(s) URL",
        ));
        return;
    }
    // `~/specs/x.yaml` as a shell would read it.
    let source = match (typed.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => std::path::Path::new(&home).join(rest).display().to_string(),
        _ => typed,
    };
    if let Flow::Existing { dir, .. } = &app.flow {
        app.openapi.module_uuid = std::fs::read(dir.join("manifest.json"))
            .ok()
            .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
            .and_then(|m| uuid::Uuid::parse_str(m.get("uuid")?.as_str()?).ok());
    }
    match Spec::load(&source) {
        Ok(spec) if spec.operations().is_empty() => {
            app.openapi.error = Some(Failure::with_hint(
                format!("{source} has no get, post, put, patch or delete operation"),
                "check the spec's `paths`, or load another spec",
            ));
        }
        Ok(spec) => {
            app.openapi.loaded(spec);
            let n = app.openapi.operations.len();
            app.status = Some(format!(
                "Loaded {n} operation{}: Space chooses, / filters, Enter when done.",
                if n == 1 { "" } else { "s" }
            ));
        }
        Err(f) => app.openapi.error = Some(f),
    }
    app.openapi.refresh_preview();
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
