//! The core knows nothing of terminals or command lines: no file under `src/core` names a front
//! end (`cli`, `tui`, `plain`) or a terminal / argument crate. Front ends depend on the core, never
//! the other way round.

use crate::common;

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

/// `rust-version` in Cargo.toml is at least what every locked dependency declares, so the MSRV the
/// README promises is one the lock file can build with.
#[test]
fn the_declared_msrv_covers_every_dependency() {
    let out = std::process::Command::new(env!("CARGO"))
        .current_dir(root())
        .args(["metadata", "--format-version", "1", "--locked", "--offline"])
        .output()
        .expect("cargo runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let parse = |v: &str| -> Vec<u64> { v.split('.').map(|p| p.parse().unwrap_or(0)).collect() };
    let mut ours = None;
    let mut needed: (Vec<u64>, String) = (vec![0], String::new());
    for p in meta["packages"].as_array().unwrap() {
        let Some(v) = p["rust_version"].as_str() else {
            continue;
        };
        if p["name"] == "sekoia-wizard" {
            ours = Some(parse(v));
        } else if parse(v) > needed.0 {
            needed = (parse(v), p["name"].as_str().unwrap().to_string());
        }
    }
    let ours = ours.expect("Cargo.toml declares rust-version");
    assert!(
        ours >= needed.0,
        "rust-version {ours:?} is below {:?}, which {} needs",
        needed.0,
        needed.1
    );
}
