//! After the review: what was written, the Git hand-off, and the next steps.

use crossterm::event::KeyCode;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::Frame;

use super::form::panel;
use crate::core::model::Packaging;
use crate::tui::app::{App, Effect, Page};
use crate::tui::keys::{bind, Action, Binding, Key};
use crate::tui::theme::Theme;

pub fn bindings(app: &App) -> Vec<Binding> {
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

pub fn act(app: &mut App, action: Action) -> Vec<Effect> {
    match action {
        Action::NextStep => app.next_step(),
        Action::Back => app.back(),
        _ => Vec::new(),
    }
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
    let dir = app
        .written
        .as_ref()
        .map(|w| w.root.clone())
        .unwrap_or_else(|| app.target_dir());
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
        Page::Git => {
            let d = quote(&dir);
            let lines = vec![
                Line::raw(" Commit the module and push it to a repository you already have:"),
                cmd(format!("sekoia-wizard push {d} --remote git@github.com:OWNER/NAME.git")),
                Line::default(),
                Line::raw(" or create the repository on GitHub or GitLab first (token in GITHUB_TOKEN / GITLAB_TOKEN):"),
                cmd(format!("sekoia-wizard push {d} --create github --owner ORG")),
                cmd(format!("sekoia-wizard push {d} --create gitlab --owner GROUP")),
                Line::default(),
                Line::from(Span::styled(" push initialises the repository, writes a .gitignore, commits every file and pushes.", theme.dim())),
            ];
            panel(frame, area, "Git", lines, theme);
        }
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
