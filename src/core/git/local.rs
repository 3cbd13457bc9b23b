//! The local half of publishing: open or create the repository, make sure a `.gitignore` exists,
//! stage every file that is not ignored and commit it with the person's identity.

use std::path::Path;

use anyhow::{Context, Result};
use git2::{Delta, IndexAddOption, Repository, RepositoryInitOptions, Signature, Tree};

use super::message::{commit_message, Change, ChangeKind};
use super::GITIGNORE;
use crate::core::failure::Failure;

/// Who commits: overrides the git configuration (the TUI asks for it when none is set).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub name: String,
    pub email: String,
}

/// A commit made by `commit_all`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitInfo {
    pub id: String,
    pub message: String,
    pub changes: Vec<Change>,
}

/// Opens the repository whose work tree is exactly `dir`, or creates one with `branch` as its
/// first branch. Returns whether it was created. A module inside someone else's work tree is
/// refused rather than committed into that bigger repository by surprise.
pub fn open_or_init(dir: &Path, branch: &str) -> Result<(Repository, bool)> {
    let dir = dir.canonicalize().map_err(|e| {
        Failure::with_hint(
            format!("cannot open {}: {e}", dir.display()),
            "check the module directory",
        )
    })?;
    if let Ok(repo) = Repository::discover(&dir) {
        let workdir = repo.workdir().and_then(|w| w.canonicalize().ok());
        if workdir.as_deref() == Some(dir.as_path()) {
            return Ok((repo, false));
        }
        if let Some(workdir) = workdir {
            return Err(Failure::with_hint(
                format!(
                    "{} is inside the git repository at {}",
                    dir.display(),
                    workdir.display()
                ),
                "push that repository with git, or move the module to its own directory",
            )
            .into());
        }
    }
    let mut options = RepositoryInitOptions::new();
    options.initial_head(branch);
    let repo = Repository::init_opts(&dir, &options)
        .with_context(|| format!("cannot create a git repository in {}", dir.display()))?;
    Ok((repo, true))
}

