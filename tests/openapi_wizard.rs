//! The wizard's "from an OpenAPI spec" screen: loading (errors shown with a hint, never a crash),
//! the operations grouped by tag with checkboxes and a filter, the preview of the highlighted
//! operation, the key grammar, 80×24 and 120×40, and the files written through the review equal
//! to what `add openapi` / `new --from-openapi` write. The last test drives the real binary in
//! tmux.

use crate::common;
use crate::tui_support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use insta::assert_snapshot;
use ratatui::crossterm::event::KeyCode;
use sekoia_wizard::tui::app::{App, Flow, Overlay, Page, Screen};
use sekoia_wizard::tui::openapi::{Focus, Row};
use sekoia_wizard::tui::theme::Theme;
use sekoia_wizard::tui::view::footer_line;
use tui_support::*;

const PETSTORE: &str = "tests/fixtures/openapi/petstore-swagger2.json";
const INVENTORY: &str = "tests/fixtures/openapi/inventory-openapi3.yaml";
const UUID: &str = "408ed2ef-65af-4d61-ba9a-5c26c6b7f777";

fn footer(app: &App, width: u16) -> String {
    footer_line(app, &Theme { color: false }, width).to_string()
}

fn sized(app: &App, width: u16, height: u16) -> String {
    draw_sized(app, width, height, Theme { color: false })
        .backend()
        .to_string()
}

/// A new module's components step, the OpenAPI screen open, `spec` loaded.
fn new_app_with(spec: &str) -> App {
    let mut app = app_at_components();
    key(&mut app, KeyCode::Char('o'));
    type_text(&mut app, spec);
    key(&mut app, KeyCode::Enter);
    app
}

/// A module made by `new` (fixed uuid) in `dir`, and its path.
fn module_in(dir: &Path) -> PathBuf {
    common::run_ok(
        common::wizard()
            .current_dir(dir)
            .args(["new", "--name", "Demo", "--description", "Demo module"])
            .args(["--uuid", UUID, "--no-lock"]),
    );
    dir.join("Demo")
}

fn op_rows(app: &App) -> Vec<String> {
    app.openapi
        .rows()
        .into_iter()
        .map(|r| match r {
            Row::Tag {
                name,
                chosen,
                shown,
            } => format!("{name} {chosen}/{shown}"),
            Row::Op(i) => format!("  {}", app.openapi.operations[i].label()),
        })
        .collect()
}

#[test]
fn o_opens_the_spec_screen_from_the_components_step_and_home() {
    let mut app = app_at_components();
    assert!(footer(&app, 200).contains("o from OpenAPI"));
    key(&mut app, KeyCode::Char('o'));
    assert_eq!(app.screen(), Screen::OpenApi);
    assert!(app.text_focused(), "the spec field takes the keys");
    key(&mut app, KeyCode::Esc);
    assert_eq!(
        (app.screen(), app.page),
        (Screen::Components, Page::Components)
    );

    let mut home = existing_app();
    assert!(footer(&home, 200).contains("o from OpenAPI"));
    key(&mut home, KeyCode::Char('o'));
    assert_eq!(home.screen(), Screen::OpenApi);
    // Closing it shows the components step, where the chosen operations are listed.
    key(&mut home, KeyCode::Esc);
    assert_eq!(home.page, Page::Components);
}

