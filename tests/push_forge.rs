//! `push --create github|gitlab` against local stand-ins for the GitHub and GitLab REST APIs that
//! record every request (method, path, JSON body, Authorization header). The "created" repository
//! is a bare repository served by the local smart-HTTP git server, so the push is real too.

use crate::push_support;

use std::path::Path;
use std::process::Output;

use push_support::{
    assert_no_secret, stderr, stdout, ApiStandIn, GitHttpServer, Sandbox, HTTP_BACKEND,
};
use serde_json::json;

const TOKEN: &str = "forge-token-5678";

struct World {
    sandbox: Sandbox,
    git: GitHttpServer,
}

fn world() -> Option<World> {
    if !Path::new(HTTP_BACKEND).exists() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "{HTTP_BACKEND} is required on CI"
        );
        eprintln!("skipping: {HTTP_BACKEND} not installed");
        return None;
    }
    let sandbox = Sandbox::new();
    std::fs::create_dir_all(sandbox.path("served")).unwrap();
    let git = GitHttpServer::start(&sandbox.path("served"), TOKEN, &sandbox.home);
    Some(World { sandbox, git })
}

/// Creates the bare repository the stand-in API pretends to have created.
fn make_served_repo(served: &Path, full_name: &str) {
    let path = served.join(format!("{full_name}.git"));
    std::fs::create_dir_all(&path).unwrap();
    let status = std::process::Command::new("git")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .args(["init", "--quiet", "--bare", "--initial-branch=main"])
        .arg(&path)
        .status()
        .unwrap();
    assert!(status.success());
}

