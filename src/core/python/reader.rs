//! tree-sitter → [`PyFile`]. Only top-level statements and class bodies are read; function bodies
//! are never walked, so arbitrary code in them cannot confuse the reader.

use std::cell::{Cell, RefCell};

use tree_sitter::{Node, Parser};

use super::ast::{BinOp, ClassDef, ClassItem, Expr, Import, Param, PyFile};
use super::strings::decode_string;

/// A Python syntax error: 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub line: usize,
    pub column: usize,
}

/// The tree-sitter tree of `source`, the one parser set-up every reader of Python uses (sync, add,
/// check, main.py). `None` only if tree-sitter itself fails; syntax errors are in the tree.
pub fn syntax_tree(source: &str) -> Option<tree_sitter::Tree> {
    // One parser per thread, reused: `check --library` parses a thousand files.
    thread_local! {
        static PARSER: std::cell::RefCell<Option<Parser>> = const { std::cell::RefCell::new(None) };
    }
    PARSER.with(|cell| {
        let mut slot = cell.try_borrow_mut().ok()?;
        if slot.is_none() {
            let mut parser = Parser::new();
            parser
                .set_language(&tree_sitter_python::LANGUAGE.into())
                .ok()?;
            *slot = Some(parser);
        }
        let parser = slot.as_mut()?;
        let tree = parser.parse(source, None);
        // A parse cut short leaves state behind; the next one starts clean.
        parser.reset();
        tree
    })
}

/// Parses `source`. Syntax errors are reported at the first broken node; the reader never panics.
pub fn parse(source: &str) -> Result<PyFile, SyntaxError> {
    let tree = syntax_tree(source).ok_or(SyntaxError { line: 1, column: 1 })?;
    let root = tree.root_node();
    if root.has_error() {
        let bad = first_error(root).unwrap_or(root);
        let p = bad.start_position();
        return Err(SyntaxError {
            line: p.row + 1,
            column: p.column + 1,
        });
    }
    let reader = Reader {
        src: source.as_bytes(),
        depth: Cell::new(0),
        deep: RefCell::new(Vec::new()),
    };
    let mut file = PyFile::default();
    let mut cursor = root.walk();
    for stmt in root.named_children(&mut cursor) {
        reader.top_level(stmt, &mut file);
    }
    file.deep = reader.deep.into_inner();
    file.deep.dedup();
    Ok(file)
}

/// Parses one expression (a string annotation such as `"Foo"` or `"list[Foo]"`).
pub fn parse_expression(source: &str) -> Option<Expr> {
    let wrapped = format!("__sync_annotation__: {}\n", source.trim());
    let file = parse(&format!("class __S__:\n    {wrapped}")).ok()?;
    let class = file.classes.into_iter().next()?;
    class
        .annotation("__sync_annotation__")
        .map(|(e, _)| e.clone())
}

/// The first error or missing node in document order. Iterative: a file of 5,000 nested brackets
/// makes a tree that deep, and recursion would overflow the stack.
fn first_error(node: Node) -> Option<Node> {
    let mut cursor = node.walk();
    loop {
        let n = cursor.node();
        if n.is_error() || n.is_missing() {
            return Some(n);
        }
        // Only descend into subtrees that contain an error.
        if n.has_error() && cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return None;
            }
        }
    }
}

/// How deep [`Reader::expr`] follows nested expressions (brackets, calls, unary operators,
/// attribute chains, `|` unions). CPython's own parser stops at 200 nested brackets; real
/// annotations and defaults stay far below. Deeper expressions become [`Expr::Other`] and their
/// line is recorded in [`PyFile::deep`], so the stack stays bounded whatever the input.
pub const MAX_DEPTH: usize = 100;

struct Reader<'a> {
    src: &'a [u8],
    /// Current nesting of `expr` calls.
    depth: Cell<usize>,
    /// Lines where `MAX_DEPTH` was reached.
    deep: RefCell<Vec<usize>>,
}

impl<'a> Reader<'a> {
    fn text(&self, node: Node) -> String {
        node.utf8_text(self.src).unwrap_or("").to_string()
    }

    fn line(node: Node) -> usize {
        node.start_position().row + 1
    }

