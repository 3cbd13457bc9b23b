//! The `Base` class's connection settings: base URL and authentication, from the spec or the flags.

use serde_json::Value;

use super::spec::{Operation, Spec};
use crate::core::failure::Failure;

/// `--auth`: what `GenericAPIAction.authentication` does with the module configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Auth {
    /// `username` / `password` as HTTP basic.
    Basic,
    /// `api_key` in a header (or a query parameter when the spec says so).
    ApiKey,
    /// `api_key` as `Authorization: Bearer`.
    Bearer,
    /// Nothing (the SDK then still sends `api_key` as a bearer token when configured).
    None,
}

impl std::str::FromStr for Auth {
    type Err = Failure;
    fn from_str(s: &str) -> Result<Self, Failure> {
        match s.to_ascii_lowercase().as_str() {
            "basic" => Ok(Auth::Basic),
            "apikey" | "api_key" | "api-key" => Ok(Auth::ApiKey),
            "bearer" => Ok(Auth::Bearer),
            "none" => Ok(Auth::None),
            _ => Err(Failure::with_hint(
                format!("unknown authentication `{s}`"),
                "use basic, apiKey, bearer or none",
            )),
        }
    }
}

impl Auth {
    pub const ALL: [Auth; 4] = [Auth::Basic, Auth::ApiKey, Auth::Bearer, Auth::None];

    /// The SDK's value (`SupportedAuthentications`).
    pub fn as_str(self) -> &'static str {
        match self {
            Auth::Basic => "basic",
            Auth::ApiKey => "apiKey",
            Auth::Bearer => "bearer",
            Auth::None => "none",
        }
    }
}

/// The three class attributes; `None` is written as Python's `None`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuthSettings {
    pub authentication: Option<Auth>,
    pub auth_header: Option<String>,
    pub auth_query_param: Option<String>,
}

impl AuthSettings {
    /// The module configuration keys `GenericAPIAction` reads for this authentication.
    pub fn configuration_keys(&self) -> Vec<&'static str> {
        match self.authentication {
            Some(Auth::Basic) => vec!["username", "password"],
            Some(Auth::ApiKey) | Some(Auth::Bearer) => vec!["api_key"],
            _ => vec![],
        }
    }
}

/// From the flags when `--auth` is given, else from the spec's security requirements (the top
/// level's, else the selected operations'): Swagger 2 `securityDefinitions` as the SDK reads them,
/// OpenAPI 3 `securitySchemes` by their `type` (the SDK looked for an `apiKey` *scheme*, which does
/// not exist, so it never found API keys there). Cookies are not supported, as in the SDK.
pub fn settings(
    spec: &Spec,
    ops: &[Operation],
    auth: Option<Auth>,
    auth_header: Option<&str>,
    notes: &mut Vec<String>,
) -> AuthSettings {
    let header = auth_header.unwrap_or("Authorization").to_string();
    match auth {
        Some(Auth::None) => return AuthSettings::default(),
        Some(a) => {
            return AuthSettings {
                authentication: Some(a),
                auth_header: Some(header),
                auth_query_param: None,
            }
        }
        None => {}
    }
    let mut ids: Vec<String> = security_ids(spec.doc.get("security"));
    if ids.is_empty() {
        for op in ops {
            let (_, raw) = spec.raw(op);
            ids = security_ids(raw.get("security"));
            if !ids.is_empty() {
                break;
            }
        }
    }
    if ids.is_empty() {
        return AuthSettings::default();
    }
    let schemes = spec
        .doc
        .get("securityDefinitions")
        .or_else(|| spec.doc.pointer("/components/securitySchemes"))
        .and_then(Value::as_object);
    for (name, def) in schemes.into_iter().flatten() {
        if !ids.contains(name) {
            continue;
        }
        let ty = def.get("type").and_then(Value::as_str).unwrap_or("");
        let scheme = def
            .get("scheme")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_ascii_lowercase();
        let auth = match (ty, scheme.as_str()) {
            ("basic", _) | ("http", "basic") => Auth::Basic,
            ("http", "bearer") => Auth::Bearer,
            ("apiKey", _) => Auth::ApiKey,
            _ => {
                notes.push(format!(
                    "security scheme `{name}` ({ty}) is not supported by GenericAPIAction; pass --auth bearer to send the configured api_key as a bearer token"
                ));
                continue;
            }
        };
        let located = def.get("in").and_then(Value::as_str);
        if auth == Auth::ApiKey && located.unwrap_or("cookie") == "cookie" {
            notes.push(format!(
                "security scheme `{name}` puts the API key in a cookie, which GenericAPIAction cannot send"
            ));
            continue;
        }
        let key_name = def.get("name").and_then(Value::as_str);
        if located == Some("query") {
            return AuthSettings {
                authentication: Some(auth),
                auth_header: None,
                auth_query_param: Some(key_name.unwrap_or("api_key").to_string()),
            };
        }
        return AuthSettings {
            authentication: Some(auth),
            auth_header: Some(key_name.map(str::to_string).unwrap_or(header)),
            auth_query_param: None,
        };
    }
    AuthSettings::default()
}

fn security_ids(security: Option<&Value>) -> Vec<String> {
    security
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_object)
        .flat_map(|m| m.keys().cloned())
        .collect()
}

/// `servers[0].url` with its variables set to their defaults (OpenAPI 3), else
/// `https://{host}` (Swagger 2, as the SDK; `http` when the spec allows only that). A server URL
/// relative to a spec fetched from a URL is made absolute. `--base-url` wins.
pub fn base_url(spec: &Spec, flag: Option<&str>, notes: &mut Vec<String>) -> String {
    if let Some(url) = flag {
        return url.to_string();
    }
    if let Some(server) = spec.doc.pointer("/servers/0") {
        let mut url = server
            .get("url")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        if let Some(vars) = server.get("variables").and_then(Value::as_object) {
            for (name, var) in vars {
                if let Some(default) = var.get("default").and_then(Value::as_str) {
                    url = url.replace(&format!("{{{name}}}"), default);
                }
            }
        }
        if url.starts_with('/') {
            if let Some(origin) = origin_of(&spec.source) {
                url = format!("{origin}{url}");
            } else {
                notes.push(format!(
                    "the spec's server URL `{url}` is relative: set `base_url` in the module configuration, or pass --base-url"
                ));
            }
        }
        return url;
    }
    if let Some(host) = spec.doc.get("host").and_then(Value::as_str) {
        let schemes: Vec<&str> = spec
            .doc
            .get("schemes")
            .and_then(Value::as_array)
            .map(|s| s.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let scheme = if schemes == ["http"] { "http" } else { "https" };
        return format!("{scheme}://{host}");
    }
    notes.push(
        "the spec names no server: set `base_url` in the module configuration, or pass --base-url"
            .into(),
    );
    String::new()
}

/// `https://host:port` of an http(s) URL.
fn origin_of(source: &str) -> Option<String> {
    if !super::load::is_url(source) {
        return None;
    }
    let (scheme, rest) = source.split_once("://")?;
    let host = rest.split('/').next()?;
    Some(format!("{scheme}://{host}"))
}
