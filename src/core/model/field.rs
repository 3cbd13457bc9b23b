//! Fields of a pydantic model (arguments, configuration, results): their types, options, the
//! `NAME:TYPE[,required][,secret][,default=VALUE][,desc=TEXT]` syntax of `--arg` / `--result`, and the
//! one validator every front end uses.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::core::failure::Failure;
use crate::core::naming::is_identifier;

/// The types a designed field can have.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldType {
    Str,
    Int,
    Float,
    Bool,
    Url,
    Datetime,
    Dict,
    ListStr,
    ListInt,
    Enum(Vec<String>),
    /// A nested model with its own fields.
    Object(Vec<FieldSpec>),
    /// A list of nested models.
    ListOfObjects(Vec<FieldSpec>),
}

impl FieldType {
    /// The simple type names, in the order a picker shows them.
    pub const SIMPLE: [&'static str; 9] = [
        "str",
        "int",
        "float",
        "bool",
        "url",
        "datetime",
        "dict",
        "list[str]",
        "list[int]",
    ];

    /// The name used in FIELD specs and answers files (`enum(a|b)`, `object`, `list[object]`).
    pub fn spec_name(&self) -> String {
        match self {
            FieldType::Str => "str".into(),
            FieldType::Int => "int".into(),
            FieldType::Float => "float".into(),
            FieldType::Bool => "bool".into(),
            FieldType::Url => "url".into(),
            FieldType::Datetime => "datetime".into(),
            FieldType::Dict => "dict".into(),
            FieldType::ListStr => "list[str]".into(),
            FieldType::ListInt => "list[int]".into(),
            FieldType::Enum(values) => format!("enum({})", values.join("|")),
            FieldType::Object(_) => "object".into(),
            FieldType::ListOfObjects(_) => "list[object]".into(),
        }
    }

    /// Sub-fields of object types.
    pub fn sub_fields(&self) -> Option<&[FieldSpec]> {
        match self {
            FieldType::Object(f) | FieldType::ListOfObjects(f) => Some(f),
            _ => None,
        }
    }

    pub fn sub_fields_mut(&mut self) -> Option<&mut Vec<FieldSpec>> {
        match self {
            FieldType::Object(f) | FieldType::ListOfObjects(f) => Some(f),
            _ => None,
        }
    }

    /// Parses a type name; object types start with no sub-fields.
    pub fn parse(text: &str) -> Result<FieldType, Failure> {
        let t = text.trim();
        let simple = match t {
            "str" | "string" => Some(FieldType::Str),
            "int" | "integer" => Some(FieldType::Int),
            "float" | "number" => Some(FieldType::Float),
            "bool" | "boolean" => Some(FieldType::Bool),
            "url" => Some(FieldType::Url),
            "datetime" => Some(FieldType::Datetime),
            "dict" => Some(FieldType::Dict),
            "list[str]" => Some(FieldType::ListStr),
            "list[int]" => Some(FieldType::ListInt),
            "object" => Some(FieldType::Object(Vec::new())),
            "list[object]" => Some(FieldType::ListOfObjects(Vec::new())),
            _ => None,
        };
        if let Some(s) = simple {
            return Ok(s);
        }
        if let Some(inner) = t.strip_prefix("enum(").and_then(|r| r.strip_suffix(')')) {
            let values: Vec<String> = inner.split('|').map(|v| v.trim().to_string()).collect();
            if values.iter().any(String::is_empty) {
                return Err(Failure::with_hint(
                    format!("enum `{t}` has an empty value"),
                    "list the values separated by |, e.g. enum(get|post)",
                ));
            }
            let mut seen = std::collections::HashSet::new();
            if let Some(dup) = values.iter().find(|v| !seen.insert(v.as_str())) {
                return Err(Failure::with_hint(
                    format!("enum `{t}` lists `{dup}` twice"),
                    "list each value once",
                ));
            }
            return Ok(FieldType::Enum(values));
        }
        Err(Failure::with_hint(
            format!("unknown type `{t}`"),
            format!(
                "use one of: {}, enum(a|b|c), object, list[object]",
                FieldType::SIMPLE.join(", ")
            ),
        ))
    }
}

impl fmt::Display for FieldType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.spec_name())
    }
}

/// One field of a model.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RawField", into = "RawField")]
pub struct FieldSpec {
    pub name: String,
    pub ty: FieldType,
    pub required: bool,
    /// Module and connector/trigger configuration secrets: masked by the platform.
    pub secret: bool,
    /// The default as typed by the person; checked against the type by `validate`.
    pub default: Option<String>,
    pub description: Option<String>,
}

