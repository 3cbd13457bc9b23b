//! What people expect of the wizard, checked on its state (no terminal): computed names follow the
//! name, steps keep their answers, problems block writing but not moving, quitting asks when
//! answers would be lost, Ctrl-C always quits, pastes arrive whole, secrets stay hidden, keys in
//! the footer are the keys that work, NO_COLOR leaves no colour.

use crate::tui_support;

use ratatui::crossterm::event::KeyCode;
use ratatui::style::Color;
use sekoia_wizard::core::model::{Answers, ComponentKind, FieldType};
use sekoia_wizard::tui::app::{App, Exit, Flow, Overlay, Page};
use sekoia_wizard::tui::effects::perform;
use sekoia_wizard::tui::theme::Theme;
use sekoia_wizard::tui::view::footer_line;
use tui_support::*;

fn footer(app: &App) -> String {
    footer_line(app, &Theme { color: false }, 200).to_string()
}

#[test]
fn derived_names_follow_the_name_as_it_is_typed() {
    let mut app = new_app();
    type_text(&mut app, "Test");
    assert!(screen(&app).contains("test_modules"));
    type_text(&mut app, " HTTP");
    let text = screen(&app);
    assert!(
        text.contains("TestHTTP/")
            && text.contains("test_http_modules")
            && text.contains("test-http"),
        "{text}"
    );
}

#[test]
fn steps_keep_their_answers_going_back_and_forth() {
    let mut app = app_at_components();
    add_request_action(&mut app);
    times(&mut app, KeyCode::Esc, 2);
    times(&mut app, KeyCode::Esc, 2); // components → configuration → module
    assert_eq!(app.page, Page::Module);
    times(&mut app, KeyCode::PageDown, 3);
    assert_eq!(app.page, Page::Dependencies);
    let module = app.answers.module.clone().unwrap();
    assert_eq!(
        (module.name.as_str(), module.description.as_str()),
        ("TestHTTP", "My test HTTP module")
    );
    let request = &app.answers.components[0];
    let specs: Vec<String> = request.arguments.iter().map(|f| f.to_string()).collect();
    assert_eq!(
        specs,
        [
            "url:url,required",
            "method:enum(get|post|put|patch|delete),required",
            "headers:dict"
        ]
    );
}

#[test]
fn problems_block_writing_not_moving() {
    let mut app = new_app();
    key(&mut app, KeyCode::PageDown);
    key(&mut app, KeyCode::Char('a'));
    type_text(&mut app, "count");
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Right); // int
    times(&mut app, KeyCode::Tab, 3); // required, secret, default: the same for every type
    type_text(&mut app, "many");
    times(&mut app, KeyCode::Enter, 2);
    // The field editor does not accept a broken field: "done" goes to the problem.
    assert!(matches!(
        app.stack.last(),
        Some(sekoia_wizard::tui::app::View::Field(_))
    ));
    assert!(
        app.status.as_deref().unwrap_or("").starts_with("Not done"),
        "{:?}",
        app.status
    );
    key(&mut app, KeyCode::Esc);
    assert_eq!(
        app.overlay,
        Some(Overlay::ConfirmDiscard),
        "typed: asks first"
    );
    key(&mut app, KeyCode::Char('y'));
    assert!(app.answers.configuration.is_empty());
    // Moving on works with a missing module name…
    times(&mut app, KeyCode::PageDown, 3);
    assert_eq!(app.page, Page::Review);
    // …but the review lists the problems and offers no write.
    let pages: Vec<Page> = app.review.problems.iter().map(|(p, _)| *p).collect();
    assert_eq!(pages, [Page::Module]);
    assert!(app.review.result.is_none());
    assert!(!footer(&app).contains("write"));
    key(&mut app, KeyCode::Char('w'));
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.overlay, None);
    assert!(app
        .status
        .as_deref()
        .unwrap_or("")
        .contains("Fix the problems"));
}

#[test]
fn quitting_asks_only_when_answers_would_be_lost() {
    let mut app = new_app();
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.exit, None, "Esc is back, never quit");
    assert_eq!(
        app.status.as_deref(),
        Some(sekoia_wizard::tui::app::FIRST_STEP)
    );
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Char('q'));
    assert_eq!(app.exit, Some(Exit::Quit), "nothing typed: quits at once");

    let mut app = new_app();
    type_text(&mut app, "TestHTTP");
    ctrl(&mut app, 'q');
    assert_eq!(
        (app.overlay.clone(), app.exit),
        (Some(Overlay::ConfirmQuit), None)
    );
    key(&mut app, KeyCode::Char('n'));
    assert_eq!((app.overlay.clone(), app.exit), (None, None));
    ctrl(&mut app, 'q');
    key(&mut app, KeyCode::Char('y'));
    assert_eq!(app.exit, Some(Exit::Quit));
}

#[test]
fn ctrl_c_quits_from_anywhere_even_a_popup() {
    let mut app = new_app();
    type_text(&mut app, "TestHTTP");
    key(&mut app, KeyCode::F(1));
    ctrl(&mut app, 'c');
    assert_eq!(app.exit, Some(Exit::Interrupted));
}

