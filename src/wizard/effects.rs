//! What both front ends do with the answers once asked: plan the files through the core (a new
//! module, additions, or a release), explain an error in one line and a hint, and save the answers
//! without secrets.

use std::path::Path;

use super::Flow;
use crate::core::changelog::BumpPart;
use crate::core::failure::Failure;
use crate::core::generate::into_dir::{self, IntoExisting};
use crate::core::generate::{self, Generated};
use crate::core::model::{Answers, FieldSpec};
use crate::core::openapi::{self, Spec};
use crate::core::release::{self, Date, Target};

/// What a front end may add to the answers when planning: a release of an existing module (with
/// its notes and whether it is tagged), what to do with a new module's non-empty directory, and
/// operations chosen from an OpenAPI spec.
#[derive(Default)]
pub struct Extras<'a> {
    pub release: Option<ReleaseChoice<'a>>,
    pub into_existing: Option<IntoExisting>,
    pub openapi: Option<(&'a Spec, openapi::Options)>,
}

#[derive(Debug, Clone, Copy)]
pub struct ReleaseChoice<'a> {
    pub part: BumpPart,
    /// The changelog entry's text (`release --message`); empty for none.
    pub notes: &'a str,
    /// Tagged after writing (said in the plan's notes).
    pub tag: bool,
}

/// The files the answers give for `flow` (or the release of an existing module, shown like any
/// other plan), with the front end's extras.
pub fn plan(flow: &Flow, answers: &Answers, extras: &Extras) -> Result<Generated, Failure> {
    let result = match (flow, &extras.release, &extras.openapi) {
        (Flow::Existing { dir, .. }, Some(release), _) => plan_release(dir, release),
        (Flow::New { output_dir }, _, openapi) => {
            let mut answers = answers.clone();
            into_dir::new_module_into(&mut answers, extras.into_existing, &mut |a| match openapi {
                Some((spec, options)) => {
                    openapi::new_module_with_answers(a, spec, options, output_dir)
                }
                None => generate::new_module(a, output_dir),
            })
            .map(|(mut generated, kept)| {
                generated.notes.extend(
                    kept.iter()
                        .map(|k| format!("kept the existing {k} (overwrite replaces it)")),
                );
                generated
            })
        }
        (Flow::Existing { dir, .. }, None, Some((spec, options))) => {
            openapi::add_with_answers(dir, answers, spec, options)
        }
        (Flow::Existing { dir, .. }, None, None) => generate::add_to_module(dir, answers),
    };
    result.map_err(|e| failure_of(&e))
}

fn plan_release(dir: &Path, release: &ReleaseChoice) -> anyhow::Result<Generated> {
    let notes = Some(release.notes.trim()).filter(|n| !n.is_empty());
    let planned = release::plan(dir, &Target::Bump(release.part), notes, Date::today())?;
    let mut said = vec![format!(
        "release {} → {}",
        planned.previous, planned.version
    )];
    if release.tag {
        said.push(format!(
            "then commit CHANGELOG.md and manifest.json and tag {} (annotated)",
            release::tag_name(&planned.version)
        ));
    }
    Ok(Generated {
        plan: planned.plan,
        notes: said,
    })
}

/// The one-line cause and the hint of an error, as the CLI prints them.
pub fn failure_of(err: &anyhow::Error) -> Failure {
    let hint = err
        .chain()
        .find_map(|e| e.downcast_ref::<Failure>())
        .and_then(|f| f.hint.clone());
    let message = err
        .chain()
        .map(|e| e.to_string())
        .collect::<Vec<_>>()
        .join(": ");
    Failure { message, hint }
}

/// Answers files are shared and committed: a default typed for a secret field stays out of them.
pub fn without_secret_defaults(answers: &Answers) -> Answers {
    fn strip(fields: &mut [FieldSpec]) {
        for f in fields {
            if f.secret {
                f.default = None;
            }
            if let Some(sub) = f.ty.sub_fields_mut() {
                strip(sub);
            }
        }
    }
    let mut a = answers.clone();
    strip(&mut a.configuration);
    for c in &mut a.components {
        strip(&mut c.arguments);
        strip(&mut c.results);
    }
    a
}

/// Saves the answers (secret defaults left out) to `path`; the line to show either way.
pub fn save_answers(answers: &Answers, path: &Path) -> Result<String, String> {
    let text = without_secret_defaults(answers).to_toml();
    match std::fs::write(path, text) {
        Ok(()) => Ok(format!(
            "Saved the answers to {} (replay: sekoia-wizard --answers {0}).",
            path.display()
        )),
        Err(e) => Err(format!("Could not save {}: {e}", path.display())),
    }
}
