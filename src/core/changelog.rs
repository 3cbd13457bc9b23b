//! Keep-a-Changelog files as the automation-library reads them, shared by `check` and `release`.
//!
//! Headings are found exactly like the library's checker finds them (a python-kacl-style regex
//! `(\n#{n}|^#{n})\s+?(.*)\n` without MULTILINE, run with `re.finditer`), so what `release` writes is
//! what `check` accepts. Consequences kept on purpose: `^` is only the start of the text, a heading
//! needs a newline after it, and a heading right after another heading line is not seen (the first
//! match ate the newline the second one needs).

use std::cmp::Ordering;

use regex::Regex;
use std::sync::LazyLock;

/// One heading and the text under it, as byte offsets into the changelog text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Element {
    /// Start of the match: the `\n` before the `#`s, or 0 for a heading on the first line.
    pub start: usize,
    /// Just after the heading line's `\n` (where the body starts).
    pub end: usize,
    /// The heading text, stripped.
    pub title: String,
    /// Where the body stops: the start of the next heading of the end depth, or the end of text.
    pub body_end: usize,
}

impl Element {
    pub fn body<'a>(&self, text: &'a str) -> &'a str {
        &text[self.end..self.body_end]
    }

    /// Offset of the first `#` of the heading line.
    pub fn line_start(&self, text: &str) -> usize {
        if text.as_bytes().get(self.start) == Some(&b'\n') {
            self.start + 1
        } else {
            self.start
        }
    }
}

/// Python's `str.isspace` (also what `\s` matches in a `str` pattern).
pub fn is_py_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// Python's `str.strip()`.
pub fn py_strip(s: &str) -> &str {
    s.trim_matches(is_py_space)
}

/// Tries `(\n#{depth}|^#{depth})\s+?(.*)\n` at byte offset `p` of `text` (`^` = offset 0 of `text`).
/// Returns (end of match, group 2).
fn heading_at(text: &str, p: usize, depth: usize, caret: bool) -> Option<(usize, &str)> {
    let bytes = text.as_bytes();
    let mut q = p;
    if bytes.get(q) == Some(&b'\n') {
        q += 1;
    } else if p != 0 || !caret {
        return None;
    }
    for _ in 0..depth {
        if bytes.get(q) != Some(&b'#') {
            return None;
        }
        q += 1;
    }
    // `\s+?` then greedy `.*` then `\n`: it matches as soon as one whitespace character is followed,
    // somewhere later, by a newline; `.*` then runs to the first newline after that character.
    let ws = text[q..].chars().next().filter(|c| is_py_space(*c))?;
    let after_ws = q + ws.len_utf8();
    let newline = text[after_ws..].find('\n')? + after_ws;
    Some((newline + 1, &text[after_ws..newline]))
}

/// `re.search` of the heading regex in `text` (positions relative to `text`); `caret` says whether
/// offset 0 of `text` is the start of the searched string (where `^` matches).
fn search(text: &str, depth: usize, caret: bool) -> Option<(usize, usize, &str)> {
    let mut p = 0;
    while p < text.len() {
        if let Some((end, title)) = heading_at(text, p, depth, caret) {
            return Some((p, end, title));
        }
        // only offset 0 and newlines can start a match; step over the whole character at `p`
        // (a BOM or any non-ASCII first character is several bytes)
        let next = p + text[p..].chars().next().map_or(1, char::len_utf8);
        p = match text[next..].find('\n') {
            Some(i) => next + i,
            None => break,
        };
    }
    None
}

/// `parse_changelog_header(text, start_depth, end_depth)`: every heading of `start_depth` found by
/// `re.finditer`, each with its body up to the next heading of `end_depth`.
pub fn elements(text: &str, start_depth: usize, end_depth: usize) -> Vec<Element> {
    let mut out = Vec::new();
    let mut pos = 0;
    while pos < text.len() {
        let Some((s, e, title)) =
            search(&text[pos..], start_depth, pos == 0).map(|(s, e, t)| (pos + s, pos + e, t))
        else {
            break;
        };
        // The end search runs on the slice after the heading, where `^` matches at its start.
        let body_end = match search(&text[e..], end_depth, true) {
            Some((ns, _, _)) => e + ns,
            None => text.len(),
        };
        out.push(Element {
            start: s,
            end: e,
            title: py_strip(title).to_string(),
            body_end,
        });
        pos = e;
    }
    out
}

