//! The wizard's state and its update function. Nothing here touches the terminal or the disk:
//! keys and pastes come in, effects (generate, write, save answers) go out to `effects::perform`.

use std::path::PathBuf;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::keys::{self, Action, Binding};
use super::paths::{FieldsPath, FieldsRoot};
use super::push::GitStep;
use super::screens;
use super::text;
use crate::core::failure::Failure;
use crate::core::generate::Generated;
use crate::core::model::{Answers, ComponentKind, ModuleSpec};
use crate::wizard::validation::{answers_problems, StepOf};

pub use crate::wizard::Flow;

/// The steps of a flow, in order. `Home` replaces `Module` for an existing module.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Page {
    Home,
    Module,
    Configuration,
    Components,
    Dependencies,
    Review,
    Written,
    Git,
    Done,
}

impl Page {
    pub fn label(self) -> &'static str {
        match self {
            Page::Home => "Module",
            Page::Module => "Module",
            Page::Configuration => "Configuration",
            Page::Components => "Components",
            Page::Dependencies => "Dependencies",
            Page::Review => "Review",
            Page::Written => "Write",
            Page::Git => "Git",
            Page::Done => "Done",
        }
    }
}

/// Screens opened on top of a step.
// At most a handful of views on the stack: boxing the editor would save nothing that matters.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum View {
    Component(ComponentEditor),
    Fields(FieldsView),
    Field(FieldEditor),
    /// Actions from an OpenAPI spec (its state is `App::openapi`, kept when the view closes).
    OpenApi,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComponentEditor {
    pub index: usize,
    pub focus: ComponentFocus,
    /// Added by this editor: left with no name, it is dropped rather than kept as an error.
    pub is_new: bool,
}

/// The component form's items, in Tab order (Results is disabled for a connector).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ComponentFocus {
    Kind,
    Name,
    /// The Python class, derived from the name unless typed (issue 12: name and class apart).
    Class,
    Description,
    Arguments,
    Results,
}

impl ComponentFocus {
    pub const ALL: [ComponentFocus; 6] = [
        ComponentFocus::Kind,
        ComponentFocus::Name,
        ComponentFocus::Class,
        ComponentFocus::Description,
        ComponentFocus::Arguments,
        ComponentFocus::Results,
    ];
}

/// The module step's items, in Tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ModuleFocus {
    #[default]
    Name,
    Description,
    Categories,
    Packaging,
}

impl ModuleFocus {
    pub const ALL: [ModuleFocus; 4] = [
        ModuleFocus::Name,
        ModuleFocus::Description,
        ModuleFocus::Categories,
        ModuleFocus::Packaging,
    ];
}

/// The item after (or before) `current` among `all`, skipping those `enabled` refuses, wrapping.
pub fn cycle<T: Copy + PartialEq>(
    all: &[T],
    current: T,
    forward: bool,
    enabled: impl Fn(T) -> bool,
) -> T {
    let n = all.len();
    let at = all.iter().position(|x| *x == current).unwrap_or(0);
    (1..=n)
        .map(|k| {
            if forward {
                all[(at + k) % n]
            } else {
                all[(at + n - k) % n]
            }
        })
        .find(|x| enabled(*x))
        .unwrap_or(current)
}

