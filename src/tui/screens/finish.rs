//! After the review: what was written, the Git hand-off, and the next steps.

use ratatui::crossterm::event::KeyCode;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::Frame;

use std::path::PathBuf;

use super::form::{panel, Form};
use crate::core::model::Packaging;
use crate::tui::app::{cycle, next_of, App, Effect, Overlay, Page};
use crate::tui::keys::{self, bind, Action, Binding, Key};
use crate::tui::push::{flag_text, GitFocus, PushRun};
use crate::tui::theme::Theme;

pub fn bindings(app: &App) -> Vec<Binding> {
    if app.page == Page::Git {
        return git_bindings(app);
    }
    let mut b = Vec::new();
    if app.page == Page::Done {
        b.push(keys::confirm("module home (add more, release, push)"));
        b.push(keys::next_step("module home"));
    } else {
        b.push(keys::confirm("next"));
        b.push(keys::next_step("next step"));
    }
    if app.page == Page::Written {
        b.push(bind("t", "test", Action::Test, &[Key::ch('t')]));
        if lock_can_retry(app) {
            b.push(bind("l", "lock", Action::Letter('l'), &[Key::ch('l')]));
        }
        let why = crate::tui::app::WRITTEN_IS_DONE;
        b.push(keys::explain(&[keys::ESC], why));
        b.push(keys::explain(&keys::PREV_STEP_KEYS, why));
    } else {
        b.push(keys::back("back"));
        b.push(keys::prev_step());
    }
    b
}

/// The form's keys; while a push runs only Esc (stop it), once pushed Enter goes on.
fn git_bindings(app: &App) -> Vec<Binding> {
    let git = &app.git;
    if git.running() {
        return vec![keys::back("stop the push")];
    }
    if git.succeeded() {
        return vec![
            keys::confirm("next"),
            keys::next_step("next step"),
            keys::back("back"),
            keys::prev_step(),
        ];
    }
    let last = next_of(&GitFocus::ALL, git.focus, |f| git.enabled(f)).is_none();
    let mut b = Vec::new();
    if git.focus == GitFocus::Create {
        b.push(bind(
            "←→",
            "existing URL / GitHub / GitLab",
            Action::CycleRight,
            &[Key::code(KeyCode::Right)],
        ));
        b.push(bind("", "", Action::CycleLeft, &[Key::code(KeyCode::Left)]));
    }
    if git.focus == GitFocus::Visibility {
        b.push(bind(
            "Space",
            "private / public",
            Action::Toggle,
            &[Key::ch(' ')],
        ));
    }
    if git.focus == GitFocus::Files {
        let [up, down] = keys::up_down();
        b.push(bind(
            "Space",
            "include / leave out",
            Action::Toggle,
            &[Key::ch(' ')],
        ));
        b.push(up);
        b.push(down);
    }
    let push = if git.run.is_some() {
        "retry push"
    } else {
        "push"
    };
    b.push(keys::confirm(if last { push } else { "next field" }));
    b.push(keys::focus_next());
    b.push(keys::focus_prev());
    b.push(keys::next_step("skip to Done"));
    b.push(keys::back("back"));
    b.push(keys::prev_step());
    b
}

pub fn act(app: &mut App, action: Action) -> Vec<Effect> {
    if app.page != Page::Git || app.git.succeeded() {
        return match action {
            Action::Confirm | Action::NextStep if app.page == Page::Done => {
                app.go_home();
                Vec::new()
            }
            Action::Confirm | Action::NextStep => app.next_step(),
            Action::Back => app.back(),
            Action::Test => vec![Effect::Test],
            Action::Letter('l') if lock_can_retry(app) => vec![Effect::Lock { install: true }],
            _ => Vec::new(),
        };
    }
    if app.git.running() {
        return match action {
            Action::Back => vec![Effect::CancelPush],
            _ => Vec::new(),
        };
    }
    let git = &mut app.git;
    let enabled = git.enabler();
    match action {
        Action::CycleLeft | Action::CycleRight if git.focus == GitFocus::Create => {
            git.cycle_create(action == Action::CycleRight);
            return Vec::new();
        }
        Action::Toggle if git.focus == GitFocus::Visibility => {
            git.form.public = !git.form.public;
            return Vec::new();
        }
        Action::NextStep => return app.next_step(),
        Action::Back => return app.back(),
        Action::FocusNext => git.focus = cycle(&GitFocus::ALL, git.focus, true, enabled),
        Action::FocusPrev => git.focus = cycle(&GitFocus::ALL, git.focus, false, enabled),
        Action::Up => git.file_cursor = git.file_cursor.saturating_sub(1),
        Action::Down => {
            git.file_cursor = (git.file_cursor + 1).min(git.files.len().saturating_sub(1))
        }
        Action::Toggle => {
            if let Some(f) = git.form.files.get_mut(git.file_cursor) {
                f.include = !f.include;
            }
        }
        Action::Confirm => match next_of(&GitFocus::ALL, git.focus, enabled) {
            Some(next) => git.focus = next,
            None => return start_push(app, false),
        },
        _ => {}
    }
    Vec::new()
}

