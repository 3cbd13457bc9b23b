//! One field of the designer: name, type picker, enum values, required / secret toggles, default
//! (checked against the type), description, and the sub-fields of objects. Edits go straight into
//! the answers; problems show under the part they concern and block finishing, not leaving.

use ratatui::crossterm::event::KeyCode;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::Frame;

use super::form::{panel, Form};
use crate::core::model::{FieldSpec, FieldType};
use crate::tui::app::{App, Effect, FieldEditor, FieldsView, View};
use crate::tui::keys::{self, bind, Action, Binding, Key};
use crate::tui::theme::Theme;
use crate::tui::validation::field_problems;

/// The type picker's choices, in order.
pub const TYPES: [&str; 12] = [
    "str",
    "int",
    "float",
    "bool",
    "url",
    "datetime",
    "dict",
    "list[str]",
    "list[int]",
    "enum",
    "object",
    "list[object]",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Item {
    Name,
    Type,
    Values,
    Required,
    Secret,
    Default,
    Description,
    Fields,
}

impl Item {
    pub fn is_text(self) -> bool {
        matches!(
            self,
            Item::Name | Item::Values | Item::Default | Item::Description
        )
    }
}

pub fn items(field: &FieldSpec) -> Vec<Item> {
    let mut items = vec![Item::Name, Item::Type];
    if matches!(field.ty, FieldType::Enum(_)) {
        items.push(Item::Values);
    }
    items.extend([Item::Required, Item::Secret]);
    if field.ty.sub_fields().is_none() {
        items.push(Item::Default);
    }
    items.push(Item::Description);
    if field.ty.sub_fields().is_some() {
        items.push(Item::Fields);
    }
    items
}

fn editor(app: &App) -> Option<&FieldEditor> {
    match app.stack.last() {
        Some(View::Field(e)) => Some(e),
        _ => None,
    }
}

fn editor_mut(app: &mut App) -> Option<&mut FieldEditor> {
    match app.stack.last_mut() {
        Some(View::Field(e)) => Some(e),
        _ => None,
    }
}

fn field(app: &App) -> Option<&FieldSpec> {
    let e = editor(app)?;
    e.path.fields(&app.answers).get(e.index)
}

pub fn focused_item(app: &App) -> Option<Item> {
    let e = editor(app)?;
    items(field(app)?).get(e.focus).copied()
}

pub fn text_mut(app: &mut App) -> Option<&mut String> {
    let item = focused_item(app)?;
    let View::Field(e) = app.stack.last_mut()? else {
        return None;
    };
    if item == Item::Values {
        return Some(&mut e.enum_text);
    }
    let f = e.path.fields_mut(&mut app.answers)?.get_mut(e.index)?;
    match item {
        Item::Name => Some(&mut f.name),
        Item::Default => Some(f.default.get_or_insert_with(String::new)),
        Item::Description => Some(f.description.get_or_insert_with(String::new)),
        _ => None,
    }
}

/// After typing: empty optional texts are absent, and an enum's values follow the typed list.
pub fn after_edit(app: &mut App) {
    let Some(View::Field(e)) = app.stack.last() else {
        return;
    };
    let (path, index, enum_text) = (e.path.clone(), e.index, e.enum_text.clone());
    let Some(f) = path
        .fields_mut(&mut app.answers)
        .and_then(|l| l.get_mut(index))
    else {
        return;
    };
    if f.default.as_deref() == Some("") {
        f.default = None;
    }
    if f.description.as_deref() == Some("") {
        f.description = None;
    }
    if let FieldType::Enum(_) = f.ty {
        f.ty = FieldType::Enum(split_values(&enum_text));
    }
}

fn split_values(text: &str) -> Vec<String> {
    if text.trim().is_empty() {
        Vec::new()
    } else {
        text.split('|').map(|v| v.trim().to_string()).collect()
    }
}

pub fn type_index(ty: &FieldType) -> usize {
    let name = match ty {
        FieldType::Enum(_) => "enum".to_string(),
        other => other.spec_name(),
    };
    TYPES.iter().position(|t| *t == name).unwrap_or(0)
}

fn set_type(app: &mut App, index: usize) {
    let Some(View::Field(e)) = app.stack.last_mut() else {
        return;
    };
    let Some(f) = e
        .path
        .fields_mut(&mut app.answers)
        .and_then(|l| l.get_mut(e.index))
    else {
        return;
    };
    if let Some(sub) = f.ty.sub_fields_mut() {
        e.stash_fields = std::mem::take(sub);
    }
    f.ty = match TYPES[index] {
        "enum" => FieldType::Enum(split_values(&e.enum_text)),
        "object" => FieldType::Object(std::mem::take(&mut e.stash_fields)),
        "list[object]" => FieldType::ListOfObjects(std::mem::take(&mut e.stash_fields)),
        simple => FieldType::parse(simple).expect("the picker lists valid types"),
    };
    if f.ty.sub_fields().is_some() {
        f.default = None;
    }
}

pub fn bindings(app: &App) -> Vec<Binding> {
    let mut b = vec![keys::focus_next(), keys::focus_prev()];
    match focused_item(app) {
        Some(Item::Type) => b.insert(
            0,
            bind(
                "←→",
                "change type",
                Action::CycleRight,
                &[Key::code(KeyCode::Right), Key::ch(' ')],
            ),
        ),
        Some(Item::Required | Item::Secret) => {
            b.insert(0, bind("Space", "toggle", Action::Toggle, &[Key::ch(' ')]))
        }
        Some(Item::Fields) => b.insert(
            0,
            bind(
                "Enter",
                "edit sub-fields",
                Action::Open,
                &[Key::code(KeyCode::Enter)],
            ),
        ),
        _ => {}
    }
    if focused_item(app) == Some(Item::Type) {
        b.push(bind("", "", Action::CycleLeft, &[Key::code(KeyCode::Left)]));
    }
    if focused_item(app) != Some(Item::Fields) {
        b.push(bind(
            "Enter",
            "done",
            Action::Back,
            &[Key::code(KeyCode::Enter)],
        ));
    }
    b.push(bind(
        "Esc",
        "back to table",
        Action::Back,
        &[Key::code(KeyCode::Esc)],
    ));
    b
}

pub fn act(app: &mut App, action: Action) -> Vec<Effect> {
    let Some(f) = field(app).cloned() else {
        app.stack.pop();
        return Vec::new();
    };
    let count = items(&f).len();
    let item = focused_item(app);
    match action {
        Action::FocusNext => editor_mut(app)
            .into_iter()
            .for_each(|e| e.focus = (e.focus + 1) % count),
        Action::FocusPrev => editor_mut(app)
            .into_iter()
            .for_each(|e| e.focus = (e.focus + count - 1) % count),
        Action::CycleRight => set_type(app, (type_index(&f.ty) + 1) % TYPES.len()),
        Action::CycleLeft => set_type(app, (type_index(&f.ty) + TYPES.len() - 1) % TYPES.len()),
        Action::Toggle => {
            let Some(View::Field(e)) = app.stack.last() else {
                return Vec::new();
            };
            let (path, index) = (e.path.clone(), e.index);
            if let Some(f) = path
                .fields_mut(&mut app.answers)
                .and_then(|l| l.get_mut(index))
            {
                match item {
                    Some(Item::Required) => f.required = !f.required,
                    Some(Item::Secret) => f.secret = !f.secret,
                    _ => {}
                }
            }
        }
        Action::Open => {
            let Some(e) = editor(app) else {
                return Vec::new();
            };
            let path = e.path.child(e.index);
            app.stack
                .push(View::Fields(FieldsView { path, selected: 0 }));
        }
        Action::Back => close(app),
        _ => {}
    }
    Vec::new()
}

/// Leaves the editor; a field added and left blank is dropped rather than kept as an error.
fn close(app: &mut App) {
    let Some(View::Field(e)) = app.stack.pop() else {
        return;
    };
    if !e.is_new {
        return;
    }
    if let Some(list) = e.path.fields_mut(&mut app.answers) {
        if list
            .get(e.index)
            .is_some_and(|f| *f == FieldSpec::new("", FieldType::Str))
        {
            list.remove(e.index);
            let len = list.len();
            app.fields_view_mut().selected = e.index.min(len.saturating_sub(1));
        }
    }
}

pub fn render(app: &App, frame: &mut Frame, area: Rect, theme: &Theme) {
    let (Some(e), Some(f)) = (editor(app), field(app)) else {
        return;
    };
    let siblings = e.path.fields(&app.answers);
    let problems = field_problems(siblings, e.index);
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(62), Constraint::Percentage(38)]).areas(area);
    let mut form = Form::new(theme, left);
    let focus = focused_item(app);
    for item in items(f) {
        let here = focus == Some(item);
        match item {
            Item::Name => {
                form.text(
                    "Name",
                    &f.name,
                    here,
                    false,
                    app.cursor,
                    "python identifier, e.g. api_key",
                );
                if let Some(p) = problems
                    .name
                    .as_ref()
                    .filter(|_| !f.name.is_empty() || !e.is_new)
                {
                    form.problem(p);
                }
            }
            Item::Type => {
                form.choice("Type", TYPES[type_index(&f.ty)], here);
                if here {
                    form.note(&TYPES.join(" "));
                }
            }
            Item::Values => {
                form.text("Values", &e.enum_text, here, false, app.cursor, "a|b|c");
                if let Some(p) = &problems.values {
                    form.problem(p);
                }
            }
            Item::Required => form.toggle("Required", f.required, here),
            Item::Secret => form.toggle("Secret", f.secret, here),
            Item::Default => {
                let text = f.default.as_deref().unwrap_or("");
                let placeholder = if f.required {
                    "(none: required)"
                } else {
                    "(none: optional, None)"
                };
                form.text("Default", text, here, f.secret, app.cursor, placeholder);
                if let Some(p) = &problems.default {
                    form.problem(p);
                }
            }
            Item::Description => form.text(
                "Description",
                f.description.as_deref().unwrap_or(""),
                here,
                false,
                app.cursor,
                "shown in the Sekoia.io form",
            ),
            Item::Fields => {
                let sub = f.ty.sub_fields().unwrap_or(&[]);
                let names: Vec<&str> = sub.iter().map(|s| s.name.as_str()).collect();
                let summary = if names.is_empty() {
                    "none".to_string()
                } else {
                    names.join(", ")
                };
                form.open("Fields", &summary, here);
                if let Some(p) = &problems.fields {
                    form.problem(p);
                }
            }
        }
    }
    let title = format!(
        "{} › {}",
        e.path.title(&app.answers),
        if f.name.is_empty() {
            "new field"
        } else {
            &f.name
        }
    );
    form.render(frame, left, &title);

    let mut lines = vec![
        Line::raw(" As a command-line FIELD:"),
        Line::raw(format!("   {}", super::fields::spec_text(f))),
        Line::default(),
    ];
    let meaning = if f.required {
        "required: the platform asks for it"
    } else if f.default.is_some() {
        "optional, with a default"
    } else {
        "optional: None when not given"
    };
    lines.push(Line::raw(format!(" {meaning}")));
    if f.secret {
        lines.push(Line::raw(
            " secret: masked in Sekoia.io, listed in `secrets`",
        ));
    }
    panel(frame, right, "Field", lines, theme);
}
