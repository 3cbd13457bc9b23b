//! A wizard in a private tmux server, driven by the keyboard as a person would: the end-to-end
//! tests of the full-screen wizard share it (issue 13: one helper, not a copy per file).

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// A directory holding a stand-in `poetry` whose `poetry lock` makes an (empty) poetry.lock, as
/// the real one makes a full one; put it first on PATH.
pub fn poetry_stand_in() -> std::path::PathBuf {
    let bin = tempfile::tempdir().unwrap().keep();
    let poetry = bin.join("poetry");
    std::fs::write(
        &poetry,
        "#!/bin/sh\n[ \"$1\" = lock ] && : > poetry.lock\nexit 0\n",
    )
    .unwrap();
    let mut perms = std::fs::metadata(&poetry).unwrap().permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o755);
    std::fs::set_permissions(&poetry, perms).unwrap();
    bin
}

pub const BIN: &str = env!("CARGO_BIN_EXE_sekoia-wizard");

pub fn tmux_available() -> bool {
    let ok = Command::new("tmux")
        .arg("-V")
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !ok {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "tmux is required for the end-to-end TUI tests in CI"
        );
        eprintln!("skipped: tmux is not installed, the end-to-end TUI test cannot run");
    }
    ok
}

/// A private tmux server running one wizard in a 120×40 pane.
pub struct Pane {
    socket: String,
    _conf: tempfile::NamedTempFile,
    /// Navigation keys sent so far (typed and pasted text not counted): issue 12's budget.
    pub nav: std::cell::Cell<usize>,
}

impl Pane {
    pub fn start(name: &str, cwd: &Path, args: &[&str], env: &[(&str, &str)]) -> Pane {
        Pane::start_sized(name, cwd, args, env, 120, 40)
    }

    /// `start` in a pane of `width`×`height`.
    pub fn start_sized(
        name: &str,
        cwd: &Path,
        args: &[&str],
        env: &[(&str, &str)],
        width: u16,
        height: u16,
    ) -> Pane {
        Pane::spawn(name, cwd, args, env, &[], width, height)
    }

    /// `start` with the variables `unset` removed from the wizard's environment (as CI always is).
    pub fn start_unsetting(
        name: &str,
        cwd: &Path,
        args: &[&str],
        env: &[(&str, &str)],
        unset: &[&str],
    ) -> Pane {
        Pane::spawn(name, cwd, args, env, unset, 120, 40)
    }

    fn spawn(
        name: &str,
        cwd: &Path,
        args: &[&str],
        env: &[(&str, &str)],
        unset: &[&str],
        width: u16,
        height: u16,
    ) -> Pane {
        let socket = format!("sekoia-wizard-e2e-{}-{name}", std::process::id());
        let conf = tempfile::NamedTempFile::new().unwrap();
        // No escape delay (Esc must arrive alone), and keep the pane after exit to read its status.
        std::fs::write(conf.path(), "set -s escape-time 0\nset -g remain-on-exit on\nset -g default-terminal xterm-256color\n").unwrap();
        // After the wizard, the shell reports the tty modes (raw mode off shows `icanon echo`) and
        // lingers a moment so the cursor state can be read, then exits with the wizard's status.
        let script = "\"$0\" \"$@\"; s=$?; printf '\\nTTY:'; stty -a | tr ' ;' '\\n\\n' | grep -x -e icanon -e echo | tr '\\n' ' '; \
                      echo; echo \"EXIT=$s\"; sleep 3; exit $s";
        // A stand-in `poetry` first on PATH: after writing, the wizard runs the lock step, which
        // would otherwise offer (and wait) to install Poetry. The lock step has its own tests.
        let bin = poetry_stand_in();
        let path = format!(
            "PATH={}:{}",
            bin.display(),
            std::env::var("PATH").unwrap_or_default()
        );
        let mut cmd = vec!["env".to_string()];
        for var in std::iter::once(&"CI").chain(unset) {
            cmd.extend(["-u".to_string(), var.to_string()]);
        }
        cmd.push(path);
        cmd.extend(env.iter().map(|(k, v)| format!("{k}={v}")));
        cmd.extend(["sh".into(), "-c".into(), script.into(), BIN.into()]);
        cmd.extend(args.iter().map(|a| a.to_string()));
        let status = Command::new("tmux")
            .args(["-L", &socket, "-f"])
            .arg(conf.path())
            .args([
                "new-session",
                "-d",
                "-x",
                &width.to_string(),
                "-y",
                &height.to_string(),
            ])
            .arg("-c")
            .arg(cwd)
            .args(cmd)
            .status()
            .unwrap();
        assert!(status.success(), "tmux did not start");
        Pane {
            socket,
            _conf: conf,
            nav: std::cell::Cell::new(0),
        }
    }

