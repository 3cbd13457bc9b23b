//! Python source for designed fields: pydantic v2 models, sample values for tests, and imports,
//! laid out as black (line length 119) and isort (profile black) would.

use std::collections::BTreeSet;

use heck::ToUpperCamelCase;

use crate::core::model::{FieldSpec, FieldType};
use crate::core::pyjson::float_repr;
use crate::core::render::python_string;

pub const LINE_LENGTH: usize = 119;

/// The imports a generated file needs, grouped as isort (profile black) writes them.
#[derive(Debug, Default, Clone)]
pub struct Imports {
    /// Plain `import x` of the standard library.
    pub std_modules: BTreeSet<String>,
    /// `from x import a, b` of the standard library.
    pub std_from: std::collections::BTreeMap<String, BTreeSet<String>>,
    /// `from x import a, b` of third-party packages (pydantic, sekoia_automation…).
    pub third_from: std::collections::BTreeMap<String, BTreeSet<String>>,
}

impl Imports {
    pub fn std(&mut self, module: &str) {
        self.std_modules.insert(module.to_string());
    }

    pub fn std_from(&mut self, module: &str, name: &str) {
        self.std_from
            .entry(module.to_string())
            .or_default()
            .insert(name.to_string());
    }

    pub fn from(&mut self, module: &str, name: &str) {
        self.third_from
            .entry(module.to_string())
            .or_default()
            .insert(name.to_string());
    }

    /// isort with profile black: `import x` before `from x import`, force-sorted within a section,
    /// sections separated by one blank line.
    pub fn render(&self) -> String {
        let mut sections = Vec::new();
        let mut std_lines: Vec<String> = self
            .std_modules
            .iter()
            .map(|m| format!("import {m}"))
            .collect();
        std_lines.extend(self.std_from.iter().map(|(m, names)| from_line(m, names)));
        if !std_lines.is_empty() {
            sections.push(std_lines.join("\n"));
        }
        let third: Vec<String> = self
            .third_from
            .iter()
            .map(|(m, names)| from_line(m, names))
            .collect();
        if !third.is_empty() {
            sections.push(third.join("\n"));
        }
        sections.join("\n\n")
    }
}

fn from_line(module: &str, names: &BTreeSet<String>) -> String {
    // isort's force_sort_within_sections is off; names are sorted case-sensitively (HttpUrl before
    // BaseModel? no: isort sorts case-insensitively by default with profile black).
    let mut sorted: Vec<&String> = names.iter().collect();
    sorted.sort_by_key(|n| n.to_lowercase());
    let joined = sorted
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    format!("from {module} import {joined}")
}

/// A model class and the nested classes it needs, in definition order (nested first).
pub struct ModelSource {
    pub classes: Vec<String>,
}

/// Renders `class <name>(<base>):` with `fields`, plus nested models for object fields.
pub fn model(
    name: &str,
    base: &str,
    fields: &[FieldSpec],
    imports: &mut Imports,
    taken: &mut BTreeSet<String>,
) -> ModelSource {
    taken.insert(name.to_string());
    let mut classes = Vec::new();
    let mut lines = Vec::new();
    for field in fields {
        let annotation = annotation(field, imports, taken, &mut classes);
        lines.push(field_line(field, &annotation, imports));
    }
    let body = if lines.is_empty() {
        "    pass".to_string()
    } else {
        lines.join("\n")
    };
    classes.push(format!("class {name}({base}):\n{body}\n"));
    ModelSource { classes }
}

/// The Python type of a field, defining nested models as needed.
fn annotation(
    field: &FieldSpec,
    imports: &mut Imports,
    taken: &mut BTreeSet<String>,
    classes: &mut Vec<String>,
) -> String {
    let base = match &field.ty {
        FieldType::Str => "str".to_string(),
        FieldType::Int => "int".to_string(),
        FieldType::Float => "float".to_string(),
        FieldType::Bool => "bool".to_string(),
        FieldType::Url => {
            imports.from("pydantic", "HttpUrl");
            "HttpUrl".to_string()
        }
        FieldType::Datetime => {
            imports.std_from("datetime", "datetime");
            "datetime".to_string()
        }
        FieldType::Dict => "dict".to_string(),
        FieldType::ListStr => "list[str]".to_string(),
        FieldType::ListInt => "list[int]".to_string(),
        FieldType::Enum(values) => {
            imports.std_from("typing", "Literal");
            let items: Vec<String> = values.iter().map(|v| python_string(v)).collect();
            format!("Literal[{}]", items.join(", "))
        }
        FieldType::Object(sub) | FieldType::ListOfObjects(sub) => {
            let list = matches!(field.ty, FieldType::ListOfObjects(_));
            let class = unique_class(&nested_class_name(&field.name, list), taken);
            let nested = model(&class, "BaseModel", sub, imports, taken);
            classes.extend(nested.classes);
            if list {
                format!("list[{class}]")
            } else {
                class
            }
        }
    };
    if field.is_optional() {
        format!("{base} | None")
    } else {
        base
    }
}

