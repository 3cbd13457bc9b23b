//! Actions from an OpenAPI spec: its path or URL, the operations grouped by tag with checkboxes
//! (a filter narrows them), and the action manifest of the highlighted one. Opened with `o` from
//! the components step or an existing module's home; what is chosen is planned with the rest of
//! the session's answers on the review.

use ratatui::crossterm::event::KeyCode;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

use super::form::hanging;
use crate::tui::app::{App, Effect, Page, View};
use crate::tui::keys::{self, bind, Action, Binding, Key};
use crate::tui::openapi::{Focus, Row};
use crate::tui::theme::Theme;
use crate::tui::view::ellipsis;

const NOT_LOADED: &str = "Load a spec first: type its path or URL, then Enter.";
const NOTHING_CHOSEN: &str = "Nothing chosen yet: Space chooses, a chooses all.";

/// Opens the screen over the components step (from home too: closing it shows the components).
pub fn open(app: &mut App) {
    if app.page != Page::Components {
        app.page = Page::Components;
    }
    app.release = None;
    app.stack = vec![View::OpenApi];
    app.openapi.focus = if app.openapi.is_loaded() {
        Focus::List
    } else {
        Focus::Source
    };
    if app.is_new() {
        app.openapi.module_uuid = app.module().uuid;
    }
}

pub fn bindings(app: &App) -> Vec<Binding> {
    let s = &app.openapi;
    let mut b = Vec::new();
    let arrows = || {
        [
            bind("↑↓", "select", Action::Up, &[Key::code(KeyCode::Up)]),
            bind("", "", Action::Down, &[Key::code(KeyCode::Down)]),
        ]
    };
    match s.focus {
        Focus::Source => b.push(keys::confirm("load the spec")),
        Focus::Filter => {
            b.push(keys::confirm("to the list"));
            b.extend(arrows());
        }
        Focus::List => {
            // Footer order: what finishes, what chooses, then moving around.
            if s.chosen_count() > 0 {
                b.push(keys::confirm("done"));
            } else {
                b.push(keys::explain(&[keys::ENTER], NOTHING_CHOSEN));
            }
            if s.highlighted.is_some() {
                b.push(bind("Space", "choose", Action::Toggle, &[Key::ch(' ')]));
                b.push(bind("a", "all/none", Action::Letter('a'), &[Key::ch('a')]));
            }
            b.push(bind("/", "filter", Action::Letter('/'), &[Key::ch('/')]));
            b.push(keys::back("back"));
            if s.highlighted.is_some() {
                let [up, down] = keys::up_down();
                b.push(up);
                b.push(down);
            }
            if s.preview.is_some() {
                b.extend(keys::scroll_preview());
            }
            b.push(keys::explain(
                &keys::DELETE_KEYS,
                "Nothing to delete here: Space unchooses an operation.",
            ));
            b.push(keys::explain(
                &[keys::UNDO],
                "Space unchooses an operation.",
            ));
        }
    }
    if s.focus != Focus::List {
        b.push(keys::back("back"));
    }
    if s.is_loaded() {
        b.push(keys::focus_next());
        b.push(keys::focus_prev());
    } else {
        b.push(keys::explain(&[keys::TAB, keys::BACKTAB], NOT_LOADED));
    }
    b.extend(keys::steps_explained(
        "Esc goes back first; the steps move from there.",
    ));
    b
}

const ORDER: [Focus; 3] = [Focus::Source, Focus::Filter, Focus::List];

pub fn act(app: &mut App, action: Action) -> Vec<Effect> {
    let s = &mut app.openapi;
    let at = ORDER.iter().position(|f| *f == s.focus).unwrap_or(0);
    match action {
        Action::Confirm => match s.focus {
            Focus::Source => return vec![Effect::LoadSpec],
            Focus::Filter => s.focus = Focus::List,
            Focus::List => {
                let n = s.chosen_count();
                let source = s
                    .spec
                    .as_ref()
                    .map(|x| short_source(&x.source))
                    .unwrap_or_default();
                app.stack.pop();
                app.status = Some(format!(
                    "{n} operation{} chosen from {source}: C-n goes on.",
                    if n == 1 { "" } else { "s" }
                ));
            }
        },
        Action::FocusNext => s.focus = ORDER[(at + 1) % ORDER.len()],
        Action::FocusPrev => s.focus = ORDER[(at + ORDER.len() - 1) % ORDER.len()],
        Action::Up => s.move_by(-1),
        Action::Down => s.move_by(1),
        Action::Toggle => s.toggle(),
        Action::Letter('a') => s.all_or_none(),
        Action::Letter('/') => s.focus = Focus::Filter,
        Action::ScrollDown => s.preview_scroll = s.preview_scroll.saturating_add(10),
        Action::ScrollUp => s.preview_scroll = s.preview_scroll.saturating_sub(10),
        Action::Back => {
            app.stack.pop();
        }
        _ => {}
    }
    Vec::new()
}

