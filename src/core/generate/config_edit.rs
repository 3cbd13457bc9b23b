//! Adds module configuration fields to the existing configuration model in place: the new field
//! lines go at the end of the class body (replacing a lone `pass`), missing imports are merged
//! into the file's own import lines, and every other byte of the file is kept.

use std::collections::BTreeSet;

use tree_sitter::Node;

use super::python::{model, Imports};
use crate::core::failure::Failure;
use crate::core::model::FieldSpec;

fn parse(source: &str) -> anyhow::Result<tree_sitter::Tree> {
    crate::core::python::syntax_tree(source)
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

    let mut cursor = body.walk();
    let statements: Vec<Node> = body
        .named_children(&mut cursor)
        .filter(|n| n.kind() != "comment")
        .collect();
    let only_pass = statements.len() == 1 && statements[0].kind() == "pass_statement";
    let class_start = class_node.start_byte();
    let inline = body.start_position().row == class_node.start_position().row;
    // The body's own indentation (4 spaces, 2, a tab): the new lines use it, level for level.
    let unit = match statements.first() {
        Some(first) if !inline => line_indent(source, first.start_byte()),
        _ => "    ".to_string(),
    };
    let lines = reindent(&lines, &unit);

    let mut out = String::with_capacity(source.len() + lines.len() + 200);
    // Nested models go right before the configuration class.
    out.push_str(&source[..class_start]);
    for n in nested {
        out.push_str(&reindent(&format!("{n}\n\n"), &unit));
    }
    if inline {
        // `class X(BaseModel): pass` / `class X(BaseModel): a: int = 1`: the body moves to its
        // own lines, without the lone `pass`.
        out.push_str(source[class_start..body.start_byte()].trim_end());
        out.push('\n');
        if !only_pass {
            for stmt in &statements {
                out.push_str(&unit);
                out.push_str(&source[stmt.byte_range()]);
                out.push('\n');
            }
        }
        out.push_str(lines.trim_end_matches('\n'));
        out.push_str(&source[body.end_byte()..]);
    } else if only_pass {
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
    let merged = merge_imports(&out, &imports)?;
    // Never write Python that does not parse: refuse, naming the file.
    if parse(&merged)?.root_node().has_error() {
        return Err(Failure::with_hint(
            format!("adding the fields would make {file} invalid Python; nothing was written"),
            format!("add them to class {class} by hand, or simplify the class's layout"),
        )
        .into());
    }
    Ok(merged)
}

/// The indentation of the line holding `offset`.
fn line_indent(source: &str, offset: usize) -> String {
    let start = source[..offset].rfind('\n').map(|i| i + 1).unwrap_or(0);
    source[start..offset]
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect()
}

/// Lines written with 4-space levels, re-indented with `unit` per level.
fn reindent(text: &str, unit: &str) -> String {
    if unit == "    " {
        return text.to_string();
    }
    text.split_inclusive('\n')
        .map(|line| {
            let spaces = line.len() - line.trim_start_matches(' ').len();
            format!(
                "{}{}",
                unit.repeat(spaces / 4),
                &line[spaces - spaces % 4..]
            )
        })
        .collect()
}

/// Adds the names of `wanted` that `source` does not import yet, through the syntax tree: an
/// existing `from x import …` statement gains the name (one-line statements keep their names
/// sorted; parenthesised ones get it after their last name, in their layout), else a new
/// statement goes after the last top-level import. Comments, `;`, docstrings and a BOM are kept.
pub fn merge_imports(source: &str, wanted: &Imports) -> anyhow::Result<String> {
    let mut text = source.to_string();
    for module in &wanted.std_modules {
        let tree = parse(&text)?;
        let bound = top_level_imports(tree.root_node(), &text).iter().any(|i| {
            i.kind() == "import_statement"
                && text[i.byte_range()].split_whitespace().nth(1) == Some(module.as_str())
        });
        if !bound {
            text = insert_import_statement(&text, &format!("import {module}"))?;
        }
    }
    for (module, names) in wanted.std_from.iter().chain(wanted.third_from.iter()) {
        for name in names {
            text = import_name(&text, module, name)?;
        }
    }
    Ok(text)
}

fn top_level_imports<'t>(root: Node<'t>, _text: &str) -> Vec<Node<'t>> {
    let mut cursor = root.walk();
    root.named_children(&mut cursor)
        .filter(|n| matches!(n.kind(), "import_statement" | "import_from_statement"))
        .collect()
}

