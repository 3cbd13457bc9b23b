//! Key bindings that screens declare. The same list drives dispatch, the footer and the `?` help
//! overlay, so what the footer says always matches what the keys do.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Everything a key can ask for; each screen decides which of these it offers right now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    FocusNext,
    FocusPrev,
    NextStep,
    Back,
    Help,
    Quit,
    Up,
    Down,
    Toggle,
    CycleLeft,
    CycleRight,
    Add,
    Open,
    Delete,
    MoveUp,
    MoveDown,
    Write,
    SaveAnswers,
    ScrollDown,
    ScrollUp,
    AddComponent,
    AddConfig,
    Regenerate,
    Release,
    Push,
}

/// One key: a code, with or without Ctrl (Shift is part of the code for characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
}

impl Key {
    pub const fn code(code: KeyCode) -> Key {
        Key { code, ctrl: false }
    }

    pub const fn ch(c: char) -> Key {
        Key {
            code: KeyCode::Char(c),
            ctrl: false,
        }
    }

    pub const fn ctrl(c: char) -> Key {
        Key {
            code: KeyCode::Char(c),
            ctrl: true,
        }
    }

    pub fn matches(&self, event: &KeyEvent) -> bool {
        let ctrl = event.modifiers.contains(KeyModifiers::CONTROL);
        let code = match event.code {
            // Terminals differ on whether Ctrl+letter arrives upper or lower case.
            KeyCode::Char(c) if ctrl => KeyCode::Char(c.to_ascii_lowercase()),
            other => other,
        };
        self.code == code && self.ctrl == ctrl
    }
}

/// A key (or keys) with the label the footer shows and the action it triggers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    pub keys: Vec<Key>,
    /// How the key is written in the footer and help: `Tab`, `PgDn`, `a`.
    pub label: &'static str,
    pub help: &'static str,
    pub action: Action,
}

pub fn bind(label: &'static str, help: &'static str, action: Action, keys: &[Key]) -> Binding {
    Binding {
        keys: keys.to_vec(),
        label,
        help,
        action,
    }
}

pub fn find(bindings: &[Binding], event: &KeyEvent) -> Option<Action> {
    bindings
        .iter()
        .find(|b| b.keys.iter().any(|k| k.matches(event)))
        .map(|b| b.action)
}

// Bindings several screens share, so they read the same everywhere.
pub fn focus_next() -> Binding {
    bind(
        "Tab",
        "next field",
        Action::FocusNext,
        &[Key::code(KeyCode::Tab), Key::code(KeyCode::Down)],
    )
}
pub fn focus_prev() -> Binding {
    bind(
        "S-Tab",
        "previous field",
        Action::FocusPrev,
        &[Key::code(KeyCode::BackTab), Key::code(KeyCode::Up)],
    )
}
pub fn next_step() -> Binding {
    bind(
        "PgDn",
        "next step",
        Action::NextStep,
        &[Key::code(KeyCode::PageDown), Key::ctrl('n')],
    )
}
pub fn back() -> Binding {
    bind(
        "Esc",
        "back",
        Action::Back,
        &[Key::code(KeyCode::Esc), Key::code(KeyCode::PageUp)],
    )
}
pub fn up_down() -> [Binding; 2] {
    [
        bind(
            "↑↓",
            "select",
            Action::Up,
            &[Key::code(KeyCode::Up), Key::ch('k')],
        ),
        bind(
            "",
            "",
            Action::Down,
            &[Key::code(KeyCode::Down), Key::ch('j')],
        ),
    ]
}

/// Help and quit, last in every footer. With a text field focused, `?` and `q` are text.
pub fn global(text_focused: bool) -> Vec<Binding> {
    if text_focused {
        vec![
            bind("F1", "help", Action::Help, &[Key::code(KeyCode::F(1))]),
            bind("C-q", "quit", Action::Quit, &[Key::ctrl('q')]),
        ]
    } else {
        vec![
            bind(
                "?",
                "help",
                Action::Help,
                &[Key::ch('?'), Key::code(KeyCode::F(1))],
            ),
            bind("q", "quit", Action::Quit, &[Key::ch('q'), Key::ctrl('q')]),
        ]
    }
}

/// Keys of every text field, for the help overlay.
pub const TEXT_KEYS: &[(&str, &str)] = &[
    ("←/→ Home/End", "move the cursor"),
    ("Backspace/Del", "delete a character"),
    ("C-u", "clear the field"),
    ("paste", "inserts the pasted text in one go"),
];

/// Always available, never shown as a binding because no screen may take it.
pub const CTRL_C: (&str, &str) = ("C-c", "quit at once, restoring the terminal");
