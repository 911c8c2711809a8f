//! `/auth/*`: e-mail and password sign-in in devise_token_auth's wire format (Chatwoot's
//! mobile app and dashboard). A session is a `client` id with its own access token; later
//! requests send `access-token`, `client` and `uid` (see `auth::credentials`).

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};
use base64::Engine;
use serde_json::Value;

use crate::api::body::JsonBody;
use crate::api::{Reply, State};
use crate::auth::{Credentials, client_ip, credentials};
use crate::db::sessions::{self, NewSession};
use crate::db::{run_blocking, users};
use crate::domain::password;
use crate::error::{ApiError, ApiResult};
use crate::services::users::load_detail;
use crate::state::AppState;
use crate::views;

const BAD_CREDENTIALS: &str = "Invalid login credentials. Please try again.";

fn refused(text: impl Into<String>) -> ApiError {
    ApiError::Devise(StatusCode::UNAUTHORIZED, text.into())
}

/// `POST /auth/sign_in` with `{email, password}`: the user JSON under `data` and the session
/// headers. A wrong password counts toward the failed-auth limit of the caller's address.
pub async fn sign_in(req: HttpRequest, state: State, body: JsonBody) -> Reply {
    let ip = client_ip(&req, &state);
    if state.limiter.is_blocked(ip) {
        return Err(ApiError::TooManyAttempts);
    }
    let field = |name: &str| body.0.get(name).and_then(Value::as_str).unwrap_or_default();
    let email = field("email").trim().to_lowercase();
    let password = field("password").to_string();
    let user = if email.is_empty() || password.is_empty() {
        None
    } else {
        state
            .db
            .read(move |conn| -> ApiResult<_> { Ok(users::find_by_email(conn, &email)?) })
            .await?
    };
    let stored = user.as_ref().map(|u| u.encrypted_password.clone());
    let cost = state.config.bcrypt_cost;
    let matches = run_blocking(move || -> ApiResult<bool> {
        Ok(password::verify_sign_in(&password, stored.as_deref(), cost))
    })
    .await?;
    let Some(user) = user.filter(|_| matches) else {
        state.limiter.record_failure(ip);
        return Err(refused(BAD_CREDENTIALS));
    };
    if user.confirmed_at.is_none() {
        return Err(refused(format!(
            "A confirmation email was sent to your account at '{}'. You must follow the instructions \
             in the email before your account can be activated",
            user.email
        )));
    }
    let user_id = user.id;
    let (detail, session) = state
        .db
        .write(move |tx| -> ApiResult<_> {
            let session = sessions::open(tx, user_id, None)?;
            let detail = load_detail(tx, user_id)?.ok_or(ApiError::NotFound)?;
            Ok((detail, session))
        })
        .await?;
    let mut response = HttpResponse::Ok();
    for (name, value) in session_headers(&session, &detail.user.email) {
        response.insert_header((name, value));
    }
    Ok(response.json(views::user::sign_in(&detail)))
}

/// devise_token_auth 1.2's response headers for a session.
fn session_headers(session: &NewSession, uid: &str) -> Vec<(&'static str, String)> {
    let expiry = (session.expires_at / 1000).to_string();
    let fields = views::user::session_authorization(session, &expiry, uid);
    let authorization = format!(
        "Bearer {}",
        base64::engine::general_purpose::STANDARD.encode(fields.to_string())
    );
    vec![
        ("access-token", session.access_token.clone()),
        ("token-type", "Bearer".to_string()),
        ("client", session.client.clone()),
        ("expiry", expiry),
        ("uid", uid.to_string()),
        ("authorization", authorization),
    ]
}

/// The session a request presents, checked: (user id, client id).
async fn presented_session(req: &HttpRequest, state: &AppState) -> ApiResult<Option<(i64, String)>> {
    let Some(Credentials::Session { uid, client, token }) = credentials(req) else {
        return Ok(None);
    };
    state
        .db
        .read(move |conn| -> ApiResult<_> {
            Ok(sessions::authenticate(conn, &uid, &client, &token)?.map(|user_id| (user_id, client)))
        })
        .await
}

/// `GET /auth/validate_token`: the signed-in user, or devise's 401.
pub async fn validate_token(req: HttpRequest, state: State) -> Reply {
    let Some((user_id, _)) = presented_session(&req, &state).await? else {
        state.limiter.record_failure(client_ip(&req, &state));
        return Err(refused("Invalid login credentials"));
    };
    let detail = state
        .db
        .read(move |conn| load_detail(conn, user_id)?.ok_or(ApiError::NotFound))
        .await?;
    Ok(HttpResponse::Ok().json(views::user::validated_token(&detail)))
}

/// `DELETE /auth/sign_out`: ends the presented session.
pub async fn sign_out(req: HttpRequest, state: State) -> Reply {
    let not_found = || {
        ApiError::Devise(
            StatusCode::NOT_FOUND,
            "User was not found or was not logged in.".into(),
        )
    };
    let Some((user_id, client)) = presented_session(&req, &state).await? else {
        return Err(not_found());
    };
    let closed = state
        .db
        .write(move |tx| -> ApiResult<bool> { Ok(sessions::close(tx, user_id, &client)?) })
        .await?;
    if !closed {
        return Err(not_found());
    }
    Ok(HttpResponse::Ok().json(views::user::signed_out()))
}
