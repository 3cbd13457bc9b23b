//! A form drawn as lines: `> Label  value`, with problems under the field and the text cursor
//! placed where typing goes.

use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;

use crate::core::failure::Failure;
use crate::tui::text::shown;
use crate::tui::theme::Theme;

pub const LABEL_WIDTH: usize = 14;

pub struct Form<'t> {
    pub lines: Vec<Line<'static>>,
    /// Inner width, for wrapping problems and notes under their field.
    width: usize,
    /// Column and line of the text cursor inside the form.
    cursor: Option<(usize, usize)>,
    theme: &'t Theme,
}

impl<'t> Form<'t> {
    pub fn new(theme: &'t Theme, area: Rect) -> Self {
        Form {
            lines: Vec::new(),
            width: area.width.saturating_sub(2) as usize,
            cursor: None,
            theme,
        }
    }

    fn head(&self, label: &str, focused: bool) -> Vec<Span<'static>> {
        let marker = if focused { "> " } else { "  " };
        let style = if focused {
            self.theme.focused()
        } else {
            self.theme.label()
        };
        vec![
            Span::styled(marker, style),
            Span::styled(format!("{label:<LABEL_WIDTH$}"), style),
        ]
    }

    /// A text field; `cursor` is in characters and only used when focused.
    pub fn text(
        &mut self,
        label: &str,
        value: &str,
        focused: bool,
        secret: bool,
        cursor: usize,
        placeholder: &str,
    ) {
        let mut spans = self.head(label, focused);
        // A long placeholder wraps under the value's column, words whole (never back to column 0).
        let mut more = Vec::new();
        if value.is_empty() {
            let indent = 2 + LABEL_WIDTH;
            let mut rows = wrap_words(placeholder, self.width.saturating_sub(indent).max(10));
            let first = if rows.is_empty() {
                String::new()
            } else {
                rows.remove(0)
            };
            spans.push(Span::styled(first, self.theme.dim()));
            more = rows
                .into_iter()
                .map(|row| {
                    Line::from(Span::styled(
                        format!("{}{row}", " ".repeat(indent)),
                        self.theme.dim(),
                    ))
                })
                .collect();
        } else {
            spans.push(Span::raw(shown(value, secret)));
        }
        if focused {
            // The cursor sits after the shown text's display width (wide characters take two).
            let before: String = shown(value, secret).chars().take(cursor).collect();
            let col = unicode_width::UnicodeWidthStr::width(before.as_str());
            self.cursor = Some((2 + LABEL_WIDTH + col, self.lines.len()));
        }
        self.lines.push(Line::from(spans));
        self.lines.extend(more);
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

    /// An item that does not apply here: shown, so the Tab order never changes, but skipped.
    pub fn disabled(&mut self, label: &str, why: &str) {
        self.lines.push(Line::from(vec![
            Span::styled(format!("  {label:<LABEL_WIDTH$}"), self.theme.dim()),
            Span::styled(format!("— {why}"), self.theme.dim()),
        ]));
    }

    /// A part edited on its own screen, opened with Enter.
    pub fn open(&mut self, label: &str, summary: &str, focused: bool) {
        let mut spans = self.head(label, focused);
        spans.push(Span::raw(summary.to_string()));
        spans.push(Span::styled("  (Enter to edit)", self.theme.dim()));
        self.lines.push(Line::from(spans));
    }

    pub fn problem(&mut self, failure: &Failure) {
        let indent = 2 + LABEL_WIDTH;
        self.lines.extend(hanging(
            &format!("✗ {}", failure.message),
            indent,
            indent + 2,
            self.width,
            self.theme.error(),
        ));
        if let Some(hint) = &failure.hint {
            self.lines.extend(hanging(
                &format!("hint: {hint}"),
                indent + 2,
                indent + 2,
                self.width,
                self.theme.dim(),
            ));
        }
    }

    pub fn note(&mut self, text: &str) {
        let indent = 2 + LABEL_WIDTH;
        self.lines
            .extend(hanging(text, indent, indent, self.width, self.theme.dim()));
    }

    pub fn line(&mut self, line: Line<'static>) {
        self.lines.push(line);
    }

    pub fn blank(&mut self) {
        self.lines.push(Line::default());
    }

    pub fn render(self, frame: &mut Frame, area: Rect, title: &str) {
        let block = Block::default()
            .borders(Borders::ALL)
            .title(Span::styled(format!(" {title} "), self.theme.title()));
        let inner = block.inner(area);
        // Wrapped here (hanging indent), so the cursor's row is known: rows added above it count.
        let width = inner.width as usize;
        let mut lines = Vec::new();
        let mut added_above = 0;
        for (i, line) in self.lines.into_iter().enumerate() {
            let rows = hang(line, width);
            if self.cursor.is_some_and(|(_, at)| i < at) {
                added_above += rows.len() - 1;
            }
            lines.extend(rows);
        }
        let cursor = self.cursor.map(|(col, at)| (col, at + added_above));
        frame.render_widget(
            Paragraph::new(lines)
                .block(block)
                .wrap(Wrap { trim: false }),
            area,
        );
        if let Some((col, line)) = cursor {
            let (x, y) = (inner.x as usize + col, inner.y as usize + line);
            if x < (inner.x + inner.width) as usize && y < (inner.y + inner.height) as usize {
                frame.set_cursor_position(Position::new(x as u16, y as u16));
            }
        }
    }
}

