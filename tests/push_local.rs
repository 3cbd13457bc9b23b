//! `sekoia-wizard push` against local bare repositories (`file://`): first push, later pushes,
//! non-fast-forward refusal, and the failures that must leave the local commit intact.

use crate::push_support;

use push_support::{closed_port, stderr, stdout, Sandbox};
use sekoia_wizard::core::git::{publish, Identity, Progress, PublishOptions};

fn file_url(path: &std::path::Path) -> String {
    format!("file://{}", path.display())
}

#[test]
fn first_push_initialises_commits_and_pushes_to_a_bare_repository() {
    let sandbox = Sandbox::new();
    let bare = sandbox.path("remote.git");
    sandbox.bare_repo(&bare);

    let out = sandbox
        .wizard()
        .arg("push")
        .arg(&sandbox.module)
        .args(["--remote", &file_url(&bare)])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let printed = stdout(&out);
    assert!(
        printed.contains("Initialised a git repository (branch main)"),
        "{printed}"
    );
    assert!(printed.contains("Wrote .gitignore"), "{printed}");
    assert!(printed.contains("Create the TestHTTP module"), "{printed}");
    assert!(printed.contains("Pushed main to file://"), "{printed}");

    // The remote has the commit on main, with the module's files and without ignored ones.
    assert_eq!(
        sandbox.git(&bare, &["log", "--format=%s", "main"]),
        "Create the TestHTTP module"
    );
    assert_eq!(
        sandbox.git(&bare, &["log", "--format=%an <%ae>", "main"]),
        "Ada Tester <ada@example.com>"
    );
    let files = sandbox.git(&bare, &["ls-tree", "-r", "--name-only", "main"]);
    let files: Vec<&str> = files.lines().collect();
    assert_eq!(
        files,
        [
            ".gitignore",
            "action_request.json",
            "main.py",
            "manifest.json",
            "testhttp_modules/__init__.py"
        ]
    );
    let gitignore = std::fs::read_to_string(sandbox.module.join(".gitignore")).unwrap();
    assert_eq!(gitignore, sekoia_wizard::core::git::GITIGNORE);

    // Upstream set like `git push -u`; local and remote agree.
    assert_eq!(
        sandbox.git(&sandbox.module, &["config", "branch.main.remote"]),
        "origin"
    );
    assert_eq!(
        sandbox.git(&sandbox.module, &["config", "branch.main.merge"]),
        "refs/heads/main"
    );
    assert_eq!(
        sandbox.git(&sandbox.module, &["rev-parse", "HEAD"]),
        sandbox.git(&bare, &["rev-parse", "main"])
    );
    assert_eq!(
        sandbox.git(&sandbox.module, &["rev-parse", "origin/main"]),
        sandbox.git(&bare, &["rev-parse", "main"])
    );
}

#[test]
fn later_pushes_commit_what_changed_with_a_message_naming_it() {
    let sandbox = Sandbox::new();
    let bare = sandbox.path("remote.git");
    sandbox.bare_repo(&bare);
    let first = sandbox
        .wizard()
        .arg("push")
        .arg(&sandbox.module)
        .args(["--remote", &file_url(&bare)])
        .output()
        .unwrap();
    assert!(first.status.success(), "{}", stderr(&first));

    std::fs::write(
        sandbox.module.join("action_lookup.json"),
        "{\"name\": \"Lookup\"}\n",
    )
    .unwrap();
    std::fs::write(sandbox.module.join("main.py"), "# registered Lookup\n").unwrap();
    std::fs::remove_file(sandbox.module.join("action_request.json")).unwrap();
    // No --remote: origin from the first push is used.
    let out = sandbox
        .wizard()
        .arg("push")
        .arg(&sandbox.module)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));

    let subject = sandbox.git(&bare, &["log", "-1", "--format=%s", "main"]);
    assert_eq!(
        subject,
        "Add action_lookup.json; update main.py; remove action_request.json"
    );
    let body = sandbox.git(&bare, &["log", "-1", "--format=%b", "main"]);
    assert!(body.contains("- removed: action_request.json"), "{body}");
    assert_eq!(sandbox.git(&bare, &["rev-list", "--count", "main"]), "2");

    // Nothing changed: nothing committed, the push still succeeds.
    let again = sandbox
        .wizard()
        .arg("push")
        .arg(&sandbox.module)
        .args(["-m", "unused"])
        .output()
        .unwrap();
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(stdout(&again).contains("Nothing new to commit"));
    assert_eq!(sandbox.git(&bare, &["rev-list", "--count", "main"]), "2");
}

