//! `/api/v1/profile`: the signed-in user's own record.

use actix_web::{HttpMessage, HttpRequest, HttpResponse};
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::api::body::{JsonBody, parse_params};
use crate::api::{Reply, State, ok_json};
use crate::auth::{CurrentUser, client_ip, session_client};
use crate::db::account_users::{self, Availability};
use crate::db::{run_blocking, users};
use crate::domain::password;
use crate::error::{ApiError, ApiResult};
use crate::services::audit::{self, Actor};
use crate::services::users::{
    hash_new_password, load_detail, password_changed as password_changed_for, validate_email, validate_name,
};
use crate::state::AppState;
use crate::views;

/// `profile` attributes accepted by update.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ProfileParams {
    name: Option<String>,
    #[serde(deserialize_with = "crate::domain::params::nullable")]
    display_name: Option<Option<String>>,
    email: Option<String>,
    #[serde(deserialize_with = "crate::domain::params::nullable")]
    message_signature: Option<Option<String>>,
    ui_settings: Option<Map<String, Value>>,
    availability: Option<String>,
    account_id: Option<i64>,
    password: Option<String>,
    password_confirmation: Option<String>,
    current_password: Option<String>,
}

async fn render(state: &AppState, user_id: i64) -> ApiResult<HttpResponse> {
    let detail = state
        .db
        .read(move |conn| load_detail(conn, user_id)?.ok_or(ApiError::NotFound))
        .await?;
    Ok(ok_json(views::user::profile(&detail)))
}

/// `GET /api/v1/profile`
pub async fn show(state: State, user: CurrentUser) -> Reply {
    render(&state, user.0.id).await
}

/// `PUT|PATCH /api/v1/profile`. A password change needs the current password; everything is
/// applied in one transaction.
pub async fn update(req: HttpRequest, state: State, user: CurrentUser, body: JsonBody) -> Reply {
    let params: ProfileParams = parse_params(body.require("profile")?)?;
    let user = user.0;
    let new_hash = match params.password.clone().filter(|p| !p.is_empty()) {
        None => None,
        Some(new_password) => {
            let ip = client_ip(&req, &state);
            if state.limiter.is_blocked(ip) {
                return Err(ApiError::TooManyAttempts);
            }
            let current = params.current_password.clone().unwrap_or_default();
            let stored = user.encrypted_password.clone();
            let confirmation = params.password_confirmation.clone();
            let cost = state.config.bcrypt_cost;
            let outcome = run_blocking(move || -> ApiResult<Result<String, ApiError>> {
                if !password::verify(&current, &stored) {
                    return Ok(Err(ApiError::Unprocessable("Invalid current password".into())));
                }
                if confirmation.is_some_and(|c| c != new_password) {
                    return Ok(Err(ApiError::invalid(
                        "password_confirmation",
                        "Password confirmation doesn't match Password",
                    )));
                }
                Ok(hash_new_password(&new_password, cost))
            })
            .await?;
            match outcome {
                Ok(hash) => Some(hash),
                Err(ApiError::Unprocessable(message)) => {
                    state.limiter.record_failure(ip);
                    return Err(ApiError::Unprocessable(message));
                }
                Err(other) => return Err(other),
            }
        }
    };
    let availability = params
        .availability
        .as_deref()
        .map(|name| {
            Availability::parse(name).ok_or_else(|| {
                ApiError::invalid(
                    "availability",
                    format!("Availability '{name}' is not valid (online, offline, busy)"),
                )
            })
        })
        .transpose()?;
    let user_id = user.id;
    let remote_ip = client_ip(&req, &state).to_string();
    let keep_client = session_client(&req);
    let request_id = req
        .extensions()
        .get::<tracing_actix_web::RequestId>()
        .map(ToString::to_string)
        .unwrap_or_default();
    state
        .db
        .write(move |tx| -> ApiResult<()> {
            let mut user = users::find(tx, user_id)?.ok_or(ApiError::NotFound)?;
            let before = views::user::profile_audit(&user);
            let password_changed = new_hash.is_some();
            if let Some(name) = params.name {
                user.name = validate_name(&name)?;
            }
            if let Some(display_name) = params.display_name {
                user.display_name = display_name;
            }
            if let Some(email) = params.email {
                user.email = validate_email(tx, &email, user.id)?;
            }
            if let Some(signature) = params.message_signature {
                user.message_signature = signature;
            }
            if let Some(ui_settings) = params.ui_settings {
                user.ui_settings = ui_settings;
            }
            if let Some(hash) = new_hash {
                user.encrypted_password = hash;
            }
            users::update(tx, &user)?;
            if password_changed {
                password_changed_for(tx, user.id, keep_client.as_deref())?;
            }
            let mut after = views::user::profile_audit(&user);
            if password_changed && let Some(map) = after.as_object_mut() {
                map.insert("password".into(), Value::from("[changed]"));
            }
            for membership in account_users::memberships_of_user(tx, user.id)? {
                let actor = Actor {
                    account_id: membership.account_user.account_id,
                    user_id: user.id,
                    username: user.email.clone(),
                    remote_ip: remote_ip.clone(),
                    request_id: request_id.clone(),
                };
                audit::updated(tx, &actor, "User", user.id, &before, &after)?;
            }
            if let Some(availability) = availability {
                let memberships = account_users::memberships_of_user(tx, user.id)?;
                let target = match params.account_id {
                    Some(account_id) => memberships
                        .iter()
                        .find(|m| m.account_user.account_id == account_id),
                    None => memberships.first(),
                };
                let target =
                    target.ok_or_else(|| ApiError::invalid("account_id", "Account is not one of yours"))?;
                account_users::set_availability(tx, target.account_user.id, availability)?;
            }
            Ok(())
        })
        .await?;
    render(&state, user_id).await
}

