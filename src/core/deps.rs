//! Python dependencies: validating PEP 508 requirements and adding them to pyproject.toml in place
//! (toml_edit keeps every other byte), in the table the module's packaging reads.

use regex::Regex;
use toml_edit::{Array, DocumentMut, InlineTable, Item, Table, Value};

use crate::core::failure::Failure;

/// A requirement split into the parts both table styles need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requirement {
    pub name: String,
    pub extras: Vec<String>,
    /// e.g. `>=2.31,<3` (empty: any version).
    pub version: String,
    /// The requirement as written, for PEP 621 arrays.
    pub text: String,
}

/// Compiled once: `add` checks every requirement of a module against it.
static REQUIREMENT: std::sync::LazyLock<Regex> = std::sync::LazyLock::new(|| {
    Regex::new(r"^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(?:\[([A-Za-z0-9._,\s-]*)\])?\s*((?:(?:==|!=|<=|>=|~=|===|<|>)\s*[A-Za-z0-9.*+!_-]+\s*,?\s*)*)$")
        .expect("valid regex")
});
static SEPARATORS: std::sync::LazyLock<Regex> =
    std::sync::LazyLock::new(|| Regex::new(r"[-_.]+").expect("valid regex"));

/// The project name a PEP 508 requirement starts with, whatever follows (extras, versions,
/// `; markers`, `@ url`): enough to tell whether a dependency is declared.
fn requirement_name(text: &str) -> &str {
    let t = text.trim_start();
    let end = t
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')))
        .unwrap_or(t.len());
    &t[..end]
}

pub fn validate_requirement(text: &str) -> Result<Requirement, Failure> {
    let t = text.trim();
    let caps = REQUIREMENT.captures(t).ok_or_else(|| {
        Failure::with_hint(
            format!("`{text}` is not a PyPI requirement"),
            "write a package name with an optional version, e.g. requests or requests>=2.31",
        )
    })?;
    let extras = caps
        .get(2)
        .map(|m| {
            m.as_str()
                .split(',')
                .map(|e| e.trim().to_string())
                .filter(|e| !e.is_empty())
                .collect()
        })
        .unwrap_or_default();
    let version: String = caps
        .get(3)
        .map(|m| m.as_str().split_whitespace().collect())
        .unwrap_or_default();
    Ok(Requirement {
        name: caps[1].to_string(),
        extras,
        version: version.trim_end_matches(',').to_string(),
        text: t.to_string(),
    })
}

/// PEP 503 normalised name, to tell whether a dependency is already there.
pub fn normalize(name: &str) -> String {
    SEPARATORS
        .replace_all(&name.to_lowercase(), "-")
        .into_owned()
}

/// Adds `requirement` to the pyproject text. Returns the new text, or `None` when the dependency is
/// already declared (re-adding is a no-op). Poetry modules get `[tool.poetry.dependencies]`, others
/// the PEP 621 `[project] dependencies` array.
pub fn add_dependency(
    pyproject: &str,
    requirement: &Requirement,
) -> anyhow::Result<Option<String>> {
    add_dependencies(pyproject, std::slice::from_ref(requirement))
}

/// Adds every requirement in one pass (parse once, serialise once, declared names looked up in a
/// set): adding thousands stays linear. `None` when all were declared already.
pub fn add_dependencies(
    pyproject: &str,
    requirements: &[Requirement],
) -> anyhow::Result<Option<String>> {
    let mut doc: DocumentMut = pyproject.parse().map_err(|e| {
        Failure::with_hint(
            format!("pyproject.toml is not valid TOML: {e}"),
            "fix pyproject.toml, then retry",
        )
    })?;
    let mut declared = declared_names(&doc);
    let mut changed = false;
    for requirement in requirements {
        if declared.insert(normalize(&requirement.name)) {
            insert(&mut doc, requirement)?;
            changed = true;
        }
    }
    // toml_edit ends the document with a newline; a file that had none keeps having none.
    Ok(changed.then(|| {
        let out = doc.to_string();
        match out.strip_suffix('\n') {
            Some(trimmed) if !pyproject.ends_with('\n') => trimmed.to_string(),
            _ => out,
        }
    }))
}

