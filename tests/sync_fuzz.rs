//! Fuzzing the reader and the whole sync with proptest: malformed or odd Python must give an error
//! or warnings, never a panic. Inputs are the seed module's real files, cut, spliced and sprinkled
//! with Python tokens, plus free-form text.

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use sekoia_wizard::core::python;
use sekoia_wizard::core::sync::{self, SourceTree, SyncOptions};

fn seed_input() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/seed-testhttp/v2/input")
}

const FILES: &[&str] = &[
    "testhttp_modules/action_request.py",
    "testhttp_modules/connector.py",
    "testhttp_modules/models.py",
    "testhttp_modules/trigger_new_entries.py",
    "testhttp_modules/__init__.py",
    "main.py",
];

const TOKENS: &[&str] = &[
    "class ",
    "(",
    ")",
    "[",
    "]",
    ":",
    " = ",
    "Field(",
    "...",
    "|",
    "None",
    "\n",
    "\n    ",
    "\"",
    "'",
    "\"\"\"",
    "Optional[",
    "Annotated[",
    "Literal[",
    "list[",
    "dict[str, ",
    "BaseModel",
    "Enum",
    "from . import ",
    "import ",
    "def run(self, arguments: ",
    "results_model = ",
    "configuration: ",
    "\\",
    "#",
    "lambda: 0",
    "json_schema_extra={",
    "}",
    ",",
    "-",
    "1e309",
    "0x",
    "f\"{x}\"",
    "b'x'",
    "\\N{DASH}",
    "\t",
    "é",
    "\u{0}",
];

/// `SYNC_FUZZ_CASES=20000 cargo test --test suite sync_fuzz::` fuzzes longer than the default run.
fn cases(default: u32) -> u32 {
    std::env::var("SYNC_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// One edit applied to a source file.
#[derive(Debug, Clone)]
enum Edit {
    Insert(usize, usize),
    Delete(usize, usize),
    Duplicate(usize, usize),
}

fn edits() -> impl Strategy<Value = Vec<Edit>> {
    let edit = prop_oneof![
        (any::<usize>(), 0..TOKENS.len()).prop_map(|(at, t)| Edit::Insert(at, t)),
        (any::<usize>(), 0usize..40).prop_map(|(at, n)| Edit::Delete(at, n)),
        (any::<usize>(), 0usize..80).prop_map(|(at, n)| Edit::Duplicate(at, n)),
    ];
    prop::collection::vec(edit, 1..8)
}

fn apply(source: &str, edits: &[Edit]) -> String {
    let mut chars: Vec<char> = source.chars().collect();
    for e in edits {
        let len = chars.len().max(1);
        match *e {
            Edit::Insert(at, t) => {
                let at = at % (chars.len() + 1);
                for (i, c) in TOKENS[t].chars().enumerate() {
                    chars.insert(at + i, c);
                }
            }
            Edit::Delete(at, n) => {
                let at = at % len;
                let end = (at + n).min(chars.len());
                if at < end {
                    chars.drain(at..end);
                }
            }
            Edit::Duplicate(at, n) => {
                let at = at % len;
                let end = (at + n).min(chars.len());
                let piece: Vec<char> = chars.get(at..end).map(|s| s.to_vec()).unwrap_or_default();
                for (i, c) in piece.into_iter().enumerate() {
                    chars.insert(end + i, c);
                }
            }
        }
    }
    chars.into_iter().collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(256), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn reader_never_panics_on_free_text(text in "\\PC{0,400}") {
        let _ = python::parse(&text);
        let _ = python::parse_expression(&text);
        let _ = python::strings::decode_string(&text);
    }

    #[test]
    fn reader_never_panics_on_mutated_sources(file in 0..FILES.len(), edits in edits()) {
        let source = std::fs::read_to_string(seed_input().join(FILES[file])).unwrap();
        let mutated = apply(&source, &edits);
        if let Err(e) = python::parse(&mutated) {
            prop_assert!(e.line >= 1 && e.line <= mutated.lines().count().max(1) + 1);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(64), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn sync_never_panics_on_mutated_modules(file in 0..FILES.len(), edits in edits(), strict in any::<bool>()) {
        let source = std::fs::read_to_string(seed_input().join(FILES[file])).unwrap();
        let mut tree = SourceTree::from_disk(seed_input());
        tree.overlay(FILES[file], apply(&source, &edits));
        // An error (syntax, no Module class, strict warnings) is fine; a panic is not.
        if let Ok(report) = sync::plan(&tree, &SyncOptions { strict, ..SyncOptions::default() }) {
            prop_assert!(report.plan.get("main.py").is_some());
        }
        let _ = sync::read_module(&tree);
    }
}
