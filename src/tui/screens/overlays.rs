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

pub fn bindings(app: &App, overlay: &Overlay) -> Vec<Binding> {
    let letter = |c: char, label: &'static str, help: &'static str| {
        bind(label, help, Action::Letter(c), &[Key::ch(c)])
    };
    let yes_no = |yes: &'static str, no: &'static str| {
        vec![
            bind("y", yes, Action::Letter('y'), &[Key::ch('y'), Key::ch('Y')]),
            bind(
                "n",
                no,
                Action::Back,
                &[Key::ch('n'), Key::ch('N'), keys::ESC],
            ),
        ]
    };
    let [up, down] = keys::up_down();
    match overlay {
        Overlay::Help => vec![bind(
            "Esc",
            "close help",
            Action::Back,
            &[
                keys::ESC,
                keys::ENTER,
                Key::ch('?'),
                Key::ch('q'),
                Key::code(KeyCode::F(1)),
            ],
        )],
        Overlay::ConfirmQuit => yes_no("quit without writing", "stay"),
        Overlay::ConfirmDiscard => yes_no("discard the changes", "keep editing"),
        Overlay::ConfirmPushFailingCheck => yes_no("push anyway", "not now"),
        Overlay::TargetExists { .. } => vec![
            letter('k', "k", "keep its files"),
            letter('o', "o", "overwrite"),
            letter('r', "r", "remove its files"),
            keys::back("change the name"),
            // No default: what happens to someone's files is chosen, never an accident of Enter.
            keys::explain(
                &[keys::ENTER],
                "Choose k (keep), o (overwrite) or r (remove), or Esc to change the name.",
            ),
        ],
        Overlay::Tests => {
            let running = app.test_task.as_ref().is_some_and(|t| t.running());
            let mut b = vec![bind(
                "Esc",
                if running {
                    "close (the run goes on)"
                } else {
                    "close"
                },
                Action::Back,
                &[keys::ESC, keys::ENTER],
            )];
            if !running {
                b.push(bind("t", "run again", Action::Test, &[Key::ch('t')]));
            }
            b
        }
        Overlay::ConfirmWrite => {
            let mut b = yes_no("write", "not yet");
            b.push(keys::confirm("write"));
            b
        }
        Overlay::KindPicker { .. } => vec![
            letter('a', "a", "action"),
            letter('t', "t", "trigger"),
            letter('c', "c", "connector"),
            keys::confirm("choose"),
            up,
            down,
            keys::back("cancel"),
        ],
        Overlay::ReleasePicker { .. } => vec![
            letter('p', "p", "patch"),
            letter('m', "m", "minor"),
            letter('M', "M", "major"),
            keys::confirm("review the release"),
            up,
            down,
            keys::back("cancel"),
        ],
        Overlay::SaveAnswers { .. } => vec![keys::confirm("save"), keys::back("cancel")],
        Overlay::ReleaseNotes(dialog) => {
            let mut b = vec![keys::confirm("review the release")];
            if dialog.untaggable.is_none() {
                b.push(keys::focus_next());
                b.push(keys::focus_prev());
                if dialog.on_tag {
                    b.push(bind("Space", "tag or not", Action::Toggle, &[Key::ch(' ')]));
                }
            }
            b.push(keys::back("cancel"));
            b
        }
        Overlay::Passphrase { .. } => vec![
            keys::confirm("use this passphrase"),
            keys::back("skip this key"),
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

/// What an overlay's binding does.
pub fn act(app: &mut App, action: Action) -> Vec<Effect> {
    let Some(overlay) = app.overlay.clone() else {
        return Vec::new();
    };
    let moved = |selected: usize| match action {
        Action::Up => Some(selected.saturating_sub(1)),
        Action::Down => Some((selected + 1).min(2)),
        _ => None,
    };
    match (overlay, action) {
        (Overlay::Passphrase { text, .. }, Action::Confirm) => {
            app.overlay = None;
            app.git.answer_passphrase(Some(text.0.clone()));
        }
        (Overlay::Passphrase { .. }, Action::Back) => {
            app.overlay = None;
            app.git.answer_passphrase(None);
        }
        (_, Action::Back) => app.overlay = None,
        (Overlay::ConfirmQuit, Action::Letter('y')) => app.exit = Some(Exit::Quit),
        (Overlay::ConfirmDiscard, Action::Letter('y')) => {
            app.overlay = None;
            super::field_editor::discard(app);
        }
        (Overlay::Tests, Action::Test) => return vec![Effect::Test],
        (Overlay::TargetExists { dir, then }, Action::Letter(c @ ('k' | 'o' | 'r'))) => {
            use crate::core::generate::into_dir::IntoExisting;
            let how = match c {
                'k' => IntoExisting::Keep,
                'o' => IntoExisting::Overwrite,
                _ => IntoExisting::Remove,
            };
            app.into_existing = Some((dir, how));
            app.overlay = None;
            return app.go_to(then);
        }
        (Overlay::ConfirmPushFailingCheck, Action::Letter('y')) => {
            app.overlay = None;
            return super::finish::start_push(app, true);
        }
        (Overlay::ConfirmWrite, Action::Letter('y') | Action::Confirm) => {
            app.overlay = None;
            return vec![Effect::Write];
        }
        (Overlay::KindPicker { selected }, _) => {
            let kind = match action {
                Action::Letter('a') => Some(ComponentKind::Action),
                Action::Letter('t') => Some(ComponentKind::Trigger),
                Action::Letter('c') => Some(ComponentKind::Connector),
                Action::Confirm => Some(ComponentKind::ALL[selected]),
                _ => None,
            };
            if let Some(selected) = moved(selected) {
                app.overlay = Some(Overlay::KindPicker { selected });
            }
            if let Some(kind) = kind {
                app.overlay = None;
                app.add_component(kind);
                app.cursor_to_end();
            }
        }
        (Overlay::ReleasePicker { selected }, _) => {
            let part = match action {
                Action::Letter('p') => Some(0),
                Action::Letter('m') => Some(1),
                Action::Letter('M') => Some(2),
                Action::Confirm => Some(selected),
                _ => None,
            };
            if let Some(selected) = moved(selected) {
                app.overlay = Some(Overlay::ReleasePicker { selected });
            }
            if let Some(i) = part {
                app.overlay = release_dialog(app, RELEASE_PARTS[i].0);
                app.cursor = app.release_notes.chars().count();
            }
        }
        (Overlay::ReleaseNotes(dialog), Action::Confirm) => {
            app.overlay = None;
            app.release = Some(dialog.part);
            app.release_tag &= dialog.untaggable.is_none();
            return app.go_to(crate::tui::app::Page::Review);
        }
        (Overlay::ReleaseNotes(mut dialog), Action::FocusNext | Action::FocusPrev) => {
            dialog.on_tag = !dialog.on_tag;
            app.cursor = app.release_notes.chars().count();
            app.overlay = Some(Overlay::ReleaseNotes(dialog));
        }
        (Overlay::ReleaseNotes(dialog), Action::Toggle) if dialog.on_tag => {
            app.release_tag = !app.release_tag;
        }
        (Overlay::SaveAnswers { path }, Action::Confirm) => {
            if path.trim().is_empty() {
                app.status = Some("Type where to save the answers.".into());
            } else {
                app.overlay = None;
                return vec![Effect::SaveAnswers(path.trim().into())];
            }
        }
        _ => {}
    }
    Vec::new()
}

/// Keys no overlay binding takes: text for the answers path and the release notes, nothing for
/// the others.
pub fn on_text(app: &mut App, event: &KeyEvent) -> Vec<Effect> {
    let mut cursor = app.cursor;
    match &mut app.overlay {
        Some(Overlay::Passphrase { text: typed, .. }) => {
            text::edit(&mut typed.0, &mut cursor, event);
        }
        _ => {
            if let Some(text) = app.text_mut() {
                text::edit(text, &mut cursor, event);
            }
        }
    }
    app.cursor = cursor;
    Vec::new()
}

/// The release pop-up for `part`: the versions and tag it gives, read from the module now; a
/// module whose release cannot be planned says why in the status line instead.
fn release_dialog(app: &mut App, part: BumpPart) -> Option<Overlay> {
    let crate::tui::app::Flow::Existing { dir, .. } = &app.flow else {
        return None;
    };
    let planned = match crate::core::release::plan(
        dir,
        &crate::core::release::Target::Bump(part),
        None,
        crate::core::release::Date::today(),
    ) {
        Ok(planned) => planned,
        Err(e) => {
            app.status = Some(format!("Cannot release: {e}"));
            return None;
        }
    };
    let tag = crate::core::release::tag_name(&planned.version);
    let untaggable = crate::core::git::check_tag(dir, &tag)
        .err()
        .map(|e| e.to_string());
    Some(Overlay::ReleaseNotes(crate::tui::app::ReleaseDialog {
        part,
        versions: format!("{} → {}", planned.previous, planned.version),
        tag,
        untaggable,
        on_tag: false,
    }))
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
    let width = (lines
        .iter()
        .map(|l| l.width() as u16)
        .max()
        .unwrap_or(20)
        .max(title.len() as u16 + 4)
        + 4)
    .min(area.width);
    // Lines wider than the screen wrap under their own text (hanging indent), and the pop-up is
    // as tall as the wrapped lines.
    let inner = width.saturating_sub(2) as usize;
    let lines: Vec<Line<'static>> = lines
        .into_iter()
        .flat_map(|l| super::form::hang(l, inner))
        .collect();
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
            // Every binding with every key, the explained ones too: nothing is hidden.
            for b in app.screen_bindings().iter().filter(|b| !b.help.is_empty()) {
                lines.push(Line::from(vec![
                    Span::styled(format!("  {:<14}", b.keys_text()), theme.key()),
                    Span::raw(b.help),
                ]));
            }
            lines.push(Line::default());
            lines.push(Line::from(Span::styled(" Everywhere", theme.label())));
            for (k, h) in keys::GRAMMAR {
                lines.push(Line::from(vec![
                    Span::styled(format!("  {k:<14}"), theme.key()),
                    Span::raw(*h),
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
        Overlay::ConfirmDiscard => {
            let lines = vec![
                Line::raw(" Discard what you typed in this field?"),
                Line::raw(" y: discard   n: keep editing"),
            ];
            popup(frame, area, "Cancel?", lines, theme);
        }
        Overlay::TargetExists { dir, .. } => {
            let lines = vec![
                Line::raw(format!(" {} already exists and has files.", dir.display())),
                Line::default(),
                Line::raw(" k  keep them: write only the files it lacks (new --force)"),
                Line::raw(" o  overwrite the module's files, keep the others"),
                Line::raw("    (new --force --overwrite)"),
                Line::raw(" r  remove everything in it but .git, when writing"),
                Line::raw(" Esc  stay here and change the name"),
                Line::from(Span::styled(
                    " Nothing changes on disk before the review's write.",
                    theme.dim(),
                )),
            ];
            popup(frame, area, "Directory not empty", lines, theme);
        }
        Overlay::Tests => {
            let Some(task) = &app.test_task else { return };
            let mut lines: Vec<Line> = vec![Line::raw(
                " The automation-library's CI on this module (as `sekoia-wizard test`):",
            )];
            lines.extend(task.lines.iter().map(|l| Line::raw(format!(" {l}"))));
            lines.push(Line::default());
            let style = match &task.outcome {
                None => theme.dim(),
                Some(Ok(_)) => theme.ok(),
                Some(Err(_)) => theme.error(),
            };
            lines.push(Line::from(Span::styled(
                format!(" {}", task.summary()),
                style,
            )));
            popup(frame, area, "Test", lines, theme);
        }
        Overlay::ConfirmPushFailingCheck => {
            let mut lines = vec![Line::raw(" `sekoia-wizard check` fails on this module:")];
            for f in app.git.check_failures.iter().take(4) {
                lines.push(Line::from(Span::styled(format!("   ✗ {f}"), theme.error())));
            }
            lines.push(Line::raw(" The library's CI will fail too. Push anyway?"));
            lines.push(Line::raw(" y: push anyway   n: not now"));
            popup(frame, area, "Check fails", lines, theme);
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
            let mut lines = vec![Line::raw(format!(
                " Write {count} files to {}?",
                app.target_dir().display()
            ))];
            if app.into_existing() == Some(crate::core::generate::into_dir::IntoExisting::Remove) {
                lines.push(Line::from(Span::styled(
                    " Everything already in it but .git is removed first.",
                    theme.error(),
                )));
            }
            lines.push(Line::raw(" y: write   n: not yet"));
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
        Overlay::ReleaseNotes(dialog) => {
            let width = area.width.saturating_sub(12).clamp(30, 72) as usize;
            let notes = &app.release_notes;
            let mut lines = vec![
                Line::from(Span::styled(
                    format!(" Release {}", dialog.versions),
                    theme.label(),
                )),
                Line::default(),
                Line::raw(" Notes for the changelog entry (optional; what is under"),
                Line::raw(" ## Unreleased goes in too):"),
                Line::from(Span::styled(
                    format!(" {notes:<width$}"),
                    if dialog.on_tag {
                        theme.dim()
                    } else {
                        theme.focused()
                    },
                )),
                Line::default(),
            ];
            match &dialog.untaggable {
                None => lines.push(Line::from(Span::styled(
                    format!(
                        " [{}] tag {} (annotated) after writing; push sends it",
                        if app.release_tag { "x" } else { " " },
                        dialog.tag
                    ),
                    if dialog.on_tag {
                        theme.focused()
                    } else {
                        Default::default()
                    },
                ))),
                Some(why) => lines.extend(super::form::hanging(
                    &format!(" no tag: {why}"),
                    1,
                    3,
                    width,
                    theme.dim(),
                )),
            }
            lines.push(Line::from(Span::styled(
                " The review shows the CHANGELOG.md and manifest.json diff.",
                theme.dim(),
            )));
            let rect = popup(frame, area, "Release", lines, theme);
            if !dialog.on_tag {
                let x = rect.x + 2 + app.cursor.min(notes.chars().count()) as u16;
                if x < rect.x + rect.width {
                    frame.set_cursor_position((x, rect.y + 5));
                }
            }
        }
        Overlay::Passphrase { key, text } => {
            let lines = vec![
                Line::raw(format!(" The SSH key {} has a passphrase.", key.display())),
                Line::raw(format!(" {:<50}", "•".repeat(text.0.chars().count()))),
                Line::from(Span::styled(
                    " Enter: use it   Esc: skip the key (ssh-add it, or set $SEKOIA_WIZARD_SSH_PASSPHRASE)",
                    theme.dim(),
                )),
            ];
            popup(frame, area, "Passphrase", lines, theme);
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
