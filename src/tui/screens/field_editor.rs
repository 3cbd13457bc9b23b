//! One field of the designer: name, type picker, enum values, required / secret toggles, default
//! (checked against the type), description, and the sub-fields of objects. Edits go straight into
//! the answers; problems show under the part they concern and block finishing, not leaving.

use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::Frame;

use super::form::{panel, Form};
use crate::core::model::{FieldSpec, FieldType};
use crate::tui::app::{cycle, next_of, App, Effect, FieldEditor, FieldsView, Overlay, View};
use crate::tui::keys::{self, bind, Action, Binding, Key};
use crate::tui::paths::{FieldsPath, FieldsRoot};
use crate::tui::theme::Theme;
use crate::wizard::validation::field_problems;

pub use crate::wizard::fields::{disabled, type_index, Item, TYPES};
use crate::wizard::fields::{split_values, type_of_choice};

impl FieldEditor {
    /// An editor on field `index` of `path`; `original` is the field before editing (`None`:
    /// just added).
    pub fn open(path: FieldsPath, index: usize, original: Option<FieldSpec>) -> FieldEditor {
        let enum_text = match original.as_ref().map(|f| &f.ty) {
            Some(FieldType::Enum(values)) => values.join("|"),
            _ => String::new(),
        };
        FieldEditor {
            path,
            index,
            focus: Item::Name,
            original,
            type_ahead: String::new(),
            touched: Vec::new(),
            tried_done: false,
            enum_text,
            stash_fields: Vec::new(),
        }
    }

    fn results(&self) -> bool {
        matches!(self.path.root, FieldsRoot::Results(_))
    }

    /// Problems of `item` show once it was edited, once "done" was tried, or on a field that
    /// existed before.
    pub fn shows(&self, item: Item) -> bool {
        self.tried_done || self.touched.contains(&item) || self.original.is_some()
    }
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
    field(app)?;
    Some(editor(app)?.focus)
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
    // Sub-fields stay stashed while cycling through types that have none.
    let sub = if matches!(TYPES[index], "object" | "list[object]") {
        std::mem::take(&mut e.stash_fields)
    } else {
        Vec::new()
    };
    f.ty = type_of_choice(index, &e.enum_text, sub);
    if f.ty.sub_fields().is_some() {
        f.default = None;
    }
}

/// Letters typed on the type picker choose the first type that starts with what was typed.
pub fn on_letter(app: &mut App, event: &KeyEvent) -> bool {
    if focused_item(app) != Some(Item::Type) || !event.modifiers.is_empty() {
        return false;
    }
    let KeyCode::Char(c) = event.code else {
        return matches!(event.code, KeyCode::Backspace) && {
            editor_mut(app)
                .into_iter()
                .for_each(|e| e.type_ahead.clear());
            true
        };
    };
    let Some(e) = editor_mut(app) else {
        return false;
    };
    let mut typed = format!("{}{c}", e.type_ahead);
    let find = |p: &str| TYPES.iter().position(|t| t.starts_with(p));
    let index = find(&typed).or_else(|| {
        typed = c.to_string();
        find(&typed)
    });
    e.type_ahead = if index.is_some() {
        typed
    } else {
        String::new()
    };
    if let Some(i) = index {
        set_type(app, i);
        touch(app, Item::Type);
    }
    true
}

fn touch(app: &mut App, item: Item) {
    if let Some(e) = editor_mut(app) {
        if !e.touched.contains(&item) {
            e.touched.push(item);
        }
    }
}

/// Marks the focused item edited (called after every keystroke in the editor).
pub fn touch_focused(app: &mut App) {
    if let Some(item) = focused_item(app) {
        touch(app, item);
    }
}

fn enabled_in(app: &App) -> impl Fn(Item) -> bool + '_ {
    move |item| match (editor(app), field(app)) {
        (Some(e), Some(f)) => disabled(item, f, e.results()).is_none(),
        _ => false,
    }
}

