//! `cargo bench --bench new_module`: times `sekoia-wizard new` against the SDK's
//! `sekoia-automation new-module --skip-hooks` (when `.venv` has the SDK) and prints the ratio.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const RUNS: u32 = 20;

fn time_runs(mut make: impl FnMut(&Path) -> Command) -> Duration {
    let mut total = Duration::ZERO;
    for _ in 0..RUNS {
        let dir = tempfile::tempdir().unwrap();
        let mut cmd = make(dir.path());
        let start = Instant::now();
        let out = cmd.output().expect("command starts");
        total += start.elapsed();
        assert!(
            out.status.success(),
            "{cmd:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    total / RUNS
}

fn main() {
    let wizard = env!("CARGO_BIN_EXE_sekoia-wizard");
    let ours = time_runs(|dir| {
        let mut c = Command::new(wizard);
        c.arg("new").arg(dir).args([
            "--name",
            "TestHTTP",
            "--description",
            "bench",
            "--packaging",
            "uv",
            "--no-lock",
        ]);
        c
    });
    println!(
        "sekoia-wizard new:                    {:>8.2} ms (mean of {RUNS})",
        ours.as_secs_f64() * 1e3
    );
    let sdk = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(".venv/bin/sekoia-automation");
    if !sdk.is_file() {
        println!(
            "sekoia-automation not found at {} (run scripts/setup-python.sh): no comparison",
            sdk.display()
        );
        return;
    }
    let theirs = time_runs(|dir| {
        let mut c = Command::new(&sdk);
        c.arg("new-module").arg(dir).args([
            "--module-name",
            "TestHTTP",
            "--description",
            "bench",
            "--skip-hooks",
        ]);
        c
    });
    println!(
        "sekoia-automation new-module:         {:>8.2} ms (mean of {RUNS})",
        theirs.as_secs_f64() * 1e3
    );
    println!(
        "ratio (SDK / sekoia-wizard):          {:>8.1}x",
        theirs.as_secs_f64() / ours.as_secs_f64()
    );
}
