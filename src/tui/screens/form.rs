//! A form drawn as lines: `> Label  value`, with problems under the field and the text cursor
//! placed where typing goes.

use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;

use crate::core::failure::Failure;
use crate::tui::text::shown;
use crate::tui::theme::Theme;

pub const LABEL_WIDTH: usize = 14;

pub struct Form<'t> {
    pub lines: Vec<Line<'static>>,
    /// Column and line of the text cursor inside the form.
    cursor: Option<(usize, usize)>,
    theme: &'t Theme,
}

impl<'t> Form<'t> {
    pub fn new(theme: &'t Theme) -> Self {
        Form { lines: Vec::new(), cursor: None, theme }
    }

    fn head(&self, label: &str, focused: bool) -> Vec<Span<'static>> {
        let marker = if focused { "> " } else { "  " };
        let style = if focused { self.theme.focused() } else { self.theme.label() };
        vec![Span::styled(marker, style), Span::styled(format!("{label:<LABEL_WIDTH$}"), style)]
    }

    /// A text field; `cursor` is in characters and only used when focused.
    pub fn text(&mut self, label: &str, value: &str, focused: bool, secret: bool, cursor: usize, placeholder: &str) {
        let mut spans = self.head(label, focused);
        if value.is_empty() {
            spans.push(Span::styled(placeholder.to_string(), self.theme.dim()));
        } else {
            spans.push(Span::raw(shown(value, secret)));
        }
        if focused {
            self.cursor = Some((2 + LABEL_WIDTH + cursor, self.lines.len()));
        }
        self.lines.push(Line::from(spans));
    }

    /// A value chosen with ←/→.
    pub fn choice(&mut self, label: &str, value: &str, focused: bool) {
        let mut spans = self.head(label, focused);
        spans.push(Span::raw(format!("‹ {value} ›")));
        self.lines.push(Line::from(spans));
    }

    pub fn toggle(&mut self, label: &str, on: bool, focused: bool) {
        let mut spans = self.head(label, focused);
        spans.push(Span::raw(if on { "[x] yes" } else { "[ ] no" }));
        self.lines.push(Line::from(spans));
    }

    /// A part edited on its own screen, opened with Enter.
    pub fn open(&mut self, label: &str, summary: &str, focused: bool) {
        let mut spans = self.head(label, focused);
        spans.push(Span::raw(summary.to_string()));
        spans.push(Span::styled("  (Enter to edit)", self.theme.dim()));
        self.lines.push(Line::from(spans));
    }

    pub fn problem(&mut self, failure: &Failure) {
        let indent = " ".repeat(2 + LABEL_WIDTH);
        self.lines.push(Line::from(Span::styled(format!("{indent}✗ {}", failure.message), self.theme.error())));
        if let Some(hint) = &failure.hint {
            self.lines.push(Line::from(Span::styled(format!("{indent}  hint: {hint}"), self.theme.dim())));
        }
    }

    pub fn note(&mut self, text: &str) {
        let indent = " ".repeat(2 + LABEL_WIDTH);
        self.lines.push(Line::from(Span::styled(format!("{indent}{text}"), self.theme.dim())));
    }

    pub fn line(&mut self, line: Line<'static>) {
        self.lines.push(line);
    }

    pub fn blank(&mut self) {
        self.lines.push(Line::default());
    }

    pub fn render(self, frame: &mut Frame, area: Rect, title: &str) {
        let block = Block::default().borders(Borders::ALL).title(Span::styled(format!(" {title} "), self.theme.title()));
        let inner = block.inner(area);
        frame.render_widget(Paragraph::new(self.lines).block(block).wrap(Wrap { trim: false }), area);
        if let Some((col, line)) = self.cursor {
            let (x, y) = (inner.x as usize + col, inner.y as usize + line);
            if x < (inner.x + inner.width) as usize && y < (inner.y + inner.height) as usize {
                frame.set_cursor_position(Position::new(x as u16, y as u16));
            }
        }
    }
}

/// A bordered panel of plain lines.
pub fn panel(frame: &mut Frame, area: Rect, title: &str, lines: Vec<Line<'static>>, theme: &Theme) {
    let block = Block::default().borders(Borders::ALL).title(Span::styled(format!(" {title} "), theme.title()));
    frame.render_widget(Paragraph::new(lines).block(block).wrap(Wrap { trim: false }), area);
}

/// `label  value` for information panels.
pub fn pair(label: &str, value: impl Into<String>, theme: &Theme) -> Line<'static> {
    Line::from(vec![Span::styled(format!(" {label:<LABEL_WIDTH$}"), theme.label()), Span::raw(value.into())])
}
