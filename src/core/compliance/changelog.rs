//! `ChangelogValidator` (`validators/changelog.py`): `CHANGELOG.md` header, default text, version
//! headings, dates, sections and order.

use std::cmp::Ordering;

use super::ModuleResult;
use crate::core::changelog::{self as kacl, Label, SemVer};

const FILE: &str = "CHANGELOG.md";

/// The two sentences every changelog header must contain (newlines count as spaces).
pub const DEFAULT_CONTENT: [&str; 2] = [
    "All notable changes to this project will be documented in this file.",
    "The format is based on [Keep a Changelog](https://keepachangelog.com/en/1.0.0/), and this project adheres to [Semantic Versioning](https://semver.org/spec/v2.0.0.html).",
];

/// The allowed `###` sections, in the fixed order used inside messages (the real checker prints a
/// Python set, whose order changes from run to run).
pub const SECTIONS: [&str; 6] = [
    "Added",
    "Changed",
    "Deprecated",
    "Removed",
    "Fixed",
    "Security",
];
pub const HEADER_TITLES: [&str; 2] = ["Changelog", "Change log"];

pub fn validate(result: &mut ModuleResult) {
    let path = result.file(FILE);
    if !path.is_file() {
        result.error(FILE, "changelog", "changelog is missing");
        return;
    }
    let Some(text) = super::read_text(&path) else {
        // The real checker crashes on a non-UTF-8 changelog.
        result.error(FILE, "changelog", "changelog is not valid UTF-8 text");
        return;
    };
    let messages = content_errors(&text);
    result.changelog_ok = messages.is_empty();
    result.changelog_newest = kacl::newest_release(&text);
    for m in messages {
        result.error(FILE, "changelog", m);
    }
}

/// Every message the checker gives for this changelog text, in its order.
pub fn content_errors(text: &str) -> Vec<String> {
    let log = kacl::parse(text);
    let mut out = Vec::new();
    let Some(header) = log.headers.first() else {
        out.push("No 'Changelog' header found.".to_string());
        return out;
    };
    // ("Changelog header not placed on first line." is dead code in the real checker.)
    for _ in &log.headers[1..] {
        out.push("Unexpected additional top-level heading found.".into());
    }
    if !HEADER_TITLES.contains(&header.title.as_str()) {
        out.push(format!(
            "Header title not valid. Options are [{}]",
            HEADER_TITLES.join(",")
        ));
    }
    let header_body = header.body(text).replace('\n', " ");
    for line in DEFAULT_CONTENT {
        if !header_body.contains(line) {
            out.push(format!("Missing default content '{line}'"));
        }
    }
    if log.versions.is_empty() {
        out.push("No entries in changelog".into());
    }
    for v in &log.versions {
        let label = kacl::label(&v.title);
        if label == Label::Invalid {
            out.push(format!("Line '{}' has invalid semantic version.", v.title));
        }
        if label != Label::Unreleased {
            if let Some(m) = date_search(&v.title) {
                if !date_format(m) {
                    out.push("Date does not match format 'YYYY-MM-DD'".into());
                }
            } else {
                out.push("Versions need to be decorated with a release date in the following format 'YYYY-MM-DD'".into());
            }
        }
        let body = v.body(text).replace('\n', "");
        let body = kacl::py_strip(&body);
        if !body.is_empty() && !body.starts_with("###") {
            out.push("Version has content outside of a section.".into());
        }
        let mut seen: Vec<String> = Vec::new();
        for section in kacl::elements(v.body(text), 3, 3) {
            if !seen.contains(&section.title) {
                seen.push(section.title);
            }
        }
        for title in seen.iter().filter(|t| !SECTIONS.contains(&t.as_str())) {
            out.push(format!(
                "\"{title}\" is not a valid section for a version. Options are [{}]",
                SECTIONS.join(",")
            ));
        }
    }
    for pair in log.versions.windows(2) {
        let parsed = |t: &str| match kacl::label(t) {
            Label::Version(v) => SemVer::parse(&v),
            _ => None,
        };
        if let (Some(a), Some(b)) = (parsed(&pair[0].title), parsed(&pair[1].title)) {
            if a.compare(&b) != Ordering::Greater {
                out.push("Versions are not in descending order.".into());
            }
        }
    }
    out
}

/// `re.search(r"\d\d\d\d-\d\d-\d\d", title)` (Unicode digits, as in Python).
fn date_search(title: &str) -> Option<&str> {
    static RE: std::sync::LazyLock<regex::Regex> =
        std::sync::LazyLock::new(|| regex::Regex::new(r"\d\d\d\d-\d\d-\d\d").expect("valid regex"));
    RE.find(title).map(|m| m.as_str())
}

/// `re.match(r"\d\d\d\d-[0-1][\d]-[0-3][\d]", date)`.
fn date_format(date: &str) -> bool {
    static RE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"\A\d\d\d\d-[0-1]\d-[0-3]\d").expect("valid regex")
    });
    RE.is_match(date)
}