/// The parsed changelog: top-level headings and version headings.
#[derive(Debug, Clone)]
pub struct Changelog {
    pub headers: Vec<Element>,
    pub versions: Vec<Element>,
}

/// Reads text the way Python's `open(path, "rt")` does: universal newlines.
pub fn normalize_newlines(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\r', "\n")
}

pub fn parse(text: &str) -> Changelog {
    Changelog {
        headers: elements(text, 1, 2),
        versions: elements(text, 2, 2),
    }
}

/// The checker's semver regex (semver.org's, unanchored).
const SEMVER: &str = r"(?P<major>0|[1-9]\d*)\.(?P<minor>0|[1-9]\d*)\.(?P<patch>0|[1-9]\d*)(?:-(?P<prerelease>(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+(?P<buildmetadata>[0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?";

static SEMVER_SEARCH: LazyLock<Regex> = LazyLock::new(|| Regex::new(SEMVER).expect("valid regex"));
/// python-semver 3's `Version.parse` pattern: anchored, and Python's `$` also accepts one final `\n`.
static SEMVER_FULL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"\A(?:{SEMVER})\n?\z")).expect("valid regex"));

/// What a version heading names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Label {
    Version(String),
    Unreleased,
    Invalid,
}

/// `get_version_from_element`: the first semver found anywhere in the title, else `Unreleased`.
pub fn label(title: &str) -> Label {
    if let Some(m) = SEMVER_SEARCH.find(title) {
        Label::Version(py_strip(m.as_str()).to_string())
    } else if title.to_lowercase().contains("unreleased") {
        Label::Unreleased
    } else {
        Label::Invalid
    }
}

/// python-semver 3 `Version.is_valid` (strict `MAJOR.MINOR.PATCH[-pre][+build]`).
pub fn is_semver(s: &str) -> bool {
    SEMVER_FULL.is_match(s)
}

/// A parsed semantic version, compared like python-semver 3 (`Version.compare`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SemVer {
    pub major: u64,
    pub minor: u64,
    pub patch: u64,
    pub prerelease: Option<String>,
    pub build: Option<String>,
}

impl SemVer {
    pub fn parse(s: &str) -> Option<SemVer> {
        let caps = SEMVER_FULL.captures(s)?;
        let num = |name: &str| caps.name(name).and_then(|m| m.as_str().parse::<u64>().ok());
        Some(SemVer {
            major: num("major")?,
            minor: num("minor")?,
            patch: num("patch")?,
            prerelease: caps.name("prerelease").map(|m| m.as_str().to_string()),
            build: caps.name("buildmetadata").map(|m| m.as_str().to_string()),
        })
    }

    /// python-semver's `compare`: build metadata is ignored; a pre-release sorts before its release.
    pub fn compare(&self, other: &SemVer) -> Ordering {
        let base =
            (self.major, self.minor, self.patch).cmp(&(other.major, other.minor, other.patch));
        if base != Ordering::Equal {
            return base;
        }
        let a = self.prerelease.as_deref().unwrap_or("");
        let b = other.prerelease.as_deref().unwrap_or("");
        let natural = nat_cmp(a, b);
        if natural == Ordering::Equal {
            return Ordering::Equal;
        }
        if a.is_empty() {
            return Ordering::Greater;
        }
        if b.is_empty() {
            return Ordering::Less;
        }
        natural
    }

    /// The next version for a `major`/`minor`/`patch` bump (python-semver's `bump_*`: the
    /// pre-release and build parts are dropped).
    /// `None` when the part is already the largest number (it would wrap round).
    pub fn bump(&self, part: BumpPart) -> Option<SemVer> {
        let (major, minor, patch) = match part {
            BumpPart::Major => (self.major.checked_add(1)?, 0, 0),
            BumpPart::Minor => (self.major, self.minor.checked_add(1)?, 0),
            BumpPart::Patch => (self.major, self.minor, self.patch.checked_add(1)?),
        };
        Some(SemVer {
            major,
            minor,
            patch,
            prerelease: None,
            build: None,
        })
    }
}

