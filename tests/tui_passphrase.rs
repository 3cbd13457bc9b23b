//! The full-screen wizard's push asks for the passphrase of a protected SSH key: the push worker
//! sends the question, a pop-up takes it hidden, and the answer goes back to the waiting worker
//! (Esc: none, the key is skipped). Driven through the App and the push channel, as the worker
//! does it.

use crate::tui_support;

use std::sync::mpsc;

use ratatui::crossterm::event::KeyCode;
use sekoia_wizard::tui::app::Overlay;
use sekoia_wizard::tui::effects::poll_push;
use sekoia_wizard::tui::push::{PushChannel, PushEvent, PushRun};
use tui_support::*;

type Asked = (
    sekoia_wizard::tui::app::App,
    mpsc::Receiver<Option<String>>,
    mpsc::Sender<PushEvent>,
);

/// An app whose push is running and has just asked for the passphrase of `key`; the worker's
/// end of the channel is returned so that it stays open while the worker waits.
fn asked(key: &str) -> Asked {
    let mut app = new_app();
    let (events, receiver) = mpsc::channel();
    app.git.channel = Some(PushChannel(receiver));
    app.git.run = Some(PushRun::default());
    let (reply, answer) = mpsc::channel();
    events
        .send(PushEvent::Passphrase {
            key: key.into(),
            reply,
        })
        .unwrap();
    assert!(poll_push(&mut app));
    (app, answer, events)
}

#[test]
fn the_passphrase_is_typed_hidden_and_sent_to_the_push() {
    let (mut app, answer, _worker) = asked("/home/me/.ssh/id_ed25519");
    assert!(
        matches!(&app.overlay, Some(Overlay::Passphrase { key, .. }) if key.ends_with("id_ed25519")),
        "{:?}",
        app.overlay
    );
    type_text(&mut app, "s3cret");
    let text = screen(&app);
    assert!(
        text.contains("/home/me/.ssh/id_ed25519") && text.contains("••••••"),
        "{text}"
    );
    assert!(!text.contains("s3cret"), "the passphrase is shown:\n{text}");
    assert!(answer.try_recv().is_err(), "answered before Enter");
    key(&mut app, KeyCode::Enter);
    assert_eq!(answer.try_recv(), Ok(Some("s3cret".to_string())));
    assert!(app.overlay.is_none());
}

#[test]
fn esc_skips_the_key() {
    let (mut app, answer, _worker) = asked("/home/me/.ssh/id_rsa");
    type_text(&mut app, "half");
    key(&mut app, KeyCode::Esc);
    assert_eq!(answer.try_recv(), Ok(None));
    assert!(app.overlay.is_none());
}
