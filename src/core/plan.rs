//! A plan is every file a command wants to write, fully rendered, before anything touches the disk.
//! Front ends show it (dry run, review screen, diff) and the workspace applies it all or nothing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// What applying a file would do compared with the disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Change {
    New,
    Changed,
    Unchanged,
}

impl Change {
    /// A one-character mark that does not rely on colour.
    pub fn mark(self) -> char {
        match self {
            Change::New => '+',
            Change::Changed => '~',
            Change::Unchanged => '=',
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedFile {
    /// Relative to the plan root, with `/` separators.
    pub path: String,
    pub contents: Vec<u8>,
    /// What is on disk now, if anything (used for the change mark and diffs).
    pub before: Option<Vec<u8>>,
}

impl PlannedFile {
    pub fn change(&self) -> Change {
        match &self.before {
            None => Change::New,
            Some(b) if *b == self.contents => Change::Unchanged,
            Some(_) => Change::Changed,
        }
    }

    pub fn text(&self) -> std::borrow::Cow<'_, str> {
        String::from_utf8_lossy(&self.contents)
    }

    /// A unified diff against what is on disk (empty when unchanged).
    pub fn diff(&self) -> String {
        let before = self
            .before
            .as_deref()
            .map(String::from_utf8_lossy)
            .unwrap_or_default();
        let after = self.text();
        if before == after {
            return String::new();
        }
        similar::TextDiff::from_lines(before.as_ref(), after.as_ref())
            .unified_diff()
            .header(&format!("a/{}", self.path), &format!("b/{}", self.path))
            .to_string()
    }
}

/// Files to write under `root`. A plan with `fresh_root` creates `root` itself (a new module).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    pub root: PathBuf,
    pub fresh_root: bool,
    files: BTreeMap<String, PlannedFile>,
}

impl Plan {
    /// A plan that creates the directory `root` (it must not exist, or be empty).
    pub fn new_tree(root: impl Into<PathBuf>) -> Self {
        Plan {
            root: root.into(),
            fresh_root: true,
            files: BTreeMap::new(),
        }
    }

    /// A plan that edits files inside the existing directory `root`.
    pub fn edit(root: impl Into<PathBuf>) -> Self {
        Plan {
            root: root.into(),
            fresh_root: false,
            files: BTreeMap::new(),
        }
    }

    /// Adds or replaces a file; `before` is read from disk for plans that edit an existing tree.
    pub fn put(&mut self, path: impl Into<String>, contents: impl Into<Vec<u8>>) {
        let path = path.into();
        let before = if self.fresh_root {
            None
        } else {
            std::fs::read(self.root.join(&path)).ok()
        };
        self.files.insert(
            path.clone(),
            PlannedFile {
                path,
                contents: contents.into(),
                before,
            },
        );
    }

    /// The contents this plan will write at `path`, if it writes it.
    pub fn get(&self, path: &str) -> Option<&PlannedFile> {
        self.files.get(path)
    }

    pub fn files(&self) -> impl Iterator<Item = &PlannedFile> {
        self.files.values()
    }

    /// The same files written into an existing `root` (for `--force`): other files there are kept.
    pub fn into_edit(self) -> Plan {
        let mut edit = Plan::edit(self.root);
        for (path, file) in self.files {
            edit.put(path, file.contents);
        }
        edit
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Drops the planned files that would replace an existing file with other contents; returns
    /// their paths. `new --force` uses it so that an existing module's files are kept.
    pub fn keep_existing(&mut self) -> Vec<String> {
        let replaced: Vec<String> = self
            .files
            .values()
            .filter(|f| f.before.is_some() && f.change() != Change::Unchanged)
            .map(|f| f.path.clone())
            .collect();
        for path in &replaced {
            self.files.remove(path);
        }
        replaced
    }

    /// Files that applying the plan would actually write.
    pub fn changes(&self) -> impl Iterator<Item = &PlannedFile> {
        self.files
            .values()
            .filter(|f| f.change() != Change::Unchanged)
    }

    pub fn absolute(&self, file: &PlannedFile) -> PathBuf {
        self.root.join(Path::new(&file.path))
    }

    /// The tree as text, one file a line with its change mark, for dry runs and summaries.
    pub fn tree(&self) -> String {
        let mut out = format!("{}/\n", self.root.display());
        for file in self.files.values() {
            out.push_str(&format!("  {} {}\n", file.change().mark(), file.path));
        }
        out
    }
}
