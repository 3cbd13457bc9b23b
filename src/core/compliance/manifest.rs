//! `ManifestValidator` (`validators/manifest.py`): `manifest.json` keys, slug, semver version,
//! configuration schema and categories.

use serde_json::Value;

use super::pyvalue::{py_str, truthy};
use super::{schema, ModuleResult};
use crate::core::changelog::is_semver;

const FILE: &str = "manifest.json";

/// Allowed categories, in the fixed order used by `sekoia-wizard`.
pub const CATEGORIES: [&str; 9] = [
    "Applicative",
    "Cloud Providers",
    "Collaboration Tools",
    "Email",
    "Endpoint",
    "Generic",
    "IAM",
    "Network",
    "Threat Intelligence",
];

/// `re.match(r"^[a-z]([a-z_.\-]|\d)*$", slug)` (Unicode `\d`, `$` takes one final newline).
pub fn slug_matches(slug: &str) -> bool {
    static RE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"\A[a-z](?:[a-z_.\-]|\d)*\n?\z").expect("valid regex")
    });
    RE.is_match(slug)
}

pub fn validate(result: &mut ModuleResult) {
    let path = result.file(FILE);
    if !path.is_file() {
        result.error(FILE, "manifest", "manifest.json is missing");
        return;
    }
    // A root that is not an object crashes the real checker; it is unreadable as a manifest.
    let Some(Value::Object(manifest)) = super::load_json(&path) else {
        result.error(FILE, "manifest", "manifest.json is not readable");
        return;
    };
    let get = |k: &str| manifest.get(k).cloned().unwrap_or(Value::Null);

    let uuid = get("uuid");
    if !truthy(&uuid) {
        result.error(FILE, "manifest", "`uuid` is not present in manifest.json");
    } else {
        result.uuids.push((FILE.into(), uuid));
    }
    if !truthy(&get("name")) {
        result.error(FILE, "manifest", "`name` is not present in manifest.json");
    }
    let slug = get("slug");
    if !truthy(&slug) {
        result.error(FILE, "manifest", "`slug` is not present in manifest.json");
    } else {
        if !slug.as_str().is_some_and(slug_matches) {
            result.error(FILE, "manifest", "`slug` is not correct in manifest.json");
        }
        result.slug = Some(slug);
    }

    let version = get("version");
    if !truthy(&version) {
        result.error(
            FILE,
            "manifest",
            "`version` is not present in manifest.json",
        );
    }
    // The real checker crashes on a missing/null/non-string version; a missing one is reported above.
    if !version.is_null() && !version.as_str().is_some_and(is_semver) {
        result.error(
            FILE,
            "manifest",
            format!(
                "'{}' is not valid semantic version. Read more: https://semver.org/",
                py_str(&version)
            ),
        );
    }
    result.manifest_version = Some(version);

    // The real checker tests `version` here instead of `configuration` (a copy-paste slip).
    let configuration = get("configuration");
    if configuration.is_null() {
        result.error(
            FILE,
            "manifest",
            "`configuration` is not present in manifest.json",
        );
    }
    if !schema::is_valid(&configuration) {
        result.error(FILE, "manifest", "`configuration` is not valid JSON schema");
    }

    let categories: Vec<Value> = match manifest.get("categories") {
        Some(Value::Array(items)) => items.clone(),
        // Python iterates a string character by character and a dict by keys.
        Some(Value::String(s)) => s.chars().map(|c| Value::String(c.to_string())).collect(),
        Some(Value::Object(m)) => m.keys().map(|k| Value::String(k.clone())).collect(),
        // absent → `[]`; null or a number crash the real checker: treated as no category
        _ => Vec::new(),
    };
    if categories.is_empty() {
        result.error(
            FILE,
            "manifest",
            "`category` is non-existent or doesn't contain any category",
        );
    }
    for category in &categories {
        if !category.as_str().is_some_and(|c| CATEGORIES.contains(&c)) {
            result.error(
                FILE,
                "manifest",
                format!("`category` could not contain value '{}'", py_str(category)),
            );
        }
    }
}
