//! Applies plans to the disk, all or nothing.
//!
//! A new tree is written into a temporary directory beside the target and renamed into place, so
//! an interrupted run leaves no half-written module. Edits to an existing tree are written to
//! temporary files in the same directories first; only when every one is written are they renamed
//! over the originals, and a failed rename puts back what was already replaced.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::failure::Failure;
use super::plan::{Change, Plan};

/// The name prefix of every temporary file and folder this tool writes beside a module's files.
pub const TEMP_PREFIX: &str = ".sekoia-wizard-";

/// The list of renames an edit is making, at the module root while it makes them.
const JOURNAL: &str = ".sekoia-wizard-journal.json";

fn write_journal(root: &Path, pairs: &[(String, String)]) -> Result<()> {
    let text = serde_json::to_string(pairs).expect("strings serialise");
    let tmp = root.join(format!("{TEMP_PREFIX}journal.tmp"));
    fs::write(&tmp, text).with_context(|| format!("cannot write in {}", root.display()))?;
    fs::rename(&tmp, root.join(JOURNAL))
        .with_context(|| format!("cannot write in {}", root.display()))?;
    Ok(())
}

/// Finishes what an interrupted run started: the renames its journal lists whose staged file is
/// still there, then removes every temporary file of ours. Only the holder of the module's lock
/// calls it, so no other run is writing.
pub fn recover(root: &Path) {
    if let Ok(text) = fs::read_to_string(root.join(JOURNAL)) {
        let pairs: Vec<(String, String)> = serde_json::from_str(&text).unwrap_or_default();
        for (tmp, dest) in pairs {
            let (tmp, dest) = (root.join(tmp), root.join(dest));
            if tmp.is_file() {
                let _ = fs::rename(&tmp, &dest);
            }
        }
        let _ = fs::remove_file(root.join(JOURNAL));
    }
    remove_stale_temp_files(root);
}

/// Removes the temporary files an interrupted run (kill -9, power loss) left in the module.
fn remove_stale_temp_files(root: &Path) {
    fn walk(dir: &Path, depth: usize) {
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if name.starts_with(TEMP_PREFIX) {
                if kind.is_dir() {
                    let _ = fs::remove_dir_all(entry.path());
                } else {
                    let _ = fs::remove_file(entry.path());
                }
            } else if kind.is_dir()
                && !kind.is_symlink()
                && depth < 8
                && !name.starts_with('.')
                && name != "node_modules"
            {
                walk(&entry.path(), depth + 1);
            }
        }
    }
    walk(root, 0);
}

/// What `apply` wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Applied {
    pub written: Vec<PathBuf>,
}

/// Checks that `path` stays inside the plan root: no absolute paths, no `..`.
fn safe_relative(path: &str) -> Result<&Path> {
    let p = Path::new(path);
    let ok = !path.is_empty()
        && p.components()
            .all(|c| matches!(c, std::path::Component::Normal(_)));
    if ok {
        Ok(p)
    } else {
        Err(Failure::new(format!("refusing to write outside the module: {path}")).into())
    }
}

/// Refuses to write through a symbolic link inside the module (a linked package or tests folder,
/// a dangling `.gitignore`): the write could land outside the module.
fn no_link_on_the_way(root: &Path, rel: &Path) -> Result<()> {
    let mut at = root.to_path_buf();
    for part in rel.components() {
        at.push(part);
        match fs::symlink_metadata(&at) {
            Ok(meta) if meta.file_type().is_symlink() => return Err(Failure::with_hint(
                format!(
                    "refusing to write through the symbolic link {}",
                    at.display()
                ),
                "replace the link with the folder or file it points to, then run the command again",
            )
            .into()),
            Ok(_) => {}
            // Nothing there yet: nothing below it can be a link either.
            Err(_) => break,
        }
    }
    Ok(())
}

pub fn apply(plan: &Plan) -> Result<Applied> {
    for file in plan.files() {
        let rel = safe_relative(&file.path)?;
        if !plan.fresh_root && file.change() != Change::Unchanged {
            no_link_on_the_way(&plan.root, rel)?;
        }
    }
    if plan.fresh_root {
        apply_fresh(plan)
    } else {
        apply_edits(plan)
    }
}

/// `apply` under the module's lock, for front ends that planned earlier (the wizard's review): a
/// file changed meanwhile makes `apply` refuse rather than overwrite it. Commands that read and
/// write in one go hold the lock themselves and call `apply`.
pub fn apply_locked(plan: &Plan) -> Result<Applied> {
    let _lock = if plan.fresh_root {
        None
    } else {
        Some(ModuleLock::acquire(&plan.root, |_| {})?)
    };
    apply(plan)
}

