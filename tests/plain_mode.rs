//! `sekoia-wizard --plain` in a real pseudo-terminal (a private tmux server), one test per
//! behaviour of issue 12: a message for an empty or invalid answer, the typed text kept for
//! editing after one, "back" (`<` on a text question, Esc on a choice), and the Git step (files
//! listed with secrets flagged and left out, the remote prefilled from `origin`, the commit
//! message, the push).
//!
//! Without tmux these tests say so and pass, except under `CI=true`, where they fail.

use crate::common;

use crate::tui_support::tmux::{tmux_available, Pane};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// One wizard in a 120×50 tmux pane (the shared `Pane`), asked line by line.
struct Session {
    pane: Pane,
}

impl Session {
    fn open(name: &str, cwd: &Path, args: &[&str], env: &[(&str, &str)]) -> Option<Session> {
        tmux_available().then(|| Session {
            pane: Pane::start_sized(name, cwd, args, env, 120, 50),
        })
    }

    /// Everything printed so far, scrollback included.
    fn text(&self) -> String {
        self.pane.text()
    }

    /// Waits until `check` holds for the pane's text.
    fn until(&self, what: &str, check: impl Fn(&str) -> bool) -> &Session {
        let since = Instant::now();
        loop {
            let text = self.text();
            if check(&text) {
                return self;
            }
            assert!(
                since.elapsed() < Duration::from_secs(20),
                "no {what} after 20 s:\n{text}"
            );
            std::thread::sleep(Duration::from_millis(40));
        }
    }

    /// Waits for the question `prompt`: the last line (a text or yes/no question), or the line
    /// above the last block of items (`> item`, `  item`: a choice).
    fn at(&self, prompt: &str) -> &Session {
        self.until(&format!("question {prompt:?}"), |text| {
            let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
            let Some(last) = lines.last() else {
                return false;
            };
            if last.contains(prompt) {
                return true;
            }
            let items = lines
                .iter()
                .rev()
                .take_while(|l| l.starts_with("> ") || l.starts_with("  "))
                .count();
            items > 0
                && lines.len() > items
                && lines[lines.len() - items - 1].contains(prompt)
                && lines[lines.len() - items..]
                    .iter()
                    .any(|l| l.starts_with("> "))
        })
    }

    /// Waits until `text` is printed.
    fn shows(&self, text: &str) -> &Session {
        self.until(&format!("{text:?}"), |t| t.contains(text))
    }

    /// Types `text` then Enter.
    fn answer(&self, text: &str) -> &Session {
        if !text.is_empty() {
            self.pane.wait_reading();
            self.pane.typed(text);
        }
        self.key("Enter")
    }

    /// Deletes `n` characters before the cursor (dialoguer has no key to clear a line), one key
    /// at a time: a backspace the terminal saw in line mode would be taken by the terminal.
    fn erase(&self, n: usize) -> &Session {
        for _ in 0..n {
            self.key("BSpace");
        }
        self
    }

    /// Sends `key` once the wizard reads keys (`Pane::wait_reading`).
    fn key(&self, key: &str) -> &Session {
        self.pane.wait_reading();
        self.pane.keys(&[key]);
        self
    }

    /// The wizard's exit status, once it has restored the terminal.
    fn status(&self) -> i32 {
        self.pane.exit_status()
    }
}

/// From the description of a new module to the end: description kept as shown, default categories
/// and packaging, no field (after `first_field`, if any), no component, no dependency, then
/// written or not (`write`), answers not saved, no push.
fn finish_new_module(s: &Session, first_field: impl FnOnce(&Session), write: bool) {
    s.at("Description").answer("");
    s.at("Categories").key("Enter");
    s.at("Packaging").key("Enter");
    first_field(s);
    s.at("Add a module configuration field?").key("n");
    s.at("Add a component?").key("Enter");
    s.at("Requirement (empty to finish)").answer("");
    s.at("Write these").key(if write { "y" } else { "n" });
    s.at("Save the answers").key("n");
    if write {
        s.at("Commit and push the module now?").key("n");
    }
}

