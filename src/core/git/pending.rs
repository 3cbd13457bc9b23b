//! Before publishing: what the commit would contain, which of those files look like secrets or
//! local junk (so a person can leave them out), the `origin` already set, and whether a remote URL
//! can be one at all. Nothing here changes the module directory.

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use anyhow::Result;
use git2::{Repository, Status, StatusOptions};
use regex::Regex;

use super::remote::origin_url;
use super::RemoteUrl;
use crate::core::failure::Failure;

/// Why a file should probably not be published.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Suspicion {
    /// `.env`, `credentials*.json`, private keys, or contents that look like a token.
    Secret(&'static str),
    /// Coverage reports, caches, virtual environments: made locally, useless to others.
    Junk(&'static str),
}

impl Suspicion {
    pub fn reason(self) -> &'static str {
        match self {
            Suspicion::Secret(why) | Suspicion::Junk(why) => why,
        }
    }
}

/// A file the next commit would add or change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingFile {
    /// Relative to the module directory, `/`-separated.
    pub path: PathBuf,
    pub suspicion: Option<Suspicion>,
}

/// The files `publish` would commit in `dir` (not ignored, new or changed), each checked for
/// secrets and junk. Without a repository yet, the module's `.gitignore` (or the one `publish`
/// would write) decides, through a throwaway repository outside the module.
pub fn pending_files(dir: &Path) -> Result<Vec<PendingFile>> {
    let scratch;
    let repo = match Repository::open(dir) {
        Ok(repo) if repo.workdir().is_some() => repo,
        _ => {
            scratch = tempfile::tempdir()?;
            let repo = Repository::init_bare(scratch.path())?;
            // No gitlink is written into the module: the scratch repository only reads it.
            repo.set_workdir(dir, false)?;
            if !dir.join(".gitignore").exists() {
                repo.add_ignore_rule(super::GITIGNORE)?;
            }
            repo
        }
    };
    let mut options = StatusOptions::new();
    options
        .include_untracked(true)
        .recurse_untracked_dirs(true)
        .include_ignored(false);
    let statuses = repo.statuses(Some(&mut options))?;
    let mut files = Vec::new();
    for entry in statuses.iter() {
        let status = entry.status();
        if status.intersects(Status::WT_DELETED | Status::INDEX_DELETED) {
            continue;
        }
        let Ok(path) = entry.path() else { continue };
        if Path::new(path).file_name().is_some_and(|n| {
            n.to_string_lossy()
                .starts_with(crate::core::workspace::TEMP_PREFIX)
        }) {
            continue;
        }
        let path = PathBuf::from(path);
        let suspicion = suspicion(&path, &dir.join(&path));
        files.push(PendingFile { path, suspicion });
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// The `origin` of the repository whose work tree is `dir`, password-free.
pub fn origin_of(dir: &Path) -> Option<String> {
    let repo = Repository::open(dir).ok()?;
    origin_url(&repo).map(|u| RemoteUrl::parse(&u).safe)
}

/// Refuses what cannot be a git remote, before anything is changed on disk.
pub fn check_remote_url(url: &str) -> Result<()> {
    let url = url.trim();
    let hint = "e.g. git@github.com:OWNER/NAME.git, https://gitlab.com/GROUP/NAME.git or \
                file:///path/to/bare.git";
    let bad = |why: &str| -> Result<()> {
        Err(Failure::with_hint(format!("`{url}` is not a git remote URL: {why}"), hint).into())
    };
    if url.is_empty() {
        return bad("it is empty");
    }
    if url.chars().any(char::is_whitespace) {
        return bad("it contains a space");
    }
    if let Some((scheme, rest)) = url.split_once("://") {
        let known = ["http", "https", "ssh", "git", "file", "git+ssh", "ssh+git"];
        if !known.contains(&scheme.to_ascii_lowercase().as_str()) {
            return bad(&format!("`{scheme}://` is not a scheme git speaks"));
        }
        let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
        if scheme != "file" && host.rsplit('@').next().unwrap_or("").is_empty() {
            return bad("it has no host");
        }
        if path.trim_matches('/').is_empty() {
            return bad("it names no repository");
        }
        return Ok(());
    }
    // scp-like `user@host:path`, or a path to a local repository.
    if let Some((host, path)) = url.split_once(':') {
        if !host.contains('/') && !host.is_empty() && !path.is_empty() {
            return Ok(());
        }
    }
    if Path::new(url).is_absolute() && Path::new(url).exists() {
        return Ok(());
    }
    bad("use scheme://host/path or user@host:path")
}

/// Names that are secrets or junk whatever they contain.
fn by_name(path: &Path) -> Option<Suspicion> {
    let name = path.file_name()?.to_string_lossy().to_ascii_lowercase();
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if name == ".env" || (name.starts_with(".env.") && !name.ends_with(".example")) {
        return Some(Suspicion::Secret(
            "an environment file, often holding secrets",
        ));
    }
    if ext == "json"
        && [
            "credentials",
            "client_secret",
            "service-account",
            "service_account",
        ]
        .iter()
        .any(|p| name.starts_with(p))
    {
        return Some(Suspicion::Secret("a credentials file"));
    }
    if ["id_rsa", "id_dsa", "id_ecdsa", "id_ed25519"].contains(&name.as_str())
        || ["pem", "key", "p12", "pfx"].contains(&ext.as_str())
    {
        return Some(Suspicion::Secret("a private key"));
    }
    let junk_dirs = [
        "htmlcov",
        ".pytest_cache",
        ".mypy_cache",
        "__pycache__",
        ".venv",
        "venv",
        ".tox",
        "dist",
        "build",
    ];
    if path
        .components()
        .any(|c| junk_dirs.contains(&c.as_os_str().to_string_lossy().as_ref()))
        || [".coverage", ".ds_store", "coverage.xml"].contains(&name.as_str())
        || ext == "pyc"
    {
        return Some(Suspicion::Junk(
            "made locally (coverage, cache or build output)",
        ));
    }
    None
}

/// Well-known token formats (GitHub, GitLab, AWS, Slack, private key blocks).
static TOKEN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"ghp_[A-Za-z0-9]{36}|gho_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{40,}",
        r"|glpat-[A-Za-z0-9_-]{20}|AKIA[0-9A-Z]{16}|xox[abprs]-[A-Za-z0-9-]{10,}",
        r"|-----BEGIN [A-Z ]*PRIVATE KEY-----"
    ))
    .expect("valid token pattern")
});