/// The dependencies a pyproject.toml declares, as written (`requests ^2.31`, `requests>=2.31`),
/// without Poetry's `python` entry: what the wizard lists as already there.
pub fn declared(pyproject: &str) -> Vec<String> {
    let Ok(doc) = pyproject.parse::<DocumentMut>() else {
        return Vec::new();
    };
    if let Some(table) = doc
        .get("tool")
        .and_then(|t| t.get("poetry"))
        .and_then(|p| p.get("dependencies"))
        .and_then(|d| d.as_table_like())
    {
        return table
            .iter()
            .filter(|(k, _)| *k != "python")
            .map(|(k, v)| match v.as_str() {
                Some(version) => format!("{k} {version}"),
                None => k.to_string(),
            })
            .collect();
    }
    doc.get("project")
        .and_then(|p| p.get("dependencies"))
        .and_then(|d| d.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// The normalised names of the dependencies already declared (Poetry table or PEP 621 array).
fn declared_names(doc: &DocumentMut) -> std::collections::HashSet<String> {
    let mut names = std::collections::HashSet::new();
    if let Some(table) = doc
        .get("tool")
        .and_then(|t| t.get("poetry"))
        .and_then(|p| p.get("dependencies"))
        .and_then(|d| d.as_table_like())
    {
        names.extend(table.iter().map(|(k, _)| normalize(k)));
    } else if let Some(array) = doc
        .get("project")
        .and_then(|p| p.get("dependencies"))
        .and_then(|d| d.as_array())
    {
        // Entries may carry markers or URLs this tool does not write: compare names only.
        names.extend(
            array
                .iter()
                .filter_map(|v| v.as_str())
                .map(|d| normalize(requirement_name(d))),
        );
    }
    names
}

/// Inserts one requirement that is not declared yet.
fn insert(doc: &mut DocumentMut, requirement: &Requirement) -> anyhow::Result<()> {
    let poetry = doc
        .get("tool")
        .and_then(|t| t.get("poetry"))
        .and_then(|p| p.get("dependencies"))
        .is_some();
    if poetry {
        let table = doc["tool"]["poetry"]["dependencies"]
            .as_table_like_mut()
            .ok_or_else(|| Failure::new("[tool.poetry.dependencies] is not a table"))?;
        let version = if requirement.version.is_empty() {
            "*".to_string()
        } else {
            requirement.version.clone()
        };
        let value = if requirement.extras.is_empty() {
            Value::from(version)
        } else {
            let mut inline = InlineTable::new();
            inline.insert("version", Value::from(version));
            inline.insert(
                "extras",
                Value::Array(
                    requirement
                        .extras
                        .iter()
                        .map(String::as_str)
                        .collect::<Array>(),
                ),
            );
            Value::InlineTable(inline)
        };
        table.insert(&requirement.name, Item::Value(value));
        return Ok(());
    }
    let project = doc
        .entry("project")
        .or_insert_with(|| Item::Table(Table::new()))
        .as_table_mut()
        .ok_or_else(|| Failure::new("[project] in pyproject.toml is not a table"))?;
    let deps = project
        .entry("dependencies")
        .or_insert_with(|| Item::Value(Value::Array(Array::new())));
    let array = deps
        .as_array_mut()
        .ok_or_else(|| Failure::new("[project] dependencies in pyproject.toml is not an array"))?;
    // Keep the array's layout: one item a line when it already is.
    let prefix = array
        .iter()
        .last()
        .and_then(|v| v.decor().prefix())
        .and_then(|p| p.as_str())
        .map(str::to_string);
    // A closing bracket on its own line is stored as the last item's suffix: move it after the new one.
    let mut closing = None;
    if let Some(last) = array.iter_mut().last() {
        let suffix = last
            .decor()
            .suffix()
            .and_then(|s| s.as_str())
            .unwrap_or("")
            .to_string();
        if suffix.contains('\n') {
            last.decor_mut().set_suffix("");
            closing = Some(suffix);
        }
    }
    let mut value = Value::from(requirement.text.as_str());
    if let Some(prefix) = prefix {
        value.decor_mut().set_prefix(prefix);
    }
    if let Some(suffix) = closing {
        value.decor_mut().set_suffix(suffix);
    }
    array.push_formatted(value);
    Ok(())
}

#[cfg(test)]
mod declared_tests {
    use super::declared;

    #[test]
    fn lists_poetry_and_pep621_dependencies_without_python() {
        let poetry = "[tool.poetry.dependencies]\npython = \">=3.10\"\nrequests = \"^2.31\"\nsdk = { version = \"1\" }\n";
        assert_eq!(declared(poetry), ["requests ^2.31", "sdk"]);
        let pep621 = "[project]\ndependencies = [\"requests>=2.31\"]\n";
        assert_eq!(declared(pep621), ["requests>=2.31"]);
        assert!(declared("not toml [").is_empty());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_requirements() {
        let r = validate_requirement("requests[socks] >= 2.31, <3").unwrap();
        assert_eq!(
            (r.name.as_str(), r.version.as_str()),
            ("requests", ">=2.31,<3")
        );
        assert_eq!(r.extras, vec!["socks"]);
        assert!(validate_requirement("not a package!").is_err());
        assert!(validate_requirement("").is_err());
    }

    #[test]
    fn pep621_array_keeps_its_layout() {
        let text = "[project]\nname = \"x\"\n\ndependencies = [\n    \"sekoia-automation-sdk\"\n]\n\n[tool.black]\nline-length = 119 # keep\n";
        let out = add_dependency(text, &validate_requirement("requests").unwrap())
            .unwrap()
            .unwrap();
        assert_eq!(
            out,
            "[project]\nname = \"x\"\n\ndependencies = [\n    \"sekoia-automation-sdk\",\n    \"requests\"\n]\n\n[tool.black]\nline-length = 119 # keep\n"
        );
        assert_eq!(
            add_dependency(&out, &validate_requirement("Requests>=2").unwrap()).unwrap(),
            None
        );
    }

    #[test]
    fn poetry_table() {
        let text = "[tool.poetry.dependencies]\npython = \">=3.11,<3.12\"\n# the SDK\nsekoia-automation-sdk = \"^1.27.0\"\n";
        let out = add_dependency(text, &validate_requirement("requests>=2.31").unwrap())
            .unwrap()
            .unwrap();
        assert!(
            out.ends_with("sekoia-automation-sdk = \"^1.27.0\"\nrequests = \">=2.31\"\n"),
            "{out}"
        );
        assert!(out.contains("# the SDK"));
    }
}

#[cfg(test)]
mod marker_tests {
    use super::*;

    #[test]
    fn a_dependency_declared_with_markers_is_not_added_again() {
        let pyproject = "[project]\nname = \"m\"\ndependencies = [\n    \"Requests[socks]>=2.31; python_version < '3.12'\",\n    \"orjson @ https://example.com/orjson.whl\",\n]\n";
        for dep in ["requests", "orjson"] {
            let r = validate_requirement(dep).unwrap();
            assert_eq!(add_dependency(pyproject, &r).unwrap(), None, "{dep}");
        }
    }
}

#[cfg(test)]
mod many_tests {
    use super::*;

    /// Issue 15 (11): adding many dependencies parses and serialises once (it was quadratic).
    #[test]
    fn thousands_of_dependencies_in_one_pass() {
        let reqs: Vec<Requirement> = (0..3000)
            .map(|i| validate_requirement(&format!("package-{i}>=1.0")).unwrap())
            .collect();
        for pyproject in [
            "[tool.poetry.dependencies]\npython = \">=3.10\"\n",
            "[project]\nname = \"m\"\ndependencies = [\n    \"requests\",\n]\n",
        ] {
            let out = add_dependencies(pyproject, &reqs).unwrap().unwrap();
            assert!(out.contains("package-0") && out.contains("package-2999"));
            assert_eq!(
                add_dependencies(&out, &reqs).unwrap(),
                None,
                "re-adding is a no-op"
            );
        }
    }
}

#[cfg(test)]
mod final_newline_tests {
    use super::*;

    /// Seen on the library's Okta: adding a dependency must not add a final newline the file lacked.
    #[test]
    fn the_files_final_newline_is_kept_as_it_was() {
        let r = validate_requirement("pyyaml").unwrap();
        let without = "[tool.poetry.dependencies]\npython = \">=3.10\"\n\n[tool.coverage.run]\nomit = [\"tests/*\"]";
        let out = add_dependency(without, &r).unwrap().unwrap();
        assert!(out.ends_with("omit = [\"tests/*\"]"), "{out:?}");
        let with = format!("{without}\n");
        assert!(add_dependency(&with, &r).unwrap().unwrap().ends_with("]\n"));
    }
}