#[test]
fn a_paste_arrives_in_one_go() {
    let mut app = new_app();
    key(&mut app, KeyCode::Tab);
    app.on_paste("Talks to\nhttps://api.example.com/v2\n");
    assert_eq!(
        app.module().description,
        "Talks to https://api.example.com/v2"
    );
    assert_eq!(app.cursor, app.module().description.chars().count());
}

#[test]
fn typing_question_mark_in_a_text_field_is_text() {
    let mut app = new_app();
    key(&mut app, KeyCode::Tab);
    type_text(&mut app, "why?q");
    assert_eq!(app.module().description, "why?q");
    assert_eq!((app.overlay.clone(), app.exit), (None, None));
    assert!(footer(&app).contains("F1 help") && footer(&app).contains("C-q quit"));
}

#[test]
fn the_footer_lists_the_focused_component_keys() {
    let mut app = new_app();
    assert!(
        footer(&app).starts_with(" Enter next field"),
        "{}",
        footer(&app)
    );
    times(&mut app, KeyCode::Tab, 2);
    assert!(
        footer(&app).contains("Space select category"),
        "{}",
        footer(&app)
    );
    key(&mut app, KeyCode::Char(' '));
    assert_eq!(app.module().categories.len(), 1);
    key(&mut app, KeyCode::Tab);
    assert!(footer(&app).contains("←→ change packaging"));
    key(&mut app, KeyCode::PageDown);
    assert!(footer(&app).starts_with(" a add field"));
    key(&mut app, KeyCode::F(1));
    assert_eq!(footer(&app).trim(), "Esc close help");
}

#[test]
fn secrets_are_masked_in_the_designer() {
    let mut app = new_app();
    key(&mut app, KeyCode::PageDown);
    key(&mut app, KeyCode::Char('a'));
    type_text(&mut app, "api_key");
    times(&mut app, KeyCode::Tab, 3);
    key(&mut app, KeyCode::Char(' '));
    key(&mut app, KeyCode::Tab);
    type_text(&mut app, "s3cr3t-value");
    let editing = screen(&app);
    assert!(
        !editing.contains("s3cr3t") && editing.contains("••••••••••••"),
        "{editing}"
    );
    key(&mut app, KeyCode::Enter);
    assert!(!screen(&app).contains("s3cr3t"));
    assert_eq!(
        app.answers.configuration[0].default.as_deref(),
        Some("s3cr3t-value")
    );
}

#[test]
fn the_type_picker_keeps_sub_fields_when_cycling_through() {
    let mut app = new_app();
    key(&mut app, KeyCode::PageDown);
    key(&mut app, KeyCode::Char('a'));
    type_text(&mut app, "auth");
    key(&mut app, KeyCode::Tab);
    type_text(&mut app, "o"); // type-ahead: object
    key(&mut app, KeyCode::Tab); // → Fields, right after Type
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Char('a'));
    type_text(&mut app, "user");
    finish_field(&mut app);
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::BackTab); // back to Type
    key(&mut app, KeyCode::Right); // list[object]
    assert!(
        matches!(&app.answers.configuration[0].ty, FieldType::ListOfObjects(f) if f.len() == 1)
    );
    key(&mut app, KeyCode::Right); // str: stashed
    assert_eq!(app.answers.configuration[0].ty, FieldType::Str);
    key(&mut app, KeyCode::Left);
    assert!(
        matches!(&app.answers.configuration[0].ty, FieldType::ListOfObjects(f) if f[0].name == "user")
    );
}

