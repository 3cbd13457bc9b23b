//! One file per screen. Each declares its keys (`bindings`), handles the actions they trigger
//! (`act`) and draws itself (`render`).

pub mod component_editor;
pub mod components;
pub mod dependencies;
pub mod field_editor;
pub mod fields;
pub mod finish;
pub mod form;
pub mod home;
pub mod module;
pub mod openapi;
pub mod overlays;
pub mod review;

use ratatui::layout::Rect;
use ratatui::Frame;

use crate::tui::app::{App, Effect, Screen};
use crate::tui::keys::{Action, Binding};
use crate::tui::theme::Theme;

/// What a screen provides: its keys, what they do, and how it draws.
pub struct ScreenFns {
    pub bindings: fn(&App) -> Vec<Binding>,
    pub act: fn(&mut App, Action) -> Vec<Effect>,
    pub render: fn(&App, &mut Frame, Rect, &Theme),
}

/// The one table from screen to its functions: dispatch, footer, help and drawing all read it.
pub fn table(screen: Screen) -> ScreenFns {
    macro_rules! fns {
        ($m:ident) => {
            ScreenFns {
                bindings: $m::bindings,
                act: $m::act,
                render: $m::render,
            }
        };
    }
    match screen {
        Screen::Home => fns!(home),
        Screen::Module => fns!(module),
        Screen::Fields => fns!(fields),
        Screen::Field => fns!(field_editor),
        Screen::Components => fns!(components),
        Screen::Component => fns!(component_editor),
        Screen::Dependencies => fns!(dependencies),
        Screen::Review => fns!(review),
        Screen::Finish => fns!(finish),
        Screen::OpenApi => fns!(openapi),
    }
}