impl FieldSpec {
    pub fn new(name: impl Into<String>, ty: FieldType) -> Self {
        FieldSpec {
            name: name.into(),
            ty,
            required: false,
            secret: false,
            default: None,
            description: None,
        }
    }

    /// Neither required nor defaulted: `T | None = None` in Python.
    pub fn is_optional(&self) -> bool {
        !self.required && self.default.is_none()
    }

    /// The first problem with this field (and its sub-fields), as one sentence naming the field.
    pub fn validate(&self) -> Result<(), Failure> {
        validate_fields(std::slice::from_ref(self))
    }
}

/// The part of a field a problem concerns (where the designer shows it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldPart {
    Name,
    Values,
    Default,
    Fields,
}

/// One problem of a field in a list of fields: the field's path (names, outermost first), the part
/// at fault and what is wrong with it. `failure` does not repeat the field's name unless `part` is
/// `Name`; `to_failure` gives the one-line sentence that names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldProblem {
    pub path: Vec<String>,
    pub part: FieldPart,
    pub failure: Failure,
}

impl FieldProblem {
    /// `field `x`: default `five` is not a whole number`; a nested field names its parents first.
    pub fn to_failure(&self) -> Failure {
        let (own, parents) = self
            .path
            .split_last()
            .map_or(("", &[][..]), |(o, p)| (o.as_str(), p));
        let mut message = String::new();
        if !parents.is_empty() {
            message.push_str(&format!("field `{}`: ", parents.join(".")));
        }
        if self.part != FieldPart::Name && !own.is_empty() {
            message.push_str(&format!("field `{own}`: "));
        }
        message.push_str(&self.failure.message);
        Failure {
            message,
            hint: self.failure.hint.clone(),
        }
    }
}

/// The problems of `fields[index]` itself, by part (its sub-fields' own problems are not listed:
/// `first_problem` finds those). Every rule on one field lives here.
pub fn own_problems(fields: &[FieldSpec], index: usize) -> Vec<(FieldPart, Failure)> {
    let Some(field) = fields.get(index) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    if let Err(f) = validate_field_name(&field.name) {
        out.push((FieldPart::Name, f));
    } else if fields.iter().take(index).any(|s| s.name == field.name) {
        out.push((
            FieldPart::Name,
            Failure::with_hint(
                format!("field `{}` is defined twice", field.name),
                "give each field its own name",
            ),
        ));
    }
    if let FieldType::Enum(_) = field.ty {
        if let Err(f) = FieldType::parse(&field.ty.spec_name()) {
            out.push((FieldPart::Values, f));
        }
    }
    if let Some(default) = &field.default {
        let checked = if field.required {
            Err(Failure::with_hint(
                "a required field cannot have a default",
                "drop `required` or the default",
            ))
        } else {
            check_default(&field.ty, default)
        };
        if let Err(f) = checked {
            out.push((FieldPart::Default, f));
        }
    }
    if field.ty.sub_fields().is_some_and(|sub| sub.is_empty()) {
        out.push((
            FieldPart::Fields,
            Failure::with_hint(
                "an object needs at least one field",
                "give it at least one field (answers file: `fields = [...]`)",
            ),
        ));
    }
    out
}

/// The first problem in a list of fields, depth first (a field's own parts before its sub-fields).
pub fn first_problem(fields: &[FieldSpec]) -> Option<FieldProblem> {
    for (i, field) in fields.iter().enumerate() {
        if let Some((part, failure)) = own_problems(fields, i).into_iter().next() {
            return Some(FieldProblem {
                path: vec![field.name.clone()],
                part,
                failure,
            });
        }
        if let Some(mut inner) = field.ty.sub_fields().and_then(first_problem) {
            inner.path.insert(0, field.name.clone());
            return Some(inner);
        }
    }
    None
}

/// Validates a list of fields: each field, its sub-fields, and that no name is used twice.
pub fn validate_fields(fields: &[FieldSpec]) -> Result<(), Failure> {
    match first_problem(fields) {
        Some(p) => Err(p.to_failure()),
        None => Ok(()),
    }
}

/// Names pydantic's `BaseModel` uses itself: a field with one of these shadows it and breaks the model.
const RESERVED_FIELD_NAMES: &[&str] = &[
    "copy",
    "dict",
    "json",
    "parse_obj",
    "parse_raw",
    "parse_file",
    "schema",
    "schema_json",
    "construct",
    "validate",
    "fields",
    "update_forward_refs",
    "from_orm",
];