#[test]
fn fields_move_up_and_down_and_delete() {
    let mut app = new_app();
    key(&mut app, KeyCode::PageDown);
    for name in ["a", "b", "c"] {
        key(&mut app, KeyCode::Char('a'));
        type_text(&mut app, name);
        finish_field(&mut app);
    }
    key(&mut app, KeyCode::Char('K'));
    key(&mut app, KeyCode::Char('K'));
    let names = |app: &App| {
        app.answers
            .configuration
            .iter()
            .map(|f| f.name.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(names(&app), ["c", "a", "b"]);
    key(&mut app, KeyCode::Char('J'));
    key(&mut app, KeyCode::Char('d'));
    assert_eq!(names(&app), ["a", "b"]);
    assert!(footer(&app).contains("u undo"));
    key(&mut app, KeyCode::Char('u'));
    assert_eq!(
        names(&app),
        ["a", "c", "b"],
        "u brings the deleted field back"
    );
    key(&mut app, KeyCode::Char('d'));
    // A field added and left blank is not kept.
    key(&mut app, KeyCode::Char('a'));
    key(&mut app, KeyCode::Esc);
    assert_eq!(names(&app), ["a", "b"]);
}

#[test]
fn a_connector_has_no_results_part() {
    let mut app = new_app();
    times(&mut app, KeyCode::PageDown, 2);
    key(&mut app, KeyCode::Char('a'));
    key(&mut app, KeyCode::Char('c'));
    type_text(&mut app, "TesthttpConnector");
    assert_eq!(app.answers.components[0].kind, ComponentKind::Connector);
    let text = screen(&app);
    assert!(
        text.contains("Configuration") && text.contains("Results       — a connector"),
        "{text}"
    );
}

#[test]
fn saved_answers_replay_without_secret_defaults() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = App::new(
        Flow::New {
            output_dir: dir.path().into(),
        },
        None,
    );
    fill_module(&mut app);
    key(&mut app, KeyCode::PageDown);
    key(&mut app, KeyCode::Char('a'));
    type_text(&mut app, "api_key");
    times(&mut app, KeyCode::Tab, 3);
    key(&mut app, KeyCode::Char(' '));
    key(&mut app, KeyCode::Tab);
    type_text(&mut app, "hunter2");
    finish_field(&mut app);
    key(&mut app, KeyCode::PageDown);
    add_request_action(&mut app);
    times(&mut app, KeyCode::Esc, 2);
    times(&mut app, KeyCode::PageDown, 2);
    assert_eq!(app.page, Page::Review);
    key(&mut app, KeyCode::Char('s'));
    let Some(Overlay::SaveAnswers { path }) = app.overlay.clone() else {
        panic!("no save prompt")
    };
    key(&mut app, KeyCode::Enter);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(!text.contains("hunter2"), "{text}");
    let replayed = Answers::load(path.as_ref()).unwrap();
    let mut expected = app.answers.clone();
    expected.configuration[0].default = None;
    assert_eq!(replayed, expected);
    // Replaying starts the wizard with those answers, and nothing unsaved yet.
    let again = App::new(
        Flow::New {
            output_dir: dir.path().into(),
        },
        Some(replayed),
    );
    assert_eq!(again.answers, expected);
    assert!(!again.unsaved());
}

#[test]
fn no_color_draws_without_colour() {
    let mut app = new_app();
    fill_module(&mut app);
    key(&mut app, KeyCode::F(1));
    let terminal = draw_sized(&app, 120, 40, Theme { color: false });
    let coloured = terminal
        .backend()
        .buffer()
        .content()
        .iter()
        .filter(|c| c.fg != Color::Reset || c.bg != Color::Reset)
        .count();
    assert_eq!(coloured, 0);
    let terminal = draw_sized(&app, 120, 40, Theme { color: true });
    assert!(
        terminal
            .backend()
            .buffer()
            .content()
            .iter()
            .any(|c| c.fg != Color::Reset),
        "colour is on by default"
    );
}

#[test]
fn resizing_redraws_at_any_size() {
    let mut app = new_app();
    fill_module(&mut app);
    for (w, h) in [(80, 24), (200, 60), (79, 24), (80, 23), (20, 5)] {
        let text = draw_sized(&app, w, h, Theme { color: false })
            .backend()
            .to_string();
        assert_eq!(
            text.contains("Terminal too small"),
            w < 80 || h < 24,
            "{w}x{h}"
        );
    }
    // Even a 1×1 window draws without a panic.
    draw_sized(&app, 1, 1, Theme { color: false });
}

#[test]
fn the_review_shows_the_core_planning_error_and_writes_nothing() {
    // A file where the module's directory would go: the core refuses (a non-empty directory is
    // asked about on step 1 instead, see below).
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("TestHTTP"), "mine").unwrap();
    let mut app = App::new(
        Flow::New {
            output_dir: dir.path().into(),
        },
        None,
    );
    fill_module(&mut app);
    times(&mut app, KeyCode::PageDown, 4);
    assert_eq!(app.page, Page::Review);
    match &app.review.result {
        // Planning may refuse up front…
        Some(Err(f)) => assert!(screen(&app).contains(&f.message[..f.message.len().min(40)])),
        // …or the write is refused by the workspace: either way nothing is overwritten.
        Some(Ok(_)) => {
            perform(&mut app, sekoia_wizard::tui::app::Effect::Write);
            assert!(app.written.is_none(), "wrote into a non-empty directory");
        }
        None => panic!("the review did not plan"),
    }
    assert_eq!(
        std::fs::read_to_string(dir.path().join("TestHTTP")).unwrap(),
        "mine"
    );
}

#[test]
fn an_existing_module_flow_starts_at_home_and_reads_the_components() {
    let app = existing_app();
    assert_eq!(app.page, Page::Home);
    let Flow::Existing { summary: Ok(m), .. } = &app.flow else {
        panic!("not read")
    };
    let names: Vec<&str> = m.components.iter().map(|c| c.name.as_str()).collect();
    // Read from the Python code (the sync reader): triggers, connectors, then actions.
    assert_eq!(names, ["NewEntriesTrigger", "TesthttpConnector", "Request"]);
    assert_eq!(m.components[2].file, "testhttp_modules/action_request.py");
    assert_eq!(m.note, None);
    assert_eq!(m.configuration, ["api_key (secret)"]);
}