#[test]
fn an_empty_or_invalid_name_is_refused_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let Some(s) = Session::open("empty", dir.path(), &["--plain"], &[]) else {
        return;
    };
    s.at("Module name").answer("");
    s.shows("✗ Module name: the module name is empty\n    hint: ");
    s.at("Module name").answer("@@@");
    // A name without a letter or digit: what is wrong, and how to fix it.
    s.shows("✗ Module name: the module name `@@@` has no letter or digit");
    s.shows("hint: use a name with letters");
    s.at("Module name: @@@");
    // The field designer refuses an empty field name the same way.
    s.erase(3).answer("TestHTTP");
    let empty_field_name = |s: &Session| {
        s.at("Add a module configuration field?").key("y");
        s.at("Field name").answer("");
        s.shows("✗ Field name: ");
        // Back from the field's first question: the field is not added.
        s.at("Field name").answer("<");
        s.shows("(field not added)");
    };
    finish_new_module(&s, empty_field_name, false);
    assert_eq!(s.status(), 0, "{}", s.text());
    assert!(s.text().contains("Nothing was written."));
    assert!(std::fs::read_dir(dir.path()).unwrap().next().is_none());
}

#[test]
fn a_refused_answer_is_asked_again_with_the_typed_text() {
    let dir = tempfile::tempdir().unwrap();
    let Some(s) = Session::open("kept", dir.path(), &["--plain"], &[]) else {
        return;
    };
    s.at("Module name").answer("!!!");
    s.shows("✗ Module name: ");
    // Asked again with `!!!` to edit: typing `Kept` appends to it.
    s.at("Module name: !!!").answer("Kept");
    finish_new_module(&s, |_| {}, true);
    assert_eq!(s.status(), 0, "{}", s.text());
    let manifest = std::fs::read_to_string(dir.path().join("!!!Kept/manifest.json"))
        .unwrap_or_else(|e| {
            panic!(
                "{e}; the directory holds {:?}",
                common::files_under(dir.path())
            )
        });
    assert!(manifest.contains("\"name\": \"!!!Kept\""), "{manifest}");
}

#[test]
fn back_returns_to_the_previous_question_with_its_answer() {
    let dir = tempfile::tempdir().unwrap();
    let Some(s) = Session::open("back", dir.path(), &["--plain"], &[]) else {
        return;
    };
    s.at("Module name").answer("First");
    s.at("Description").answer("kept description");
    // Esc on a choice: back to the description, which shows its answer; `<` goes back again.
    s.at("Categories").key("Escape");
    s.at("Description: kept description").answer("<");
    s.at("Module name: First").erase(5).answer("Second");
    s.at("Description: kept description");
    // Back from the configuration question to packaging, then on again.
    let back_from_configuration = |s: &Session| {
        s.at("Add a module configuration field?").key("Escape");
        s.at("Packaging").key("Enter");
    };
    finish_new_module(&s, back_from_configuration, true);
    assert_eq!(s.status(), 0, "{}", s.text());
    assert!(!dir.path().join("First").exists());
    let manifest = std::fs::read_to_string(dir.path().join("Second/manifest.json")).unwrap();
    assert!(
        manifest.contains("\"description\": \"kept description\""),
        "{manifest}"
    );
}

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .expect("git runs");
    assert!(out.status.success(), "git {args:?}: {out:?}");
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

