//! `main.py`: the SDK's layout, made deterministic, keeping the lines the generator does not own.
//!
//! Owned (regenerated) lines:
//! - `from X import Y` of the module class and of every component class, and of any class that
//!   the existing file registers with `module.register(Y, ...)` or instantiates as `module = Y()`
//!   (so stale classes disappear with their registration);
//! - `if __name__ == "__main__":`, `module = Y()`, `module.register(...)`, `module.run()`;
//! - blank lines.
//!
//! Everything else is kept, in its original order: top-level statements and comments (other
//! imports, code) go after the generated imports, before the two blank lines and the `if` block;
//! statements inside the `if` block (e.g. `module.register_account_validator(...)`) go after the
//! registrations, before `module.run()`; anything after `module.run()` stays after it. An import
//! statement naming several classes keeps its names that are not owned.

use std::collections::BTreeSet;

use tree_sitter::Node;

/// A class to import and register: `from {module} import {class}`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Registration {
    pub class: String,
    pub module: String,
}

/// Lines kept from an existing main.py.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
struct Kept {
    top: Vec<String>,
    before_run: Vec<String>,
    after_run: Vec<String>,
    trailing: Vec<String>,
}

/// Splits kept top-level lines into the leading import statements (multi-line ones included)
/// and the rest.
fn split_imports(lines: &[String]) -> (&[String], &[String]) {
    let mut depth = 0i32;
    let mut end = 0;
    for (i, line) in lines.iter().enumerate() {
        let starts_import = line.starts_with("import ") || line.starts_with("from ");
        if depth == 0 && !starts_import {
            break;
        }
        depth += line.matches('(').count() as i32 - line.matches(')').count() as i32;
        end = i + 1;
    }
    lines.split_at(end)
}

