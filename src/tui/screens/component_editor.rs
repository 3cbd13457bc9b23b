//! One component: kind, name (the class, file and manifest names follow it), description, and its
//! arguments / configuration and results, each edited in the field designer.

use ratatui::crossterm::event::KeyCode;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::Frame;

use super::form::{pair, panel, Form};
use crate::core::model::{ComponentKind, ComponentSpec};
use crate::tui::app::{cycle, next_of, App, ComponentFocus, Effect, FieldsView, Flow, View};
use crate::tui::keys::{self, bind, Action, Binding, Key};
use crate::tui::paths::{FieldsPath, FieldsRoot};
use crate::tui::theme::Theme;
use crate::wizard::validation::component_problems;

fn current(app: &App) -> Option<(usize, ComponentFocus, &ComponentSpec)> {
    let e = app.component_editor()?;
    Some((e.index, e.focus, app.answers.components.get(e.index)?))
}

/// Results are what an action or trigger returns; a connector has none.
fn enabled(c: &ComponentSpec) -> impl Fn(ComponentFocus) -> bool {
    let results = c.kind.has_results();
    move |f| f != ComponentFocus::Results || results
}

pub fn bindings(app: &App) -> Vec<Binding> {
    let mut b = Vec::new();
    let Some((_, focus, c)) = current(app) else {
        return b;
    };
    if focus == ComponentFocus::Kind {
        b.push(bind(
            "←→",
            "change kind",
            Action::CycleRight,
            &[Key::code(KeyCode::Right), Key::ch(' ')],
        ));
        b.push(bind("", "", Action::CycleLeft, &[Key::code(KeyCode::Left)]));
    }
    let last = next_of(&ComponentFocus::ALL, focus, enabled(c)).is_none();
    b.push(keys::confirm(match focus {
        ComponentFocus::Arguments | ComponentFocus::Results => "edit fields",
        _ if last => "back to list",
        _ => "next field",
    }));
    b.push(keys::back("back to list"));
    b.push(keys::focus_next());
    b.push(keys::focus_prev());
    b.extend(keys::steps_explained(
        "Esc goes back to the list first; the steps move from there.",
    ));
    b
}

pub fn act(app: &mut App, action: Action) -> Vec<Effect> {
    let Some((index, focus, c)) = current(app) else {
        app.stack.pop();
        return Vec::new();
    };
    let kind = c.kind;
    let on = enabled(c);
    let next = cycle(&ComponentFocus::ALL, focus, true, &on);
    let prev = cycle(&ComponentFocus::ALL, focus, false, &on);
    let after = next_of(&ComponentFocus::ALL, focus, &on);
    let set_focus = |app: &mut App, f: ComponentFocus| {
        if let Some(View::Component(e)) = app.stack.last_mut() {
            e.focus = f;
        }
    };
    match action {
        Action::FocusNext => set_focus(app, next),
        Action::FocusPrev => set_focus(app, prev),
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
        Action::Confirm if matches!(focus, ComponentFocus::Arguments | ComponentFocus::Results) => {
            let root = if focus == ComponentFocus::Arguments {
                FieldsRoot::Arguments(index)
            } else {
                FieldsRoot::Results(index)
            };
            app.stack.push(View::Fields(FieldsView {
                path: FieldsPath::root(root),
                selected: 0,
            }));
        }
        Action::Confirm => match after {
            Some(f) => set_focus(app, f),
            None => close(app),
        },
        Action::Back => close(app),
        _ => {}
    }
    Vec::new()
}

/// Back to the list; a component added here and left without a name or fields is dropped.
fn close(app: &mut App) {
    let Some(View::Component(e)) = app.stack.pop() else {
        return;
    };
    let blank = app.answers.components.get(e.index).is_some_and(|c| {
        c.name.trim().is_empty() && c.arguments.is_empty() && c.results.is_empty()
    });
    if e.is_new && blank {
        app.answers.components.remove(e.index);
        app.component_selected = app
            .component_selected
            .min(app.answers.components.len().saturating_sub(1));
    }
}

/// An example name of the right kind (a connector is not "Request").
pub fn name_placeholder(kind: ComponentKind) -> &'static str {
    match kind {
        ComponentKind::Action => "e.g. Request or \"Get alert\"",
        ComponentKind::Trigger => "e.g. New alerts",
        ComponentKind::Connector => "e.g. Fetch events",
    }
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
    let Some((index, focus, c)) = current(app) else {
        return;
    };
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(48), Constraint::Percentage(52)]).areas(area);
    let mut form = Form::new(theme, left);
    form.choice("Kind", c.kind.as_str(), focus == ComponentFocus::Kind);
    form.text(
        "Name",
        &c.name,
        focus == ComponentFocus::Name,
        false,
        app.cursor,
        name_placeholder(c.kind),
    );
    let problems = component_problems(&app.answers.components, index);
    if let Some(p) = problems.name.as_ref().filter(|_| !c.name.is_empty()) {
        form.problem(p);
    } else if let Some(p) = existing_clash(app, c) {
        form.problem(&p);
    }
    let derived = ComponentSpec {
        class: None,
        ..c.clone()
    }
    .class_name();
    form.text(
        "Class",
        c.class.as_deref().unwrap_or(""),
        focus == ComponentFocus::Class,
        false,
        app.cursor,
        &if c.name.trim().is_empty() {
            "derived from the name".to_string()
        } else {
            format!("{derived} (from the name)")
        },
    );
    form.text(
        "Description",
        &c.description,
        focus == ComponentFocus::Description,
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
    form.open(
        label,
        &summary(&c.arguments),
        focus == ComponentFocus::Arguments,
    );
    if let Some(p) = &problems.arguments {
        form.problem(p);
    }
    if c.kind.has_results() {
        form.open(
            "Results",
            &summary(&c.results),
            focus == ComponentFocus::Results,
        );
        if let Some(p) = &problems.results {
            form.problem(p);
        }
    } else {
        form.disabled("Results", "a connector pushes events, it returns nothing");
        if let Some(p) = &problems.results {
            form.problem(p);
        }
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

/// A name the module already uses (issue 12: found at the field, not at the review): the same
/// docker_parameters, manifest name or file as one of the components the home screen lists.
fn existing_clash(app: &App, c: &ComponentSpec) -> Option<crate::core::failure::Failure> {
    let crate::tui::app::Flow::Existing {
        summary: Ok(module),
        ..
    } = &app.flow
    else {
        return None;
    };
    if c.name.trim().is_empty() {
        return None;
    }
    let (docker_parameters, name, stem) = (c.docker_parameters(), c.display_name(), c.file_stem());
    let other = module.components.iter().find(|o| {
        o.docker_parameters == docker_parameters
            || o.name == name
            || o.file.rsplit('/').next() == Some(&format!("{stem}.py"))
    })?;
    Some(crate::core::failure::Failure::with_hint(
        format!(
            "the module already has {} `{}`",
            other.kind.as_str(),
            other.name
        ),
        format!("give the {} another name ({} is taken)", c.kind, other.file),
    ))
}
