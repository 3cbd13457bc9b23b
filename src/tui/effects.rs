//! Runs what `App::on_key` asks for: planning the files through the core, writing them, saving the
//! answers. No terminal here either, so tests drive the whole wizard with it.

use std::sync::atomic::AtomicBool;
use std::sync::mpsc::{self, TryRecvError};
use std::sync::Arc;

use super::app::{App, Effect, Flow, Overlay, Page, Written};
use super::push::{PushChannel, PushEvent, Pushed};
use super::screens::finish;
use super::task::Task;
use crate::core::ci;
use crate::core::failure::Failure;
use crate::core::generate::into_dir;
use crate::core::git;
use crate::core::lock::{self, LockEnd};
use crate::core::openapi::Spec;
use crate::core::release;
use crate::core::workspace;
use crate::wizard::effects::{self, Extras, ReleaseChoice};
// Planning, errors and saving are the wizard layer's; the names stay here for the screens.
pub use crate::wizard::effects::{failure_of, without_secret_defaults};

/// After a release is written: commit its files and tag the commit, as `release --tag` does.
fn tag_release(dir: &std::path::Path, plan: &crate::core::plan::Plan, notes: &str) -> String {
    // The version just written into manifest.json.
    let version = std::fs::read_to_string(dir.join("manifest.json"))
        .ok()
        .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
        .and_then(|m| m["version"].as_str().map(str::to_string))
        .unwrap_or_default();
    let tag = release::tag_name(&version);
    let files: Vec<&str> = plan.changes().map(|f| f.path.as_str()).collect();
    let name = crate::core::compliance::module_name(dir);
    let notes = Some(notes.trim()).filter(|n| !n.is_empty());
    let (commit_message, tag_message) = release::tag_messages(&name, &version, notes);
    match git::commit_and_tag(dir, &files, &tag, &commit_message, &tag_message) {
        Ok(_) => format!("Released {version} and tagged it {tag}; the Git step pushes it."),
        Err(e) => format!(
            "Released {version}, but not tagged: {}",
            failure_of(&e).message
        ),
    }
}

