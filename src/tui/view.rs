//! Draws the whole screen: title, step bar, the current screen, status and the key footer, or the
//! "terminal too small" screen.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::app::{App, Flow};
use super::screens;
use super::theme::Theme;

/// Below this the forms and the review do not fit; the person is told the size needed.
pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

pub fn render(app: &App, frame: &mut Frame, theme: &Theme) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        return too_small(frame, area, theme);
    }
    let [title, steps, body, status, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    frame.render_widget(Paragraph::new(title_line(app, theme)), title);
    frame.render_widget(Paragraph::new(step_bar(app, theme, steps.width)), steps);
    (screens::table(app.screen()).render)(app, frame, body, theme);
    if let Some(s) = &app.status {
        frame.render_widget(
            Paragraph::new(Line::from(Span::styled(
                ellipsis(&format!(" {s}"), status.width as usize),
                theme.focused(),
            ))),
            status,
        );
    }
    frame.render_widget(
        Paragraph::new(footer_line(app, theme, footer.width)),
        footer,
    );
    screens::overlays::render(app, frame, area, theme);
}

fn title_line(app: &App, theme: &Theme) -> Line<'static> {
    let what = match &app.flow {
        Flow::New { .. } => "new module".to_string(),
        Flow::Existing { summary, .. } => match summary {
            Ok(m) => format!("module {}", m.name),
            Err(_) => "existing module".to_string(),
        },
    };
    let pages = app.pages();
    let n = pages.iter().position(|p| *p == app.page).unwrap_or(0) + 1;
    Line::from(vec![
        Span::styled(" sekoia-wizard", theme.title()),
        Span::raw(format!(
            " · {what} · step {n} of {} · {}",
            pages.len(),
            app.page.label()
        )),
    ])
}

/// `[1 Module] 2 Configuration ✗ 3 Components …`: brackets mark the current step, ✗ a step with
/// problems, so nothing depends on colour. When the labels do not fit in `width`, the other steps
/// show their number only (`1 2 ✗ [3 Components] 4 5 6 7 8`), so no step is ever cut off.
fn step_bar(app: &App, theme: &Theme, width: u16) -> Line<'static> {
    let full = step_spans(app, theme, true);
    if Line::from(full.clone()).width() <= width as usize {
        return Line::from(full);
    }
    Line::from(step_spans(app, theme, false))
}

fn step_spans(app: &App, theme: &Theme, labels: bool) -> Vec<Span<'static>> {
    let mut spans = vec![Span::raw(" ")];
    let problems = app.problems();
    for (i, page) in app.pages().into_iter().enumerate() {
        let bad = if page_has(&problems, page) {
            " ✗"
        } else {
            ""
        };
        let current = page == app.page;
        let text = if labels || current {
            format!("{} {}{bad}", i + 1, page.label())
        } else {
            format!("{}{bad}", i + 1)
        };
        if current {
            spans.push(Span::styled(format!("[{text}]"), theme.selected()));
        } else {
            spans.push(Span::styled(
                text,
                if bad.is_empty() {
                    theme.dim()
                } else {
                    theme.error()
                },
            ));
        }
        spans.push(Span::raw(" "));
    }
    spans
}

fn page_has(
    problems: &[(super::app::Page, crate::core::failure::Failure)],
    page: super::app::Page,
) -> bool {
    problems.iter().any(|(p, _)| *p == page)
}

/// The keys that work now, from the focused screen's own declarations, in priority order. When
/// they do not all fit, the last ones give way to `…` and `? more` (the help lists them all), so
/// help and quit always show.
pub fn footer_line(app: &App, theme: &Theme, width: u16) -> Line<'static> {
    let all = app.bindings();
    let shown: Vec<_> = all.iter().filter(|b| !b.label.is_empty()).collect();
    let cost = |label: &str, help: &str| label.chars().count() + help.chars().count() + 3;
    let globals = if app.overlay.is_some() {
        0
    } else {
        2.min(shown.len())
    };
    let (screen, global) = shown.split_at(shown.len() - globals);
    let global_cost: usize = global.iter().map(|b| cost(b.label, b.help)).sum();
    let mut budget = (width as usize).saturating_sub(1 + global_cost);
    let mut kept = Vec::new();
    let mut cut = false;
    for (i, b) in screen.iter().enumerate() {
        // Room for `… ` and the longer `more` when something after this one is cut.
        let rest_fits = screen[i..]
            .iter()
            .map(|b| cost(b.label, b.help))
            .sum::<usize>()
            <= budget;
        if !rest_fits && cost(b.label, b.help) + 3 + 1 > budget {
            cut = true;
            break;
        }
        budget -= cost(b.label, b.help);
        kept.push(*b);
    }
    let mut spans = vec![Span::raw(" ")];
    for b in kept {
        spans.push(Span::styled(b.label, theme.key()));
        spans.push(Span::raw(format!(" {}  ", b.help)));
    }
    if cut {
        spans.push(Span::styled("… ", theme.dim()));
    }
    for b in global {
        spans.push(Span::styled(b.label, theme.key()));
        let help = if cut && b.action == crate::tui::keys::Action::Help {
            "more"
        } else {
            b.help
        };
        spans.push(Span::raw(format!(" {help}  ")));
    }
    Line::from(spans)
}

/// `text` cut to `width` display columns, ending in `…` when cut.
pub fn ellipsis(text: &str, width: usize) -> String {
    use unicode_width::UnicodeWidthStr;
    if text.width() <= width {
        return text.to_string();
    }
    let mut out = String::new();
    for c in text.chars() {
        if out.width() + unicode_width::UnicodeWidthChar::width(c).unwrap_or(0) + 1 > width {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

fn too_small(frame: &mut Frame, area: Rect, theme: &Theme) {
    let lines = vec![
        Line::from(Span::styled("Terminal too small", theme.error())),
        Line::raw(format!(
            "need {MIN_WIDTH}×{MIN_HEIGHT}, have {}×{}",
            area.width, area.height
        )),
        Line::raw("Enlarge the window, or"),
        Line::raw("C-c quits."),
    ];
    let top = area.height.saturating_sub(lines.len() as u16) / 2;
    let rect = Rect {
        y: area.y + top,
        height: area.height - top,
        ..area
    };
    frame.render_widget(
        Paragraph::new(lines).alignment(ratatui::layout::Alignment::Center),
        rect,
    );
}