#[test]
fn a_bad_spec_is_a_message_with_a_hint_on_the_screen() {
    let mut app = app_at_components();
    key(&mut app, KeyCode::Char('o'));
    key(&mut app, KeyCode::Enter);
    let e = app.openapi.error.clone().expect("an empty path is refused");
    assert_eq!(e.message, "no spec given");
    type_text(&mut app, "tests/fixtures/openapi/missing.json");
    assert!(app.openapi.error.is_none(), "typing clears the old error");
    key(&mut app, KeyCode::Enter);
    let e = app.openapi.error.clone().unwrap();
    assert!(
        e.message
            .starts_with("cannot read tests/fixtures/openapi/missing.json"),
        "{e:?}"
    );
    let text = screen(&app);
    assert!(text.contains("✗ cannot read"), "{text}");
    assert!(
        text.contains("hint: pass the path of an OpenAPI 3"),
        "{text}"
    );
    assert_eq!(app.screen(), Screen::OpenApi);
    assert!(!app.openapi.is_loaded());
    // Not an OpenAPI document: said so, with what to pass instead.
    key(&mut app, KeyCode::Home);
    ctrl(&mut app, 'u');
    type_text(&mut app, "Cargo.toml");
    key(&mut app, KeyCode::Enter);
    let e = app.openapi.error.clone().unwrap();
    assert!(e.message.contains("Cargo.toml"), "{e:?}");
    assert!(e.hint.is_some(), "{e:?}");
    // Tab cannot move to a list that is not there yet, and says why.
    key(&mut app, KeyCode::Tab);
    assert!(app.status.as_deref().unwrap().contains("Load a spec first"));
    // A spec that loads replaces the error.
    ctrl(&mut app, 'u');
    type_text(&mut app, PETSTORE);
    key(&mut app, KeyCode::Enter);
    assert!(app.openapi.error.is_none() && app.openapi.is_loaded());
    assert_eq!(app.openapi.focus, Focus::List);
}

#[test]
fn operations_are_grouped_by_tag_filtered_and_chosen() {
    let mut app = new_app_with(INVENTORY);
    assert_eq!(
        op_rows(&app),
        [
            "items 0/4",
            "  GET /items",
            "  POST /items",
            "  GET /items/{itemId}",
            "  GET /categories/tree",
            "admin 0/1",
            "  DELETE /items/{itemId}",
        ]
    );
    // Space toggles the highlighted one; ↓ skips the tag headings.
    key(&mut app, KeyCode::Char(' '));
    times(&mut app, KeyCode::Down, 4);
    key(&mut app, KeyCode::Char(' '));
    assert_eq!(
        labels(&app),
        ["GET /items", "DELETE /items/{itemId}"],
        "chosen, in the spec's order"
    );
    key(&mut app, KeyCode::Char(' '));
    assert_eq!(labels(&app), ["GET /items"]);
    // Typing on the list starts the filter; every word must match the method, path, id, summary
    // or a tag.
    type_text(&mut app, "get list");
    assert_eq!(app.openapi.focus, Focus::Filter);
    assert_eq!(op_rows(&app), ["items 1/1", "  GET /items"]);
    ctrl(&mut app, 'u');
    type_text(&mut app, "/items/");
    assert_eq!(
        op_rows(&app),
        [
            "items 0/1",
            "  GET /items/{itemId}",
            "admin 0/1",
            "  DELETE /items/{itemId}"
        ]
    );
    assert!(screen(&app).contains("2 of 5 operations shown, 1 chosen"));
    // `a` chooses every shown operation, then none of them; hidden ones are left alone.
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.openapi.focus, Focus::List);
    key(&mut app, KeyCode::Char('a'));
    assert_eq!(
        labels(&app),
        [
            "GET /items",
            "GET /items/{itemId}",
            "DELETE /items/{itemId}"
        ]
    );
    key(&mut app, KeyCode::Char('a'));
    assert_eq!(labels(&app), ["GET /items"]);
    key(&mut app, KeyCode::Char('/'));
    assert_eq!(app.openapi.focus, Focus::Filter);
    ctrl(&mut app, 'u');
    type_text(&mut app, "zzz");
    assert!(screen(&app).contains("No operation matches the filter."));
    assert_eq!(app.openapi.highlighted, None);
}

fn labels(app: &App) -> Vec<String> {
    app.openapi
        .chosen_operations()
        .into_iter()
        .map(|o| o.label())
        .collect()
}

#[test]
fn the_preview_is_the_core_manifest_of_the_highlighted_operation() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = module_in(tmp.path());
    let mut app = existing_app_in(&dir);
    key(&mut app, KeyCode::Char('o'));
    type_text(&mut app, PETSTORE);
    key(&mut app, KeyCode::Enter);
    times(&mut app, KeyCode::Down, 2);
    let (index, result) = app.openapi.preview.clone().unwrap();
    assert_eq!(app.openapi.operations[index].label(), "GET /pet/{petId}");
    let sekoia_wizard::tui::openapi::Preview { file, json } = result.unwrap();
    // The same text `add openapi --operation getPetById` writes, module uuid included.
    common::run_ok(
        common::wizard()
            .args(["add", "openapi", PETSTORE, "--module"])
            .arg(&dir)
            .args(["--operation", "getPetById", "--no-lock"]),
    );
    assert_eq!(json, std::fs::read_to_string(dir.join(&file)).unwrap());
    let text = sized(&app, 120, 40);
    assert!(
        text.contains("\"docker_parameters\": \"getPetById\","),
        "{text}"
    );
}