pub fn perform(app: &mut App, effect: Effect) {
    match effect {
        Effect::Generate => {
            // Operations chosen from an OpenAPI spec are planned with the answers, as
            // `add openapi` / `new --from-openapi` plan them.
            let extras = Extras {
                release: app.release.map(|part| ReleaseChoice {
                    part,
                    notes: &app.release_notes,
                    tag: app.release_tag,
                }),
                into_existing: app.into_existing(),
                openapi: app.openapi.plan_input(),
            };
            let mut result = effects::plan(&app.flow, &app.answers, &extras);
            if let Ok(generated) = &mut result {
                let packaged = generated.plan.changes().any(|f| f.path == "pyproject.toml");
                if packaged {
                    let note = super::screens::review::lock_note(app, &generated.plan.root);
                    generated.notes.push(note);
                }
            }
            app.review.result = Some(result);
            app.review.selected = 0;
            app.review.scroll = 0;
        }
        Effect::Write => {
            if app.into_existing() == Some(into_dir::IntoExisting::Remove) {
                // Emptied now, then planned again on the empty directory: the plan read the old
                // files and would (rightly) refuse to write over what changed under it.
                let dir = app.target_dir();
                if let Err(e) = into_dir::empty_dir_but_git(&dir) {
                    app.status = Some(format!("Nothing written: {} ({e})", dir.display()));
                    return;
                }
                perform(app, Effect::Generate);
            }
            let Some(Ok(generated)) = &app.review.result else {
                return;
            };
            match workspace::apply_locked(&generated.plan) {
                Ok(applied) => {
                    let root = generated.plan.root.clone();
                    let files: Vec<String> = applied
                        .written
                        .iter()
                        .map(|p| p.strip_prefix(&root).unwrap_or(p).display().to_string())
                        .collect();
                    if app.release.take().is_some() {
                        if app.release_tag {
                            app.status =
                                Some(tag_release(&root, &generated.plan, &app.release_notes));
                        }
                        app.release_notes.clear();
                        app.release_tag = false;
                    }
                    // Asked once here, not on every frame: the form adds the identity fields.
                    app.git.ask_identity = git::configured_identity(&root).is_none();
                    let packaged = files.iter().any(|f| f == "pyproject.toml");
                    app.on_written(Written { root, files });
                    // A new pyproject.toml (or a new dependency) needs its lock file before
                    // anything is pushed: made now, while the person reads what was written.
                    if packaged {
                        start_lock(app, false);
                    }
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
        Effect::Lock { install } => start_lock(app, install),
        Effect::Test => start_test(app),
        Effect::CancelPush => {
            // A push waiting for a passphrase gets none, then sees the cancel.
            app.git.answer_passphrase(None);
            if let Some(cancel) = &app.git.cancel {
                cancel.store(true, std::sync::atomic::Ordering::SeqCst);
                app.status = Some("Stopping the push…".into());
            }
        }
        Effect::SaveAnswers(path) => {
            let (Ok(line) | Err(line)) = effects::save_answers(&app.answers_to_save(), &path);
            app.status = Some(line);
        }
    }
}

/// Starts the lock step of the module just written on a worker (`core::lock`, the same plan as
/// `new` and `add`). Without a way to run Poetry it does not start: the Write page offers the
/// private install (`l`), which the person asks for with `install`.
fn start_lock(app: &mut App, install: bool) {
    let dir = finish::module_dir(app);
    let title = lock::lock_file_of(&dir);
    let plan = lock::plan(&dir, lock::packaging_of(&dir));
    if plan.candidates.is_empty() && !(install && plan.install.is_some()) {
        let why = match &plan.install {
            Some(i) => format!(
                "Poetry is not installed (nor uv or pipx): l installs it into {} (only for \
                 sekoia-wizard) and locks",
                i.dir.display()
            ),
            None => plan.manual_hint(),
        };
        app.lock_task = Some(Task::ended(title, Err(why)));
        return;
    }
    app.lock_task = Some(Task::spawn(title, move |report| {
        match lock::run(plan, install, false, &mut |line| report.line(line)) {
            LockEnd::Locked(line) => Ok(format!("made with `{line}`")),
            LockEnd::Failed(why) | LockEnd::NotRun(why) => Err(why),
        }
    }));
}

/// Runs the library's CI steps (`core::ci`, as `sekoia-wizard test`) on the module, one line per
/// step as it runs, in the Tests pop-up.
fn start_test(app: &mut App) {
    if app.test_task.as_ref().is_some_and(Task::running) {
        app.overlay = Some(Overlay::Tests);
        return;
    }
    let dir = match &app.flow {
        Flow::Existing { dir, .. } if app.written.is_none() => dir.clone(),
        _ => finish::module_dir(app),
    };
    let options = ci::Options {
        dir,
        fallback_python: std::env::var_os("SEKOIA_WIZARD_PYTHON")
            .filter(|v| !v.is_empty())
            .map(std::path::PathBuf::from),
        ..Default::default()
    };
    app.overlay = Some(Overlay::Tests);
    app.test_task = Some(Task::spawn("Test", move |report| {
        let result = ci::run(&options, &mut |event| match event {
            ci::Event::Fixed(line) => report.line(format!("fix: {line}")),
            ci::Event::Started { step, index, total } => {
                report.line(format!("[{index}/{total}] {:<12} running…", step.name()))
            }
            ci::Event::Finished {
                result,
                index,
                total,
            } => {
                let mark = match result.outcome {
                    ci::Outcome::Passed => "✓",
                    ci::Outcome::Failed => "✗",
                    ci::Outcome::Skipped => "-",
                };
                report.replace(format!(
                    "[{index}/{total}] {:<12} {mark} {} {:.1}s",
                    result.step.name(),
                    result.outcome.name(),
                    result.duration.as_secs_f64()
                ));
                for detail in result.details.iter().take(3) {
                    report.line(format!("      {detail}"));
                }
            }
        });
        let (failed, skipped) = (
            result.count(ci::Outcome::Failed),
            result.count(ci::Outcome::Skipped),
        );
        if failed == 0 {
            Ok(format!(
                "passed{}",
                if skipped > 0 {
                    format!(" ({skipped} skipped)")
                } else {
                    String::new()
                }
            ))
        } else {
            Err(format!("{failed} step(s) failed"))
        }
    }));
}

/// Folds in what the lock and test workers said; when the lock ends on the Git step, the step's
/// view of the lock file and `check` is read again.
pub fn poll_tasks(app: &mut App) -> bool {
    let mut any = false;
    if let Some(task) = &mut app.lock_task {
        let was_running = task.running();
        any |= task.poll();
        if was_running && !task.running() && app.page == Page::Git && app.git.run.is_none() {
            let dir = finish::module_dir(app);
            app.git.prepare(&dir);
        }
    }
    if let Some(task) = &mut app.test_task {
        any |= task.poll();
    }
    let fetched = app.openapi.loading.as_ref().and_then(|(source, slot)| {
        let done = slot
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take();
        done.map(|result| (source.clone(), result))
    });
    if let Some((source, result)) = fetched {
        app.openapi.loading = None;
        spec_loaded(app, &source, result);
        any = true;
    }
    any
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
        app.openapi.module_uuid = into_dir::existing_uuid(dir);
    }
    // A URL is fetched on a worker, so the screen keeps answering (and Esc still leaves).
    if source.starts_with("http://") || source.starts_with("https://") {
        let slot: crate::tui::openapi::LoadSlot = Default::default();
        let (from, into) = (source.clone(), slot.clone());
        std::thread::spawn(move || {
            let loaded = Spec::load(&from);
            *into
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(loaded);
        });
        app.openapi.error = None;
        app.status = Some(format!("Loading {source}…"));
        app.openapi.loading = Some((source, slot));
        return;
    }
    let loaded = Spec::load(&source);
    spec_loaded(app, &source, loaded);
}

/// What the spec screen shows once a spec is read (from a file at once, from a URL when its
/// worker ends).
fn spec_loaded(app: &mut App, source: &str, loaded: Result<Spec, Failure>) {
    match loaded {
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