/// A letter typed on the list starts the filter with it ("type to filter").
pub fn on_letter(app: &mut App, event: &ratatui::crossterm::event::KeyEvent) -> bool {
    use ratatui::crossterm::event::KeyModifiers;
    let s = &mut app.openapi;
    if s.focus != Focus::List || !s.is_loaded() {
        return false;
    }
    match event.code {
        KeyCode::Char(c)
            if !event
                .modifiers
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
        {
            s.focus = Focus::Filter;
            s.filter.push(c);
            s.refilter();
            app.cursor = app.openapi.filter.chars().count();
            true
        }
        _ => false,
    }
}

pub fn render(app: &App, frame: &mut Frame, area: Rect, theme: &Theme) {
    let s = &app.openapi;
    let [left, right] = Layout::horizontal([
        Constraint::Length((area.width * 9 / 20).clamp(44, 60)),
        Constraint::Fill(1),
    ])
    .areas(area);
    let width = left.width.saturating_sub(2) as usize;
    let mut lines: Vec<Line<'static>> = Vec::new();
    let mut cursor = None;
    let mut field = |lines: &mut Vec<Line<'static>>,
                     label: &str,
                     value: &str,
                     focus: Focus,
                     placeholder: &str| {
        let focused = s.focus == focus;
        let (line, col) = input(label, value, focused, app.cursor, placeholder, width, theme);
        if let Some(col) = col {
            cursor = Some((col, lines.len()));
        }
        lines.push(line);
    };
    field(
        &mut lines,
        "Spec",
        &s.source,
        Focus::Source,
        "path or http(s) URL",
    );
    if let Some(e) = &s.error {
        lines.extend(hanging(
            &format!("✗ {}", e.message),
            2,
            4,
            width,
            theme.error(),
        ));
        if let Some(h) = &e.hint {
            lines.extend(hanging(&format!("hint: {h}"), 4, 4, width, theme.dim()));
        }
    }
    if s.is_loaded() {
        field(
            &mut lines,
            "Filter",
            &s.filter,
            Focus::Filter,
            "type to narrow the list",
        );
        lines.push(Line::default());
        let rows = s.rows();
        let shown = rows.iter().filter(|r| matches!(r, Row::Op(_))).count();
        let summary = if shown == s.operations.len() {
            format!("{} operations, {} chosen", shown, s.chosen_count())
        } else {
            format!(
                "{shown} of {} operations shown, {} chosen",
                s.operations.len(),
                s.chosen_count()
            )
        };
        lines.push(Line::from(Span::styled(
            ellipsis(&format!(" {summary}"), width),
            theme.label(),
        )));
        let room = (left.height.saturating_sub(2) as usize).saturating_sub(lines.len());
        let here = rows
            .iter()
            .position(|r| matches!(r, Row::Op(i) if Some(*i) == s.highlighted))
            .unwrap_or(0);
        let first = (here + 1).saturating_sub(room);
        for row in rows.iter().skip(first).take(room) {
            lines.push(match row {
                Row::Tag {
                    name,
                    chosen,
                    shown,
                } => Line::from(Span::styled(
                    ellipsis(&format!(" {name} ({chosen}/{shown})"), width),
                    theme.title(),
                )),
                Row::Op(i) => {
                    let op = &s.operations[*i];
                    let is_here = Some(*i) == s.highlighted && s.focus != Focus::Source;
                    let text = format!(
                        "{}[{}] {:<6} {}{}",
                        if is_here { ">" } else { " " },
                        if s.chosen[*i] { "x" } else { " " },
                        op.method.to_uppercase(),
                        op.path,
                        op.summary
                            .as_deref()
                            .map(|t| format!(" · {t}"))
                            .unwrap_or_default()
                    );
                    let style = if is_here {
                        theme.selected()
                    } else if s.chosen[*i] {
                        theme.added()
                    } else {
                        Default::default()
                    };
                    Line::from(Span::styled(ellipsis(&text, width), style))
                }
            });
        }
        if shown == 0 {
            lines.push(Line::from(Span::styled(
                " No operation matches the filter.",
                theme.dim(),
            )));
        }
    } else if s.error.is_none() {
        lines.push(Line::default());
        lines.extend(hanging(
            "Enter loads it. Each operation you then choose becomes a GenericAPIAction action, as `sekoia-wizard add openapi` writes it.",
            2,
            2,
            width,
            theme.dim(),
        ));
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(" From an OpenAPI spec ", theme.title()));
    let inner = block.inner(left);
    frame.render_widget(Paragraph::new(lines).block(block), left);
    if let Some((col, line)) = cursor {
        if col < inner.width as usize && line < inner.height as usize {
            frame.set_cursor_position(Position::new(inner.x + col as u16, inner.y + line as u16));
        }
    }

    let (title, body) = match &s.preview {
        Some((i, Ok(p))) => (
            format!("{} · {}", p.file, s.operations[*i].label()),
            json_lines(&p.json, right.width.saturating_sub(2) as usize),
        ),
        Some((_, Err(f))) => (
            "Preview".to_string(),
            hanging(
                &format!("✗ {}", f.message),
                1,
                3,
                right.width.saturating_sub(2) as usize,
                theme.error(),
            ),
        ),
        None => (
            "Preview".to_string(),
            hanging(
                "The action manifest of the highlighted operation shows here.",
                1,
                1,
                right.width.saturating_sub(2) as usize,
                theme.dim(),
            ),
        ),
    };
    let block = Block::default().borders(Borders::ALL).title(Span::styled(
        format!(
            " {} ",
            ellipsis(&title, right.width.saturating_sub(4) as usize)
        ),
        theme.title(),
    ));
    frame.render_widget(
        Paragraph::new(body)
            .block(block)
            .scroll((s.preview_scroll, 0)),
        right,
    );
}

