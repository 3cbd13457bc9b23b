//! The real terminal: raw mode, alternate screen, bracketed paste, and their undoing on every way
//! out — normal exit, error (the guard's `Drop`), panic (the hook) and SIGINT / SIGTERM / SIGHUP
//! (flags checked by the event loop, which then leaves through the guard).

use std::io::{self, Stdout, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{
    self, DisableBracketedPaste, EnableBracketedPaste, Event, KeyEventKind,
};
use ratatui::crossterm::terminal::{self, EnterAlternateScreen, LeaveAlternateScreen};
use ratatui::crossterm::{cursor, execute};
use ratatui::Terminal;

use super::app::{App, Exit};
use super::effects;
use super::theme::Theme;
use super::view;

/// Whether the wizard owns the terminal now. Restoring twice would leave the alternate screen twice,
/// and the second time moves the cursor back over what was printed in between (a panic message).
static ACTIVE: AtomicBool = AtomicBool::new(false);

/// Puts the terminal back as it was. Only the first call after `Guard::enter` does anything.
pub fn restore() {
    if !ACTIVE.swap(false, Ordering::SeqCst) {
        return;
    }
    let _ = terminal::disable_raw_mode();
    let _ = execute!(
        io::stdout(),
        DisableBracketedPaste,
        LeaveAlternateScreen,
        cursor::Show
    );
    let _ = io::stdout().flush();
}

/// Restores the terminal when dropped, so `?` and early returns leave it clean.
struct Guard;

impl Guard {
    fn enter() -> io::Result<Guard> {
        terminal::enable_raw_mode()?;
        ACTIVE.store(true, Ordering::SeqCst);
        let guard = Guard;
        execute!(io::stdout(), EnterAlternateScreen, EnableBracketedPaste)?;
        Ok(guard)
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        restore();
    }
}

/// Restores the terminal before the panic message is printed, so it is readable.
fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        previous(info);
    }));
}

/// Raised by SIGINT / SIGTERM / SIGHUP; the second flag says the signal was SIGHUP.
struct Signals {
    any: Arc<AtomicBool>,
    hang_up: Arc<AtomicBool>,
}

fn register_signals() -> io::Result<Signals> {
    let any = Arc::new(AtomicBool::new(false));
    let hang_up = Arc::new(AtomicBool::new(false));
    for signal in [
        signal_hook::consts::SIGINT,
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGHUP,
    ] {
        // A second signal ends the process at once, should the loop ever fail to see the first.
        signal_hook::flag::register_conditional_shutdown(signal, 1, Arc::clone(&any))?;
        signal_hook::flag::register(signal, Arc::clone(&any))?;
    }
    signal_hook::flag::register(signal_hook::consts::SIGHUP, Arc::clone(&hang_up))?;
    Ok(Signals { any, hang_up })
}

/// Whether the terminal went away (window closed, tmux session killed).
fn terminal_gone() -> bool {
    if ratatui::crossterm::terminal::size().is_err() {
        return true;
    }
    // Linux shows a hung-up pseudo-terminal as deleted.
    std::fs::read_link("/proc/self/fd/0")
        .map(|p| p.to_string_lossy().ends_with(" (deleted)"))
        .unwrap_or(false)
}

/// A closed terminal reads as endless end-of-file, on which crossterm's event reading spins
/// without returning; a watchdog ends the process instead (nobody can see the screen any more, so
/// there is nothing to restore or ask).
fn watch_for_a_closed_terminal() {
    std::thread::spawn(|| loop {
        std::thread::sleep(Duration::from_secs(1));
        if terminal_gone() {
            std::process::exit(129);
        }
    });
}

/// Runs the wizard until the person quits or a signal arrives; the app comes back with its exit.
/// A terminal that goes away is an exit (`Exit::HungUp`), not an error: the I/O errors it causes
/// are its symptoms.
pub fn run(mut app: App) -> anyhow::Result<App> {
    let signals = register_signals()?;
    match event_loop(&mut app, &signals) {
        Ok(()) => Ok(app),
        Err(_) if signals.hang_up.load(Ordering::Relaxed) || terminal_gone() => {
            app.exit = Some(Exit::HungUp);
            Ok(app)
        }
        Err(err) => Err(err),
    }
}

fn event_loop(app: &mut App, signals: &Signals) -> anyhow::Result<()> {
    let theme = Theme::from_env();
    install_panic_hook();
    let _guard = Guard::enter()?;
    let mut terminal: Terminal<CrosstermBackend<Stdout>> =
        Terminal::new(CrosstermBackend::new(io::stdout()))?;
    terminal.clear()?;
    if std::env::var_os("SEKOIA_WIZARD_TEST_PANIC").is_some() {
        // Lets the end-to-end test check that a panic restores the terminal.
        panic!("test panic requested by SEKOIA_WIZARD_TEST_PANIC");
    }
    watch_for_a_closed_terminal();
    loop {
        let size = terminal
            .draw(|frame| view::render(app, frame, &theme))?
            .area;
        app.resize(size.width, size.height);
        if app.exit.is_some() {
            break;
        }
        if signals.any.load(Ordering::Relaxed) {
            app.exit = Some(if signals.hang_up.load(Ordering::Relaxed) {
                Exit::HungUp
            } else {
                Exit::Interrupted
            });
            // A push in flight is told to stop rather than abandoned mid-way.
            effects::perform_all(app, vec![crate::tui::app::Effect::CancelPush]);
            break;
        }
        effects::poll_push(app);
        effects::poll_tasks(app);
        // A running push, lock or test sends progress from its thread: wake often enough to show it.
        let busy = app.git.running()
            || app.lock_task.as_ref().is_some_and(|t| t.running())
            || app.test_task.as_ref().is_some_and(|t| t.running())
            || app.openapi.loading.is_some();
        let wait = if busy { 30 } else { 150 };
        if !event::poll(Duration::from_millis(wait))? {
            continue;
        }
        let effects = match event::read()? {
            // Windows reports releases too; only presses are keys.
            Event::Key(key) if key.kind == KeyEventKind::Press => app.on_key(key),
            Event::Paste(text) => {
                app.on_paste(&text);
                Vec::new()
            }
            _ => Vec::new(),
        };
        effects::perform_all(app, effects);
    }
    Ok(())
}
