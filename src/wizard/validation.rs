//! The problems of the answers, in one place for both front ends: the TUI shows them under fields,
//! in the step bar and on the review; `--plain` prints them. Every rule is the core's
//! (`core::model::field::own_problems`, `ComponentSpec::validate`, `validate_requirement`,
//! `Answers::validate`); this file only says where each problem belongs.

use crate::core::deps::validate_requirement;
use crate::core::failure::Failure;
use crate::core::model::component::name_clash;
use crate::core::model::field::{first_problem, own_problems, validate_fields, FieldPart};
use crate::core::model::{Answers, ComponentSpec, FieldSpec};

/// Problems of one field, by the part of the designer they belong under.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldProblems {
    pub name: Option<Failure>,
    pub values: Option<Failure>,
    pub default: Option<Failure>,
    pub fields: Option<Failure>,
}

impl FieldProblems {
    pub fn first(&self) -> Option<&Failure> {
        self.name
            .as_ref()
            .or(self.values.as_ref())
            .or(self.default.as_ref())
            .or(self.fields.as_ref())
    }
}

/// The problems of `siblings[index]`, by part; a problem of a sub-field shows under `fields`.
pub fn field_problems(siblings: &[FieldSpec], index: usize) -> FieldProblems {
    let mut p = FieldProblems::default();
    for (part, failure) in own_problems(siblings, index) {
        let slot = match part {
            FieldPart::Name => &mut p.name,
            FieldPart::Values => &mut p.values,
            FieldPart::Default => &mut p.default,
            FieldPart::Fields => &mut p.fields,
        };
        slot.get_or_insert(failure);
    }
    if p.fields.is_none() {
        let sub = siblings.get(index).and_then(|f| f.ty.sub_fields());
        p.fields = sub.and_then(first_problem).map(|inner| inner.to_failure());
    }
    p
}

/// Problems of one component, by the part of the component editor they belong under.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ComponentProblems {
    pub name: Option<Failure>,
    pub arguments: Option<Failure>,
    pub results: Option<Failure>,
}

impl ComponentProblems {
    pub fn first(&self) -> Option<&Failure> {
        self.name
            .as_ref()
            .or(self.arguments.as_ref())
            .or(self.results.as_ref())
    }
}

/// The problems of `components[index]`: its name (with another component of the same class),
/// its arguments, its results.
pub fn component_problems(components: &[ComponentSpec], index: usize) -> ComponentProblems {
    let Some(c) = components.get(index) else {
        return ComponentProblems::default();
    };
    let name = c.validate_name().err().or_else(|| {
        let class = c.class_name();
        let same = components
            .iter()
            .filter(|o| o.class_name() == class)
            .count();
        (same > 1)
            .then(|| same_class(&class))
            .or_else(|| name_clash(components, index))
    });
    ComponentProblems {
        name,
        arguments: validate_fields(&c.arguments).err(),
        results: c
            .results_problem()
            .or_else(|| validate_fields(&c.results).err()),
    }
}

/// Two components would have the same class (and files).
pub fn same_class(class: &str) -> Failure {
    Failure::with_hint(
        format!("another component is named `{class}`"),
        "give each component its own name",
    )
}

/// Which step a problem belongs to, for the step bar and the review.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepOf {
    Module,
    Configuration,
    Components,
    Dependencies,
}

/// One problem of the answers: the step, where in the answers (`module.name`,
/// `configuration.auth.username.default`, `components[0].arguments.url.name`, `dependencies[1]`),
/// and what is wrong with how to fix it. Front ends only render it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub step: StepOf,
    pub path: String,
    pub failure: Failure,
}

impl Problem {
    fn new(step: StepOf, path: impl Into<String>, failure: Failure) -> Problem {
        Problem {
            step,
            path: path.into(),
            failure,
        }
    }
}

fn part_name(part: FieldPart) -> &'static str {
    match part {
        FieldPart::Name => "name",
        FieldPart::Values => "values",
        FieldPart::Default => "default",
        FieldPart::Fields => "fields",
    }
}

/// The path of the first problem of `fields` under `prefix`, if there is one.
fn fields_path(prefix: &str, fields: &[FieldSpec]) -> Option<String> {
    first_problem(fields).map(|p| format!("{prefix}.{}.{}", p.path.join("."), part_name(p.part)))
}