/// Renders main.py. Each group (triggers, connectors, actions) is sorted by class name, then module.
pub fn render(
    module: &Registration,
    triggers: &[Registration],
    connectors: &[Registration],
    actions: &[Registration],
    existing: Option<&str>,
) -> String {
    let sort = |v: &[Registration]| {
        let mut v = v.to_vec();
        v.sort();
        v
    };
    let groups = [sort(triggers), sort(connectors), sort(actions)];
    let mut owned: BTreeSet<String> = groups.iter().flatten().map(|r| r.class.clone()).collect();
    owned.insert(module.class.clone());
    let kept = existing
        .map(|src| keep(src, &mut owned))
        .unwrap_or_default();

    // Laid out as black (26) wants it: the module import, a blank line, the component imports and
    // the kept imports; kept code after one blank line; the `if` block one blank line after
    // imports, two after code.
    let (kept_imports, code) = split_imports(&kept.top);
    let mut out = format!("from {} import {}\n", module.module, module.class);
    let mut imports: Vec<String> = groups
        .iter()
        .flatten()
        .map(|r| format!("from {} import {}", r.module, r.class))
        .collect();
    imports.extend(kept_imports.iter().cloned());
    if !imports.is_empty() {
        out.push('\n');
        for line in &imports {
            out.push_str(line);
            out.push('\n');
        }
    }
    if !code.is_empty() {
        out.push('\n');
        for line in code {
            out.push_str(line);
            out.push('\n');
        }
        out.push('\n');
    }
    out.push_str("\nif __name__ == \"__main__\":\n");
    out.push_str(&format!("    module = {}()\n", module.class));
    for r in groups.iter().flatten() {
        out.push_str(&format!("    module.register({0}, \"{0}\")\n", r.class));
    }
    for line in &kept.before_run {
        out.push_str(line);
        out.push('\n');
    }
    out.push_str("    module.run()\n");
    for line in kept.after_run.iter().chain(&kept.trailing) {
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// Splits an existing main.py into the statements we keep. Unparseable files keep nothing: the
/// caller reports main.py's syntax errors before rendering.
fn keep(src: &str, owned: &mut BTreeSet<String>) -> Kept {
    let Some(tree) = crate::core::python::syntax_tree(src) else {
        return Kept::default();
    };
    let root = tree.root_node();
    if root.has_error() {
        return Kept::default();
    }
    let text = |n: Node| n.utf8_text(src.as_bytes()).unwrap_or("").to_string();
    let children: Vec<Node> = root.named_children(&mut root.walk()).collect();

    // Classes the old file registered or instantiated are owned too (stale components).
    let main_block = children.iter().copied().find(|n| is_main_guard(*n, &text));
    if let Some(block) = main_block.and_then(|n| n.child_by_field_name("consequence")) {
        for stmt in block.named_children(&mut block.walk()) {
            if let Some(class) = registered_or_instantiated(stmt, &text) {
                owned.insert(class);
            }
        }
    }

    let mut kept = Kept::default();
    let mut seen_main = false;
    for node in children {
        if Some(node) == main_block {
            seen_main = true;
            let Some(block) = node.child_by_field_name("consequence") else {
                continue;
            };
            let mut after_run = false;
            for stmt in block.named_children(&mut block.walk()) {
                let t = text(stmt);
                let call = t.trim();
                if call == "module.run()" {
                    after_run = true;
                    continue;
                }
                if registered_or_instantiated(stmt, &text).is_some() {
                    continue;
                }
                let line = indent_block(&t, stmt.start_position().column, 4);
                if after_run {
                    kept.after_run.push(line);
                } else {
                    kept.before_run.push(line);
                }
            }
            continue;
        }
        let line = match node.kind() {
            "import_from_statement" => match filter_import(node, &text, owned) {
                Some(l) => l,
                None => continue,
            },
            _ => text(node),
        };
        if seen_main {
            kept.trailing.push(line);
        } else {
            kept.top.push(line);
        }
    }
    kept
}

fn is_main_guard(node: Node, text: &dyn Fn(Node) -> String) -> bool {
    if node.kind() != "if_statement" {
        return false;
    }
    let Some(cond) = node.child_by_field_name("condition") else {
        return false;
    };
    let c: String = text(cond).chars().filter(|c| !c.is_whitespace()).collect();
    (c == "__name__==\"__main__\"" || c == "__name__=='__main__'")
        && node.child_by_field_name("alternative").is_none()
}

/// `module.register(Y, ...)` → Y; `module = Y()` → Y.
fn registered_or_instantiated(stmt: Node, text: &dyn Fn(Node) -> String) -> Option<String> {
    if stmt.kind() != "expression_statement" {
        return None;
    }
    let inner = stmt.named_child(0)?;
    match inner.kind() {
        "call" => {
            let func = text(inner.child_by_field_name("function")?);
            if func != "module.register" {
                return None;
            }
            let args = inner.child_by_field_name("arguments")?;
            let first = args.named_child(0)?;
            (first.kind() == "identifier").then(|| text(first))
        }
        "assignment" => {
            let left = text(inner.child_by_field_name("left")?);
            let right = inner.child_by_field_name("right")?;
            if left != "module" || right.kind() != "call" {
                return None;
            }
            let f = right.child_by_field_name("function")?;
            (f.kind() == "identifier").then(|| text(f))
        }
        _ => None,
    }
}

/// An import statement without its owned names, or `None` when every name is owned.
fn filter_import(
    node: Node,
    text: &dyn Fn(Node) -> String,
    owned: &BTreeSet<String>,
) -> Option<String> {
    let module = text(node.child_by_field_name("module_name")?);
    let mut names = Vec::new();
    let mut dropped = false;
    for n in node.children_by_field_name("name", &mut node.walk()) {
        let (imported, bound) = match n.kind() {
            "aliased_import" => (
                n.child_by_field_name("name").map(text).unwrap_or_default(),
                n.child_by_field_name("alias").map(text).unwrap_or_default(),
            ),
            _ => (text(n), text(n)),
        };
        if imported == bound && owned.contains(&bound) {
            dropped = true;
        } else {
            names.push(text(n));
        }
    }
    if !dropped
        || node
            .named_children(&mut node.walk())
            .any(|c| c.kind() == "wildcard_import")
    {
        return Some(text(node));
    }
    if names.is_empty() {
        return None;
    }
    Some(format!("from {module} import {}", names.join(", ")))
}

/// Re-indents a statement taken from the `if` block to `indent` spaces (its first line starts at
/// `column`, continuation lines keep their offset).
fn indent_block(text: &str, column: usize, indent: usize) -> String {
    let pad = " ".repeat(indent);
    let mut out = String::new();
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
            let strip = line.len() - line.trim_start().len();
            let keep = strip.saturating_sub(column);
            out.push_str(&pad);
            out.push_str(&" ".repeat(keep));
            out.push_str(line.trim_start());
        } else {
            out.push_str(&pad);
            out.push_str(line);
        }
    }
    out
}

/// Adds one component to a hand-written main.py as its author would: `from {module} import
/// {class}` after the last top-level import (unless the name is imported already), and
/// `{variable}.register({class}, "{docker_parameters}")` after the last registration (else before
/// `run()`), on the variable that holds the module, with its indentation, laid out as black would
/// at `line_length`. Every other byte is kept. `Err` says why it cannot be placed.
pub fn add_registration(
    src: &str,
    class: &str,
    module: &str,
    docker_parameters: &str,
    line_length: usize,
) -> Result<String, String> {
    let main = crate::core::python::main_py::read(src)
        .ok_or("main.py does not parse; fix its syntax first")?;
    let instance = main
        .module
        .as_ref()
        .ok_or("main.py builds no module (`module = MyModule()`); add that line first")?;
    let (at, indent) = match main.registrations.last() {
        Some(last) => (last.line_end, last.indent.clone()),
        None => main
            .run_line
            .clone()
            .ok_or("main.py never calls `module.run()`, so there is no place for a registration")?,
    };
    let name = crate::core::pyjson::string_literal(docker_parameters);
    let call = register_call(&indent, &instance.variable, class, &name, line_length);
    let mut out = String::with_capacity(src.len() + call.len() + 64);
    let import_needed = !crate::core::python::parse(src)
        .map(|f| f.imports.iter().any(|i| i.bound == class))
        .unwrap_or(false);
    let import = format!("from {module} import {class}\n");
    let import_at = main.import_offset(module);
    // Insert the later offset first so the earlier one stays valid.
    let mut edits = vec![(at, call)];
    if import_needed {
        edits.push((import_at, import));
    }
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    out.push_str(src);
    for (offset, text) in edits {
        // A file without a final newline: the inserted line starts on a line of its own.
        let text = if offset == out.len() && !out.is_empty() && !out.ends_with('\n') {
            format!("\n{}", text.trim_end_matches('\n'))
        } else {
            text
        };
        out.insert_str(offset, &text);
    }
    Ok(out)
}