pub fn bindings(app: &App) -> Vec<Binding> {
    let item = focused_item(app);
    let last = item.is_some_and(|i| next_of(&Item::ALL, i, enabled_in(app)).is_none());
    let mut b = Vec::new();
    match item {
        Some(Item::Type) => {
            b.push(bind(
                "a-z",
                "type to pick",
                Action::Explain("Type the first letters of a type: u picks url, di dict, e enum."),
                &[],
            ));
            b.push(bind(
                "←→",
                "change type",
                Action::CycleRight,
                &[Key::code(KeyCode::Right), Key::code(KeyCode::Down)],
            ));
            b.push(bind(
                "",
                "",
                Action::CycleLeft,
                &[Key::code(KeyCode::Left), Key::code(KeyCode::Up)],
            ));
        }
        Some(Item::Required | Item::Secret) => {
            b.push(bind("Space", "toggle", Action::Toggle, &[Key::ch(' ')]))
        }
        _ => {}
    }
    b.push(keys::confirm(match item {
        Some(Item::Fields) => "edit sub-fields",
        _ if last => "done",
        _ => "next field",
    }));
    b.push(keys::back("cancel"));
    b.push(keys::focus_next());
    b.push(keys::focus_prev());
    b.extend(keys::steps_explained(
        "Finish the field first: Enter on the last item is done, Esc cancels.",
    ));
    b
}

pub fn act(app: &mut App, action: Action) -> Vec<Effect> {
    let Some(item) = focused_item(app) else {
        app.stack.pop();
        return Vec::new();
    };
    let Some(f) = field(app).cloned() else {
        return Vec::new();
    };
    let set_focus = |app: &mut App, item: Item| {
        if let Some(e) = editor_mut(app) {
            e.focus = item;
            e.type_ahead.clear();
        }
    };
    match action {
        Action::FocusNext => {
            let next = cycle(&Item::ALL, item, true, enabled_in(app));
            set_focus(app, next);
        }
        Action::FocusPrev => {
            let prev = cycle(&Item::ALL, item, false, enabled_in(app));
            set_focus(app, prev);
        }
        Action::CycleRight => {
            set_type(app, (type_index(&f.ty) + 1) % TYPES.len());
            touch(app, Item::Type);
        }
        Action::CycleLeft => {
            set_type(app, (type_index(&f.ty) + TYPES.len() - 1) % TYPES.len());
            touch(app, Item::Type);
        }
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
                    Item::Required => f.required = !f.required,
                    Item::Secret => f.secret = !f.secret,
                    _ => {}
                }
            }
            touch(app, item);
        }
        Action::Confirm if item == Item::Fields => {
            let Some(e) = editor(app) else {
                return Vec::new();
            };
            let path = e.path.child(e.index);
            app.stack
                .push(View::Fields(FieldsView { path, selected: 0 }));
        }
        Action::Confirm => match next_of(&Item::ALL, item, enabled_in(app)) {
            Some(next) => set_focus(app, next),
            None => done(app),
        },
        Action::Back => cancel(app),
        _ => {}
    }
    Vec::new()
}

/// Enter on the last item: keeps the field if it has no problem, else shows them all and goes to
/// the first.
fn done(app: &mut App) {
    let Some(e) = editor(app) else { return };
    let problems = field_problems(e.path.fields(&app.answers), e.index);
    let Some(first) = problems.first().cloned() else {
        app.stack.pop();
        return;
    };
    let at = if problems.name.is_some() {
        Item::Name
    } else if problems.values.is_some() {
        Item::Values
    } else if problems.default.is_some() {
        Item::Default
    } else {
        Item::Fields
    };
    if let Some(e) = editor_mut(app) {
        e.tried_done = true;
        e.focus = at;
    }
    app.status = Some(format!("Not done: {}", first.message));
}

