//! GitHub and GitHub Enterprise: `POST /user/repos` for the token's own account,
//! `POST /orgs/{owner}/repos` for an organisation.

use serde_json::json;

use super::http::{encode_segment, Api};
use super::{already_exists, CreateRepo, CreatedRepo, Forge, Visibility};
use crate::core::failure::Failure;
use crate::core::token::Token;

pub fn create(api_url: &str, request: &CreateRepo, token: &Token) -> Result<CreatedRepo, Failure> {
    let api = Api {
        base: api_url.to_string(),
        token,
        provider: "GitHub",
    };
    let path = match &request.owner {
        Some(owner) if !is_own_login(&api, owner)? => {
            format!("/orgs/{}/repos", encode_segment(owner))
        }
        _ => "/user/repos".to_string(),
    };
    let mut body = json!({
        "name": request.name,
        "private": request.visibility == Visibility::Private,
        "auto_init": false,
    });
    if let Some(description) = &request.description {
        body["description"] = json!(description);
    }
    let reply = api.post(&path, &body)?;
    let owner_label = request
        .owner
        .clone()
        .unwrap_or_else(|| "your account".to_string());
    match reply.status {
        201 => {
            let value = reply.json();
            let text = |key: &str| {
                value
                    .get(key)
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_string()
            };
            let created = CreatedRepo {
                full_name: text("full_name"),
                web_url: text("html_url"),
                https_url: text("clone_url"),
                ssh_url: text("ssh_url"),
            };
            if created.https_url.is_empty() {
                return Err(api.unexpected("creating the repository", &reply));
            }
            Ok(created)
        }
        422 if reply.body.contains("already exists") => Err(already_exists(
            Forge::GitHub,
            &format!("{owner_label}/{}", request.name),
        )),
        401 => Err(api.rejected_token()),
        403 | 404 if path.starts_with("/orgs/") => Err(Failure::with_hint(
            format!(
                "GitHub refused to create a repository in {owner_label} (HTTP {})",
                reply.status
            ),
            "check the organisation name and that the token may create repositories there",
        )),
        _ => Err(api.unexpected("creating the repository", &reply)),
    }
}

/// Whether `owner` is the token's own login, which GitHub wants on `/user/repos`, not `/orgs/..`.
fn is_own_login(api: &Api, owner: &str) -> Result<bool, Failure> {
    let reply = api.get("/user")?;
    match reply.status {
        200 => Ok(reply
            .json()
            .get("login")
            .and_then(|l| l.as_str())
            .is_some_and(|l| l.eq_ignore_ascii_case(owner))),
        401 => Err(api.rejected_token()),
        _ => Err(api.unexpected("reading the token's account", &reply)),
    }
}