/// `module.register(Class, "name")`, split as black splits a call that is too long.
fn register_call(
    indent: &str,
    variable: &str,
    class: &str,
    name: &str,
    line_length: usize,
) -> String {
    let one = format!("{indent}{variable}.register({class}, {name})");
    if one.chars().count() <= line_length {
        return format!("{one}\n");
    }
    let body = format!("{indent}    {class}, {name}");
    if body.chars().count() <= line_length {
        return format!("{indent}{variable}.register(\n{body}\n{indent})\n");
    }
    format!("{indent}{variable}.register(\n{indent}    {class},\n{indent}    {name},\n{indent})\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reg(class: &str, module: &str) -> Registration {
        Registration {
            class: class.into(),
            module: module.into(),
        }
    }

    #[test]
    fn adds_one_import_and_one_registration_in_the_files_style() {
        let src = "\"\"\"Entry point.\"\"\"\n\nfrom sekoia_automation.loguru.config import init_logging\n\nfrom pkg import M\nfrom pkg.x import X\n\nif __name__ == \"__main__\":\n    init_logging()\n\n    module = M()\n    module.register_account_validator(V)\n    module.register(X, \"x_name\")\n\n    module.run()\n";
        let out = add_registration(src, "Probe", "pkg.action_probe", "probe", 119).unwrap();
        assert_eq!(
            out,
            src.replace(
                "from pkg.x import X\n",
                "from pkg.action_probe import Probe\nfrom pkg.x import X\n"
            )
            .replace(
                "\"x_name\")\n",
                "\"x_name\")\n    module.register(Probe, \"probe\")\n"
            )
        );
        let long = add_registration(src, "Probe", "pkg.p", &"n".repeat(100), 119).unwrap();
        assert!(long.contains(&format!(
            "    module.register(\n        Probe, \"{}\"\n    )\n",
            "n".repeat(100)
        )));
    }

    #[test]
    fn first_registration_goes_before_run() {
        let src =
            "from pkg import M\n\nif __name__ == \"__main__\":\n    module = M()\n    module.run()";
        let out = add_registration(src, "A", "pkg.a", "A", 88).unwrap();
        assert_eq!(
            out,
            "from pkg import M\nfrom pkg.a import A\n\nif __name__ == \"__main__\":\n    module = M()\n    module.register(A, \"A\")\n    module.run()"
        );
    }

    #[test]
    fn sdk_layout_sorted() {
        let out = render(
            &reg("M", "pkg"),
            &[reg("T", "pkg.t")],
            &[],
            &[reg("B", "pkg.b"), reg("A", "pkg.a")],
            None,
        );
        assert_eq!(
            out,
            "from pkg import M\n\nfrom pkg.t import T\nfrom pkg.a import A\nfrom pkg.b import B\n\nif __name__ == \"__main__\":\n    module = M()\n    module.register(T, \"T\")\n    module.register(A, \"A\")\n    module.register(B, \"B\")\n    module.run()\n"
        );
    }

    #[test]
    fn keeps_account_validator_and_drops_stale_components() {
        let existing = "from pkg import M\n\nfrom pkg.old import Old\nfrom pkg.v import Validator\n# keep me\n\n\nif __name__ == \"__main__\":\n    module = M()\n    module.register(Old, \"Old\")\n    module.register_account_validator(Validator)\n    module.run()\n";
        let out = render(
            &reg("M", "pkg"),
            &[],
            &[],
            &[reg("A", "pkg.a")],
            Some(existing),
        );
        assert_eq!(
            out,
            "from pkg import M\n\nfrom pkg.a import A\nfrom pkg.v import Validator\n\n# keep me\n\n\nif __name__ == \"__main__\":\n    module = M()\n    module.register(A, \"A\")\n    module.register_account_validator(Validator)\n    module.run()\n"
        );
        // Rendering again over its own output changes nothing.
        let again = render(&reg("M", "pkg"), &[], &[], &[reg("A", "pkg.a")], Some(&out));
        assert_eq!(again, out);
    }
}
