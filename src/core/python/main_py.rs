//! main.py as people write it: which variable holds the module (`module = OktaModule()` or a bare
//! `module = Module()`), which classes it registers under which `docker_parameters`, and where a
//! new import and a new registration go so that the file reads as if its author had added them.
//!
//! The whole file is walked (registrations inside `if __name__ == "__main__":`, a `main()`
//! function or at top level all count), but only calls on the variable that holds the module: a
//! `session.register(...)` elsewhere is not a registration.

use tree_sitter::Node;

use super::strings::decode_string;

/// `variable = Class()`: the module instance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModuleInstance {
    pub variable: String,
    /// The callee as written (`OktaModule`, `Module`, `modules.Module`).
    pub class: String,
    pub line: usize,
}

/// `variable.register(Class, "docker_parameters")` (or `name="..."`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registration {
    /// The first argument as written (an imported class name, usually).
    pub class: String,
    /// The literal name; `None` when absent or not a string literal (the SDK then registers
    /// under `""` or under whatever the expression evaluates to).
    pub docker_parameters: Option<String>,
    pub line: usize,
    /// Byte offset just past the statement's line (after its newline).
    pub line_end: usize,
    /// The statement's indentation.
    pub indent: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MainPy {
    pub module: Option<ModuleInstance>,
    pub registrations: Vec<Registration>,
    /// Classes passed to `register_account_validator`.
    pub account_validators: Vec<String>,
    /// Byte offset just past the last top-level import statement, where a new import goes.
    pub imports_end: Option<usize>,
    /// Top-level `from X import ...` statements: module, offset of the line start, offset past
    /// the statement's line.
    pub from_imports: Vec<(String, usize, usize)>,
    /// Byte offset of the start of the line of `variable.run()` and its indentation: where the
    /// first registration goes when there is none yet.
    pub run_line: Option<(usize, String)>,
}

impl MainPy {
    /// Where `from {module} import ...` goes: in sorted place among the imports of the same
    /// top-level package when those are sorted (isort's order, which most main.py files follow),
    /// else after the last import.
    pub fn import_offset(&self, module: &str) -> usize {
        let top = |m: &str| m.split('.').next().unwrap_or("").to_string();
        let same: Vec<&(String, usize, usize)> = self
            .from_imports
            .iter()
            .filter(|(m, _, _)| top(m) == top(module))
            .collect();
        let sorted = same
            .windows(2)
            .all(|w| w[0].0.to_lowercase() <= w[1].0.to_lowercase());
        if sorted && !same.is_empty() {
            if let Some((_, start, _)) = same
                .iter()
                .find(|(m, _, _)| m.to_lowercase() > module.to_lowercase())
            {
                return *start;
            }
            return same.last().map(|i| i.2).unwrap_or(0);
        }
        self.imports_end.unwrap_or(0)
    }

    /// The docker_parameters each class is registered under, in file order.
    pub fn names_of(&self, class: &str) -> Vec<String> {
        self.registrations
            .iter()
            .filter(|r| r.class == class)
            .filter_map(|r| r.docker_parameters.clone())
            .collect()
    }
}

