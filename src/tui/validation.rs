//! The problems the wizard shows under fields and in the step bar. Everything here defers to the
//! core validators (`FieldSpec::validate`, `check_default`, `ComponentSpec::validate`, …); it only
//! adds what the designer can produce and a parsed FIELD spec cannot (an enum being typed).

use crate::core::deps::validate_requirement;
use crate::core::failure::Failure;
use crate::core::model::field::{check_default, validate_field_name, validate_fields};
use crate::core::model::{Answers, FieldSpec, FieldType};

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

pub fn field_problems(siblings: &[FieldSpec], index: usize) -> FieldProblems {
    let Some(field) = siblings.get(index) else {
        return FieldProblems::default();
    };
    let mut p = FieldProblems {
        name: validate_field_name(&field.name).err(),
        ..Default::default()
    };
    if p.name.is_none() && siblings.iter().take(index).any(|s| s.name == field.name) {
        p.name = Some(Failure::with_hint(
            format!("field `{}` is defined twice", field.name),
            "give each field its own name",
        ));
    }
    if let FieldType::Enum(_) = field.ty {
        p.values = FieldType::parse(&field.ty.spec_name()).err();
    }
    if let Some(default) = &field.default {
        p.default = if field.required {
            Some(Failure::with_hint(
                "a required field cannot have a default",
                "turn `required` off or clear the default",
            ))
        } else {
            check_default(&field.ty, default).err()
        };
    }
    if let Some(sub) = field.ty.sub_fields() {
        p.fields = if sub.is_empty() {
            Some(Failure::with_hint(
                "an object needs at least one field",
                "open Fields and add one",
            ))
        } else {
            check_fields(sub).err()
        };
    }
    p
}

/// A whole list of fields: the core validator, plus enum values as the designer edits them.
pub fn check_fields(fields: &[FieldSpec]) -> Result<(), Failure> {
    for i in 0..fields.len() {
        if let Some(f) = field_problems(fields, i).first() {
            let name = &fields[i].name;
            let message = if f.message.contains(&format!("`{name}`")) || name.is_empty() {
                f.message.clone()
            } else {
                format!("field `{name}`: {}", f.message)
            };
            return Err(Failure {
                message,
                hint: f.hint.clone(),
            });
        }
    }
    validate_fields(fields)
}

/// Which step a problem belongs to, for the step bar and the review.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepOf {
    Module,
    Configuration,
    Components,
    Dependencies,
}

pub fn answers_problems(answers: &Answers, needs_module: bool) -> Vec<(StepOf, Failure)> {
    let mut out = Vec::new();
    match &answers.module {
        Some(m) => out.extend(m.validate().into_iter().map(|(_, f)| (StepOf::Module, f))),
        None if needs_module => out.push((StepOf::Module, Failure::new("the module has no name"))),
        None => {}
    }
    if let Err(f) = check_fields(&answers.configuration) {
        out.push((StepOf::Configuration, f));
    }
    let mut classes = std::collections::HashSet::new();
    for c in &answers.components {
        let checked = c
            .validate()
            .and_then(|_| check_fields(&c.arguments))
            .and_then(|_| check_fields(&c.results));
        match checked {
            Err(f) if c.name.trim().is_empty() => out.push((StepOf::Components, f)),
            Err(f) => out.push((
                StepOf::Components,
                Failure {
                    message: format!("{} `{}`: {}", c.kind, c.name.trim(), f.message),
                    hint: f.hint,
                },
            )),
            Ok(()) if !classes.insert(c.class_name()) => out.push((
                StepOf::Components,
                Failure::with_hint(
                    format!("two components are named `{}`", c.class_name()),
                    "give each component its own name",
                ),
            )),
            Ok(()) => {}
        }
    }
    for dep in &answers.dependencies {
        if let Err(f) = validate_requirement(dep) {
            out.push((StepOf::Dependencies, f));
        }
    }
    if out.is_empty() {
        if let Err(f) = answers.validate() {
            out.push((StepOf::Components, f));
        }
    }
    out
}
