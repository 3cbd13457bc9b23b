//! Actions, triggers and connectors, and the names derived from what a person calls them.

use std::fmt;

use heck::{ToSnakeCase, ToUpperCamelCase};
use serde::{Deserialize, Serialize};

use super::field::{validate_fields, FieldSpec};
use crate::core::failure::Failure;
use crate::core::naming::is_identifier;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ComponentKind {
    Action,
    Trigger,
    Connector,
}

impl ComponentKind {
    pub const ALL: [ComponentKind; 3] = [
        ComponentKind::Action,
        ComponentKind::Trigger,
        ComponentKind::Connector,
    ];

    /// `action`, `trigger`, `connector`: the prefix of file names.
    pub fn as_str(self) -> &'static str {
        match self {
            ComponentKind::Action => "action",
            ComponentKind::Trigger => "trigger",
            ComponentKind::Connector => "connector",
        }
    }

    /// What `--arg` means for this kind, for help and labels.
    pub fn arguments_label(self) -> &'static str {
        match self {
            ComponentKind::Action => "arguments",
            ComponentKind::Trigger | ComponentKind::Connector => "configuration",
        }
    }

    /// The SDK's main.py order: triggers, connectors, then actions.
    pub fn main_py_rank(self) -> u8 {
        match self {
            ComponentKind::Trigger => 0,
            ComponentKind::Connector => 1,
            ComponentKind::Action => 2,
        }
    }

    /// Connectors have no results model (their manifest has no `results`).
    pub fn has_results(self) -> bool {
        self != ComponentKind::Connector
    }
}

impl fmt::Display for ComponentKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ComponentSpec {
    pub kind: ComponentKind,
    /// What the person calls it: a class name (`Request`) or words (`Get Alert`).
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Action arguments, or trigger / connector configuration.
    #[serde(default, alias = "args", skip_serializing_if = "Vec::is_empty")]
    pub arguments: Vec<FieldSpec>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub results: Vec<FieldSpec>,
    /// The name main.py registers it under, which the platform and playbooks use; the class name
    /// (the SDK's rule) when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub docker_parameters: Option<String>,
    /// The Python class, when it is not the one derived from the name (the guide's manifest
    /// name "Request URL" with class `Request`). Files and models follow the class.
    #[serde(default, rename = "class", skip_serializing_if = "Option::is_none")]
    pub class: Option<String>,
}

impl ComponentSpec {
    pub fn new(kind: ComponentKind, name: impl Into<String>) -> Self {
        ComponentSpec {
            kind,
            name: name.into(),
            description: String::new(),
            arguments: Vec::new(),
            results: Vec::new(),
            docker_parameters: None,
            class: None,
        }
    }

    /// What main.py registers the component under.
    pub fn docker_parameters(&self) -> String {
        match self.docker_parameters.as_deref().map(str::trim) {
            Some(d) if !d.is_empty() => d.to_string(),
            _ => self.class_name(),
        }
    }

    /// The Python class, which is also the `docker_parameters` and the main.py registration name.
    /// A name that already is a class name is kept as it is, as the SDK guide writes them.
    pub fn class_name(&self) -> String {
        if let Some(class) = self
            .class
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
        {
            return class.to_string();
        }
        let trimmed = self.name.trim();
        if is_class_name(trimmed) {
            trimmed.to_string()
        } else {
            let camel = deunicode::deunicode(trimmed).to_upper_camel_case();
            if camel.starts_with(|c: char| c.is_ascii_digit()) {
                format!("{}{camel}", self.kind.as_str().to_upper_camel_case())
            } else {
                camel
            }
        }
    }

    /// The manifest `name`: the words the person wrote. The class gets a `name` attribute only when
    /// this differs from the class name (as the SDK takes `name or __name__`).
    pub fn display_name(&self) -> String {
        self.name.trim().to_string()
    }

    pub fn needs_name_attribute(&self) -> bool {
        self.display_name() != self.class_name()
    }

    /// The Python file stem inside the package: `action_request`, `trigger_new_entries`. The kind's
    /// suffix is dropped from the class (`NewEntriesTrigger` → `trigger_new_entries`).
    pub fn file_stem(&self) -> String {
        let class = self.class_name();
        let suffix = self.kind.as_str().to_upper_camel_case();
        let base = class
            .strip_suffix(&suffix)
            .filter(|b| !b.is_empty())
            .unwrap_or(&class);
        format!("{}_{}", self.kind.as_str(), base.to_snake_case())
    }

    /// The component manifest file the SDK writes: `action_<name lowercased, spaces as _>.json`.
    pub fn manifest_file(&self) -> String {
        format!(
            "{}_{}.json",
            self.kind.as_str(),
            self.display_name().to_lowercase().replace(' ', "_")
        )
    }

    /// Model class names: `RequestArguments` / `RequestResults` (or `…Configuration` for triggers
    /// and connectors).
    pub fn arguments_class(&self) -> String {
        let class = self.class_name();
        match self.kind {
            ComponentKind::Action => format!("{class}Arguments"),
            _ => format!("{class}Configuration"),
        }
    }

    pub fn results_class(&self) -> String {
        format!("{}Results", self.class_name())
    }

    /// Every problem of the component, the first one found: its name, its results, its fields.
    pub fn validate(&self) -> Result<(), Failure> {
        self.validate_name()?;
        if let Some(f) = self.results_problem() {
            return Err(f);
        }
        validate_fields(&self.arguments).map_err(|f| in_part(f, self.kind.arguments_label()))?;
        validate_fields(&self.results).map_err(|f| in_part(f, "results"))?;
        Ok(())
    }

