//! The module itself: name, description, categories, packaging.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::core::failure::Failure;
use crate::core::naming::{self, ModuleNames};

/// The categories the Sekoia.io platform accepts (the library checker's `ALLOWED_MANIFEST_CATEGORIES`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Category {
    Applicative,
    #[serde(rename = "Cloud Providers")]
    CloudProviders,
    #[serde(rename = "Collaboration Tools")]
    CollaborationTools,
    Email,
    Endpoint,
    Generic,
    #[serde(rename = "IAM")]
    Iam,
    Network,
    #[serde(rename = "Threat Intelligence")]
    ThreatIntelligence,
}

impl Category {
    pub const ALL: [Category; 9] = [
        Category::Applicative,
        Category::CloudProviders,
        Category::CollaborationTools,
        Category::Email,
        Category::Endpoint,
        Category::Generic,
        Category::Iam,
        Category::Network,
        Category::ThreatIntelligence,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::Applicative => "Applicative",
            Category::CloudProviders => "Cloud Providers",
            Category::CollaborationTools => "Collaboration Tools",
            Category::Email => "Email",
            Category::Endpoint => "Endpoint",
            Category::Generic => "Generic",
            Category::Iam => "IAM",
            Category::Network => "Network",
            Category::ThreatIntelligence => "Threat Intelligence",
        }
    }

    pub fn allowed_list() -> String {
        Category::ALL
            .iter()
            .map(|c| c.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Category {
    type Err = Failure;

    /// Accepts the exact platform value, ignoring case (`iam`, `threat intelligence`).
    fn from_str(s: &str) -> Result<Self, Failure> {
        Category::ALL
            .iter()
            .copied()
            .find(|c| c.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| {
                Failure::with_hint(
                    format!("unknown category `{s}`"),
                    format!("use one of: {}", Category::allowed_list()),
                )
            })
    }
}

/// How the module's Python dependencies are managed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Packaging {
    /// Poetry, as the automation-library requires (`poetry.lock`).
    #[default]
    Poetry,
    /// uv, as the SDK 1.27 template.
    Uv,
}

impl Packaging {
    pub const ALL: [Packaging; 2] = [Packaging::Poetry, Packaging::Uv];

    pub fn as_str(self) -> &'static str {
        match self {
            Packaging::Poetry => "poetry",
            Packaging::Uv => "uv",
        }
    }
}

impl std::str::FromStr for Packaging {
    type Err = Failure;

    fn from_str(s: &str) -> Result<Self, Failure> {
        Packaging::ALL
            .into_iter()
            .find(|p| p.as_str() == s)
            .ok_or_else(|| {
                Failure::with_hint(format!("unknown packaging `{s}`"), "use poetry or uv")
            })
    }
}

impl fmt::Display for Packaging {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModuleSpec {
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub categories: Vec<Category>,
    #[serde(default)]
    pub packaging: Packaging,
    /// Fixed uuid (reproducible output); a random v4 otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uuid: Option<uuid::Uuid>,
}

impl ModuleSpec {
    pub fn names(&self) -> Result<ModuleNames, Failure> {
        naming::derive(&self.name)
    }

    /// Categories written to manifest.json: `Generic` when none was chosen (the checker needs one).
    pub fn effective_categories(&self) -> Vec<Category> {
        if self.categories.is_empty() {
            vec![Category::Generic]
        } else {
            // Each category once, in the order given (`--category Email --category email`).
            let mut c: Vec<Category> = Vec::new();
            for category in &self.categories {
                if !c.contains(category) {
                    c.push(*category);
                }
            }
            c
        }
    }

    /// Every problem with the module answers, for display under the fields.
    pub fn validate(&self) -> Vec<(&'static str, Failure)> {
        let mut problems = Vec::new();
        if let Err(f) = naming::validate_module_name(&self.name) {
            problems.push(("name", f));
        }
        if self
            .description
            .chars()
            .any(|c| c.is_control() && c != '\n')
        {
            problems.push((
                "description",
                Failure::new("the description contains a control character"),
            ));
        }
        problems
    }
}

#[cfg(test)]
mod category_tests {
    use super::*;

    #[test]
    fn each_category_once_in_the_order_given() {
        let spec = ModuleSpec {
            categories: vec![Category::Email, Category::Network, Category::Email],
            ..ModuleSpec::default()
        };
        assert_eq!(
            spec.effective_categories(),
            [Category::Email, Category::Network]
        );
    }
}
