//! One component: kind, name (the class, file and manifest names follow it), description, and its
//! arguments / configuration and results, each edited in the field designer.

use ratatui::crossterm::event::KeyCode;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::Frame;

use super::form::{pair, panel, Form};
use crate::core::model::{ComponentKind, ComponentSpec};
use crate::tui::app::{App, Effect, FieldsView, Flow, View};
use crate::tui::keys::{self, bind, Action, Binding, Key};
use crate::tui::paths::{FieldsPath, FieldsRoot};
use crate::tui::theme::Theme;
use crate::tui::validation::check_fields;

const KIND: usize = 0;
const ARGUMENTS: usize = 3;
const RESULTS: usize = 4;

fn items(c: &ComponentSpec) -> usize {
    if c.kind.has_results() {
        5
    } else {
        4
    }
}

fn current(app: &App) -> Option<(usize, usize, &ComponentSpec)> {
    let e = app.component_editor()?;
    Some((e.index, e.focus, app.answers.components.get(e.index)?))
}

pub fn bindings(app: &App) -> Vec<Binding> {
    let mut b = vec![keys::focus_next(), keys::focus_prev()];
    match current(app).map(|(_, f, _)| f) {
        Some(KIND) => {
            b.insert(
                0,
                bind(
                    "←→",
                    "change kind",
                    Action::CycleRight,
                    &[Key::code(KeyCode::Right), Key::ch(' ')],
                ),
            );
            b.push(bind("", "", Action::CycleLeft, &[Key::code(KeyCode::Left)]));
        }
        Some(ARGUMENTS | RESULTS) => b.insert(
            0,
            bind(
                "Enter",
                "edit fields",
                Action::Open,
                &[Key::code(KeyCode::Enter)],
            ),
        ),
        _ => b.push(bind(
            "Enter",
            "next field",
            Action::FocusNext,
            &[Key::code(KeyCode::Enter)],
        )),
    }
    b.push(bind(
        "Esc",
        "back to list",
        Action::Back,
        &[Key::code(KeyCode::Esc)],
    ));
    b
}

pub fn act(app: &mut App, action: Action) -> Vec<Effect> {
    let Some((index, focus, c)) = current(app) else {
        app.stack.pop();
        return Vec::new();
    };
    let count = items(c);
    let kind = c.kind;
    let set_focus = |app: &mut App, f: usize| {
        if let Some(View::Component(e)) = app.stack.last_mut() {
            e.focus = f;
        }
    };
    match action {
        Action::FocusNext => set_focus(app, (focus + 1) % count),
        Action::FocusPrev => set_focus(app, (focus + count - 1) % count),
        Action::CycleRight | Action::CycleLeft => {
            let i = ComponentKind::ALL
                .iter()
                .position(|k| *k == kind)
                .unwrap_or(0);
            let step = if action == Action::CycleRight {
                1
            } else {
                ComponentKind::ALL.len() - 1
            };
            app.answers.components[index].kind =
                ComponentKind::ALL[(i + step) % ComponentKind::ALL.len()];
        }
        Action::Open => {
            let root = if focus == ARGUMENTS {
                FieldsRoot::Arguments(index)
            } else {
                FieldsRoot::Results(index)
            };
            app.stack.push(View::Fields(FieldsView {
                path: FieldsPath::root(root),
                selected: 0,
            }));
        }
        Action::Back => {
            app.stack.pop();
        }
        _ => {}
    }
    Vec::new()
}

fn package(app: &App) -> String {
    match &app.flow {
        Flow::New { .. } => app
            .module()
            .names()
            .map(|n| n.package)
            .unwrap_or_else(|_| "<package>".into()),
        Flow::Existing { dir, .. } => std::fs::read_dir(dir)
            .ok()
            .and_then(|d| {
                d.filter_map(|e| e.ok())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .find(|n| n.ends_with("_modules"))
            })
            .unwrap_or_else(|| "<package>".into()),
    }
}

pub fn render(app: &App, frame: &mut Frame, area: Rect, theme: &Theme) {
    let Some((_, focus, c)) = current(app) else {
        return;
    };
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(48), Constraint::Percentage(52)]).areas(area);
    let mut form = Form::new(theme, left);
    form.choice("Kind", c.kind.as_str(), focus == KIND);
    form.text(
        "Name",
        &c.name,
        focus == 1,
        false,
        app.cursor,
        "e.g. Request or \"Get alert\"",
    );
    let name_only = ComponentSpec {
        arguments: Vec::new(),
        results: Vec::new(),
        ..c.clone()
    };
    if let Err(p) = name_only.validate() {
        if !c.name.is_empty() {
            form.problem(&p);
        }
    }
    if app
        .answers
        .components
        .iter()
        .filter(|o| o.class_name() == c.class_name() && !c.name.trim().is_empty())
        .count()
        > 1
    {
        form.problem(&crate::core::failure::Failure::with_hint(
            format!("another component is named `{}`", c.class_name()),
            "give each component its own name",
        ));
    }
    form.text(
        "Description",
        &c.description,
        focus == 2,
        false,
        app.cursor,
        "what it does",
    );
    form.blank();
    let summary = |fields: &[crate::core::model::FieldSpec]| {
        if fields.is_empty() {
            "none".to_string()
        } else {
            fields
                .iter()
                .map(|f| f.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        }
    };
    let label = if c.kind == ComponentKind::Action {
        "Arguments"
    } else {
        "Configuration"
    };
    form.open(label, &summary(&c.arguments), focus == ARGUMENTS);
    if let Err(p) = check_fields(&c.arguments) {
        form.problem(&p);
    }
    if c.kind.has_results() {
        form.open("Results", &summary(&c.results), focus == RESULTS);
        if let Err(p) = check_fields(&c.results) {
            form.problem(&p);
        }
    } else if !c.results.is_empty() {
        form.problem(&crate::core::failure::Failure::with_hint(
            "a connector has no results",
            "change the kind back, or delete the results",
        ));
    }
    let title = format!(
        "{} {}",
        c.kind,
        if c.name.trim().is_empty() {
            "(new)"
        } else {
            c.name.trim()
        }
    );
    form.render(frame, left, &title);

    let mut lines = Vec::new();
    if c.name.trim().is_empty() {
        lines.push(Line::styled(
            " Type a name to see the class and files.",
            theme.dim(),
        ));
    } else {
        lines.extend(pair("Class", c.class_name(), theme, right.width - 2));
        lines.extend(pair(
            "Python",
            format!("{}/{}.py", package(app), c.file_stem()),
            theme,
            right.width - 2,
        ));
        lines.extend(pair("Manifest", c.manifest_file(), theme, right.width - 2));
        lines.extend(pair("Docker param", c.class_name(), theme, right.width - 2));
        lines.extend(pair("Model", c.arguments_class(), theme, right.width - 2));
        if c.kind.has_results() {
            lines.extend(pair(
                "Results model",
                c.results_class(),
                theme,
                right.width - 2,
            ));
        }
        lines.extend(pair(
            "Test",
            format!("tests/test_{}.py", c.file_stem()),
            theme,
            right.width - 2,
        ));
    }
    panel(frame, right, "Derived names", lines, theme);
}
