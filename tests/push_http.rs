//! `sekoia-wizard push` over smart HTTP to a `git http-backend` server on 127.0.0.1 that requires
//! basic auth: the right token pushes, a wrong one fails clearly, and no token is ever stored.

use crate::push_support;

use std::path::Path;

use push_support::{assert_no_secret, stderr, stdout, GitHttpServer, Sandbox, HTTP_BACKEND};
use sekoia_wizard::core::git::{publish, Identity, Progress, PublishOptions, Token, TokenSource};

const TOKEN: &str = "glpat-right-token-1234";
const WRONG: &str = "ghp-wrong-token-9876";

/// A sandbox, a bare `acme/TestHTTP.git` served over HTTP; `None` when git-http-backend is missing.
fn server() -> Option<(Sandbox, GitHttpServer)> {
    if !Path::new(HTTP_BACKEND).exists() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "{HTTP_BACKEND} is required on CI"
        );
        eprintln!("skipping: {HTTP_BACKEND} not installed");
        return None;
    }
    let sandbox = Sandbox::new();
    let root = sandbox.path("served");
    sandbox.bare_repo(&root.join("acme/TestHTTP.git"));
    let server = GitHttpServer::start(&root, TOKEN, &sandbox.home);
    Some((sandbox, server))
}

fn git_config(sandbox: &Sandbox) -> String {
    std::fs::read_to_string(sandbox.module.join(".git/config")).unwrap()
}

