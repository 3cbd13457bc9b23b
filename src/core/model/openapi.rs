//! The OpenAPI part of an answers file: which spec, which of its operations become actions, and
//! the settings `add openapi` / `new --from-openapi` take as flags. Saved by the wizard with the
//! rest of the answers, so a replay writes the same actions.
//!
//! ```toml
//! [openapi]
//! spec = "petstore.yaml"            # a path (relative to the answers file) or an http(s) URL
//! operations = ["addPet", "GET /pet/{petId}"]
//! tags = ["store"]
//! tags_in_names = false
//! auth = "apiKey"                   # basic, apiKey, bearer or none
//! auth_header = "X-API-Key"
//! base_url = "https://petstore.example.com/v2"
//! ```

use serde::{Deserialize, Serialize};

use crate::core::failure::Failure;
use crate::core::openapi::{Auth, Options, Selection, Spec};

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OpenApiAnswers {
    /// A file path or an http(s) URL.
    pub spec: String,
    /// operationIds or `METHOD /path` (`--operation`); with `tags` empty too, every operation.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub operations: Vec<String>,
    /// Every operation with one of these tags (`--tag`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub tags_in_names: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth_header: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_url: Option<String>,
}

impl OpenApiAnswers {
    /// The answers of `spec` with `options` (what the wizard saves). A relative file path is
    /// made absolute (from the current directory), so the answers replay from anywhere.
    pub fn of(spec: &str, options: &Options) -> OpenApiAnswers {
        let relative =
            !crate::core::openapi::is_url(spec) && std::path::Path::new(spec).is_relative();
        let spec = match std::env::current_dir() {
            Ok(cwd) if relative => cwd.join(spec).to_string_lossy().into_owned(),
            _ => spec.to_string(),
        };
        OpenApiAnswers {
            spec,
            operations: options.selection.operations.clone(),
            tags: options.selection.tags.clone(),
            tags_in_names: options.tags_in_names,
            auth: options.auth.map(|a| a.as_str().to_string()),
            auth_header: options.auth_header.clone(),
            base_url: options.base_url.clone(),
        }
    }

    /// The generation options; an unknown `auth` is an error naming the key.
    pub fn options(&self) -> Result<Options, Failure> {
        let auth = self
            .auth
            .as_deref()
            .map(str::parse::<Auth>)
            .transpose()
            .map_err(|f| Failure {
                message: format!("openapi.auth: {}", f.message),
                hint: f.hint,
            })?;
        Ok(Options {
            selection: Selection {
                operations: self.operations.clone(),
                tags: self.tags.clone(),
            },
            tags_in_names: self.tags_in_names,
            auth,
            auth_header: self.auth_header.clone(),
            base_url: self.base_url.clone(),
        })
    }

    /// The spec, read, and the generation options: what `new`, `add` and the wizard plan with.
    pub fn load(&self) -> Result<(Spec, Options), Failure> {
        Ok((Spec::load(&self.spec)?, self.options()?))
    }

    pub fn validate(&self) -> Result<(), Failure> {
        if self.spec.trim().is_empty() {
            return Err(Failure::with_hint(
                "openapi.spec is empty",
                "set spec to the spec's file path or http(s) URL",
            ));
        }
        self.options().map(|_| ())
    }

    /// A relative spec path is relative to the answers file's directory `base`, wherever the
    /// answers are replayed from; made absolute, as `of` saves it.
    pub fn resolve_against(&mut self, base: &std::path::Path) {
        if crate::core::openapi::is_url(&self.spec) {
            return;
        }
        let path = std::path::Path::new(&self.spec);
        if path.is_relative() {
            let base = match std::env::current_dir() {
                Ok(cwd) if base.is_relative() => cwd.join(base),
                _ => base.to_path_buf(),
            };
            self.spec = base.join(path).to_string_lossy().into_owned();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::Answers;

    #[test]
    fn an_answers_file_keeps_the_openapi_choice() {
        let text = "[openapi]\nspec = \"https://example.com/petstore.json\"\noperations = [\"addPet\", \"GET /pet/{petId}\"]\nauth = \"apiKey\"\nauth_header = \"X-API-Key\"\n";
        let answers = Answers::parse(text).unwrap();
        let openapi = answers.openapi.as_ref().unwrap();
        let options = openapi.options().unwrap();
        assert_eq!(options.selection.operations, ["addPet", "GET /pet/{petId}"]);
        assert_eq!(options.auth, Some(crate::core::openapi::Auth::ApiKey));
        assert_eq!(options.auth_header.as_deref(), Some("X-API-Key"));
        // Saved again, it reads back the same.
        let again = OpenApiAnswers::of(&openapi.spec, &options);
        assert_eq!(&again, openapi);
        assert_eq!(Answers::parse(&answers.to_toml()).unwrap(), answers);
    }

    #[test]
    fn a_bad_openapi_part_is_refused_naming_its_key() {
        let err = Answers::parse("[openapi]\nspec = \"x.yaml\"\nauth = \"oauth\"\n").unwrap_err();
        assert!(
            err.message
                .starts_with("openapi.auth: unknown authentication `oauth`"),
            "{}",
            err.message
        );
        assert_eq!(
            err.hint.as_deref(),
            Some("use basic, apiKey, bearer or none")
        );
        let err = Answers::parse("[openapi]\nspec = \" \"\n").unwrap_err();
        assert_eq!(err.message, "openapi.spec is empty");
        let err = Answers::parse("[openapi]\nspec = \"x.yaml\"\nbogus = 1\n").unwrap_err();
        assert!(err.message.contains("bogus"), "{}", err.message);
    }

    #[test]
    fn a_relative_spec_is_relative_to_the_answers_file() {
        let mut a = OpenApiAnswers {
            spec: "specs/petstore.yaml".into(),
            ..OpenApiAnswers::default()
        };
        a.resolve_against(std::path::Path::new("/work/answers"));
        assert_eq!(a.spec, "/work/answers/specs/petstore.yaml");
        let mut url = OpenApiAnswers {
            spec: "https://example.com/spec.json".into(),
            ..OpenApiAnswers::default()
        };
        url.resolve_against(std::path::Path::new("/work/answers"));
        assert_eq!(url.spec, "https://example.com/spec.json");
    }
}
