//! The field designer as prompts: name, type, enum values, nested fields, required, secret,
//! default (checked against the type, typed hidden for secrets), description.

use dialoguer::{Confirm, Input, Password, Select};

use super::THEME;
use crate::core::model::field::{check_default, validate_field_name};
use crate::core::model::{FieldSpec, FieldType};
use crate::tui::screens::field_editor::TYPES;

pub fn ask_field(siblings: &[FieldSpec], depth: usize) -> anyhow::Result<FieldSpec> {
    let indent = "  ".repeat(depth);
    let taken: Vec<String> = siblings.iter().map(|f| f.name.clone()).collect();
    let name: String = Input::with_theme(&THEME)
        .with_prompt(format!("{indent}Field name"))
        .validate_with(|s: &String| {
            validate_field_name(s.trim()).map_err(|f| f.message)?;
            if taken.iter().any(|t| t == s.trim()) {
                return Err(format!("field `{}` is defined twice", s.trim()));
            }
            Ok(())
        })
        .interact_text()?;
    let picked = Select::with_theme(&THEME)
        .with_prompt(format!("{indent}Type"))
        .items(TYPES)
        .default(0)
        .interact()?;
    let ty = match TYPES[picked] {
        "enum" => {
            let values: String = Input::with_theme(&THEME)
                .with_prompt(format!("{indent}Values, separated by |"))
                .validate_with(|s: &String| {
                    FieldType::parse(&format!("enum({s})"))
                        .map(|_| ())
                        .map_err(|f| f.message)
                })
                .interact_text()?;
            FieldType::parse(&format!("enum({values})")).map_err(|f| anyhow::anyhow!(f.message))?
        }
        "object" | "list[object]" => {
            let mut sub = Vec::new();
            println!("{indent}Fields of `{}`:", name.trim());
            loop {
                let f = ask_field(&sub, depth + 1)?;
                sub.push(f);
                if !Confirm::with_theme(&THEME)
                    .with_prompt(format!("{indent}Another field in `{}`?", name.trim()))
                    .default(false)
                    .interact()?
                {
                    break;
                }
            }
            if TYPES[picked] == "object" {
                FieldType::Object(sub)
            } else {
                FieldType::ListOfObjects(sub)
            }
        }
        simple => FieldType::parse(simple).map_err(|f| anyhow::anyhow!(f.message))?,
    };
    let mut field = FieldSpec::new(name.trim(), ty);
    field.required = Confirm::with_theme(&THEME)
        .with_prompt(format!("{indent}Required?"))
        .default(false)
        .interact()?;
    field.secret = Confirm::with_theme(&THEME)
        .with_prompt(format!("{indent}Secret?"))
        .default(false)
        .interact()?;
    if !field.required && can_have_default(&field.ty) {
        let ty = field.ty.clone();
        let validate = move |s: &String| {
            if s.is_empty() {
                Ok(())
            } else {
                check_default(&ty, s).map_err(|f| f.message)
            }
        };
        let default: String = if field.secret {
            Password::with_theme(&THEME)
                .with_prompt(format!("{indent}Default (empty for none)"))
                .allow_empty_password(true)
                .validate_with(validate)
                .interact()?
        } else {
            Input::with_theme(&THEME)
                .with_prompt(format!("{indent}Default (empty for none)"))
                .allow_empty(true)
                .validate_with(validate)
                .interact_text()?
        };
        field.default = Some(default).filter(|d| !d.is_empty());
    }
    let description: String = Input::with_theme(&THEME)
        .with_prompt(format!("{indent}Description"))
        .allow_empty(true)
        .interact_text()?;
    field.description = Some(description).filter(|d| !d.trim().is_empty());
    println!("{indent}  = {field}");
    Ok(field)
}

fn can_have_default(ty: &FieldType) -> bool {
    !matches!(
        ty,
        FieldType::Datetime | FieldType::Dict | FieldType::Object(_) | FieldType::ListOfObjects(_)
    )
}
