//! Adds module configuration fields to the existing configuration model in place: the new field
//! lines go at the end of the class body (replacing a lone `pass`), missing imports are merged
//! into the file's own import lines, and every other byte of the file is kept.

use std::collections::BTreeSet;

use tree_sitter::{Node, Parser};

use super::python::{model, Imports};
use crate::core::failure::Failure;
use crate::core::model::FieldSpec;

fn parse(source: &str) -> anyhow::Result<tree_sitter::Tree> {
    let mut parser = Parser::new();
    parser.set_language(&tree_sitter_python::LANGUAGE.into())?;
    parser
        .parse(source, None)
        .ok_or_else(|| Failure::new("could not parse Python").into())
}

/// The class named `class` defined at the top level of `source`, if any.
pub fn find_class<'t>(root: Node<'t>, source: &str, class: &str) -> Option<Node<'t>> {
    let mut cursor = root.walk();
    let found = root.children(&mut cursor).find_map(|child| {
        let def = if child.kind() == "decorated_definition" {
            child.child_by_field_name("definition")?
        } else {
            child
        };
        (def.kind() == "class_definition"
            && def
                .child_by_field_name("name")
                .map(|n| &source[n.byte_range()])
                == Some(class))
        .then_some(def)
    });
    found
}

/// Names a class already declares as fields (`name: T`).
fn existing_fields(body: Node, source: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let mut cursor = body.walk();
    for stmt in body.children(&mut cursor) {
        if stmt.kind() != "expression_statement" {
            continue;
        }
        if let Some(assign) = stmt.child(0).filter(|n| n.kind() == "assignment") {
            if let Some(left) = assign
                .child_by_field_name("left")
                .filter(|n| n.kind() == "identifier")
            {
                names.insert(source[left.byte_range()].to_string());
            }
        }
    }
    names
}

/// Returns `source` with `fields` added to class `class`.
pub fn add_fields(
    source: &str,
    file: &str,
    class: &str,
    fields: &[FieldSpec],
) -> anyhow::Result<String> {
    let tree = parse(source)?;
    let root = tree.root_node();
    if root.has_error() {
        return Err(
            Failure::with_hint(format!("{file} has a syntax error"), "fix it, then retry").into(),
        );
    }
    let class_node = find_class(root, source, class).ok_or_else(|| {
        Failure::with_hint(
            format!("{file} does not define the configuration class {class}"),
            "check the module's configuration annotation",
        )
    })?;
    let body = class_node
        .child_by_field_name("body")
        .ok_or_else(|| Failure::new(format!("class {class} has no body")))?;
    let existing = existing_fields(body, source);
    if let Some(dup) = fields.iter().find(|f| existing.contains(&f.name)) {
        return Err(Failure::with_hint(
            format!(
                "the module configuration already has a field `{}`",
                dup.name
            ),
            "choose another name, or edit the field in the code",
        )
        .into());
    }
    let mut imports = Imports::default();
    let mut taken = BTreeSet::new();
    let rendered = model(class, "BaseModel", fields, &mut imports, &mut taken);
    // The last class is `class`; the ones before are nested models it needs.
    let (nested, own) = rendered.classes.split_at(rendered.classes.len() - 1);
    let lines: String = own[0].lines().skip(1).map(|l| format!("{l}\n")).collect();

    let mut out = String::with_capacity(source.len() + lines.len() + 200);
    let mut cursor = body.walk();
    let statements: Vec<Node> = body
        .named_children(&mut cursor)
        .filter(|n| n.kind() != "comment")
        .collect();
    let only_pass = statements.len() == 1 && statements[0].kind() == "pass_statement";
    let class_start = class_node.start_byte();
    // Nested models go right before the configuration class.
    out.push_str(&source[..class_start]);
    for n in nested {
        out.push_str(n);
        out.push_str("\n\n");
    }
    if only_pass {
        let pass = statements[0];
        let line_start = source[..pass.start_byte()]
            .rfind('\n')
            .map(|i| i + 1)
            .unwrap_or(0);
        out.push_str(&source[class_start..line_start]);
        out.push_str(&lines);
        let after = &source[pass.end_byte()..];
        out.push_str(after.strip_prefix('\n').unwrap_or(after));
    } else {
        let end = body.end_byte();
        out.push_str(&source[class_start..end]);
        out.push('\n');
        out.push_str(lines.trim_end_matches('\n'));
        out.push_str(&source[end..]);
    }
    Ok(merge_imports(&out, &imports))
}