/// Writes the standard Python `.gitignore` when the module has none. Returns whether it wrote one.
pub fn ensure_gitignore(repo: &Repository) -> Result<bool> {
    let workdir = repo.workdir().context("the repository has no work tree")?;
    let path = workdir.join(".gitignore");
    // A link (even a dangling one, which `exists()` calls absent) is the person's: never write
    // through it, possibly out of the module.
    if path.symlink_metadata().is_ok() {
        return Ok(false);
    }
    // `create_new` so that a link made meanwhile is not followed either.
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    std::io::Write::write_all(&mut file, GITIGNORE.as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(true)
}

/// The signature for new commits: the override, else git's own rules (GIT_AUTHOR_NAME/EMAIL,
/// then `user.name` / `user.email` from the repository, global and system configuration).
pub fn signature(
    repo: &Repository,
    identity: Option<&Identity>,
) -> Result<(Signature<'static>, Signature<'static>)> {
    if let Some(identity) = identity {
        let sig = Signature::now(identity.name.trim(), identity.email.trim()).map_err(|e| {
            Failure::with_hint(
                format!("invalid git identity: {}", e.message()),
                "give a non-empty name and e-mail address",
            )
        })?;
        return Ok((sig.clone(), sig));
    }
    match (repo.author_from_env(), repo.committer_from_env()) {
        (Ok(author), Ok(committer)) => Ok((author, committer)),
        _ => Err(Failure::with_hint(
            "no git identity: user.name and user.email are not set",
            "run `git config --global user.name \"Your Name\"` and `git config --global user.email you@example.com`",
        )
        .into()),
    }
}

/// The identity git would use in `dir` (its repository or the global configuration), if any:
/// lets a front end prefill or ask for one before publishing.
pub fn configured_identity(dir: &Path) -> Option<Identity> {
    let config = match Repository::open(dir) {
        Ok(repo) => repo.config().ok()?,
        Err(_) => git2::Config::open_default().ok()?,
    };
    let name = config.get_string("user.name").ok()?;
    let email = config.get_string("user.email").ok()?;
    Some(Identity { name, email })
}

/// Stages everything that is not ignored (additions, edits and deletions) and commits it on the
/// current branch. Returns `None` when the work tree already matches the last commit.
pub fn commit_all(
    repo: &Repository,
    message: Option<&str>,
    identity: Option<&Identity>,
    exclude: &[std::path::PathBuf],
) -> Result<Option<CommitInfo>> {
    let mut index = repo.index().context("cannot read the git index")?;
    index
        .add_all(
            ["*"],
            IndexAddOption::DEFAULT,
            // Our own temporary files (left by an interrupted run) are never committed.
            Some(&mut |path: &std::path::Path, _spec: &[u8]| -> i32 {
                let ours = path.file_name().is_some_and(|n| {
                    n.to_string_lossy()
                        .starts_with(crate::core::workspace::TEMP_PREFIX)
                });
                if ours || exclude.iter().any(|e| e == path) {
                    1
                } else {
                    0
                }
            }),
        )
        .context("cannot stage the module's files")?;
    index
        .update_all(["*"], None)
        .context("cannot stage deleted files")?;
    index.write().context("cannot write the git index")?;
    let tree_id = index.write_tree().context("cannot write the git tree")?;
    let tree = repo.find_tree(tree_id)?;

    let parent = match repo.head() {
        Ok(head) => Some(
            head.peel_to_commit()
                .context("HEAD does not point to a commit")?,
        ),
        Err(e)
            if matches!(
                e.code(),
                git2::ErrorCode::UnbornBranch | git2::ErrorCode::NotFound
            ) =>
        {
            None
        }
        Err(e) => return Err(e).context("cannot read HEAD"),
    };
    if let Some(parent) = &parent {
        if parent.tree_id() == tree_id {
            return Ok(None);
        }
    } else if tree.is_empty() {
        return Err(Failure::with_hint(
            "nothing to commit: the directory has no files that git tracks",
            "create the module first (`sekoia-wizard new`)",
        )
        .into());
    }

    let old_tree = parent.as_ref().map(|c| c.tree()).transpose()?;
    let changes = changes_between(repo, old_tree.as_ref(), &tree)?;
    let message = match message {
        Some(text) if !text.trim().is_empty() => text.trim().to_string(),
        _ => commit_message(&changes, parent.is_none(), module_name(repo).as_deref()),
    };
    let (author, committer) = signature(repo, identity)?;
    let parents: Vec<&git2::Commit> = parent.iter().collect();
    let id = repo
        .commit(Some("HEAD"), &author, &committer, &message, &tree, &parents)
        .context("cannot create the commit")?;
    Ok(Some(CommitInfo {
        id: id.to_string(),
        message,
        changes,
    }))
}

fn changes_between(repo: &Repository, old: Option<&Tree>, new: &Tree) -> Result<Vec<Change>> {
    let diff = repo
        .diff_tree_to_tree(old, Some(new), None)
        .context("cannot compare with the last commit")?;
    let mut changes = Vec::new();
    for delta in diff.deltas() {
        let kind = match delta.status() {
            Delta::Added | Delta::Copied | Delta::Untracked => ChangeKind::Added,
            Delta::Deleted => ChangeKind::Removed,
            _ => ChangeKind::Updated,
        };
        let file = if kind == ChangeKind::Removed {
            delta.old_file()
        } else {
            delta.new_file()
        };
        if let Some(path) = file.path() {
            changes.push(Change {
                kind,
                path: path.to_string_lossy().replace('\\', "/"),
            });
        }
    }
    Ok(changes)
}

/// The module's display name from `manifest.json`, for the first commit's message.
fn module_name(repo: &Repository) -> Option<String> {
    let manifest = std::fs::read_to_string(repo.workdir()?.join("manifest.json")).ok()?;
    let value: serde_json::Value = serde_json::from_str(&manifest).ok()?;
    value
        .get("name")?
        .as_str()
        .map(str::to_string)
        .filter(|n| !n.trim().is_empty())
}

/// The short name of the branch HEAD points to (also when it has no commit yet).
pub fn current_branch(repo: &Repository) -> Result<String> {
    let head = repo.find_reference("HEAD").context("cannot read HEAD")?;
    let target = head.symbolic_target().ok().flatten().map(str::to_string);
    match target
        .as_deref()
        .and_then(|t| t.strip_prefix("refs/heads/"))
    {
        Some(name) => Ok(name.to_string()),
        None => Err(Failure::with_hint(
            "HEAD is detached: there is no branch to push",
            "check out a branch first (`git switch main`)",
        )
        .into()),
    }
}