#[test]
fn a_non_fast_forward_push_is_refused_with_a_hint_and_never_forced() {
    let sandbox = Sandbox::new();
    let bare = sandbox.path("remote.git");
    sandbox.bare_repo(&bare);
    let first = sandbox
        .wizard()
        .arg("push")
        .arg(&sandbox.module)
        .args(["--remote", &file_url(&bare)])
        .output()
        .unwrap();
    assert!(first.status.success(), "{}", stderr(&first));

    // Someone else pushes a commit the module does not have.
    let other = sandbox.path("other");
    sandbox.git(
        sandbox.tmp.path(),
        &["clone", "--quiet", &file_url(&bare), "other"],
    );
    std::fs::write(other.join("CHANGELOG.md"), "# Changelog\n").unwrap();
    sandbox.git(&other, &["add", "."]);
    sandbox.git(&other, &["commit", "--quiet", "-m", "Their change"]);
    sandbox.git(&other, &["push", "--quiet", "origin", "main"]);
    let theirs = sandbox.git(&bare, &["rev-parse", "main"]);

    std::fs::write(sandbox.module.join("main.py"), "# my change\n").unwrap();
    let out = sandbox
        .wizard()
        .arg("push")
        .arg(&sandbox.module)
        .args(["-m", "My change"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("error: the remote branch main has commits that your branch does not have"),
        "{err}"
    );
    assert!(
        err.contains("hint: bring them in with `git pull --rebase origin main`"),
        "{err}"
    );
    assert!(err.contains("never force-pushes"), "{err}");
    assert_eq!(
        err.lines().count(),
        2,
        "one line of cause, one of hint: {err}"
    );

    // The remote kept their commit; the local commit is intact.
    assert_eq!(sandbox.git(&bare, &["rev-parse", "main"]), theirs);
    assert_eq!(
        sandbox.git(&sandbox.module, &["log", "-1", "--format=%s"]),
        "My change"
    );
    assert_eq!(sandbox.git(&sandbox.module, &["status", "--porcelain"]), "");
}

#[test]
fn an_unreachable_host_fails_clearly_and_keeps_the_commit() {
    let sandbox = Sandbox::new();
    let url = format!("http://127.0.0.1:{}/acme/TestHTTP.git", closed_port());
    let out = sandbox
        .wizard()
        .arg("push")
        .arg(&sandbox.module)
        .args(["--remote", &url])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.starts_with("error: could not reach 127.0.0.1"), "{err}");
    assert!(
        err.contains("hint: check the remote URL and your network connection"),
        "{err}"
    );
    assert_eq!(
        sandbox.git(&sandbox.module, &["log", "--format=%s"]),
        "Create the TestHTTP module"
    );
    assert_eq!(
        sandbox.git(&sandbox.module, &["remote", "get-url", "origin"]),
        url
    );
}

#[test]
fn a_missing_identity_names_the_git_config_commands() {
    let sandbox = Sandbox::new();
    let bare = sandbox.path("remote.git");
    sandbox.bare_repo(&bare);
    let out = sandbox
        .wizard()
        .env_remove("GIT_AUTHOR_NAME")
        .env_remove("GIT_AUTHOR_EMAIL")
        .env_remove("GIT_COMMITTER_NAME")
        .env_remove("GIT_COMMITTER_EMAIL")
        .arg("push")
        .arg(&sandbox.module)
        .args(["--remote", &file_url(&bare)])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("error: no git identity: user.name and user.email are not set"),
        "{err}"
    );
    assert!(err.contains("git config --global user.name"), "{err}");
    assert!(err.contains("git config --global user.email"), "{err}");
    assert!(
        !sandbox.module.join(".gitignore").exists(),
        "nothing written before the identity check"
    );
}

#[test]
fn without_a_remote_nothing_is_touched() {
    let sandbox = Sandbox::new();
    let out = sandbox
        .wizard()
        .arg("push")
        .arg(&sandbox.module)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("error: there is no remote to push to"),
        "{err}"
    );
    assert!(err.contains("hint: pass --remote URL"), "{err}");
    assert!(!sandbox.module.join(".git").exists());
    assert!(!sandbox.module.join(".gitignore").exists());
}

#[test]
fn the_core_reports_progress_and_honours_an_identity_override() {
    let sandbox = Sandbox::new();
    let bare = sandbox.path("remote.git");
    sandbox.bare_repo(&bare);
    let mut options = PublishOptions::new(&sandbox.module).remote(file_url(&bare));
    options.identity = Some(Identity {
        name: "Grace Wizard".into(),
        email: "grace@example.com".into(),
    });
    options.branch = Some("release".into());
    options.env_tokens = false;
    let mut seen = Vec::new();
    let outcome = publish(&options, &mut |progress| seen.push(progress)).expect("publish succeeds");

    assert!(outcome.initialised && outcome.wrote_gitignore);
    assert_eq!(
        (
            outcome.local_branch.as_str(),
            outcome.remote_branch.as_str()
        ),
        ("release", "release")
    );
    let commit = outcome.commit.expect("a commit was made");
    assert!(
        matches!(seen.first(), Some(Progress::Initialised { branch }) if branch == "release"),
        "{seen:?}"
    );
    assert!(seen.contains(&Progress::WroteGitignore));
    assert!(seen.contains(&Progress::Committed {
        id: commit.id.clone(),
        message: commit.message.clone()
    }));
    assert!(seen.contains(&Progress::Connecting {
        url: file_url(&bare)
    }));
    assert_eq!(
        seen.last(),
        Some(&Progress::Pushed {
            branch: "release".into()
        })
    );
    assert_eq!(
        sandbox.git(&bare, &["log", "--format=%an <%ae>", "release"]),
        "Grace Wizard <grace@example.com>"
    );
    assert_eq!(sandbox.git(&bare, &["rev-parse", "release"]), commit.id);
}