/// Every grammar key on the screen, in each of its three places, does what the grammar says or
/// says why not; Enter, Esc and the step keys are always bound.
#[test]
fn the_key_grammar_holds_on_the_spec_screen() {
    use ratatui::crossterm::event::{KeyEvent, KeyModifiers};
    use sekoia_wizard::tui::keys::find;
    let mut source = app_at_components();
    key(&mut source, KeyCode::Char('o'));
    let list = new_app_with(PETSTORE);
    let mut chosen = new_app_with(PETSTORE);
    key(&mut chosen, KeyCode::Char(' '));
    let mut filter = new_app_with(PETSTORE);
    key(&mut filter, KeyCode::Char('/'));
    for (name, app) in [
        ("spec field", &source),
        ("list", &list),
        ("list with a choice", &chosen),
        ("filter", &filter),
    ] {
        assert_grammar_holds(name, app);
        // Outside the text fields, d / u scroll the preview.
        if !app.text_focused() {
            for c in ['d', 'u'] {
                let event = KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE);
                assert!(
                    find(&app.bindings(), &event).is_some(),
                    "{name}: {c} is not bound"
                );
            }
        }
    }
    // In the text fields `q` and `?` are text; quit and help stay on C-q and F1.
    assert!(footer(&source, 200).contains("C-q quit"));
    assert!(footer(&list, 200).contains("q quit"));
    // Enter with nothing chosen says what to do instead of leaving.
    let mut app = new_app_with(PETSTORE);
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.screen(), Screen::OpenApi);
    assert!(app.status.as_deref().unwrap().contains("Space chooses"));
    // The step keys explain that Esc comes first.
    key(&mut app, KeyCode::PageDown);
    assert_eq!(app.screen(), Screen::OpenApi);
    assert!(app.status.as_deref().unwrap().contains("Esc goes back"));
}

#[test]
fn choosing_is_unsaved_work_and_done_lists_it_under_the_components() {
    let mut app = new_app_with(PETSTORE);
    assert!(!app.unsaved() || app.answers != Default::default());
    times(&mut app, KeyCode::Down, 2);
    key(&mut app, KeyCode::Char(' '));
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.screen(), Screen::Components);
    assert!(app
        .status
        .as_deref()
        .unwrap()
        .starts_with("1 operation chosen from petstore-swagger2.json: C-n goes on."));
    let text = screen(&app);
    assert!(
        text.contains("+ 1 action from the OpenAPI spec") && text.contains("GET    /pet/{petId}"),
        "{text}"
    );
    // Quitting would lose the choice: it asks.
    key(&mut app, KeyCode::Char('q'));
    assert_eq!(app.overlay, Some(Overlay::ConfirmQuit));
    key(&mut app, KeyCode::Esc);
    // Reopened, the spec and the choice are still there.
    key(&mut app, KeyCode::Char('o'));
    assert_eq!(app.openapi.focus, Focus::List);
    assert_eq!(labels(&app), ["GET /pet/{petId}"]);
}

/// At 80×24 and 120×40 the screen draws whole: the footer ends with help and quit, the list's
/// lines are cut with `…` rather than wrapped, and the preview keeps its braces.
#[test]
fn the_spec_screen_fits_80x24_and_120x40() {
    let mut app = new_app_with(PETSTORE);
    key(&mut app, KeyCode::Char(' '));
    for (w, h) in [(80, 24), (120, 40)] {
        let text = sized(&app, w, h);
        let lines: Vec<&str> = text.lines().collect();
        let footer = lines[lines.len() - 1];
        assert!(footer.contains("q quit"), "{w}×{h}: {footer}");
        assert!(footer.contains("Enter done"), "{w}×{h}: {footer}");
        assert!(text.contains("[x] POST   /pet"), "{w}×{h}:\n{text}");
        assert!(text.contains("pet (1/4)"), "{w}×{h}:\n{text}");
        assert!(
            text.contains("\"name\": \"add_a_new_pet\","),
            "{w}×{h}:\n{text}"
        );
    }
}

