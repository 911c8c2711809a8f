//! `/app/accounts/{account_id}/profile`: the user's name and display name, password,
//! availability in this account and personal access token, through `services::profile` (the
//! same transaction as `PUT /api/v1/profile`).

use actix_web::http::StatusCode;
use actix_web::{HttpMessage, HttpRequest, web};
use askama::Template;

use super::session::{AppMember, Posted};
use super::{Chrome, PageError, PageResult, page_response, remember_theme, see_other};
use crate::auth::client_ip;
use crate::db::access_tokens::{self, OwnerType};
use crate::db::account_users::Availability;
use crate::db::run_blocking;
use crate::error::{ApiError, ApiResult};
use crate::services::profile::{self, Origin, ProfileChange, new_password_hash, parse_availability};
use crate::state::AppState;

/// The profile page.
#[derive(Template)]
#[template(path = "app/profile.html")]
pub struct ProfilePage {
    pub chrome: Chrome,
    pub base: String,
    pub name: String,
    pub display_name: String,
    pub email: String,
    pub availability: &'static str,
    pub availabilities: Vec<(&'static str, &'static str)>,
    pub token: String,
    pub error: String,
    pub password_error: String,
    pub notice: String,
}

/// `?saved=` after a form.
#[derive(Debug, Default, serde::Deserialize)]
pub struct Notice {
    saved: Option<String>,
}

async fn render(
    req: &HttpRequest,
    state: &AppState,
    app: &AppMember,
    adjust: impl FnOnce(&mut ProfilePage),
    status: StatusCode,
) -> PageResult {
    let t = app.t;
    let user_id = app.session.user.id;
    let token = state
        .db
        .read(move |conn| -> ApiResult<_> { Ok(access_tokens::token_of(conn, OwnerType::User, user_id)?) })
        .await
        .map_err(|e| PageError::api(t, e))?
        .unwrap_or_default();
    let base = format!("/app/accounts/{}/profile", app.member.account_id());
    let user = &app.session.user;
    let mut page = ProfilePage {
        chrome: Chrome::for_member(app, "profile", t.profile, &base),
        base,
        name: user.name.clone(),
        display_name: user.display_name.clone().unwrap_or_default(),
        email: user.email.clone(),
        availability: app.member.account_user.availability.as_str(),
        availabilities: [Availability::Online, Availability::Busy, Availability::Offline]
            .iter()
            .zip(t.availabilities)
            .map(|(a, label)| (a.as_str(), label))
            .collect(),
        token,
        error: String::new(),
        password_error: String::new(),
        notice: String::new(),
    };
    adjust(&mut page);
    Ok(remember_theme(req, page_response(status, &page)))
}

/// `GET …/profile`
pub async fn show(
    req: HttpRequest,
    state: web::Data<AppState>,
    app: AppMember,
    query: web::Query<Notice>,
) -> PageResult {
    let t = app.t;
    let notice = match query.saved.as_deref() {
        Some("password") => t.password_changed,
        Some(_) => t.saved,
        None => "",
    };
    render(
        &req,
        &state,
        &app,
        |p| p.notice = notice.to_string(),
        StatusCode::OK,
    )
    .await
}

fn origin(req: &HttpRequest, state: &AppState) -> Origin {
    Origin {
        remote_ip: client_ip(req, state).to_string(),
        request_id: req
            .extensions()
            .get::<tracing_actix_web::RequestId>()
            .map(ToString::to_string)
            .unwrap_or_default(),
    }
}

fn refused_text(err: ApiError) -> Result<String, ApiError> {
    match err {
        ApiError::Validation { message, .. } | ApiError::Unprocessable(message) => Ok(message),
        other => Err(other),
    }
}

async fn apply(
    req: &HttpRequest,
    state: &AppState,
    app: &AppMember,
    change: ProfileChange,
    saved: &str,
    password_form: bool,
) -> PageResult {
    let user_id = app.session.user.id;
    let origin = origin(req, state);
    let result = state
        .db
        .write(move |tx| profile::update(tx, user_id, change, &origin))
        .await;
    refused_or_done(req, state, app, result, saved, password_form).await
}