/// The next enabled item after `current`, without wrapping: `None` on the last one.
pub fn next_of<T: Copy + PartialEq>(
    all: &[T],
    current: T,
    enabled: impl Fn(T) -> bool,
) -> Option<T> {
    let at = all.iter().position(|x| *x == current)?;
    all[at + 1..].iter().copied().find(|x| enabled(*x))
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldsView {
    pub path: FieldsPath,
    pub selected: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldEditor {
    pub path: FieldsPath,
    pub index: usize,
    pub focus: screens::field_editor::Item,
    /// The field as it was when the editor opened (`None`: added here); Esc restores it.
    pub original: Option<crate::core::model::FieldSpec>,
    /// Typed so far in the type picker: the first type starting with it is chosen.
    pub type_ahead: String,
    /// Parts edited so far: their problems show from the first edit on, the others after a
    /// failed "done".
    pub touched: Vec<screens::field_editor::Item>,
    pub tried_done: bool,
    /// The enum values as typed, `get|post`; the field type follows it.
    pub enum_text: String,
    /// Sub-fields kept while the type is switched away from an object, so cycling types loses nothing.
    pub stash_fields: Vec<crate::core::model::FieldSpec>,
}

/// Pop-ups over the current screen; they take every key first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Overlay {
    Help,
    ConfirmQuit,
    ConfirmWrite,
    KindPicker {
        selected: usize,
    },
    /// Which part of the version a release bumps (existing modules).
    ReleasePicker {
        selected: usize,
    },
    /// The release's notes (`release --message`) and whether to tag it (`release --tag`).
    ReleaseNotes(ReleaseDialog),
    SaveAnswers {
        path: String,
    },
    /// Esc in the field editor after typing: discard the changes?
    ConfirmDiscard,
    /// `check` fails on the module about to be pushed: push anyway?
    ConfirmPushFailingCheck,
    /// The module's CI ("Test"): its steps as they run, then the summary.
    Tests,
    /// The new module's directory exists and is not empty: keep, overwrite or remove its files,
    /// or stay to change the name (asked when leaving the first step, like create-vite).
    TargetExists {
        dir: PathBuf,
        then: Page,
    },
    /// The push needs the passphrase of SSH key `key` (typed hidden).
    Passphrase {
        key: PathBuf,
        text: crate::wizard::git::Secret,
    },
}

/// What the release pop-up knows: the bump, the version it gives, and whether a tag can be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReleaseDialog {
    pub part: crate::core::changelog::BumpPart,
    /// `0.1.0 → 0.2.0`
    pub versions: String,
    /// `v0.2.0`
    pub tag: String,
    /// Why the tag cannot be made (no repository, no commit yet, the tag exists), if so.
    pub untaggable: Option<String>,
    /// Focus on the tag checkbox (Tab), else on the notes.
    pub on_tag: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    Generate,
    Write,
    SaveAnswers(PathBuf),
    /// Run `core::git::publish` with the Git step's form, on a worker thread.
    Push,
    /// Stop the running push (Esc or quit while pushing).
    CancelPush,
    /// Make the lock file of the module just written (`install`: install Poetry privately first,
    /// as the person asked).
    Lock {
        install: bool,
    },
    /// Run the library's CI steps on the module (`core::ci`) on a worker thread.
    Test,
    /// Load the OpenAPI spec named on the OpenAPI screen.
    LoadSpec,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Quit by the person (after writing, or after confirming).
    Quit,
    /// Ctrl-C or a signal.
    Interrupted,
    /// The terminal went away (SIGHUP, or reading / drawing failed with it gone): nobody is there
    /// to answer a question or read a message.
    HungUp,
}

#[derive(Debug, Clone, Default)]
pub struct DepsState {
    pub input: String,
    /// False: the input line; true: the list.
    pub on_list: bool,
    pub selected: usize,
    pub error: Option<Failure>,
}

#[derive(Debug, Clone, Default)]
pub struct ReviewState {
    /// Problems that block writing, with the step to fix them in.
    pub problems: Vec<(Page, Failure)>,
    pub result: Option<Result<Generated, Failure>>,
    pub selected: usize,
    pub scroll: u16,
    /// Columns scrolled sideways in the preview (long lines are not cut for good).
    pub hscroll: u16,
}

