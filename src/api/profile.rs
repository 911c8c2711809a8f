//! `/api/v1/profile`: the signed-in user's own record.

use actix_web::{HttpMessage, HttpRequest, HttpResponse};
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::api::body::{JsonBody, parse_params};
use crate::api::{Reply, State, ok_json};
use crate::auth::{CurrentUser, client_ip, session_client};
use crate::db::account_users::{self, Availability};
use crate::db::run_blocking;
use crate::error::{ApiError, ApiResult};
use crate::services::profile;
use crate::services::users::load_detail;
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
                Ok(profile::new_password_hash(
                    &current,
                    &stored,
                    &new_password,
                    confirmation.as_deref(),
                    cost,
                ))
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
        .map(profile::parse_availability)
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
            let change = profile::ProfileChange {
                name: params.name,
                display_name: params.display_name,
                email: params.email,
                message_signature: params.message_signature,
                ui_settings: params.ui_settings,
                new_hash,
                availability: availability.map(|a| (a, params.account_id)),
                keep_client,
            };
            profile::update(
                tx,
                user_id,
                change,
                &profile::Origin {
                    remote_ip,
                    request_id,
                },
            )
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
