//! Issue 15 finding 13: when the terminal hangs up (window closed, ssh dropped), the wizard leaves
//! with 129 (128 + SIGHUP), as shells do — never 101, a panic from printing to a terminal that is
//! gone. Driven through a real pseudo-terminal whose master side is closed under the wizard.

use std::process::Command;

/// Starts the wizard (with `args`) as the session leader of a new pty, waits for its first screen,
/// closes the terminal and returns the wizard's exit status as python's `Popen.wait` reports it.
fn status_after_hangup(args: &[&str]) -> i32 {
    let dir = tempfile::tempdir().unwrap();
    let script = r#"
import fcntl, os, select, struct, subprocess, sys, termios, time
master, slave = os.openpty()
fcntl.ioctl(master, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
def controlling_tty():
    os.setsid()
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)
env = {k: v for k, v in os.environ.items() if k != "CI"}
env["TERM"] = "xterm-256color"
p = subprocess.Popen(sys.argv[1:], stdin=slave, stdout=slave, stderr=slave,
                     preexec_fn=controlling_tty, env=env, close_fds=True)
os.close(slave)
seen, deadline = b"", time.time() + 20
while time.time() < deadline and len(seen) < 400:
    r, _, _ = select.select([master], [], [], 0.2)
    if r:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        seen += chunk
        if b"\x1b[6n" in chunk:
            # Answer the cursor-position query as a terminal would (row 1, column 1).
            os.write(master, b"\x1b[1;1R")
time.sleep(0.5)
os.close(master)
try:
    print(p.wait(timeout=20))
except subprocess.TimeoutExpired:
    p.kill()
    print("hung")
"#;
    let out = Command::new("python3")
        .current_dir(dir.path())
        .arg("-c")
        .arg(script)
        .arg(env!("CARGO_BIN_EXE_sekoia-wizard"))
        .args(args)
        .output()
        .expect("python3 runs the pty driver");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "pty driver failed: {stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
        .trim()
        .parse()
        .unwrap_or_else(|_| panic!("no exit status from the pty driver: {stdout}"))
}

#[test]
fn a_hang_up_ends_the_full_screen_wizard_with_129() {
    // Popen reports death by a signal as its negative number; a clean exit(129) as 129.
    let status = status_after_hangup(&[]);
    assert!(
        status == 129 || status == -1,
        "exit status after the terminal hung up: {status} (101 is a panic)"
    );
}

#[test]
fn a_hang_up_ends_the_plain_wizard_with_129() {
    let status = status_after_hangup(&["--plain"]);
    assert!(
        status == 129 || status == -1,
        "exit status after the terminal hung up: {status} (101 is a panic)"
    );
}
