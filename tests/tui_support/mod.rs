//! Drives the wizard's state without a terminal and draws it into a ratatui `TestBackend`.
#![allow(dead_code)]

pub mod tmux;

use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use sekoia_wizard::tui::app::{App, Flow};
use sekoia_wizard::tui::effects;
use sekoia_wizard::tui::theme::Theme;
use sekoia_wizard::tui::view;

pub fn new_app() -> App {
    App::new(
        Flow::New {
            output_dir: "/tmp/wizard-output".into(),
        },
        None,
    )
}

pub fn existing_app() -> App {
    let dir = std::path::PathBuf::from("tests/fixtures/tui/testhttp");
    let summary = sekoia_wizard::tui::existing::read_module_summary(&dir);
    App::new(Flow::Existing { dir, summary }, None)
}

pub fn key(app: &mut App, code: KeyCode) {
    press(app, KeyEvent::new(code, KeyModifiers::NONE));
}

pub fn ctrl(app: &mut App, c: char) {
    press(app, KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL));
}

pub fn press(app: &mut App, event: KeyEvent) {
    let fx = app.on_key(event);
    effects::perform_all(app, fx);
}

pub fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        key(app, KeyCode::Char(c));
    }
}

pub fn times(app: &mut App, code: KeyCode, n: usize) {
    for _ in 0..n {
        key(app, code);
    }
}

pub fn draw_sized(app: &App, width: u16, height: u16, theme: Theme) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|f| view::render(app, f, &theme)).unwrap();
    terminal
}

/// The screen as text, 100×30, colour off.
pub fn screen(app: &App) -> String {
    draw_sized(app, 100, 30, Theme { color: false })
        .backend()
        .to_string()
}

/// The Request action of the SDK guide, typed in the field designer from the components step,
/// with the key grammar: Enter moves to the next field and is "done" on the last one.
pub fn add_request_action(app: &mut App) {
    key(app, KeyCode::Char('a'));
    key(app, KeyCode::Char('a'));
    type_text(app, "Request");
    times(app, KeyCode::Enter, 4); // class, description, arguments, open
    key(app, KeyCode::Char('a'));
    type_text(app, "url");
    key(app, KeyCode::Enter);
    type_text(app, "u"); // type-ahead: url
    key(app, KeyCode::Enter); // → required
    key(app, KeyCode::Char(' '));
    times(app, KeyCode::Enter, 4); // secret, default, description, done
    key(app, KeyCode::Char('a'));
    type_text(app, "method");
    key(app, KeyCode::Enter);
    type_text(app, "e"); // enum
    key(app, KeyCode::Enter); // → values
    type_text(app, "get|post|put|patch|delete");
    key(app, KeyCode::Enter); // → required
    key(app, KeyCode::Char(' '));
    times(app, KeyCode::Enter, 4);
    key(app, KeyCode::Char('a'));
    type_text(app, "headers");
    key(app, KeyCode::Enter);
    type_text(app, "di"); // dict
    times(app, KeyCode::Enter, 5); // required, secret, default, description, done
}

/// Module step filled as the guide: TestHTTP, "My test HTTP module".
pub fn fill_module(app: &mut App) {
    type_text(app, "TestHTTP");
    key(app, KeyCode::Tab);
    type_text(app, "My test HTTP module");
}

/// Enter until the field editor closes ("done" on its last item), at most ten times.
pub fn finish_field(app: &mut App) {
    for _ in 0..10 {
        if !matches!(
            app.stack.last(),
            Some(sekoia_wizard::tui::app::View::Field(_))
        ) {
            return;
        }
        key(app, KeyCode::Enter);
    }
    panic!("the field editor did not close: {:?}", app.status);
}