#[test]
fn without_readable_code_the_home_screen_falls_back_to_the_json_files() {
    let dir = tempfile::tempdir().unwrap();
    for f in [
        "manifest.json",
        "action_request.json",
        "trigger_newentriestrigger.json",
    ] {
        std::fs::copy(
            format!("tests/fixtures/tui/testhttp/{f}"),
            dir.path().join(f),
        )
        .unwrap();
    }
    let m = sekoia_wizard::tui::existing::read_module_summary(dir.path()).unwrap();
    let names: Vec<&str> = m.components.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["Request", "NewEntriesTrigger"]);
    assert!(
        m.note
            .as_deref()
            .is_some_and(|n| n.contains("Module subclass")),
        "{:?}",
        m.note
    );
}

#[test]
fn a_plan_with_nothing_to_change_offers_no_write() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("main.py"), "print()\n").unwrap();
    let mut plan = sekoia_wizard::core::plan::Plan::edit(dir.path());
    plan.put("main.py", "print()\n");
    let mut app = existing_app();
    key(&mut app, KeyCode::Char('r'));
    assert_eq!(app.page, Page::Review);
    app.review.result = Some(Ok(sekoia_wizard::core::generate::Generated {
        plan,
        notes: Vec::new(),
    }));
    assert!(screen(&app).contains("nothing to write"));
    assert!(!footer(&app).contains("write files"));
    key(&mut app, KeyCode::Char('w'));
    assert_eq!(app.overlay, None);
}

#[test]
fn release_from_the_home_screen_bumps_the_version_and_dates_the_changelog() {
    let parent = tempfile::tempdir().unwrap();
    let dir = new_module_in(parent.path(), "TestHTTP");
    let changelog = dir.join("CHANGELOG.md");
    let text = std::fs::read_to_string(&changelog).unwrap();
    std::fs::write(
        &changelog,
        format!("{text}\n### Added\n\n- First version\n"),
    )
    .unwrap();
    let mut app = existing_app_in(&dir);

    assert!(footer(&app).contains("release"));
    key(&mut app, KeyCode::Char('v'));
    assert!(screen(&app).contains("patch"));
    key(&mut app, KeyCode::Char('m'));
    // Issue 11: the release asks for its notes (optional) and offers the tag before the review.
    assert!(
        screen(&app).contains("Release 0.1.0 → 0.2.0"),
        "{}",
        screen(&app)
    );
    assert!(
        screen(&app).contains("no tag"),
        "not a repository: {}",
        screen(&app)
    );
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.page, Page::Review);
    let Some(Ok(generated)) = &app.review.result else {
        panic!("no release plan: {:?}", app.review.result)
    };
    let changed: Vec<&str> = generated.plan.changes().map(|f| f.path.as_str()).collect();
    assert_eq!(changed, vec!["CHANGELOG.md", "manifest.json"]);
    assert!(screen(&app).contains("0.1.0 → 0.2.0"), "{}", screen(&app));

    key(&mut app, KeyCode::Char('w'));
    key(&mut app, KeyCode::Char('y'));
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["version"], "0.2.0");
    let dated = std::fs::read_to_string(&changelog).unwrap();
    assert!(
        dated.contains("## Unreleased\n")
            && dated.contains(" - 0.2.0\n\n### Added\n\n- First version\n"),
        "{dated}"
    );
    assert!(sekoia_wizard::core::compliance::check_module(&dir)
        .iter()
        .all(|e| e.message.contains("poetry.lock")));
}

#[test]
fn release_dialog_takes_notes_and_tags_the_release() {
    if !git_available() {
        return;
    }
    let parent = tempfile::tempdir().unwrap();
    let dir = new_module_in(parent.path(), "Tagged");
    git(&dir, &["init", "-q", "-b", "main"]);
    git(&dir, &["config", "user.name", "Rel Ease"]);
    git(&dir, &["config", "user.email", "rel@example.com"]);
    git(&dir, &["add", "-A"]);
    git(&dir, &["commit", "-q", "-m", "first"]);
    let mut app = existing_app_in(&dir);

    key(&mut app, KeyCode::Char('v'));
    key(&mut app, KeyCode::Char('m'));
    type_text(&mut app, "Faster polling");
    assert!(screen(&app).contains("[ ] tag v0.2.0"), "{}", screen(&app));
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Char(' '));
    assert!(screen(&app).contains("[x] tag v0.2.0"), "{}", screen(&app));
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.page, Page::Review);
    let Some(Ok(generated)) = &app.review.result else {
        panic!("no release plan: {:?}", app.review.result)
    };
    let changelog = generated
        .plan
        .changes()
        .find(|f| f.path == "CHANGELOG.md")
        .expect("the changelog changes");
    assert!(
        changelog.diff().contains("Faster polling"),
        "{}",
        changelog.diff()
    );
    assert!(generated.notes.iter().any(|n| n.contains("tag v0.2.0")));

    key(&mut app, KeyCode::Char('w'));
    key(&mut app, KeyCode::Char('y'));
    assert!(std::fs::read_to_string(dir.join("CHANGELOG.md"))
        .unwrap()
        .contains("Faster polling"));
    let tags = git(&dir, &["tag", "-n9"]);
    assert!(tags.contains("v0.2.0"), "{tags}");
    assert!(
        tags.contains("Faster polling"),
        "annotated with the notes: {tags}"
    );
    let status = git(
        &dir,
        &["status", "--porcelain", "CHANGELOG.md", "manifest.json"],
    );
    assert!(
        status.is_empty(),
        "the release files are committed: {status}"
    );
}

