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
            let (userinfo, hostport, path) = split_authority(rest);
            let (mut username, mut password) = match userinfo {
                Some(info) => match info.split_once(':') {
                    Some((user, pass)) => (Some(percent_decode(user)), Some(percent_decode(pass))),
                    None => (Some(percent_decode(info)), None),
                },
                None => (None, None),
            };
            // `https://<token>@github.com/...` (a token as the user name, the usual PAT form)
            // is a credential, not a name to keep.
            if transport == Transport::Http
                && password.is_none()
                && username.as_deref().is_some_and(looks_like_token)
            {
                password = username.take();
            }
            let user_part = match (userinfo, &username) {
                (Some(info), Some(_)) => {
                    format!("{}@", info.split_once(':').map_or(info, |(u, _)| u))
                }
                _ => String::new(),
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

/// `userinfo@host:port/path` → (userinfo, host:port, /path). A password may hold an unencoded
/// `/`, `?` or `#` (`user:pa/ss@host`): when no `@` comes before the first of those, a later `@`
/// still ends the userinfo if what precedes it is `user:secret` (not `host:port/path`).
fn split_authority(rest: &str) -> (Option<&str>, &str, &str) {
    let first_sep = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let at = rest[..first_sep].rfind('@').or_else(|| {
        let i = rest.rfind('@')?;
        let (user, secret) = rest[..i].split_once(':')?;
        let port_like = secret
            .split(['/', '?', '#'])
            .next()
            .is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
        (!user.contains(['/', '?', '#']) && !port_like).then_some(i)
    });
    let (userinfo, after) = match at {
        Some(i) => (Some(&rest[..i]), &rest[i + 1..]),
        None => (None, rest),
    };
    let end = after.find('/').unwrap_or(after.len());
    (userinfo, &after[..end], &after[end..])
}

/// A user name that is really a token: a known token prefix, or a long run of token characters.
fn looks_like_token(user: &str) -> bool {
    const PREFIXES: &[&str] = &[
        "ghp_",
        "gho_",
        "ghu_",
        "ghs_",
        "ghr_",
        "github_pat_",
        "glpat-",
        "gldt-",
        "glrt-",
    ];
    PREFIXES.iter().any(|p| user.starts_with(p))
        || (user.len() >= 20
            && user
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
            && user.bytes().any(|b| b.is_ascii_digit()))
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

    /// Issue 15 (1): a token as the user name, or a password with unencoded `/`, `#`, `?`, must
    /// never reach the stored or printed URL.
    #[test]
    fn tokens_as_user_names_and_raw_passwords_are_stripped() {
        let url = RemoteUrl::parse("http://glpat-abcdefghij0123456789@host/acme/m.git");
        assert_eq!(url.safe, "http://host/acme/m.git");
        assert_eq!(url.password.as_deref(), Some("glpat-abcdefghij0123456789"));
        assert_eq!(url.username, None);
        for secret in ["pa/ss", "pa#ss", "pa?ss", "a/b?c#d"] {
            let url = RemoteUrl::parse(&format!("https://bob:{secret}@example.com/acme/m.git"));
            assert_eq!(url.safe, "https://bob@example.com/acme/m.git", "{secret}");
            assert_eq!(url.password.as_deref(), Some(secret));
            assert_eq!(url.host.as_deref(), Some("example.com"));
        }
        // A plain user name stays; a port is not a password.
        assert_eq!(
            RemoteUrl::parse("https://bob@example.com/m.git").safe,
            "https://bob@example.com/m.git"
        );
        let port = RemoteUrl::parse("https://example.com:8443/a/m.git");
        assert_eq!(
            (port.safe.as_str(), port.password),
            ("https://example.com:8443/a/m.git", None)
        );
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
