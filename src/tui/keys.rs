//! The key grammar, declared once. Every screen builds its bindings from the constructors here, so
//! a key means the same thing everywhere: Enter confirms (next field, open, choose, done), Esc goes
//! back or cancels, Tab / S-Tab move between fields, C-n / C-p (PgDn / PgUp) change step, `d`
//! deletes and `u` undoes, `q` quits. Where a grammar key cannot do its job, the screen binds it to
//! `Action::Explain` with the reason, which the status line and the help show. The same list drives
//! dispatch, the footer and the `?` help, so what they say is what the keys do.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Everything a key can ask for; each screen decides which of these it offers right now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Enter: next field, open, choose or done, as the binding's help says.
    Confirm,
    FocusNext,
    FocusPrev,
    NextStep,
    PrevStep,
    /// Esc: close the top view, cancel, or one step back.
    Back,
    Help,
    Quit,
    Up,
    Down,
    Toggle,
    CycleLeft,
    CycleRight,
    Add,
    Delete,
    Undo,
    MoveUp,
    MoveDown,
    Write,
    SaveAnswers,
    ScrollDown,
    ScrollUp,
    ScrollLeft,
    ScrollRight,
    AddComponent,
    AddConfig,
    Regenerate,
    Release,
    Test,
    /// A screen's own letter (pickers: `a` / `t` / `c`, `p` / `m` / `M`, `y` / `n`).
    Letter(char),
    /// The key cannot do its usual job here; the text says why (shown in the status line).
    Explain(&'static str),
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

    /// How the help overlay writes the key.
    pub fn name(&self) -> String {
        let base = match self.code {
            KeyCode::Enter => "Enter".to_string(),
            KeyCode::Esc => "Esc".into(),
            KeyCode::Tab => "Tab".into(),
            KeyCode::BackTab => "S-Tab".into(),
            KeyCode::PageDown => "PgDn".into(),
            KeyCode::PageUp => "PgUp".into(),
            KeyCode::Up => "↑".into(),
            KeyCode::Down => "↓".into(),
            KeyCode::Left => "←".into(),
            KeyCode::Right => "→".into(),
            KeyCode::Delete => "Del".into(),
            KeyCode::Insert => "Ins".into(),
            KeyCode::F(n) => format!("F{n}"),
            KeyCode::Char(' ') => "Space".into(),
            KeyCode::Char(c) => c.to_string(),
            other => format!("{other:?}"),
        };
        if self.ctrl {
            format!("C-{base}")
        } else {
            base
        }
    }
}

/// A key (or keys) with the label the footer shows and the action it triggers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    pub keys: Vec<Key>,
    /// How the key is written in the footer: `Tab`, `C-n`, `a`. Empty: help only.
    pub label: &'static str,
    pub help: &'static str,
    pub action: Action,
}

impl Binding {
    /// Every key of the binding, for the help overlay (`C-n PgDn`).
    pub fn keys_text(&self) -> String {
        let names: Vec<String> = self.keys.iter().map(Key::name).collect();
        if names.is_empty() {
            self.label.to_string()
        } else {
            names.join(" ")
        }
    }
}

