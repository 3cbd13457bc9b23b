//! Step 3: the actions, triggers and connectors this session adds.

use ratatui::crossterm::event::KeyCode;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::Frame;

use super::form::panel;
use crate::tui::app::{App, ComponentEditor, ComponentFocus, Effect, Overlay, View};
use crate::tui::keys::{self, bind, Action, Binding, Key};
use crate::tui::theme::Theme;
use crate::wizard::validation::component_problems;

pub fn bindings(app: &App) -> Vec<Binding> {
    let mut b = vec![bind(
        "a",
        "add",
        Action::Add,
        &[Key::ch('a'), Key::code(KeyCode::Insert)],
    )];
    b.push(bind(
        "o",
        "from OpenAPI",
        Action::Letter('o'),
        &[Key::ch('o')],
    ));
    if !app.answers.components.is_empty() {
        let [up, down] = keys::up_down();
        b.push(keys::confirm("edit"));
        b.push(keys::delete("delete"));
        b.push(up);
        b.push(down);
    } else {
        b.push(keys::explain(
            &[keys::ENTER],
            "No component to edit yet: a adds one.",
        ));
        b.push(keys::explain(&keys::DELETE_KEYS, "No component to delete."));
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
    let len = app.answers.components.len();
    let selected = app.component_selected.min(len.saturating_sub(1));
    match action {
        Action::Add => app.overlay = Some(Overlay::KindPicker { selected: 0 }),
        Action::Letter('o') => super::openapi::open(app),
        Action::Confirm if len > 0 => app.stack.push(View::Component(ComponentEditor {
            index: selected,
            focus: ComponentFocus::Name,
            is_new: false,
        })),
        Action::Delete if len > 0 => {
            let c = &app.answers.components[selected];
            let what = format!("{} `{}`", c.kind, c.name.trim());
            app.before_delete(what);
            app.answers.components.remove(selected);
            app.component_selected = selected.min(len.saturating_sub(2));
        }
        Action::Up => app.component_selected = selected.saturating_sub(1),
        Action::Down => app.component_selected = (selected + 1).min(len.saturating_sub(1)),
        Action::NextStep => return app.next_step(),
        Action::Back => return app.back(),
        _ => {}
    }
    Vec::new()
}

pub fn render(app: &App, frame: &mut Frame, area: Rect, theme: &Theme) {
    let mut lines = Vec::new();
    // Name and Class share what the Kind and Fields columns leave (the Fields text is ~22 wide).
    let inner = area.width.saturating_sub(2) as usize;
    let rest = inner.saturating_sub(3 + 11 + 2 + 22).max(20);
    let name_w = rest / 2;
    let class_w = rest - name_w;
    if app.answers.components.is_empty() && app.openapi.chosen_count() == 0 {
        lines.push(Line::default());
        lines.extend(super::form::hanging(
            "No components yet. Press a to add an action, a trigger or a connector, or o for actions from an OpenAPI spec.",
            2,
            2,
            area.width.saturating_sub(2) as usize,
            theme.dim(),
        ));
    } else if app.answers.components.is_empty() {
    } else {
        lines.push(Line::from(Span::styled(
            format!(
                "   {:<10} {:<name_w$} {:<class_w$} {}",
                "Kind", "Name", "Class", "Fields"
            ),
            theme.label(),
        )));
    }
    for (i, c) in app.answers.components.iter().enumerate() {
        let problem = component_problems(&app.answers.components, i)
            .first()
            .cloned();
        let here = i == app.component_selected;
        let marker = format!(
            "{}{}",
            if here { ">" } else { " " },
            if problem.is_some() { "✗" } else { " " }
        );
        let mut fields = format!("{} {}", c.arguments.len(), c.kind.arguments_label());
        if c.kind.has_results() {
            fields.push_str(&format!(", {} results", c.results.len()));
        }
        let name = if c.name.trim().is_empty() {
            "(no name)".to_string()
        } else {
            c.name.trim().to_string()
        };
        let cut = |text: String, w: usize| crate::tui::view::ellipsis(&text, w);
        let text = format!(
            "{marker} {:<10} {:<name_w$} {:<class_w$} {fields}",
            c.kind.as_str(),
            cut(name, name_w),
            cut(c.class_name(), class_w)
        );
        lines.push(Line::from(Span::styled(
            text,
            if here {
                theme.selected()
            } else {
                Default::default()
            },
        )));
        if let Some(p) = problem.filter(|_| here) {
            lines.push(Line::from(Span::styled(
                format!("     ✗ {}", p.message),
                theme.error(),
            )));
        }
    }
    lines.extend(openapi_lines(
        app,
        area.width.saturating_sub(2) as usize,
        theme,
    ));
    panel(frame, area, "Components", lines, theme);
}

/// What the session takes from an OpenAPI spec, under the components (and on the home screen).
pub fn openapi_lines(app: &App, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let s = &app.openapi;
    let Some(spec) = s.spec.as_ref().filter(|_| s.chosen_count() > 0) else {
        return Vec::new();
    };
    let mut lines = vec![Line::default()];
    lines.extend(super::form::hanging(
        &format!(
            "+ {} action{} from the OpenAPI spec {} (o changes them):",
            s.chosen_count(),
            if s.chosen_count() == 1 { "" } else { "s" },
            super::openapi::short_source(&spec.source)
        ),
        1,
        3,
        width,
        theme.label(),
    ));
    for op in s.chosen_operations() {
        lines.push(Line::raw(crate::tui::view::ellipsis(
            &format!("   {:<6} {}", op.method.to_uppercase(), op.path),
            width,
        )));
    }
    lines
}
