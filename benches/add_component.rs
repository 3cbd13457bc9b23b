//! `cargo bench --bench add_component`: the time of one `sekoia-wizard add action` in a module that
//! already has 200 components (built once with an answers file).

use std::fmt::Write as _;
use std::process::Command;
use std::time::{Duration, Instant};

const RUNS: u32 = 10;

fn run(cmd: &mut Command) {
    let out = cmd.output().expect("sekoia-wizard starts");
    assert!(
        out.status.success(),
        "{cmd:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn main() {
    let wizard = env!("CARGO_BIN_EXE_sekoia-wizard");
    let dir = tempfile::tempdir().unwrap();
    run(Command::new(wizard)
        .arg("new")
        .arg(dir.path())
        .args(["--name", "Bench", "--no-lock"]));
    let module = dir.path().join("Bench");
    let mut answers = String::new();
    for i in 0..200 {
        let kind = ["action", "trigger", "connector"][i % 3];
        let results = if kind == "connector" {
            ""
        } else {
            "results = [{ name = \"value\", type = \"str\", required = true }]\n"
        };
        write!(
            answers,
            "[[components]]\nkind = \"{kind}\"\nname = \"Component{i}\"\narguments = [{{ name = \"url\", type = \"url\", required = true }}, {{ name = \"count\", type = \"int\", default = 5 }}]\n{results}\n"
        )
        .unwrap();
    }
    let file = dir.path().join("answers.toml");
    std::fs::write(&file, answers).unwrap();
    let start = Instant::now();
    run(Command::new(wizard)
        .arg("add")
        .arg("--module")
        .arg(&module)
        .arg("--answers")
        .arg(&file));
    println!(
        "add 200 components at once:             {:>8.1} ms",
        start.elapsed().as_secs_f64() * 1e3
    );

    let mut total = Duration::ZERO;
    for i in 0..RUNS {
        let start = Instant::now();
        run(Command::new(wizard)
            .arg("add")
            .arg("action")
            .arg("--module")
            .arg(&module)
            .args([
                "--name",
                &format!("Extra{i}"),
                "--arg",
                "url:url,required",
                "--result",
                "status:int,required",
            ]));
        total += start.elapsed();
    }
    println!(
        "add 1 action to a 200-component module: {:>8.1} ms (mean of {RUNS})",
        (total / RUNS).as_secs_f64() * 1e3
    );
}