    pub fn tmux(&self, args: &[&str]) -> String {
        let out = Command::new("tmux")
            .args(["-L", &self.socket])
            .args(args)
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    pub fn screen(&self) -> String {
        self.tmux(&["capture-pane", "-p", "-t", "0"])
    }

    pub fn wait_for(&self, text: &str) -> String {
        self.wait_for_within(text, 15)
    }

    /// `wait_for` for slow work (the module's CI runs mypy and pytest).
    pub fn wait_for_within(&self, text: &str, seconds: u64) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if screen.contains(text) {
                return screen;
            }
            if start.elapsed() > Duration::from_secs(seconds) {
                panic!("waited {seconds} s for {text:?}; the screen is:\n{screen}");
            }
            std::thread::sleep(Duration::from_millis(40));
        }
    }

    /// Waits until the last non-empty line (where a line prompt waits) contains `text`.
    pub fn wait_for_prompt(&self, text: &str) {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if screen
                .lines()
                .rev()
                .find(|l| !l.trim().is_empty())
                .is_some_and(|l| l.contains(text))
            {
                return;
            }
            if start.elapsed() > Duration::from_secs(15) {
                panic!("waited 15 s for the prompt {text:?}; the screen is:\n{screen}");
            }
            std::thread::sleep(Duration::from_millis(40));
        }
    }

    /// Everything printed so far, scrollback included (line prompts scroll).
    pub fn text(&self) -> String {
        self.tmux(&["capture-pane", "-p", "-S", "-2000", "-t", "0"])
    }

    /// Waits until the program reads keys: its terminal is out of canonical (line) mode, or has
    /// echo off (a password prompt reads a line without echo). dialoguer (`--plain`) sets these
    /// only while it waits for input, and draws a question a moment before; a key sent earlier
    /// would be echoed and line-edited by the terminal itself.
    pub fn wait_reading(&self) {
        let tty = self.tmux(&["display", "-p", "-t", "0", "#{pane_tty}"]);
        let start = Instant::now();
        loop {
            let modes = Command::new("stty")
                .args(["-a", "-F", tty.trim()])
                .output()
                .expect("stty runs");
            let modes = String::from_utf8_lossy(&modes.stdout);
            if modes
                .split([' ', ';', '\n'])
                .any(|m| m == "-icanon" || m == "-echo")
            {
                return;
            }
            if start.elapsed() > Duration::from_secs(15) {
                panic!(
                    "waited 15 s for the program to read keys; the screen is:\n{}",
                    self.screen()
                );
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Named keys (`Tab`, `Enter`, `Escape`, `PageDown`, `Right`, `Space`, `C-c`).
    pub fn keys(&self, keys: &[&str]) {
        for k in keys {
            self.nav.set(self.nav.get() + 1);
            self.tmux(&["send-keys", "-t", "0", k]);
            std::thread::sleep(Duration::from_millis(30));
        }
    }

    pub fn typed(&self, text: &str) {
        self.tmux(&["send-keys", "-t", "0", "-l", text]);
        std::thread::sleep(Duration::from_millis(30));
    }

    /// Pastes as a terminal does with bracketed paste on (`paste-buffer -p`).
    pub fn pasted(&self, text: &str) {
        self.tmux(&["set-buffer", "--", text]);
        self.tmux(&["paste-buffer", "-p", "-t", "0"]);
        std::thread::sleep(Duration::from_millis(30));
    }

    pub fn repeat(&self, key: &str, n: usize) {
        for _ in 0..n {
            self.keys(&[key]);
        }
    }

    /// Waits for the wizard to exit, checks the terminal is as it found it (normal screen, cursor
    /// shown, raw mode off), and returns the exit status.
    pub fn exit_status(&self) -> i32 {
        self.wait_for("EXIT=");
        let flags = self.tmux(&["display", "-p", "-t", "0", "#{alternate_on} #{cursor_flag}"]);
        let screen = self.screen();
        assert_eq!(
            flags.trim(),
            "0 1",
            "terminal not restored (alternate screen, cursor shown):\n{screen}"
        );
        assert!(
            screen.contains("TTY:icanon echo"),
            "raw mode left on:\n{screen}"
        );
        let status = screen
            .lines()
            .find_map(|l| l.strip_prefix("EXIT="))
            .unwrap_or("-1");
        status.trim().parse().unwrap()
    }

    /// The wizard's pid: the child of the pane's shell.
    pub fn pid(&self) -> u32 {
        let shell = self.tmux(&["display", "-p", "-t", "0", "#{pane_pid}"]);
        let out = Command::new("pgrep")
            .args(["-P", shell.trim()])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).trim().parse().unwrap()
    }
}

impl Drop for Pane {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.socket, "kill-server"])
            .status();
    }
}