/// C-d / C-u: scroll a preview pane (one footer entry for both).
pub fn scroll_preview() -> [Binding; 2] {
    [
        bind(
            "C-d/C-u",
            "scroll preview",
            Action::ScrollDown,
            &[Key::ctrl('d')],
        ),
        bind("", "", Action::ScrollUp, &[Key::ctrl('u')]),
    ]
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

// The grammar's keys. Screens choose the help text, never the keys.
pub const ENTER: Key = Key::code(KeyCode::Enter);
pub const ESC: Key = Key::code(KeyCode::Esc);
pub const TAB: Key = Key::code(KeyCode::Tab);
pub const BACKTAB: Key = Key::code(KeyCode::BackTab);
pub const NEXT_STEP_KEYS: [Key; 2] = [Key::ctrl('n'), Key::code(KeyCode::PageDown)];
pub const PREV_STEP_KEYS: [Key; 2] = [Key::ctrl('p'), Key::code(KeyCode::PageUp)];
pub const DELETE_KEYS: [Key; 2] = [Key::ch('d'), Key::code(KeyCode::Delete)];
pub const UNDO: Key = Key::ch('u');

/// Enter, with what it does here ("next field", "edit", "push").
pub fn confirm(help: &'static str) -> Binding {
    bind("Enter", help, Action::Confirm, &[ENTER])
}

/// Esc, with what it does here ("back", "cancel", "back to list").
pub fn back(help: &'static str) -> Binding {
    bind("Esc", help, Action::Back, &[ESC])
}

pub fn focus_next() -> Binding {
    bind("Tab", "next field", Action::FocusNext, &[TAB])
}

pub fn focus_prev() -> Binding {
    bind("S-Tab", "previous field", Action::FocusPrev, &[BACKTAB])
}

pub fn next_step(help: &'static str) -> Binding {
    bind("C-n", help, Action::NextStep, &NEXT_STEP_KEYS)
}

pub fn prev_step() -> Binding {
    bind("C-p", "previous step", Action::PrevStep, &PREV_STEP_KEYS)
}

pub fn delete(help: &'static str) -> Binding {
    bind("d", help, Action::Delete, &DELETE_KEYS)
}

pub fn undo() -> Binding {
    bind("u", "undo", Action::Undo, &[UNDO])
}

/// A grammar key bound to the reason it does nothing here (help only, never in the footer).
pub fn explain(keys: &[Key], why: &'static str) -> Binding {
    bind("", why, Action::Explain(why), keys)
}

/// Step keys on screens opened over a step: they say how to get back to the steps.
pub fn steps_explained(why: &'static str) -> Vec<Binding> {
    vec![explain(&NEXT_STEP_KEYS, why), explain(&PREV_STEP_KEYS, why)]
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

/// The grammar as the help overlay states it: the same on every screen.
pub const GRAMMAR: &[(&str, &str)] = &[
    (
        "Enter",
        "confirm: next field, open, choose; done on the last",
    ),
    ("Esc", "back; in an editor, cancel (asks if you typed)"),
    ("Tab S-Tab", "next / previous field"),
    ("C-n C-p", "next / previous step (also PgDn / PgUp)"),
    ("d u", "delete, undo the delete"),
    ("q C-c", "quit (asks if unsaved); quit at once"),
];

/// Keys of every text field, for the help overlay.
pub const TEXT_KEYS: &[(&str, &str)] = &[
    ("←/→ Home/End", "move the cursor"),
    ("Backspace/Del", "delete a character"),
    ("C-u", "clear the field"),
    ("paste", "inserts the pasted text in one go"),
];

/// Always available, never shown as a binding because no screen may take it.
pub const CTRL_C: (&str, &str) = ("C-c", "quit at once, restoring the terminal");

/// What a grammar key must trigger wherever it is bound (or `Explain`); the behaviour tests check
/// every screen against this. `None`: not a grammar key.
pub fn grammar_action(key: &Key) -> Option<Action> {
    let is = |k: &Key| k == key;
    if is(&ENTER) {
        Some(Action::Confirm)
    } else if is(&ESC) {
        Some(Action::Back)
    } else if is(&TAB) {
        Some(Action::FocusNext)
    } else if is(&BACKTAB) {
        Some(Action::FocusPrev)
    } else if NEXT_STEP_KEYS.iter().any(is) {
        Some(Action::NextStep)
    } else if PREV_STEP_KEYS.iter().any(is) {
        Some(Action::PrevStep)
    } else if DELETE_KEYS.iter().any(is) {
        Some(Action::Delete)
    } else if is(&UNDO) {
        Some(Action::Undo)
    } else {
        None
    }
}