/// The lock step ended without a lock file: `l` tries again (installing Poetry privately when
/// there is no other way to run it).
fn lock_can_retry(app: &App) -> bool {
    app.lock_task
        .as_ref()
        .is_some_and(|t| !t.running() && !t.succeeded())
}

/// Checks the form, and asks first when `check` fails; the push itself is an effect.
pub fn start_push(app: &mut App, confirmed: bool) -> Vec<Effect> {
    if app.lock_task.as_ref().is_some_and(|t| t.running()) {
        app.status = Some(format!(
            "The lock file is still being made ({}): push once it is there.",
            app.lock_task
                .as_ref()
                .map(|t| t.summary())
                .unwrap_or_default()
        ));
        return Vec::new();
    }
    match app.git.options(&module_dir(app)) {
        Err(problem) => {
            app.git.error = Some(problem);
            app.git.focus = GitFocus::Remote;
            Vec::new()
        }
        Ok(_) if !confirmed && !app.git.check_failures.is_empty() => {
            app.overlay = Some(Overlay::ConfirmPushFailingCheck);
            Vec::new()
        }
        Ok(_) => {
            app.git.error = None;
            app.git.run = Some(PushRun::default());
            vec![Effect::Push]
        }
    }
}

/// The module just written (or, before writing, where it would go).
pub fn module_dir(app: &App) -> PathBuf {
    app.written
        .as_ref()
        .map(|w| w.root.clone())
        .unwrap_or_else(|| app.target_dir())
}

fn quote(path: &std::path::Path) -> String {
    let s = path.display().to_string();
    if s.contains(' ') {
        format!("'{s}'")
    } else {
        s
    }
}

pub fn render(app: &App, frame: &mut Frame, area: Rect, theme: &Theme) {
    let dir = module_dir(app);
    let cmd = |s: String| Line::from(vec![Span::raw("   $ "), Span::styled(s, theme.key())]);
    match app.page {
        Page::Written => {
            let files = app
                .written
                .as_ref()
                .map(|w| w.files.clone())
                .unwrap_or_default();
            let mut lines = vec![
                Line::from(Span::styled(
                    format!(" ✓ Wrote {} files in {}", files.len(), dir.display()),
                    theme.ok(),
                )),
                Line::default(),
            ];
            lines.extend(files.iter().map(|f| Line::raw(format!("   {f}"))));
            if let Some(task) = &app.lock_task {
                lines.push(Line::default());
                let style = match &task.outcome {
                    None => theme.dim(),
                    Some(Ok(_)) => theme.ok(),
                    Some(Err(_)) => theme.error(),
                };
                lines.extend(super::form::hanging(
                    &format!(" {}", task.summary()),
                    1,
                    3,
                    area.width.saturating_sub(2) as usize,
                    style,
                ));
                if task.running() {
                    if let Some(last) = task.lines.last() {
                        lines.push(Line::from(Span::styled(format!("   {last}"), theme.dim())));
                    }
                }
            }
            panel(frame, area, "Write", lines, theme);
        }
        Page::Git => render_git(app, frame, area, theme, &quote(&dir)),
        _ => {
            let install = match app.answers.module.as_ref().map(|m| m.packaging) {
                Some(Packaging::Uv) => "uv sync",
                _ => "poetry install",
            };
            let lines = vec![
                Line::raw(" Next steps:"),
                Line::default(),
                cmd(format!("cd {}", quote(&dir))),
                cmd(install.into()),
                cmd("pytest".into()),
                cmd("sekoia-wizard check .".into()),
                Line::default(),
                Line::raw(" After editing the Python models, regenerate the manifests:"),
                cmd("sekoia-wizard sync .".into()),
                Line::default(),
                Line::raw(" Add more later by running sekoia-wizard inside the module."),
            ];
            panel(frame, area, "Done", lines, theme);
        }
    }
}

