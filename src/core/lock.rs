//! The lock step after pyproject.toml changes (`poetry lock` / `uv lock`). The core only says what
//! to run — a plan of candidate commands, in order of preference, and how Poetry could be
//! installed privately — and front ends run it with visible progress, never failing the whole
//! command for it.
//!
//! Poetry is found, in this order: `poetry` on PATH; the private install this tool makes under
//! the user's cache directory; `uvx poetry` (uv runs it without installing it); `pipx run poetry`.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::core::model::Packaging;

/// The packaging a module uses, read from its pyproject.toml (`[tool.poetry]` means Poetry).
pub fn packaging_of(module_dir: &Path) -> Packaging {
    let text = std::fs::read_to_string(module_dir.join("pyproject.toml")).unwrap_or_default();
    let doc: Result<toml_edit::DocumentMut, _> = text.parse();
    match doc {
        Ok(doc) if doc.get("tool").and_then(|t| t.get("poetry")).is_some() => Packaging::Poetry,
        Ok(_) => Packaging::Uv,
        Err(_) => Packaging::Poetry,
    }
}

/// The program and arguments of the lock step, as a person would type them.
pub fn lock_args(packaging: Packaging) -> (&'static str, &'static [&'static str]) {
    match packaging {
        Packaging::Poetry => ("poetry", &["lock"]),
        Packaging::Uv => ("uv", &["lock"]),
    }
}

/// Finds `program` on PATH.
pub fn which(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|p| p.is_file())
}

/// One way to run a tool (`poetry`, `uv`): the program, the arguments that come before the
/// tool's own (`uvx` + `poetry`), and how to name it to a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Runner {
    pub program: PathBuf,
    pub prefix: Vec<String>,
    /// `poetry`, `uvx poetry`, `pipx run poetry`, `poetry (private install)`.
    pub label: String,
    /// The program as command lines show it: its name when it is on PATH, else its path.
    pub shown: String,
}

impl Runner {
    fn new(program: PathBuf, prefix: &[&str], label: impl Into<String>) -> Self {
        let shown = program
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        Runner {
            program,
            prefix: prefix.iter().map(|s| s.to_string()).collect(),
            label: label.into(),
            shown,
        }
    }

    /// A program that is not on PATH: command lines name it by its path.
    fn private(program: PathBuf) -> Self {
        let shown = program.to_string_lossy().into_owned();
        Runner {
            shown,
            ..Runner::new(program, &[], "poetry (private install)")
        }
    }

    /// `self` running the tool with `args` in `dir`.
    pub fn command(&self, dir: &Path, args: &[&str]) -> Command {
        let mut cmd = Command::new(&self.program);
        cmd.args(&self.prefix).args(args).current_dir(dir);
        cmd
    }

    /// The command line as text, e.g. `uvx poetry lock`.
    pub fn display(&self, args: &[&str]) -> String {
        let mut words = vec![self.shown.clone()];
        words.extend(self.prefix.iter().cloned());
        words.extend(args.iter().map(|a| a.to_string()));
        words.join(" ")
    }
}

/// Where this tool installs Poetry for a person who has neither Poetry, uv nor pipx:
/// `$XDG_CACHE_HOME/sekoia-wizard/poetry`, else `~/.cache/sekoia-wizard/poetry`.
pub fn private_poetry_dir() -> Option<PathBuf> {
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))?;
    Some(cache.join("sekoia-wizard").join("poetry"))
}

/// The ways Poetry can be run here, best first. Empty when none is available.
pub fn poetry_runners() -> Vec<Runner> {
    let mut runners = Vec::new();
    if let Some(poetry) = which("poetry") {
        runners.push(Runner::new(poetry, &[], "poetry"));
    }
    if let Some(private) = private_poetry_dir().map(|d| d.join("bin/poetry")) {
        if private.is_file() {
            runners.push(Runner::private(private));
        }
    }
    if let Some(uvx) = which("uvx") {
        runners.push(Runner::new(uvx, &["poetry"], "uvx poetry"));
    }
    if let Some(pipx) = which("pipx") {
        runners.push(Runner::new(pipx, &["run", "poetry"], "pipx run poetry"));
    }
    runners
}