/// What `u` restores: the answers before the last delete.
#[derive(Debug, Clone, PartialEq)]
pub struct Undo {
    pub what: String,
    pub answers: Answers,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Written {
    pub root: PathBuf,
    pub files: Vec<String>,
}

#[derive(Debug)]
pub struct App {
    pub answers: Answers,
    /// The answers when the wizard opened (OpenAPI part included, as `answers_to_save` makes
    /// it): quitting with other answers (and nothing written) asks.
    initial: Answers,
    pub flow: Flow,
    pub page: Page,
    pub stack: Vec<View>,
    pub overlay: Option<Overlay>,
    pub module_focus: ModuleFocus,
    pub category_cursor: usize,
    pub config_view: FieldsView,
    pub component_selected: usize,
    pub deps: DepsState,
    pub review: ReviewState,
    pub written: Option<Written>,
    pub git: GitStep,
    pub status: Option<String>,
    /// Cursor of the focused text field, in characters.
    pub cursor: usize,
    pub exit: Option<Exit>,
    /// A release chosen on the home screen: the review then shows the version bump and the
    /// dated changelog instead of added components.
    pub release: Option<crate::core::changelog::BumpPart>,
    /// The release's notes, typed in the release pop-up (the changelog entry's text).
    pub release_notes: String,
    /// Tag the release `vX.Y.Z` once written (annotated, through git2, as `release --tag`).
    pub release_tag: bool,
    pub undo: Option<Undo>,
    /// What earlier rounds of this session wrote (Done → home → add → write again).
    pub history: Vec<Written>,
    /// The terminal is below the minimum size: only Ctrl-C and quit reach the wizard.
    pub too_small: bool,
    /// The lock step after writing (`poetry lock` / `uv lock`), before anything is pushed.
    pub lock_task: Option<super::task::Task>,
    /// The last "Test" run (`core::ci`), shown in the Tests pop-up.
    pub test_task: Option<super::task::Task>,
    /// What to do with the new module's non-empty directory, and which directory it was asked for
    /// (a new name asks again).
    pub into_existing: Option<(PathBuf, crate::core::generate::into_dir::IntoExisting)>,
    /// The OpenAPI spec and the operations chosen from it (planned with the answers).
    pub openapi: super::openapi::OpenApiState,
}

impl App {
    pub fn new(flow: Flow, answers: Option<Answers>) -> App {
        let mut answers = answers.unwrap_or_default();
        // The spec screen owns the OpenAPI part (loaded below); the answers keep the rest.
        let saved_openapi = answers.openapi.take();
        let page = match flow {
            Flow::New { .. } => {
                answers.module.get_or_insert_with(ModuleSpec::default);
                Page::Module
            }
            Flow::Existing { .. } => Page::Home,
        };
        let mut app = App {
            initial: answers.clone(),
            answers,
            flow,
            page,
            stack: Vec::new(),
            overlay: None,
            module_focus: ModuleFocus::Name,
            category_cursor: 0,
            config_view: FieldsView {
                path: FieldsPath::root(FieldsRoot::Configuration),
                selected: 0,
            },
            component_selected: 0,
            deps: DepsState::default(),
            review: ReviewState::default(),
            written: None,
            git: GitStep::default(),
            status: None,
            cursor: 0,
            exit: None,
            release: None,
            release_notes: String::new(),
            release_tag: false,
            undo: None,
            history: Vec::new(),
            too_small: false,
            lock_task: None,
            test_task: None,
            into_existing: None,
            openapi: Default::default(),
        };
        app.cursor_to_end();
        if let Some(saved) = saved_openapi {
            app.load_saved_openapi(saved);
            app.initial = app.answers_to_save();
        }
        app
    }

    /// The answers with the spec screen's choice: what "save the answers" writes.
    pub fn answers_to_save(&self) -> Answers {
        Answers {
            openapi: self.openapi.answers(),
            ..self.answers.clone()
        }
    }

    /// Loads the spec of the answers' `[openapi]` with its operations chosen, so a replay plans
    /// the same actions; says so, or why the spec could not be read.
    fn load_saved_openapi(&mut self, saved: crate::core::model::OpenApiAnswers) {
        self.openapi.source = saved.spec.clone();
        self.openapi.saved = Some(saved);
        super::effects::perform(self, Effect::LoadSpec);
        self.status = Some(
            match (&self.openapi.error, self.openapi.loading.is_some()) {
                (Some(f), _) => format!(
                    "The answers' OpenAPI spec could not be read: {} (o opens the spec screen)",
                    f.message
                ),
                (None, true) => {
                    format!("Loading the answers' OpenAPI spec {}…", self.openapi.source)
                }
                (None, false) => {
                    let n = self.openapi.chosen_count();
                    // The file name: the saved path is absolute, long for the status line.
                    let file = std::path::Path::new(&self.openapi.source)
                        .file_name()
                        .map_or(self.openapi.source.clone(), |n| {
                            n.to_string_lossy().into_owned()
                        });
                    format!(
                        "From the answers: {n} operation{} of {file} (o shows them).",
                        if n == 1 { "" } else { "s" }
                    )
                }
            },
        );
    }

