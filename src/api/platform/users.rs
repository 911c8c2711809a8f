//! `/platform/api/v1/users`

use actix_web::web;
use serde::Deserialize;
use serde_json::{Map, Value};

use super::ensure_permitted;
use crate::api::body::{JsonBody, parse_params};
use crate::api::{Reply, State, head_ok, ok_json};
use crate::auth::PlatformCaller;
use crate::db::platform::{self, Permissible};
use crate::db::{now_ms, run_blocking, users};
use crate::domain::tokens;
use crate::error::{ApiError, ApiResult};
use crate::services::users::{NewUser, hash_new_password, load_detail, validate_email, validate_name};
use crate::state::AppState;
use crate::views;

/// How long an SSO login link stays valid (Chatwoot: 5 minutes).
const SSO_TOKEN_TTL_MS: i64 = 5 * 60 * 1000;

/// Writable user attributes.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct UserParams {
    name: Option<String>,
    #[serde(deserialize_with = "crate::domain::params::nullable")]
    display_name: Option<Option<String>>,
    email: Option<String>,
    password: Option<String>,
    custom_attributes: Option<Map<String, Value>>,
}

/// Validate and hash the password off the async workers, if one was sent.
async fn hashed_password(state: &AppState, password: Option<String>) -> ApiResult<Option<String>> {
    let Some(password) = password else {
        return Ok(None);
    };
    let cost = state.config.bcrypt_cost;
    run_blocking(move || hash_new_password(&password, cost))
        .await
        .map(Some)
}

fn render(conn: &rusqlite::Connection, id: i64) -> ApiResult<Value> {
    let detail = load_detail(conn, id)?.ok_or(ApiError::NotFound)?;
    Ok(views::platform::user(&detail))
}

/// `POST /platform/api/v1/users`. An existing email adopts that user (its attributes are kept),
/// as Chatwoot does.
pub async fn create(state: State, caller: PlatformCaller, body: JsonBody) -> Reply {
    let params: UserParams = parse_params(body.resource("user"))?;
    let email = params.email.clone().unwrap_or_default();
    let existing = state
        .db
        .read(move |conn| -> ApiResult<_> {
            let normalized = crate::domain::validation::normalize_email(&email);
            Ok(match normalized {
                Some(email) => users::find_by_email(conn, &email)?.map(|u| u.id),
                None => None,
            })
        })
        .await?;
    let encrypted = match existing {
        Some(_) => None,
        None => {
            if params.password.as_deref().unwrap_or("").is_empty() {
                // Validate the other fields first so the message names the first problem.
                validate_name(params.name.as_deref().unwrap_or(""))?;
                return Err(ApiError::invalid("password", "Password can't be blank"));
            }
            hashed_password(&state, params.password.clone()).await?
        }
    };
    let body = state
        .db
        .write(move |tx| -> ApiResult<_> {
            let user_id = match existing {
                Some(id) => id,
                None => {
                    let new = NewUser {
                        name: params.name.unwrap_or_default(),
                        display_name: params.display_name.flatten(),
                        email: params.email.unwrap_or_default(),
                        encrypted_password: encrypted.unwrap_or_default(),
                        custom_attributes: params.custom_attributes.unwrap_or_default(),
                        ..NewUser::default()
                    };
                    crate::services::users::create(tx, new)?.id
                }
            };
            platform::grant(tx, caller.0.id, Permissible::User, user_id)?;
            render(tx, user_id)
        })
        .await?;
    Ok(ok_json(body))
}

fn find_permitted(conn: &rusqlite::Connection, app_id: i64, id: i64) -> ApiResult<users::User> {
    let user = users::find(conn, id)?.ok_or(ApiError::NotFound)?;
    ensure_permitted(conn, app_id, Permissible::User, id)?;
    Ok(user)
}

/// `GET /platform/api/v1/users/{id}`
pub async fn show(state: State, caller: PlatformCaller, path: web::Path<i64>) -> Reply {
    let id = path.into_inner();
    let body = state
        .db
        .read(move |conn| -> ApiResult<_> {
            find_permitted(conn, caller.0.id, id)?;
            render(conn, id)
        })
        .await?;
    Ok(ok_json(body))
}

/// `PATCH /platform/api/v1/users/{id}`: custom_attributes are merged into the existing ones.
pub async fn update(state: State, caller: PlatformCaller, path: web::Path<i64>, body: JsonBody) -> Reply {
    let id = path.into_inner();
    let params: UserParams = parse_params(body.resource("user"))?;
    // Check access before spending a bcrypt hash on the request.
    let app_id = caller.0.id;
    state
        .db
        .read(move |conn| find_permitted(conn, app_id, id).map(|_| ()))
        .await?;
    let encrypted = hashed_password(&state, params.password.clone().filter(|p| !p.is_empty())).await?;
    let body = state
        .db
        .write(move |tx| -> ApiResult<_> {
            let mut user = find_permitted(tx, app_id, id)?;
            if let Some(name) = params.name {
                user.name = validate_name(&name)?;
            }
            if let Some(display_name) = params.display_name {
                user.display_name = display_name;
            }
            if let Some(email) = params.email {
                user.email = validate_email(tx, &email, id)?;
            }
            let password_changed = encrypted.is_some();
            if let Some(hash) = encrypted {
                user.encrypted_password = hash;
            }
            if let Some(custom) = params.custom_attributes {
                user.custom_attributes.extend(custom);
            }
            users::update(tx, &user)?;
            if password_changed {
                crate::services::users::password_changed(tx, id, None)?;
            }
            render(tx, id)
        })
        .await?;
    Ok(ok_json(body))
}

/// `DELETE /platform/api/v1/users/{id}`
pub async fn destroy(state: State, caller: PlatformCaller, path: web::Path<i64>) -> Reply {
    let id = path.into_inner();
    state
        .db
        .write(move |tx| -> ApiResult<_> {
            find_permitted(tx, caller.0.id, id)?;
            Ok(users::delete(tx, id)?)
        })
        .await?;
    Ok(head_ok())
}

/// `GET /platform/api/v1/users/{id}/login`: a single-use, five-minute SSO link.
pub async fn login(state: State, caller: PlatformCaller, path: web::Path<i64>) -> Reply {
    let id = path.into_inner();
    let token = tokens::hex_secret();
    let digest = tokens::digest(&token);
    let email = state
        .db
        .write(move |tx| -> ApiResult<_> {
            let user = find_permitted(tx, caller.0.id, id)?;
            users::insert_sso_token(tx, user.id, &digest, now_ms() + SSO_TOKEN_TTL_MS)?;
            Ok(user.email)
        })
        .await?;
    let email: String = url_encode(&email);
    let url = format!(
        "{}/app/login?email={email}&sso_auth_token={token}",
        state.config.frontend_url()
    );
    Ok(ok_json(views::platform::login_link(&url)))
}

/// Percent-encode a query value (ERB::Util.url_encode).
fn url_encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => char::from(b).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