/// The ways uv can be run here, best first.
pub fn uv_runners() -> Vec<Runner> {
    let mut runners = Vec::new();
    if let Some(uv) = which("uv") {
        runners.push(Runner::new(uv, &[], "uv"));
    }
    if let Some(pipx) = which("pipx") {
        runners.push(Runner::new(pipx, &["run", "uv"], "pipx run uv"));
    }
    runners
}

/// How to install Poetry into a private virtual environment: each command in turn, with a line
/// saying what it does. The front end asks first, and only in an interactive terminal.
#[derive(Debug)]
pub struct PoetryInstall {
    pub dir: PathBuf,
    pub steps: Vec<(String, Command)>,
    /// The `poetry` the install provides.
    pub poetry: Runner,
}

/// The private install plan, when a `python3` is on PATH and a cache directory is known.
pub fn poetry_install() -> Option<PoetryInstall> {
    let python = which("python3")?;
    let dir = private_poetry_dir()?;
    let mut venv = Command::new(python);
    venv.arg("-m").arg("venv").arg(&dir);
    let mut pip = Command::new(dir.join("bin/python"));
    pip.args([
        "-m",
        "pip",
        "install",
        "--disable-pip-version-check",
        "poetry",
    ]);
    Some(PoetryInstall {
        steps: vec![
            (
                format!("Creating a virtual environment in {}", dir.display()),
                venv,
            ),
            ("Installing Poetry into it (pip install poetry)".into(), pip),
        ],
        poetry: Runner::private(dir.join("bin/poetry")),
        dir,
    })
}

/// What the lock step can do for a module.
#[derive(Debug)]
pub struct LockPlan {
    pub packaging: Packaging,
    pub dir: PathBuf,
    /// Ways to run the lock, best first: run the first, and the next only when one cannot start.
    pub candidates: Vec<Runner>,
    /// When there is no candidate: the private Poetry install a front end may offer.
    pub install: Option<PoetryInstall>,
}

impl LockPlan {
    pub fn args(&self) -> &'static [&'static str] {
        lock_args(self.packaging).1
    }

    /// What to tell a person when nothing could be run (or it failed): exactly what to run.
    pub fn manual_hint(&self) -> String {
        manual_hint(&self.dir, self.packaging)
    }
}

/// Plans the lock step of the module in `module_dir`.
pub fn plan(module_dir: &Path, packaging: Packaging) -> LockPlan {
    let candidates = match packaging {
        Packaging::Poetry => poetry_runners(),
        Packaging::Uv => uv_runners(),
    };
    let install = (candidates.is_empty() && packaging == Packaging::Poetry)
        .then(poetry_install)
        .flatten();
    LockPlan {
        packaging,
        dir: module_dir.to_path_buf(),
        candidates,
        install,
    }
}

/// What to tell a person who has no way to run the tool: what to install and what to run.
pub fn manual_hint(module_dir: &Path, packaging: Packaging) -> String {
    let dir = module_dir.display();
    match packaging {
        Packaging::Poetry => format!(
            "no poetry.lock was written: poetry is not installed (nor uvx or pipx to run it). \
             Install it (`pipx install poetry`, or `pip install --user poetry`), then run \
             `cd {dir} && poetry lock`; with uv installed, `cd {dir} && uvx poetry lock` works too"
        ),
        Packaging::Uv => format!(
            "no uv.lock was written: uv is not installed (nor pipx to run it). Install it \
             (https://docs.astral.sh/uv/getting-started/installation/ or `pipx install uv`), then \
             run `cd {dir} && uv lock`"
        ),
    }
}

/// The lock file a module with this packaging needs.
pub fn lock_file(packaging: Packaging) -> &'static str {
    match packaging {
        Packaging::Poetry => "poetry.lock",
        Packaging::Uv => "uv.lock",
    }
}

/// The lock file the module in `dir` needs (by its packaging).
pub fn lock_file_of(dir: &Path) -> &'static str {
    lock_file(packaging_of(dir))
}

/// Said plainly whenever a uv module is made or locked: the library's checker wants poetry.lock.
pub const UV_NOT_FOR_LIBRARY: &str = "this module uses uv: the SEKOIA-IO/automation-library \
     requires poetry.lock (its checker reports `poetry.lock is missing`), so contribute it there \
     with --packaging poetry; uv.lock is fine for a module kept elsewhere";