fn run(world: &World, env: (&str, &str), args: &[&str]) -> Output {
    world
        .sandbox
        .wizard()
        .env(env.0, env.1)
        .arg("push")
        .arg(&world.sandbox.module)
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn github_creates_the_repository_for_the_user_then_pushes_to_it() {
    let Some(world) = world() else { return };
    let served = world.sandbox.path("served");
    let clone_url = world.git.url("alice/TestHTTP.git");
    let api = ApiStandIn::start(move |request| {
        if request.method == "POST" && request.path == "/user/repos" {
            make_served_repo(&served, "alice/TestHTTP");
            (
                201,
                json!({"full_name": "alice/TestHTTP", "html_url": "https://github.example/alice/TestHTTP",
                       "clone_url": clone_url, "ssh_url": "git@github.example:alice/TestHTTP.git"}),
            )
        } else {
            (404, json!({"message": "Not Found"}))
        }
    });
    let out = run(
        &world,
        ("GITHUB_TOKEN", TOKEN),
        &["--create", "github", "--api-url", &api.url()],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("Created https://github.example/alice/TestHTTP"),
        "{}",
        stdout(&out)
    );

    let requests = api.requests();
    assert_eq!(requests.len(), 1, "{requests:?}");
    assert_eq!(
        (requests[0].method.as_str(), requests[0].path.as_str()),
        ("POST", "/user/repos")
    );
    assert_eq!(
        requests[0].body,
        json!({"name": "TestHTTP", "private": true, "auto_init": false, "description": "My test HTTP module"})
    );
    assert_eq!(
        requests[0].authorization.as_deref(),
        Some(format!("Bearer {TOKEN}").as_str())
    );

    // Pushed to the clone URL the API answered, with the same token, which is stored nowhere.
    let bare = world.sandbox.path("served/alice/TestHTTP.git");
    assert_eq!(
        world.sandbox.git(&bare, &["log", "--format=%s", "main"]),
        "Create the TestHTTP module"
    );
    let config = std::fs::read_to_string(world.sandbox.module.join(".git/config")).unwrap();
    assert!(
        config.contains(&format!("url = {}", world.git.url("alice/TestHTTP.git"))),
        "{config}"
    );
    assert_no_secret(
        TOKEN,
        &[
            (".git/config", &config),
            ("stdout", &stdout(&out)),
            ("stderr", &stderr(&out)),
        ],
    );
}

#[test]
fn github_creates_public_repositories_in_an_organisation() {
    let Some(world) = world() else { return };
    let served = world.sandbox.path("served");
    let clone_url = world.git.url("acme/automation-http.git");
    let api = ApiStandIn::start(move |request| {
        match (request.method.as_str(), request.path.as_str()) {
            ("GET", "/user") => (200, json!({"login": "alice"})),
            ("POST", "/orgs/acme/repos") => {
                make_served_repo(&served, "acme/automation-http");
                (
                    201,
                    json!({"full_name": "acme/automation-http", "html_url": "h", "clone_url": clone_url, "ssh_url": "s"}),
                )
            }
            _ => (404, json!({"message": "Not Found"})),
        }
    });
    let out = world
        .sandbox
        .wizard()
        .env("SEKOIA_PUSH_TOKEN", TOKEN)
        .arg("push")
        .arg(&world.sandbox.module)
        .args([
            "--create",
            "github",
            "--owner",
            "acme",
            "--name",
            "automation-http",
            "--public",
        ])
        .args([
            "--api-url",
            &format!("{}/", api.url()),
            "--token-env",
            "SEKOIA_PUSH_TOKEN",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let requests = api.requests();
    let calls: Vec<(&str, &str)> = requests
        .iter()
        .map(|r| (r.method.as_str(), r.path.as_str()))
        .collect();
    assert_eq!(calls, [("GET", "/user"), ("POST", "/orgs/acme/repos")]);
    assert_eq!(requests[1].body["private"], json!(false));
    assert_eq!(requests[1].body["name"], json!("automation-http"));
    assert!(requests
        .iter()
        .all(|r| r.authorization.as_deref() == Some(&format!("Bearer {TOKEN}"))));
    let bare = world.sandbox.path("served/acme/automation-http.git");
    assert_eq!(
        world.sandbox.git(&bare, &["rev-list", "--count", "main"]),
        "1"
    );
}

#[test]
fn an_existing_github_repository_is_reported_not_overwritten() {
    let Some(world) = world() else { return };
    let api = ApiStandIn::start(|_| {
        (
            422,
            json!({"message": "Repository creation failed.",
                   "errors": [{"resource": "Repository", "code": "custom", "field": "name",
                               "message": "name already exists on this account"}]}),
        )
    });
    let out = run(
        &world,
        ("GITHUB_TOKEN", TOKEN),
        &["--create", "github", "--api-url", &api.url()],
    );
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.starts_with("error: a GitHub repository named your account/TestHTTP already exists; it was left untouched"),
        "{err}"
    );
    assert!(
        err.contains("hint: push to it with --remote URL (without --create)"),
        "{err}"
    );
    assert_eq!(api.requests().len(), 1, "only the creation attempt");
    assert!(world.git.requests().is_empty(), "nothing was pushed");
    // The local commit is kept for the next attempt.
    assert_eq!(
        world
            .sandbox
            .git(&world.sandbox.module, &["log", "--format=%s"]),
        "Create the TestHTTP module"
    );
}

#[test]
fn a_rejected_api_token_is_named_by_origin_never_by_value() {
    let Some(world) = world() else { return };
    let api = ApiStandIn::start(|_| (401, json!({"message": "Bad credentials"})));
    let out = run(
        &world,
        ("GITHUB_TOKEN", TOKEN),
        &["--create", "github", "--api-url", &api.url()],
    );
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.starts_with("error: the GitHub API rejected the token from $GITHUB_TOKEN"),
        "{err}"
    );
    assert_no_secret(TOKEN, &[("stdout", &stdout(&out)), ("stderr", &err)]);
}

#[test]
fn creating_without_a_token_stops_before_touching_anything() {
    let Some(world) = world() else { return };
    let api = ApiStandIn::start(|_| (500, json!({})));
    let out = world
        .sandbox
        .wizard()
        .arg("push")
        .arg(&world.sandbox.module)
        .args(["--create", "gitlab", "--api-url", &api.url()])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("error: creating a GitLab repository needs an access token"),
        "{err}"
    );
    assert!(err.contains("hint: export GITLAB_TOKEN"), "{err}");
    assert!(api.requests().is_empty());
    assert!(!world.sandbox.module.join(".git").exists());
}