pub fn validate_field_name(name: &str) -> Result<(), Failure> {
    if name.is_empty() {
        return Err(Failure::with_hint(
            "a field has no name",
            "write NAME:TYPE, e.g. url:url",
        ));
    }
    if !is_identifier(name) || !name.is_ascii() {
        return Err(Failure::with_hint(
            format!("field name `{name}` is not a valid Python identifier"),
            "use lowercase letters, digits and underscores, e.g. api_key",
        ));
    }
    // A field is a class attribute: named like a type the model's annotations use, it hides that
    // type for the fields after it (`str: str`, `datetime: datetime | None`).
    const SHADOWING: &[&str] = &[
        "str",
        "int",
        "float",
        "bool",
        "list",
        "datetime",
        "timezone",
        "HttpUrl",
        "Literal",
        "Field",
        "BaseModel",
        "Any",
        "Optional",
    ];
    if SHADOWING.contains(&name) {
        return Err(Failure::with_hint(
            format!("field name `{name}` would hide the `{name}` the generated model uses"),
            format!("choose another name, e.g. `{}_value`", name.to_lowercase()),
        ));
    }
    if name.starts_with('_') || name.starts_with("model_") || RESERVED_FIELD_NAMES.contains(&name) {
        return Err(Failure::with_hint(
            format!("field name `{name}` is reserved by pydantic"),
            "choose another name (no leading underscore, no `model_` prefix)",
        ));
    }
    Ok(())
}

/// Checks that a default fits its type, returning the hint a person needs.
/// Whether a field of type `ty` can have a default at all (`check_default` refuses any other).
pub fn takes_default(ty: &FieldType) -> bool {
    !matches!(
        ty,
        FieldType::Datetime | FieldType::Dict | FieldType::Object(_) | FieldType::ListOfObjects(_)
    )
}

pub fn check_default(ty: &FieldType, text: &str) -> Result<(), Failure> {
    let bad = |what: &str| {
        Err(Failure::with_hint(
            format!("default `{text}` is not {what}"),
            format!("give {what}"),
        ))
    };
    match ty {
        FieldType::Str => Ok(()),
        FieldType::Int => text
            .trim()
            .parse::<i64>()
            .map(|_| ())
            .or_else(|_| bad("a whole number")),
        FieldType::Float => match text.trim().parse::<f64>() {
            Ok(f) if f.is_finite() => Ok(()),
            _ => bad("a number"),
        },
        FieldType::Bool => match text.trim().to_ascii_lowercase().as_str() {
            "true" | "false" => Ok(()),
            _ => bad("true or false"),
        },
        FieldType::Url => {
            let t = text.trim();
            // pydantic's HttpUrl needs a host: `https://` alone is refused at run time.
            let rest = t
                .strip_prefix("http://")
                .or_else(|| t.strip_prefix("https://"));
            let host = rest
                .map(|r| r.split(['/', '?', '#']).next().unwrap_or(""))
                .map(|h| {
                    h.rsplit('@')
                        .next()
                        .unwrap_or("")
                        .split(':')
                        .next()
                        .unwrap_or("")
                });
            if host.is_some_and(|h| !h.is_empty()) && !t.contains(' ') {
                Ok(())
            } else {
                bad("an http(s) URL")
            }
        }
        FieldType::Enum(values) => {
            if values.iter().any(|v| v == text) {
                Ok(())
            } else {
                Err(Failure::with_hint(
                    format!("default `{text}` is not one of the enum values"),
                    format!("use one of: {}", values.join(", ")),
                ))
            }
        }
        FieldType::ListStr => Ok(()),
        FieldType::ListInt => {
            if list_items(text).all(|i| i.trim().parse::<i64>().is_ok()) {
                Ok(())
            } else {
                bad("whole numbers separated by |")
            }
        }
        FieldType::Datetime
        | FieldType::Dict
        | FieldType::Object(_)
        | FieldType::ListOfObjects(_) => Err(Failure::with_hint(
            format!("a {} field cannot have a default here", ty.spec_name()),
            "leave it optional and set the value in the code",
        )),
    }
}

