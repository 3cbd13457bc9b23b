//! Test support for `push`: an isolated sandbox (temporary HOME, fixed git identity, no tokens
//! from the machine), a sample module, a smart-HTTP git server (`git http-backend` as CGI behind
//! tiny_http, basic auth required) and a recording stand-in for the GitHub / GitLab APIs.
//! Everything listens on 127.0.0.1 only.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use assert_cmd::cargo::CommandCargoExt;
use tempfile::TempDir;

pub const HTTP_BACKEND: &str = "/usr/lib/git-core/git-http-backend";

/// A temporary HOME and a sample module in `<tmp>/TestHTTP`.
pub struct Sandbox {
    pub tmp: TempDir,
    pub home: PathBuf,
    pub module: PathBuf,
}

impl Sandbox {
    pub fn new() -> Sandbox {
        let tmp = tempfile::tempdir().expect("temp dir");
        let home = tmp.path().join("home");
        std::fs::create_dir_all(&home).unwrap();
        let module = tmp.path().join("TestHTTP");
        write_module(&module);
        Sandbox { tmp, home, module }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.tmp.path().join(name)
    }

    /// `sekoia-wizard` with the sandbox's environment.
    pub fn wizard(&self) -> Command {
        let mut cmd = Command::cargo_bin("sekoia-wizard").expect("binary built");
        self.isolate(&mut cmd);
        cmd
    }

