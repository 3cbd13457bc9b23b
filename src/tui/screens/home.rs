//! The home screen of an existing module: what it has, what this session adds, and where to go.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::Frame;

use super::form::{pair, panel};
use crate::tui::app::{App, Effect, Flow, Overlay, Page};
use crate::tui::keys::{self, bind, Action, Binding, Key};
use crate::tui::theme::Theme;

pub fn bindings(_app: &App) -> Vec<Binding> {
    let mut b = vec![
        bind("a", "add component", Action::AddComponent, &[Key::ch('a')]),
        bind("o", "from OpenAPI", Action::Letter('o'), &[Key::ch('o')]),
        bind("c", "add configuration", Action::AddConfig, &[Key::ch('c')]),
        bind("r", "regenerate", Action::Regenerate, &[Key::ch('r')]),
        bind("v", "release", Action::Release, &[Key::ch('v')]),
        bind("t", "test", Action::Test, &[Key::ch('t')]),
        keys::next_step("next step"),
        keys::explain(
            &[keys::ENTER],
            "Choose what to do: a, c, r, v or t (or C-n for the steps).",
        ),
    ];
    b.extend(super::module::first_page_back());
    b
}

pub fn act(app: &mut App, action: Action) -> Vec<Effect> {
    match action {
        Action::AddComponent => {
            app.release = None;
            app.overlay = Some(Overlay::KindPicker { selected: 0 });
            Vec::new()
        }
        Action::Letter('o') => {
            super::openapi::open(app);
            Vec::new()
        }
        Action::AddConfig => {
            app.release = None;
            app.go_to(Page::Configuration)
        }
        Action::Release => {
            app.overlay = Some(Overlay::ReleasePicker { selected: 0 });
            Vec::new()
        }
        Action::Test => vec![Effect::Test],
        // Regenerating is a review of the module with nothing added: the plan rewrites the manifests.
        Action::Regenerate => app.go_to(Page::Review),
        Action::NextStep => app.next_step(),
        Action::Back => app.back(),
        _ => Vec::new(),
    }
}

pub fn render(app: &App, frame: &mut Frame, area: Rect, theme: &Theme) {
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(area);
    let Flow::Existing { dir, summary } = &app.flow else {
        return;
    };
    let mut lines = pair(
        "Directory",
        dir.display().to_string(),
        theme,
        left.width - 2,
    );
    match summary {
        Ok(m) => {
            lines.extend(pair("Name", m.name.clone(), theme, left.width - 2));
            lines.extend(pair("Slug", m.slug.clone(), theme, left.width - 2));
            lines.extend(pair("Version", m.version.clone(), theme, left.width - 2));
            lines.extend(pair(
                "Description",
                m.description.clone(),
                theme,
                left.width - 2,
            ));
            let config = if m.configuration.is_empty() {
                "(none)".to_string()
            } else {
                m.configuration.join(", ")
            };
            lines.extend(pair("Configuration", config, theme, left.width - 2));
            lines.push(Line::default());
            lines.push(Line::from(Span::styled(
                format!(" Components ({})", m.components.len()),
                theme.title(),
            )));
            for c in &m.components {
                lines.push(Line::raw(format!("   {:<10} {}", c.kind.as_str(), c.name)));
                // One line per JSON: hand-chosen names are long, and a wrapped list is hard to read.
                let none = ["(no JSON yet)".to_string()];
                let jsons = if c.json_files.is_empty() {
                    &none[..]
                } else {
                    &c.json_files[..]
                };
                for json in jsons {
                    lines.push(Line::from(Span::styled(
                        format!("              {json}"),
                        theme.dim(),
                    )));
                }
            }
            if let Some(note) = &m.note {
                lines.push(Line::default());
                lines.extend(super::form::hanging(
                    &format!("(from the JSON files: the code could not be read: {note})"),
                    1,
                    2,
                    left.width.saturating_sub(2) as usize,
                    theme.dim(),
                ));
            }
        }
        Err(e) => lines.push(Line::from(Span::styled(format!(" ✗ {e}"), theme.error()))),
    }
    panel(frame, left, "Module", lines, theme);

    let mut added = Vec::new();
    let a = &app.answers;
    if a.configuration.is_empty()
        && a.components.is_empty()
        && a.dependencies.is_empty()
        && app.openapi.chosen_count() == 0
    {
        added.push(Line::from(Span::styled(" Nothing yet.", theme.dim())));
    }
    for f in &a.configuration {
        added.push(Line::raw(format!(" + configuration {}", f.name)));
    }
    for c in &a.components {
        added.push(Line::raw(format!(" + {} {}", c.kind, c.name.trim())));
    }
    for d in &a.dependencies {
        added.push(Line::raw(format!(" + dependency {d}")));
    }
    added.extend(super::components::openapi_lines(
        app,
        right.width.saturating_sub(2) as usize,
        theme,
    ));
    added.push(Line::default());
    for hint in [
        " a: add an action, trigger or connector",
        " o: actions from an OpenAPI spec",
        " c: add module configuration fields",
        " r: regenerate the manifests and main.py",
        " v: release a version",
        " t: test (the library's CI steps)",
    ] {
        added.push(Line::from(Span::styled(hint, theme.dim())));
    }
    panel(frame, right, "This session adds", added, theme);
}