#[test]
fn snapshot_spec_screen_80x24() {
    let mut app = new_app_with(PETSTORE);
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Char(' '));
    assert_snapshot!(sized(&app, 80, 24));
}

#[test]
fn snapshot_spec_screen_error_80x24() {
    let mut app = new_app_with("tests/fixtures/openapi/missing.yaml");
    app.status = None;
    assert_snapshot!(sized(&app, 80, 24));
}

#[test]
fn snapshot_spec_screen_filtered_120x40() {
    let mut app = new_app_with(INVENTORY);
    type_text(&mut app, "item get");
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Char(' '));
    assert_snapshot!(sized(&app, 120, 40));
}

/// Every file under `root` with uuids masked (a new module's uuid is random).
fn tree(root: &Path) -> BTreeMap<String, String> {
    let uuid =
        regex::Regex::new(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}").unwrap();
    common::snapshot(root)
        .into_iter()
        .filter(|(f, _)| !f.ends_with(".lock"))
        .map(|(f, bytes)| {
            let text = String::from_utf8_lossy(&bytes).into_owned();
            (f, uuid.replace_all(&text, "<uuid>").into_owned())
        })
        .collect()
}

fn assert_same_tree(a: &Path, b: &Path) {
    let (a, b) = (tree(a), tree(b));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (path, text) in &a {
        assert_eq!(text, &b[path], "{path} differs");
    }
}

/// Review → write, as the person does it.
fn review_and_write(app: &mut App) {
    while app.page != Page::Review {
        key(app, KeyCode::PageDown);
    }
    let Some(Ok(generated)) = &app.review.result else {
        panic!("no plan: {:?}", app.review);
    };
    assert!(generated.plan.changes().next().is_some());
    key(app, KeyCode::Char('w'));
    key(app, KeyCode::Char('y'));
    assert_eq!(app.page, Page::Written, "{:?}", app.status);
}

#[test]
fn written_from_home_equals_add_openapi_with_the_same_operations() {
    let tmp = tempfile::tempdir().unwrap();
    let wizard_dir = tmp.path().join("wizard");
    let commands_dir = tmp.path().join("commands");
    std::fs::create_dir_all(&wizard_dir).unwrap();
    std::fs::create_dir_all(&commands_dir).unwrap();
    let (w, c) = (module_in(&wizard_dir), module_in(&commands_dir));
    let mut app = existing_app_in(&w);
    key(&mut app, KeyCode::Char('o'));
    type_text(&mut app, INVENTORY);
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Char(' ')); // GET /items
    times(&mut app, KeyCode::Down, 4);
    key(&mut app, KeyCode::Char(' ')); // DELETE /items/{itemId} (no operationId)
    key(&mut app, KeyCode::Enter);
    assert_eq!(
        app.openapi.equivalent_command().unwrap(),
        format!("sekoia-wizard add openapi {INVENTORY} --operation listItems --operation 'DELETE /items/{{itemId}}'")
    );
    review_and_write(&mut app);
    common::run_ok(
        common::wizard()
            .args(["add", "openapi", INVENTORY, "--module"])
            .arg(&c)
            .args([
                "--operation",
                "listItems",
                "--operation",
                "DELETE /items/{itemId}",
            ])
            .arg("--no-lock"),
    );
    assert_eq!(common::snapshot(&w), common::snapshot(&c));
    // Done → home: the next round starts with nothing chosen.
    key(&mut app, KeyCode::Enter); // → Git
    key(&mut app, KeyCode::PageDown); // no push → Done
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.page, Page::Home);
    assert_eq!(app.openapi.chosen_count(), 0);
}

/// `o`, the Swagger 2 petstore, two operations chosen, back to the step.
fn pick_get_pet_by_id_and_get_inventory(app: &mut App) {
    key(app, KeyCode::Char('o'));
    type_text(app, PETSTORE);
    key(app, KeyCode::Enter);
    times(app, KeyCode::Down, 2);
    key(app, KeyCode::Char(' ')); // getPetById
    times(app, KeyCode::Down, 2);
    key(app, KeyCode::Char(' ')); // getInventory
    key(app, KeyCode::Enter);
}