    /// The system `git`, isolated the same way (for setting up and inspecting repositories).
    pub fn git(&self, dir: &Path, args: &[&str]) -> String {
        let mut cmd = Command::new("git");
        self.isolate(&mut cmd);
        let out = cmd.current_dir(dir).args(args).output().expect("git runs");
        assert!(
            out.status.success(),
            "git {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    /// A bare repository with `main` as its default branch.
    pub fn bare_repo(&self, path: &Path) {
        std::fs::create_dir_all(path).unwrap();
        self.git(
            path,
            &["init", "--quiet", "--bare", "--initial-branch=main"],
        );
    }

    fn isolate(&self, cmd: &mut Command) {
        for var in [
            "GITHUB_TOKEN",
            "GITLAB_TOKEN",
            "SSH_AUTH_SOCK",
            "GIT_ASKPASS",
            "SSH_ASKPASS",
            "EMAIL",
            "GIT_DIR",
            "GIT_WORK_TREE",
            "HTTP_PROXY",
            "HTTPS_PROXY",
            "http_proxy",
            "https_proxy",
            "ALL_PROXY",
        ] {
            cmd.env_remove(var);
        }
        cmd.env("HOME", &self.home)
            .env("XDG_CONFIG_HOME", self.home.join(".config"))
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_TERMINAL_PROMPT", "0")
            .env("GIT_AUTHOR_NAME", "Ada Tester")
            .env("GIT_AUTHOR_EMAIL", "ada@example.com")
            .env("GIT_COMMITTER_NAME", "Ada Tester")
            .env("GIT_COMMITTER_EMAIL", "ada@example.com");
    }
}

/// A small module shaped like the SDK's template, plus a bytecode cache that must stay ignored.
pub fn write_module(dir: &Path) {
    let files = [
        (
            "manifest.json",
            "{\n  \"name\": \"TestHTTP\",\n  \"description\": \"My test HTTP module\"\n}\n",
        ),
        ("main.py", "from sekoia_automation.module import Module\n"),
        ("action_request.json", "{\n  \"name\": \"Request\"\n}\n"),
        ("testhttp_modules/__init__.py", ""),
        (
            "testhttp_modules/__pycache__/__init__.cpython-312.pyc",
            "bytecode",
        ),
    ];
    for (name, text) in files {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

pub fn stdout(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

pub fn base64(input: &[u8]) -> String {
    const TABLE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in input.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(TABLE[(n >> (18 - 6 * i)) as usize & 63] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn header(name: &str, value: &str) -> tiny_http::Header {
    tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("valid header")
}

fn request_header(request: &tiny_http::Request, name: &'static str) -> Option<String> {
    request
        .headers()
        .iter()
        .find(|h| h.field.equiv(name))
        .map(|h| h.value.as_str().to_string())
}

/// A server thread that stops when dropped.
struct Running {
    server: Arc<tiny_http::Server>,
    thread: Option<JoinHandle<()>>,
}

impl Running {
    fn start(handle: impl FnMut(tiny_http::Request) + Send + 'static) -> (Running, u16) {
        let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").expect("bind 127.0.0.1"));
        let port = server.server_addr().to_ip().expect("ip address").port();
        let worker = Arc::clone(&server);
        let mut handle = handle;
        let thread = std::thread::spawn(move || {
            for request in worker.incoming_requests() {
                handle(request);
            }
        });
        (
            Running {
                server,
                thread: Some(thread),
            },
            port,
        )
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// One request as the git server saw it.
#[derive(Debug, Clone)]
pub struct GitRequest {
    pub method: String,
    pub url: String,
    pub authorization: Option<String>,
    pub accepted: bool,
}

/// Smart-HTTP git server over the bare repositories under `root`, requiring basic auth whose
/// password is `token` (any user name, as GitHub and GitLab accept with tokens).
pub struct GitHttpServer {
    pub port: u16,
    pub requests: Arc<Mutex<Vec<GitRequest>>>,
    _running: Running,
}

impl GitHttpServer {
    pub fn start(root: &Path, token: &str, home: &Path) -> GitHttpServer {
        let requests = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&requests);
        let root = root.to_path_buf();
        let home = home.to_path_buf();
        let token = token.to_string();
        let (running, port) = Running::start(move |request| {
            let authorization = request_header(&request, "Authorization");
            let accepted = authorization
                .as_deref()
                .is_some_and(|value| password_matches(value, &token));
            log.lock().unwrap().push(GitRequest {
                method: request.method().to_string(),
                url: request.url().to_string(),
                authorization: authorization.clone(),
                accepted,
            });
            if !accepted {
                let response = tiny_http::Response::from_string("authentication required")
                    .with_status_code(401)
                    .with_header(header("WWW-Authenticate", "Basic realm=\"git\""));
                let _ = request.respond(response);
                return;
            }
            serve_cgi(request, &root, &home);
        });
        GitHttpServer {
            port,
            requests,
            _running: running,
        }
    }

    pub fn url(&self, repo: &str) -> String {
        format!("http://127.0.0.1:{}/{repo}", self.port)
    }

    pub fn requests(&self) -> Vec<GitRequest> {
        self.requests.lock().unwrap().clone()
    }
}

fn password_matches(authorization: &str, token: &str) -> bool {
    let Some(encoded) = authorization.strip_prefix("Basic ") else {
        return false;
    };
    // Compare encodings of `user:token` for the user name sent, without a base64 decoder.
    ["x-access-token", "oauth2", "git", "x"]
        .iter()
        .any(|user| base64(format!("{user}:{token}").as_bytes()) == encoded.trim())
}

fn serve_cgi(mut request: tiny_http::Request, root: &Path, home: &Path) {
    let mut body = Vec::new();
    let _ = request.as_reader().read_to_end(&mut body);
    let (path, query) = match request.url().split_once('?') {
        Some((path, query)) => (path.to_string(), query.to_string()),
        None => (request.url().to_string(), String::new()),
    };
    let mut cgi = Command::new(HTTP_BACKEND);
    cgi.env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_PROJECT_ROOT", root)
        .env("GIT_HTTP_EXPORT_ALL", "1")
        .env("REQUEST_METHOD", request.method().to_string())
        .env("PATH_INFO", &path)
        .env("QUERY_STRING", &query)
        .env("CONTENT_LENGTH", body.len().to_string())
        .env("REMOTE_USER", "tester")
        .env("REMOTE_ADDR", "127.0.0.1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    if let Some(kind) = request_header(&request, "Content-Type") {
        cgi.env("CONTENT_TYPE", kind);
    }
    if let Some(encoding) = request_header(&request, "Content-Encoding") {
        cgi.env("HTTP_CONTENT_ENCODING", encoding);
    }
    if let Some(protocol) = request_header(&request, "Git-Protocol") {
        cgi.env("GIT_PROTOCOL", protocol);
    }
    let mut child = cgi.spawn().expect("git-http-backend starts");
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&body);
    });
    let mut output = Vec::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_end(&mut output)
        .unwrap();
    let _ = writer.join();
    let _ = child.wait();

    let split = find(&output, b"\r\n\r\n")
        .map(|i| (i, 4))
        .or_else(|| find(&output, b"\n\n").map(|i| (i, 2)));
    let (head, content) = match split {
        Some((i, len)) => (
            String::from_utf8_lossy(&output[..i]).into_owned(),
            output[i + len..].to_vec(),
        ),
        None => (String::new(), output),
    };
    let mut status = 200;
    let mut headers = Vec::new();
    for line in head.lines() {
        if let Some((name, value)) = line.split_once(':') {
            if name.eq_ignore_ascii_case("Status") {
                status = value
                    .trim()
                    .split(' ')
                    .next()
                    .and_then(|code| code.parse().ok())
                    .unwrap_or(500);
            } else {
                headers.push(header(name.trim(), value.trim()));
            }
        }
    }
    let mut response = tiny_http::Response::from_data(content).with_status_code(status);
    for h in headers {
        response.add_header(h);
    }
    let _ = request.respond(response);
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// One API request as the stand-in saw it.
#[derive(Debug, Clone)]
pub struct ApiRequest {
    pub method: String,
    pub path: String,
    pub body: serde_json::Value,
    pub authorization: Option<String>,
}

/// A stand-in for the GitHub or GitLab REST API: `respond` decides each answer; every request is
/// recorded (method, path, JSON body, Authorization header).
pub struct ApiStandIn {
    pub port: u16,
    pub requests: Arc<Mutex<Vec<ApiRequest>>>,
    _running: Running,
}

impl ApiStandIn {
    pub fn start(
        respond: impl Fn(&ApiRequest) -> (u16, serde_json::Value) + Send + 'static,
    ) -> ApiStandIn {
        let requests = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&requests);
        let (running, port) = Running::start(move |mut request| {
            let mut text = String::new();
            let _ = request.as_reader().read_to_string(&mut text);
            let recorded = ApiRequest {
                method: request.method().to_string(),
                path: request.url().to_string(),
                body: serde_json::from_str(&text).unwrap_or(serde_json::Value::Null),
                authorization: request_header(&request, "Authorization"),
            };
            let (status, answer) = respond(&recorded);
            log.lock().unwrap().push(recorded);
            let response = tiny_http::Response::from_string(answer.to_string())
                .with_status_code(status)
                .with_header(header("Content-Type", "application/json"));
            let _ = request.respond(response);
        });
        ApiStandIn {
            port,
            requests,
            _running: running,
        }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn requests(&self) -> Vec<ApiRequest> {
        self.requests.lock().unwrap().clone()
    }
}

/// A local port with nothing listening on it.
pub fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// Asserts `secret` appears in none of the texts, naming where it leaked.
pub fn assert_no_secret(secret: &str, places: &[(&str, &str)]) {
    for (name, text) in places {
        assert!(
            !text.contains(secret),
            "the token leaked into {name}:\n{text}"
        );
    }
}
