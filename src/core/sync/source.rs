//! The files sync reads: the module directory on disk, with in-memory files laid over it. `add`
//! uses the overlay to learn what sync would generate for component files it has not written yet.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A module directory plus in-memory overrides (relative paths with `/` separators).
#[derive(Debug, Clone)]
pub struct SourceTree {
    root: PathBuf,
    overlay: BTreeMap<String, Vec<u8>>,
}

impl SourceTree {
    pub fn from_disk(root: impl Into<PathBuf>) -> Self {
        SourceTree {
            root: root.into(),
            overlay: BTreeMap::new(),
        }
    }

    /// Replaces (or adds) `rel_path` with `contents` for every read through this tree.
    pub fn overlay(
        &mut self,
        rel_path: impl Into<String>,
        contents: impl Into<Vec<u8>>,
    ) -> &mut Self {
        self.overlay
            .insert(normalize(&rel_path.into()), contents.into());
        self
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn read(&self, rel_path: &str) -> Option<Vec<u8>> {
        let rel = normalize(rel_path);
        if let Some(bytes) = self.overlay.get(&rel) {
            return Some(bytes.clone());
        }
        std::fs::read(self.root.join(&rel)).ok()
    }

    pub fn read_string(&self, rel_path: &str) -> Option<String> {
        self.read(rel_path)
            .map(|b| String::from_utf8_lossy(&b).into_owned())
    }

    pub fn is_file(&self, rel_path: &str) -> bool {
        let rel = normalize(rel_path);
        self.overlay.contains_key(&rel) || self.root.join(&rel).is_file()
    }

    /// The entries of directory `rel_dir` ("" for the root): `(name, is_dir)`, directories first, each sorted,
    /// merging the disk with the overlay.
    pub fn list_dir(&self, rel_dir: &str) -> Vec<(String, bool)> {
        let rel_dir = normalize(rel_dir);
        let mut files = BTreeSet::new();
        let mut dirs = BTreeSet::new();
        let dir = if rel_dir.is_empty() {
            self.root.clone()
        } else {
            self.root.join(&rel_dir)
        };
        if let Ok(entries) = std::fs::read_dir(&dir) {
            for entry in entries.flatten() {
                let Ok(name) = entry.file_name().into_string() else {
                    continue;
                };
                // Symlinked directories are not followed (a `.venv` link must not be walked).
                match entry.file_type() {
                    Ok(t) if t.is_dir() => {
                        dirs.insert(name);
                    }
                    Ok(t) if (t.is_file() || t.is_symlink()) && entry.path().is_file() => {
                        files.insert(name);
                    }
                    _ => {}
                }
            }
        }
        let prefix = if rel_dir.is_empty() {
            String::new()
        } else {
            format!("{rel_dir}/")
        };
        for path in self.overlay.keys() {
            if let Some(rest) = path.strip_prefix(&prefix) {
                match rest.split_once('/') {
                    Some((d, _)) => {
                        dirs.insert(d.to_string());
                    }
                    None => {
                        files.insert(rest.to_string());
                    }
                }
            }
        }
        let mut out: Vec<(String, bool)> = dirs.into_iter().map(|d| (d, true)).collect();
        out.extend(files.into_iter().map(|f| (f, false)));
        out
    }
}

fn normalize(rel: &str) -> String {
    rel.replace('\\', "/")
        .trim_start_matches("./")
        .trim_matches('/')
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlay_wins_and_adds_entries() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.py"), "disk").unwrap();
        let mut tree = SourceTree::from_disk(dir.path());
        tree.overlay("a.py", "mem").overlay("pkg/b.py", "new");
        assert_eq!(tree.read_string("a.py").unwrap(), "mem");
        assert_eq!(tree.read_string("./pkg/b.py").unwrap(), "new");
        assert_eq!(
            tree.list_dir(""),
            vec![("pkg".to_string(), true), ("a.py".to_string(), false)]
        );
        assert_eq!(tree.list_dir("pkg"), vec![("b.py".to_string(), false)]);
    }
}
