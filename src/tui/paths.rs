//! Where a field list lives in the answers: module configuration, a component's arguments or
//! results, or the sub-fields of an object field inside one of those.

use crate::core::model::{Answers, FieldSpec};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldsRoot {
    Configuration,
    Arguments(usize),
    Results(usize),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldsPath {
    pub root: FieldsRoot,
    /// Indexes of object fields, outermost first.
    pub nested: Vec<usize>,
}

impl FieldsPath {
    pub fn root(root: FieldsRoot) -> FieldsPath {
        FieldsPath {
            root,
            nested: Vec::new(),
        }
    }

    pub fn child(&self, index: usize) -> FieldsPath {
        let mut nested = self.nested.clone();
        nested.push(index);
        FieldsPath {
            root: self.root.clone(),
            nested,
        }
    }

    pub fn fields<'a>(&self, answers: &'a Answers) -> &'a [FieldSpec] {
        let mut list: &[FieldSpec] = match self.root {
            FieldsRoot::Configuration => &answers.configuration,
            FieldsRoot::Arguments(c) => answers
                .components
                .get(c)
                .map(|c| c.arguments.as_slice())
                .unwrap_or(&[]),
            FieldsRoot::Results(c) => answers
                .components
                .get(c)
                .map(|c| c.results.as_slice())
                .unwrap_or(&[]),
        };
        for &i in &self.nested {
            list = list.get(i).and_then(|f| f.ty.sub_fields()).unwrap_or(&[]);
        }
        list
    }

    pub fn fields_mut<'a>(&self, answers: &'a mut Answers) -> Option<&'a mut Vec<FieldSpec>> {
        let mut list = match self.root {
            FieldsRoot::Configuration => &mut answers.configuration,
            FieldsRoot::Arguments(c) => &mut answers.components.get_mut(c)?.arguments,
            FieldsRoot::Results(c) => &mut answers.components.get_mut(c)?.results,
        };
        for &i in &self.nested {
            list = list.get_mut(i)?.ty.sub_fields_mut()?;
        }
        Some(list)
    }

    /// Breadcrumbs: `Configuration`, `Request › arguments › auth`.
    pub fn title(&self, answers: &Answers) -> String {
        let mut parts = match self.root {
            FieldsRoot::Configuration => vec!["Configuration".to_string()],
            FieldsRoot::Arguments(c) | FieldsRoot::Results(c) => {
                let comp = answers.components.get(c);
                let name = comp
                    .map(|c| c.name.trim().to_string())
                    .filter(|n| !n.is_empty())
                    .unwrap_or("(unnamed)".into());
                let part = match (&self.root, comp) {
                    (FieldsRoot::Results(_), _) => "results",
                    (_, Some(c)) => c.kind.arguments_label(),
                    _ => "arguments",
                };
                vec![name, part.to_string()]
            }
        };
        let mut path = FieldsPath::root(self.root.clone());
        for &i in &self.nested {
            let name = path
                .fields(answers)
                .get(i)
                .map(|f| f.name.clone())
                .unwrap_or_default();
            parts.push(if name.is_empty() {
                "(unnamed)".into()
            } else {
                name
            });
            path = path.child(i);
        }
        parts.join(" › ")
    }
}