impl std::fmt::Display for SemVer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)?;
        if let Some(pre) = &self.prerelease {
            write!(f, "-{pre}")?;
        }
        if let Some(build) = &self.build {
            write!(f, "+{build}")?;
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BumpPart {
    Major,
    Minor,
    Patch,
}

/// python-semver's `_nat_cmp` on pre-release strings, including its quirk of ending on the
/// comparison of the whole strings' lengths.
fn nat_cmp(a: &str, b: &str) -> Ordering {
    enum Part<'a> {
        Num(u128),
        Text(&'a str),
    }
    fn split(s: &str) -> Vec<Part<'_>> {
        s.split('.')
            .map(|c| {
                if !c.is_empty() && c.bytes().all(|b| b.is_ascii_digit()) {
                    Part::Num(c.parse().unwrap_or(u128::MAX))
                } else {
                    Part::Text(c)
                }
            })
            .collect()
    }
    for (x, y) in split(a).iter().zip(split(b).iter()) {
        let ord = match (x, y) {
            (Part::Num(p), Part::Num(q)) => p.cmp(q),
            (Part::Num(_), Part::Text(_)) => Ordering::Less,
            (Part::Text(_), Part::Num(_)) => Ordering::Greater,
            (Part::Text(p), Part::Text(q)) => p.cmp(q),
        };
        if ord != Ordering::Equal {
            return ord;
        }
    }
    a.chars().count().cmp(&b.chars().count())
}

/// The newest released version: the first version heading that names a valid semver.
pub fn newest_release(text: &str) -> Option<String> {
    parse(text)
        .versions
        .iter()
        .find_map(|v| match label(&v.title) {
            Label::Version(v) => Some(v),
            _ => None,
        })
}

/// The header every library changelog starts with (used when a module has none).
pub const STANDARD_HEADER: &str = "# Changelog\n\nAll notable changes to this project will be documented in this file.\n\n\
The format is based on [Keep a Changelog](https://keepachangelog.com/en/1.0.0/),\n\
and this project adheres to [Semantic Versioning](https://semver.org/spec/v2.0.0.html).\n\n## Unreleased\n";

/// Section order of Keep a Changelog (where a new `### Changed` goes among existing sections).
const SECTION_ORDER: [&str; 6] = [
    "Added",
    "Changed",
    "Deprecated",
    "Removed",
    "Fixed",
    "Security",
];

/// Dates the `## Unreleased` entries as `## {date} - {version}`, adds `message` under `### Changed`,
/// and leaves a fresh `## Unreleased` above. Every byte outside the edited spots is kept.
pub fn release(text: &str, version: &str, date: &str, message: Option<&str>) -> String {
    let mut text = text.to_string();
    if !text.is_empty() && !text.ends_with('\n') {
        // a final heading without newline is invisible to the checker; give it one
        text.push('\n');
    }
    let log = parse(&text);
    let unreleased = log
        .versions
        .iter()
        .find(|v| label(&v.title) == Label::Unreleased);
    let heading = format!("## {date} - {version}\n");
    match unreleased {
        Some(u) => {
            let body = add_message(u.body(&text), message);
            format!("{}\n{heading}{body}{}", &text[..u.end], &text[u.body_end..])
        }
        None => {
            // No Unreleased heading: put a fresh one and the new entry above the first version.
            let body = add_message("", message);
            let block = format!("## Unreleased\n\n{heading}{body}");
            match log.versions.first() {
                Some(first) => {
                    let at = first.line_start(&text);
                    format!("{}{block}\n{}", &text[..at], &text[at..])
                }
                None => {
                    let sep = if text.ends_with("\n\n") || text.is_empty() {
                        ""
                    } else {
                        "\n"
                    };
                    format!("{text}{sep}{block}")
                }
            }
        }
    }
}

