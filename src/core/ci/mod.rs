//! `sekoia-wizard test`: the automation-library's CI for one module, step by step, as its
//! `build-modules.yml` runs it — environment (`poetry install` / `uv sync` into the module's
//! `.venv`), black, mypy, pytest with coverage — then this tool's compliance check (with the JSON
//! linter's rule as an error) and `sync --check`, both in-process.
//!
//! UI-free: `run` reports each step through a callback as it starts and ends, and returns every
//! result with its timing and captured output, so the CLI and the TUI show the same thing.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

mod env;
mod inproc;
mod summary;
mod tools;

/// One CI step, in the order they run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Step {
    Environment,
    Black,
    Mypy,
    Pytest,
    Check,
    Sync,
}

impl std::str::FromStr for Step {
    type Err = crate::core::failure::Failure;

    fn from_str(s: &str) -> Result<Step, Self::Err> {
        Step::ALL
            .into_iter()
            .find(|step| step.name() == s)
            .ok_or_else(|| {
                let names: Vec<&str> = Step::ALL.iter().map(|s| s.name()).collect();
                crate::core::failure::Failure::with_hint(
                    format!("unknown step `{s}`"),
                    format!("use one of: {}", names.join(", ")),
                )
            })
    }
}

impl Step {
    pub const ALL: [Step; 6] = [
        Step::Environment,
        Step::Black,
        Step::Mypy,
        Step::Pytest,
        Step::Check,
        Step::Sync,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Step::Environment => "environment",
            Step::Black => "black",
            Step::Mypy => "mypy",
            Step::Pytest => "pytest",
            Step::Check => "check",
            Step::Sync => "sync",
        }
    }
}

impl std::fmt::Display for Step {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Passed,
    Failed,
    /// Not run (no tool to run it with, or a step it needs failed); see `details` for why.
    Skipped,
}

impl Outcome {
    pub fn name(self) -> &'static str {
        match self {
            Outcome::Passed => "passed",
            Outcome::Failed => "failed",
            Outcome::Skipped => "skipped",
        }
    }
}

#[derive(Debug, Clone)]
pub struct StepResult {
    pub step: Step,
    pub outcome: Outcome,
    pub duration: Duration,
    /// The command lines run, as a person would type them (in-process steps name the command
    /// of this tool that does the same).
    pub commands: Vec<String>,
    /// Everything the commands printed (stdout then stderr), or the in-process step's report.
    pub output: String,
    /// The first lines of a failure, why a step was skipped, or a note on a pass.
    pub details: Vec<String>,
}

impl StepResult {
    fn new(step: Step) -> Self {
        StepResult {
            step,
            outcome: Outcome::Passed,
            duration: Duration::ZERO,
            commands: Vec::new(),
            output: String::new(),
            details: Vec::new(),
        }
    }

    fn skipped(step: Step, why: impl Into<String>) -> Self {
        let mut result = StepResult::new(step);
        result.outcome = Outcome::Skipped;
        result.details.push(why.into());
        result
    }
}

/// What `run` is doing, for progress displays.
#[derive(Debug)]
pub enum Event<'a> {
    /// `--fix` changed a file before the steps ran.
    Fixed(&'a str),
    Started {
        step: Step,
        /// 1-based position among the steps that run, and their number.
        index: usize,
        total: usize,
    },
    Finished {
        result: &'a StepResult,
        index: usize,
        total: usize,
    },
}

#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The module directory (the one holding manifest.json).
    pub dir: PathBuf,
    /// The steps to run; empty means all of them. They always run in `Step::ALL` order.
    pub steps: Vec<Step>,
    /// Format the JSON files first (as `check --fix`), and have black reformat instead of check.
    pub fix: bool,
    /// Run black, mypy and pytest with this Python instead of making the module's environment.
    pub python: Option<PathBuf>,
    /// The Python to use when neither Poetry nor uv can make the environment
    /// (the CLI passes `SEKOIA_WIZARD_PYTHON`).
    pub fallback_python: Option<PathBuf>,
}

#[derive(Debug, Clone)]
pub struct Report {
    pub dir: PathBuf,
    /// What `--fix` changed, one line each.
    pub fixes: Vec<String>,
    pub results: Vec<StepResult>,
}

impl Report {
    /// True when no step that ran failed.
    pub fn passed(&self) -> bool {
        self.results.iter().all(|r| r.outcome != Outcome::Failed)
    }

    pub fn count(&self, outcome: Outcome) -> usize {
        self.results.iter().filter(|r| r.outcome == outcome).count()
    }
}

/// The Python the tool steps run with, and where it came from (for the summary).
#[derive(Debug, Clone)]
struct Python {
    path: PathBuf,
    from: String,
}

/// Runs the steps on the module in `options.dir`, reporting progress as it goes.
pub fn run(options: &Options, progress: &mut dyn FnMut(Event)) -> Report {
    let dir = options.dir.as_path();
    let mut steps: Vec<Step> = if options.steps.is_empty() {
        Step::ALL.to_vec()
    } else {
        options.steps.clone()
    };
    steps.sort();
    steps.dedup();

    let mut fixes = Vec::new();
    if options.fix {
        for line in inproc::format_json(dir) {
            progress(Event::Fixed(&line));
            fixes.push(line);
        }
    }

    let mut python = options.python.clone().map(|path| Python {
        path,
        from: "--python".into(),
    });
    // Why the tool steps cannot run, once that is known.
    let mut no_python: Option<String> = None;
    let total = steps.len();
    let mut results = Vec::with_capacity(total);
    for (i, &step) in steps.iter().enumerate() {
        let index = i + 1;
        progress(Event::Started { step, index, total });
        let started = Instant::now();
        let mut result = match step {
            Step::Environment => {
                let (result, made) = env::environment(dir, python.as_ref(), options);
                match made {
                    Ok(found) => python = python.or(found),
                    Err(why) => no_python = Some(why),
                }
                result
            }
            Step::Black | Step::Mypy | Step::Pytest => {
                if python.is_none() && no_python.is_none() {
                    // The environment step was not asked for: use what is there.
                    python = env::existing(dir, options);
                }
                match (&python, &no_python) {
                    (Some(py), _) => tools::run(step, dir, py, options.fix),
                    (None, Some(why)) => StepResult::skipped(step, why.clone()),
                    (None, None) => StepResult::skipped(step, env::NO_PYTHON),
                }
            }
            Step::Check => inproc::check(dir),
            Step::Sync => inproc::sync(dir),
        };
        result.duration = started.elapsed();
        progress(Event::Finished {
            result: &result,
            index,
            total,
        });
        results.push(result);
    }
    Report {
        dir: dir.to_path_buf(),
        fixes,
        results,
    }
}

/// A venv's interpreter.
fn venv_python(venv: &Path) -> PathBuf {
    if cfg!(windows) {
        venv.join("Scripts").join("python.exe")
    } else {
        venv.join("bin").join("python")
    }
}
