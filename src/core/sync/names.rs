//! Names in the module's Python that parse but fail when Python imports the file (issue 15,
//! finding 9). The generator refuses or renames them; these findings are for hand-written code,
//! so `check` and `sync` stop calling such a module fine:
//! * a class-body name used after a field of that class rebinds it (`str: str = ...` then
//!   `host: str`): Python evaluates the class body top to bottom, so the later annotation is the
//!   field's value, not the type;
//! * a top-level class or assignment that rebinds an imported name (`class Field(BaseModel)` after
//!   `from pydantic import Field`) and a later class that still uses the name;
//! * a Python file whose name Python normalises (NFKC: `ﬁle.py` is imported as `file`).

use std::collections::HashMap;

use unicode_normalization::UnicodeNormalization;

use super::index::Index;
use super::Warning;
use crate::core::python::ast::{ClassDef, ClassItem, Expr, PyFile};

/// Every such problem in the module's Python files, in file order.
pub fn problems(index: &Index) -> Vec<Warning> {
    let mut out = Vec::new();
    for module in index.modules.values() {
        file_name(&module.path, &mut out);
        // Under `from __future__ import annotations` annotations are strings, resolved later by
        // pydantic against the module: class-body shadowing of an annotation is then harmless.
        let lazy = module
            .file
            .imports
            .iter()
            .any(|i| i.module == "__future__" && i.name.as_deref() == Some("annotations"));
        for class in &module.file.classes {
            class_body(&module.path, class, lazy, &mut out);
        }
        rebound_imports(&module.path, &module.file, &mut out);
    }
    out
}

fn file_name(path: &str, out: &mut Vec<Warning>) {
    let Some(stem) = path.rsplit('/').next().and_then(|f| f.strip_suffix(".py")) else {
        return;
    };
    let normalised: String = stem.nfkc().collect();
    if normalised != stem {
        out.push(Warning {
            file: path.to_string(),
            line: 1,
            field: None,
            message: format!(
                "Python imports this file as `{normalised}` (it normalises names to NFKC), so \
                 `import … {stem}` fails; rename the file to {normalised}.py"
            ),
        });
    }
}

fn class_body(path: &str, class: &ClassDef, lazy: bool, out: &mut Vec<Warning>) {
    let mut bound: HashMap<&str, usize> = HashMap::new();
    for item in &class.items {
        let (name, line, annotation, value) = match item {
            ClassItem::Annotated {
                name,
                annotation,
                value,
                line,
            } => (name, *line, Some(annotation), value.as_ref()),
            ClassItem::Assign { name, value, line } => (name, *line, None, Some(value)),
            ClassItem::Method { name, line, .. } => {
                bound.insert(name, *line);
                continue;
            }
        };
        let mut used = Vec::new();
        if let Some(a) = annotation.filter(|_| !lazy) {
            names_in(a, &mut used);
        }
        if let Some(v) = value {
            names_in(v, &mut used);
        }
        for u in used {
            if let Some(&at) = bound.get(u) {
                out.push(Warning {
                    file: path.to_string(),
                    line,
                    field: Some(name.clone()),
                    message: format!(
                        "`{u}` here is `{}.{u}` (line {at}), not the `{u}` the module imports or \
                         Python provides: the class body is evaluated top to bottom, so importing \
                         the module fails; rename the attribute `{u}` (keep its JSON name with \
                         `Field(alias=\"{u}\")`)",
                        class.name
                    ),
                });
            }
        }
        // `x: int` alone only annotates; a value (or a plain assignment) binds the name.
        if value.is_some() {
            bound.entry(name).or_insert(line);
        }
    }
}

fn rebound_imports(path: &str, file: &PyFile, out: &mut Vec<Warning>) {
    let imported: HashMap<&str, usize> = file
        .imports
        .iter()
        .map(|i| (i.bound.as_str(), i.line))
        .collect();
    let rebinds = file
        .classes
        .iter()
        .map(|c| (c.name.as_str(), c.line))
        .chain(file.assigns.iter().map(|(n, _, line)| (n.as_str(), *line)));
    for (name, line) in rebinds {
        let Some(&import_line) = imported.get(name).filter(|&&l| l < line) else {
            continue;
        };
        // A later class that uses the name gets the new binding, not the import.
        let use_line = file.classes.iter().filter(|c| c.line > line).find_map(|c| {
            c.items.iter().find_map(|item| {
                let mut used = Vec::new();
                match item {
                    ClassItem::Annotated {
                        annotation, value, ..
                    } => {
                        names_in(annotation, &mut used);
                        if let Some(v) = value {
                            names_in(v, &mut used);
                        }
                    }
                    ClassItem::Assign { value, .. } => names_in(value, &mut used),
                    ClassItem::Method { .. } => {}
                }
                used.contains(&name).then(|| item_line(item))
            })
        });
        if let Some(used_at) = use_line {
            out.push(Warning {
                file: path.to_string(),
                line,
                field: None,
                message: format!(
                    "`{name}` rebinds the name imported at line {import_line}, and line {used_at} \
                     uses it expecting the import: rename this class or variable"
                ),
            });
        }
    }
}