/// List defaults are written `a|b|c` (a comma would end the option in FIELD specs); an item
/// holding `|` or `\\` writes it `\\|` / `\\\\` (see [`join_list_items`]).
pub fn list_items(text: &str) -> impl Iterator<Item = String> {
    let mut items = Vec::new();
    let mut current = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(next @ ('|' | '\\')) => current.push(next),
                Some(other) => {
                    current.push('\\');
                    current.push(other);
                }
                None => current.push('\\'),
            },
            '|' => items.push(std::mem::take(&mut current)),
            other => current.push(other),
        }
    }
    items.push(current);
    items.into_iter().filter(|s| !s.is_empty())
}

/// The inverse of [`list_items`]: `["a|b", "c"]` → `a\\|b|c`.
pub fn join_list_items<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    items
        .into_iter()
        .map(|i| i.replace('\\', "\\\\").replace('|', "\\|"))
        .collect::<Vec<_>>()
        .join("|")
}

impl FromStr for FieldSpec {
    type Err = Failure;

    /// Parses `NAME:TYPE[,required][,secret][,default=VALUE][,desc=TEXT]`; `desc=` takes the rest.
    fn from_str(spec: &str) -> Result<Self, Failure> {
        let hint = "write NAME:TYPE[,required][,secret][,default=VALUE][,desc=TEXT], e.g. url:url,required";
        let (name, rest) = spec
            .split_once(':')
            .ok_or_else(|| Failure::with_hint(format!("field `{spec}` has no type"), hint))?;
        let name = name.trim();
        // The type ends at the first comma outside parentheses and brackets.
        let mut depth = 0i32;
        let mut type_end = rest.len();
        for (i, c) in rest.char_indices() {
            match c {
                '(' | '[' => depth += 1,
                ')' | ']' => depth -= 1,
                ',' if depth == 0 => {
                    type_end = i;
                    break;
                }
                _ => {}
            }
        }
        let ty = FieldType::parse(&rest[..type_end]).map_err(|f| Failure {
            message: format!("field `{name}`: {}", f.message),
            hint: f.hint,
        })?;
        let mut field = FieldSpec::new(name, ty);
        let mut options = rest.get(type_end + 1..).unwrap_or("");
        while !options.is_empty() {
            if let Some(desc) = options.strip_prefix("desc=") {
                field.description = Some(desc.to_string());
                break;
            }
            let (option, next) = split_option(options);
            match option {
                "required" => field.required = true,
                "secret" => field.secret = true,
                o if o.starts_with("default=") => {
                    field.default = Some(o["default=".len()..].to_string())
                }
                other => {
                    return Err(Failure::with_hint(
                        format!("field `{name}`: unknown option `{other}`"),
                        "options are required, secret, default=VALUE and desc=TEXT (last)",
                    ))
                }
            }
            options = next;
        }
        field.validate()?;
        Ok(field)
    }
}

/// Splits off the next option: a default value runs until the next known option.
fn split_option(options: &str) -> (&str, &str) {
    let known = [",required", ",secret", ",default=", ",desc="];
    let end = if options.starts_with("default=") {
        known
            .iter()
            .filter_map(|k| options.find(k))
            .min()
            .unwrap_or(options.len())
    } else {
        options.find(',').unwrap_or(options.len())
    };
    (&options[..end], options.get(end + 1..).unwrap_or(""))
}

impl fmt::Display for FieldSpec {
    /// The FIELD spec form, which parses back to the same field (sub-fields excepted).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.name, self.ty)?;
        if self.required {
            f.write_str(",required")?;
        }
        if self.secret {
            f.write_str(",secret")?;
        }
        if let Some(d) = &self.default {
            write!(f, ",default={d}")?;
        }
        if let Some(d) = &self.description {
            write!(f, ",desc={d}")?;
        }
        Ok(())
    }
}

/// The answers-file form of a field.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawField {
    name: String,
    #[serde(rename = "type")]
    ty: String,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    required: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    secret: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    default: Option<toml::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    fields: Vec<FieldSpec>,
}

impl TryFrom<RawField> for FieldSpec {
    type Error = Failure;