#[test]
fn the_right_token_pushes_the_commit_and_branch_and_is_not_stored() {
    let Some((sandbox, server)) = server() else {
        return;
    };
    let remote = server.url("acme/TestHTTP.git");
    let out = sandbox
        .wizard()
        .env("MY_TOKEN", TOKEN)
        .arg("push")
        .arg(&sandbox.module)
        .args(["--remote", &remote, "--token-env", "MY_TOKEN"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));

    let bare = sandbox.path("served/acme/TestHTTP.git");
    assert_eq!(
        sandbox.git(&bare, &["log", "--format=%s", "main"]),
        "Create the TestHTTP module"
    );
    assert_eq!(
        sandbox.git(&sandbox.module, &["rev-parse", "HEAD"]),
        sandbox.git(&bare, &["rev-parse", "main"])
    );
    assert_eq!(
        sandbox.git(&sandbox.module, &["config", "branch.main.remote"]),
        "origin"
    );
    // The server really asked for credentials and got the token over basic auth.
    let requests = server.requests();
    assert!(
        requests.iter().any(|r| !r.accepted),
        "first request is challenged: {requests:?}"
    );
    assert!(
        requests
            .iter()
            .any(|r| r.accepted && r.url.contains("git-receive-pack")),
        "{requests:?}"
    );

    let config = git_config(&sandbox);
    assert!(config.contains(&format!("url = {remote}")), "{config}");
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
fn a_wrong_token_fails_clearly_and_keeps_the_local_commit() {
    let Some((sandbox, server)) = server() else {
        return;
    };
    let remote = server.url("acme/TestHTTP.git");
    let out = sandbox
        .wizard()
        .env("MY_TOKEN", WRONG)
        .arg("push")
        .arg(&sandbox.module)
        .args(["--remote", &remote, "--token-env", "MY_TOKEN"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.starts_with("error: 127.0.0.1 rejected the credentials (the token from $MY_TOKEN)"),
        "{err}"
    );
    assert!(
        err.contains("hint: pass a token that may push to this repository with --token-env VAR"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 2, "{err}");
    // Offered once, not retried in a loop.
    let offered = server
        .requests()
        .iter()
        .filter(|r| r.authorization.is_some())
        .count();
    assert_eq!(offered, 1, "{:?}", server.requests());

    assert_eq!(
        sandbox.git(&sandbox.module, &["log", "--format=%s"]),
        "Create the TestHTTP module"
    );
    assert_eq!(sandbox.git(&sandbox.module, &["status", "--porcelain"]), "");
    let bare = sandbox.path("served/acme/TestHTTP.git");
    assert_eq!(
        sandbox.git(&bare, &["for-each-ref"]),
        "",
        "nothing reached the server"
    );
    assert_no_secret(
        WRONG,
        &[
            (".git/config", &git_config(&sandbox)),
            ("stdout", &stdout(&out)),
            ("stderr", &err),
        ],
    );
}

#[test]
fn a_token_in_the_remote_url_is_used_but_never_stored() {
    let Some((sandbox, server)) = server() else {
        return;
    };
    let remote = format!(
        "http://x:{TOKEN}@127.0.0.1:{}/acme/TestHTTP.git",
        server.port
    );
    let out = sandbox
        .wizard()
        .arg("push")
        .arg(&sandbox.module)
        .args(["--remote", &remote])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let config = git_config(&sandbox);
    assert!(
        config.contains(&format!(
            "url = http://x@127.0.0.1:{}/acme/TestHTTP.git",
            server.port
        )),
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

/// Issue 15 (1): the usual PAT form, the token as the URL's user name, pushes with the token and
/// stores and prints only the bare URL.
#[test]
fn a_token_as_the_url_user_name_is_used_but_never_stored() {
    let Some((sandbox, server)) = server() else {
        return;
    };
    let remote = format!("http://{TOKEN}@127.0.0.1:{}/acme/TestHTTP.git", server.port);
    let out = sandbox
        .wizard()
        .arg("push")
        .arg(&sandbox.module)
        .args(["--remote", &remote])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let config = git_config(&sandbox);
    assert!(
        config.contains(&format!(
            "url = http://127.0.0.1:{}/acme/TestHTTP.git",
            server.port
        )),
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
fn an_ambient_github_token_is_never_sent_to_another_host() {
    let Some((sandbox, server)) = server() else {
        return;
    };
    let out = sandbox
        .wizard()
        .env("GITHUB_TOKEN", TOKEN)
        .arg("push")
        .arg(&sandbox.module)
        .args(["--remote", &server.url("acme/TestHTTP.git")])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("127.0.0.1 asked for credentials and none were found"),
        "{err}"
    );
    assert!(
        server.requests().iter().all(|r| r.authorization.is_none()),
        "{:?}",
        server.requests()
    );
}

#[test]
fn the_core_reports_object_progress_over_http() {
    let Some((sandbox, server)) = server() else {
        return;
    };
    let mut options = PublishOptions::new(&sandbox.module).remote(server.url("acme/TestHTTP.git"));
    options.identity = Some(Identity {
        name: "Grace Wizard".into(),
        email: "grace@example.com".into(),
    });
    options.token = Some(Token::new(
        TOKEN,
        TokenSource::Explicit("the TUI prompt".into()),
    ));
    options.env_tokens = false;
    let mut seen = Vec::new();
    publish(&options, &mut |progress| seen.push(progress)).expect("publish succeeds");
    let last_count = seen.iter().rev().find_map(|p| match p {
        Progress::Pushing { current, total, .. } => Some((*current, *total)),
        _ => None,
    });
    let (current, total) = last_count.expect("object progress reported");
    assert!(total >= 5 && current == total, "{seen:?}");
    let bare = sandbox.path("served/acme/TestHTTP.git");
    assert_eq!(
        sandbox.git(&bare, &["log", "--format=%an", "main"]),
        "Grace Wizard"
    );
}

#[test]
fn git_credential_helpers_are_used_for_https_remotes() {
    let Some((sandbox, server)) = server() else {
        return;
    };
    // A helper in the (sandboxed) global configuration, as `gh auth setup-git` or GCM would add.
    let helper = format!("!f() {{ echo username=x-access-token; echo password={TOKEN}; }}; f");
    sandbox.git(
        &sandbox.home,
        &["config", "--global", "credential.helper", &helper],
    );
    let out = sandbox
        .wizard()
        .arg("push")
        .arg(&sandbox.module)
        .args(["--remote", &server.url("acme/TestHTTP.git")])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let bare = sandbox.path("served/acme/TestHTTP.git");
    assert_eq!(sandbox.git(&bare, &["rev-list", "--count", "main"]), "1");
    assert_no_secret(
        TOKEN,
        &[
            (".git/config", &git_config(&sandbox)),
            ("stdout", &stdout(&out)),
        ],
    );
}

#[test]
fn a_missing_remote_repository_is_named_with_a_hint() {
    let Some((sandbox, server)) = server() else {
        return;
    };
    let remote = server.url("acme/Missing.git");
    let out = sandbox
        .wizard()
        .env("MY_TOKEN", TOKEN)
        .arg("push")
        .arg(&sandbox.module)
        .args(["--remote", &remote, "--token-env", "MY_TOKEN"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.starts_with(&format!("error: there is no repository at {remote}")),
        "{err}"
    );
    assert!(
        err.contains("hint: create it first (--create github|gitlab)"),
        "{err}"
    );
    assert_eq!(
        sandbox.git(&sandbox.module, &["log", "--format=%s"]),
        "Create the TestHTTP module"
    );
}

#[test]
fn a_branch_refused_by_the_server_is_reported_and_the_commit_kept() {
    let Some((sandbox, server)) = server() else {
        return;
    };
    let hook = sandbox.path("served/acme/TestHTTP.git/hooks/pre-receive");
    std::fs::write(&hook, "#!/bin/sh\necho 'protected branch' >&2\nexit 1\n").unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755)).unwrap();
    let out = sandbox
        .wizard()
        .env("MY_TOKEN", TOKEN)
        .arg("push")
        .arg(&sandbox.module)
        .args([
            "--remote",
            &server.url("acme/TestHTTP.git"),
            "--token-env",
            "MY_TOKEN",
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.starts_with("error: the remote refused to update main: pre-receive hook declined"),
        "{err}"
    );
    assert!(
        err.contains("hint: check the branch protection rules"),
        "{err}"
    );
    let bare = sandbox.path("served/acme/TestHTTP.git");
    assert_eq!(sandbox.git(&bare, &["for-each-ref"]), "");
    assert_eq!(
        sandbox.git(&sandbox.module, &["log", "--format=%s"]),
        "Create the TestHTTP module"
    );
}
