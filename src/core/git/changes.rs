//! Which files changed since a base revision, for `check --changes` (the library's CI checks only
//! what a branch touches).
//!
//! The answer is `git diff --name-only REF...` plus the work tree: what was committed since the
//! merge-base of REF and HEAD, plus staged, unstaged and untracked (not ignored) files. Using the
//! merge-base rather than REF itself keeps what landed on REF after the branch started out of the
//! list, so a branch behind `origin/main` is not blamed for other people's changes.

use std::path::{Path, PathBuf};

use anyhow::Result;
use git2::{DiffOptions, ErrorCode, Repository};

use crate::core::failure::Failure;

/// The files changed since `base`, for the repository containing `dir`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Changes {
    /// The repository's work tree (canonical).
    pub workdir: PathBuf,
    /// Paths relative to `workdir`, sorted, without duplicates. Deleted and renamed-away files
    /// are included (under their old path); callers skip what no longer exists.
    pub files: Vec<PathBuf>,
}

/// Files changed in the repository containing `dir` (found by walking up) since the merge-base
/// of `base` (any revision: `origin/main`, `HEAD~1`, a branch, a commit id) and HEAD, including
/// the work tree and untracked files.
pub fn changed_files(dir: &Path, base: &str) -> Result<Changes> {
    let repo = Repository::discover(dir).map_err(|_| {
        let shown = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
        Failure::with_hint(
            format!("{} is not inside a git repository", shown.display()),
            "--changes compares with git history: run it in a clone of the library",
        )
    })?;
    let Some(workdir) = repo.workdir() else {
        return Err(Failure::with_hint(
            format!("{} is a bare git repository", repo.path().display()),
            "--changes needs a work tree",
        )
        .into());
    };
    let workdir = workdir.canonicalize().unwrap_or_else(|_| workdir.into());

    let base_commit = repo
        .revparse_single(base)
        .and_then(|o| o.peel_to_commit())
        .map_err(|_| not_found(&repo, base))?;
    let head = match repo.head().and_then(|h| h.peel_to_commit()) {
        Ok(head) => Some(head),
        Err(e) if e.code() == ErrorCode::UnbornBranch => None,
        Err(e) => return Err(anyhow::anyhow!("cannot read HEAD: {}", e.message())),
    };
    // Without a common ancestor (unrelated histories, or a shallow clone that stops before it),
    // compare with REF itself, as `git diff REF` (what the library's CI runs) does.
    let since = match &head {
        Some(head) => match repo.merge_base(base_commit.id(), head.id()) {
            Ok(oid) => repo.find_commit(oid)?,
            Err(e) if e.code() == ErrorCode::NotFound => base_commit.clone(),
            Err(e) => {
                return Err(anyhow::anyhow!(
                    "cannot find the merge-base: {}",
                    e.message()
                ))
            }
        },
        None => base_commit.clone(),
    };
    let tree = since.tree()?;

    let mut options = DiffOptions::new();
    options
        .include_untracked(true)
        // Untracked directories as their files, so a new JSON file is seen as itself.
        .recurse_untracked_dirs(true)
        .ignore_submodules(true);
    // tree → index → work tree in one diff: committed, staged and unstaged changes together.
    let diff = repo.diff_tree_to_workdir_with_index(Some(&tree), Some(&mut options))?;
    let mut files = Vec::new();
    for delta in diff.deltas() {
        for path in [delta.old_file().path(), delta.new_file().path()]
            .into_iter()
            .flatten()
        {
            files.push(path.to_path_buf());
        }
    }
    files.sort();
    files.dedup();
    Ok(Changes { workdir, files })
}

fn not_found(repo: &Repository, base: &str) -> anyhow::Error {
    let message = format!("revision `{base}` not found in the repository");
    let others = "`--changes HEAD~1` or `--changes <branch>`";
    let Some((remote, branch)) = base.split_once('/') else {
        return Failure::with_hint(message, format!("compare with another revision: {others}"))
            .into();
    };
    // Most likely a remote-tracking branch that was never fetched (a shallow CI checkout), or a
    // clone whose default branch has another name (the library's clones track `develop` too).
    let default = repo
        .find_reference(&format!("refs/remotes/{remote}/HEAD"))
        .ok()
        .and_then(|r| r.symbolic_target().ok().flatten().map(str::to_string))
        .and_then(|t| t.strip_prefix("refs/remotes/").map(str::to_string))
        .filter(|t| t != base);
    let hint = match default {
        Some(default) => format!(
            "{remote}'s default branch is `{default}`: `--changes {default}`; or fetch `{base}` \
             (`git fetch {remote} {branch}`), or compare with {others}"
        ),
        None => format!(
            "fetch it (`git fetch {remote} {branch}`), or compare with another revision: {others}"
        ),
    };
    Failure::with_hint(message, hint).into()
}