/// `entries` → `Entry` for lists of objects, `owner` → `Owner` for objects.
fn nested_class_name(field: &str, list: bool) -> String {
    let camel = field.to_upper_camel_case();
    if !list {
        return camel;
    }
    if let Some(stem) = camel.strip_suffix("ies") {
        format!("{stem}y")
    } else if ["sses", "xes", "ches", "shes"]
        .iter()
        .any(|s| camel.ends_with(s))
    {
        camel[..camel.len() - 2].to_string()
    } else if camel.ends_with('s') && !camel.ends_with("ss") {
        camel[..camel.len() - 1].to_string()
    } else {
        format!("{camel}Item")
    }
}

/// Names the generated files import or use: a nested model class must not hide them.
pub const IMPORTED_NAMES: &[&str] = &[
    "Action",
    "Trigger",
    "Connector",
    "Module",
    "BaseModel",
    "Field",
    "Literal",
    "HttpUrl",
    "Any",
    "DefaultConnectorConfiguration",
    "Mock",
];

fn unique_class(wanted: &str, taken: &mut BTreeSet<String>) -> String {
    let mut name = wanted.to_string();
    let mut n = 2;
    while taken.contains(&name) || IMPORTED_NAMES.contains(&name.as_str()) {
        name = format!("{wanted}{n}");
        n += 1;
    }
    taken.insert(name.clone());
    name
}

/// The Python literal of a field's default.
pub fn default_literal(field: &FieldSpec) -> Option<String> {
    let text = field.default.as_deref()?;
    Some(match &field.ty {
        FieldType::Int => text
            .trim()
            .parse::<i64>()
            .map(|i| i.to_string())
            .unwrap_or_else(|_| text.to_string()),
        FieldType::Float => text
            .trim()
            .parse::<f64>()
            .map(float_repr)
            .unwrap_or_else(|_| text.to_string()),
        FieldType::Bool => {
            if text.trim().eq_ignore_ascii_case("true") {
                "True".into()
            } else {
                "False".into()
            }
        }
        FieldType::ListStr => {
            let items: Vec<String> = crate::core::model::field::list_items(text)
                .map(|i| python_string(&i))
                .collect();
            format!("[{}]", items.join(", "))
        }
        FieldType::ListInt => {
            let items: Vec<String> = crate::core::model::field::list_items(text)
                .map(|i| i.trim().to_string())
                .collect();
            format!("[{}]", items.join(", "))
        }
        _ => python_string(text),
    })
}

/// `name: T`, `name: T = value` or `name: T = Field(value, description=…, json_schema_extra=…)`.
fn field_line(field: &FieldSpec, annotation: &str, imports: &mut Imports) -> String {
    let head = format!("    {}: {annotation}", field.name);
    let value = if field.required {
        None
    } else {
        Some(default_literal(field).unwrap_or_else(|| "None".to_string()))
    };
    let mut extra = Vec::new();
    if let Some(d) = &field.description {
        extra.push(format!("description={}", python_string(d)));
    }
    if field.secret {
        extra.push("json_schema_extra={\"secret\": True}".to_string());
    }
    // pydantic validates a string default into a URL, but mypy sees a `str`
    // assigned to `HttpUrl`; the comment keeps the schema's default as typed.
    let ignore = match (&field.ty, &field.default) {
        (FieldType::Url, Some(_)) => "  # type: ignore[assignment]",
        _ => "",
    };
    if extra.is_empty() {
        return match value {
            None => head,
            Some(v) => format!("{head} = {v}{ignore}"),
        };
    }
    imports.from("pydantic", "Field");
    let mut args = vec![value.unwrap_or_else(|| "...".to_string())];
    args.extend(extra);
    let open = format!("{head} = Field(");
    let lines = call_lines(&open, &args, ")", 1);
    match lines.split_once('\n') {
        Some((first, rest)) if !ignore.is_empty() => format!("{first}{ignore}\n{rest}"),
        _ => format!("{lines}{ignore}"),
    }
}

/// A call laid out as black does: on one line when it fits, else its arguments on one indented
/// line, else one argument a line with a trailing comma.
pub fn call_lines(open: &str, args: &[String], close: &str, indent: usize) -> String {
    let one = format!("{open}{}{close}", args.join(", "));
    if one.chars().count() <= LINE_LENGTH {
        return one;
    }
    let pad = "    ".repeat(indent + 1);
    let outer = "    ".repeat(indent);
    let middle = format!("{pad}{}", args.join(", "));
    if middle.chars().count() <= LINE_LENGTH {
        return format!("{open}\n{middle}\n{outer}{close}");
    }
    let each: Vec<String> = args.iter().map(|a| format!("{pad}{a},")).collect();
    format!("{open}\n{}\n{outer}{close}", each.join("\n"))
}