/// `sekoia-wizard new --name NAME` in `parent` (no lock step); the module's directory.
fn new_module_in(parent: &std::path::Path, name: &str) -> std::path::PathBuf {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_sekoia-wizard"))
        .arg("new")
        .arg(parent)
        .args(["--name", name, "--no-lock"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    parent.join(name)
}

fn git(dir: &std::path::Path, args: &[&str]) -> String {
    let out = std::process::Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .expect("git runs");
    assert!(out.status.success(), "git {args:?}: {out:?}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn git_available() -> bool {
    let ok = std::process::Command::new("git")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "git is required for the TUI push test in CI"
        );
        eprintln!("skipped: git is not installed");
    }
    ok
}

/// The Git step runs `core::git::publish` on a worker thread: the identity typed in the form
/// signs the commit, and the bare repository gets branch `main`.
#[test]
fn the_git_step_pushes_to_a_bare_repository() {
    use sekoia_wizard::tui::app::Written;
    use sekoia_wizard::tui::effects::wait_push;
    if !git_available() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let module = tmp.path().join("TestHTTP");
    std::fs::create_dir(&module).unwrap();
    std::fs::write(module.join("manifest.json"), "{}\n").unwrap();
    let bare = tmp.path().join("bare.git");
    git(
        tmp.path(),
        &["init", "--bare", "-q", bare.to_str().unwrap()],
    );

    let mut app = new_app();
    fill_module(&mut app);
    app.on_written(Written {
        root: module.clone(),
        files: vec!["manifest.json".into()],
    });
    app.git.ask_identity = true;
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.page, Page::Git);
    type_text(&mut app, &format!("file://{}", bare.display()));
    times(&mut app, KeyCode::Tab, 4); // branch, message, token, name
    type_text(&mut app, "Ada Lovelace");
    key(&mut app, KeyCode::Tab);
    type_text(&mut app, "ada@example.com");
    times(&mut app, KeyCode::Enter, 2); // files, push
                                        // `check` fails on this bare manifest: pushing says so and asks first.
    assert_eq!(app.overlay, Some(Overlay::ConfirmPushFailingCheck));
    key(&mut app, KeyCode::Char('y'));
    wait_push(&mut app);
    let text = screen(&app);
    assert!(
        text.contains("✓ Pushed main to file://"),
        "no success line:\n{text}"
    );
    assert!(text.contains("Committed "), "no progress lines:\n{text}");
    let log = git(&bare, &["log", "main", "--format=%an <%ae>"]);
    assert_eq!(log.trim(), "Ada Lovelace <ada@example.com>");
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.page, Page::Done);
}

/// The screens of a session, each in a state a person reaches: the key grammar is checked on all.
fn every_screen() -> Vec<(&'static str, App)> {
    let mut states = Vec::new();
    let mut app = new_app();
    states.push(("module name", new_app()));
    fill_module(&mut app);
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    let mut categories = new_app();
    times(&mut categories, KeyCode::Tab, 2);
    states.push(("module categories", categories));
    let mut config = new_app();
    fill_module(&mut config);
    key(&mut config, KeyCode::PageDown);
    states.push(("configuration empty", config));
    let mut field = new_app();
    key(&mut field, KeyCode::PageDown);
    key(&mut field, KeyCode::Char('a'));
    states.push(("field editor", field));
    let components = app_at_components();
    states.push(("components empty", components));
    let mut editor = app_at_components();
    add_request_action(&mut editor);
    states.push(("arguments table", editor));
    let mut list = app_at_components();
    add_request_action(&mut list);
    times(&mut list, KeyCode::Esc, 2);
    states.push(("components list", list));
    let mut deps = new_app();
    fill_module(&mut deps);
    times(&mut deps, KeyCode::PageDown, 3);
    states.push(("dependencies", deps));
    let mut review = new_app();
    times(&mut review, KeyCode::PageDown, 4);
    states.push(("review with problems", review));
    states.push(("home", existing_app()));
    let mut written = new_app();
    fill_module(&mut written);
    written.on_written(sekoia_wizard::tui::app::Written {
        root: "/tmp/wizard-output/TestHTTP".into(),
        files: vec!["manifest.json".into()],
    });
    states.push(("written", written));
    let mut git = new_app();
    fill_module(&mut git);
    git.on_written(sekoia_wizard::tui::app::Written {
        root: "/tmp/wizard-output/TestHTTP".into(),
        files: vec!["manifest.json".into()],
    });
    let _ = git.go_to(Page::Git);
    states.push(("git", git));
    states
}