    /// A connector with results: it has none (it pushes events to an intake).
    pub fn results_problem(&self) -> Option<Failure> {
        (!self.kind.has_results() && !self.results.is_empty()).then(|| {
            Failure::with_hint(
                "a connector has no results",
                "drop the results (--result) or make it an action; connectors push events to an intake",
            )
        })
    }

    /// The problems of the name (and the class and `docker_parameters` made from it).
    pub fn validate_name(&self) -> Result<(), Failure> {
        let name = self.name.trim();
        if name.is_empty() {
            return Err(Failure::with_hint(
                format!("the {} has no name", self.kind),
                "give one with --name, e.g. --name Request",
            ));
        }
        if name.chars().any(char::is_control) || name.contains(['"', '\\']) {
            return Err(Failure::with_hint(
                format!(
                    "the {} name `{name}` contains quotes, backslashes or control characters",
                    self.kind
                ),
                "use letters, digits and spaces",
            ));
        }
        // File names derive from it (`action_<name>.json`): keep them well under the 255 bytes
        // file systems allow.
        if name.chars().count() > 100 {
            return Err(Failure::with_hint(
                format!(
                    "the {} name is {} characters long",
                    self.kind,
                    name.chars().count()
                ),
                "use at most 100 characters; the description can say more",
            ));
        }
        if name.contains('/') {
            return Err(Failure::with_hint(
                format!("the {} name `{name}` contains `/`", self.kind),
                "a `/` would put its manifest in a folder; use letters, digits and spaces",
            ));
        }
        if let Some(class) = self
            .class
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
        {
            if !is_class_name(class) {
                return Err(Failure::with_hint(
                    format!("the class name `{class}` is not a Python class name"),
                    "start with an uppercase letter, then letters, digits or _ (e.g. Request)",
                ));
            }
        }
        let class = self.class_name();
        if crate::core::generate::python::IMPORTED_NAMES.contains(&class.as_str()) {
            return Err(Failure::with_hint(
                format!("a component class named `{class}` would hide the SDK's `{class}`"),
                format!("give the {} another name, e.g. `{class}Item`", self.kind),
            ));
        }
        if !is_class_name(&class) {
            return Err(Failure::with_hint(
                format!("cannot make a Python class name from `{name}`"),
                "use letters and digits, e.g. GetAlert or \"Get Alert\"",
            ));
        }
        if let Some(d) = &self.docker_parameters {
            let d = d.trim();
            if d.is_empty()
                || d.chars()
                    .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '\'' | '\\'))
            {
                return Err(Failure::with_hint(
                    format!(
                        "the docker_parameters `{d}` is empty or has spaces, quotes or backslashes"
                    ),
                    "use a name such as okta_system_logs",
                ));
            }
        }
        Ok(())
    }
}

/// The clash of `components[index]` with an earlier component: names that differ only in case
/// give the same files on case-insensitive file systems, and the same manifest file name everywhere
/// (`GetAlert`, `Getalert` → action_getalert.json).
pub fn name_clash(components: &[ComponentSpec], index: usize) -> Option<Failure> {
    let c = components.get(index)?;
    for key in [c.class_name(), c.file_stem(), c.manifest_file()] {
        let folded = key.to_lowercase();
        let earlier = components[..index].iter().find(|o| {
            [o.class_name(), o.file_stem(), o.manifest_file()]
                .iter()
                .any(|k| k.to_lowercase() == folded)
        });
        if let Some(other) = earlier {
            return Some(Failure::with_hint(
                format!(
                    "the components `{}` and `{}` would share the name `{key}` (names may differ only in case)",
                    other.name.trim(),
                    c.name.trim()
                ),
                "give each component its own name",
            ));
        }
    }
    None
}

fn in_part(f: Failure, part: &str) -> Failure {
    Failure {
        message: format!("{part}: {}", f.message),
        hint: f.hint,
    }
}

/// An ASCII identifier starting with an uppercase letter.
fn is_class_name(s: &str) -> bool {
    s.is_ascii() && is_identifier(s) && s.starts_with(|c: char| c.is_ascii_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derives_names_like_the_guide() {
        let c = ComponentSpec::new(ComponentKind::Action, "Request");
        assert_eq!(
            (c.class_name(), c.file_stem(), c.manifest_file()),
            (
                "Request".into(),
                "action_request".into(),
                "action_request.json".into()
            )
        );
        assert!(!c.needs_name_attribute());
        let t = ComponentSpec::new(ComponentKind::Trigger, "NewEntriesTrigger");
        assert_eq!(t.file_stem(), "trigger_new_entries");
        assert_eq!(t.manifest_file(), "trigger_newentriestrigger.json");
        let a = ComponentSpec::new(ComponentKind::Action, "Get alert details");
        assert_eq!(a.class_name(), "GetAlertDetails");
        assert!(a.needs_name_attribute());
        assert_eq!(a.manifest_file(), "action_get_alert_details.json");
        assert!(ComponentSpec::new(ComponentKind::Action, "!!")
            .validate()
            .is_err());
        assert_eq!(
            ComponentSpec::new(ComponentKind::Action, "2 step").class_name(),
            "Action2Step"
        );
    }

    #[test]
    fn a_chosen_class_is_kept_apart_from_the_name() {
        let mut c = ComponentSpec::new(ComponentKind::Action, "Request URL");
        c.class = Some("Request".into());
        assert_eq!(
            (c.class_name(), c.file_stem(), c.manifest_file()),
            (
                "Request".into(),
                "action_request".into(),
                "action_request_url.json".into()
            )
        );
        assert!(c.needs_name_attribute());
        assert_eq!(c.docker_parameters(), "Request");
        assert!(c.validate().is_ok());
        c.class = Some("request url".into());
        let err = c.validate().unwrap_err();
        assert!(err.message.contains("not a Python class name"), "{err:?}");
    }
}