pub fn answers_problems(answers: &Answers, needs_module: bool) -> Vec<Problem> {
    let mut out = Vec::new();
    match &answers.module {
        Some(m) => out.extend(
            m.validate()
                .into_iter()
                .map(|(part, f)| Problem::new(StepOf::Module, format!("module.{part}"), f)),
        ),
        None if needs_module => out.push(Problem::new(
            StepOf::Module,
            "module.name",
            Failure::new("the module has no name"),
        )),
        None => {}
    }
    if let Some(p) = first_problem(&answers.configuration) {
        let path = fields_path("configuration", &answers.configuration).unwrap_or_default();
        out.push(Problem::new(StepOf::Configuration, path, p.to_failure()));
    }
    let mut classes = std::collections::HashSet::new();
    for (i, c) in answers.components.iter().enumerate() {
        let at = format!("components[{i}]");
        match c.validate() {
            Err(f) if c.name.trim().is_empty() => {
                out.push(Problem::new(StepOf::Components, format!("{at}.name"), f))
            }
            Err(f) => {
                let path = fields_path(&format!("{at}.arguments"), &c.arguments)
                    .or_else(|| fields_path(&format!("{at}.results"), &c.results))
                    .unwrap_or_else(|| format!("{at}.name"));
                let message = format!("{} `{}`: {}", c.kind, c.name.trim(), f.message);
                let failure = Failure {
                    message,
                    hint: f.hint,
                };
                out.push(Problem::new(StepOf::Components, path, failure))
            }
            Ok(()) if !classes.insert(c.class_name()) => out.push(Problem::new(
                StepOf::Components,
                format!("{at}.name"),
                same_class(&c.class_name()),
            )),
            Ok(()) => {}
        }
    }
    for (i, dep) in answers.dependencies.iter().enumerate() {
        if let Err(f) = validate_requirement(dep) {
            out.push(Problem::new(
                StepOf::Dependencies,
                format!("dependencies[{i}]"),
                f,
            ));
        }
    }
    if out.is_empty() {
        if let Err(f) = answers.validate() {
            out.push(Problem::new(StepOf::Components, "components", f));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::{ComponentKind, ComponentSpec, FieldType, ModuleSpec};

    #[test]
    fn each_problem_says_where_it_is() {
        let mut nested = FieldSpec::new("auth", FieldType::Object(vec![]));
        let mut inner = FieldSpec::new("port", FieldType::Int);
        inner.default = Some("five".into());
        nested.ty.sub_fields_mut().unwrap().push(inner);
        let mut action = ComponentSpec::new(ComponentKind::Action, "Request".to_string());
        let mut url = FieldSpec::new("url", FieldType::Url);
        url.required = true;
        url.default = Some("https://x".into());
        action.arguments.push(url);
        let answers = Answers {
            module: Some(ModuleSpec::default()),
            configuration: vec![nested],
            components: vec![action],
            dependencies: vec!["requests>=".into()],
            openapi: None,
        };
        let got: Vec<(StepOf, String)> = answers_problems(&answers, true)
            .into_iter()
            .map(|p| (p.step, p.path))
            .collect();
        assert_eq!(
            got,
            [
                (StepOf::Module, "module.name".to_string()),
                (
                    StepOf::Configuration,
                    "configuration.auth.port.default".into()
                ),
                (
                    StepOf::Components,
                    "components[0].arguments.url.default".into()
                ),
                (StepOf::Dependencies, "dependencies[0]".into()),
            ]
        );
        let config = &answers_problems(&answers, true)[1].failure;
        assert_eq!(
            config.message,
            "field `auth`: field `port`: default `five` is not a whole number"
        );
    }

    #[test]
    fn a_component_problem_is_filed_under_its_part() {
        let action = ComponentSpec::new(ComponentKind::Action, "Get alert".to_string());
        let same = ComponentSpec::new(ComponentKind::Action, "GetAlert".to_string());
        let mut connector = ComponentSpec::new(ComponentKind::Connector, "Events".to_string());
        connector.results.push(FieldSpec::new("x", FieldType::Str));
        let all = [action, same, connector];
        let dup = component_problems(&all, 1);
        assert_eq!(
            dup.name.unwrap().message,
            "another component is named `GetAlert`"
        );
        let case = [
            ComponentSpec::new(ComponentKind::Action, "GetAlert".to_string()),
            ComponentSpec::new(ComponentKind::Action, "Getalert".to_string()),
        ];
        assert!(component_problems(&case, 0).name.is_none());
        assert!(component_problems(&case, 1)
            .name
            .unwrap()
            .message
            .contains("differ only in case"));
        let c = component_problems(&all, 2);
        assert!(c.name.is_none() && c.arguments.is_none());
        assert_eq!(c.results.unwrap().message, "a connector has no results");
    }

    #[test]
    fn a_field_problem_is_filed_under_its_part() {
        let mut f = FieldSpec::new("model_x", FieldType::Int);
        f.default = Some("five".into());
        let p = field_problems(&[f], 0);
        assert!(p.name.unwrap().message.contains("reserved"));
        assert_eq!(
            p.default.unwrap().message,
            "default `five` is not a whole number"
        );
        assert!(p.values.is_none() && p.fields.is_none());
    }
}