    pub fn pages(&self) -> Vec<Page> {
        let first = match self.flow {
            Flow::New { .. } => Page::Module,
            Flow::Existing { .. } => Page::Home,
        };
        vec![
            first,
            Page::Configuration,
            Page::Components,
            Page::Dependencies,
            Page::Review,
            Page::Written,
            Page::Git,
            Page::Done,
        ]
    }

    pub fn is_new(&self) -> bool {
        matches!(self.flow, Flow::New { .. })
    }

    pub fn module(&self) -> &ModuleSpec {
        static EMPTY: std::sync::OnceLock<ModuleSpec> = std::sync::OnceLock::new();
        self.answers
            .module
            .as_ref()
            .unwrap_or_else(|| EMPTY.get_or_init(ModuleSpec::default))
    }

    pub fn module_mut(&mut self) -> &mut ModuleSpec {
        self.answers.module.get_or_insert_with(ModuleSpec::default)
    }

    /// Answers differ from what the wizard opened with (or the last write), and were not written.
    pub fn unsaved(&self) -> bool {
        self.written.is_none() && self.answers_to_save() != self.initial
    }

    /// Problems of the answers, by step (for the step bar's ✗ and the review).
    pub fn problems(&self) -> Vec<(Page, Failure)> {
        answers_problems(&self.answers, self.is_new())
            .into_iter()
            .map(|p| {
                let page = match p.step {
                    StepOf::Module => Page::Module,
                    StepOf::Configuration => Page::Configuration,
                    StepOf::Components => Page::Components,
                    StepOf::Dependencies => Page::Dependencies,
                };
                (page, p.failure)
            })
            .collect()
    }

    /// What the key dispatcher looks at: the top view, or the step itself.
    pub fn screen(&self) -> Screen {
        match self.stack.last() {
            Some(View::Component(_)) => Screen::Component,
            Some(View::Fields(_)) => Screen::Fields,
            Some(View::Field(_)) => Screen::Field,
            Some(View::OpenApi) => Screen::OpenApi,
            None => match self.page {
                Page::Home => Screen::Home,
                Page::Module => Screen::Module,
                Page::Configuration => Screen::Fields,
                Page::Components => Screen::Components,
                Page::Dependencies => Screen::Dependencies,
                Page::Review => Screen::Review,
                Page::Written | Page::Git | Page::Done => Screen::Finish,
            },
        }
    }

    /// The keys that work right now, in footer order.
    pub fn bindings(&self) -> Vec<Binding> {
        match &self.overlay {
            Some(o) => screens::overlays::bindings(self, o),
            None => self.screen_bindings(),
        }
    }

    /// The keys of the screen under any pop-up (what the help overlay lists).
    pub fn screen_bindings(&self) -> Vec<Binding> {
        let mut b = (screens::table(self.screen()).bindings)(self);
        b.extend(keys::global(self.screen_text_focused()));
        b
    }

    /// A text field has the keys (a pop-up's own text field included).
    pub fn text_focused(&self) -> bool {
        match &self.overlay {
            Some(Overlay::SaveAnswers { .. } | Overlay::Passphrase { .. }) => true,
            Some(Overlay::ReleaseNotes(d)) => !d.on_tag,
            Some(_) => false,
            None => self.screen_text_focused(),
        }
    }

    /// The screen under any pop-up has a text field focused.
    fn screen_text_focused(&self) -> bool {
        match self.screen() {
            Screen::Module => matches!(
                self.module_focus,
                ModuleFocus::Name | ModuleFocus::Description
            ),
            // The type picker takes letters too (type-ahead), so it counts as text.
            Screen::Field => {
                screens::field_editor::focused_item(self).is_some_and(|i| i.takes_letters())
            }
            Screen::Component => matches!(
                self.component_editor().map(|e| e.focus),
                Some(ComponentFocus::Name | ComponentFocus::Class | ComponentFocus::Description)
            ),
            Screen::Dependencies => !self.deps.on_list,
            Screen::Finish => self.page == Page::Git && self.git.editable(),
            Screen::OpenApi => self.openapi.focus != super::openapi::Focus::List,
            _ => false,
        }
    }