fn item_line(item: &ClassItem) -> usize {
    match item {
        ClassItem::Annotated { line, .. }
        | ClassItem::Assign { line, .. }
        | ClassItem::Method { line, .. } => *line,
    }
}

/// The free names an expression reads (`Optional` and `str` in `Optional[str]`, `Field` in
/// `Field(default=1)`, `typing` in `typing.List`). String forward references are not read.
fn names_in<'a>(expr: &'a Expr, out: &mut Vec<&'a str>) {
    match expr {
        Expr::Name(n) => out.push(n),
        Expr::Attr(base, _) => names_in(base, out),
        Expr::Subscript(value, index) => {
            names_in(value, out);
            index.iter().for_each(|e| names_in(e, out));
        }
        Expr::Call { func, args, kwargs } => {
            names_in(func, out);
            args.iter().for_each(|e| names_in(e, out));
            kwargs.iter().for_each(|(_, e)| names_in(e, out));
        }
        Expr::List(items) | Expr::Tuple(items) | Expr::Set(items) => {
            items.iter().for_each(|e| names_in(e, out))
        }
        Expr::Dict(pairs) => pairs.iter().for_each(|(k, v)| {
            names_in(k, out);
            names_in(v, out);
        }),
        Expr::BitOr(a, b) | Expr::BinOp(a, _, b) => {
            names_in(a, out);
            names_in(b, out);
        }
        Expr::Neg(e) => names_in(e, out),
        Expr::Str(_)
        | Expr::Int(_)
        | Expr::Float(_)
        | Expr::Bool(_)
        | Expr::None
        | Expr::Ellipsis
        | Expr::Other(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::python::reader::parse;

    fn found(src: &str) -> Vec<String> {
        let file = parse(src).unwrap();
        let mut out = Vec::new();
        for class in &file.classes {
            class_body("m.py", class, false, &mut out);
        }
        rebound_imports("m.py", &file, &mut out);
        out.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn a_field_named_like_a_later_type_is_found() {
        let src = "from pydantic import BaseModel, Field\n\nclass A(BaseModel):\n    str: str = Field(\"x\")\n    host: str\n";
        let got = found(src);
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(got[0].starts_with("m.py:5: field `host`: `str` here is `A.str` (line 4)"));
    }

    #[test]
    fn a_field_named_like_its_own_type_is_fine() {
        // `str: str` reads `str` before binding it: Python accepts it.
        assert!(found("class A:\n    str: str\n    n: int = 1\n").is_empty());
    }

    #[test]
    fn an_annotation_without_a_value_binds_nothing() {
        assert!(found("class A:\n    str: str\n    host: str\n").is_empty());
    }

    #[test]
    fn a_class_that_rebinds_an_import_used_later_is_found() {
        let src = "from pydantic import BaseModel, Field\n\nclass Field(BaseModel):\n    x: int\n\nclass B(BaseModel):\n    y: int = Field(1)\n";
        let got = found(src);
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(got[0].contains("m.py:3: `Field` rebinds the name imported at line 1"));
        assert!(got[0].contains("line 7 uses it"));
    }

    #[test]
    fn a_file_name_python_normalises_is_found() {
        let mut out = Vec::new();
        file_name("acme_modules/\u{fb01}le.py", &mut out);
        file_name("acme_modules/file.py", &mut out);
        assert_eq!(out.len(), 1);
        assert!(out[0].message.contains("imports this file as `file`"));
    }

    #[test]
    fn a_rebinding_nobody_uses_afterwards_is_not_reported() {
        assert!(found("from x import Field\n\nclass Field:\n    a: int\n").is_empty());
    }
}
