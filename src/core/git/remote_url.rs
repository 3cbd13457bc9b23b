//! Just enough remote-URL parsing to pick credentials and to keep secrets out of `.git/config`:
//! `https://user:token@host/x.git` is stored as `https://user@host/x.git` and the token kept in memory.

/// How a remote is reached, which decides the kind of credentials offered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transport {
    Http,
    Ssh,
    Local,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteUrl {
    /// The URL without any password: safe to store and to print.
    pub safe: String,
    pub transport: Transport,
    pub host: Option<String>,
    pub username: Option<String>,
    /// A password or token that was embedded in the URL (removed from `safe`).
    pub password: Option<String>,
}

impl RemoteUrl {
    pub fn parse(url: &str) -> RemoteUrl {
        let url = url.trim();
        if let Some((scheme, rest)) = url.split_once("://") {
            let transport = match scheme.to_ascii_lowercase().as_str() {
                "http" | "https" => Transport::Http,
                "ssh" | "git+ssh" | "ssh+git" => Transport::Ssh,
                "file" => Transport::Local,
                _ => Transport::Ssh, // git://: no credentials either way
            };
            let (authority, path) = match rest.find('/') {
                Some(i) => rest.split_at(i),
                None => (rest, ""),
            };
            let (userinfo, hostport) = match authority.rfind('@') {
                Some(i) => (Some(&authority[..i]), &authority[i + 1..]),
                None => (None, authority),
            };
            let (username, password) = match userinfo {
                Some(info) => match info.split_once(':') {
                    Some((user, pass)) => (Some(percent_decode(user)), Some(percent_decode(pass))),
                    None => (Some(percent_decode(info)), None),
                },
                None => (None, None),
            };
            let user_part = match userinfo {
                Some(info) => format!("{}@", info.split_once(':').map_or(info, |(u, _)| u)),
                None => String::new(),
            };
            let host = host_of(hostport);
            return RemoteUrl {
                safe: format!("{scheme}://{user_part}{hostport}{path}"),
                transport,
                host: (!host.is_empty()).then_some(host),
                username: username.filter(|u| !u.is_empty()),
                password: password.filter(|p| !p.is_empty()),
            };
        }
        // scp-like `git@host:owner/repo.git`: a colon before any slash.
        if let Some(colon) = url.find(':') {
            let before = &url[..colon];
            if !before.contains('/') && !before.is_empty() && colon > 1 {
                let (username, host) = match before.rsplit_once('@') {
                    Some((user, host)) => (Some(user.to_string()), host.to_string()),
                    None => (None, before.to_string()),
                };
                return RemoteUrl {
                    safe: url.to_string(),
                    transport: Transport::Ssh,
                    host: Some(host),
                    username,
                    password: None,
                };
            }
        }
        RemoteUrl {
            safe: url.to_string(),
            transport: Transport::Local,
            host: None,
            username: None,
            password: None,
        }
    }
}

fn host_of(hostport: &str) -> String {
    if let Some(rest) = hostport.strip_prefix('[') {
        return rest.split(']').next().unwrap_or_default().to_string();
    }
    hostport.split(':').next().unwrap_or_default().to_string()
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
            if let Ok(byte) = u8::from_str_radix(hex, 16) {
                out.push(byte);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_the_password_but_keeps_the_user() {
        let url = RemoteUrl::parse("https://bob:s%40cret@github.com/acme/mod.git");
        assert_eq!(url.safe, "https://bob@github.com/acme/mod.git");
        assert_eq!(url.password.as_deref(), Some("s@cret"));
        assert_eq!(url.username.as_deref(), Some("bob"));
        assert_eq!(url.host.as_deref(), Some("github.com"));
        assert_eq!(url.transport, Transport::Http);
    }

    #[test]
    fn recognises_ssh_and_local_forms() {
        let scp = RemoteUrl::parse("git@gitlab.com:acme/mod.git");
        assert_eq!(
            (scp.transport, scp.host.as_deref(), scp.username.as_deref()),
            (Transport::Ssh, Some("gitlab.com"), Some("git"))
        );
        let ssh = RemoteUrl::parse("ssh://git@example.org:2222/acme/mod.git");
        assert_eq!(
            (ssh.transport, ssh.host.as_deref()),
            (Transport::Ssh, Some("example.org"))
        );
        assert_eq!(
            RemoteUrl::parse("file:///tmp/x.git").transport,
            Transport::Local
        );
        assert_eq!(RemoteUrl::parse("/tmp/x.git").transport, Transport::Local);
        assert_eq!(
            RemoteUrl::parse("http://127.0.0.1:8080/x.git")
                .host
                .as_deref(),
            Some("127.0.0.1")
        );
    }
}
