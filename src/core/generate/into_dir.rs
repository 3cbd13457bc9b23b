//! A new module whose directory already has files: `new --force [--overwrite]` and the wizard's
//! keep / overwrite / remove choice on its first step follow these rules, so both front ends agree.
//! Writing into a module keeps its identity (the platform knows it by its uuid); `Keep` also keeps
//! every file it would change.

use std::path::Path;

use super::Generated;
use crate::core::failure::Failure;
use crate::core::model::Answers;

/// What to do with a non-empty target directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntoExisting {
    /// Write the files it lacks; keep every existing file with other contents (`--force`).
    Keep,
    /// Replace the files the module generates; keep the others (`--force --overwrite`).
    Overwrite,
    /// Empty the directory first (all but `.git`), then write the module (the wizard's "remove").
    Remove,
}

pub fn is_non_empty_dir(path: &Path) -> bool {
    std::fs::read_dir(path)
        .map(|mut d| d.next().is_some())
        .unwrap_or(false)
}

/// The uuid of the module already in `dir`, if there is one.
pub fn existing_uuid(dir: &Path) -> Option<uuid::Uuid> {
    let text = std::fs::read_to_string(dir.join("manifest.json")).ok()?;
    let value: serde_json::Value = serde_json::from_str(&text).ok()?;
    uuid::Uuid::parse_str(value.get("uuid")?.as_str()?).ok()
}

/// The plan `generate` makes (from `answers`), adjusted for a target directory that already has
/// files: its module uuid kept (unless the answers give one), the plan turned into an edit of the
/// directory, and with `Keep` the files it would change dropped. Returns the plan and the files
/// kept. A directory that is empty or absent gets the plan unchanged.
pub fn new_module_into(
    answers: &mut Answers,
    how: Option<IntoExisting>,
    generate: &mut dyn FnMut(&mut Answers) -> anyhow::Result<Generated>,
) -> anyhow::Result<(Generated, Vec<String>)> {
    let mut generated = generate(answers)?;
    let root = generated.plan.root.clone();
    if !is_non_empty_dir(&root) {
        return Ok((generated, Vec::new()));
    }
    let Some(how) = how else {
        return Err(Failure::with_hint(
            format!("{} already exists and is not empty", root.display()),
            "choose another name or output directory, or write into it (new --force; in the \
             wizard: keep, overwrite or remove)",
        )
        .into());
    };
    if how != IntoExisting::Remove {
        if let (Some(uuid), Some(module)) = (existing_uuid(&root), answers.module.as_mut()) {
            if module.uuid.is_none() {
                module.uuid = Some(uuid);
                generated = generate(answers)?;
            }
        }
    }
    generated.plan = generated.plan.into_edit();
    let kept = match how {
        IntoExisting::Keep => generated.plan.keep_existing(),
        IntoExisting::Overwrite | IntoExisting::Remove => Vec::new(),
    };
    Ok((generated, kept))
}

/// `Remove`'s first half, run just before the plan is applied: everything in `dir` but `.git`
/// goes. Refuses a directory that is not one (or a symlink to one).
pub fn empty_dir_but_git(dir: &Path) -> std::io::Result<usize> {
    let meta = std::fs::symlink_metadata(dir)?;
    if !meta.is_dir() {
        return Err(std::io::Error::other(format!(
            "{} is not a directory",
            dir.display()
        )));
    }
    let mut removed = 0;
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_name() == ".git" {
            continue;
        }
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            std::fs::remove_dir_all(&path)?;
        } else {
            std::fs::remove_file(&path)?;
        }
        removed += 1;
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emptying_keeps_git_and_refuses_a_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join(".git/objects")).unwrap();
        std::fs::create_dir_all(dir.path().join("pkg")).unwrap();
        std::fs::write(dir.path().join("pkg/a.py"), "x").unwrap();
        std::fs::write(dir.path().join("notes.txt"), "x").unwrap();
        assert_eq!(empty_dir_but_git(dir.path()).unwrap(), 2);
        let left: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(left, [".git"]);
        assert!(empty_dir_but_git(&dir.path().join(".git/objects/../../notes.txt")).is_err());
    }
}