/// Adds the names of `wanted` that `source` does not import yet, extending an existing
/// `from x import …` line when there is one, else adding a line before the first class or def.
pub fn merge_imports(source: &str, wanted: &Imports) -> String {
    let mut text = source.to_string();
    let mut needed: Vec<(String, String)> = Vec::new();
    for (module, names) in wanted.std_from.iter().chain(wanted.third_from.iter()) {
        for name in names {
            needed.push((module.clone(), name.clone()));
        }
    }
    for module in &wanted.std_modules {
        let line = format!("import {module}");
        if !text.lines().any(|l| l.trim() == line) {
            text = insert_import_line(&text, &line);
        }
    }
    for (module, name) in needed {
        let prefix = format!("from {module} import ");
        let existing = text
            .lines()
            .find(|l| l.starts_with(&prefix) && !l.contains('('))
            .map(str::to_string);
        match existing {
            Some(line) => {
                let mut names: Vec<String> = line[prefix.len()..]
                    .split(',')
                    .map(|n| n.trim().to_string())
                    .collect();
                if names
                    .iter()
                    .any(|n| n == &name || n.ends_with(&format!(" as {name}")))
                {
                    continue;
                }
                names.push(name);
                names.sort_by_key(|n| n.to_lowercase());
                text = text.replacen(&line, &format!("{prefix}{}", names.join(", ")), 1);
            }
            None => {
                let covered = text.lines().any(|l| {
                    l.starts_with(&prefix)
                        && l.contains('(')
                        && text.contains(&format!("    {name},"))
                });
                if !covered {
                    text = insert_import_line(&text, &format!("{prefix}{name}"));
                }
            }
        }
    }
    text
}

/// Inserts an import line after the last top-level import (or at the top).
fn insert_import_line(text: &str, line: &str) -> String {
    let mut offset = 0;
    let mut insert_at = 0;
    for l in text.split_inclusive('\n') {
        if l.starts_with("import ") || l.starts_with("from ") {
            insert_at = offset + l.len();
        }
        offset += l.len();
    }
    let mut out = String::with_capacity(text.len() + line.len() + 1);
    out.push_str(&text[..insert_at]);
    out.push_str(line);
    out.push('\n');
    out.push_str(&text[insert_at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_pass_and_imports() {
        let src = "from pydantic import BaseModel, Field\n\n\nclass TesthttpModuleConfiguration(BaseModel):\n    pass\n";
        let f: FieldSpec = "api_key:str,required,secret,desc=API Key".parse().unwrap();
        let out = add_fields(src, "models.py", "TesthttpModuleConfiguration", &[f]).unwrap();
        assert_eq!(
            out,
            "from pydantic import BaseModel, Field\n\n\nclass TesthttpModuleConfiguration(BaseModel):\n    api_key: str = Field(..., description=\"API Key\", json_schema_extra={\"secret\": True})\n"
        );
    }

    #[test]
    fn appends_after_existing_fields_and_keeps_comments() {
        let src = "# mine\nfrom pydantic import BaseModel\n\n\nclass C(BaseModel):\n    # the key\n    api_key: str\n\n\ndef helper():\n    return 1\n";
        let f: FieldSpec = "base_url:url,default=https://api.example.com"
            .parse()
            .unwrap();
        let out = add_fields(src, "models.py", "C", &[f]).unwrap();
        assert_eq!(
            out,
            "# mine\nfrom pydantic import BaseModel, HttpUrl\n\n\nclass C(BaseModel):\n    # the key\n    api_key: str\n    base_url: HttpUrl = \"https://api.example.com\"  # type: ignore[assignment]\n\n\ndef helper():\n    return 1\n"
        );
        let dup: FieldSpec = "api_key:str".parse().unwrap();
        assert!(add_fields(src, "models.py", "C", &[dup])
            .unwrap_err()
            .to_string()
            .contains("already has a field"));
    }
}