/// Every pop-up answers Enter and Esc (or says why Enter does nothing there).
#[test]
fn every_popup_answers_enter_and_esc() {
    use ratatui::crossterm::event::{KeyEvent, KeyModifiers};
    use sekoia_wizard::tui::keys::find;
    let popups = [
        Overlay::Help,
        Overlay::ConfirmQuit,
        Overlay::ConfirmWrite,
        Overlay::ConfirmDiscard,
        Overlay::ConfirmPushFailingCheck,
        Overlay::KindPicker { selected: 0 },
        Overlay::ReleasePicker { selected: 0 },
        Overlay::Tests,
        Overlay::TargetExists {
            dir: "/tmp/x".into(),
            then: Page::Configuration,
        },
    ];
    for popup in popups {
        let mut app = existing_app();
        app.overlay = Some(popup.clone());
        let bindings = app.bindings();
        for code in [KeyCode::Esc, KeyCode::Enter] {
            let event = KeyEvent::new(code, KeyModifiers::NONE);
            let yes_no = matches!(
                popup,
                Overlay::ConfirmQuit | Overlay::ConfirmDiscard | Overlay::ConfirmPushFailingCheck
            );
            // y/n questions take Enter as neither answer on purpose: a stray Enter must not quit
            // or discard. Their help says so through the y / n keys shown.
            if code == KeyCode::Enter && yes_no {
                continue;
            }
            assert!(
                find(&bindings, &event).is_some(),
                "{popup:?}: {code:?} is not bound"
            );
        }
    }
}

/// On every screen, a grammar key is bound to its one meaning or to the reason it cannot apply
/// here; Enter, Esc and the step keys are bound everywhere, so no key silently does nothing.
#[test]
fn every_grammar_key_means_the_same_on_every_screen() {
    for (name, app) in every_screen() {
        assert_grammar_holds(name, &app);
    }
}

/// C-n / PgDn: the next step on every step page (the review asks before writing); C-p / PgUp and
/// Esc go back; on the first page they say why they cannot.
#[test]
fn step_keys_move_between_steps_everywhere() {
    for next in [KeyCode::PageDown, KeyCode::Char('n')] {
        let mut app = new_app();
        fill_module(&mut app);
        for want in [
            Page::Configuration,
            Page::Components,
            Page::Dependencies,
            Page::Review,
        ] {
            if next == KeyCode::Char('n') {
                ctrl(&mut app, 'n');
            } else {
                key(&mut app, next);
            }
            assert_eq!(app.page, want);
        }
        key(&mut app, KeyCode::PageDown);
        assert_eq!(app.overlay, Some(Overlay::ConfirmWrite));
        key(&mut app, KeyCode::Esc);
        ctrl(&mut app, 'p');
        assert_eq!(app.page, Page::Dependencies);
        key(&mut app, KeyCode::PageUp);
        key(&mut app, KeyCode::Esc);
        assert_eq!(app.page, Page::Configuration);
    }
    let mut app = existing_app();
    key(&mut app, KeyCode::Esc);
    assert_eq!((app.page, app.exit), (Page::Home, None));
    assert!(app.status.as_deref().unwrap().contains("first step"));
}

/// Enter confirms: next field on a form, done on its last item, open on lists.
#[test]
fn enter_goes_to_the_next_field_and_is_done_on_the_last() {
    let mut app = new_app();
    type_text(&mut app, "TestHTTP");
    key(&mut app, KeyCode::Enter);
    assert_eq!(
        app.module_focus,
        sekoia_wizard::tui::app::ModuleFocus::Description
    );
    times(&mut app, KeyCode::Enter, 3);
    assert_eq!(
        app.page,
        Page::Configuration,
        "Enter on the last item: next step"
    );
    key(&mut app, KeyCode::Enter);
    assert!(app.status.as_deref().unwrap().contains("a adds one"));
}

/// Ctrl-C quits at once on every screen; the exit is an interruption (130).
#[test]
fn ctrl_c_interrupts_on_every_screen() {
    for (name, mut app) in every_screen() {
        ctrl(&mut app, 'c');
        assert_eq!(app.exit, Some(Exit::Interrupted), "{name}");
    }
}

/// Below 80×24 only Ctrl-C reaches the wizard: typed keys do not edit a hidden field.
#[test]
fn keys_do_not_reach_a_hidden_screen() {
    let mut app = new_app();
    app.resize(60, 15);
    type_text(&mut app, "abc");
    assert_eq!(app.module().name, "");
    ctrl(&mut app, 'c');
    assert_eq!(app.exit, Some(Exit::Interrupted));
}

