//! The wizard's "from an OpenAPI spec" state: the spec's path or URL, the loaded operations, which
//! are chosen, the filter and the preview of the highlighted one. The core loads, previews and
//! plans (`core::openapi`); this only keeps what the person picked.

use crate::core::failure::Failure;
use crate::core::model::OpenApiAnswers;
use crate::core::openapi::{self, Operation, Options, Selection, Spec};

/// The screen's items, in Tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Focus {
    #[default]
    Source,
    Filter,
    List,
}

/// A line of the operations list: a tag's heading or an operation (its index in `operations`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Row {
    Tag {
        name: String,
        chosen: usize,
        shown: usize,
    },
    Op(usize),
}

/// An action manifest as it will be written: its file name and text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preview {
    pub file: String,
    pub json: String,
}

#[derive(Debug, Clone, Default)]
pub struct OpenApiState {
    /// As typed: a file path or an http(s) URL.
    pub source: String,
    pub spec: Option<Spec>,
    pub operations: Vec<Operation>,
    /// One per operation.
    pub chosen: Vec<bool>,
    pub filter: String,
    pub focus: Focus,
    /// The highlighted operation, as an index into `operations`.
    pub highlighted: Option<usize>,
    /// Why the spec could not be loaded.
    pub error: Option<Failure>,
    /// The highlighted operation's action manifest (by operation index).
    pub preview: Option<(usize, Result<Preview, Failure>)>,
    pub preview_scroll: u16,
    /// The module's uuid, so the preview's uuids are the ones written.
    pub module_uuid: Option<uuid::Uuid>,
    /// A spec being fetched from a URL on a worker (the screen stays live): the source, and
    /// where the worker leaves its result.
    pub loading: Option<(String, LoadSlot)>,
    /// The `[openapi]` of the answers the wizard started from: its operations are chosen when
    /// its spec loads, and its settings the screen has no field for (auth, base URL, tags in
    /// names) are kept for the plan and the saved answers.
    pub saved: Option<OpenApiAnswers>,
}

/// Where a fetch's worker leaves the loaded spec (or why it failed).
pub type LoadSlot = std::sync::Arc<std::sync::Mutex<Option<Result<Spec, Failure>>>>;

/// The tag an operation is listed under: its first one.
pub fn group_of(op: &Operation) -> &str {
    op.tags.first().map(String::as_str).unwrap_or("(no tag)")
}

impl OpenApiState {
    /// Replaces what was loaded with `spec`; nothing is chosen yet, unless it is the spec of the
    /// answers the wizard started from: then their operations are.
    pub fn loaded(&mut self, spec: Spec) {
        self.operations = spec.operations();
        self.chosen = vec![false; self.operations.len()];
        if let Some(picked) = self
            .saved_options(&spec)
            .and_then(|o| o.selection.pick(self.operations.clone()).ok())
        {
            for (chosen, op) in self.chosen.iter_mut().zip(&self.operations) {
                *chosen = picked.iter().any(|p| p.label() == op.label());
            }
        }
        self.spec = Some(spec);
        self.filter.clear();
        self.error = None;
        self.preview = None;
        self.preview_scroll = 0;
        self.highlighted = self.visible().first().copied();
        self.focus = Focus::List;
    }

    pub fn is_loaded(&self) -> bool {
        self.spec.is_some()
    }

    fn matches(&self, op: &Operation) -> bool {
        let filter = self.filter.trim().to_lowercase();
        if filter.is_empty() {
            return true;
        }
        let mut hay = vec![op.label(), op.docker_parameters.clone()];
        hay.extend(op.summary.clone());
        hay.extend(op.tags.iter().cloned());
        filter
            .split_whitespace()
            .all(|word| hay.iter().any(|h| h.to_lowercase().contains(word)))
    }

    /// The list as shown: tags in the order they first appear, each with its operations in the
    /// spec's order, only those the filter matches.
    pub fn rows(&self) -> Vec<Row> {
        let mut groups: Vec<(&str, Vec<usize>)> = Vec::new();
        for (i, op) in self.operations.iter().enumerate() {
            if !self.matches(op) {
                continue;
            }
            let tag = group_of(op);
            match groups.iter_mut().find(|(t, _)| *t == tag) {
                Some((_, ops)) => ops.push(i),
                None => groups.push((tag, vec![i])),
            }
        }
        let mut rows = Vec::new();
        for (tag, ops) in groups {
            rows.push(Row::Tag {
                name: tag.to_string(),
                chosen: ops.iter().filter(|i| self.chosen[**i]).count(),
                shown: ops.len(),
            });
            rows.extend(ops.into_iter().map(Row::Op));
        }
        rows
    }

    /// The operations shown, in list order.
    pub fn visible(&self) -> Vec<usize> {
        self.rows()
            .into_iter()
            .filter_map(|r| match r {
                Row::Op(i) => Some(i),
                Row::Tag { .. } => None,
            })
            .collect()
    }