    fn try_from(raw: RawField) -> Result<Self, Failure> {
        let mut ty = FieldType::parse(&raw.ty).map_err(|f| Failure {
            message: format!("field `{}`: {}", raw.name, f.message),
            hint: f.hint,
        })?;
        match ty.sub_fields_mut() {
            Some(sub) => *sub = raw.fields,
            None if !raw.fields.is_empty() => {
                return Err(Failure::with_hint(
                    format!(
                        "field `{}` has `fields` but its type is {}",
                        raw.name, raw.ty
                    ),
                    "use type = \"object\" or \"list[object]\" for nested fields",
                ))
            }
            None => {}
        }
        let default = raw.default.map(|v| match v {
            toml::Value::String(s) => s,
            toml::Value::Array(items) => {
                let items: Vec<String> = items
                    .iter()
                    .map(|i| match i {
                        toml::Value::String(s) => s.clone(),
                        other => other.to_string(),
                    })
                    .collect();
                join_list_items(items.iter().map(String::as_str))
            }
            other => other.to_string(),
        });
        let field = FieldSpec {
            name: raw.name,
            ty,
            required: raw.required,
            secret: raw.secret,
            default,
            description: raw.description,
        };
        field.validate()?;
        Ok(field)
    }
}

impl From<FieldSpec> for RawField {
    fn from(f: FieldSpec) -> Self {
        let ty = f.ty.spec_name();
        let fields =
            f.ty.sub_fields()
                .map(<[FieldSpec]>::to_vec)
                .unwrap_or_default();
        RawField {
            name: f.name,
            ty,
            required: f.required,
            secret: f.secret,
            default: f.default.map(toml::Value::String),
            description: f.description,
            fields,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_guide_examples() {
        let f: FieldSpec = "method:enum(get|post|put|patch|delete),required"
            .parse()
            .unwrap();
        assert_eq!(
            f.ty,
            FieldType::Enum(vec![
                "get".into(),
                "post".into(),
                "put".into(),
                "patch".into(),
                "delete".into()
            ])
        );
        assert!(f.required);
        let f: FieldSpec = "api_key:str,required,secret,desc=API Key, the one"
            .parse()
            .unwrap();
        assert!(f.secret && f.required);
        assert_eq!(f.description.as_deref(), Some("API Key, the one"));
        let f: FieldSpec = "polling_interval:int,default=5,desc=Polling interval in minutes"
            .parse()
            .unwrap();
        assert_eq!(f.default.as_deref(), Some("5"));
        assert!(!f.is_optional());
        let f: FieldSpec = "headers:dict".parse().unwrap();
        assert!(f.is_optional());
        assert_eq!(f.to_string().parse::<FieldSpec>().unwrap(), f);
    }

    #[test]
    fn errors_name_the_offending_part() {
        let err = |s: &str| s.parse::<FieldSpec>().unwrap_err().message;
        assert!(err("url").contains("no type"));
        assert!(err("url:uri").contains("unknown type `uri`"));
        assert!(err("n:int,default=five").contains("default `five`"));
        assert!(err("class:str").contains("not a valid Python identifier"));
        assert!(err("m:enum(a|b),default=c").contains("not one of the enum values"));
        assert!(err("x:str,mandatory").contains("unknown option `mandatory`"));
        assert!(err("x:str,required,default=a")
            .contains("field `x`: a required field cannot have a default"));
        assert!(err("model_x:str").contains("reserved"));
    }
}

#[cfg(test)]
mod url_default_tests {
    use super::*;

    #[test]
    fn a_url_default_needs_a_host() {
        for bad in [
            "https://",
            "http://",
            "https:///path",
            "https://:8080",
            "ftp://x.io",
            "https://a b",
        ] {
            assert!(
                format!("u:url,default={bad}")
                    .parse::<FieldSpec>()
                    .and_then(|f| validate_fields(&[f]))
                    .is_err(),
                "{bad}"
            );
        }
        for good in [
            "https://x.io",
            "http://localhost:8080/api",
            "https://user@host/p?q#f",
        ] {
            let f: FieldSpec = format!("u:url,default={good}").parse().unwrap();
            assert!(validate_fields(&[f]).is_ok(), "{good}");
        }
    }
}

#[cfg(test)]
mod list_default_tests {
    use super::*;

    /// Issue 15 (7): list defaults containing `|` were split.
    #[test]
    fn list_items_keep_escaped_bars() {
        let items: Vec<String> = list_items(r"a\|b|c|d\\e").collect();
        assert_eq!(items, ["a|b", "c", r"d\e"]);
        let joined = join_list_items(["x|y", "z", r"w\v"]);
        assert_eq!(
            list_items(&joined).collect::<Vec<_>>(),
            ["x|y", "z", r"w\v"]
        );
        let f: FieldSpec = r"tags:list[str],default=a\|b|c".parse().unwrap();
        assert_eq!(
            list_items(f.default.as_deref().unwrap()).collect::<Vec<_>>(),
            ["a|b", "c"]
        );
    }
}