/// When the keys do not fit, the footer keeps the first ones and ends with `…` and `? more`.
#[test]
fn the_footer_shrinks_with_an_ellipsis_and_more() {
    let mut app = app_at_components();
    add_request_action(&mut app);
    let narrow = footer_line(&app, &Theme { color: false }, 60).to_string();
    assert!(
        narrow.contains("… ") && narrow.contains("? more"),
        "{narrow}"
    );
    assert!(narrow.trim_end().ends_with("q quit"), "{narrow}");
    let wide = footer_line(&app, &Theme { color: false }, 200).to_string();
    assert!(!wide.contains('…') && wide.contains("? help"), "{wide}");
}

/// The field editor: the same Tab order for every type, type-ahead, results without secret or
/// default, and no error before the first edit.
#[test]
fn the_field_editor_keeps_one_tab_order_and_picks_types_by_typing() {
    use sekoia_wizard::tui::app::View;
    use sekoia_wizard::tui::screens::field_editor::Item;
    let focus = |app: &App| match app.stack.last() {
        Some(View::Field(e)) => e.focus,
        _ => panic!("no field editor"),
    };
    for ty in ["s", "e", "o", "di"] {
        let mut app = new_app();
        fill_module(&mut app);
        key(&mut app, KeyCode::PageDown);
        key(&mut app, KeyCode::Char('a'));
        key(&mut app, KeyCode::Tab);
        type_text(&mut app, ty);
        // Whatever the type, Required is the same number of Tabs away (disabled items skipped).
        let mut tabs = 0;
        while focus(&app) != Item::Required {
            key(&mut app, KeyCode::Tab);
            tabs += 1;
        }
        assert!(tabs <= 3, "{ty}: {tabs}");
        let body: String = screen(&app).lines().skip(2).collect();
        assert!(!body.contains("✗"), "{ty}: an error before any edit");
    }
    let mut app = new_app();
    key(&mut app, KeyCode::PageDown);
    key(&mut app, KeyCode::Char('a'));
    key(&mut app, KeyCode::Tab);
    type_text(&mut app, "di");
    assert_eq!(app.answers.configuration[0].ty, FieldType::Dict);

    let mut app = app_at_components();
    key(&mut app, KeyCode::Char('a'));
    key(&mut app, KeyCode::Char('a'));
    type_text(&mut app, "Request");
    times(&mut app, KeyCode::Tab, 4); // class, description, arguments, results
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Char('a'));
    let text = screen(&app);
    assert!(
        text.contains("never secret") && text.contains("results have no default"),
        "{text}"
    );
}

/// Issue 12 point 8: the dependencies step of an existing module lists what pyproject.toml already
/// has, instead of "None yet".
#[test]
fn dependencies_of_an_existing_module_are_listed() {
    let mut app = existing_app();
    let _ = app.go_to(Page::Dependencies);
    let text = screen(&app);
    assert!(text.contains("Already in pyproject.toml:"), "{text}");
    assert!(text.contains("sekoia-automation-sdk"), "{text}");
    assert!(!text.contains("None yet."), "{text}");
}

/// Issue 12 point 4: a name the existing module already uses is refused at the field, in the
/// wizard's words, before the review.
#[test]
fn a_component_name_the_module_has_is_refused_at_the_field() {
    let mut app = existing_app();
    key(&mut app, KeyCode::Char('a'));
    key(&mut app, KeyCode::Char('a'));
    type_text(&mut app, "Request");
    let text = screen(&app);
    assert!(
        text.contains("the module already has") && text.contains("action `Request`"),
        "{text}"
    );
    assert!(!text.contains("--name"), "{text}");
    type_text(&mut app, "Again");
    assert!(!screen(&app).contains("already has"), "{}", screen(&app));
}

/// A new-module app writing into `out`, with the module step filled (TestHTTP).
fn app_into(out: &std::path::Path) -> App {
    let mut app = App::new(
        Flow::New {
            output_dir: out.to_path_buf(),
        },
        None,
    );
    fill_module(&mut app);
    app
}

/// Issue 12 point 4: a non-empty target directory is found on step 1; leaving the step asks
/// keep / overwrite / remove, and Esc stays to change the name. Nothing is touched before writing.
#[test]
fn a_non_empty_target_is_asked_about_on_the_first_step() {
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("TestHTTP");
    std::fs::create_dir_all(target.join(".git")).unwrap();
    std::fs::write(target.join("notes.txt"), "mine").unwrap();

    let mut app = app_into(out.path());
    assert!(
        screen(&app).contains("the directory exists and has files"),
        "{}",
        screen(&app)
    );
    ctrl(&mut app, 'n');
    assert!(matches!(app.overlay, Some(Overlay::TargetExists { .. })));
    assert!(screen(&app).contains("k  keep them"), "{}", screen(&app));
    key(&mut app, KeyCode::Esc);
    assert_eq!((app.page, app.overlay.clone()), (Page::Module, None));

    // Keep: the module is written around the person's file.
    ctrl(&mut app, 'n');
    key(&mut app, KeyCode::Char('k'));
    assert_eq!(app.page, Page::Configuration);
    let fx = app.go_to(Page::Review);
    sekoia_wizard::tui::effects::perform_all(&mut app, fx);
    assert!(
        matches!(app.review.result, Some(Ok(_))),
        "{:?}",
        app.review.result
    );
    key(&mut app, KeyCode::Char('w'));
    key(&mut app, KeyCode::Char('y'));
    assert_eq!(app.page, Page::Written, "{:?}", app.status);
    assert_eq!(
        std::fs::read_to_string(target.join("notes.txt")).unwrap(),
        "mine"
    );
    assert!(target.join("manifest.json").is_file());
}

