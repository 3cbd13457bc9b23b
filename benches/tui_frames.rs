//! Time to first frame and redraw time of the wizard at 200×60 (targets: under 30 ms and under
//! 2 ms). Frames go through the real crossterm backend into memory, so the ANSI encoding of every
//! cell counts, not only the layout.
//!
//! Run: `cargo bench --bench tui_frames`

use std::path::PathBuf;
use std::time::{Duration, Instant};

use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};
use sekoia_wizard::tui::app::{App, Flow};
use sekoia_wizard::tui::effects;
use sekoia_wizard::tui::theme::Theme;
use sekoia_wizard::tui::view;

const WIDTH: u16 = 200;
const HEIGHT: u16 = 60;

fn terminal() -> Terminal<CrosstermBackend<Vec<u8>>> {
    let options = TerminalOptions {
        viewport: Viewport::Fixed(Rect::new(0, 0, WIDTH, HEIGHT)),
    };
    Terminal::with_options(CrosstermBackend::new(Vec::with_capacity(1 << 20)), options).unwrap()
}

fn press(app: &mut App, code: KeyCode) {
    let fx = app.on_key(KeyEvent::new(code, KeyModifiers::NONE));
    effects::perform_all(app, fx);
}

fn type_text(app: &mut App, text: &str) {
    text.chars().for_each(|c| press(app, KeyCode::Char(c)));
}

/// A wizard on the components step with the Request action's arguments on screen.
fn busy_app() -> App {
    let mut app = App::new(
        Flow::New {
            output_dir: PathBuf::from("/tmp/bench"),
        },
        None,
    );
    type_text(&mut app, "TestHTTP");
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "My test HTTP module");
    press(&mut app, KeyCode::PageDown);
    press(&mut app, KeyCode::PageDown);
    press(&mut app, KeyCode::Char('a'));
    press(&mut app, KeyCode::Char('a'));
    type_text(&mut app, "Request");
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Enter);
    for name in ["url", "method", "headers", "timeout", "verify", "body"] {
        press(&mut app, KeyCode::Char('a'));
        type_text(&mut app, name);
        press(&mut app, KeyCode::Enter);
    }
    app
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn main() {
    let theme = Theme::from_env();
    // First frame: build the state, make the terminal, draw once (what a person waits for).
    let first: Vec<Duration> = (0..50)
        .map(|_| {
            let start = Instant::now();
            let app = App::new(
                Flow::New {
                    output_dir: PathBuf::from("/tmp/bench"),
                },
                None,
            );
            let mut t = terminal();
            t.draw(|f| view::render(&app, f, &theme)).unwrap();
            start.elapsed()
        })
        .collect();

    // Redraw: a key changes the state, the frame is drawn again (ratatui sends only the changes).
    let mut app = busy_app();
    let mut t = terminal();
    t.draw(|f| view::render(&app, f, &theme)).unwrap();
    let redraw: Vec<Duration> = (0..500)
        .map(|i| {
            press(
                &mut app,
                if i % 2 == 0 {
                    KeyCode::Down
                } else {
                    KeyCode::Up
                },
            );
            let start = Instant::now();
            t.draw(|f| view::render(&app, f, &theme)).unwrap();
            start.elapsed()
        })
        .collect();

    // Full repaint after a resize or a step change (every cell is sent again).
    let full: Vec<Duration> = (0..200)
        .map(|_| {
            // A fresh terminal has an empty previous frame, so every cell is sent.
            let mut fresh = terminal();
            let start = Instant::now();
            fresh.draw(|f| view::render(&app, f, &theme)).unwrap();
            start.elapsed()
        })
        .collect();

    let report = |name: &str, d: Duration, target_ms: f64| {
        let ms = d.as_secs_f64() * 1000.0;
        let verdict = if ms < target_ms { "ok" } else { "OVER TARGET" };
        println!("{name:<34} median {ms:>8.3} ms   target < {target_ms} ms   {verdict}");
    };
    println!("sekoia-wizard TUI at {WIDTH}x{HEIGHT}");
    report("first frame (state + draw)", median(first), 30.0);
    report("redraw after a key", median(redraw), 2.0);
    report("full repaint (after resize)", median(full), 2.0);
}
