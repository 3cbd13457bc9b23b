//! The field designer as questions: name, type, enum values, nested fields, required, secret,
//! default (checked against the type, typed hidden for secrets), description. The parts that do
//! not apply (`wizard::fields::disabled`) are not asked; every check is the core's.

use super::ask::{self, walk, Nav, Step};
use crate::core::failure::Failure;
use crate::core::model::field::{own_problems, takes_default, FieldPart};
use crate::core::model::{FieldSpec, FieldType};
use crate::wizard::fields::{disabled, type_index, type_of_choice, Item, TYPES};

/// The core's verdict on `part` of `field`, were it added after `siblings`.
fn check_part(siblings: &[FieldSpec], field: &FieldSpec, part: FieldPart) -> Result<(), Failure> {
    let mut all = siblings.to_vec();
    all.push(field.clone());
    match own_problems(&all, siblings.len())
        .into_iter()
        .find(|(p, _)| *p == part)
    {
        Some((_, f)) => Err(f),
        None => Ok(()),
    }
}

/// Asks one field; `None` when the person went back from its first question (nothing added).
/// `results`: a field of an action's results (no secret, no default).
pub fn ask_field(
    siblings: &[FieldSpec],
    depth: usize,
    results: bool,
) -> anyhow::Result<Option<FieldSpec>> {
    let indent = "  ".repeat(depth);
    let mut field = FieldSpec::new("", FieldType::Str);
    let mut enum_text = String::new();
    let mut sub: Vec<FieldSpec> = Vec::new();
    let done = walk(Item::ALL.len(), |i| {
        let item = Item::ALL[i];
        if item != Item::Name && disabled(item, &field, results).is_some() {
            return Ok(Step::Skip);
        }
        Ok(match item {
            Item::Name => ask::text(&format!("{indent}Field name"), &field.name, |s| {
                check_part(
                    siblings,
                    &FieldSpec::new(s.trim(), FieldType::Str),
                    FieldPart::Name,
                )
            })?
            .then(|s| field.name = s.trim().to_string()),
            Item::Type => ask::choice(&format!("{indent}Type"), &TYPES, type_index(&field.ty))?
                .then(|picked| {
                    if let Some(old) = field.ty.sub_fields_mut() {
                        sub = std::mem::take(old);
                    }
                    let object = matches!(TYPES[picked], "object" | "list[object]");
                    let fields = if object {
                        std::mem::take(&mut sub)
                    } else {
                        Vec::new()
                    };
                    field.ty = type_of_choice(picked, &enum_text, fields);
                }),
            Item::Values => ask::text(
                &format!("{indent}Values, separated by |"),
                &enum_text,
                |s| {
                    let mut f = field.clone();
                    f.ty = type_of_choice(type_index(&field.ty), s, Vec::new());
                    check_part(siblings, &f, FieldPart::Values)
                },
            )?
            .then(|s| {
                field.ty = type_of_choice(type_index(&field.ty), &s, Vec::new());
                enum_text = s;
            }),
            Item::Fields => ask_sub_fields(&mut field, depth, results)?,
            Item::Required => ask::yes_no(&format!("{indent}Required?"), field.required)?
                .then(|yes| field.required = yes),
            Item::Secret => ask::yes_no(&format!("{indent}Secret?"), field.secret)?
                .then(|yes| field.secret = yes),
            // A question only a refusal can answer is not asked (the TUI shows the box and the
            // core's refusal under it).
            Item::Default if field.required || !takes_default(&field.ty) => {
                field.default = None;
                Step::Skip
            }
            Item::Default => {
                let prompt = format!("{indent}Default (empty for none)");
                let check = |s: &str| {
                    let mut f = field.clone();
                    f.default = Some(s.to_string()).filter(|d| !d.is_empty());
                    check_part(siblings, &f, FieldPart::Default)
                };
                let answer = if field.secret {
                    ask::hidden(&prompt, check)?
                } else {
                    ask::text(&prompt, field.default.as_deref().unwrap_or(""), check)?
                };
                answer.then(|d| field.default = Some(d).filter(|d| !d.is_empty()))
            }
            Item::Description => ask::text(
                &format!("{indent}Description"),
                field.description.as_deref().unwrap_or(""),
                |_| Ok(()),
            )?
            .then(|d| field.description = Some(d).filter(|d| !d.trim().is_empty())),
        })
    })?;
    if !done {
        println!("{indent}  (field not added)");
        return Ok(None);
    }
    println!("{indent}  = {field}");
    Ok(Some(field))
}

/// The fields of an object: at least one, then more on request. Back from the first sub-field's
/// first question goes back to the type.
fn ask_sub_fields(field: &mut FieldSpec, depth: usize, results: bool) -> anyhow::Result<Step> {
    let indent = "  ".repeat(depth);
    let name = field.name.clone();
    let Some(sub) = field.ty.sub_fields_mut() else {
        return Ok(Step::Skip);
    };
    println!("{indent}Fields of `{name}` ({} so far):", sub.len());
    loop {
        if sub.is_empty() {
            match ask_field(sub, depth + 1, results)? {
                Some(f) => sub.push(f),
                None => return Ok(Step::Back),
            }
            continue;
        }
        match ask::yes_no(&format!("{indent}Another field in `{name}`?"), false)? {
            Nav::Go(false) => return Ok(Step::Next),
            Nav::Go(true) => {
                if let Some(f) = ask_field(sub, depth + 1, results)? {
                    sub.push(f);
                }
            }
            Nav::Back => return Ok(Step::Back),
        }
    }
}
