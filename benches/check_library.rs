//! `check --library` on a generated library of 170 modules shaped like the automation-library
//! (103 code modules with actions and trigger/connector twins, 67 intake modules).
//! Prints the time; with `SEKOIA_COMPLIANCE_PYTHON` (a python with the checker's dependencies) and
//! `SEKOIA_COMPLIANCE_DIR` (the checker's `_utils/compliance` folder) it also times the real
//! Python checker on the same library and prints the ratio.
//!
//! Run: `cargo bench --bench check_library`

#[path = "../tests/check_support/mod.rs"]
mod check_support;

use std::process::Command;
use std::time::{Duration, Instant};

use check_support::*;

const CODE_MODULES: usize = 103;
const INTAKE_MODULES: usize = 67;

fn build() -> Lib {
    let lib = Lib::new();
    for i in 0..CODE_MODULES {
        let name = format!("Code{i:03}");
        lib.code_module(&name);
        // about three actions per code module, like the real library (310 actions / 103)
        let mut main = std::fs::read_to_string(lib.module(&format!("{name}/main.py"))).unwrap();
        for a in 0..2 {
            let docker = format!("extra_{a}");
            lib.json(
                &format!("{name}/action_extra_{a}.json"),
                &action(&name, &format!("Extra {a}"), &docker),
            );
            main = main.replace(
                "    module.run()",
                &format!("    module.register(SearchAction, \"{docker}\")\n    module.run()"),
            );
        }
        lib.write(&format!("{name}/main.py"), main);
    }
    for i in 0..INTAKE_MODULES {
        lib.format_module(&format!("Intake{i:03}"));
    }
    lib
}

fn time_wizard(lib: &Lib, runs: usize) -> Duration {
    let mut best = Duration::MAX;
    for _ in 0..runs {
        let start = Instant::now();
        let out = Command::new(env!("CARGO_BIN_EXE_sekoia-wizard"))
            .args(["check", "--library", lib.root().to_str().unwrap()])
            .output()
            .unwrap();
        best = best.min(start.elapsed());
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            stdout.starts_with("🔎 170 module(s) found\n") && out.status.success(),
            "{stdout}"
        );
    }
    best
}

fn time_python(lib: &Lib) -> Option<Duration> {
    let python = std::env::var_os("SEKOIA_COMPLIANCE_PYTHON")?;
    let source = std::path::PathBuf::from(std::env::var_os("SEKOIA_COMPLIANCE_DIR")?);
    let target = lib.root().join("_utils/compliance");
    std::fs::create_dir_all(&target).unwrap();
    for entry in std::fs::read_dir(&source).unwrap().flatten() {
        let to = target.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            if entry.file_name() == "__pycache__" {
                continue;
            }
            std::fs::create_dir_all(&to).unwrap();
            for f in std::fs::read_dir(entry.path()).unwrap().flatten() {
                if f.file_type().unwrap().is_file() {
                    std::fs::copy(f.path(), to.join(f.file_name())).unwrap();
                }
            }
        } else {
            std::fs::copy(entry.path(), to).unwrap();
        }
    }
    let mut best = Duration::MAX;
    for _ in 0..3 {
        let start = Instant::now();
        let out = Command::new(&python)
            .arg(&target)
            .arg("check")
            .output()
            .unwrap();
        best = best.min(start.elapsed());
        assert!(
            out.status.success(),
            "python checker: {}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
    std::fs::remove_dir_all(lib.root().join("_utils")).unwrap();
    Some(best)
}

/// Every `.py` and `.json` file under `dir`: what the check reads, as `cat` would read it.
fn sources(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if entry.file_type().unwrap().is_dir() {
            sources(&path, out);
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("py" | "json")
        ) {
            out.push(path);
        }
    }
}

/// Issue 13's goal: `check --library` within 4× the time `cat` takes to read the same files.
fn time_cat(root: &std::path::Path) -> Duration {
    let mut files = Vec::new();
    sources(root, &mut files);
    let mut best = Duration::MAX;
    for _ in 0..5 {
        let start = Instant::now();
        let out = Command::new("cat").args(&files).output().unwrap();
        best = best.min(start.elapsed());
        assert!(out.status.success());
    }
    best
}

fn main() {
    let lib = build();
    let ours = time_wizard(&lib, 5);
    println!(
        "sekoia-wizard check --library (170 modules): {:.1} ms (best of 5)",
        ours.as_secs_f64() * 1000.0
    );
    let cat = time_cat(lib.root());
    let ratio = ours.as_secs_f64() / cat.as_secs_f64();
    println!(
        "cat of the same .py and .json files: {:.1} ms -> check is {ratio:.1}x cat (goal ≤ 4x): {}",
        cat.as_secs_f64() * 1000.0,
        if ratio <= 4.0 { "ok" } else { "MISSED" }
    );
    match time_python(&lib) {
        Some(theirs) => println!(
            "python compliance check (170 modules): {:.1} ms (best of 3) -> sekoia-wizard is {:.1}x faster",
            theirs.as_secs_f64() * 1000.0,
            theirs.as_secs_f64() / ours.as_secs_f64()
        ),
        None => println!("(set SEKOIA_COMPLIANCE_PYTHON and SEKOIA_COMPLIANCE_DIR to compare with the Python checker)"),
    }
}
