//! `release`: bump `manifest.json`'s `version` (semver only) and date the changelog's
//! `## Unreleased` entries as `## YYYY-MM-DD - X.Y.Z`, the library's house style, with a fresh
//! `## Unreleased` above. Only the version value and the changelog's edited spots change; every
//! other byte of both files is kept.

use std::path::Path;
use std::str::FromStr;
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::Result;

use super::changelog::{self, BumpPart, SemVer};
use super::failure::{fail, Failure};
use super::plan::Plan;
use super::pyjson;

/// What to release: a bump of the current version, or an explicit version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Bump(BumpPart),
    Exact(SemVer),
}

impl FromStr for Target {
    type Err = Failure;

    fn from_str(s: &str) -> Result<Self, Failure> {
        match s {
            "major" => Ok(Target::Bump(BumpPart::Major)),
            "minor" => Ok(Target::Bump(BumpPart::Minor)),
            "patch" => Ok(Target::Bump(BumpPart::Patch)),
            other => SemVer::parse(other)
                .filter(|_| !other.ends_with('\n'))
                .map(Target::Exact)
                .ok_or_else(|| {
                    Failure::with_hint(
                        format!("`{other}` is neither major, minor, patch nor a semantic version"),
                        "give major, minor or patch, or a version like 1.4.0 (https://semver.org/)",
                    )
                }),
        }
    }
}

/// A calendar date, written `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Date {
    pub year: i64,
    pub month: u32,
    pub day: u32,
}

impl Date {
    /// Today in UTC.
    pub fn today() -> Date {
        let secs = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        Date::from_days((secs / 86_400) as i64)
    }

    /// Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
    pub fn from_days(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = yoe + era * 400 + i64::from(month <= 2);
        Date { year, month, day }
    }
}

impl FromStr for Date {
    type Err = Failure;

    fn from_str(s: &str) -> Result<Self, Failure> {
        let bad = || {
            Failure::with_hint(
                format!("`{s}` is not a date"),
                "write it YYYY-MM-DD, e.g. 2024-05-28",
            )
        };
        let parts: Vec<&str> = s.split('-').collect();
        if parts.len() != 3 || parts[0].len() != 4 || parts[1].len() != 2 || parts[2].len() != 2 {
            return Err(bad());
        }
        let year: i64 = parts[0].parse().map_err(|_| bad())?;
        let month: u32 = parts[1].parse().map_err(|_| bad())?;
        let day: u32 = parts[2].parse().map_err(|_| bad())?;
        // A day that the month has (2024-02-31 is not a date; 2024-02-29 is).
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return Err(bad()),
        };
        if !(1..=days).contains(&day) {
            return Err(bad());
        }
        Ok(Date { year, month, day })
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// A planned release.
#[derive(Debug, Clone)]
pub struct Release {
    pub plan: Plan,
    pub previous: String,
    pub version: String,
    /// The dated entry has no notes (empty `## Unreleased` and no message).
    pub empty_entry: bool,
    /// The module had no CHANGELOG.md; one in the library's style is created.
    pub created_changelog: bool,
}

/// The tag `release --tag` makes: `vX.Y.Z`.
pub fn tag_name(version: &str) -> String {
    format!("v{version}")
}

/// The release commit's and the annotated tag's messages, with the release notes as the body.
pub fn tag_messages(module: &str, version: &str, notes: Option<&str>) -> (String, String) {
    let body = notes
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(|n| format!("\n\n{n}\n"))
        .unwrap_or_else(|| "\n".into());
    (
        format!("Release {module} {version}{body}"),
        format!("{module} {version}{body}"),
    )
}

/// Plans the release of the module in `dir`.
pub fn plan(dir: &Path, target: &Target, message: Option<&str>, date: Date) -> Result<Release> {
    let manifest_path = dir.join("manifest.json");
    let Ok(manifest) = std::fs::read_to_string(&manifest_path) else {
        return fail(
            format!("{} has no readable manifest.json", dir.display()),
            "run release in a module directory, or pass the module directory first",
        );
    };
    let Some(span) = version_span(&manifest) else {
        return fail(
            "manifest.json has no top-level \"version\" string",
            "add \"version\": \"1.0.0\" to manifest.json, or give the version: release DIR 1.0.0",
        );
    };
    let current_text: String = serde_json::from_str(&manifest[span.clone()]).unwrap_or_default();
    let current = SemVer::parse(&current_text).filter(|_| !current_text.ends_with('\n'));
    let next = match (target, &current) {
        (Target::Exact(v), _) => v.clone(),
        (Target::Bump(part), Some(cur)) => match cur.bump(*part) {
            Some(next) => next,
            None => {
                return fail(
                    format!("{cur} cannot be bumped: the number is already the largest there is"),
                    "give the new version explicitly",
                )
            }
        },
        (Target::Bump(_), None) => {
            let guess = guess_semver(&current_text);
            return fail(
                format!("manifest.json version `{current_text}` is not a semantic version (MAJOR.MINOR.PATCH)"),
                format!("give the new version explicitly, e.g. `sekoia-wizard release {} {guess}`", dir.display()),
            );
        }
    };
    if let Some(cur) = &current {
        if next.compare(cur) != std::cmp::Ordering::Greater {
            return fail(
                format!("{next} is not above the current version {cur}"),
                "give a higher version, or major/minor/patch",
            );
        }
    }
    let changelog_path = dir.join("CHANGELOG.md");
    let (log_text, created) = match std::fs::read(&changelog_path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(t) => (t, false),
            Err(_) => {
                return fail(
                    "CHANGELOG.md is not valid UTF-8",
                    "re-save it as UTF-8 and run release again",
                )
            }
        },
        Err(_) => (changelog::STANDARD_HEADER.to_string(), true),
    };
    // Editing works on `\n` text (as the checker reads it); CRLF files keep their line endings.
    let crlf = log_text.contains("\r\n");
    let normalized = changelog::normalize_newlines(&log_text);
    if let Some(newest) = changelog::newest_release(&normalized).and_then(|v| SemVer::parse(&v)) {
        if next.compare(&newest) != std::cmp::Ordering::Greater {
            return fail(
                format!("{next} is not above the newest CHANGELOG.md entry {newest}"),
                "give a higher version; the changelog's versions must be in descending order",
            );
        }
    }
    let version = next.to_string();
    let edited = changelog::release(&normalized, &version, &date.to_string(), message);
    let empty_entry = {
        let log = changelog::parse(&edited);
        log.versions
            .iter()
            .find(|v| changelog::label(&v.title) == changelog::Label::Version(version.clone()))
            .is_some_and(|v| changelog::py_strip(v.body(&edited)).is_empty())
    };
    let edited = if crlf {
        edited.replace('\n', "\r\n")
    } else {
        edited
    };
    let mut new_manifest = String::with_capacity(manifest.len() + 8);
    new_manifest.push_str(&manifest[..span.start]);
    pyjson::write_string(&mut new_manifest, &version, true);
    new_manifest.push_str(&manifest[span.end..]);

