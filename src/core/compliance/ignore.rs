//! `.complianceignore` at the library root: one path a line, relative to the root; `#` lines and
//! empty lines are skipped. Findings about exactly those files are neither printed nor counted.

use std::path::{Component, Path, PathBuf};

#[derive(Debug, Clone, Default)]
pub struct Ignore {
    paths: Vec<PathBuf>,
}

/// `pathlib` equality, made independent of how the module was named on the command line
/// (`Sekoia.io`, `./Sekoia.io`, an absolute path): absolute, without `.` and with `..` resolved.
fn normalize(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut out = PathBuf::new();
    for c in absolute.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

impl Ignore {
    pub fn load(root: &Path) -> Ignore {
        let Ok(text) = std::fs::read_to_string(root.join(".complianceignore")) else {
            return Ignore::default();
        };
        let paths = text
            .split('\n')
            .filter(|l| !l.starts_with('#') && !l.is_empty())
            .map(|l| normalize(&root.join(l)))
            .collect();
        Ignore { paths }
    }

    pub fn is_ignored(&self, path: &Path) -> bool {
        !self.paths.is_empty() && self.paths.contains(&normalize(path))
    }
}
