//! The field designer's model, shared by both front ends: the type choices in order, the parts of
//! a field and which of them apply to a given field, and how a choice becomes a `FieldType`.

use crate::core::model::{FieldSpec, FieldType};

/// The type choices, in order: the core's simple types, then enum and the two object types.
pub const TYPES: [&str; 12] = {
    let simple = FieldType::SIMPLE;
    let mut all = [""; 12];
    let mut i = 0;
    while i < simple.len() {
        all[i] = simple[i];
        i += 1;
    }
    all[simple.len()] = "enum";
    all[simple.len() + 1] = "object";
    all[simple.len() + 2] = "list[object]";
    all
};

/// The parts of a field, always in this order; those that do not apply to the type (or to results)
/// are skipped (the TUI shows them disabled, `--plain` does not ask them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Item {
    Name,
    Type,
    Values,
    Fields,
    Required,
    Secret,
    Default,
    Description,
}

impl Item {
    pub const ALL: [Item; 8] = [
        Item::Name,
        Item::Type,
        Item::Values,
        Item::Fields,
        Item::Required,
        Item::Secret,
        Item::Default,
        Item::Description,
    ];

    pub fn is_text(self) -> bool {
        matches!(
            self,
            Item::Name | Item::Values | Item::Default | Item::Description
        )
    }

    /// Letters go to the item: text, or the type picker's type-ahead.
    pub fn takes_letters(self) -> bool {
        self.is_text() || self == Item::Type
    }
}

/// Why `item` does not apply to `field`, if it does not (`results`: the field is one the action
/// returns, which has no secret and no default).
pub fn disabled(item: Item, field: &FieldSpec, results: bool) -> Option<&'static str> {
    let object = field.ty.sub_fields().is_some();
    match item {
        Item::Values if !matches!(field.ty, FieldType::Enum(_)) => Some("enum types only"),
        Item::Fields if !object => Some("object types only"),
        Item::Secret if results => Some("results are never secret"),
        Item::Default if results => Some("results have no default"),
        Item::Default if object => Some("objects have no default"),
        _ => None,
    }
}

/// Enum values as typed, `get|post`.
pub fn split_values(text: &str) -> Vec<String> {
    if text.trim().is_empty() {
        Vec::new()
    } else {
        text.split('|').map(|v| v.trim().to_string()).collect()
    }
}

/// The index in `TYPES` of a field type.
pub fn type_index(ty: &FieldType) -> usize {
    let name = match ty {
        FieldType::Enum(_) => "enum".to_string(),
        other => other.spec_name(),
    };
    TYPES.iter().position(|t| *t == name).unwrap_or(0)
}

/// The type for choice `index` of `TYPES`: an enum gets `enum_text`'s values, an object `sub`.
pub fn type_of_choice(index: usize, enum_text: &str, sub: Vec<FieldSpec>) -> FieldType {
    match TYPES[index % TYPES.len()] {
        "enum" => FieldType::Enum(split_values(enum_text)),
        "object" => FieldType::Object(sub),
        "list[object]" => FieldType::ListOfObjects(sub),
        simple => FieldType::parse(simple).expect("TYPES lists valid types"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_choice_round_trips_through_its_type() {
        for (i, name) in TYPES.iter().enumerate() {
            let ty = type_of_choice(i, "a|b", vec![FieldSpec::new("x", FieldType::Str)]);
            assert_eq!(type_index(&ty), i, "{name}");
        }
    }

    #[test]
    fn results_and_objects_take_no_default() {
        let obj = FieldSpec::new("o", FieldType::Object(vec![]));
        let s = FieldSpec::new("s", FieldType::Str);
        assert!(disabled(Item::Default, &obj, false).is_some());
        assert!(disabled(Item::Default, &s, true).is_some());
        assert!(disabled(Item::Secret, &s, true).is_some());
        assert!(disabled(Item::Default, &s, false).is_none());
    }
}