/// `from {module} import {name}`, merged into an existing statement of that module when there is one.
fn import_name(text: &str, module: &str, name: &str) -> anyhow::Result<String> {
    let tree = parse(text)?;
    let root = tree.root_node();
    let statements: Vec<Node> = top_level_imports(root, text)
        .into_iter()
        .filter(|n| n.kind() == "import_from_statement")
        .filter(|n| {
            n.child_by_field_name("module_name").is_some_and(|m| {
                text[m.byte_range()].split_whitespace().collect::<String>() == module
            })
        })
        .collect();
    let mut target = None;
    for stmt in &statements {
        let mut cursor = stmt.walk();
        let names: Vec<Node> = stmt.children_by_field_name("name", &mut cursor).collect();
        let bound = |n: &Node| match n.kind() {
            "aliased_import" => n
                .child_by_field_name("alias")
                .map(|a| text[a.byte_range()].to_string()),
            _ => Some(text[n.byte_range()].to_string()),
        };
        if names.iter().any(|n| bound(n).as_deref() == Some(name)) {
            return Ok(text.to_string());
        }
        let wildcard = stmt
            .named_children(&mut stmt.walk())
            .any(|c| c.kind() == "wildcard_import");
        if !wildcard && !names.is_empty() && target.is_none() {
            target = Some((*stmt, names));
        }
    }
    let Some((stmt, names)) = target else {
        return insert_import_statement(text, &format!("from {module} import {name}"));
    };
    let stmt_text = &text[stmt.byte_range()];
    let parenthesised = stmt_text.contains('(');
    let multi_line = stmt.start_position().row != stmt.end_position().row;
    let mut out = text.to_string();
    if parenthesised && multi_line {
        // After the last name, in the statement's own layout (a name per line, trailing comma).
        let last = names.last().expect("non-empty");
        let after_last = &text[last.end_byte()..stmt.end_byte()];
        let indent = line_indent(text, last.start_byte());
        if after_last.trim_start().starts_with(',') {
            let comma = last.end_byte() + after_last.find(',').expect("a comma") + 1;
            out.insert_str(comma, &format!("\n{indent}{name},"));
        } else {
            out.insert_str(last.end_byte(), &format!(",\n{indent}{name}"));
        }
        return Ok(out);
    }
    // One line: keep the names sorted as isort does (case-insensitively).
    match names
        .iter()
        .find(|n| text[n.byte_range()].to_lowercase() > name.to_lowercase())
    {
        Some(next) => out.insert_str(next.start_byte(), &format!("{name}, ")),
        None => {
            let last = names.last().expect("non-empty");
            out.insert_str(last.end_byte(), &format!(", {name}"));
        }
    }
    Ok(out)
}

/// A new import statement on its own line after the last top-level import (at the top, after a
/// module docstring and comments, when there is none).
fn insert_import_statement(text: &str, line: &str) -> anyhow::Result<String> {
    let tree = parse(text)?;
    let root = tree.root_node();
    let at = match top_level_imports(root, text).last() {
        Some(last) => {
            let end = last.end_byte();
            text[end..]
                .find('\n')
                .map(|i| end + i + 1)
                .unwrap_or(text.len())
        }
        None => {
            // After a leading docstring, if any.
            let mut cursor = root.walk();
            let first = root
                .named_children(&mut cursor)
                .find(|n| n.kind() != "comment");
            match first {
                Some(n)
                    if n.kind() == "expression_statement"
                        && n.named_child(0).is_some_and(|c| c.kind() == "string") =>
                {
                    let end = n.end_byte();
                    text[end..]
                        .find('\n')
                        .map(|i| end + i + 1)
                        .unwrap_or(text.len())
                }
                _ => text
                    .strip_prefix('\u{feff}')
                    .map_or(0, |_| '\u{feff}'.len_utf8()),
            }
        }
    };
    let mut out = String::with_capacity(text.len() + line.len() + 1);
    out.push_str(&text[..at]);
    if at == text.len() && !text.is_empty() && !text.ends_with('\n') {
        out.push('\n');
    }
    out.push_str(line);
    out.push('\n');
    out.push_str(&text[at..]);
    Ok(out)
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

#[cfg(test)]
mod layout_tests {
    use super::*;

    fn add(src: &str) -> String {
        let f: FieldSpec = "api_key:str,required,secret,desc=A key".parse().unwrap();
        let g: FieldSpec = "url:url,default=https://x.io".parse().unwrap();
        add_fields(src, "models.py", "C", &[f, g]).unwrap()
    }

    const KEY: &str =
        "api_key: str = Field(..., description=\"A key\", json_schema_extra={\"secret\": True})";
    const URL: &str = "url: HttpUrl = \"https://x.io\"  # type: ignore[assignment]";

    /// Issue 15 (5): layouts that `add config` broke (it deleted the class line of a one-line
    /// class, mixed 4 spaces into 2-space and tab bodies, and edited import text by lines).
    #[test]
    fn one_line_class_and_its_statements() {
        assert_eq!(
            add("from pydantic import BaseModel\n\n\nclass C(BaseModel): pass\n"),
            format!("from pydantic import BaseModel, Field, HttpUrl\n\n\nclass C(BaseModel):\n    {KEY}\n    {URL}\n")
        );
        assert_eq!(
            add("from pydantic import BaseModel\n\n\nclass C(BaseModel): x: int = 1\n"),
            format!("from pydantic import BaseModel, Field, HttpUrl\n\n\nclass C(BaseModel):\n    x: int = 1\n    {KEY}\n    {URL}\n")
        );
    }

    #[test]
    fn the_body_keeps_its_indentation() {
        for unit in ["  ", "\t"] {
            let out = add(&format!(
                "from pydantic import BaseModel\n\n\nclass C(BaseModel):\n{unit}x: int = 1\n"
            ));
            assert_eq!(out, format!("from pydantic import BaseModel, Field, HttpUrl\n\n\nclass C(BaseModel):\n{unit}x: int = 1\n{unit}{KEY}\n{unit}{URL}\n"));
        }
    }

    #[test]
    fn imports_are_edited_through_the_tree() {
        let src = "\"\"\"Models.\n\nfrom pydantic import Nothing\n\"\"\"\nfrom pydantic import (\n    BaseModel,\n    Field,\n)  # the models\nimport os; import sys\n\n\nclass C(BaseModel):\n    x: int = 1\n";
        let out = add(src);
        assert!(out.starts_with("\"\"\"Models.\n\nfrom pydantic import Nothing\n\"\"\"\nfrom pydantic import (\n    BaseModel,\n    Field,\n    HttpUrl,\n)  # the models\nimport os; import sys\n"), "{out}");
        let commented = add("\u{feff}from pydantic import BaseModel  # base\n\n\nclass C(BaseModel):\n    x: int = 1\n");
        assert!(
            commented
                .starts_with("\u{feff}from pydantic import BaseModel, Field, HttpUrl  # base\n"),
            "{commented}"
        );
    }
}