    /// The text the cursor edits, if a text field is focused.
    pub fn text_mut(&mut self) -> Option<&mut String> {
        if matches!(
            self.overlay,
            Some(Overlay::SaveAnswers { .. } | Overlay::Passphrase { .. })
        ) {
            return match &mut self.overlay {
                Some(Overlay::SaveAnswers { path }) => Some(path),
                Some(Overlay::Passphrase { text, .. }) => Some(&mut text.0),
                _ => None,
            };
        }
        if matches!(&self.overlay, Some(Overlay::ReleaseNotes(d)) if !d.on_tag) {
            return Some(&mut self.release_notes);
        }
        if !self.text_focused() {
            return None;
        }
        match self.screen() {
            Screen::Module => {
                let focus = self.module_focus;
                let m = self.module_mut();
                Some(if focus == ModuleFocus::Name {
                    &mut m.name
                } else {
                    &mut m.description
                })
            }
            Screen::Field => screens::field_editor::text_mut(self),
            Screen::Component => {
                let e = self.component_editor()?.clone();
                let c = self.answers.components.get_mut(e.index)?;
                Some(match e.focus {
                    ComponentFocus::Name => &mut c.name,
                    // Empty means "derived from the name" (`ComponentSpec::class_name`).
                    ComponentFocus::Class => c.class.get_or_insert_with(String::new),
                    _ => &mut c.description,
                })
            }
            Screen::Dependencies => Some(&mut self.deps.input),
            Screen::Finish => self.git.text_mut(),
            Screen::OpenApi => match self.openapi.focus {
                super::openapi::Focus::Source => Some(&mut self.openapi.source),
                super::openapi::Focus::Filter => Some(&mut self.openapi.filter),
                super::openapi::Focus::List => None,
            },
            _ => None,
        }
    }

    pub fn cursor_to_end(&mut self) {
        self.cursor = self.text_mut().map(|t| t.chars().count()).unwrap_or(0);
        if let Some(View::Field(_)) = self.stack.last() {
            screens::field_editor::after_edit(self);
        }
    }

    pub fn component_editor(&self) -> Option<&ComponentEditor> {
        match self.stack.last() {
            Some(View::Component(e)) => Some(e),
            _ => None,
        }
    }

    /// The field table on screen: a nested one, or the configuration step's.
    pub fn fields_view(&self) -> &FieldsView {
        match self.stack.last() {
            Some(View::Fields(v)) => v,
            _ => &self.config_view,
        }
    }

    pub fn fields_view_mut(&mut self) -> &mut FieldsView {
        match self.stack.last_mut() {
            Some(View::Fields(v)) => v,
            _ => &mut self.config_view,
        }
    }

    pub fn on_key(&mut self, event: KeyEvent) -> Vec<Effect> {
        let effects = self.on_key_inner(event);
        if self.screen() == Screen::OpenApi {
            self.openapi.refresh_preview();
        }
        effects
    }

    fn on_key_inner(&mut self, event: KeyEvent) -> Vec<Effect> {
        if event.code == KeyCode::Char('c') && event.modifiers.contains(KeyModifiers::CONTROL) {
            self.exit = Some(Exit::Interrupted);
            return if self.git.running() {
                vec![Effect::CancelPush]
            } else {
                Vec::new()
            };
        }
        // The screen is hidden behind "too small": keys must not edit what cannot be seen.
        if self.too_small {
            return Vec::new();
        }
        let bindings = self.bindings();
        if let Some(action) = keys::find(&bindings, &event) {
            self.status = None;
            if let keys::Action::Explain(why) = action {
                self.status = Some(why.to_string());
                return Vec::new();
            }
            if self.overlay.is_some() && action != Action::Help {
                return screens::overlays::act(self, action);
            }
            let effects = self.act(action);
            if self.overlay.is_none() {
                self.cursor_to_end();
            }
            return effects;
        }
        if self.overlay.is_some() {
            return screens::overlays::on_text(self, &event);
        }
        if let Some(View::Field(_)) = self.stack.last() {
            if screens::field_editor::on_letter(self, &event) {
                return Vec::new();
            }
        }
        if self.screen() == Screen::OpenApi && screens::openapi::on_letter(self, &event) {
            return Vec::new();
        }
        let mut cursor = self.cursor;
        if let Some(t) = self.text_mut() {
            text::edit(t, &mut cursor, &event);
            self.cursor = cursor;
            self.after_text_edit();
        }
        Vec::new()
    }

