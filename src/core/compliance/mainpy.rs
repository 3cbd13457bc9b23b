//! `MainPYValidator` (`validators/main.py`): every `docker_parameters` of the component JSONs is
//! registered in `main.py`, nothing else is, and nothing twice.
//!
//! Like the real checker (pyastgrep over Python's AST), only calls `module.register(...)` on a bare
//! name `module` count, anywhere in the file; the name is the second positional argument, or the
//! first keyword argument when it is `name=`.

use std::collections::BTreeSet;

use tree_sitter::Node;

use super::ModuleResult;
use crate::core::python::strings::decode_string;

const FILE: &str = "main.py";

/// What one `module.register(...)` call names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Registered {
    /// A string literal: the docker parameter.
    Name(String),
    /// A literal that is not a string (`module.register(A, 3)`): printed with `str()`, never
    /// equal to a JSON string.
    OtherLiteral(String),
    /// Not a literal at all (the real checker crashes); with the line number.
    NotLiteral(usize),
}

/// The registrations in a `main.py` source, in order. `Err(line)` on a syntax error.
pub fn registrations(source: &str) -> Result<Vec<Registered>, usize> {
    let tree = crate::core::python::syntax_tree(source).ok_or(1usize)?;
    let root = tree.root_node();
    if root.has_error() {
        return Err(first_error_line(root));
    }
    let mut out = Vec::new();
    collect(root, source.as_bytes(), &mut out);
    Ok(out)
}

fn first_error_line(node: Node) -> usize {
    if node.is_error() || node.is_missing() {
        return node.start_position().row + 1;
    }
    let mut cursor = node.walk();
    for child in node.children(&mut cursor) {
        if child.has_error() {
            return first_error_line(child);
        }
    }
    node.start_position().row + 1
}

fn collect(node: Node, src: &[u8], out: &mut Vec<Registered>) {
    if node.kind() == "call" {
        if let Some(r) = registration(node, src) {
            out.extend(r);
        }
    }
    let mut cursor = node.walk();
    for child in node.children(&mut cursor) {
        collect(child, src, out);
    }
}

fn unparen(mut node: Node) -> Node {
    while node.kind() == "parenthesized_expression" {
        match node.named_child(0) {
            Some(inner) => node = inner,
            None => break,
        }
    }
    node
}

/// `Some(..)` when the call is `module.register(...)`; the inner option is what it registers.
fn registration(call: Node, src: &[u8]) -> Option<Option<Registered>> {
    let func = unparen(call.child_by_field_name("function")?);
    if func.kind() != "attribute" {
        return None;
    }
    let object = unparen(func.child_by_field_name("object")?);
    let attribute = func.child_by_field_name("attribute")?;
    if object.kind() != "identifier"
        || object.utf8_text(src).ok()? != "module"
        || attribute.utf8_text(src).ok()? != "register"
    {
        return None;
    }
    let args = call.child_by_field_name("arguments")?;
    let mut positional = Vec::new();
    let mut keywords = Vec::new();
    let mut cursor = args.walk();
    for arg in args.named_children(&mut cursor) {
        match arg.kind() {
            "comment" => {}
            "keyword_argument" => keywords.push(arg),
            "dictionary_splat" => keywords.push(arg),
            _ => positional.push(arg),
        }
    }
    if positional.len() > 1 {
        return Some(Some(literal(positional[1], src)));
    }
    let first = keywords.first()?;
    if first.kind() != "keyword_argument" {
        return Some(None);
    }
    let name = first.child_by_field_name("name")?.utf8_text(src).ok()?;
    if name != "name" {
        return Some(None);
    }
    Some(Some(literal(first.child_by_field_name("value")?, src)))
}

fn literal(node: Node, src: &[u8]) -> Registered {
    let line = node.start_position().row + 1;
    let text = node.utf8_text(src).unwrap_or_default();
    match node.kind() {
        // Python's own value of the literal (prefixes, escapes, implicit concatenation); an
        // f-string with fields or bytes is not a docker parameter.
        "string" | "concatenated_string" => decode_string(text)
            .map(Registered::Name)
            .unwrap_or(Registered::NotLiteral(line)),
        "integer" | "float" => Registered::OtherLiteral(text.replace('_', "")),
        "true" => Registered::OtherLiteral("True".into()),
        "false" => Registered::OtherLiteral("False".into()),
        "none" => Registered::OtherLiteral("None".into()),
        _ => Registered::NotLiteral(line),
    }
}

pub fn validate(result: &mut ModuleResult) {
    let path = result.file(FILE);
    if !path.is_file() {
        result.error(FILE, "main.py", "main.py is missing");
        return;
    }
    let source = super::read_text(&path).unwrap_or_default();
    let registered = match registrations(&source) {
        Ok(r) => r,
        Err(line) => {
            // The real checker crashes here.
            result.error(
                FILE,
                "main.py",
                format!("main.py is not valid Python (syntax error on line {line})"),
            );
            return;
        }
    };
    let mut used: Vec<String> = Vec::new();
    let mut used_other: Vec<String> = Vec::new();
    for r in registered {
        match r {
            Registered::Name(n) => used.push(n),
            Registered::OtherLiteral(s) => used_other.push(s),
            Registered::NotLiteral(line) => result.error(
                FILE,
                "main.py",
                format!("`module.register` on line {line} does not give the docker parameter as a string literal"),
            ),
        }
    }
    let mut seen = BTreeSet::new();
    for item in &used {
        if !seen.insert(item.clone()) {
            result.error(
                FILE,
                "main.py",
                format!("Docker parameter `{item}` used multiple times in main.py"),
            );
        }
    }
    let mut seen_other = BTreeSet::new();
    for item in &used_other {
        if !seen_other.insert(item.clone()) {
            result.error(
                FILE,
                "main.py",
                format!("Docker parameter `{item}` used multiple times in main.py"),
            );
        }
    }
    // A code module without any component JSON crashes the real checker; here it simply has none.
    let in_jsons: BTreeSet<String> = result.docker.iter().map(|(_, d)| d.clone()).collect();
    for item in in_jsons.difference(&seen) {
        result.error(
            FILE,
            "main.py",
            format!("Docker parameter `{item}` is not registered in main.py"),
        );
    }
    for item in seen.difference(&in_jsons).chain(seen_other.iter()) {
        result.error(
            FILE,
            "main.py",
            format!("`Docker parameter {item}` is registered in main.py, but absent in any JSON"),
        );
    }
}
