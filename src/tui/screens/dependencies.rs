//! Step 4: PyPI requirements (`requests`, `requests>=2.31`), checked as they are added.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::Frame;

use super::form::{panel, Form};
use crate::core::deps::validate_requirement;
use crate::tui::app::{App, Effect};
use crate::tui::keys::{self, bind, Action, Binding};
use crate::tui::theme::Theme;

pub fn bindings(app: &App) -> Vec<Binding> {
    let mut b = Vec::new();
    let len = app.answers.dependencies.len();
    if app.deps.on_list {
        let [up, down] = keys::up_down();
        b.push(keys::delete("delete"));
        b.push(up);
        b.push(down);
        b.push(keys::confirm("to input"));
    } else {
        b.push(keys::confirm("add requirement"));
        b.push(keys::explain(
            &keys::DELETE_KEYS,
            "Tab goes to the list, where d deletes.",
        ));
    }
    if len > 0 || app.deps.on_list {
        let to = if app.deps.on_list {
            "to input"
        } else {
            "to list"
        };
        b.push(bind("Tab", to, Action::FocusNext, &[keys::TAB]));
        b.push(bind("", "", Action::FocusPrev, &[keys::BACKTAB]));
    } else {
        b.push(keys::explain(
            &[keys::TAB, keys::BACKTAB],
            "No requirement yet: the list is empty.",
        ));
    }
    if app.undo.is_some() {
        b.push(keys::undo());
    }
    b.push(keys::next_step("next step"));
    b.push(keys::back("back"));
    b.push(keys::prev_step());
    b
}

pub fn act(app: &mut App, action: Action) -> Vec<Effect> {
    let len = app.answers.dependencies.len();
    match action {
        Action::Add => return add(app),
        Action::Confirm if app.deps.on_list => app.deps.on_list = false,
        Action::Confirm => return add(app),
        Action::FocusNext | Action::FocusPrev => app.deps.on_list = !app.deps.on_list && len > 0,
        Action::Delete if app.deps.selected < len => {
            let what = format!(
                "requirement `{}`",
                app.answers.dependencies[app.deps.selected]
            );
            app.before_delete(what);
            app.answers.dependencies.remove(app.deps.selected);
            app.deps.selected = app.deps.selected.min(len.saturating_sub(2));
            app.deps.on_list = len > 1;
        }
        Action::Up => app.deps.selected = app.deps.selected.saturating_sub(1),
        Action::Down => app.deps.selected = (app.deps.selected + 1).min(len.saturating_sub(1)),
        Action::NextStep => return app.next_step(),
        Action::Back => return app.back(),
        _ => {}
    }
    Vec::new()
}

/// Enter on the input: adds the typed requirement (replacing one of the same name).
fn add(app: &mut App) -> Vec<Effect> {
    let text = app.deps.input.trim().to_string();
    if text.is_empty() {
        app.status =
            Some("Type a requirement first (e.g. requests), or C-n for the next step.".into());
        return Vec::new();
    }
    match validate_requirement(&text) {
        Ok(req) => {
            let name = crate::core::deps::normalize(&req.name);
            let same = |d: &String| {
                validate_requirement(d)
                    .map(|r| crate::core::deps::normalize(&r.name) == name)
                    .unwrap_or(false)
            };
            app.answers.dependencies.retain(|d| !same(d));
            app.answers.dependencies.push(text);
            app.deps.input.clear();
            app.deps.error = None;
        }
        Err(f) => app.deps.error = Some(f),
    }
    Vec::new()
}

pub fn render(app: &App, frame: &mut Frame, area: Rect, theme: &Theme) {
    let [top, bottom] = Layout::vertical([Constraint::Length(6), Constraint::Min(3)]).areas(area);
    let mut form = Form::new(theme, top);
    form.text(
        "Requirement",
        &app.deps.input,
        !app.deps.on_list,
        false,
        app.cursor,
        "e.g. requests or requests>=2.31",
    );
    if let Some(e) = &app.deps.error {
        form.problem(e);
    } else {
        form.note("added to pyproject.toml; the SDK is already there");
    }
    form.render(frame, top, "Dependencies");
    let mut lines = Vec::new();
    // An existing module's own dependencies are listed (read once, with the module's summary),
    // so "none" never hides `requests`.
    let declared: &[String] = match &app.flow {
        crate::tui::app::Flow::Existing {
            summary: Ok(module),
            ..
        } => &module.dependencies,
        _ => &[],
    };
    if !declared.is_empty() {
        lines.extend(super::form::hanging(
            &format!("Already in pyproject.toml: {}", declared.join(", ")),
            1,
            3,
            bottom.width.saturating_sub(2) as usize,
            theme.dim(),
        ));
    }
    if app.answers.dependencies.is_empty() {
        let none = if declared.is_empty() {
            " None yet."
        } else {
            " None added yet."
        };
        lines.push(Line::from(Span::styled(none, theme.dim())));
    }
    for (i, d) in app.answers.dependencies.iter().enumerate() {
        let here = app.deps.on_list && i == app.deps.selected;
        let style = if here {
            theme.selected()
        } else {
            Default::default()
        };
        lines.push(Line::from(Span::styled(
            format!("{} {d}", if here { ">" } else { " " }),
            style,
        )));
    }
    panel(frame, bottom, "Requirements", lines, theme);
}