fn apply_fresh(plan: &Plan) -> Result<Applied> {
    let target = &plan.root;
    let parent = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent).with_context(|| format!("cannot create {}", parent.display()))?;
    if target.exists() {
        let empty = fs::read_dir(target)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false);
        if !empty {
            return Err(Failure::with_hint(
                format!("{} already exists and is not empty", target.display()),
                "choose another output directory or name, or pass --force to write into it",
            )
            .into());
        }
    }
    let staging = tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
        .tempdir_in(&parent)
        .with_context(|| {
            format!(
                "cannot create a temporary directory in {}",
                parent.display()
            )
        })?;
    let mut written = Vec::new();
    for file in plan.files() {
        let dest = staging.path().join(&file.path);
        if let Some(dir) = dest.parent() {
            fs::create_dir_all(dir)?;
        }
        fs::write(&dest, &file.contents)
            .with_context(|| format!("cannot write {}", dest.display()))?;
        written.push(target.join(&file.path));
    }
    if target.exists() {
        fs::remove_dir(target).with_context(|| format!("cannot replace {}", target.display()))?;
    }
    let staged = staging.keep();
    fs::rename(&staged, target).with_context(|| {
        let _ = fs::remove_dir_all(&staged);
        format!("cannot move the new module into {}", target.display())
    })?;
    Ok(Applied { written })
}

/// Temporary files become the module's files: create them as any new file is created (0666 less
/// the umask, like `new` and git), not with tempfile's private 0600.
fn new_file_builder() -> tempfile::Builder<'static, 'static> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(TEMP_PREFIX);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(fs::Permissions::from_mode(0o666));
    }
    builder
}

fn apply_edits(plan: &Plan) -> Result<Applied> {
    // A file that changed on disk since the plan read it (another run, an editor, while the
    // wizard's review was open) would be overwritten with a stale edit: refuse, write nothing.
    for file in plan.files().filter(|f| f.change() != Change::Unchanged) {
        let now = fs::read(plan.absolute(file)).ok();
        if now != file.before {
            return Err(Failure::with_hint(
                format!(
                    "{} changed on disk after the changes were planned; nothing was written",
                    file.path
                ),
                "run the command again (or go back to the review) to plan from the current files",
            )
            .into());
        }
    }
    // Stage every changed file next to its destination.
    let mut staged: Vec<(tempfile::TempPath, PathBuf, Option<Vec<u8>>)> = Vec::new();
    for file in plan.files().filter(|f| f.change() != Change::Unchanged) {
        let dest = plan.absolute(file);
        let dir = dest
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
        let mut tmp = new_file_builder()
            .tempfile_in(&dir)
            .with_context(|| format!("cannot write in {}", dir.display()))?;
        std::io::Write::write_all(&mut tmp, &file.contents)
            .with_context(|| format!("cannot write {}", dest.display()))?;
        if let Ok(meta) = fs::metadata(&dest) {
            let _ = fs::set_permissions(tmp.path(), meta.permissions());
        }
        staged.push((tmp.into_temp_path(), dest, file.before.clone()));
    }
    // Record the renames before starting them: a run killed among them is completed by the next
    // one (`recover`), so the module ends whole, never with half of the files renamed.
    let pairs: Vec<(String, String)> = staged
        .iter()
        .filter_map(|(tmp, dest, _)| {
            let tmp = tmp
                .strip_prefix(&plan.root)
                .ok()?
                .to_string_lossy()
                .into_owned();
            let dest = dest
                .strip_prefix(&plan.root)
                .ok()?
                .to_string_lossy()
                .into_owned();
            Some((tmp, dest))
        })
        .collect();
    write_journal(&plan.root, &pairs)?;
    // Then swap them in; undo on the first failure.
    let mut done: Vec<(PathBuf, Option<Vec<u8>>)> = Vec::new();
    for (tmp, dest, before) in staged {
        if let Err(err) = tmp.persist(&dest) {
            let _ = fs::remove_file(plan.root.join(JOURNAL));
            for (path, old) in done.iter().rev() {
                let _ = match old {
                    Some(bytes) => fs::write(path, bytes),
                    None => fs::remove_file(path),
                };
            }
            return Err(anyhow::Error::new(err.error).context(format!(
                "cannot replace {} (nothing was changed)",
                dest.display()
            )));
        }
        done.push((dest, before));
    }
    let _ = fs::remove_file(plan.root.join(JOURNAL));
    Ok(Applied {
        written: done.into_iter().map(|(p, _)| p).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fresh_tree_appears_whole() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("Mod");
        let mut plan = Plan::new_tree(&root);
        plan.put("a.txt", "a");
        plan.put("pkg/b.py", "b");
        apply(&plan).unwrap();
        assert_eq!(fs::read_to_string(root.join("pkg/b.py")).unwrap(), "b");
        // nothing staged is left beside it
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn refuses_non_empty_target_and_escaping_paths() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("keep"), "x").unwrap();
        let mut plan = Plan::new_tree(dir.path());
        plan.put("a.txt", "a");
        assert!(apply(&plan).is_err());
        let mut plan = Plan::edit(dir.path());
        plan.put("../evil", "a");
        assert!(apply(&plan).is_err());
        assert!(!dir.path().parent().unwrap().join("evil").exists());
    }

    #[test]
    fn edits_keep_other_files() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("keep"), "x").unwrap();
        fs::write(dir.path().join("main.py"), "old").unwrap();
        let mut plan = Plan::edit(dir.path());
        plan.put("main.py", "new");
        plan.put("pkg/new.py", "n");
        let applied = apply(&plan).unwrap();
        assert_eq!(applied.written.len(), 2);
        assert_eq!(
            fs::read_to_string(dir.path().join("main.py")).unwrap(),
            "new"
        );
        assert_eq!(fs::read_to_string(dir.path().join("keep")).unwrap(), "x");
    }
}