#[test]
fn the_configured_identity_is_readable_for_front_ends() {
    let sandbox = Sandbox::new();
    sandbox.git(
        &sandbox.module,
        &["init", "--quiet", "--initial-branch=main"],
    );
    assert_eq!(
        sekoia_wizard::core::git::configured_identity(&sandbox.module)
            .filter(|i| i.name == "Lin Local"),
        None
    );
    sandbox.git(&sandbox.module, &["config", "user.name", "Lin Local"]);
    sandbox.git(
        &sandbox.module,
        &["config", "user.email", "lin@example.com"],
    );
    assert_eq!(
        sekoia_wizard::core::git::configured_identity(&sandbox.module),
        Some(Identity {
            name: "Lin Local".into(),
            email: "lin@example.com".into()
        })
    );
}

/// Issue 15 (3): a server that accepts the connection and never answers. The push gives up after
/// the timeout with a clear message, and the local commit is kept.
#[test]
fn a_server_that_never_answers_times_out_and_keeps_the_commit() {
    let sandbox = Sandbox::new();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming().flatten() {
            held.push(stream); // accepted, never answered
        }
    });
    let mut child = sandbox
        .wizard()
        .arg("push")
        .arg(&sandbox.module)
        .args([
            "--remote",
            &format!("http://127.0.0.1:{port}/acme/m.git"),
            "--timeout",
            "2",
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // A guard, not a speed goal: without a timeout the push would wait forever.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    while child.try_wait().unwrap().is_none() {
        if std::time::Instant::now() > deadline {
            child.kill().unwrap();
            panic!("push still waiting after 120 s");
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let out = child.wait_with_output().unwrap();
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("no answer within 2 s"), "{err}");
    assert!(err.contains("--timeout"), "{err}");
    let log = sandbox.git(&sandbox.module, &["log", "--oneline"]);
    assert_eq!(log.lines().count(), 1, "{log}");
}

/// Issue 15 (12): an invalid branch name is refused before `git init`, so no broken `.git` is left.
#[test]
fn an_invalid_branch_is_refused_before_anything_is_written() {
    let sandbox = Sandbox::new();
    let bare = sandbox.path("remote.git");
    sandbox.bare_repo(&bare);
    for branch in ["x y", "a..b", "a:b", "x~1"] {
        let out = sandbox
            .wizard()
            .arg("push")
            .arg(&sandbox.module)
            .args(["--remote", &file_url(&bare), "--branch", branch])
            .output()
            .unwrap();
        assert!(!out.status.success(), "{branch}");
        assert!(
            stderr(&out).contains("is not a valid git branch name"),
            "{}",
            stderr(&out)
        );
        assert!(
            !sandbox.module.join(".git").exists(),
            "{branch}: .git was created"
        );
    }
}

/// Issue 15 (8): a dangling `.gitignore` link is left alone, never written through.
#[cfg(unix)]
#[test]
fn a_dangling_gitignore_link_is_not_followed() {
    let sandbox = Sandbox::new();
    let bare = sandbox.path("remote.git");
    sandbox.bare_repo(&bare);
    let outside = sandbox.path("outside-target");
    std::os::unix::fs::symlink(&outside, sandbox.module.join(".gitignore")).unwrap();
    let out = sandbox
        .wizard()
        .arg("push")
        .arg(&sandbox.module)
        .args(["--remote", &file_url(&bare)])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!outside.exists(), "wrote through the link");
}

/// Issue 15 (10): temporary files an interrupted run left are never committed.
#[test]
fn temporary_files_of_ours_are_not_committed() {
    let sandbox = Sandbox::new();
    let bare = sandbox.path("remote.git");
    sandbox.bare_repo(&bare);
    std::fs::write(sandbox.module.join(".sekoia-wizard-Ab12Cd"), "half").unwrap();
    let out = sandbox
        .wizard()
        .arg("push")
        .arg(&sandbox.module)
        .args(["--remote", &file_url(&bare)])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let files = sandbox.git(&sandbox.module, &["ls-files"]);
    assert!(!files.contains(".sekoia-wizard-"), "{files}");
    assert!(files.contains("manifest.json"), "{files}");
}