    /// The terminal's size changed: below the minimum, keys stop reaching the screen.
    pub fn resize(&mut self, width: u16, height: u16) {
        self.too_small = width < super::view::MIN_WIDTH || height < super::view::MIN_HEIGHT;
    }

    /// Bracketed paste: the whole text goes into the focused field at once.
    pub fn on_paste(&mut self, pasted: &str) {
        let mut cursor = self.cursor;
        if let Some(t) = self.text_mut() {
            text::insert(t, &mut cursor, pasted);
            self.cursor = cursor;
            self.after_text_edit();
        }
    }

    fn after_text_edit(&mut self) {
        if self.screen() == Screen::Finish {
            self.git.error = None;
        }
        if self.screen() == Screen::OpenApi {
            match self.openapi.focus {
                super::openapi::Focus::Filter => self.openapi.refilter(),
                _ => self.openapi.error = None,
            }
            self.openapi.refresh_preview();
        }
        if let Some(View::Field(_)) = self.stack.last() {
            screens::field_editor::touch_focused(self);
            screens::field_editor::after_edit(self);
        }
    }

    fn act(&mut self, action: Action) -> Vec<Effect> {
        match action {
            Action::Help => {
                self.overlay = Some(Overlay::Help);
                Vec::new()
            }
            Action::Quit => {
                self.request_quit();
                Vec::new()
            }
            Action::Undo => {
                self.undo_delete();
                Vec::new()
            }
            Action::PrevStep => self.prev_step(),
            _ => (screens::table(self.screen()).act)(self, action),
        }
    }

    /// Remembers the answers before a delete, so `u` can bring it back.
    pub fn before_delete(&mut self, what: String) {
        self.status = Some(format!("Deleted {what}: u undoes."));
        self.undo = Some(Undo {
            what,
            answers: self.answers.clone(),
        });
    }

    fn undo_delete(&mut self) {
        match self.undo.take() {
            Some(undo) => {
                self.answers = undo.answers;
                self.status = Some(format!("Restored {}.", undo.what));
            }
            None => self.status = Some("Nothing to undo.".into()),
        }
    }

    pub fn request_quit(&mut self) {
        if self.git.running() {
            // Quitting stops the push rather than leaving it half done behind a closed screen.
            self.status = Some("A push is running: Esc stops it first.".into());
        } else if self.unsaved() {
            self.overlay = Some(Overlay::ConfirmQuit);
        } else {
            self.exit = Some(Exit::Quit);
        }
    }

    /// The choice made for the new module's directory, if it is still the directory asked about.
    pub fn into_existing(&self) -> Option<crate::core::generate::into_dir::IntoExisting> {
        let target = self.target_dir();
        self.into_existing
            .as_ref()
            .filter(|(dir, _)| *dir == target)
            .map(|(_, how)| *how)
    }

    /// A new module's directory that has files and no choice yet about them.
    fn target_needs_choice(&self) -> Option<PathBuf> {
        let target = self.target_dir();
        (self.is_new()
            && self.module().names().is_ok()
            && crate::core::generate::into_dir::is_non_empty_dir(&target)
            && self.into_existing().is_none())
        .then_some(target)
    }

    /// Moves to another step; entering the review checks the answers and asks for the plan.
    pub fn go_to(&mut self, page: Page) -> Vec<Effect> {
        // Leaving the first step into a directory that has files asks first (issue 12: found on
        // step 1, not after confirming the write).
        if self.page == Page::Module && page > Page::Module {
            if let Some(dir) = self.target_needs_choice() {
                self.overlay = Some(Overlay::TargetExists { dir, then: page });
                return Vec::new();
            }
        }
        self.stack.clear();
        self.overlay = None;
        self.page = page;
        if page == Page::Git && self.git.run.is_none() {
            let dir = super::screens::finish::module_dir(self);
            self.git.prepare(&dir);
        }
        if page == Page::Review {
            self.review = ReviewState {
                problems: self.problems(),
                ..Default::default()
            };
            if self.review.problems.is_empty() {
                return vec![Effect::Generate];
            }
        }
        Vec::new()
    }