/// Reads main.py. `None` when it does not parse (the caller reports the syntax error).
pub fn read(src: &str) -> Option<MainPy> {
    let tree = super::syntax_tree(src)?;
    let root = tree.root_node();
    if root.has_error() {
        return None;
    }
    let mut out = MainPy::default();
    for stmt in root.named_children(&mut root.walk()) {
        if matches!(stmt.kind(), "import_statement" | "import_from_statement") {
            out.imports_end = Some(line_end(src, stmt.end_byte()));
        }
        if stmt.kind() == "import_from_statement" {
            if let Some(m) = stmt.child_by_field_name("module_name") {
                out.from_imports.push((
                    text(src, m),
                    line_start(src, stmt.start_byte()),
                    line_end(src, stmt.end_byte()),
                ));
            }
        }
    }
    let mut calls = Vec::new();
    let mut instances = Vec::new();
    collect(root, src, &mut instances, &mut calls, 0);
    // The module variable is the one whose methods register or run components; else a
    // `...Module()` instance.
    let receiver_of = |call: &Node| {
        let func = call.child_by_field_name("function")?;
        let t = text(src, func);
        let (var, method) = t.rsplit_once('.')?;
        matches!(method, "register" | "run" | "register_account_validator").then(|| var.to_string())
    };
    let receivers: Vec<String> = calls.iter().filter_map(|(c, _)| receiver_of(c)).collect();
    out.module = instances
        .iter()
        .find(|i| receivers.contains(&i.variable))
        .or_else(|| {
            instances
                .iter()
                .find(|i| i.class.rsplit('.').next().unwrap_or("").ends_with("Module"))
        })
        .cloned();
    let Some(module) = out.module.clone() else {
        return Some(out);
    };
    for (call, stmt) in calls {
        let Some(func) = call.child_by_field_name("function") else {
            continue;
        };
        let Some(args) = call.child_by_field_name("arguments") else {
            continue;
        };
        let func_text = text(src, func);
        let Some(method) = func_text
            .strip_prefix(&module.variable)
            .and_then(|r| r.strip_prefix('.'))
        else {
            continue;
        };
        let positional: Vec<Node> = args
            .named_children(&mut args.walk())
            .filter(|a| a.kind() != "keyword_argument" && a.kind() != "comment")
            .collect();
        let keyword = |key: &str| {
            args.named_children(&mut args.walk())
                .filter(|a| a.kind() == "keyword_argument")
                .find(|a| a.child_by_field_name("name").map(|n| text(src, n)) == Some(key.into()))
                .and_then(|a| a.child_by_field_name("value"))
        };
        match method {
            "register" => {
                let Some(class) = positional.first().copied().or_else(|| keyword("item")) else {
                    continue;
                };
                let name_node = positional.get(1).copied().or_else(|| keyword("name"));
                let docker_parameters = name_node
                    .filter(|n| n.kind() == "string")
                    .and_then(|n| decode_string(&text(src, n)));
                out.registrations.push(Registration {
                    class: text(src, class),
                    docker_parameters,
                    line: stmt.start_position().row + 1,
                    line_end: line_end(src, stmt.end_byte()),
                    indent: indent_of(src, stmt.start_byte()),
                });
            }
            "register_account_validator" => {
                if let Some(class) = positional.first() {
                    out.account_validators.push(text(src, *class));
                }
            }
            "run" if out.run_line.is_none() => {
                let start = line_start(src, stmt.start_byte());
                out.run_line = Some((start, indent_of(src, stmt.start_byte())));
            }
            _ => {}
        }
    }
    Some(out)
}

/// Walks every statement; remembers each `x = Call()` and each expression-statement call.
fn collect<'t>(
    node: Node<'t>,
    src: &str,
    out: &mut Vec<ModuleInstance>,
    calls: &mut Vec<(Node<'t>, Node<'t>)>,
    depth: usize,
) {
    // Deeply nested code is not where modules are built; stop rather than overflow the stack.
    if depth > 64 {
        return;
    }
    for child in node.named_children(&mut node.walk()) {
        if child.kind() == "expression_statement" {
            if let Some(inner) = child.named_child(0) {
                match inner.kind() {
                    "call" => calls.push((inner, child)),
                    "assignment" => module_assignment(inner, child, src, out),
                    _ => {}
                }
            }
            continue;
        }
        collect(child, src, out, calls, depth + 1);
    }
}