/// A bordered panel of plain lines.
pub fn panel(frame: &mut Frame, area: Rect, title: &str, lines: Vec<Line<'static>>, theme: &Theme) {
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(format!(" {title} "), theme.title()));
    let width = area.width.saturating_sub(2) as usize;
    let lines = lines
        .into_iter()
        .flat_map(|l| hang(l, width))
        .collect::<Vec<_>>();
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        area,
    );
}

/// A line too wide for `width`, wrapped at spaces with its continuation rows under its text (after
/// its leading spaces and any `x: `, `+ ` or `$ ` prefix; under the value for a form's
/// `  Label  value` line), never back at column 0. Styles are kept character by character.
pub fn hang(line: Line<'static>, width: usize) -> Vec<Line<'static>> {
    if line.width() <= width || width < 20 {
        return vec![line];
    }
    let chars: Vec<(char, Style)> = line
        .spans
        .iter()
        .flat_map(|s| s.content.chars().map(move |c| (c, s.style)))
        .collect();
    let text: String = chars.iter().map(|(c, _)| c).collect();
    let lead = text.chars().take_while(|c| *c == ' ').count();
    let rest: String = text.chars().skip(lead).collect();
    // `> Label         value`: a label at column 2 and blanks up to the value's column.
    let at = |i: usize| text.chars().nth(i).unwrap_or(' ');
    let form_value = (text.starts_with("> ") || text.starts_with("  "))
        && at(2) != ' '
        && at(1 + LABEL_WIDTH) == ' ';
    let key = if form_value && text.chars().count() > 2 + LABEL_WIDTH && lead < 2 + LABEL_WIDTH {
        2 + LABEL_WIDTH - lead
    } else {
        ["+ ", "$ ", "- "]
            .iter()
            .find(|p| rest.starts_with(*p))
            .map(|p| p.len())
            .or_else(|| rest.find(": ").filter(|&i| i <= 3).map(|i| i + 2))
            .unwrap_or(0)
    };
    let indent = (lead + key).min(width / 2);
    let cw = |c: char| unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
    let mut rows: Vec<Vec<(char, Style)>> = Vec::new();
    let mut at = 0;
    while at < chars.len() {
        let room = if rows.is_empty() {
            width
        } else {
            width - indent
        };
        // The longest run that fits, cut after its last space when the rest goes on.
        let (mut end, mut used) = (at, 0);
        while end < chars.len() && used + cw(chars[end].0) <= room {
            used += cw(chars[end].0);
            end += 1;
        }
        if end < chars.len() {
            if let Some(space) = (at + 1..end).rev().find(|&i| chars[i].0 == ' ') {
                end = space;
            }
        }
        let end = end.max(at + 1);
        let mut row: Vec<(char, Style)> = Vec::new();
        if !rows.is_empty() {
            row.extend(std::iter::repeat_n((' ', Style::default()), indent));
        }
        row.extend_from_slice(&chars[at..end]);
        rows.push(row);
        at = end;
        while at < chars.len() && chars[at].0 == ' ' {
            at += 1;
        }
    }
    rows.into_iter()
        .map(|row| {
            let mut spans: Vec<Span<'static>> = Vec::new();
            for (c, style) in row {
                match spans.last_mut() {
                    Some(last) if last.style == style => last.content.to_mut().push(c),
                    _ => spans.push(Span::styled(c.to_string(), style)),
                }
            }
            Line::from(spans)
        })
        .collect()
}

/// `label  value` for information panels of inner width `width`; a long value wraps under itself.
pub fn pair(
    label: &str,
    value: impl Into<String>,
    theme: &Theme,
    width: u16,
) -> Vec<Line<'static>> {
    let indent = LABEL_WIDTH + 1;
    let value = value.into();
    let rows = wrap_words(&value, (width as usize).saturating_sub(indent + 2).max(8));
    rows.into_iter()
        .enumerate()
        .map(|(i, row)| {
            let head = if i == 0 {
                format!(" {label:<LABEL_WIDTH$}")
            } else {
                " ".repeat(indent)
            };
            Line::from(vec![Span::styled(head, theme.label()), Span::raw(row)])
        })
        .collect()
}

/// Text starting at column `first`, continuing at column `rest`, within `width`.
pub fn hanging(
    text: &str,
    first: usize,
    rest: usize,
    width: usize,
    style: Style,
) -> Vec<Line<'static>> {
    let avail = width.saturating_sub(rest).max(10);
    wrap_words(text, avail)
        .into_iter()
        .enumerate()
        .map(|(i, row)| {
            Line::from(Span::styled(
                format!("{}{row}", " ".repeat(if i == 0 { first } else { rest })),
                style,
            ))
        })
        .collect()
}

/// Splits at spaces into rows of at most `width` characters (longer words are cut).
pub fn wrap_words(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut rows = Vec::new();
    let mut row = String::new();
    for word in text.split(' ') {
        let mut word = word.to_string();
        while word.chars().count() > width {
            if !row.is_empty() {
                rows.push(std::mem::take(&mut row));
            }
            let cut: String = word.chars().take(width).collect();
            word = word.chars().skip(width).collect();
            rows.push(cut);
        }
        let needed = row.chars().count() + usize::from(!row.is_empty()) + word.chars().count();
        if needed > width && !row.is_empty() {
            rows.push(std::mem::take(&mut row));
        }
        if !row.is_empty() {
            row.push(' ');
        }
        row.push_str(&word);
    }
    if !row.is_empty() || rows.is_empty() {
        rows.push(row);
    }
    rows
}
