//! Step 1 of a new module: name, description, categories, packaging, and the names derived from
//! the name, which follow it as it is typed.

use ratatui::crossterm::event::KeyCode;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::Frame;

use super::form::{pair, panel, Form};
use crate::core::model::{Category, Packaging};
use crate::tui::app::{cycle, next_of, App, Effect, ModuleFocus};
use crate::tui::keys::{self, bind, Action, Binding, Key};
use crate::tui::theme::Theme;

pub fn bindings(app: &App) -> Vec<Binding> {
    let last = app.module_focus == ModuleFocus::Packaging;
    let mut b = match app.module_focus {
        ModuleFocus::Categories => vec![
            bind("Space", "select category", Action::Toggle, &[Key::ch(' ')]),
            bind(
                "↑↓",
                "move",
                Action::Down,
                &[Key::code(KeyCode::Down), Key::ch('j')],
            ),
            bind("", "", Action::Up, &[Key::code(KeyCode::Up), Key::ch('k')]),
        ],
        ModuleFocus::Packaging => vec![bind(
            "←→",
            "change packaging",
            Action::CycleRight,
            &[
                Key::code(KeyCode::Right),
                Key::code(KeyCode::Left),
                Key::ch(' '),
            ],
        )],
        _ => Vec::new(),
    };
    b.push(keys::confirm(if last { "next step" } else { "next field" }));
    b.push(keys::next_step("next step"));
    b.push(keys::focus_next());
    b.push(keys::focus_prev());
    b.extend(first_page_back());
    b
}

/// Esc and C-p on the first page: nothing before it, and the footer does not pretend otherwise.
pub fn first_page_back() -> Vec<Binding> {
    let why = crate::tui::app::FIRST_STEP;
    vec![
        keys::explain(&[keys::ESC], why),
        keys::explain(&keys::PREV_STEP_KEYS, why),
    ]
}

pub fn act(app: &mut App, action: Action) -> Vec<Effect> {
    let all = &ModuleFocus::ALL;
    match action {
        Action::FocusNext => app.module_focus = cycle(all, app.module_focus, true, |_| true),
        Action::FocusPrev => app.module_focus = cycle(all, app.module_focus, false, |_| true),
        Action::Confirm => match next_of(all, app.module_focus, |_| true) {
            Some(next) => app.module_focus = next,
            None => return app.next_step(),
        },
        Action::Down => {
            app.category_cursor = (app.category_cursor + 1).min(Category::ALL.len() - 1)
        }
        Action::Up => app.category_cursor = app.category_cursor.saturating_sub(1),
        Action::Toggle => {
            let category = Category::ALL[app.category_cursor];
            let categories = &mut app.module_mut().categories;
            if let Some(i) = categories.iter().position(|c| *c == category) {
                categories.remove(i);
            } else {
                categories.push(category);
                categories.sort();
            }
        }
        Action::CycleRight | Action::CycleLeft => {
            let m = app.module_mut();
            m.packaging = match m.packaging {
                Packaging::Poetry => Packaging::Uv,
                Packaging::Uv => Packaging::Poetry,
            };
        }
        Action::NextStep => return app.next_step(),
        Action::Back => return app.back(),
        _ => {}
    }
    Vec::new()
}

pub fn render(app: &App, frame: &mut Frame, area: Rect, theme: &Theme) {
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(area);
    let module = app.module();
    let problems = module.validate();
    let problem = |part: &str| {
        problems
            .iter()
            .find(|(p, _)| *p == part)
            .map(|(_, f)| f.clone())
    };
    let mut form = Form::new(theme, left);
    let focus = app.module_focus;
    form.text(
        "Name",
        &module.name,
        focus == ModuleFocus::Name,
        false,
        app.cursor,
        "e.g. TestHTTP (required)",
    );
    if let Some(f) = problem("name").filter(|_| !module.name.is_empty()) {
        form.problem(&f);
    } else if app.is_new()
        && module.names().is_ok()
        && crate::core::generate::into_dir::is_non_empty_dir(&app.target_dir())
    {
        form.note(&match app.into_existing() {
            Some(how) => format!("the directory has files: {how:?} them (chosen)").to_lowercase(),
            None => "the directory exists and has files: the next step asks what to do".into(),
        });
    }
    form.text(
        "Description",
        &module.description,
        focus == ModuleFocus::Description,
        false,
        app.cursor,
        "what the module connects to",
    );
    if let Some(f) = problem("description") {
        form.problem(&f);
    }
    form.blank();
    let chosen = if module.categories.is_empty() {
        "none: Generic is written".to_string()
    } else {
        format!("{} chosen", module.categories.len())
    };
    form.text(
        "Categories",
        "",
        focus == ModuleFocus::Categories,
        false,
        0,
        &chosen,
    );
    for (i, category) in Category::ALL.iter().enumerate() {
        let on = module.categories.contains(category);
        let here = focus == ModuleFocus::Categories && i == app.category_cursor;
        let text = format!(
            "{}{} {}",
            " ".repeat(super::form::LABEL_WIDTH),
            if on { "[x]" } else { "[ ]" },
            category
        );
        let style = if here {
            theme.selected()
        } else {
            ratatui::style::Style::default()
        };
        form.line(Line::from(vec![
            Span::raw(if here { "> " } else { "  " }),
            Span::styled(text, style),
        ]));
    }
    form.blank();
    form.choice(
        "Packaging",
        &module.packaging.to_string(),
        focus == ModuleFocus::Packaging,
    );
    form.note(match module.packaging {
        Packaging::Poetry => "poetry.lock, as the automation-library requires",
        Packaging::Uv => {
            "uv.lock, as the SDK 1.27 template: not for the automation-library, which requires \
             poetry.lock"
        }
    });
    form.render(frame, left, "Module");

    let mut lines = Vec::new();
    match module.names() {
        Ok(names) => {
            lines.extend(pair(
                "Directory",
                format!("{}/", names.dir),
                theme,
                right.width - 2,
            ));
            lines.extend(pair(
                "Package",
                names.package.clone(),
                theme,
                right.width - 2,
            ));
            lines.extend(pair(
                "Module class",
                names.module_class(),
                theme,
                right.width - 2,
            ));
            lines.extend(pair(
                "Config class",
                names.configuration_class(),
                theme,
                right.width - 2,
            ));
            lines.extend(pair("Slug", names.slug.clone(), theme, right.width - 2));
            if module.packaging == Packaging::Uv {
                lines.extend(pair(
                    "Distribution",
                    names.distribution(),
                    theme,
                    right.width - 2,
                ));
            }
            for note in &names.notes {
                lines.push(Line::default());
                lines.extend(super::form::hanging(
                    &format!("note: {note}"),
                    1,
                    3,
                    (right.width - 2) as usize,
                    theme.dim(),
                ));
            }
        }
        Err(_) => lines.extend(super::form::hanging(
            "Type a valid name to see the directory, package, class and slug.",
            1,
            1,
            (right.width - 2) as usize,
            theme.dim(),
        )),
    }
    panel(frame, right, "Derived names", lines, theme);
}
