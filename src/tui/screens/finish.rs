//! After the review: what was written, the Git hand-off, and the next steps.

use ratatui::crossterm::event::KeyCode;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::Frame;

use std::path::PathBuf;

use super::form::{panel, Form};
use crate::core::model::Packaging;
use crate::tui::app::{App, Effect, Page};
use crate::tui::keys::{self, bind, Action, Binding, Key};
use crate::tui::push::{PushRun, BRANCH, EMAIL, NAME, REMOTE, TOKEN};
use crate::tui::theme::Theme;

pub fn bindings(app: &App) -> Vec<Binding> {
    if app.page == Page::Git {
        return git_bindings(app);
    }
    let mut b = Vec::new();
    if app.page == Page::Done {
        b.push(bind(
            "Enter",
            "quit",
            Action::Quit,
            &[Key::code(KeyCode::Enter)],
        ));
    } else {
        b.push(bind(
            "Enter",
            "next",
            Action::NextStep,
            &[
                Key::code(KeyCode::Enter),
                Key::code(KeyCode::PageDown),
                Key::ctrl('n'),
            ],
        ));
    }
    if app.page != Page::Written {
        b.push(bind(
            "Esc",
            "back",
            Action::Back,
            &[Key::code(KeyCode::Esc)],
        ));
    }
    b
}

/// The form's keys; none while a push runs (only help and quit), Enter goes on once it succeeded.
fn git_bindings(app: &App) -> Vec<Binding> {
    let git = &app.git;
    if git.running() {
        return Vec::new();
    }
    if git.succeeded() {
        return vec![
            bind(
                "Enter",
                "next",
                Action::NextStep,
                &[
                    Key::code(KeyCode::Enter),
                    Key::code(KeyCode::PageDown),
                    Key::ctrl('n'),
                ],
            ),
            bind("Esc", "back", Action::Back, &[Key::code(KeyCode::Esc)]),
        ];
    }
    let push_label = if git.run.is_some() {
        "retry push"
    } else {
        "push"
    };
    vec![
        bind(
            "Enter",
            push_label,
            Action::Push,
            &[Key::code(KeyCode::Enter)],
        ),
        keys::focus_next(),
        keys::focus_prev(),
        bind(
            "PgDn",
            "skip to Done",
            Action::NextStep,
            &[Key::code(KeyCode::PageDown), Key::ctrl('n')],
        ),
        bind("Esc", "back", Action::Back, &[Key::code(KeyCode::Esc)]),
    ]
}

pub fn act(app: &mut App, action: Action) -> Vec<Effect> {
    match action {
        Action::NextStep => app.next_step(),
        Action::Back => app.back(),
        Action::FocusNext => {
            app.git.focus = (app.git.focus + 1) % app.git.items();
            Vec::new()
        }
        Action::FocusPrev => {
            let n = app.git.items();
            app.git.focus = (app.git.focus + n - 1) % n;
            Vec::new()
        }
        Action::Push => start_push(app),
        _ => Vec::new(),
    }
}

/// Checks the form; the push itself is an effect, run outside the update.
fn start_push(app: &mut App) -> Vec<Effect> {
    match app.git.options(&module_dir(app)) {
        Err(problem) => {
            app.git.error = Some(problem);
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
    let focused = |item: usize| editable && git.focus == item;
    let mut form = Form::new(theme, area);
    form.line(Line::raw(
        " Commit the module and push it (a new repository starts on the branch; nothing is forced):",
    ));
    form.blank();
    form.text(
        "Remote URL",
        &git.remote,
        focused(REMOTE),
        false,
        app.cursor,
        "git@github.com:OWNER/NAME.git or https://HOST/OWNER/NAME.git",
    );
    if let Some(problem) = &git.error {
        form.problem(problem);
    }
    form.text(
        "Branch",
        &git.branch,
        focused(BRANCH),
        false,
        app.cursor,
        "main",
    );
    form.text(
        "Token",
        &git.token,
        focused(TOKEN),
        true,
        app.cursor,
        "optional, for HTTPS (never stored); SSH keys and credential helpers work too",
    );
    if git.ask_identity {
        form.note("git has no user.name / user.email here: who signs the commit?");
        form.text(
            "Your name",
            &git.name,
            focused(NAME),
            false,
            app.cursor,
            "e.g. Ada Lovelace",
        );
        form.text(
            "E-mail",
            &git.email,
            focused(EMAIL),
            false,
            app.cursor,
            "e.g. ada@example.com",
        );
    }
    if let Some(run) = &git.run {
        form.blank();
        for line in &run.lines {
            form.line(Line::raw(format!("   {line}")));
        }
        match &run.finished {
            None => form.line(Line::from(Span::styled("   … pushing", theme.dim()))),
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
                    form.line(Line::from(Span::styled(
                        format!("   hint: {hint}"),
                        theme.dim(),
                    )));
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