/// `POST /api/v1/profile/availability {profile: {availability, account_id}}`
pub async fn availability(state: State, user: CurrentUser, body: JsonBody) -> Reply {
    let attrs = body.require("profile")?;
    let name = attrs
        .get("availability")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let availability = Availability::parse(&name).ok_or_else(|| {
        ApiError::invalid(
            "availability",
            format!("Availability '{name}' is not valid (online, offline, busy)"),
        )
    })?;
    let account_id = match attrs.get("account_id") {
        Some(Value::Number(n)) => n.as_i64(),
        Some(Value::String(s)) => s.trim().parse().ok(),
        _ => None,
    }
    .ok_or_else(|| ApiError::ParamMissing("account_id".into()))?;
    let user_id = user.0.id;
    state
        .db
        .write(move |tx| -> ApiResult<()> {
            let membership = account_users::find(tx, account_id, user_id)?.ok_or(ApiError::NotFound)?;
            account_users::set_availability(tx, membership.id, availability)?;
            Ok(())
        })
        .await?;
    render(&state, user_id).await
}

/// `PUT /api/v1/profile/set_active_account {profile: {account_id}}`: the account the user JSON's
/// `account_id` names from now on. Not a member of it → 404 (Chatwoot raises and answers 500).
pub async fn set_active_account(state: State, user: CurrentUser, body: JsonBody) -> Reply {
    let attrs = body.require("profile")?;
    let account_id = match attrs.get("account_id") {
        Some(Value::Number(n)) => n.as_i64(),
        Some(Value::String(s)) => s.trim().parse().ok(),
        _ => None,
    }
    .ok_or_else(|| ApiError::ParamMissing("account_id".into()))?;
    let user_id = user.0.id;
    state
        .db
        .write(move |tx| -> ApiResult<()> {
            let membership = account_users::find(tx, account_id, user_id)?.ok_or(ApiError::NotFound)?;
            account_users::touch_active(tx, membership.id)?;
            Ok(())
        })
        .await?;
    Ok(crate::api::head_ok())
}