#[test]
fn remove_empties_the_target_but_git_when_writing() {
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("TestHTTP");
    std::fs::create_dir_all(target.join(".git")).unwrap();
    std::fs::write(target.join(".git/HEAD"), "ref: refs/heads/main\n").unwrap();
    std::fs::create_dir_all(target.join("old_modules")).unwrap();
    std::fs::write(target.join("old_modules/x.py"), "x = 1\n").unwrap();

    let mut app = app_into(out.path());
    ctrl(&mut app, 'n');
    key(&mut app, KeyCode::Char('r'));
    let fx = app.go_to(Page::Review);
    sekoia_wizard::tui::effects::perform_all(&mut app, fx);
    // Still there until the write is confirmed, which says what goes.
    assert!(target.join("old_modules/x.py").is_file());
    key(&mut app, KeyCode::Char('w'));
    assert!(screen(&app).contains("removed first"), "{}", screen(&app));
    key(&mut app, KeyCode::Char('y'));
    assert_eq!(app.page, Page::Written, "{:?}", app.status);
    assert!(!target.join("old_modules").exists());
    assert!(target.join(".git/HEAD").is_file());
    assert!(target.join("testhttp_modules/__init__.py").is_file());
}

/// Issue 12 acceptance: one session writes a new module and pushes it, goes Done → home, adds an
/// action, writes and pushes again (the remote now prefilled from `origin`).
#[test]
fn done_home_add_write_push_in_one_session() {
    use sekoia_wizard::tui::effects::{perform_all, wait_push};
    if !git_available() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let bare = tmp.path().join("bare.git");
    git(
        tmp.path(),
        &["init", "--bare", "-q", bare.to_str().unwrap()],
    );
    let mut app = app_into(&out);
    let push = |app: &mut App| {
        if app.git.ask_identity {
            app.git.form.name = "Ada Lovelace".into();
            app.git.form.email = "ada@example.com".into();
        }
        let fx = sekoia_wizard::tui::screens::finish::start_push(app, true);
        perform_all(app, fx);
        wait_push(app);
        assert!(app.git.succeeded(), "{:?}", app.git.run);
    };

    let fx = app.go_to(Page::Review);
    perform_all(&mut app, fx);
    key(&mut app, KeyCode::Char('w'));
    key(&mut app, KeyCode::Char('y'));
    assert_eq!(app.page, Page::Written, "{:?}", app.status);
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.page, Page::Git);
    type_text(&mut app, &format!("file://{}", bare.display()));
    push(&mut app);
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.page, Page::Done);
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.page, Page::Home, "Done → the written module's home");

    add_request_action(&mut app);
    times(&mut app, KeyCode::Esc, 2);
    let fx = app.go_to(Page::Review);
    perform_all(&mut app, fx);
    key(&mut app, KeyCode::Char('w'));
    key(&mut app, KeyCode::Char('y'));
    assert_eq!(app.page, Page::Written, "{:?}", app.status);
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.page, Page::Git);
    assert_eq!(
        app.git.remote,
        format!("file://{}", bare.display()),
        "prefilled from origin"
    );
    push(&mut app);
    let log = git(&bare, &["log", "main", "--format=%s"]);
    assert_eq!(log.lines().count(), 2, "{log}");
    let files = git(&bare, &["ls-tree", "-r", "--name-only", "main"]);
    assert!(
        files.contains("testhttp_modules/action_request.py"),
        "{files}"
    );
}

/// Issue 12 acceptance: a remote that is not a URL git can use is refused on the Git step before
/// any git change (no `git init`, no commit, no `origin` saved).
#[test]
fn a_remote_that_is_not_a_url_is_refused_before_any_git_change() {
    let tmp = tempfile::tempdir().unwrap();
    let module = tmp.path().join("TestHTTP");
    std::fs::create_dir(&module).unwrap();
    std::fs::write(module.join("manifest.json"), "{}\n").unwrap();
    let mut app = new_app();
    fill_module(&mut app);
    app.on_written(sekoia_wizard::tui::app::Written {
        root: module.clone(),
        files: vec!["manifest.json".into()],
    });
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.page, Page::Git);
    type_text(&mut app, "not a url");
    for _ in 0..8 {
        key(&mut app, KeyCode::Enter);
        if app.git.error.is_some() {
            break;
        }
    }
    let error = app.git.error.clone().expect("refused");
    assert!(app.git.run.is_none(), "no push started");
    assert!(!module.join(".git").exists(), "no git change: {error:?}");
    assert!(screen(&app).contains("✗"), "{}", screen(&app));
}
