//! `release --tag`: commits the release (manifest.json and CHANGELOG.md only) and tags it
//! `vX.Y.Z`, annotated, through git2; refuses before writing anything when it cannot tag; `push`
//! sends the tags that point at what it pushes.

use crate::push_support;

use push_support::{stderr, stdout, Sandbox};

/// The sandbox with a real module (from `new`) in place of the sample one.
fn sandbox() -> Sandbox {
    let sandbox = Sandbox::new();
    std::fs::remove_dir_all(&sandbox.module).unwrap();
    let out = sandbox
        .wizard()
        .arg("new")
        .arg(sandbox.tmp.path())
        .args(["--name", "TestHTTP", "--no-lock"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    sandbox
}

fn committed(sandbox: &Sandbox) {
    let m = &sandbox.module;
    sandbox.git(m, &["init", "--quiet", "--initial-branch=main"]);
    sandbox.git(m, &["add", "-A"]);
    sandbox.git(m, &["commit", "--quiet", "-m", "Create the module"]);
}

fn release(sandbox: &Sandbox, args: &[&str]) -> std::process::Output {
    sandbox
        .wizard()
        .current_dir(&sandbox.module)
        .args(["release", "--date", "2026-02-03"])
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn tags_the_release_commit_with_an_annotated_tag() {
    let sandbox = sandbox();
    committed(&sandbox);
    let m = &sandbox.module;
    // Work in progress stays out of the release commit.
    std::fs::write(m.join("notes.txt"), "draft\n").unwrap();

    let out = release(
        &sandbox,
        &["minor", "--tag", "--message", "Add the Request action"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let printed = stdout(&out);
    assert!(printed.contains("Committed "), "{printed}");
    assert!(printed.contains("v0.2.0 (annotated)"), "{printed}");

    assert_eq!(sandbox.git(m, &["cat-file", "-t", "v0.2.0"]), "tag");
    assert_eq!(
        sandbox.git(m, &["rev-parse", "v0.2.0^{commit}"]),
        sandbox.git(m, &["rev-parse", "HEAD"])
    );
    assert_eq!(
        sandbox.git(m, &["tag", "-l", "--format=%(contents)", "v0.2.0"]),
        "TestHTTP 0.2.0\n\nAdd the Request action"
    );
    assert_eq!(
        sandbox.git(
            m,
            &[
                "tag",
                "-l",
                "--format=%(taggername) %(taggeremail)",
                "v0.2.0"
            ]
        ),
        "Ada Tester <ada@example.com>"
    );
    assert_eq!(
        sandbox.git(m, &["log", "-1", "--format=%s"]),
        "Release TestHTTP 0.2.0"
    );
    assert_eq!(
        sandbox.git(m, &["show", "--name-only", "--format=", "HEAD"]),
        "CHANGELOG.md\nmanifest.json"
    );
    // The released files are committed as written; the draft is untouched and untracked.
    assert_eq!(sandbox.git(m, &["status", "--porcelain"]), "?? notes.txt");
    assert!(sandbox
        .git(m, &["show", "HEAD:manifest.json"])
        .contains("\"version\": \"0.2.0\""));
}

#[test]
fn refuses_before_writing_when_the_tag_exists_or_there_is_no_repository() {
    let sandbox = sandbox();
    let m = &sandbox.module;
    let manifest = std::fs::read_to_string(m.join("manifest.json")).unwrap();

    let out = release(&sandbox, &["minor", "--tag"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("is not in a git repository, so it cannot be tagged"),
        "{err}"
    );
    assert!(err.contains("hint: "), "{err}");
    assert_eq!(
        std::fs::read_to_string(m.join("manifest.json")).unwrap(),
        manifest
    );

    committed(&sandbox);
    sandbox.git(m, &["tag", "v0.2.0"]);
    let out = release(&sandbox, &["minor", "--tag"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("the tag v0.2.0 already exists"), "{err}");
    assert_eq!(
        std::fs::read_to_string(m.join("manifest.json")).unwrap(),
        manifest
    );
    assert_eq!(sandbox.git(m, &["status", "--porcelain"]), "");
}

#[test]
fn push_sends_the_release_tag() {
    let sandbox = sandbox();
    committed(&sandbox);
    let m = &sandbox.module;
    let out = release(&sandbox, &["patch", "--tag", "--message", "Fix"]);
    assert!(out.status.success(), "{}", stderr(&out));
    // A change after the release: push commits it on top, and still sends the tag.
    std::fs::write(m.join("notes.txt"), "later\n").unwrap();
    let bare = sandbox.path("remote.git");
    sandbox.bare_repo(&bare);
    let out = sandbox
        .wizard()
        .arg("push")
        .arg(m)
        .args(["--remote", &format!("file://{}", bare.display())])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("Pushing tag(s) v0.1.1"),
        "{}",
        stdout(&out)
    );
    assert_eq!(sandbox.git(&bare, &["cat-file", "-t", "v0.1.1"]), "tag");
    assert_eq!(
        sandbox.git(&bare, &["rev-parse", "v0.1.1^{commit}"]),
        sandbox.git(m, &["rev-parse", "HEAD~1"])
    );
}