#[test]
fn written_as_a_new_module_equals_new_from_openapi_and_keeps_typed_components() {
    let tmp = tempfile::tempdir().unwrap();
    let wizard_dir = tmp.path().join("wizard");
    let commands_dir = tmp.path().join("commands");
    std::fs::create_dir_all(&wizard_dir).unwrap();
    std::fs::create_dir_all(&commands_dir).unwrap();
    let mut app = app_at_components_in(&wizard_dir);
    pick_get_pet_by_id_and_get_inventory(&mut app);
    review_and_write(&mut app);
    common::run_ok(
        common::wizard()
            .current_dir(&commands_dir)
            .args(["new", "--name", "TestHTTP", "--description"])
            .arg("My test HTTP module")
            .args(["--from-openapi"])
            .arg(common::root().join(PETSTORE))
            .args(["--operation", "getPetById", "--operation", "getInventory"])
            .arg("--no-lock"),
    );
    assert_same_tree(&wizard_dir.join("TestHTTP"), &commands_dir.join("TestHTTP"));

    // With a component typed in the wizard too: both are written, and the module's configuration
    // gets the fields the actions read after the typed ones.
    let both = tmp.path().join("both");
    std::fs::create_dir_all(&both).unwrap();
    let mut app = app_at_components_in(&both);
    add_request_action(&mut app);
    times(&mut app, KeyCode::Esc, 2);
    key(&mut app, KeyCode::Char('o'));
    type_text(&mut app, PETSTORE);
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Char('a'));
    key(&mut app, KeyCode::Enter);
    review_and_write(&mut app);
    let root = both.join("TestHTTP");
    let main = std::fs::read_to_string(root.join("main.py")).unwrap();
    assert!(
        main.contains("\"Request\"") && main.contains("\"getPetById\""),
        "{main}"
    );
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(root.join("manifest.json")).unwrap()).unwrap();
    let keys: Vec<&String> = manifest["configuration"]["properties"]
        .as_object()
        .unwrap()
        .keys()
        .collect();
    assert_eq!(keys, ["base_url", "api_key"]);
    assert!(root.join("action_request.json").is_file());
    assert_eq!(
        std::fs::read_dir(&root)
            .unwrap()
            .filter(|e| e
                .as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with("action_"))
            .count(),
        6
    );
}

/// The review's "save the answers" keeps the spec and the chosen operations (`[openapi]`):
/// `new --answers` replays them into the same files the wizard wrote, and the wizard started from
/// those answers has the same operations chosen (and nothing unsaved yet).
#[test]
fn saved_answers_keep_the_chosen_operations_and_replay_them() {
    let tmp = tempfile::tempdir().unwrap();
    let wizard_dir = tmp.path().join("wizard");
    let replay_dir = tmp.path().join("replay");
    std::fs::create_dir_all(&wizard_dir).unwrap();
    std::fs::create_dir_all(&replay_dir).unwrap();
    let mut app = app_at_components_in(&wizard_dir);
    add_request_action(&mut app);
    times(&mut app, KeyCode::Esc, 2);
    pick_get_pet_by_id_and_get_inventory(&mut app);
    while app.page != Page::Review {
        key(&mut app, KeyCode::PageDown);
    }
    key(&mut app, KeyCode::Char('s'));
    let Some(Overlay::SaveAnswers { path }) = app.overlay.clone() else {
        panic!("no save prompt")
    };
    key(&mut app, KeyCode::Enter);
    let text = std::fs::read_to_string(&path).unwrap();
    let spec = common::root().join(PETSTORE);
    assert!(
        text.contains(&format!(
            "[openapi]\nspec = \"{}\"\noperations = [\n    \"getPetById\",\n    \"getInventory\",\n]\n",
            spec.display()
        )),
        "{text}"
    );
    review_and_write(&mut app);

    // Replayed from another directory.
    common::run_ok(
        common::wizard()
            .current_dir(&replay_dir)
            .args(["new", "--answers"])
            .arg(&path)
            .arg("--no-lock"),
    );
    assert_same_tree(&wizard_dir.join("TestHTTP"), &replay_dir.join("TestHTTP"));

    let replayed = sekoia_wizard::core::model::Answers::load(path.as_ref()).unwrap();
    let again = App::new(
        Flow::New {
            output_dir: replay_dir.clone(),
        },
        Some(replayed),
    );
    let chosen: Vec<String> = again
        .openapi
        .chosen_operations()
        .into_iter()
        .map(sekoia_wizard::tui::openapi::OpenApiState::flag_name)
        .collect();
    assert_eq!(chosen, ["getPetById", "getInventory"]);
    assert!(!again.unsaved());
    assert!(
        again.status.as_deref().unwrap_or("").starts_with(
            "From the answers: 2 operations of petstore-swagger2.json (o shows them)."
        ),
        "{:?}",
        again.status
    );
}