    let mut plan = Plan::edit(dir);
    plan.put("manifest.json", new_manifest);
    plan.put("CHANGELOG.md", edited);
    Ok(Release {
        plan,
        previous: current_text,
        version,
        empty_entry,
        created_changelog: created,
    })
}

/// A semver close to a non-semver version (`0.2` → `0.2.0`), for the hint.
fn guess_semver(text: &str) -> String {
    let nums: Vec<u64> = text
        .trim_start_matches(['v', 'V'])
        .split(['.', '-', '+'])
        .map_while(|p| p.parse().ok())
        .collect();
    match nums.as_slice() {
        [] => "1.0.0".into(),
        [a] => format!("{a}.0.0"),
        [a, b] => format!("{a}.{b}.0"),
        [a, b, c, ..] => format!("{a}.{b}.{}", c + 1),
    }
}

/// The byte range of the top-level `"version"` string value (the last one, as `json.load` keeps).
pub fn version_span(text: &str) -> Option<std::ops::Range<usize>> {
    let b = text.as_bytes();
    let mut i = skip_ws(b, 0);
    if b.get(i) != Some(&b'{') {
        return None;
    }
    i += 1;
    let mut found = None;
    loop {
        i = skip_ws(b, i);
        match b.get(i)? {
            b'}' => return found,
            b',' => {
                i += 1;
                continue;
            }
            b'"' => {}
            _ => return None,
        }
        let key_end = skip_string(b, i)?;
        let is_version = &text[i..key_end] == "\"version\"";
        i = skip_ws(b, key_end);
        if b.get(i) != Some(&b':') {
            return None;
        }
        i = skip_ws(b, i + 1);
        let value_end = skip_value(b, i)?;
        if is_version {
            found = if b[i] == b'"' {
                Some(i..value_end)
            } else {
                None
            };
        }
        i = value_end;
    }
}

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while matches!(b.get(i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
        i += 1;
    }
    i
}

fn skip_string(b: &[u8], mut i: usize) -> Option<usize> {
    i += 1;
    loop {
        match b.get(i)? {
            b'\\' => i += 2,
            b'"' => return Some(i + 1),
            _ => i += 1,
        }
    }
}

fn skip_value(b: &[u8], i: usize) -> Option<usize> {
    match b.get(i)? {
        b'"' => skip_string(b, i),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut j = i;
            loop {
                match b.get(j)? {
                    b'"' => {
                        j = skip_string(b, j)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(j + 1);
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
        }
        _ => {
            let mut j = i;
            while !matches!(
                b.get(j),
                None | Some(b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r')
            ) {
                j += 1;
            }
            Some(j)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_targets() {
        assert_eq!(Date::from_days(0).to_string(), "1970-01-01");
        assert_eq!(Date::from_days(19_871).to_string(), "2024-05-28");
        assert_eq!(
            "2024-05-28".parse::<Date>().unwrap(),
            Date {
                year: 2024,
                month: 5,
                day: 28
            }
        );
        assert!("2024-5-28".parse::<Date>().is_err());
        assert_eq!(
            "patch".parse::<Target>().unwrap(),
            Target::Bump(BumpPart::Patch)
        );
        assert!("1.2".parse::<Target>().is_err());
        assert_eq!(guess_semver("0.2"), "0.2.0");
    }

    #[test]
    fn finds_the_top_level_version() {
        let text = "{\n  \"configuration\": {\"version\": \"x\"},\n  \"version\": \"1.2.3\",\n  \"slug\": \"a\"\n}";
        let span = version_span(text).unwrap();
        assert_eq!(&text[span], "\"1.2.3\"");
        assert_eq!(version_span("{\"version\": 1}"), None);
    }
}

#[cfg(test)]
mod message_tests {
    use super::*;

    /// Issue 15 (13): dates a month does not have are refused; leap days are dates.
    #[test]
    fn only_real_dates() {
        assert!("2024-02-31".parse::<Date>().is_err());
        assert!("2023-02-29".parse::<Date>().is_err());
        assert!("2024-02-29".parse::<Date>().is_ok());
        assert!("2024-04-31".parse::<Date>().is_err());
        assert!("2024-12-31".parse::<Date>().is_ok());
    }
}
