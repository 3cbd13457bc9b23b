//! A whole module described at once: the answers file (`--answers FILE`, TOML), which the TUI can
//! also save. Secrets are never values here, only the `secret` flag of a field.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::component::name_clash;
use super::component::ComponentSpec;
use super::field::{validate_fields, FieldSpec};
use super::module::ModuleSpec;
use crate::core::failure::Failure;

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Answers {
    /// Absent when the answers only add components to an existing module.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub module: Option<ModuleSpec>,
    /// Module configuration fields (api_key, base_url…).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub configuration: Vec<FieldSpec>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub components: Vec<ComponentSpec>,
    /// PyPI requirements, e.g. `requests` or `requests>=2.31`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dependencies: Vec<String>,
    /// Actions from an OpenAPI spec's operations (`add openapi`, `new --from-openapi`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub openapi: Option<super::OpenApiAnswers>,
}

impl Answers {
    pub fn load(path: &Path) -> anyhow::Result<Answers> {
        // An answers file is a few kilobytes; a limit keeps `--answers /dev/zero` (or a wrong
        // path to a huge file) from reading without end.
        const LIMIT: u64 = 4 * 1024 * 1024;
        let cannot = |e: std::io::Error| {
            Failure::with_hint(
                format!("cannot read {}: {e}", path.display()),
                "check the --answers path",
            )
        };
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(
            &mut std::io::Read::take(std::fs::File::open(path).map_err(cannot)?, LIMIT + 1),
            &mut bytes,
        )
        .map_err(cannot)?;
        if bytes.len() as u64 > LIMIT {
            return Err(Failure::with_hint(
                format!(
                    "{} is larger than 4 MiB: not an answers file",
                    path.display()
                ),
                "check the --answers path",
            )
            .into());
        }
        let text = String::from_utf8(bytes).map_err(|_| {
            Failure::with_hint(
                format!("{} is not UTF-8 text", path.display()),
                "save the answers file as UTF-8",
            )
        })?;
        let mut answers = Answers::parse(&text).map_err(|f| Failure {
            message: format!("{}: {}", path.display(), f.message),
            hint: f.hint,
        })?;
        if let Some(openapi) = answers.openapi.as_mut() {
            openapi.resolve_against(path.parent().unwrap_or(Path::new("")));
        }
        Ok(answers)
    }

    pub fn parse(text: &str) -> Result<Answers, Failure> {
        let answers: Answers = toml::from_str(text).map_err(|e| {
            Failure::with_hint(
                e.to_string().trim().replace('\n', " "),
                "see the answers file format in the README",
            )
        })?;
        answers.validate()?;
        Ok(answers)
    }

    pub fn to_toml(&self) -> String {
        toml::to_string_pretty(self).expect("answers always serialise")
    }

    pub fn validate(&self) -> Result<(), Failure> {
        if let Some(module) = &self.module {
            if let Some((_, f)) = module.validate().into_iter().next() {
                return Err(f);
            }
        }
        validate_fields(&self.configuration).map_err(|f| Failure {
            message: format!("configuration: {}", f.message),
            hint: f.hint,
        })?;
        for (i, c) in self.components.iter().enumerate() {
            c.validate()?;
            if let Some(f) = name_clash(&self.components, i) {
                return Err(f);
            }
        }
        for dep in &self.dependencies {
            super::super::deps::validate_requirement(dep)?;
        }
        if let Some(openapi) = &self.openapi {
            openapi.validate()?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod case_collision_tests {
    use super::*;
    use crate::core::model::{ComponentKind, ComponentSpec};

    /// Issue 15 (7): `GetAlert` and `Getalert` silently lost a manifest.
    #[test]
    fn names_differing_only_in_case_are_refused() {
        let answers = Answers {
            components: vec![
                ComponentSpec::new(ComponentKind::Action, "GetAlert"),
                ComponentSpec::new(ComponentKind::Action, "Getalert"),
            ],
            ..Answers::default()
        };
        let err = answers.validate().unwrap_err();
        assert!(
            err.message.contains("`GetAlert` and `Getalert`"),
            "{}",
            err.message
        );
        let same = Answers {
            components: vec![
                ComponentSpec::new(ComponentKind::Action, "Request"),
                ComponentSpec::new(ComponentKind::Action, "Request"),
            ],
            ..Answers::default()
        };
        assert!(same.validate().is_err());
        let fine = Answers {
            components: vec![
                ComponentSpec::new(ComponentKind::Action, "Request"),
                ComponentSpec::new(ComponentKind::Trigger, "Request"),
            ],
            ..Answers::default()
        };
        assert!(
            fine.validate().is_err(),
            "same class twice is still refused"
        );
    }
}