/// Adds `- message` to the `### Changed` section of a version body, creating the section at its
/// Keep-a-Changelog place when missing.
fn add_message(body: &str, message: Option<&str>) -> String {
    let Some(message) = message.map(str::trim).filter(|m| !m.is_empty()) else {
        return body.to_string();
    };
    // The notes are one list item: later lines are indented under it, and a line that would read as
    // a heading (`## 2020-01-01 - 9.9.9`) is escaped, so a message cannot add a version entry.
    let mut lines = message.lines().map(|l| {
        if l.trim_start().starts_with('#') {
            format!("\\{}", l.trim_start())
        } else {
            l.to_string()
        }
    });
    let first = lines.next().unwrap_or_default();
    let first = first
        .strip_prefix("- ")
        .map(str::to_string)
        .unwrap_or(first);
    let mut bullet = format!("- {first}\n");
    for line in lines {
        if line.trim().is_empty() {
            bullet.push('\n');
        } else {
            bullet.push_str(&format!("  {}\n", line.trim_start()));
        }
    }
    let sections = elements(body, 3, 3);
    if let Some(changed) = sections.iter().find(|s| s.title == "Changed") {
        let content = &body[changed.end..changed.body_end];
        let insert_at = match content.rfind(|c: char| !is_py_space(c)) {
            Some(i) => {
                let line_end = content[i..]
                    .find('\n')
                    .map(|n| i + n + 1)
                    .unwrap_or(content.len());
                changed.end + line_end
            }
            None => changed.end,
        };
        let lead = if insert_at == changed.end { "\n" } else { "" };
        let tail = if insert_at == body.len() && !body[..insert_at].ends_with('\n') {
            "\n"
        } else {
            ""
        };
        return format!(
            "{}{tail}{lead}{bullet}{}",
            &body[..insert_at],
            &body[insert_at..]
        );
    }
    let rank = |t: &str| SECTION_ORDER.iter().position(|s| *s == t);
    let changed_rank = rank("Changed");
    let next = sections.iter().find(|s| rank(&s.title) > changed_rank);
    let block = format!("\n### Changed\n\n{bullet}");
    match next {
        Some(s) => format!("{}{block}{}", &body[..s.start], &body[s.start..]),
        None => {
            let trimmed = body.trim_end_matches('\n');
            let rest = &body[trimmed.len()..];
            let keep = if trimmed.is_empty() { "" } else { "\n" };
            let extra = if rest.len() > 1 { &rest[1..] } else { "" };
            format!("{trimmed}{keep}{block}{extra}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOG: &str = "# Changelog\n\nAll notable changes to this project will be documented in this file.\n\n\
The format is based on [Keep a Changelog](https://keepachangelog.com/en/1.0.0/),\n\
and this project adheres to [Semantic Versioning](https://semver.org/spec/v2.0.0.html).\n\n## Unreleased\n\n\
### Added\n\n- New action\n\n## 2024-05-28 - 1.21.0\n\n### Changed\n\n- Upgrade sekoia-automation-sdk\n";

    #[test]
    fn finds_headings_like_finditer() {
        let log = parse(LOG);
        assert_eq!(log.headers.len(), 1);
        assert_eq!(log.headers[0].title, "Changelog");
        let titles: Vec<_> = log.versions.iter().map(|v| v.title.as_str()).collect();
        assert_eq!(titles, ["Unreleased", "2024-05-28 - 1.21.0"]);
        assert_eq!(log.versions[0].body(LOG), "\n### Added\n\n- New action\n");
        // a heading right after a heading line is invisible, a final one without newline too
        assert_eq!(parse("## a\n## b\n").versions.len(), 1);
        assert_eq!(parse("## a\n\n## b").versions.len(), 1);
        assert_eq!(parse("##\nfoo\n").versions[0].title, "foo");
        assert!(parse("###  x\n").versions.is_empty());
    }

    #[test]
    fn labels_and_ordering() {
        assert_eq!(
            label("2024-05-28 - 1.21.0"),
            Label::Version("1.21.0".into())
        );
        assert_eq!(label("[Unreleased]"), Label::Unreleased);
        assert_eq!(label("1.0 - 2024-01-01"), Label::Invalid);
        let v = |s: &str| SemVer::parse(s).unwrap();
        assert_eq!(v("1.0.0").compare(&v("1.0.0-rc.1")), Ordering::Greater);
        assert_eq!(v("1.0.0-rc.2").compare(&v("1.0.0-rc.10")), Ordering::Less);
        assert_eq!(v("1.0.0+a").compare(&v("1.0.0+b")), Ordering::Equal);
        assert!(is_semver("1.0.0\n") && !is_semver("1.0") && !is_semver("01.0.0"));
    }

    #[test]
    fn release_dates_unreleased_and_keeps_the_rest() {
        let out = release(LOG, "1.22.0", "2024-06-01", Some("Fix things"));
        let expected = LOG.replace(
            "## Unreleased\n\n### Added\n\n- New action\n",
            "## Unreleased\n\n## 2024-06-01 - 1.22.0\n\n### Added\n\n- New action\n\n### Changed\n\n- Fix things\n",
        );
        assert_eq!(out, expected);
        let again = release(&out, "1.22.1", "2024-06-02", None);
        let titles: Vec<_> = parse(&again)
            .versions
            .iter()
            .map(|v| v.title.clone())
            .collect();
        assert_eq!(
            titles,
            [
                "Unreleased",
                "2024-06-02 - 1.22.1",
                "2024-06-01 - 1.22.0",
                "2024-05-28 - 1.21.0"
            ]
        );
    }

    #[test]
    fn message_joins_an_existing_changed_section() {
        let log = "# Changelog\n\n## Unreleased\n\n### Changed\n\n- One\n\n### Fixed\n\n- Bug\n";
        let out = release(log, "1.0.1", "2024-01-02", Some("Two"));
        assert_eq!(
            out,
            "# Changelog\n\n## Unreleased\n\n## 2024-01-02 - 1.0.1\n\n### Changed\n\n- One\n- Two\n\n### Fixed\n\n- Bug\n"
        );
        let log = "# Changelog\n\n## Unreleased\n\n### Fixed\n\n- Bug\n";
        let out = release(log, "1.0.1", "2024-01-02", Some("Two"));
        assert_eq!(
            out,
            "# Changelog\n\n## Unreleased\n\n## 2024-01-02 - 1.0.1\n\n### Changed\n\n- Two\n\n### Fixed\n\n- Bug\n"
        );
    }
}

#[cfg(test)]
mod non_ascii_start_tests {
    use super::*;

    /// Issue 15 (2b): a changelog starting with a UTF-8 BOM or another non-ASCII character
    /// panicked every reader of it (`check`, `check --fix`, `release`).
    #[test]
    fn a_changelog_starting_with_a_non_ascii_character_is_read() {
        for start in ["\u{feff}", "Ö", "é\n"] {
            let text = format!("{start}# Changelog\n\n## 2024-01-01 - 1.0.0\n\n### Added\n\n- x\n");
            let found = elements(&text, 2, 2);
            assert_eq!(found.len(), 1, "{start:?}");
        }
    }
}

#[cfg(test)]
mod release_message_tests {
    use super::*;

    /// Issue 15 (13): a release message cannot add a heading (a fake version entry), and a largest
    /// number does not wrap round.
    #[test]
    fn a_message_stays_one_list_item() {
        let log = "# Changelog\n\n## Unreleased\n";
        let out = release(
            log,
            "1.0.0",
            "2024-01-01",
            Some("Fix it\n## 2020-01-01 - 9.9.9\n# Top"),
        );
        assert!(
            out.contains("- Fix it\n  \\## 2020-01-01 - 9.9.9\n  \\# Top\n"),
            "{out}"
        );
        assert_eq!(
            elements(&out, 2, 2)
                .iter()
                .filter(|e| e.title.contains("9.9.9"))
                .count(),
            0
        );
        let max = SemVer::parse(&format!("{}.0.0", u64::MAX)).unwrap();
        assert!(max.bump(BumpPart::Major).is_none());
        assert!(max.bump(BumpPart::Minor).is_some());
    }
}
