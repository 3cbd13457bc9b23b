//! What both front ends do with the answers once asked: plan the files through the core (a new
//! module, additions, or a release), explain an error in one line and a hint, and save the answers
//! without secrets.

use std::path::Path;

use super::Flow;
use crate::core::changelog::BumpPart;
use crate::core::failure::Failure;
use crate::core::generate::{self, Generated};
use crate::core::model::{Answers, FieldSpec};
use crate::core::release::{self, Date, Target};

/// The files the answers give for `flow` (or, with `release`, the release of an existing module,
/// shown like any other plan).
pub fn plan(
    flow: &Flow,
    answers: &Answers,
    release: Option<BumpPart>,
) -> Result<Generated, Failure> {
    let result = match (flow, release) {
        (Flow::New { output_dir }, _) => generate::new_module(answers, output_dir),
        (Flow::Existing { dir, .. }, Some(part)) => plan_release(dir, part),
        (Flow::Existing { dir, .. }, None) => generate::add_to_module(dir, answers),
    };
    result.map_err(|e| failure_of(&e))
}

fn plan_release(dir: &Path, part: BumpPart) -> anyhow::Result<Generated> {
    let release = release::plan(dir, &Target::Bump(part), None, Date::today())?;
    let note = format!("release {} → {}", release.previous, release.version);
    Ok(Generated {
        plan: release.plan,
        notes: vec![note],
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
