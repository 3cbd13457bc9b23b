//! Step 5: the file tree with new / changed marks and a scrollable preview (a diff for changed
//! files). Nothing is written until `w` is confirmed; `s` saves the answers file.

use ratatui::crossterm::event::KeyCode;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

use super::form::panel;
use crate::core::plan::{Change, PlannedFile};
use crate::tui::app::{App, Effect, Overlay};
use crate::tui::keys::{self, bind, Action, Binding, Key};
use crate::tui::theme::Theme;

fn files(app: &App) -> Vec<&PlannedFile> {
    match &app.review.result {
        Some(Ok(g)) => g.plan.files().collect(),
        _ => Vec::new(),
    }
}

pub fn bindings(app: &App) -> Vec<Binding> {
    let mut b = Vec::new();
    let writable = matches!(&app.review.result, Some(Ok(g)) if g.plan.changes().next().is_some());
    if writable {
        // Enter and C-n write too (confirm, next step): listed in the help, not twice in the footer.
        b.push(bind("w", "write files", Action::Write, &[Key::ch('w')]));
        b.push(bind("", "write files", Action::Confirm, &[keys::ENTER]));
        b.push(bind(
            "",
            "write files (the next step)",
            Action::NextStep,
            &keys::NEXT_STEP_KEYS,
        ));
    } else {
        // Nothing to confirm when there are problems, or every file is already as planned.
        let why = if app.review.problems.is_empty() {
            "Nothing to write: every file is already as planned."
        } else {
            "Fix the problems first (✗): Esc goes back to the steps."
        };
        b.push(keys::explain(&[keys::ENTER], why));
        b.push(keys::explain(&keys::NEXT_STEP_KEYS, why));
    }
    if let Some(Ok(_)) = &app.review.result {
        let [up, down] = keys::up_down();
        b.push(up);
        b.push(down);
        b.extend(keys::scroll_preview());
        b.push(bind(
            "←→",
            "scroll sideways",
            Action::ScrollRight,
            &[Key::code(KeyCode::Right), Key::ch('l')],
        ));
        b.push(bind(
            "",
            "",
            Action::ScrollLeft,
            &[Key::code(KeyCode::Left), Key::ch('h')],
        ));
    }
    b.push(bind(
        "s",
        "save answers",
        Action::SaveAnswers,
        &[Key::ch('s')],
    ));
    b.push(keys::back("back"));
    b.push(keys::prev_step());
    b
}

pub fn act(app: &mut App, action: Action) -> Vec<Effect> {
    let count = files(app).len();
    let r = &mut app.review;
    match action {
        Action::Up => {
            r.selected = r.selected.saturating_sub(1);
            r.scroll = 0;
            r.hscroll = 0;
        }
        Action::Down => {
            r.selected = (r.selected + 1).min(count.saturating_sub(1));
            r.scroll = 0;
            r.hscroll = 0;
        }
        Action::ScrollDown => r.scroll = r.scroll.saturating_add(10),
        Action::ScrollUp => r.scroll = r.scroll.saturating_sub(10),
        Action::ScrollRight => r.hscroll = r.hscroll.saturating_add(8),
        Action::ScrollLeft => r.hscroll = r.hscroll.saturating_sub(8),
        Action::Write | Action::Confirm | Action::NextStep => {
            app.overlay = Some(Overlay::ConfirmWrite)
        }
        Action::SaveAnswers => {
            let dir = match &app.flow {
                crate::tui::app::Flow::New { output_dir } => output_dir.clone(),
                crate::tui::app::Flow::Existing { dir, .. } => dir.clone(),
            };
            let path = dir.join("sekoia-wizard-answers.toml").display().to_string();
            app.overlay = Some(Overlay::SaveAnswers { path });
        }
        Action::Back => return app.back(),
        _ => {}
    }
    Vec::new()
}

