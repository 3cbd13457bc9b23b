//! `sekoia-wizard test [DIR]`: runs the automation-library's CI steps on a module (core::ci) with
//! one line per step as it runs, then a summary table.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::Args;

use crate::core::ci::{self, Event, Outcome, Report, Step};
use crate::core::failure::Failure;

#[derive(Debug, Args)]
#[command(after_help = "Steps, in order (as the library's CI for a module):\n  \
environment  poetry install (uv sync for a uv module) into the module's .venv, plus black and mypy;\n               \
skipped with --python, or without poetry/uv (then SEKOIA_WIZARD_PYTHON is used if set)\n  \
black        black --check .\n  \
mypy         mypy --install-types --non-interactive --ignore-missing-imports --show-column-numbers\n               \
--hide-error-context .\n  \
pytest       pytest --cov . --cov-config pyproject.toml\n  \
check        the compliance check, with JSON formatting (the library's linter) as an error\n  \
sync         sync --check: manifests and main.py up to date with the code\n\n\
Exit status: 0 when every step that ran passed (skipped steps are listed), 1 when one failed,\n\
2 usage error.\n\n\
Examples:\n  sekoia-wizard test\n  sekoia-wizard test TestHTTP --step black --step mypy\n  \
sekoia-wizard test --fix --python .venv/bin/python")]
pub struct TestArgs {
    /// The module directory, or any folder inside it (default: the current directory)
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Run only this step (repeatable); steps always run in the order above
    #[arg(long = "step", value_name = "NAME", value_parser = step_parser())]
    pub steps: Vec<Step>,
    /// First format the JSON files (as `check --fix`), and let black reformat instead of check
    #[arg(long)]
    pub fix: bool,
    /// Run black, mypy and pytest with this Python (which has the module's dependencies, black
    /// and mypy) instead of making the module's environment
    #[arg(long, value_name = "PATH")]
    pub python: Option<PathBuf>,
    /// Print the whole output of failed steps
    #[arg(long, short)]
    pub verbose: bool,
}

pub fn run(args: TestArgs) -> anyhow::Result<ExitCode> {
    let Some(dir) = crate::core::sync::on_disk::find_module_root(&args.dir) else {
        let err = Failure::with_hint(
            format!("{} is not inside a module", args.dir.display()),
            "give a module directory (the one holding manifest.json) or a folder inside it",
        );
        super::report(&err.into());
        return Ok(ExitCode::from(2));
    };
    if let Some(py) = args.python.as_ref().filter(|p| !p.is_file()) {
        let err = Failure::with_hint(
            format!("--python {} is not a file", py.display()),
            "give a Python interpreter, e.g. .venv/bin/python",
        );
        super::report(&err.into());
        return Ok(ExitCode::from(2));
    }
    let options = ci::Options {
        dir: dir.clone(),
        steps: args.steps.clone(),
        fix: args.fix,
        python: args.python.clone(),
        fallback_python: std::env::var_os("SEKOIA_WIZARD_PYTHON")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from),
    };
    println!("Testing {}", dir.display());
    let mut display = Display {
        live: std::io::stdout().is_terminal(),
    };
    let report = ci::run(&options, &mut |event| display.show(event));
    print_summary(&report, args.verbose);
    Ok(if report.passed() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// One line per step: its name while it runs, completed with the result when it ends. On a
/// terminal the line is rewritten with a mark; elsewhere the text is only appended.
struct Display {
    live: bool,
}

impl Display {
    fn show(&mut self, event: Event) {
        let mut out = std::io::stdout();
        match event {
            Event::Fixed(line) => println!("fix: {line}"),
            Event::Started { step, index, total } => {
                let _ = write!(out, "[{index}/{total}] {:<12}", step.name());
                if self.live {
                    let _ = write!(out, "running…");
                }
                let _ = out.flush();
            }
            Event::Finished {
                result,
                index,
                total,
            } => {
                if self.live {
                    let _ = write!(out, "\r\x1b[2K[{index}/{total}] {:<12}", result.step.name());
                }
                let mark = match result.outcome {
                    Outcome::Passed => "✓",
                    Outcome::Failed => "✗",
                    Outcome::Skipped => "-",
                };
                let _ = writeln!(
                    out,
                    "{mark} {} {}",
                    result.outcome.name(),
                    time(result.duration, result.outcome)
                );
            }
        }
    }
}

fn time(d: Duration, outcome: Outcome) -> String {
    if outcome == Outcome::Skipped {
        return "-".into();
    }
    format!("{:.1}s", d.as_secs_f64())
}

fn print_summary(report: &Report, verbose: bool) {
    if verbose {
        for r in report
            .results
            .iter()
            .filter(|r| r.outcome == Outcome::Failed)
        {
            println!("\n── {} output ──", r.step.name());
            print!("{}", r.output);
            if !r.output.ends_with('\n') {
                println!();
            }
        }
    }
    println!();
    println!("{:<12} {:<8} {:>7}  details", "step", "result", "time");
    for r in &report.results {
        let head = format!(
            "{:<12} {:<8} {:>7}",
            r.step.name(),
            r.outcome.name(),
            time(r.duration, r.outcome)
        );
        let mut details = r.details.iter();
        match details.next() {
            Some(first) => println!("{head}  {first}"),
            None => println!("{head}"),
        }
        for line in details {
            println!("{:30}  {line}", "");
        }
    }
    println!();
    let ran = report.results.len() - report.count(Outcome::Skipped);
    let failed = report.count(Outcome::Failed);
    let skipped = report.count(Outcome::Skipped);
    let skipped_note = if skipped > 0 {
        format!(", {skipped} skipped")
    } else {
        String::new()
    };
    if failed > 0 {
        println!("✗ {failed} of {ran} step(s) failed{skipped_note}");
        if !verbose {
            println!("(run with --verbose for the whole output of the failed steps)");
        }
    } else {
        println!("✓ {ran} step(s) passed{skipped_note}");
    }
}

/// `--step`: the core's step names, parsed by the core (which knows nothing of clap).
fn step_parser() -> impl clap::builder::TypedValueParser<Value = Step> {
    use clap::builder::TypedValueParser;
    clap::builder::PossibleValuesParser::new(Step::ALL.map(Step::name))
        .try_map(|s| s.parse::<Step>())
}
