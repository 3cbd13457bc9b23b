//! The core knows nothing of terminals or command lines: no file under `src/core` names a front
//! end (`cli`, `tui`, `plain`) or a terminal / argument crate. Front ends depend on the core, never
//! the other way round.

mod common;

use common::root;

const FORBIDDEN: &[&str] = &[
    "crate::cli",
    "crate::tui",
    "crate::plain",
    "ratatui",
    "crossterm",
    "dialoguer",
    "clap",
    "signal_hook",
];

#[test]
fn the_core_imports_no_front_end() {
    let core = root().join("src/core");
    let mut offences = Vec::new();
    for rel in common::files_under(&core) {
        if !rel.ends_with(".rs") {
            continue;
        }
        let text = std::fs::read_to_string(core.join(&rel)).unwrap();
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            for word in FORBIDDEN {
                if code.contains(word) {
                    offences.push(format!("src/core/{rel}:{}: {}", n + 1, line.trim()));
                }
            }
        }
    }
    assert!(
        offences.is_empty(),
        "the core must not depend on a front end:\n{}",
        offences.join("\n")
    );
}
