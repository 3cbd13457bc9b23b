//! The field designer's table: the fields of the module configuration, of a component's
//! arguments or results, or of an object field. Add, edit, delete, move up and down.

use ratatui::crossterm::event::KeyCode;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table};
use ratatui::Frame;

use crate::core::model::{FieldSpec, FieldType};
use crate::tui::app::{App, Effect, FieldEditor, Page, View};
use crate::tui::keys::{self, bind, Action, Binding, Key};
use crate::tui::text::shown;
use crate::tui::theme::Theme;
use crate::wizard::validation::field_problems;

pub fn bindings(app: &App) -> Vec<Binding> {
    let [up, down] = keys::up_down();
    let mut b = vec![bind(
        "a",
        "add field",
        Action::Add,
        &[Key::ch('a'), Key::code(KeyCode::Insert)],
    )];
    let has_rows = !app.fields_view().path.fields(&app.answers).is_empty();
    if has_rows {
        b.push(keys::confirm("edit"));
        b.push(keys::delete("delete"));
        b.push(bind(
            "K/J",
            "move up/down",
            Action::MoveUp,
            &[
                Key::ch('K'),
                Key {
                    code: KeyCode::Up,
                    ctrl: true,
                },
            ],
        ));
        b.push(bind(
            "",
            "",
            Action::MoveDown,
            &[
                Key::ch('J'),
                Key {
                    code: KeyCode::Down,
                    ctrl: true,
                },
            ],
        ));
        b.push(up);
        b.push(down);
    } else {
        b.push(keys::explain(
            &[keys::ENTER],
            "No field to edit yet: a adds one.",
        ));
        b.push(keys::explain(&keys::DELETE_KEYS, "No field to delete."));
    }
    if app.undo.is_some() {
        b.push(keys::undo());
    }
    // The configuration step's own table moves between steps; a nested table only goes back.
    if app.stack.is_empty() {
        b.push(keys::next_step("next step"));
        b.push(keys::back("back"));
        b.push(keys::prev_step());
        if app.at_first_page() {
            b.retain(|x| x.action != Action::Back && x.action != Action::PrevStep);
            b.extend(super::module::first_page_back());
        }
    } else {
        b.push(keys::back("back"));
        b.extend(keys::steps_explained(
            "Esc closes this table first; the steps move from there.",
        ));
    }
    b
}

pub fn act(app: &mut App, action: Action) -> Vec<Effect> {
    let path = app.fields_view().path.clone();
    let selected = app.fields_view().selected;
    let len = path.fields(&app.answers).len();
    match action {
        Action::Add => {
            let Some(list) = path.fields_mut(&mut app.answers) else {
                return Vec::new();
            };
            list.push(FieldSpec::new("", FieldType::Str));
            let index = list.len() - 1;
            app.fields_view_mut().selected = index;
            app.stack
                .push(View::Field(FieldEditor::open(path, index, None)));
        }
        Action::Confirm if selected < len => {
            let field = path.fields(&app.answers)[selected].clone();
            app.stack
                .push(View::Field(FieldEditor::open(path, selected, Some(field))));
        }
        Action::Delete if selected < len => {
            let name = path.fields(&app.answers)[selected].name.clone();
            app.before_delete(format!("field `{name}`"));
            if let Some(list) = path.fields_mut(&mut app.answers) {
                list.remove(selected);
            }
            app.fields_view_mut().selected = selected.min(len.saturating_sub(2));
        }
        Action::MoveUp | Action::MoveDown if selected < len => {
            let target = if action == Action::MoveUp {
                selected.checked_sub(1)
            } else {
                Some(selected + 1).filter(|t| *t < len)
            };
            if let (Some(t), Some(list)) = (target, path.fields_mut(&mut app.answers)) {
                list.swap(selected, t);
                app.fields_view_mut().selected = t;
            }
        }
        Action::Up => app.fields_view_mut().selected = selected.saturating_sub(1),
        Action::Down => app.fields_view_mut().selected = (selected + 1).min(len.saturating_sub(1)),
        Action::NextStep => return app.next_step(),
        Action::Back => return app.back(),
        _ => {}
    }
    Vec::new()
}

