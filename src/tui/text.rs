//! Single-line text editing on a `String` with a cursor counted in characters.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Applies an editing key; returns false when the key is not an editing key.
pub fn edit(text: &mut String, cursor: &mut usize, event: &KeyEvent) -> bool {
    let len = text.chars().count();
    *cursor = (*cursor).min(len);
    let ctrl = event.modifiers.contains(KeyModifiers::CONTROL);
    match event.code {
        KeyCode::Char('u') if ctrl => {
            text.clear();
            *cursor = 0;
        }
        KeyCode::Char(c) if !ctrl && !event.modifiers.contains(KeyModifiers::ALT) => {
            insert(text, cursor, &c.to_string());
        }
        KeyCode::Backspace if *cursor > 0 => {
            let at = byte_index(text, *cursor - 1);
            text.remove(at);
            *cursor -= 1;
        }
        KeyCode::Delete if *cursor < len => {
            let at = byte_index(text, *cursor);
            text.remove(at);
        }
        KeyCode::Left => *cursor = cursor.saturating_sub(1),
        KeyCode::Right => *cursor = (*cursor + 1).min(len),
        KeyCode::Home => *cursor = 0,
        KeyCode::End => *cursor = len,
        KeyCode::Backspace | KeyCode::Delete => {}
        _ => return false,
    }
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
}