#[test]
fn the_git_step_lists_flags_prefills_origin_and_pushes() {
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    let made = common::wizard()
        .current_dir(tmp.path())
        .env("HOME", &home)
        .args(["new", "--name", "TestHTTP", "--no-lock"])
        .output()
        .unwrap();
    assert!(made.status.success(), "{made:?}");
    let module = tmp.path().join("TestHTTP");
    let bare = tmp.path().join("remote.git");
    git(
        tmp.path(),
        &[
            "init",
            "--quiet",
            "--bare",
            "--initial-branch=main",
            "remote.git",
        ],
    );
    git(&module, &["init", "--quiet", "--initial-branch=main"]);
    git(&module, &["config", "user.name", "Plain Tester"]);
    git(&module, &["config", "user.email", "plain@example.com"]);
    let origin = format!("file://{}", bare.display());
    git(&module, &["remote", "add", "origin", &origin]);
    std::fs::write(
        module.join("credentials.json"),
        "{\"api_key\": \"hunter2\"}\n",
    )
    .unwrap();

    let home_env = home.to_string_lossy().into_owned();
    let env = [("HOME", home_env.as_str()), ("GIT_CONFIG_NOSYSTEM", "1")];
    let module_arg = module.to_string_lossy().into_owned();
    let Some(s) = Session::open(
        "git",
        tmp.path(),
        &["--plain", "--module", &module_arg],
        &env,
    ) else {
        return;
    };
    s.at("Add a module configuration field?").key("n");
    s.at("Add a component?").key("Down").key("Enter");
    s.at("action name").answer("Ping");
    s.at("Description").answer("");
    s.at("Add a field to the arguments?").key("n");
    s.at("Add a field to the results?").key("n");
    s.at("Add a component?").key("Enter");
    s.at("Requirement (empty to finish)").answer("");
    s.at("Write these").key("y");
    s.at("Save the answers").key("n");
    s.at("Commit and push the module now?");
    let listing = s.text();
    assert!(
        listing.contains("✗ credentials.json — secret? a credentials file"),
        "the credentials file is not flagged:\n{listing}"
    );
    assert!(
        listing.contains("+ testhttp_modules/action_ping.py"),
        "the new action is not listed:\n{listing}"
    );
    s.key("y");
    // Should the module's check fail, the step asks first.
    s.until("the push question", |t| {
        t.contains("push anyway?") || t.contains("Commit credentials.json anyway")
    });
    if s.text().contains("push anyway?") {
        s.key("y");
    }
    s.at("Commit credentials.json anyway").key("n");
    s.at(&format!("Remote URL (origin): {origin}")).answer("");
    s.at("Branch: main").answer("");
    s.at("Commit message").answer("Add the Ping action");
    s.at("Token").answer("");
    s.shows("Next: cd");
    assert_eq!(s.status(), 0, "{}", s.text());
    assert!(s.text().contains("Pushed main to"), "{}", s.text());
    assert_eq!(
        git(&bare, &["log", "-1", "--format=%s", "main"]),
        "Add the Ping action"
    );
    let files = git(&bare, &["ls-tree", "-r", "--name-only", "main"]);
    assert!(files.contains("testhttp_modules/action_ping.py"), "{files}");
    assert!(
        !files.lines().any(|f| f == ".env"),
        "the secret was pushed: {files}"
    );
}

/// An answers file's `[openapi]` is planned too (`--plain` has no spec screen of its own): the
/// module written equals what `new --answers` writes from the same file.
#[test]
fn answers_with_openapi_write_the_spec_actions() {
    let tmp = tempfile::tempdir().unwrap();
    let spec = common::root().join("tests/fixtures/openapi/petstore-swagger2.json");
    let answers = tmp.path().join("petstore.toml");
    std::fs::write(
        &answers,
        format!(
            "[module]\nname = \"Petstore\"\ndescription = \"Pets\"\nuuid = \"408ed2ef-65af-4d61-ba9a-5c26c6b7f777\"\n\n\
             [openapi]\nspec = \"{}\"\noperations = [\"getPetById\", \"getInventory\"]\n",
            spec.display()
        ),
    )
    .unwrap();
    let (wizard, replay) = (tmp.path().join("wizard"), tmp.path().join("replay"));
    std::fs::create_dir_all(&wizard).unwrap();
    std::fs::create_dir_all(&replay).unwrap();
    let answers_arg = answers.to_string_lossy().into_owned();
    let Some(s) = Session::open(
        "openapi",
        &wizard,
        &["--plain", "--answers", &answers_arg],
        &[],
    ) else {
        return;
    };
    s.at("Module name: Petstore").answer("");
    finish_new_module(&s, |_| {}, true);
    assert_eq!(s.status(), 0, "{}", s.text());
    assert!(
        wizard
            .join("Petstore/action_find_a_pet_by_id.json")
            .is_file(),
        "{:?}",
        common::files_under(&wizard)
    );
    common::run_ok(
        common::wizard()
            .current_dir(&replay)
            .args(["new", "--answers"])
            .arg(&answers)
            .arg("--no-lock"),
    );
    let lock_free = |dir: &Path| {
        let mut files = common::snapshot(dir);
        files.retain(|f, _| f != "poetry.lock");
        files
    };
    assert_eq!(
        lock_free(&wizard.join("Petstore")),
        lock_free(&replay.join("Petstore"))
    );
}