    fn top_level(&self, stmt: Node, file: &mut PyFile) {
        match stmt.kind() {
            "import_statement" => self.import(stmt, file),
            "import_from_statement" => self.import_from(stmt, file),
            "class_definition" => {
                if let Some(class) = self.class(stmt) {
                    file.classes.push(class);
                }
            }
            "decorated_definition" => {
                if let Some(def) = stmt.child_by_field_name("definition") {
                    if def.kind() == "class_definition" {
                        if let Some(class) = self.class(def) {
                            file.classes.push(class);
                        }
                    }
                }
            }
            "expression_statement" => {
                if let Some(assign) = stmt.named_child(0).filter(|n| n.kind() == "assignment") {
                    let left = assign.child_by_field_name("left");
                    let right = assign.child_by_field_name("right");
                    if let (Some(left), Some(right)) = (left, right) {
                        if left.kind() == "identifier" {
                            file.assigns.push((
                                self.text(left),
                                self.expr(right),
                                Self::line(stmt),
                            ));
                        }
                    }
                }
            }
            // Imports guarded by `if TYPE_CHECKING:` / `try:` still bind names for our purpose.
            "if_statement" | "try_statement" => {
                let mut cursor = stmt.walk();
                for child in stmt.named_children(&mut cursor) {
                    if child.kind() == "block" {
                        let mut c2 = child.walk();
                        for inner in child.named_children(&mut c2) {
                            if matches!(inner.kind(), "import_statement" | "import_from_statement")
                            {
                                self.top_level(inner, file);
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }

    fn import(&self, stmt: Node, file: &mut PyFile) {
        let mut cursor = stmt.walk();
        for name in stmt.children_by_field_name("name", &mut cursor) {
            let line = Self::line(stmt);
            match name.kind() {
                "dotted_name" => {
                    let module = self.text(name);
                    // `import a.b` binds `a`; attribute access then walks the rest.
                    let bound = module.split('.').next().unwrap_or("").to_string();
                    let top = bound.clone();
                    file.imports.push(Import {
                        module: top,
                        name: None,
                        bound,
                        line,
                    });
                }
                "aliased_import" => {
                    let module = name.child_by_field_name("name").map(|n| self.text(n));
                    let alias = name.child_by_field_name("alias").map(|n| self.text(n));
                    if let (Some(module), Some(alias)) = (module, alias) {
                        file.imports.push(Import {
                            module,
                            name: None,
                            bound: alias,
                            line,
                        });
                    }
                }
                _ => {}
            }
        }
    }

    fn import_from(&self, stmt: Node, file: &mut PyFile) {
        let Some(module_node) = stmt.child_by_field_name("module_name") else {
            return;
        };
        let module = self
            .text(module_node)
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>();
        let line = Self::line(stmt);
        let mut cursor = stmt.walk();
        for name in stmt.children_by_field_name("name", &mut cursor) {
            let (imported, bound) = match name.kind() {
                "dotted_name" => (self.text(name), self.text(name)),
                "aliased_import" => {
                    let n = name
                        .child_by_field_name("name")
                        .map(|n| self.text(n))
                        .unwrap_or_default();
                    let a = name
                        .child_by_field_name("alias")
                        .map(|n| self.text(n))
                        .unwrap_or_default();
                    (n, a)
                }
                _ => continue,
            };
            file.imports.push(Import {
                module: module.clone(),
                name: Some(imported),
                bound,
                line,
            });
        }
    }

    fn class(&self, node: Node) -> Option<ClassDef> {
        let name = self.text(node.child_by_field_name("name")?);
        let mut bases = Vec::new();
        let mut keywords = Vec::new();
        if let Some(args) = node.child_by_field_name("superclasses") {
            let mut cursor = args.walk();
            for arg in args.named_children(&mut cursor) {
                match arg.kind() {
                    "comment" => {}
                    "keyword_argument" => {
                        let n = arg.child_by_field_name("name").map(|n| self.text(n));
                        let v = arg.child_by_field_name("value").map(|v| self.expr(v));
                        if let (Some(n), Some(v)) = (n, v) {
                            keywords.push((n, v));
                        }
                    }
                    _ => bases.push(self.expr(arg)),
                }
            }
        }
        let mut class = ClassDef {
            name,
            line: Self::line(node),
            bases,
            keywords,
            docstring: None,
            items: Vec::new(),
        };
        let body = node.child_by_field_name("body")?;
        let mut cursor = body.walk();
        let mut first = true;
        for stmt in body.named_children(&mut cursor) {
            if stmt.kind() == "comment" {
                continue;
            }
            let is_first = std::mem::replace(&mut first, false);
            match stmt.kind() {
                "expression_statement" => {
                    let Some(inner) = stmt.named_child(0) else {
                        continue;
                    };
                    if is_first && matches!(inner.kind(), "string" | "concatenated_string") {
                        if let Expr::Str(s) = self.expr(inner) {
                            class.docstring = Some(s);
                        }
                        continue;
                    }
                    if inner.kind() == "assignment" {
                        self.class_assignment(inner, &mut class.items);
                    }
                }
                "function_definition" => {
                    if let Some(m) = self.method(stmt, false) {
                        class.items.push(m);
                    }
                }
                "decorated_definition" => {
                    let mut c2 = stmt.walk();
                    let abstract_ = stmt
                        .named_children(&mut c2)
                        .filter(|d| d.kind() == "decorator")
                        .any(|d| self.text(d).contains("abstractmethod"));
                    if let Some(def) = stmt.child_by_field_name("definition") {
                        if def.kind() == "function_definition" {
                            if let Some(m) = self.method(def, abstract_) {
                                class.items.push(m);
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        Some(class)
    }

    fn class_assignment(&self, assign: Node, items: &mut Vec<ClassItem>) {
        let Some(left) = assign.child_by_field_name("left") else {
            return;
        };
        if left.kind() != "identifier" {
            return;
        }
        let name = self.text(left);
        let line = Self::line(assign);
        let value = assign.child_by_field_name("right").map(|r| self.expr(r));
        match assign.child_by_field_name("type") {
            Some(ty) => items.push(ClassItem::Annotated {
                name,
                annotation: self.expr(ty),
                value,
                line,
            }),
            None => {
                if let Some(value) = value {
                    items.push(ClassItem::Assign { name, value, line });
                }
            }
        }
    }

    fn method(&self, def: Node, abstract_: bool) -> Option<ClassItem> {
        let name = self.text(def.child_by_field_name("name")?);
        let mut params = Vec::new();
        if let Some(ps) = def.child_by_field_name("parameters") {
            let mut cursor = ps.walk();
            for p in ps.named_children(&mut cursor) {
                let (pname, ann) = match p.kind() {
                    "identifier" => (self.text(p), None),
                    "typed_parameter" => {
                        let n = p.named_child(0).map(|n| self.text(n)).unwrap_or_default();
                        (n, p.child_by_field_name("type").map(|t| self.expr(t)))
                    }
                    "default_parameter" => (
                        p.child_by_field_name("name")
                            .map(|n| self.text(n))
                            .unwrap_or_default(),
                        None,
                    ),
                    "typed_default_parameter" => (
                        p.child_by_field_name("name")
                            .map(|n| self.text(n))
                            .unwrap_or_default(),
                        p.child_by_field_name("type").map(|t| self.expr(t)),
                    ),
                    // `*`, `/`, `*args`, `**kwargs` end the positional parameters we care about.
                    _ => break,
                };
                params.push(Param {
                    name: pname,
                    annotation: ann,
                });
            }
        }
        Some(ClassItem::Method {
            name,
            params,
            abstract_,
            line: Self::line(def),
        })
    }

    /// Converts an expression (or a `type` annotation node) into [`Expr`], at most
    /// [`MAX_DEPTH`] levels deep.
    fn expr(&self, node: Node) -> Expr {
        let depth = self.depth.get();
        if depth >= MAX_DEPTH {
            self.deep.borrow_mut().push(Self::line(node));
            return Expr::Other(self.short_text(node));
        }
        self.depth.set(depth + 1);
        let out = self.expr_inner(node);
        self.depth.set(depth);
        out
    }

    /// The source text of `node`, cut to a readable length for warnings.
    fn short_text(&self, node: Node) -> String {
        let text = self.text(node);
        match text.char_indices().nth(60) {
            Some((i, _)) => format!("{}…", &text[..i]),
            None => text,
        }
    }

    fn expr_inner(&self, node: Node) -> Expr {
        match node.kind() {
            "type" | "parenthesized_expression" | "expression" | "primary_expression" => match node
                .named_children(&mut node.walk())
                .find(|c| c.kind() != "comment")
            {
                Some(inner) => self.expr(inner),
                None => Expr::Other(self.short_text(node)),
            },
            "identifier" => Expr::Name(self.text(node)),
            "attribute" => {
                let obj = node.child_by_field_name("object").map(|o| self.expr(o));
                let attr = node.child_by_field_name("attribute").map(|a| self.text(a));
                match (obj, attr) {
                    (Some(o), Some(a)) => Expr::Attr(Box::new(o), a),
                    _ => Expr::Other(self.short_text(node)),
                }
            }
            "member_type" => {
                // `a.b` in annotations: children are a type and an identifier.
                let kids: Vec<Node> = node.named_children(&mut node.walk()).collect();
                match kids.as_slice() {
                    [obj, attr] => Expr::Attr(Box::new(self.expr(*obj)), self.text(*attr)),
                    _ => Expr::Other(self.short_text(node)),
                }
            }
            "generic_type" => {
                let kids: Vec<Node> = node.named_children(&mut node.walk()).collect();
                let Some(base) = kids.first() else {
                    return Expr::Other(self.short_text(node));
                };
                let params = kids
                    .iter()
                    .find(|k| k.kind() == "type_parameter")
                    .map(|tp| {
                        tp.named_children(&mut tp.walk())
                            .filter(|c| c.kind() != "comment")
                            .map(|c| self.expr(c))
                            .collect()
                    })
                    .unwrap_or_default();
                Expr::Subscript(Box::new(self.expr(*base)), params)
            }
            "union_type" => {
                let kids: Vec<Node> = node.named_children(&mut node.walk()).collect();
                match kids.as_slice() {
                    [l, r] => Expr::BitOr(Box::new(self.expr(*l)), Box::new(self.expr(*r))),
                    _ => Expr::Other(self.short_text(node)),
                }
            }
            "subscript" => {
                let value = node.child_by_field_name("value").map(|v| self.expr(v));
                let mut cursor = node.walk();
                let mut idx: Vec<Expr> = node
                    .children_by_field_name("subscript", &mut cursor)
                    .map(|s| self.expr(s))
                    .collect();
                // `x[a, b]` parses as one tuple subscript in some grammar versions.
                if idx.len() == 1 {
                    if let Expr::Tuple(items) = &idx[0] {
                        idx = items.clone();
                    }
                }
                match value {
                    Some(v) => Expr::Subscript(Box::new(v), idx),
                    None => Expr::Other(self.short_text(node)),
                }
            }
            "call" => {
                let func = node.child_by_field_name("function").map(|f| self.expr(f));
                let mut args = Vec::new();
                let mut kwargs = Vec::new();
                if let Some(al) = node.child_by_field_name("arguments") {
                    if al.kind() != "argument_list" {
                        return Expr::Other(self.short_text(node));
                    }
                    let mut cursor = al.walk();
                    for a in al.named_children(&mut cursor) {
                        match a.kind() {
                            "comment" => {}
                            "keyword_argument" => {
                                let n = a.child_by_field_name("name").map(|n| self.text(n));
                                let v = a.child_by_field_name("value").map(|v| self.expr(v));
                                if let (Some(n), Some(v)) = (n, v) {
                                    kwargs.push((n, v));
                                }
                            }
                            "list_splat" | "dictionary_splat" => {
                                kwargs.push(("**".into(), Expr::Other(self.short_text(a))));
                            }
                            _ => args.push(self.expr(a)),
                        }
                    }
                }
                match func {
                    Some(f) => Expr::Call {
                        func: Box::new(f),
                        args,
                        kwargs,
                    },
                    None => Expr::Other(self.short_text(node)),
                }
            }
            "string" | "concatenated_string" => match decode_string(&self.text(node)) {
                Some(s) => Expr::Str(s),
                None => Expr::Other(self.short_text(node)),
            },
            "integer" => {
                let t: String = self.text(node).chars().filter(|c| *c != '_').collect();
                if t.chars().all(|c| c.is_ascii_digit()) {
                    let trimmed = t.trim_start_matches('0');
                    Expr::Int(if trimmed.is_empty() {
                        "0".into()
                    } else {
                        trimmed.into()
                    })
                } else {
                    parse_radix_int(&t)
                        .map(|v| Expr::Int(v.to_string()))
                        .unwrap_or(Expr::Other(t))
                }
            }
            "float" => {
                let t: String = self.text(node).chars().filter(|c| *c != '_').collect();
                match t.parse::<f64>() {
                    Ok(f) if !t.ends_with(['j', 'J']) => Expr::Float(f),
                    _ => Expr::Other(t),
                }
            }
            "true" => Expr::Bool(true),
            "false" => Expr::Bool(false),
            "none" => Expr::None,
            "ellipsis" => Expr::Ellipsis,
            "list" => Expr::List(self.children(node)),
            "tuple" | "expression_list" => Expr::Tuple(self.children(node)),
            "set" => Expr::Set(self.children(node)),
            "dictionary" => {
                let mut pairs = Vec::new();
                let mut cursor = node.walk();
                for p in node.named_children(&mut cursor) {
                    if p.kind() == "pair" {
                        let k = p.child_by_field_name("key").map(|k| self.expr(k));
                        let v = p.child_by_field_name("value").map(|v| self.expr(v));
                        if let (Some(k), Some(v)) = (k, v) {
                            pairs.push((k, v));
                        }
                    } else if p.kind() != "comment" {
                        return Expr::Other(self.short_text(node));
                    }
                }
                Expr::Dict(pairs)
            }
            "binary_operator" => {
                let op = node.child_by_field_name("operator").map(|o| self.text(o));
                let l = node.child_by_field_name("left");
                let r = node.child_by_field_name("right");
                match (op.as_deref(), l, r) {
                    (Some("|"), Some(l), Some(r)) => {
                        Expr::BitOr(Box::new(self.expr(l)), Box::new(self.expr(r)))
                    }
                    (Some(op), Some(l), Some(r)) => match BinOp::from_token(op) {
                        Some(op) => Expr::BinOp(Box::new(self.expr(l)), op, Box::new(self.expr(r))),
                        None => Expr::Other(self.short_text(node)),
                    },
                    _ => Expr::Other(self.short_text(node)),
                }
            }
            "unary_operator" => {
                let op = node.child_by_field_name("operator").map(|o| self.text(o));
                let arg = node.child_by_field_name("argument").map(|a| self.expr(a));
                match (op.as_deref(), arg) {
                    (Some("-"), Some(a)) => Expr::Neg(Box::new(a)),
                    (Some("+"), Some(a @ (Expr::Int(_) | Expr::Float(_)))) => a,
                    _ => Expr::Other(self.short_text(node)),
                }
            }
            _ => Expr::Other(self.short_text(node)),
        }
    }

    fn children(&self, node: Node) -> Vec<Expr> {
        let mut cursor = node.walk();
        node.named_children(&mut cursor)
            .filter(|c| c.kind() != "comment")
            .map(|c| self.expr(c))
            .collect()
    }
}

fn parse_radix_int(t: &str) -> Option<i128> {
    let lower = t.to_ascii_lowercase();
    let (radix, digits) = match lower.get(..2) {
        Some("0x") => (16, &lower[2..]),
        Some("0o") => (8, &lower[2..]),
        Some("0b") => (2, &lower[2..]),
        _ => return None,
    };
    i128::from_str_radix(digits, radix).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_classes_imports_and_annotations() {
        let src = "from . import X\nfrom .models import Y as Z\nimport a.b as c\n\nclass A(B, metaclass=M):\n    \"\"\"Doc\"\"\"\n    a: list[int] = Field(default_factory=list)\n    b: dict[str, Any] | None = None\n    name = \"N\" 'M'\n    def run(self, arguments: Args) -> R:\n        pass\n";
        let f = parse(src).unwrap();
        assert_eq!(f.imports.len(), 3);
        assert_eq!(f.imports[0].module, ".");
        assert_eq!(f.imports[1].module, ".models");
        assert_eq!(f.imports[1].bound, "Z");
        assert_eq!(f.imports[2].module, "a.b");
        let a = &f.classes[0];
        assert_eq!(a.bases, vec![Expr::Name("B".into())]);
        assert_eq!(a.docstring.as_deref(), Some("Doc"));
        assert_eq!(a.assigned("name").unwrap().0, &Expr::Str("NM".into()));
        let (ann, _) = a.annotation("b").unwrap();
        assert!(matches!(ann, Expr::BitOr(..)));
        match a.method("run") {
            Some(ClassItem::Method { params, .. }) => {
                assert_eq!(params[1].annotation, Some(Expr::Name("Args".into())))
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn syntax_errors_have_a_line() {
        let err = parse("class A:\n    x: int =\n").unwrap_err();
        assert_eq!(err.line, 2);
    }
}