/// Esc: closes when nothing changed; otherwise asks before discarding what was typed.
fn cancel(app: &mut App) {
    let Some(e) = editor(app) else { return };
    let now = e.path.fields(&app.answers).get(e.index);
    let unchanged = match &e.original {
        Some(original) => now == Some(original),
        None => now.is_none_or(|f| *f == FieldSpec::new("", FieldType::Str)),
    };
    if unchanged {
        discard(app);
    } else {
        app.overlay = Some(Overlay::ConfirmDiscard);
    }
}

/// Leaves the editor and puts the field back as it was (a field added here is removed).
pub fn discard(app: &mut App) {
    let Some(View::Field(e)) = app.stack.pop() else {
        return;
    };
    if let Some(list) = e.path.fields_mut(&mut app.answers) {
        match e.original {
            Some(original) => {
                if let Some(f) = list.get_mut(e.index) {
                    *f = original;
                }
            }
            None if e.index < list.len() => {
                list.remove(e.index);
            }
            None => {}
        }
        let len = list.len();
        app.fields_view_mut().selected = e.index.min(len.saturating_sub(1));
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
    let results = e.results();
    for item in Item::ALL {
        let here = focus == Some(item);
        let label = match item {
            Item::Name => "Name",
            Item::Type => "Type",
            Item::Values => "Values",
            Item::Fields => "Fields",
            Item::Required => "Required",
            Item::Secret => "Secret",
            Item::Default => "Default",
            Item::Description => "Description",
        };
        if let Some(why) = disabled(item, f, results) {
            form.disabled(label, why);
            continue;
        }
        let problem = match item {
            Item::Name => problems.name.as_ref(),
            Item::Values => problems.values.as_ref(),
            Item::Default => problems.default.as_ref(),
            Item::Fields => problems.fields.as_ref(),
            _ => None,
        }
        .filter(|_| e.shows(item));
        match item {
            Item::Name => form.text(
                label,
                &f.name,
                here,
                false,
                app.cursor,
                "python identifier, e.g. api_key",
            ),
            Item::Type => {
                form.choice(label, TYPES[type_index(&f.ty)], here);
                if here {
                    let list: Vec<String> = TYPES
                        .iter()
                        .map(|t| {
                            if *t == TYPES[type_index(&f.ty)] {
                                format!("[{t}]")
                            } else {
                                t.to_string()
                            }
                        })
                        .collect();
                    form.note(&list.join(" "));
                }
            }
            Item::Values => form.text(label, &e.enum_text, here, false, app.cursor, "a|b|c"),
            Item::Required => form.toggle(label, f.required, here),
            Item::Secret => form.toggle(label, f.secret, here),
            Item::Default => {
                let text = f.default.as_deref().unwrap_or("");
                let placeholder = if f.required {
                    "(none: required)"
                } else {
                    "(none: optional, None)"
                };
                form.text(label, text, here, f.secret, app.cursor, placeholder);
            }
            Item::Description => form.text(
                label,
                f.description.as_deref().unwrap_or(""),
                here,
                false,
                app.cursor,
                if results {
                    "what this result holds"
                } else {
                    "shown in the Sekoia.io form"
                },
            ),
            Item::Fields => {
                let sub = f.ty.sub_fields().unwrap_or(&[]);
                let names: Vec<&str> = sub.iter().map(|s| s.name.as_str()).collect();
                let summary = if names.is_empty() {
                    "none".to_string()
                } else {
                    names.join(", ")
                };
                form.open(label, &summary, here);
            }
        }
        if let Some(p) = problem {
            form.problem(p);
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
    let meaning = if results {
        if f.required {
            "the action always returns it"
        } else {
            "the action may leave it out"
        }
    } else if f.required {
        "required: the platform asks for it"
    } else if f.default.is_some() {
        "optional, with a default"
    } else {
        "optional: None when not given"
    };
    lines.push(Line::raw(format!(" {meaning}")));
    if f.secret && !results {
        lines.push(Line::raw(
            " secret: masked in Sekoia.io, listed in `secrets`",
        ));
    }
    panel(frame, right, "Field", lines, theme);
}
