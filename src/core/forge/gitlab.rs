//! GitLab.com and self-hosted GitLab: `POST /api/v4/projects`, in the namespace named by `--owner`
//! (looked up through `GET /api/v4/namespaces/{owner}`) or the token's own.

use serde_json::json;

use super::http::{encode_segment, Api};
use super::{already_exists, CreateRepo, CreatedRepo, Forge, Visibility};
use crate::core::failure::Failure;
use crate::core::token::Token;

pub fn create(api_url: &str, request: &CreateRepo, token: &Token) -> Result<CreatedRepo, Failure> {
    let base = if api_url.ends_with("/api/v4") {
        api_url.to_string()
    } else {
        format!("{api_url}/api/v4")
    };
    let api = Api {
        base,
        token,
        provider: "GitLab",
    };
    let mut body = json!({
        "name": request.name,
        "path": request.name,
        "visibility": match request.visibility {
            Visibility::Private => "private",
            Visibility::Public => "public",
        },
        "initialize_with_readme": false,
    });
    if let Some(owner) = &request.owner {
        body["namespace_id"] = json!(namespace_id(&api, owner)?);
    }
    if let Some(description) = &request.description {
        body["description"] = json!(description);
    }
    let reply = api.post("/projects", &body)?;
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
                full_name: text("path_with_namespace"),
                web_url: text("web_url"),
                https_url: text("http_url_to_repo"),
                ssh_url: text("ssh_url_to_repo"),
            };
            if created.https_url.is_empty() {
                return Err(api.unexpected("creating the project", &reply));
            }
            Ok(created)
        }
        400 if reply.body.contains("has already been taken") => {
            let owner = request
                .owner
                .clone()
                .unwrap_or_else(|| "your namespace".to_string());
            Err(already_exists(
                Forge::GitLab,
                &format!("{owner}/{}", request.name),
            ))
        }
        401 => Err(api.rejected_token()),
        _ => Err(api.unexpected("creating the project", &reply)),
    }
}

fn namespace_id(api: &Api, owner: &str) -> Result<u64, Failure> {
    let reply = api.get(&format!("/namespaces/{}", encode_segment(owner)))?;
    match reply.status {
        200 => reply
            .json()
            .get("id")
            .and_then(|id| id.as_u64())
            .ok_or_else(|| api.unexpected("looking up the namespace", &reply)),
        401 => Err(api.rejected_token()),
        404 => Err(Failure::with_hint(
            format!("GitLab has no group or user named {owner} that the token can see"),
            "check --owner (a group path such as acme/automation) and the token's access",
        )),
        _ => Err(api.unexpected("looking up the namespace", &reply)),
    }
}
