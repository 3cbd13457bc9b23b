//! Release tags. `release --tag` commits the release — manifest.json and CHANGELOG.md only, as
//! written, whatever else is changed or staged — and tags that commit `vX.Y.Z`, annotated, as
//! `npm version` does: a tag must point at the commit that has the released version. `push`
//! then sends the tags that point at what it pushes.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use git2::{IndexEntry, IndexTime, Oid, Repository};

use super::local;
use crate::core::failure::Failure;

/// The tag made by `commit_and_tag`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagInfo {
    pub name: String,
    /// The commit the tag points at.
    pub commit: String,
    /// Whether a release commit was made (false when the files were already committed).
    pub committed: bool,
}

/// The repository holding `dir`, refused clearly when there is none.
fn open(dir: &Path) -> Result<(Repository, PathBuf)> {
    let repo =
        Repository::discover(dir).map_err(|_| {
            Failure::with_hint(
            format!("{} is not in a git repository, so it cannot be tagged", dir.display()),
            "run `sekoia-wizard push` (or `git init` and commit) first, or release without --tag",
        )
        })?;
    let workdir = repo
        .workdir()
        .and_then(|w| w.canonicalize().ok())
        .context("the repository has no work tree")?;
    Ok((repo, workdir))
}

/// Says whether `tag` could be made in the repository of `dir`, before anything is written:
/// a repository with a commit, no tag of that name, and a git identity.
pub fn check_tag(dir: &Path, tag: &str) -> Result<()> {
    let (repo, _) = open(dir)?;
    if repo.head().and_then(|h| h.peel_to_commit()).is_err() {
        return Err(Failure::with_hint(
            "the repository has no commit yet, so there is nothing to tag",
            "commit the module first (`sekoia-wizard push` does), then release with --tag",
        )
        .into());
    }
    if repo.find_reference(&format!("refs/tags/{tag}")).is_ok() {
        return Err(Failure::with_hint(
            format!("the tag {tag} already exists"),
            format!("release another version, or delete the tag first (`git tag -d {tag}`)"),
        )
        .into());
    }
    local::signature(&repo, None)?;
    Ok(())
}

/// Commits `files` (paths inside `dir`) as they are on disk on top of HEAD, then makes the
/// annotated tag `tag` on that commit.
pub fn commit_and_tag(
    dir: &Path,
    files: &[&str],
    tag: &str,
    commit_message: &str,
    tag_message: &str,
) -> Result<TagInfo> {
    check_tag(dir, tag)?;
    let (repo, workdir) = open(dir)?;
    let dir = dir.canonicalize()?;
    let head = repo.head()?.peel_to_commit()?;
    // An index of HEAD's tree plus these files: the commit holds nothing else.
    let mut index = git2::Index::new()?;
    index.read_tree(&head.tree()?)?;
    let mut paths = Vec::new();
    for file in files {
        let abs = dir.join(file);
        let rel = abs
            .strip_prefix(&workdir)
            .context("the module is outside its repository's work tree")?
            .to_string_lossy()
            .replace('\\', "/");
        let id = repo
            .blob_path(&abs)
            .with_context(|| format!("cannot read {}", abs.display()))?;
        let mode = index
            .get_path(Path::new(&rel), 0)
            .map_or(0o100644, |e| e.mode);
        index.add(&entry(&rel, id, mode))?;
        paths.push(rel);
    }
    let tree_id = index.write_tree_to(&repo)?;
    let (author, committer) = local::signature(&repo, None)?;
    let (commit, committed) = if tree_id == head.tree_id() {
        (head.id(), false)
    } else {
        let tree = repo.find_tree(tree_id)?;
        let id = repo
            .commit(
                Some("HEAD"),
                &author,
                &committer,
                commit_message,
                &tree,
                &[&head],
            )
            .context("cannot commit the release")?;
        // The real index follows, so `git status` does not show these files as changed.
        let mut real = repo.index()?;
        for rel in &paths {
            real.add_path(Path::new(rel))?;
        }
        real.write()?;
        (id, true)
    };
    let target = repo.find_object(commit, None)?;
    repo.tag(tag, &target, &committer, tag_message, false)
        .with_context(|| format!("cannot create the tag {tag}"))?;
    Ok(TagInfo {
        name: tag.to_string(),
        commit: commit.to_string(),
        committed,
    })
}

fn entry(path: &str, id: Oid, mode: u32) -> IndexEntry {
    IndexEntry {
        ctime: IndexTime::new(0, 0),
        mtime: IndexTime::new(0, 0),
        dev: 0,
        ino: 0,
        mode,
        uid: 0,
        gid: 0,
        file_size: 0,
        id,
        flags: 0,
        flags_extended: 0,
        path: path.as_bytes().to_vec(),
    }
}

/// The tags (short names) that point at `commit`, sorted.
pub fn tags_at(repo: &Repository, commit: Oid) -> Vec<String> {
    let Ok(names) = repo.tag_names(None) else {
        return Vec::new();
    };
    let mut tags: Vec<String> = names
        .iter()
        .filter_map(|name| name.ok().flatten())
        .filter(|name| {
            repo.revparse_single(&format!("refs/tags/{name}"))
                .and_then(|o| o.peel_to_commit())
                .is_ok_and(|c| c.id() == commit)
        })
        .map(str::to_string)
        .collect();
    tags.sort();
    tags
}