async fn refused_or_done(
    req: &HttpRequest,
    state: &AppState,
    app: &AppMember,
    result: ApiResult<()>,
    saved: &str,
    password_form: bool,
) -> PageResult {
    match result {
        Ok(()) => Ok(see_other(&format!(
            "/app/accounts/{}/profile?saved={saved}",
            app.member.account_id()
        ))),
        Err(err) => {
            let error = refused_text(err).map_err(|e| PageError::api(app.t, e))?;
            render(
                req,
                state,
                app,
                |p| {
                    if password_form {
                        p.password_error = error;
                    } else {
                        p.error = error;
                    }
                },
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

/// `POST …/profile` (`name`, `display_name`).
pub async fn update(req: HttpRequest, state: web::Data<AppState>, posted: Posted) -> PageResult {
    let Posted { app, form } = posted;
    let change = ProfileChange {
        name: Some(form.get("name").unwrap_or("").to_string()),
        display_name: Some(
            form.get("display_name")
                .filter(|d| !d.is_empty())
                .map(str::to_string),
        ),
        ..ProfileChange::default()
    };
    apply(&req, &state, &app, change, "1", false).await
}

/// `POST …/profile/availability` (`availability`: online, busy, offline) in this account.
pub async fn availability(req: HttpRequest, state: web::Data<AppState>, posted: Posted) -> PageResult {
    let Posted { app, form } = posted;
    let parsed = parse_availability(form.get("availability").unwrap_or(""));
    match parsed {
        Ok(a) => {
            let change = ProfileChange {
                availability: Some((a, Some(app.member.account_id()))),
                ..ProfileChange::default()
            };
            apply(&req, &state, &app, change, "1", false).await
        }
        Err(err) => refused_or_done(&req, &state, &app, Err(err), "", false).await,
    }
}

/// `POST …/profile/password` (`current_password`, `password`, `password_confirmation`): this
/// session stays signed in, the others end. A wrong current password counts as a failed
/// attempt of the address.
pub async fn password(req: HttpRequest, state: web::Data<AppState>, posted: Posted) -> PageResult {
    let Posted { app, form } = posted;
    let ip = client_ip(&req, &state);
    if state.limiter.is_blocked(ip) {
        let text = app.t.too_many.to_string();
        return refused_or_done(&req, &state, &app, Err(ApiError::Unprocessable(text)), "", true).await;
    }
    let current = form.raw("current_password").unwrap_or("").to_string();
    let new_password = form.raw("password").unwrap_or("").to_string();
    let confirmation = form.raw("password_confirmation").unwrap_or("").to_string();
    let stored = app.session.user.encrypted_password.clone();
    let cost = state.config.bcrypt_cost;
    let hashed = run_blocking(move || -> ApiResult<Result<String, ApiError>> {
        Ok(new_password_hash(
            &current,
            &stored,
            &new_password,
            Some(&confirmation),
            cost,
        ))
    })
    .await
    .map_err(|e| PageError::api(app.t, e))?;
    match hashed {
        Ok(hash) => {
            let change = ProfileChange {
                new_hash: Some(hash),
                keep_client: Some(app.session.client.clone()),
                ..ProfileChange::default()
            };
            apply(&req, &state, &app, change, "password", true).await
        }
        Err(err) => {
            if matches!(err, ApiError::Unprocessable(_)) {
                state.limiter.record_failure(ip);
            }
            refused_or_done(&req, &state, &app, Err(err), "", true).await
        }
    }
}

/// `POST …/profile/token`: a new personal access token.
pub async fn reset_token(state: web::Data<AppState>, posted: Posted) -> PageResult {
    let app = posted.app;
    let user_id = app.session.user.id;
    state
        .db
        .write(move |tx| profile::reset_access_token(tx, user_id))
        .await
        .map_err(|e| PageError::api(app.t, e))?;
    Ok(see_other(&format!(
        "/app/accounts/{}/profile?saved=1#token",
        app.member.account_id()
    )))
}