fn suspicion(relative: &Path, full: &Path) -> Option<Suspicion> {
    if let Some(s) = by_name(relative) {
        return Some(s);
    }
    // Only small text files are read: a token hides in configuration, not in a 10 MB blob.
    let meta = std::fs::metadata(full).ok()?;
    if meta.len() > 256 * 1024 {
        return None;
    }
    let text = std::fs::read_to_string(full).ok()?;
    TOKEN.is_match(&text).then_some(Suspicion::Secret(
        "its contents look like a token or private key",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_flag_secrets_and_junk() {
        let secret = |p: &str| matches!(by_name(Path::new(p)), Some(Suspicion::Secret(_)));
        let junk = |p: &str| matches!(by_name(Path::new(p)), Some(Suspicion::Junk(_)));
        assert!(secret(".env") && secret("credentials.json") && secret("credentials-prod.json"));
        assert!(secret("deploy.pem") && secret("id_ed25519") && secret(".env.local"));
        assert!(junk("htmlcov/index.html") && junk(".coverage") && junk("a/__pycache__/x.pyc"));
        assert!(by_name(Path::new("main.py")).is_none());
        assert!(by_name(Path::new(".env.example")).is_none());
    }

    #[test]
    fn remote_urls_are_checked_before_any_change() {
        for good in [
            "git@github.com:acme/x.git",
            "https://gitlab.com/g/x.git",
            "ssh://git@host:22/x.git",
            "file:///tmp/x.git",
        ] {
            assert!(check_remote_url(good).is_ok(), "{good}");
        }
        for bad in ["not a url", "", "https://", "ftp://host/x", "x"] {
            assert!(check_remote_url(bad).is_err(), "{bad}");
        }
    }
}