    /// Keeps the highlight on a shown operation after the filter changed.
    pub fn refilter(&mut self) {
        let visible = self.visible();
        if !self.highlighted.is_some_and(|h| visible.contains(&h)) {
            self.highlighted = visible.first().copied();
        }
    }

    /// Moves the highlight by `step` among the shown operations.
    pub fn move_by(&mut self, step: isize) {
        let visible = self.visible();
        if visible.is_empty() {
            self.highlighted = None;
            return;
        }
        let at = self
            .highlighted
            .and_then(|h| visible.iter().position(|v| *v == h))
            .unwrap_or(0) as isize;
        let to = (at + step).clamp(0, visible.len() as isize - 1) as usize;
        self.highlighted = Some(visible[to]);
    }

    pub fn toggle(&mut self) {
        if let Some(h) = self.highlighted {
            self.chosen[h] = !self.chosen[h];
        }
    }

    /// `a`: every shown operation chosen, or none when they all were.
    pub fn all_or_none(&mut self) {
        let visible = self.visible();
        let all = visible.iter().all(|i| self.chosen[*i]);
        for i in visible {
            self.chosen[i] = !all;
        }
    }

    pub fn chosen_count(&self) -> usize {
        self.chosen.iter().filter(|c| **c).count()
    }

    /// The chosen operations, in the spec's order.
    pub fn chosen_operations(&self) -> Vec<&Operation> {
        self.operations
            .iter()
            .zip(&self.chosen)
            .filter(|(_, c)| **c)
            .map(|(op, _)| op)
            .collect()
    }

    /// How `add openapi` names an operation on the command line: its operationId, else
    /// `METHOD /path`.
    pub fn flag_name(op: &Operation) -> String {
        op.operation_id.clone().unwrap_or_else(|| op.label())
    }

    /// The core's options for the chosen operations (`add openapi --operation …`).
    pub fn options(&self) -> Options {
        let kept = self
            .spec
            .as_ref()
            .and_then(|spec| self.saved_options(spec))
            .unwrap_or_default();
        Options {
            selection: Selection {
                // As `--operation` names them: the operationId, else `METHOD /path`.
                operations: self
                    .chosen_operations()
                    .into_iter()
                    .map(Self::flag_name)
                    .collect(),
                tags: Vec::new(),
            },
            ..kept
        }
    }

    /// The saved answers' options, if `spec` is their spec.
    fn saved_options(&self, spec: &Spec) -> Option<Options> {
        let saved = self.saved.as_ref()?;
        (saved.spec == spec.source)
            .then(|| saved.options().ok())
            .flatten()
    }

    /// What the answers file keeps of this screen: the spec and the chosen operations (with the
    /// started-from answers' other settings), when something is chosen. While no spec is loaded
    /// (the started-from answers' spec could not be read, or is still loading), their `[openapi]`
    /// as it was: saving again must not lose it.
    pub fn answers(&self) -> Option<OpenApiAnswers> {
        if self.spec.is_none() {
            return self.saved.clone();
        }
        self.plan_input()
            .map(|(spec, options)| OpenApiAnswers::of(&spec.source, &options))
    }

    /// The spec and options to plan with, when something is chosen.
    pub fn plan_input(&self) -> Option<(&Spec, Options)> {
        let spec = self.spec.as_ref()?;
        (self.chosen_count() > 0).then(|| (spec, self.options()))
    }

    /// The command that writes the same actions into an existing module.
    pub fn equivalent_command(&self) -> Option<String> {
        let spec = self.spec.as_ref()?;
        let mut cmd = format!("sekoia-wizard add openapi {}", shell_word(&spec.source));
        for op in self.chosen_operations() {
            cmd.push_str(&format!(
                " --operation {}",
                shell_word(&Self::flag_name(op))
            ));
        }
        Some(cmd)
    }

    /// Computes the preview of the highlighted operation unless it is already there.
    pub fn refresh_preview(&mut self) {
        let (Some(spec), Some(h)) = (&self.spec, self.highlighted) else {
            self.preview = None;
            return;
        };
        if self.preview.as_ref().is_some_and(|(i, _)| *i == h) {
            return;
        }
        let options = Options {
            selection: Selection {
                operations: vec![self.operations[h].label()],
                tags: Vec::new(),
            },
            ..Options::default()
        };
        let result = openapi::preview(spec, &options, self.module_uuid).and_then(|p| {
            p.into_iter()
                .next()
                .map(|a| Preview {
                    file: a.file,
                    json: a.json,
                })
                .ok_or_else(|| Failure::new("no preview for this operation"))
        });
        self.preview = Some((h, result));
        self.preview_scroll = 0;
    }
}

fn shell_word(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=@+,".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}