#[test]
fn gitlab_creates_the_project_in_the_owner_namespace_then_pushes() {
    let Some(world) = world() else { return };
    let served = world.sandbox.path("served");
    let clone_url = world.git.url("acme/automation/TestHTTP.git");
    let api = ApiStandIn::start(move |request| {
        match (request.method.as_str(), request.path.as_str()) {
            ("GET", "/api/v4/namespaces/acme%2Fautomation") => {
                (200, json!({"id": 42, "full_path": "acme/automation"}))
            }
            ("POST", "/api/v4/projects") => {
                make_served_repo(&served, "acme/automation/TestHTTP");
                (
                    201,
                    json!({"path_with_namespace": "acme/automation/TestHTTP",
                       "web_url": "https://gitlab.example/acme/automation/TestHTTP",
                       "http_url_to_repo": clone_url, "ssh_url_to_repo": "git@gitlab.example:acme/automation/TestHTTP.git"}),
                )
            }
            _ => (404, json!({"message": "404 Not Found"})),
        }
    });
    let out = run(
        &world,
        ("GITLAB_TOKEN", TOKEN),
        &[
            "--create",
            "gitlab",
            "--owner",
            "acme/automation",
            "--api-url",
            &api.url(),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let requests = api.requests();
    let calls: Vec<(&str, &str)> = requests
        .iter()
        .map(|r| (r.method.as_str(), r.path.as_str()))
        .collect();
    assert_eq!(
        calls,
        [
            ("GET", "/api/v4/namespaces/acme%2Fautomation"),
            ("POST", "/api/v4/projects")
        ]
    );
    assert_eq!(
        requests[1].body,
        json!({"name": "TestHTTP", "path": "TestHTTP", "visibility": "private", "initialize_with_readme": false,
               "namespace_id": 42, "description": "My test HTTP module"})
    );
    assert!(requests
        .iter()
        .all(|r| r.authorization.as_deref() == Some(&format!("Bearer {TOKEN}"))));
    let bare = world.sandbox.path("served/acme/automation/TestHTTP.git");
    assert_eq!(
        world.sandbox.git(&bare, &["log", "--format=%s", "main"]),
        "Create the TestHTTP module"
    );
    let config = std::fs::read_to_string(world.sandbox.module.join(".git/config")).unwrap();
    assert_no_secret(
        TOKEN,
        &[
            (".git/config", &config),
            ("stdout", &stdout(&out)),
            ("stderr", &stderr(&out)),
        ],
    );
}

#[test]
fn an_existing_gitlab_project_is_reported_not_overwritten() {
    let Some(world) = world() else { return };
    let api = ApiStandIn::start(|_| {
        (
            400,
            json!({"message": {"name": ["has already been taken"], "path": ["has already been taken"]}}),
        )
    });
    let out = run(
        &world,
        ("GITLAB_TOKEN", TOKEN),
        &[
            "--create",
            "gitlab",
            "--api-url",
            &format!("{}/api/v4", api.url()),
        ],
    );
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.starts_with("error: a GitLab repository named your namespace/TestHTTP already exists"),
        "{err}"
    );
    let requests = api.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(
        requests[0].path, "/api/v4/projects",
        "the /api/v4 root is not doubled"
    );
    assert!(world.git.requests().is_empty());
}

#[test]
fn an_unreachable_api_is_reported_with_a_hint() {
    let Some(world) = world() else { return };
    let api_url = format!("http://127.0.0.1:{}", push_support::closed_port());
    let out = run(
        &world,
        ("GITHUB_TOKEN", TOKEN),
        &["--create", "github", "--api-url", &api_url],
    );
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.starts_with(&format!(
            "error: could not reach the GitHub API at {api_url}"
        )),
        "{err}"
    );
    assert!(
        err.contains("hint: check --api-url and your network connection; nothing was created"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 2, "{err}");
}

/// Issue 12: "create on GitHub / GitLab" from the wizard's Git step (owner, visibility, API URL,
/// the typed token), then the push to the repository the API answered.
#[test]
fn the_wizard_git_step_creates_the_repository_then_pushes() {
    use crate::tui_support::existing_app_in;
    use crate::tui_support::{key, press, type_text};
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use sekoia_wizard::tui::app::Page;
    use sekoia_wizard::tui::push::GitFocus;

    let Some(world) = world() else { return };
    let served = world.sandbox.path("served");
    let clone_url = world.git.url("acme/TestHTTP.git");
    let api = ApiStandIn::start(move |request| {
        match (request.method.as_str(), request.path.as_str()) {
            ("GET", "/user") => (200, json!({"login": "alice"})),
            ("POST", "/orgs/acme/repos") => {
                make_served_repo(&served, "acme/TestHTTP");
                (
                    201,
                    json!({"full_name": "acme/TestHTTP", "html_url": "https://github.example/acme/TestHTTP",
                           "clone_url": clone_url, "ssh_url": "git@github.example:acme/TestHTTP.git"}),
                )
            }
            _ => (404, json!({"message": "Not Found"})),
        }
    });
    let dir = world.sandbox.module.clone();
    let mut app = existing_app_in(&dir);
    let _ = app.go_to(Page::Git);
    assert_eq!(app.git.focus, GitFocus::Remote);
    press(
        &mut app,
        KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT),
    );
    assert_eq!(app.git.focus, GitFocus::Create);
    key(&mut app, KeyCode::Right);
    let screen = crate::tui_support::screen(&app);
    assert!(screen.contains("create it on GitHub"), "{screen}");
    assert!(screen.contains("GitHub gives it once created"), "{screen}");
    key(&mut app, KeyCode::Tab);
    assert_eq!(app.git.focus, GitFocus::Owner);
    type_text(&mut app, "acme");
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Char(' '));
    assert!(app.git.public);
    key(&mut app, KeyCode::Tab);
    type_text(&mut app, &api.url());
    while app.git.focus != GitFocus::Token {
        key(&mut app, KeyCode::Tab);
    }
    type_text(&mut app, TOKEN);
    if app.git.ask_identity {
        key(&mut app, KeyCode::Tab);
        type_text(&mut app, "Wizard Test");
        key(&mut app, KeyCode::Tab);
        type_text(&mut app, "wizard@example.com");
    }
    for _ in 0..6 {
        if app.git.run.is_some() || app.overlay.is_some() {
            break;
        }
        key(&mut app, KeyCode::Enter);
    }
    if app.overlay.is_some() {
        // `check` fails on the stand-in module: push anyway.
        key(&mut app, KeyCode::Char('y'));
    }
    sekoia_wizard::tui::effects::wait_push(&mut app);
    assert!(app.git.succeeded(), "{:?}", app.git.run);

    let requests = api.requests();
    let created = requests
        .iter()
        .find(|r| r.method == "POST")
        .unwrap_or_else(|| panic!("no creation: {requests:?}"));
    assert_eq!(created.path, "/orgs/acme/repos");
    assert_eq!(created.body["private"], json!(false));
    assert_eq!(
        created.authorization.as_deref(),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    let bare = world.sandbox.path("served/acme/TestHTTP.git");
    assert!(!world
        .sandbox
        .git(&bare, &["log", "--format=%s", "main"])
        .is_empty());
    let config = std::fs::read_to_string(dir.join(".git/config")).unwrap();
    assert_no_secret(TOKEN, &[(".git/config", &config)]);
}