    pub fn next_step(&mut self) -> Vec<Effect> {
        let pages = self.pages();
        let i = pages.iter().position(|p| *p == self.page).unwrap_or(0);
        match self.page {
            // Leaving the review is writing, which asks first.
            Page::Review => {
                self.overlay = Some(Overlay::ConfirmWrite);
                Vec::new()
            }
            Page::Done => {
                self.go_home();
                Vec::new()
            }
            _ => pages.get(i + 1).map(|p| self.go_to(*p)).unwrap_or_default(),
        }
    }

    /// Esc: closes the top view, or goes one step back.
    pub fn back(&mut self) -> Vec<Effect> {
        if self.stack.pop().is_some() {
            return Vec::new();
        }
        self.prev_step()
    }

    /// C-p / PgUp (and Esc with no view open): the previous step. Nothing before the first one,
    /// and nothing before Write once written: the files are on disk.
    pub fn prev_step(&mut self) -> Vec<Effect> {
        let pages = self.pages();
        let i = pages.iter().position(|p| *p == self.page).unwrap_or(0);
        match self.page {
            Page::Written => {
                self.status = Some(WRITTEN_IS_DONE.into());
                Vec::new()
            }
            _ if i == 0 => {
                self.status = Some(FIRST_STEP.into());
                Vec::new()
            }
            _ => self.go_to(pages[i - 1]),
        }
    }

    /// The first page, or the page right after writing: Esc / C-p cannot go back from there.
    pub fn at_first_page(&self) -> bool {
        self.pages().first() == Some(&self.page) || self.page == Page::Written
    }

    pub fn add_component(&mut self, kind: ComponentKind) {
        self.answers
            .components
            .push(crate::core::model::ComponentSpec::new(kind, ""));
        let index = self.answers.components.len() - 1;
        self.component_selected = index;
        self.page = Page::Components;
        self.stack = vec![View::Component(ComponentEditor {
            index,
            focus: ComponentFocus::Name,
            is_new: true,
        })];
    }

    /// Done → the written module's home: the session goes on with that module as an existing one
    /// (add more, release, push), and what was written stays counted for the closing summary.
    pub fn go_home(&mut self) {
        let Some(written) = self.written.take() else {
            self.exit = Some(Exit::Quit);
            return;
        };
        let dir = written.root.clone();
        self.history.push(written);
        let summary = crate::wizard::existing::read_module_summary(&dir);
        self.flow = Flow::Existing { dir, summary };
        self.answers = Answers::default();
        self.initial = self.answers.clone();
        self.page = Page::Home;
        self.stack.clear();
        self.review = ReviewState::default();
        self.git = GitStep::default();
        self.deps = DepsState::default();
        self.component_selected = 0;
        self.undo = None;
        self.release = None;
        self.openapi = Default::default();
        self.status = Some("Back at the module's home: a adds more, v releases, q quits.".into());
    }

    /// Everything written in this session, oldest first.
    pub fn all_written(&self) -> Vec<&Written> {
        self.history.iter().chain(self.written.as_ref()).collect()
    }

    /// Called by the effect runner once the plan is written.
    pub fn on_written(&mut self, written: Written) {
        self.written = Some(written);
        self.page = Page::Written;
        self.stack.clear();
    }

    /// Where the plan goes, for titles and the next-step commands.
    pub fn target_dir(&self) -> PathBuf {
        match &self.flow {
            Flow::New { output_dir } => {
                let dir = self
                    .module()
                    .names()
                    .map(|n| n.dir)
                    .unwrap_or_else(|_| "<module>".into());
                output_dir.join(dir)
            }
            Flow::Existing { dir, .. } => dir.clone(),
        }
    }
}

/// Why Esc / C-p do nothing on the first step.
pub const FIRST_STEP: &str = "This is the first step: q quits.";
/// Why Esc / C-p do nothing right after writing.
pub const WRITTEN_IS_DONE: &str =
    "The files are written: Enter goes on; the module's home (after Done) adds more.";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Home,
    Module,
    Fields,
    Field,
    Components,
    Component,
    Dependencies,
    Review,
    Finish,
    OpenApi,
}