/// Started from answers whose spec cannot be read, the wizard says so, and saving the answers
/// again keeps their `[openapi]` as it was (nothing silently dropped).
#[test]
fn an_unreadable_saved_spec_is_said_and_kept() {
    let tmp = tempfile::tempdir().unwrap();
    let answers_path = tmp.path().join("a.toml");
    std::fs::write(
        &answers_path,
        "[module]\nname = \"Demo\"\n\n[openapi]\nspec = \"gone.yaml\"\noperations = [\"listItems\"]\nauth = \"bearer\"\n",
    )
    .unwrap();
    let answers = sekoia_wizard::core::model::Answers::load(&answers_path).unwrap();
    let saved = answers.openapi.clone().unwrap();
    assert_eq!(saved.spec, tmp.path().join("gone.yaml").to_string_lossy());
    let app = App::new(
        Flow::New {
            output_dir: tmp.path().into(),
        },
        Some(answers),
    );
    let status = app.status.clone().unwrap_or_default();
    assert!(
        status.starts_with("The answers' OpenAPI spec could not be read: cannot read"),
        "{status}"
    );
    assert_eq!(app.answers_to_save().openapi, Some(saved));
    assert!(!app.unsaved());
}

/// `add --answers` with an `[openapi]` (its spec path relative to the answers file) writes what
/// `add openapi` writes; `new` refuses a spec named twice.
#[test]
fn add_answers_with_openapi_equal_add_openapi() {
    let tmp = tempfile::tempdir().unwrap();
    let (wizard_dir, commands_dir) = (tmp.path().join("a"), tmp.path().join("b"));
    std::fs::create_dir_all(&wizard_dir).unwrap();
    std::fs::create_dir_all(&commands_dir).unwrap();
    let (a, b) = (module_in(&wizard_dir), module_in(&commands_dir));
    let answers_dir = tmp.path().join("answers");
    std::fs::create_dir_all(&answers_dir).unwrap();
    std::fs::copy(
        common::root().join(INVENTORY),
        answers_dir.join("inventory.yaml"),
    )
    .unwrap();
    let answers = answers_dir.join("add.toml");
    std::fs::write(
        &answers,
        "[openapi]\nspec = \"inventory.yaml\"\noperations = [\"listItems\", \"DELETE /items/{itemId}\"]\nauth = \"apiKey\"\nauth_header = \"X-API-Key\"\n",
    )
    .unwrap();
    common::run_ok(
        common::wizard()
            .args(["add", "--answers"])
            .arg(&answers)
            .arg("--module")
            .arg(&a)
            .arg("--no-lock"),
    );
    common::run_ok(
        common::wizard()
            .args(["add", "openapi"])
            .arg(common::root().join(INVENTORY))
            .arg("--module")
            .arg(&b)
            .args([
                "--operation",
                "listItems",
                "--operation",
                "DELETE /items/{itemId}",
            ])
            .args([
                "--auth",
                "apiKey",
                "--auth-header",
                "X-API-Key",
                "--no-lock",
            ]),
    );
    assert_eq!(common::snapshot(&a), common::snapshot(&b));

    let both = common::wizard()
        .current_dir(tmp.path())
        .args(["new", "--from-openapi"])
        .arg(common::root().join(INVENTORY))
        .arg("--answers")
        .arg(&answers)
        .output()
        .unwrap();
    assert!(!both.status.success());
    let stderr = String::from_utf8_lossy(&both.stderr);
    assert!(
        stderr.contains("both --from-openapi and the answers file's [openapi] name a spec"),
        "{stderr}"
    );
}

