//! The small slice of Python that sync needs: imports, classes (bases, docstring, annotated and
//! plain attributes, methods' parameters) and static expressions. Everything else is skipped.

/// A static Python expression. Anything the reader cannot represent becomes `Other` with its source
/// text, so callers can warn about it instead of guessing.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Name(String),
    Attr(Box<Expr>, String),
    /// `value[a, b]` (also `list[int]` in annotations); a single index is a one-element vector.
    Subscript(Box<Expr>, Vec<Expr>),
    Call {
        func: Box<Expr>,
        args: Vec<Expr>,
        kwargs: Vec<(String, Expr)>,
    },
    Str(String),
    /// Integers are kept as text: Python integers are unbounded.
    Int(String),
    Float(f64),
    Bool(bool),
    None,
    Ellipsis,
    List(Vec<Expr>),
    Tuple(Vec<Expr>),
    Set(Vec<Expr>),
    Dict(Vec<(Expr, Expr)>),
    /// `a | b` (unions in annotations).
    BitOr(Box<Expr>, Box<Expr>),
    /// `-x`
    Neg(Box<Expr>),
    /// `a + b`, `a * b`, ... (operators other than `|`), for static defaults such as `5 * 60`.
    BinOp(Box<Expr>, BinOp, Box<Expr>),
    Other(String),
}

/// Arithmetic operators sync can evaluate on constants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    FloorDiv,
    Mod,
    Pow,
}

impl BinOp {
    pub fn from_token(token: &str) -> Option<BinOp> {
        Some(match token {
            "+" => BinOp::Add,
            "-" => BinOp::Sub,
            "*" => BinOp::Mul,
            "/" => BinOp::Div,
            "//" => BinOp::FloorDiv,
            "%" => BinOp::Mod,
            "**" => BinOp::Pow,
            _ => return None,
        })
    }
}

impl Expr {
    /// The dotted name of a `Name` / `Attr` chain (`typing.Optional`), if it is one.
    pub fn dotted(&self) -> Option<String> {
        match self {
            Expr::Name(n) => Some(n.clone()),
            Expr::Attr(base, attr) => base.dotted().map(|b| format!("{b}.{attr}")),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Import {
    /// Absolute dotted module, or with leading dots for relative imports (`.models`, `..`).
    pub module: String,
    /// `from module import name`; `None` for `import module`.
    pub name: Option<String>,
    /// The name bound in the importing module.
    pub bound: String,
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    pub name: String,
    pub annotation: Option<Expr>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ClassItem {
    /// `name: annotation [= value]`
    Annotated {
        name: String,
        annotation: Expr,
        value: Option<Expr>,
        line: usize,
    },
    /// `name = value`
    Assign {
        name: String,
        value: Expr,
        line: usize,
    },
    Method {
        name: String,
        params: Vec<Param>,
        abstract_: bool,
        line: usize,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct ClassDef {
    pub name: String,
    pub line: usize,
    pub bases: Vec<Expr>,
    /// Keyword arguments of the class statement (`total=False`, `metaclass=M`).
    pub keywords: Vec<(String, Expr)>,
    /// The raw docstring (already decoded from its literal), before `inspect.cleandoc`.
    pub docstring: Option<String>,
    pub items: Vec<ClassItem>,
}

impl ClassDef {
    pub fn method(&self, name: &str) -> Option<&ClassItem> {
        self.items
            .iter()
            .find(|i| matches!(i, ClassItem::Method { name: n, .. } if n == name))
    }

    /// The last plain or annotated assignment of `name` with a value (Python keeps the last one).
    pub fn assigned(&self, name: &str) -> Option<(&Expr, usize)> {
        self.items.iter().rev().find_map(|i| match i {
            ClassItem::Assign {
                name: n,
                value,
                line,
            } if n == name => Some((value, *line)),
            ClassItem::Annotated {
                name: n,
                value: Some(value),
                line,
                ..
            } if n == name => Some((value, *line)),
            _ => None,
        })
    }

    pub fn annotation(&self, name: &str) -> Option<(&Expr, usize)> {
        self.items.iter().rev().find_map(|i| match i {
            ClassItem::Annotated {
                name: n,
                annotation,
                line,
                ..
            } if n == name => Some((annotation, *line)),
            _ => None,
        })
    }
}

/// One parsed `.py` file: its top-level imports, classes and simple assignments.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PyFile {
    pub imports: Vec<Import>,
    pub classes: Vec<ClassDef>,
    /// `NAME = expr` at top level (type aliases, constants).
    pub assigns: Vec<(String, Expr, usize)>,
    /// Lines holding an expression nested deeper than the reader follows (see
    /// `reader::MAX_DEPTH`); the expression was kept as [`Expr::Other`].
    pub deep: Vec<usize>,
}

/// `inspect.cleandoc`: strip the first line's leading blanks and the common indent of the rest,
/// then drop leading and trailing blank lines.
pub fn cleandoc(doc: &str) -> String {
    let expanded = doc.replace('\t', "        ");
    let lines: Vec<&str> = expanded.split('\n').collect();
    let margin = lines
        .iter()
        .skip(1)
        .filter(|l| !l.trim_start().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    let mut out: Vec<String> = Vec::with_capacity(lines.len());
    if let Some(first) = lines.first() {
        out.push(first.trim_start().to_string());
    }
    for l in lines.iter().skip(1) {
        out.push(l.get(margin..).unwrap_or("").to_string());
    }
    while out.first().is_some_and(|l| l.is_empty()) {
        out.remove(0);
    }
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    out.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleandoc_matches_inspect() {
        assert_eq!(
            cleandoc("\n    Action to request\n    an HTTP resource\n    "),
            "Action to request\nan HTTP resource"
        );
        assert_eq!(cleandoc("One line"), "One line");
        assert_eq!(
            cleandoc("  First\n      indented\n    base"),
            "First\n  indented\nbase"
        );
    }
}