/// `name = X()`: a candidate for the module instance.
fn module_assignment(assign: Node, stmt: Node, src: &str, out: &mut Vec<ModuleInstance>) {
    let (Some(left), Some(right)) = (
        assign.child_by_field_name("left"),
        assign.child_by_field_name("right"),
    ) else {
        return;
    };
    if left.kind() != "identifier" || right.kind() != "call" {
        return;
    }
    let Some(func) = right.child_by_field_name("function") else {
        return;
    };
    out.push(ModuleInstance {
        variable: text(src, left),
        class: text(src, func),
        line: stmt.start_position().row + 1,
    });
}

fn text(src: &str, node: Node) -> String {
    src.get(node.start_byte()..node.end_byte())
        .unwrap_or("")
        .to_string()
}

/// The offset just past the newline ending the line that contains `offset`, following backslash
/// continuations (`from a import b\` then a blank line: a line inserted after the first would join it).
fn line_end(src: &str, offset: usize) -> usize {
    let mut at = offset;
    loop {
        match src[at..].find('\n') {
            Some(i) => {
                let end = at + i;
                let line = src[..end].trim_end_matches('\r');
                if line.ends_with('\\') {
                    at = end + 1;
                    continue;
                }
                return end + 1;
            }
            None => return src.len(),
        }
    }
}

fn line_start(src: &str, offset: usize) -> usize {
    src[..offset].rfind('\n').map(|i| i + 1).unwrap_or(0)
}

fn indent_of(src: &str, offset: usize) -> String {
    let start = line_start(src, offset);
    src[start..offset]
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const OKTA: &str = "from okta_modules import OktaModule\nfrom okta_modules.account_validator import V\nfrom okta_modules.system_log_trigger import SystemLogConnector\n\nif __name__ == \"__main__\":\n    module = OktaModule()\n    module.register_account_validator(V)\n    module.register(SystemLogConnector, \"okta_system_logs\")\n    module.register(\n        Other,\n        name=\"other\",\n    )\n    module.run()\n";

    #[test]
    fn reads_registrations_under_chosen_names() {
        let m = read(OKTA).unwrap();
        assert_eq!(m.module.as_ref().unwrap().class, "OktaModule");
        assert_eq!(m.module.as_ref().unwrap().variable, "module");
        assert_eq!(m.account_validators, ["V"]);
        let regs: Vec<(&str, Option<&str>)> = m
            .registrations
            .iter()
            .map(|r| (r.class.as_str(), r.docker_parameters.as_deref()))
            .collect();
        assert_eq!(
            regs,
            [
                ("SystemLogConnector", Some("okta_system_logs")),
                ("Other", Some("other"))
            ]
        );
        let last = &m.registrations[1];
        assert_eq!(&OKTA[last.line_end..], "    module.run()\n");
        assert_eq!(last.indent, "    ");
        assert_eq!(
            &OKTA[..m.imports_end.unwrap()],
            OKTA.split("\nif").next().unwrap().trim_end().to_string() + "\n"
        );
    }

    /// Found by `tests/fuzz_readers.rs`: an import ending in a backslash continuation.
    #[test]
    fn a_continued_line_is_not_split() {
        let src = "from pkg import M\nfrom pkg.a import A\\\n\nif __name__ == \"__main__\":\n    module = M()\n    module.run()\n";
        let out = crate::core::sync::mainpy::add_registration(src, "P", "pkg.p", "p", 88).unwrap();
        assert!(crate::core::python::parse(&out).is_ok(), "{out}");
    }

    #[test]
    fn bare_module_in_a_function_with_another_variable_name() {
        let src = "from sekoia_automation.module import Module\n\nfrom pkg.a import A\n\n\ndef main():\n    m = Module()\n    m.register(A, \"a\")\n    session.register(B, \"b\")\n    m.run()\n";
        let m = read(src).unwrap();
        assert_eq!(m.module.as_ref().unwrap().variable, "m");
        assert_eq!(m.module.as_ref().unwrap().class, "Module");
        assert_eq!(m.registrations.len(), 1);
        assert_eq!(m.names_of("A"), ["a"]);
        assert_eq!(m.run_line.as_ref().unwrap().1, "    ");
    }
}
