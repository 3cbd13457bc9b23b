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
            output_dir: DEFAULT_OUTPUT.into(),
        },
        None,
    )
}

const DEFAULT_OUTPUT: &str = "/tmp/wizard-output";

/// A new module's wizard writing into `output_dir`, its module step filled, on the Components step.
pub fn app_at_components_in(output_dir: &std::path::Path) -> App {
    let mut app = App::new(
        Flow::New {
            output_dir: output_dir.to_path_buf(),
        },
        None,
    );
    fill_module(&mut app);
    times(&mut app, KeyCode::PageDown, 2);
    app
}

/// `app_at_components_in` the default output directory (`new_app`'s).
pub fn app_at_components() -> App {
    app_at_components_in(std::path::Path::new(DEFAULT_OUTPUT))
}

/// The wizard on the home of the existing module in `dir` (as `--module DIR` opens it).
pub fn existing_app_in(dir: &std::path::Path) -> App {
    let summary = sekoia_wizard::tui::existing::read_module_summary(dir);
    App::new(
        Flow::Existing {
            dir: dir.to_path_buf(),
            summary,
        },
        None,
    )
}

pub fn existing_app() -> App {
    existing_app_in(std::path::Path::new("tests/fixtures/tui/testhttp"))
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

/// The keys of the grammar (Enter confirm/next, Esc back, Tab fields, C-n / C-p and PgDn / PgUp
/// steps, d / u scroll): (code, with Ctrl).
pub const GRAMMAR_KEYS: [(KeyCode, bool); 10] = [
    (KeyCode::Enter, false),
    (KeyCode::Esc, false),
    (KeyCode::Tab, false),
    (KeyCode::BackTab, false),
    (KeyCode::Char('n'), true),
    (KeyCode::Char('p'), true),
    (KeyCode::PageDown, false),
    (KeyCode::PageUp, false),
    (KeyCode::Char('d'), false),
    (KeyCode::Char('u'), false),
];

/// A grammar key on `app`'s screen is bound to its one meaning or to the reason it cannot apply
/// here; Enter, Esc and the step keys are bound everywhere, so no key silently does nothing.
/// `name` names the screen in the failure.
pub fn assert_grammar_holds(name: &str, app: &App) {
    use sekoia_wizard::tui::keys::{find, grammar_action, Action, Key};
    let bindings = app.bindings();
    for (code, ctrl) in GRAMMAR_KEYS {
        let k = Key { code, ctrl };
        let modifiers = if ctrl {
            KeyModifiers::CONTROL
        } else {
            KeyModifiers::NONE
        };
        let want = grammar_action(&k).unwrap();
        match find(&bindings, &KeyEvent::new(code, modifiers)) {
            Some(got) => assert!(
                got == want || matches!(got, Action::Explain(_)),
                "{name}: {k:?} does {got:?}, the grammar says {want:?}"
            ),
            None => assert!(
                !matches!(
                    code,
                    KeyCode::Enter | KeyCode::Esc | KeyCode::PageDown | KeyCode::PageUp
                ),
                "{name}: {k:?} is not bound (bind it, or explain why not)"
            ),
        }
    }
}