/// A JSON-compatible sample (for test inputs that go through the platform as JSON).
pub fn sample_json(field: &FieldSpec) -> serde_json::Value {
    use serde_json::json;
    match &field.ty {
        FieldType::Str => json!("example"),
        FieldType::Int => json!(1),
        FieldType::Float => json!(1.5),
        FieldType::Bool => json!(true),
        FieldType::Url => json!("https://example.com/"),
        FieldType::Datetime => json!("2024-01-01T00:00:00Z"),
        FieldType::Dict => json!({"key": "value"}),
        FieldType::ListStr => json!(["example"]),
        FieldType::ListInt => json!([1]),
        FieldType::Enum(values) => json!(values[0]),
        FieldType::Object(sub) => sample_object(sub),
        FieldType::ListOfObjects(sub) => json!([sample_object(sub)]),
    }
}

/// A JSON object with every required field of `fields` (recursively).
pub fn sample_object(fields: &[FieldSpec]) -> serde_json::Value {
    let mut map = serde_json::Map::new();
    for f in fields.iter().filter(|f| f.required) {
        map.insert(f.name.clone(), sample_json(f));
    }
    serde_json::Value::Object(map)
}

/// A Python literal for a JSON value (dicts and lists as Python displays).
pub fn python_literal(value: &serde_json::Value) -> String {
    use serde_json::Value;
    match value {
        Value::Null => "None".into(),
        Value::Bool(b) => if *b { "True" } else { "False" }.into(),
        Value::Number(n) => n
            .as_f64()
            .filter(|_| n.is_f64())
            .map(float_repr)
            .unwrap_or_else(|| n.to_string()),
        Value::String(s) => python_string(s),
        Value::Array(items) => format!(
            "[{}]",
            items
                .iter()
                .map(python_literal)
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Value::Object(map) => format!(
            "{{{}}}",
            map.iter()
                .map(|(k, v)| format!("{}: {}", python_string(k), python_literal(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// `{prefix}{literal}{suffix}` at `indent` levels, laid out as black lays out a collection literal
/// that does not fit: one item a line, each with a trailing comma, nested ones likewise.
pub fn literal_lines(
    prefix: &str,
    value: &serde_json::Value,
    indent: usize,
    suffix: &str,
) -> String {
    use serde_json::Value;
    let pad = "    ".repeat(indent);
    let one = format!("{pad}{prefix}{}{suffix}", python_literal(value));
    let (open, close, items): (&str, &str, Vec<(String, &Value)>) = match value {
        Value::Object(map) => (
            "{",
            "}",
            map.iter()
                .map(|(k, v)| (format!("{}: ", python_string(k)), v))
                .collect(),
        ),
        Value::Array(list) => ("[", "]", list.iter().map(|v| (String::new(), v)).collect()),
        _ => return one,
    };
    if one.chars().count() <= LINE_LENGTH || items.is_empty() {
        return one;
    }
    let mut out = format!("{pad}{prefix}{open}\n");
    for (item_prefix, item) in items {
        out.push_str(&literal_lines(&item_prefix, item, indent + 1, ","));
        out.push('\n');
    }
    out.push_str(&format!("{pad}{close}{suffix}"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(spec: &str) -> FieldSpec {
        spec.parse().unwrap()
    }

    #[test]
    fn fields_render_like_the_guide() {
        let mut imports = Imports::default();
        let mut taken = BTreeSet::new();
        let m = model(
            "RequestArguments",
            "BaseModel",
            &[
                f("url:url,required"),
                f("method:enum(get|post),required"),
                f("headers:dict"),
                f("api_key:str,required,secret,desc=API Key"),
                f("polling_interval:int,default=5,desc=Polling interval in minutes"),
            ],
            &mut imports,
            &mut taken,
        );
        assert_eq!(
            m.classes.join("\n"),
            "class RequestArguments(BaseModel):\n    url: HttpUrl\n    method: Literal[\"get\", \"post\"]\n    headers: dict | None = None\n    api_key: str = Field(..., description=\"API Key\", json_schema_extra={\"secret\": True})\n    polling_interval: int = Field(5, description=\"Polling interval in minutes\")\n"
        );
        assert_eq!(
            imports.render(),
            "from typing import Literal\n\nfrom pydantic import Field, HttpUrl"
        );
    }

    #[test]
    fn long_calls_wrap_like_black() {
        let long = "x".repeat(130);
        let line = call_lines(
            "    a: str = Field(",
            &["...".into(), format!("description=\"{long}\"")],
            ")",
            1,
        );
        assert_eq!(
            line,
            format!("    a: str = Field(\n        ...,\n        description=\"{long}\",\n    )")
        );
    }

    #[test]
    fn nested_names() {
        assert_eq!(nested_class_name("entries", true), "Entry");
        assert_eq!(nested_class_name("addresses", true), "Address");
        assert_eq!(nested_class_name("owner", false), "Owner");
        assert_eq!(nested_class_name("data", true), "DataItem");
    }
}