/// The lock command ready to run in `module_dir`, or `None` when the tool cannot be run.
pub fn lock_command(module_dir: &Path, packaging: Packaging) -> Option<Command> {
    let plan = plan(module_dir, packaging);
    let runner = plan.candidates.first()?;
    Some(runner.command(module_dir, plan.args()))
}

/// How a lock run ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LockEnd {
    /// The command line that made the lock file.
    Locked(String),
    /// It ran and failed: what to say, with the tool's last lines.
    Failed(String),
    /// Nothing could be run: what to run by hand.
    NotRun(String),
}

/// Runs the lock step the plan describes — one policy for every front end: with `install` (asked
/// for by the person), Poetry is first installed privately; then the candidates in order until one
/// starts (a lock that fails would fail the same way under another runner: reported, not retried).
/// `live` lets the tools print to the terminal (the CLI); otherwise their output is captured and a
/// failure quotes its last lines (the wizard's worker). `say` gets a line as each step starts.
pub fn run(mut plan: LockPlan, install: bool, live: bool, say: &mut dyn FnMut(String)) -> LockEnd {
    if install {
        if let Some(install) = plan.install.take() {
            let total = install.steps.len();
            for (i, (what, mut command)) in install.steps.into_iter().enumerate() {
                say(format!("[{}/{total}] {what}…", i + 1));
                match exec(&mut command, live) {
                    Ok((status, _)) if status.success() => {}
                    Ok((_, tail)) => {
                        return LockEnd::Failed(format!(
                            "{what} failed (offline, or no package index reachable?){tail}; {} is \
                             left for the next try",
                            install.dir.display()
                        ))
                    }
                    Err(err) => return LockEnd::Failed(format!("{what} failed: {err}")),
                }
            }
            say(format!("Poetry is installed in {}", install.dir.display()));
            plan.candidates.insert(0, install.poetry);
        }
    }
    for runner in &plan.candidates {
        let line = runner.display(plan.args());
        say(format!("Running `{line}` in {}…", plan.dir.display()));
        match exec(&mut runner.command(&plan.dir, plan.args()), live) {
            Ok((status, _)) if status.success() => return LockEnd::Locked(line),
            Ok((status, tail)) => {
                return LockEnd::Failed(format!(
                    "`{line}` failed ({status}){tail}; the module is written, run `cd {} && \
                     {line}` again once fixed",
                    plan.dir.display()
                ))
            }
            Err(err) => say(format!("warning: could not run {}: {err}", runner.label)),
        }
    }
    LockEnd::NotRun(plan.manual_hint())
}

/// Runs `command`, its output on the terminal (`live`) or captured: the status, and for captured
/// output its last lines as `: …` (empty when live or silent).
fn exec(command: &mut Command, live: bool) -> std::io::Result<(std::process::ExitStatus, String)> {
    if live {
        return command.status().map(|s| (s, String::new()));
    }
    let out = command.output()?;
    let tail = last_lines(&out);
    let tail = if tail.is_empty() {
        tail
    } else {
        format!(": {tail}")
    };
    Ok((out.status, tail))
}

/// The last lines a tool printed (stderr first: that is where errors go), on one line.
fn last_lines(out: &std::process::Output) -> String {
    let text = [&out.stderr, &out.stdout]
        .iter()
        .map(|b| String::from_utf8_lossy(b).into_owned())
        .find(|t| !t.trim().is_empty())
        .unwrap_or_default();
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    lines[lines.len().saturating_sub(3)..].join(" / ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runners_name_their_command_line() {
        let uvx = Runner::new(PathBuf::from("/opt/bin/uvx"), &["poetry"], "uvx poetry");
        assert_eq!(uvx.display(&["lock"]), "uvx poetry lock");
        let cmd = uvx.command(Path::new("/m"), &["lock"]);
        let args: Vec<_> = cmd
            .get_args()
            .map(|a| a.to_string_lossy().into_owned())
            .collect();
        assert_eq!(args, ["poetry", "lock"]);
    }

    #[test]
    fn hints_say_what_to_run() {
        let hint = manual_hint(Path::new("/x/M"), Packaging::Poetry);
        assert!(hint.contains("cd /x/M && poetry lock"), "{hint}");
        assert!(hint.contains("pipx install poetry"), "{hint}");
        let hint = manual_hint(Path::new("/x/M"), Packaging::Uv);
        assert!(hint.contains("cd /x/M && uv lock"), "{hint}");
    }
}
