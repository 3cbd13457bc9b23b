//! Pop-ups: help, quit and write confirmations, the component kind picker, the answers path.

use crate::core::changelog::BumpPart;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use ratatui::Frame;

use crate::core::model::ComponentKind;
use crate::tui::app::{App, Effect, Exit, Overlay};
use crate::tui::keys::{self, bind, Action, Binding, Key};
use crate::tui::text;
use crate::tui::theme::Theme;

pub fn bindings(overlay: &Overlay) -> Vec<Binding> {
    let close = |label| bind("Esc", label, Action::Back, &[Key::code(KeyCode::Esc)]);
    match overlay {
        Overlay::Help => vec![close("close help")],
        Overlay::ConfirmQuit => vec![
            bind("y", "quit without writing", Action::Quit, &[Key::ch('y')]),
            bind("n", "stay", Action::Back, &[Key::ch('n')]),
        ],
        Overlay::ConfirmWrite => vec![
            bind(
                "y",
                "write",
                Action::Write,
                &[Key::ch('y'), Key::code(KeyCode::Enter)],
            ),
            bind("n", "not yet", Action::Back, &[Key::ch('n')]),
        ],
        Overlay::KindPicker { .. } => vec![
            bind("a/t/c", "action, trigger, connector", Action::Add, &[]),
            bind(
                "Enter",
                "choose",
                Action::Open,
                &[Key::code(KeyCode::Enter)],
            ),
            close("cancel"),
        ],
        Overlay::ReleasePicker { .. } => vec![
            bind("p/m/M", "patch, minor, major", Action::Add, &[]),
            bind(
                "Enter",
                "review the release",
                Action::Open,
                &[Key::code(KeyCode::Enter)],
            ),
            close("cancel"),
        ],
        Overlay::SaveAnswers { .. } => vec![
            bind(
                "Enter",
                "save",
                Action::SaveAnswers,
                &[Key::code(KeyCode::Enter)],
            ),
            close("cancel"),
        ],
    }
}

/// The release choices: the part bumped, its key, and what it means.
const RELEASE_PARTS: [(BumpPart, char, &str); 3] = [
    (BumpPart::Patch, 'p', "patch  fixes only (0.1.0 → 0.1.1)"),
    (BumpPart::Minor, 'm', "minor  new features (0.1.0 → 0.2.0)"),
    (
        BumpPart::Major,
        'M',
        "major  breaking changes (0.1.0 → 1.0.0)",
    ),
];

pub fn on_key(app: &mut App, event: &KeyEvent) -> Vec<Effect> {
    let Some(overlay) = app.overlay.clone() else {
        return Vec::new();
    };
    let is = |code: KeyCode| event.code == code;
    match overlay {
        Overlay::Help => {
            if is(KeyCode::Esc)
                || is(KeyCode::Char('?'))
                || is(KeyCode::F(1))
                || is(KeyCode::Char('q'))
                || is(KeyCode::Enter)
            {
                app.overlay = None;
            }
        }
        Overlay::ConfirmQuit => match event.code {
            KeyCode::Char('y') | KeyCode::Char('Y') => app.exit = Some(Exit::Quit),
            KeyCode::Char('n') | KeyCode::Char('N') | KeyCode::Esc => app.overlay = None,
            _ => {}
        },
        Overlay::ConfirmWrite => match event.code {
            KeyCode::Char('y') | KeyCode::Char('Y') | KeyCode::Enter => {
                app.overlay = None;
                return vec![Effect::Write];
            }
            KeyCode::Char('n') | KeyCode::Char('N') | KeyCode::Esc => app.overlay = None,
            _ => {}
        },
        Overlay::KindPicker { selected } => {
            let choose = match event.code {
                KeyCode::Char('a') => Some(ComponentKind::Action),
                KeyCode::Char('t') => Some(ComponentKind::Trigger),
                KeyCode::Char('c') => Some(ComponentKind::Connector),
                KeyCode::Enter => Some(ComponentKind::ALL[selected]),
                KeyCode::Up | KeyCode::Char('k') => {
                    app.overlay = Some(Overlay::KindPicker {
                        selected: selected.saturating_sub(1),
                    });
                    None
                }
                KeyCode::Down | KeyCode::Char('j') => {
                    app.overlay = Some(Overlay::KindPicker {
                        selected: (selected + 1).min(2),
                    });
                    None
                }
                KeyCode::Esc => {
                    app.overlay = None;
                    None
                }
                _ => None,
            };
            if let Some(kind) = choose {
                app.overlay = None;
                app.add_component(kind);
                app.cursor_to_end();
            }
        }
        Overlay::ReleasePicker { selected } => {
            let choose = match event.code {
                KeyCode::Char('p') => Some(0),
                KeyCode::Char('m') => Some(1),
                KeyCode::Char('M') => Some(2),
                KeyCode::Enter => Some(selected),
                KeyCode::Up | KeyCode::Char('k') => {
                    app.overlay = Some(Overlay::ReleasePicker {
                        selected: selected.saturating_sub(1),
                    });
                    None
                }
                KeyCode::Down | KeyCode::Char('j') => {
                    app.overlay = Some(Overlay::ReleasePicker {
                        selected: (selected + 1).min(2),
                    });
                    None
                }
                KeyCode::Esc => {
                    app.overlay = None;
                    None
                }
                _ => None,
            };
            if let Some(i) = choose {
                app.overlay = None;
                app.release = Some(RELEASE_PARTS[i].0);
                return app.go_to(crate::tui::app::Page::Review);
            }
        }
        Overlay::SaveAnswers { path } => match event.code {
            KeyCode::Enter if !path.trim().is_empty() => {
                app.overlay = None;
                return vec![Effect::SaveAnswers(path.trim().into())];
            }
            KeyCode::Esc => app.overlay = None,
            _ => {
                let mut cursor = app.cursor;
                if let Some(Overlay::SaveAnswers { path }) = &mut app.overlay {
                    text::edit(path, &mut cursor, event);
                }
                app.cursor = cursor;
            }
        },
    }
    Vec::new()
}

fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let [v] = Layout::vertical([Constraint::Length(height.min(area.height))])
        .flex(Flex::Center)
        .areas(area);
    let [h] = Layout::horizontal([Constraint::Length(width.min(area.width))])
        .flex(Flex::Center)
        .areas(v);
    h
}

fn popup(
    frame: &mut Frame,
    area: Rect,
    title: &str,
    lines: Vec<Line<'static>>,
    theme: &Theme,
) -> Rect {
    let width = lines
        .iter()
        .map(|l| l.width() as u16)
        .max()
        .unwrap_or(20)
        .max(title.len() as u16 + 4)
        + 4;
    let rect = centered(area, width, lines.len() as u16 + 2);
    frame.render_widget(Clear, rect);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(format!(" {title} "), theme.title()));
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        rect,
    );
    rect
}

pub fn render(app: &App, frame: &mut Frame, area: Rect, theme: &Theme) {
    let Some(overlay) = &app.overlay else { return };
    match overlay {
        Overlay::Help => {
            let mut lines = vec![Line::from(Span::styled(
                " Keys on this screen",
                theme.label(),
            ))];
            for b in app.screen_bindings().iter().filter(|b| !b.label.is_empty()) {
                lines.push(Line::from(vec![
                    Span::styled(format!("  {:<14}", b.label), theme.key()),
                    Span::raw(b.help),
                ]));
            }
            lines.push(Line::default());
            lines.push(Line::from(Span::styled(" In text fields", theme.label())));
            for (k, h) in keys::TEXT_KEYS {
                lines.push(Line::from(vec![
                    Span::styled(format!("  {k:<14}"), theme.key()),
                    Span::raw(*h),
                ]));
            }
            lines.push(Line::default());
            lines.push(Line::from(vec![
                Span::styled(format!("  {:<14}", keys::CTRL_C.0), theme.key()),
                Span::raw(keys::CTRL_C.1),
            ]));
            lines.push(Line::from(Span::styled(
                " Steps keep their answers: go back and forth freely.",
                theme.dim(),
            )));
            lines.push(Line::from(Span::styled(
                " Problems (✗) block writing, not moving.",
                theme.dim(),
            )));
            popup(frame, area, "Help", lines, theme);
        }
        Overlay::ConfirmQuit => {
            let lines = vec![
                Line::raw(" Your answers are not written."),
                Line::raw(" Quit anyway?  y: quit   n: stay"),
            ];
            popup(frame, area, "Quit?", lines, theme);
        }
        Overlay::ConfirmWrite => {
            let count = match &app.review.result {
                Some(Ok(g)) => g.plan.changes().count(),
                _ => 0,
            };
            let lines = vec![
                Line::raw(format!(
                    " Write {count} files to {}?",
                    app.target_dir().display()
                )),
                Line::raw(" y: write   n: not yet"),
            ];
            popup(frame, area, "Write", lines, theme);
        }
        Overlay::KindPicker { selected } => {
            let mut lines = Vec::new();
            for (i, (kind, what)) in [
                (ComponentKind::Action, "runs when a playbook calls it"),
                (ComponentKind::Trigger, "starts playbooks from events"),
                (ComponentKind::Connector, "pushes events to an intake"),
            ]
            .into_iter()
            .enumerate()
            {
                let style = if i == *selected {
                    theme.selected()
                } else {
                    Default::default()
                };
                let key = &kind.as_str()[..1];
                lines.push(Line::from(Span::styled(
                    format!(
                        " {} {key}  {:<10} {what}",
                        if i == *selected { ">" } else { " " },
                        kind.as_str()
                    ),
                    style,
                )));
            }
            popup(frame, area, "Add a component", lines, theme);
        }
        Overlay::ReleasePicker { selected } => {
            let lines: Vec<Line> = RELEASE_PARTS
                .iter()
                .enumerate()
                .map(|(i, (_, key, what))| {
                    let style = if i == *selected {
                        theme.selected()
                    } else {
                        Default::default()
                    };
                    let mark = if i == *selected { ">" } else { " " };
                    Line::from(Span::styled(format!(" {mark} {key}  {what}"), style))
                })
                .collect();
            popup(frame, area, "Release", lines, theme);
        }
        Overlay::SaveAnswers { path } => {
            let lines = vec![
                Line::raw(" Save the answers to (replay with --answers):"),
                Line::raw(format!(" {path:<50}")),
                Line::from(Span::styled(" Secret defaults are left out.", theme.dim())),
            ];
            let rect = popup(frame, area, "Save answers", lines, theme);
            let x = rect.x + 2 + app.cursor.min(path.chars().count()) as u16;
            if x < rect.x + rect.width {
                frame.set_cursor_position((x, rect.y + 2));
            }
        }
    }
}