#[cfg(all(test, unix))]
mod permission_tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    /// Issue 15 (8): a linked folder inside the module is never written through.
    #[test]
    fn writes_never_go_through_a_symbolic_link() {
        let outside = tempfile::tempdir().unwrap();
        let dir = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(outside.path(), dir.path().join("pkg")).unwrap();
        std::os::unix::fs::symlink(
            outside.path().join("nowhere"),
            dir.path().join(".gitignore"),
        )
        .unwrap();
        for path in ["pkg/action_x.py", ".gitignore"] {
            let mut plan = Plan::edit(dir.path());
            plan.put(path, "x\n");
            let err = apply(&plan).unwrap_err().to_string();
            assert!(err.contains("symbolic link"), "{err}");
        }
        assert_eq!(fs::read_dir(outside.path()).unwrap().count(), 0);
    }

    /// Issue 15 (4): a plan made before someone else changed a file is not applied.
    #[test]
    fn a_plan_older_than_the_files_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("main.py"), "a\n").unwrap();
        let mut plan = Plan::edit(dir.path());
        plan.put("main.py", "a\nb\n");
        plan.put("new.py", "x\n");
        fs::write(dir.path().join("main.py"), "a\nc\n").unwrap();
        let err = apply(&plan).unwrap_err().to_string();
        assert!(err.contains("main.py changed on disk"), "{err}");
        assert_eq!(
            fs::read_to_string(dir.path().join("main.py")).unwrap(),
            "a\nc\n"
        );
        assert!(!dir.path().join("new.py").exists());
    }

    /// Issue 15 (12): files `add` / `sync` / `check --fix` create were 0600 (tempfile's mode);
    /// they get the umask's mode like any new file, and edited files keep theirs.
    #[test]
    fn new_files_honour_the_umask_and_edited_files_keep_their_mode() {
        let dir = tempfile::tempdir().unwrap();
        let kept = dir.path().join("kept.sh");
        fs::write(&kept, "old").unwrap();
        fs::set_permissions(&kept, fs::Permissions::from_mode(0o755)).unwrap();
        let mut plan = Plan::edit(dir.path());
        plan.put("kept.sh", "new");
        plan.put("pkg/new.py", "x = 1\n");
        apply(&plan).unwrap();
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&kept), 0o755);
        // The test process's umask is usually 022; whatever it is, the group and others may
        // read exactly when a plain new file lets them.
        let probe = dir.path().join("probe");
        fs::File::create(&probe).unwrap();
        assert_eq!(mode(&dir.path().join("pkg/new.py")), mode(&probe));
    }
}

/// An advisory lock on a module, held while a command reads it, plans and writes: two `add` runs
/// on one module at once would otherwise both read the old main.py and pyproject.toml and the
/// second would drop what the first added. The lock file lives in the temporary directory (keyed
/// by the module's path), so nothing is ever written into the module for it.
pub struct ModuleLock {
    _file: fs::File,
}

impl ModuleLock {
    /// Takes the lock, waiting for another holder; `waiting` is called once, with the holder's
    /// pid when known, before waiting.
    pub fn acquire(module: &Path, waiting: impl FnOnce(Option<u32>)) -> Result<ModuleLock> {
        use std::io::{Read, Seek, Write};
        let canonical = fs::canonicalize(module).unwrap_or_else(|_| module.to_path_buf());
        let dir = std::env::temp_dir().join("sekoia-wizard-locks");
        fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
        let key = uuid::Uuid::new_v5(
            &uuid::Uuid::NAMESPACE_URL,
            canonical.to_string_lossy().as_bytes(),
        );
        let path = dir.join(format!("{key}.lock"));
        let mut file = fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .with_context(|| format!("cannot open the lock file {}", path.display()))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) => {
                let mut holder = String::new();
                let _ = file.read_to_string(&mut holder);
                waiting(holder.trim().parse().ok());
                file.lock()
                    .with_context(|| format!("cannot lock {}", path.display()))?;
            }
            Err(fs::TryLockError::Error(e)) => {
                return Err(e).with_context(|| format!("cannot lock {}", path.display()))
            }
        }
        recover(module);
        // Say who holds it, for the next one who waits: the pid padded to a fixed width (a pid
        // has at most 7 digits), so the write replaces the last one without truncating the file.
        let _ = file.rewind();
        let _ = write!(file, "{:<10}", std::process::id());
        Ok(ModuleLock { _file: file })
    }
}