pub fn render(app: &App, frame: &mut Frame, area: Rect, theme: &Theme) {
    if !app.review.problems.is_empty() {
        let mut lines = vec![
            Line::from(Span::styled(
                " Fix these before writing (Esc goes back to the steps):",
                theme.error(),
            )),
            Line::default(),
        ];
        for (page, f) in &app.review.problems {
            lines.push(Line::from(vec![
                Span::styled(format!(" ✗ {:<14}", page.label()), theme.error()),
                Span::raw(f.message.clone()),
            ]));
            if let Some(h) = &f.hint {
                lines.push(Line::from(Span::styled(
                    format!("   {:<14}hint: {h}", ""),
                    theme.dim(),
                )));
            }
        }
        panel(frame, area, "Review · not ready", lines, theme);
        return;
    }
    let generated = match &app.review.result {
        None => {
            return panel(
                frame,
                area,
                "Review",
                vec![Line::raw(" Planning the files…")],
                theme,
            )
        }
        Some(Err(f)) => {
            let mut lines = vec![
                Line::from(Span::styled(
                    " The files could not be planned:",
                    theme.error(),
                )),
                Line::default(),
                Line::from(Span::styled(format!(" ✗ {}", f.message), theme.error())),
            ];
            if let Some(h) = &f.hint {
                lines.push(Line::from(Span::styled(
                    format!("   hint: {h}"),
                    theme.dim(),
                )));
            }
            lines.push(Line::default());
            lines.push(Line::raw(
                " Nothing was written. Esc goes back; s saves the answers to replay later.",
            ));
            return panel(frame, area, "Review", lines, theme);
        }
        Some(Ok(g)) => g,
    };
    let all = files(app);
    let [tree, preview] = Layout::horizontal([
        // The list gives way at 80 columns so the preview keeps most of the room.
        Constraint::Length((area.width * 2 / 5).clamp(26, 46)),
        Constraint::Fill(1),
    ])
    .areas(area);
    let counts = |c: Change| all.iter().filter(|f| f.change() == c).count();
    let mut lines = super::form::hanging(
        &format!(
            "{}/  +{} new ~{} changed ={} same",
            generated
                .plan
                .root
                .file_name()
                .map(|n| n.to_string_lossy())
                .unwrap_or_default(),
            counts(Change::New),
            counts(Change::Changed),
            counts(Change::Unchanged)
        ),
        1,
        3,
        tree.width.saturating_sub(2) as usize,
        theme.label(),
    );
    let mut notes = Vec::new();
    for note in &generated.notes {
        notes.extend(super::form::hanging(
            &format!("note: {note}"),
            1,
            3,
            tree.width.saturating_sub(2) as usize,
            theme.dim(),
        ));
    }
    // At least a few rows of files, however long the notes.
    let height = (tree.height.saturating_sub(2) as usize)
        .saturating_sub(lines.len() + notes.len() + 1)
        .max(3);
    let first = app.review.selected.saturating_sub(height.saturating_sub(1));
    for (i, f) in all.iter().enumerate().skip(first).take(height) {
        let here = i == app.review.selected;
        // A path too long for the list keeps its end (the file name), not its start.
        let room = (tree.width as usize).saturating_sub(5);
        let count = f.path.chars().count();
        let path = if count > room && room > 1 {
            let tail: String = f.path.chars().skip(count - (room - 1)).collect();
            format!("…{tail}")
        } else {
            f.path.clone()
        };
        let text = format!(
            "{}{} {path}",
            if here { ">" } else { " " },
            f.change().mark(),
        );
        let style = match (here, f.change()) {
            (true, _) => theme.selected(),
            (false, Change::New) => theme.added(),
            (false, Change::Changed) => theme.focused(),
            _ => theme.dim(),
        };
        lines.push(Line::from(Span::styled(text, style)));
    }
    if counts(Change::New) + counts(Change::Changed) == 0 {
        lines.push(Line::from(Span::styled(
            " ✓ nothing to write: every file is up to date",
            theme.ok(),
        )));
    }
    // The notes come last but are always shown: the list above scrolls instead.
    lines.extend(notes);
    panel(frame, tree, "Files", lines, theme);

    let Some(file) = all.get(app.review.selected) else {
        return;
    };
    let (title, body): (String, Vec<Line>) = match file.change() {
        Change::Changed => (
            format!("{} · diff", file.path),
            file.diff()
                .lines()
                .map(|l| {
                    let style = if l.starts_with('+') {
                        theme.added()
                    } else if l.starts_with('-') {
                        theme.removed()
                    } else {
                        Default::default()
                    };
                    Line::from(Span::styled(l.to_string(), style))
                })
                .collect(),
        ),
        Change::New => (
            format!("{} · new", file.path),
            file.text()
                .lines()
                .map(|l| Line::raw(l.to_string()))
                .collect(),
        ),
        Change::Unchanged => (
            format!("{} · unchanged", file.path),
            vec![Line::raw("(the file on disk is already this)")],
        ),
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(format!(" {title} "), theme.title()));
    frame.render_widget(
        Paragraph::new(body)
            .block(block)
            .scroll((app.review.scroll, app.review.hscroll)),
        preview,
    );
}

/// How the lock file will be made once the files are written (issue 11: say it before writing,
/// not after pushing). Added to the plan's notes when it is made, not on every frame.
pub fn lock_note(app: &App, root: &std::path::Path) -> String {
    use crate::core::lock;
    let packaging = if app.is_new() {
        app.module().packaging
    } else {
        lock::packaging_of(root)
    };
    let plan = lock::plan(root, packaging);
    let file = lock::lock_file(packaging);
    let uv = if packaging == crate::core::model::Packaging::Uv {
        format!("; {}", lock::UV_NOT_FOR_LIBRARY)
    } else {
        String::new()
    };
    match plan.candidates.first() {
        Some(runner) => format!(
            "{file} is made right after writing, with `{}`{uv}",
            runner.display(plan.args())
        ),
        None if plan.install.is_some() => format!(
            "{file}: Poetry is not installed; after writing, l installs it privately and locks"
        ),
        None => format!("{file} cannot be made here: {}{uv}", plan.manual_hint()),
    }
}
