//! The core knows nothing of terminals or command lines: no file under `src/core` names a front
//! end (`cli`, `tui`, `plain`) or a terminal / argument crate. Front ends depend on the core, never
//! the other way round. The same holds for `src/wizard`, the wizard's UI-free layer; and the two
//! wizards (`tui`, `plain`) share that layer instead of importing each other.

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

/// Lines of `.rs` files under `src/DIR` whose code (comments aside) names one of `words`.
fn offences(dir: &str, words: &[&str]) -> Vec<String> {
    offences_in(&root().join("src").join(dir), dir, words)
}

fn offences_in(base: &std::path::Path, dir: &str, words: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    for rel in common::files_under(base) {
        if !rel.ends_with(".rs") {
            continue;
        }
        let text = std::fs::read_to_string(base.join(&rel)).unwrap();
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            for word in words {
                if code.contains(word) {
                    found.push(format!("src/{dir}/{rel}:{}: {}", n + 1, line.trim()));
                }
            }
        }
    }
    found
}

#[test]
fn the_core_imports_no_front_end() {
    let found = offences("core", FORBIDDEN);
    assert!(
        found.is_empty(),
        "the core must not depend on a front end:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_wizard_layer_imports_no_front_end() {
    assert!(root().join("src/wizard/mod.rs").is_file());
    let found = offences("wizard", FORBIDDEN);
    assert!(
        found.is_empty(),
        "src/wizard is the UI-free layer both wizards share; it must not depend on a front end \
         or a terminal crate:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_two_wizards_do_not_import_each_other() {
    let mut found = offences("plain", &["crate::tui", "ratatui", "crossterm"]);
    // The full-screen wizard runs the lock step itself (no CLI prompt behind a closed screen).
    found.extend(offences(
        "tui",
        &["crate::plain", "crate::cli", "dialoguer"],
    ));
    assert!(
        found.is_empty(),
        "tui and plain share src/wizard; neither imports the other:\n{}",
        found.join("\n")
    );
}

/// The check itself: a file that names a front end is found (so the tests above can fail).
#[test]
fn an_import_of_a_front_end_is_found() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("sub")).unwrap();
    std::fs::write(
        dir.path().join("sub/boundary_probe.rs"),
        "// crate::tui in a comment is fine\nuse crate::tui::app::App;\n",
    )
    .unwrap();
    let found = offences_in(dir.path(), "wizard", FORBIDDEN);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found.iter().any(|o| o.contains("boundary_probe")),
        "{found:?}"
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
    // .cargo/config.toml's `build.target = "host-tuple"` is understood from cargo 1.91 on.
    let config = std::fs::read_to_string(root().join(".cargo/config.toml")).unwrap_or_default();
    if config.contains("\"host-tuple\"") && ours < vec![1, 91] {
        needed = (vec![1, 91], ".cargo/config.toml (host-tuple)".into());
    }
    assert!(
        ours >= needed.0,
        "rust-version {ours:?} is below {:?}, which {} needs",
        needed.0,
        needed.1
    );
}

/// On Linux with glibc, .cargo/config.toml makes the binary static and not position-independent
/// (issue 13: it starts without the dynamic loader). The ELF header says so: type EXEC (not DYN,
/// which a PIE is) and no PT_INTERP program header (no dynamic loader named).
#[cfg(all(target_os = "linux", target_env = "gnu", target_pointer_width = "64"))]
#[test]
fn the_binary_is_static_and_not_position_independent() {
    let elf = std::fs::read(env!("CARGO_BIN_EXE_sekoia-wizard")).unwrap();
    let u16_at = |o: usize| u16::from_le_bytes([elf[o], elf[o + 1]]) as usize;
    let u32_at = |o: usize| u32::from_le_bytes(elf[o..o + 4].try_into().unwrap());
    let u64_at = |o: usize| u64::from_le_bytes(elf[o..o + 8].try_into().unwrap()) as usize;
    assert_eq!(&elf[..4], b"\x7fELF");
    const ET_EXEC: usize = 2;
    const PT_INTERP: u32 = 3;
    let hint = "built with RUSTFLAGS set (which replaces .cargo/config.toml's flags)?";
    assert_eq!(u16_at(16), ET_EXEC, "a position-independent binary: {hint}");
    let (phoff, phentsize, phnum) = (u64_at(32), u16_at(54), u16_at(56));
    let interp = (0..phnum).any(|i| u32_at(phoff + i * phentsize) == PT_INTERP);
    assert!(!interp, "a dynamically linked binary: {hint}");
}

/// git uses the forge (to create the repository it pushes to); the forge never uses git, so the
/// two do not depend on each other (the token they share is `core::token`).
#[test]
fn the_forge_does_not_import_git() {
    let found = offences("core/forge", &["crate::core::git", "super::git"]);
    assert!(found.is_empty(), "{}", found.join("\n"));
}
