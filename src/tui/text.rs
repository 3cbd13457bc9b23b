//! Single-line text editing on a `String` with a cursor counted in characters.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Applies an editing key through `tui-input` (characters, Backspace / Delete, ←→, Home / End,
/// C-a / C-e, C-w and Alt-Backspace by word, C-u the whole line, C-←→ by word); returns false when
/// the key is not an editing key (Tab, Enter, Esc and the step keys stay the wizard's).
pub fn edit(text: &mut String, cursor: &mut usize, event: &KeyEvent) -> bool {
    use ratatui::crossterm::event::Event;
    use tui_input::backend::crossterm::to_input_request;
    use tui_input::{Input, InputRequest};
    // The wizard's own keys are never edits, whatever the widget maps them to.
    let ctrl = event.modifiers.contains(KeyModifiers::CONTROL);
    if ctrl && matches!(event.code, KeyCode::Char('n' | 'p' | 'd' | 'q' | 'c')) {
        return false;
    }
    let Some(request) = to_input_request(&Event::Key(*event)) else {
        return false;
    };
    if let InputRequest::InsertChar(c) = request {
        // Typed text goes through the same cleaning as a paste (no control characters).
        insert(text, cursor, &c.to_string());
        return true;
    }
    let len = text.chars().count();
    let mut input = Input::new(std::mem::take(text)).with_cursor((*cursor).min(len));
    input.handle(request);
    *cursor = input.cursor();
    *text = input.value().to_string();
    true
}

/// Inserts pasted or typed text; line breaks become spaces (every field is one line).
pub fn insert(text: &mut String, cursor: &mut usize, pasted: &str) {
    let clean: String = pasted
        .trim_end_matches(['\r', '\n'])
        .chars()
        .map(|c| {
            if c == '\n' || c == '\r' || c == '\t' {
                ' '
            } else {
                c
            }
        })
        .filter(|c| !c.is_control())
        .collect();
    let at = byte_index(text, *cursor);
    text.insert_str(at, &clean);
    *cursor += clean.chars().count();
}

fn byte_index(text: &str, chars: usize) -> usize {
    text.char_indices()
        .nth(chars)
        .map(|(i, _)| i)
        .unwrap_or(text.len())
}

/// What is shown for a value: secrets as bullets, one per character.
pub fn shown(text: &str, secret: bool) -> String {
    if secret {
        "•".repeat(text.chars().count())
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::crossterm::event::KeyEvent;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn edits_at_the_cursor_in_characters() {
        let mut s = String::from("héllo");
        let mut c = 5;
        edit(&mut s, &mut c, &key(KeyCode::Left));
        edit(&mut s, &mut c, &key(KeyCode::Backspace));
        assert_eq!((s.as_str(), c), ("hélo", 3));
        edit(&mut s, &mut c, &key(KeyCode::Home));
        edit(&mut s, &mut c, &key(KeyCode::Char('X')));
        assert_eq!(s, "Xhélo");
        insert(&mut s, &mut c, "a\nb\n");
        assert_eq!(s, "Xa bhélo");
        assert_eq!(shown("abc", true), "•••");
        edit(
            &mut s,
            &mut c,
            &KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL),
        );
        assert!(s.is_empty());
    }

    #[test]
    fn words_and_line_ends_move_and_delete_as_in_a_shell() {
        let ctrl = |c: char| KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL);
        let mut s = String::from("Get alert details");
        let mut c = s.chars().count();
        edit(&mut s, &mut c, &ctrl('w'));
        assert_eq!((s.as_str(), c), ("Get alert ", 10));
        edit(&mut s, &mut c, &ctrl('a'));
        assert_eq!(c, 0);
        edit(&mut s, &mut c, &ctrl('e'));
        assert_eq!(c, 10);
        // The wizard's own Ctrl keys are not edits.
        assert!(!edit(&mut s, &mut c, &ctrl('n')));
        assert!(!edit(&mut s, &mut c, &key(KeyCode::Tab)));
        assert!(!edit(&mut s, &mut c, &key(KeyCode::Enter)));
        assert_eq!(s, "Get alert ");
    }
}
