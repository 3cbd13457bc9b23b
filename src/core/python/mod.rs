//! Reading Python sources without running them: a tree-sitter parse of each file into the few
//! things `sync` needs (imports, classes with their bases, docstrings, attributes and methods'
//! parameters, and static expressions such as `Field(...)` calls and literals).
//!
//! The reader never panics and never executes code: anything it cannot represent statically is kept
//! as [`ast::Expr::Other`] with its source text, so callers can warn with file:line.

pub mod ast;
pub mod main_py;
pub mod reader;
pub mod strings;

pub use ast::{BinOp, ClassDef, ClassItem, Expr, Import, Param, PyFile};
pub use reader::{parse, parse_expression, syntax_tree, SyntaxError};