/// The push form, then the progress of the push and how it ended; the equivalent commands stay
/// underneath as a hint.
fn render_git(app: &App, frame: &mut Frame, area: Rect, theme: &Theme, dir: &str) {
    let git = &app.git;
    let editable = git.editable();
    let focused = |item: GitFocus| editable && git.focus == item;
    let mut form = Form::new(theme, area);
    form.line(Line::raw(
        " Commit the module and push it (a new repository starts on the branch; nothing is forced):",
    ));
    let provider = git.create.map(|f| match f {
        crate::core::forge::Forge::GitHub => "GitHub",
        crate::core::forge::Forge::GitLab => "GitLab",
    });
    form.choice(
        "Repository",
        &match provider {
            None => "existing: push to the URL below".to_string(),
            Some(p) => format!("create it on {p} (needs a token)"),
        },
        focused(GitFocus::Create),
    );
    match provider {
        None => form.text(
            "Remote URL",
            &git.remote,
            focused(GitFocus::Remote),
            false,
            app.cursor,
            "git@github.com:OWNER/NAME.git or https://HOST/OWNER/NAME.git",
        ),
        Some(p) => {
            form.disabled("Remote URL", &format!("{p} gives it once created"));
            form.text(
                "Owner",
                &git.owner,
                focused(GitFocus::Owner),
                false,
                app.cursor,
                "empty: your account; or an organisation / group",
            );
            form.toggle("Public", git.public, focused(GitFocus::Visibility));
            form.text(
                "API URL",
                &git.api_url,
                focused(GitFocus::ApiUrl),
                false,
                app.cursor,
                if p == "GitHub" {
                    "https://api.github.com (Enterprise: https://HOST/api/v3)"
                } else {
                    "https://gitlab.com (or your GitLab's URL)"
                },
            );
        }
    }
    if let Some(problem) = &git.error {
        form.problem(problem);
    }
    form.text(
        "Branch",
        &git.branch,
        focused(GitFocus::Branch),
        false,
        app.cursor,
        "main",
    );
    form.text(
        "Message",
        &git.message,
        focused(GitFocus::Message),
        false,
        app.cursor,
        "(empty: one naming what changed)",
    );
    form.text(
        "Token",
        &git.token.0,
        focused(GitFocus::Token),
        true,
        app.cursor,
        "optional, for HTTPS (never stored); SSH keys and credential helpers work too",
    );
    if git.ask_identity {
        form.note("git has no user.name / user.email here: who signs the commit?");
        form.text(
            "Your name",
            &git.name,
            focused(GitFocus::Name),
            false,
            app.cursor,
            "e.g. Ada Lovelace",
        );
        form.text(
            "E-mail",
            &git.email,
            focused(GitFocus::Email),
            false,
            app.cursor,
            "e.g. ada@example.com",
        );
    }
    let flagged = git.flagged();
    let summary = format!(
        "{} to commit{}",
        git.files.iter().filter(|f| f.include).count(),
        if flagged > 0 {
            format!(", {flagged} flagged (left out unless you include them)")
        } else {
            String::new()
        }
    );
    form.text("Files", "", focused(GitFocus::Files), false, 0, &summary);
    let show = if focused(GitFocus::Files) { 8 } else { 3 };
    let first = git.file_cursor.saturating_sub(show - 1);
    let mut listed: Vec<usize> = (0..git.files.len()).collect();
    if !focused(GitFocus::Files) {
        // Unfocused, the flagged files come first: they are the ones to look at.
        listed.sort_by_key(|i| git.files[*i].file.suspicion.is_none());
    }
    for &i in listed
        .iter()
        .skip(if focused(GitFocus::Files) { first } else { 0 })
        .take(show)
    {
        let f = &git.files[i];
        let here = focused(GitFocus::Files) && i == git.file_cursor;
        let mark = if f.include { "[x]" } else { "[ ]" };
        let flag = f.file.suspicion.map(flag_text).unwrap_or_default();
        // The cursor mark sits next to the checkbox it toggles, not at the form's edge.
        let text = format!(
            "{:<width$}{}{mark} {}  {flag}",
            "",
            if here { "> " } else { "  " },
            f.file.path.display(),
            width = super::form::LABEL_WIDTH
        );
        let style = match (here, f.file.suspicion.is_some()) {
            (true, _) => theme.selected(),
            (false, true) => theme.error(),
            _ => Default::default(),
        };
        form.line(Line::from(Span::styled(
            crate::tui::view::ellipsis(&text, area.width.saturating_sub(2) as usize),
            style,
        )));
    }
    if git.files.len() > show {
        form.note(&if focused(GitFocus::Files) {
            format!("… {} files in all (↑↓ scroll)", git.files.len())
        } else {
            format!(
                "… {} more (Tab to the list to see them)",
                git.files.len() - show
            )
        });
    }
    if let Some(lock) = &git.lock {
        form.note(lock);
    }
    if !git.check_failures.is_empty() {
        form.note(&format!(
            "✗ check fails: {} (pushing asks first)",
            git.check_failures.first().cloned().unwrap_or_default()
        ));
    }
    if let Some(run) = &git.run {
        for line in &run.lines {
            form.line(Line::raw(format!("   {line}")));
        }
        match &run.finished {
            None => form.line(Line::from(Span::styled(
                "   … pushing (Esc stops it)",
                theme.dim(),
            ))),
            Some(Ok(pushed)) => form.line(Line::from(Span::styled(
                format!(" ✓ Pushed {} to {}", pushed.branch, pushed.remote),
                theme.ok(),
            ))),
            Some(Err(failure)) => {
                form.line(Line::from(Span::styled(
                    format!(" ✗ Push failed: {}", failure.message),
                    theme.error(),
                )));
                if let Some(hint) = &failure.hint {
                    form.note(&format!("hint: {hint}"));
                }
            }
        }
    }
    form.blank();
    form.line(Line::from(Span::styled(
        " Or from a shell (--create makes the repository; token in GITHUB_TOKEN / GITLAB_TOKEN):",
        theme.dim(),
    )));
    let cmd = |s: String| Line::from(vec![Span::raw("   $ "), Span::styled(s, theme.key())]);
    form.line(cmd(format!(
        "sekoia-wizard push {dir} --remote git@github.com:OWNER/NAME.git"
    )));
    form.line(cmd(format!(
        "sekoia-wizard push {dir} --create github --owner ORG"
    )));
    form.render(frame, area, "Git");
}