// ---- end to end, in tmux ----

use crate::tui_support::tmux::{tmux_available, Pane};

/// The real binary at 80×24: open an existing module, `o`, type the spec path, filter, pick two
/// operations, review, write; the files equal `add openapi --operation … --operation …`.
#[test]
fn picks_two_operations_by_keyboard_and_writes_what_add_openapi_writes() {
    if !tmux_available() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let wizard_dir = tmp.path().join("wizard");
    let commands_dir = tmp.path().join("commands");
    std::fs::create_dir_all(&wizard_dir).unwrap();
    std::fs::create_dir_all(&commands_dir).unwrap();
    let (w, c) = (module_in(&wizard_dir), module_in(&commands_dir));
    let spec = common::root().join(PETSTORE);
    let p = Pane::start_sized("openapi", &w, &[], &[], 80, 24);
    p.wait_for("o from OpenAPI");
    p.keys(&["o"]);
    p.wait_for("From an OpenAPI spec");
    p.typed(spec.to_str().unwrap());
    p.keys(&["Enter"]);
    p.wait_for("5 operations, 0 chosen");
    // Filter to the pet by id, choose it; then the inventory.
    p.typed("petid");
    p.wait_for("2 of 5 operations shown");
    p.keys(&["Enter", "Space"]);
    let screen = p.wait_for("[x] GET    /pet/{petId}");
    assert!(screen.contains("\"getPetById\","), "{screen}");
    p.keys(&["/", "C-u"]);
    p.typed("inventory");
    p.wait_for("1 of 5 operations shown, 1 chosen");
    p.keys(&["Enter", "Space", "Enter"]);
    p.wait_for("2 operations chosen from petstore-swagger2.json");
    p.keys(&["PageDown", "PageDown"]);
    p.wait_for("w write files");
    p.keys(&["w"]);
    p.wait_for("y: write");
    p.keys(&["y"]);
    p.wait_for("✓ Wrote");
    p.keys(&["C-c"]);
    p.wait_for("EXIT=");
    common::run_ok(
        common::wizard()
            .args(["add", "openapi"])
            .arg(&spec)
            .arg("--module")
            .arg(&c)
            .args(["--operation", "getPetById", "--operation", "getInventory"])
            .arg("--no-lock"),
    );
    assert_eq!(common::snapshot(&w), common::snapshot(&c));
    assert!(c.join("action_find_a_pet_by_id.json").is_file());
}

/// A spec URL is fetched on a worker: the screen says it is loading and keeps answering keys, and
/// the operations appear when the fetch ends (issue 14: no frozen screen for up to 30 s).
#[test]
fn a_spec_url_loads_on_a_worker() {
    let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
    let url = format!("http://{}/petstore.json", server.server_addr());
    let body = std::fs::read(PETSTORE).unwrap();
    let serving = std::thread::spawn(move || {
        if let Ok(Some(request)) = server.recv_timeout(std::time::Duration::from_secs(20)) {
            // A slow server: the wizard must not wait for it.
            std::thread::sleep(std::time::Duration::from_millis(300));
            let _ = request.respond(tiny_http::Response::from_data(body));
        }
    });
    let mut app = app_at_components();
    key(&mut app, KeyCode::Char('o'));
    type_text(&mut app, &url);
    key(&mut app, KeyCode::Enter);
    assert!(app.openapi.loading.is_some(), "fetched in the background");
    assert!(app
        .status
        .as_deref()
        .unwrap_or("")
        .starts_with("Loading http://"));
    assert!(!app.openapi.is_loaded());
    let start = std::time::Instant::now();
    while !app.openapi.is_loaded() {
        sekoia_wizard::tui::effects::poll_tasks(&mut app);
        assert!(start.elapsed().as_secs() < 20, "{:?}", app.openapi.error);
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert!(app.openapi.loading.is_none() && app.openapi.error.is_none());
    serving.join().unwrap();
}