/// `url:url,required` with the default masked for secrets: what `--arg` would say.
pub fn spec_text(field: &FieldSpec) -> String {
    let mut shown_field = field.clone();
    if field.secret {
        shown_field.default = field.default.as_deref().map(|d| shown(d, true));
    }
    if let Some(sub) = field.ty.sub_fields() {
        let inner: Vec<String> = sub.iter().map(|f| format!("{}:{}", f.name, f.ty)).collect();
        return format!("{shown_field}  {{ {} }}", inner.join(", "));
    }
    shown_field.to_string()
}

pub fn render(app: &App, frame: &mut Frame, area: Rect, theme: &Theme) {
    let view = app.fields_view();
    let fields = view.path.fields(&app.answers);
    let [table_area, detail_area] =
        Layout::vertical([Constraint::Min(5), Constraint::Length(5)]).areas(area);
    let header = Row::new([
        "",
        "Name",
        "Type",
        "Required",
        "Secret",
        "Default",
        "Description",
    ])
    .style(theme.label());
    let rows: Vec<Row> = fields
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let bad = field_problems(fields, i).first().is_some();
            let marker = match (i == view.selected, bad) {
                (true, true) => ">✗",
                (true, false) => "> ",
                (false, true) => " ✗",
                (false, false) => "  ",
            };
            let name = if f.name.is_empty() {
                "(no name)".to_string()
            } else {
                f.name.clone()
            };
            let ty = match &f.ty {
                FieldType::Object(sub) | FieldType::ListOfObjects(sub) => {
                    format!("{} ({} fields)", f.ty.spec_name(), sub.len())
                }
                other => other.spec_name(),
            };
            let row = Row::new(vec![
                Cell::from(marker),
                Cell::from(name),
                Cell::from(ty),
                Cell::from(if f.required { "yes" } else { "" }),
                Cell::from(if f.secret { "yes" } else { "" }),
                Cell::from(
                    f.default
                        .as_deref()
                        .map(|d| shown(d, f.secret))
                        .unwrap_or_default(),
                ),
                Cell::from(f.description.clone().unwrap_or_default()),
            ]);
            if i == view.selected {
                row.style(theme.selected())
            } else {
                row
            }
        })
        .collect();
    let title = view.path.title(&app.answers);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(format!(" {title} · fields "), theme.title()));
    let widths = [
        Constraint::Length(2),
        Constraint::Length(18),
        Constraint::Length(26),
        Constraint::Length(8),
        Constraint::Length(6),
        Constraint::Length(12),
        Constraint::Fill(1),
    ];
    if fields.is_empty() {
        let text = vec![
            Line::default(),
            Line::from(Span::styled(
                "  No fields yet. Press a to add one.",
                theme.dim(),
            )),
        ];
        frame.render_widget(Paragraph::new(text).block(block), table_area);
    } else {
        frame.render_widget(
            Table::new(rows, widths).header(header).block(block),
            table_area,
        );
    }

    let mut detail = Vec::new();
    if let Some(f) = fields.get(view.selected) {
        detail.push(Line::from(vec![
            Span::styled(" as --arg: ", theme.label()),
            Span::raw(spec_text(f)),
        ]));
        if let Some(p) = field_problems(fields, view.selected).first() {
            detail.push(Line::from(Span::styled(
                format!(" ✗ {}", p.message),
                theme.error(),
            )));
            if let Some(h) = &p.hint {
                detail.push(Line::from(Span::styled(
                    format!("   hint: {h}"),
                    theme.dim(),
                )));
            }
        }
    } else if view.path.nested.is_empty() && app.page == Page::Configuration && app.stack.is_empty()
    {
        detail.push(Line::from(Span::styled(" Module configuration: what every action, trigger and connector of the module receives (api_key, base_url…).", theme.dim())));
    }
    frame.render_widget(
        Paragraph::new(detail).block(
            Block::default()
                .borders(Borders::ALL)
                .title(" Selected field "),
        ),
        detail_area,
    );
}