const LABEL: usize = 8;

/// A one-line text field `> Label  value`; a value longer than the room shows the part around the
/// cursor, `…` marking what is out of sight. Returns the line and, when focused, the cursor column.
fn input(
    label: &str,
    value: &str,
    focused: bool,
    cursor: usize,
    placeholder: &str,
    width: usize,
    theme: &Theme,
) -> (Line<'static>, Option<usize>) {
    let style = if focused {
        theme.focused()
    } else {
        theme.label()
    };
    let head = format!("{}{label:<LABEL$}", if focused { "> " } else { "  " });
    let room = width.saturating_sub(head.chars().count() + 1).max(4);
    let chars: Vec<char> = value.chars().collect();
    let cursor = if focused {
        cursor.min(chars.len())
    } else {
        chars.len()
    };
    let start = (cursor + 1).saturating_sub(room);
    let mut shown: String = chars[start..].iter().take(room).collect();
    if start > 0 {
        shown = format!("…{}", shown.chars().skip(1).collect::<String>());
    }
    let mut spans = vec![Span::styled(head.clone(), style)];
    if value.is_empty() {
        spans.push(Span::styled(ellipsis(placeholder, room), theme.dim()));
    } else {
        spans.push(Span::raw(shown));
    }
    let col = focused.then(|| head.chars().count() + cursor - start);
    (Line::from(spans), col)
}

/// The manifest's lines, a long one continued under itself two columns in (nothing hidden at 80
/// columns, and the nesting still reads).
fn json_lines(json: &str, width: usize) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    for line in json.lines() {
        let indent = line.len() - line.trim_start().len();
        out.extend(hanging(
            line.trim_start(),
            indent,
            indent + 2,
            width,
            Default::default(),
        ));
    }
    out
}

/// The spec's file name (or the URL), for one-line messages.
pub fn short_source(source: &str) -> String {
    if crate::core::openapi::is_url(source) {
        return source.to_string();
    }
    std::path::Path::new(source)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| source.to_string())
}
