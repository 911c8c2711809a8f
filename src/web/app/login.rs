//! Sign-in (e-mail and password, or the Platform API's single-use SSO link), sign-out, the
//! "forgot password" notice and the account switcher.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use super::session::{
    self, AppMember, AppSession, LOGIN_CSRF_COOKIE, PostedSession, browser_texts, is_https, plain_form,
    removal, session_cookie,
};
use super::texts::AppTexts;
use super::{Chrome, MessagePage, PageError, PageResult, ok_page, page_response, see_other, theme_of};
use crate::auth::client_ip;
use crate::db::account_users;
use crate::db::sessions;
use crate::db::users;
use crate::db::{run_blocking, users::User};
use crate::domain::{password, tokens};
use crate::error::ApiError;
use crate::state::AppState;

/// The sign-in page.
#[derive(Template)]
#[template(path = "app/login.html")]
pub struct LoginPage {
    pub chrome: Chrome,
    pub csrf: String,
    pub email: String,
    pub next: String,
    pub error: String,
}

/// Query of `GET /app/login`.
#[derive(Debug, serde::Deserialize)]
pub struct LoginQuery {
    email: Option<String>,
    sso_auth_token: Option<String>,
    next: Option<String>,
}

/// A `next` that stays inside the app (no open redirect).
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with("/app/") && !n.starts_with("/app//") && !n.contains('\\') => n.to_string(),
        _ => "/app".to_string(),
    }
}

fn login_page(req: &HttpRequest, status: StatusCode, email: &str, next: &str, error: &str) -> HttpResponse {
    let t = browser_texts(req);
    let existing = req
        .cookie(LOGIN_CSRF_COOKIE)
        .map(|c| c.value().to_string())
        .filter(|v| v.len() == 40);
    let csrf = existing.clone().unwrap_or_else(|| tokens::base58(40));
    let page = LoginPage {
        chrome: Chrome::plain(t, theme_of(req), t.sign_in),
        csrf: csrf.clone(),
        email: email.to_string(),
        next: next.to_string(),
        error: error.to_string(),
    };
    let mut response = page_response(status, &page);
    if existing.is_none()
        && let Some(state) = req.app_data::<web::Data<AppState>>()
    {
        let _ = response.add_cookie(&session::cookie(
            LOGIN_CSRF_COOKIE,
            csrf,
            is_https(req, state),
            None,
        ));
    }
    super::remember_theme(req, response)
}

/// Open a session for `user` and answer with its cookie and a redirect to `next`.
async fn signed_in(req: &HttpRequest, state: &AppState, user: &User, next: &str) -> PageResult {
    let t = browser_texts(req);
    let user_id = user.id;
    let client = format!("web-{}", tokens::base58(20));
    let opened = state
        .db
        .write(move |tx| -> Result<_, ApiError> { Ok(sessions::open(tx, user_id, Some(&client))?) })
        .await
        .map_err(|e| PageError::api(t, e))?;
    let secure = is_https(req, state);
    let mut response = see_other(next);
    let _ = response.add_cookie(&session_cookie(
        user_id,
        &opened.client,
        &opened.access_token,
        secure,
    ));
    let _ = response.add_cookie(&removal(LOGIN_CSRF_COOKIE, secure));
    Ok(response)
}

/// `GET /app/login`: the form, or an SSO link (`?email=&sso_auth_token=`) that signs in once.
pub async fn show(req: HttpRequest, state: web::Data<AppState>, query: web::Query<LoginQuery>) -> PageResult {
    let t = browser_texts(&req);
    let query = query.into_inner();
    let next = safe_next(query.next.as_deref());
    if let (Some(email), Some(token)) = (query.email.as_deref(), query.sso_auth_token.as_deref()) {
        return sso(&req, &state, t, email, token).await;
    }
    Ok(login_page(&req, StatusCode::OK, "", &next, ""))
}

async fn sso(
    req: &HttpRequest,
    state: &AppState,
    t: &'static AppTexts,
    email: &str,
    token: &str,
) -> PageResult {
    let ip = client_ip(req, state);
    if state.limiter.is_blocked(ip) {
        return Ok(login_page(
            req,
            StatusCode::TOO_MANY_REQUESTS,
            email,
            "/app",
            t.too_many,
        ));
    }
    let (digest, address) = (tokens::digest(token), email.to_string());
    let user = state
        .db
        .write(move |tx| -> Result<Option<User>, ApiError> {
            match users::consume_sso_token(tx, &digest, &address)? {
                Some(id) => Ok(users::find(tx, id)?),
                None => Ok(None),
            }
        })
        .await
        .map_err(|e| PageError::api(t, e))?;
    match user {
        Some(user) => signed_in(req, state, &user, "/app").await,
        None => {
            state.limiter.record_failure(ip);
            Ok(login_page(
                req,
                StatusCode::UNAUTHORIZED,
                email,
                "/app",
                t.sso_invalid,
            ))
        }
    }
}

/// `POST /app/login` (`email`, `password`, `next`, `_csrf`).
pub async fn submit(req: HttpRequest, state: web::Data<AppState>, payload: web::Payload) -> PageResult {
    let t = browser_texts(&req);
    let form = plain_form(&req, payload).await?;
    let expected = req.cookie(LOGIN_CSRF_COOKIE).map(|c| c.value().to_string());
    match (expected, form.get(session::CSRF_FIELD)) {
        (Some(expected), Some(sent)) if tokens::secrets_equal(&expected, sent) => {}
        _ => return Err(PageError::Csrf(t)),
    }
    let email = form.get("email").unwrap_or("").to_lowercase();
    let password = form.raw("password").unwrap_or("").to_string();
    let next = safe_next(form.get("next"));
    let ip = client_ip(&req, &state);
    if state.limiter.is_blocked(ip) {
        return Ok(login_page(
            &req,
            StatusCode::TOO_MANY_REQUESTS,
            &email,
            &next,
            t.too_many,
        ));
    }
    let lookup = email.clone();
    let user = if email.is_empty() || password.is_empty() {
        None
    } else {
        state
            .db
            .read(move |conn| -> Result<_, ApiError> { Ok(users::find_by_email(conn, &lookup)?) })
            .await
            .map_err(|e| PageError::api(t, e))?
    };
    let stored = user.as_ref().map(|u| u.encrypted_password.clone());
    let cost = state.config.bcrypt_cost;
    let matches = run_blocking(move || -> Result<bool, ApiError> {
        Ok(password::verify_sign_in(&password, stored.as_deref(), cost))
    })
    .await
    .map_err(|e| PageError::api(t, e))?;
    let Some(user) = user.filter(|_| matches) else {
        state.limiter.record_failure(ip);
        return Ok(login_page(
            &req,
            StatusCode::UNAUTHORIZED,
            &email,
            &next,
            t.bad_credentials,
        ));
    };
    if user.confirmed_at.is_none() {
        return Ok(login_page(
            &req,
            StatusCode::UNAUTHORIZED,
            &email,
            &next,
            t.unconfirmed,
        ));
    }
    signed_in(&req, &state, &user, &next).await
}

/// `POST /app/logout`: ends this session only.
pub async fn logout(req: HttpRequest, state: web::Data<AppState>, posted: PostedSession) -> PageResult {
    let t = browser_texts(&req);
    let (user_id, client) = (posted.session.user.id, posted.session.client.clone());
    state
        .db
        .write(move |tx| -> Result<_, ApiError> { Ok(sessions::close(tx, user_id, &client)?) })
        .await
        .map_err(|e| PageError::api(t, e))?;
    let mut response = see_other("/app/login");
    let _ = response.add_cookie(&removal(session::SESSION_COOKIE, is_https(&req, &state)));
    Ok(response)
}

/// `GET /app/forgot_password`: there is no mail transport, so say so.
pub async fn forgot(req: HttpRequest) -> PageResult {
    let t = browser_texts(&req);
    ok_page(&MessagePage {
        chrome: Chrome::plain(t, theme_of(&req), t.forgot_title),
        heading: t.forgot_title.to_string(),
        body: t.forgot_body.to_string(),
        link: "/app/login".to_string(),
        link_text: t.back_to_sign_in.to_string(),
    })
}

/// `GET /app`: the user's active account (the most recently used).
pub async fn home(req: HttpRequest, session: AppSession) -> PageResult {
    match session.memberships.first() {
        Some(m) => Ok(see_other(&format!(
            "/app/accounts/{}/conversations",
            m.account_user.account_id
        ))),
        None => {
            let t = browser_texts(&req);
            ok_page(&MessagePage {
                chrome: Chrome::plain(t, session.theme, t.accounts),
                heading: t.accounts.to_string(),
                body: t.no_accounts.to_string(),
                link: "/app/login".to_string(),
                link_text: t.back_to_sign_in.to_string(),
            })
        }
    }
}

/// `GET /app/accounts/{account_id}`: the account's conversations.
pub async fn account_root(app: AppMember) -> PageResult {
    Ok(see_other(&format!(
        "/app/accounts/{}/conversations",
        app.member.account_id()
    )))
}

/// `POST /app/accounts/{account_id}/switch`: make this the active account, then open it.
pub async fn switch(state: web::Data<AppState>, posted: super::session::Posted) -> PageResult {
    let app = posted.app;
    let id = app.member.account_user.id;
    let t = app.t;
    state
        .db
        .write(move |tx| -> Result<_, ApiError> { Ok(account_users::touch_active(tx, id)?) })
        .await
        .map_err(|e| PageError::api(t, e))?;
    account_root(app).await
}

/// The set-password page of an invited agent.
#[derive(Template)]
#[template(path = "app/set_password.html")]
pub struct SetPasswordPage {
    pub chrome: Chrome,
    pub csrf: String,
    pub email: String,
    pub token: String,
    pub error: String,
}

/// `?email=&token=` of a set-password link.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct SetPasswordQuery {
    email: String,
    token: String,
}

fn set_password_page(
    req: &HttpRequest,
    status: StatusCode,
    email: &str,
    token: &str,
    error: &str,
) -> HttpResponse {
    let t = browser_texts(req);
    let existing = req
        .cookie(LOGIN_CSRF_COOKIE)
        .map(|c| c.value().to_string())
        .filter(|v| v.len() == 40);
    let csrf = existing.clone().unwrap_or_else(|| tokens::base58(40));
    let page = SetPasswordPage {
        chrome: Chrome::plain(t, theme_of(req), t.set_password_title),
        csrf: csrf.clone(),
        email: email.to_string(),
        token: token.to_string(),
        error: error.to_string(),
    };
    let mut response = page_response(status, &page);
    if existing.is_none()
        && let Some(state) = req.app_data::<web::Data<AppState>>()
    {
        let _ = response.add_cookie(&session::cookie(
            LOGIN_CSRF_COOKIE,
            csrf,
            is_https(req, state),
            None,
        ));
    }
    response
}

/// `GET /app/password?email=&token=`: the form (the token is spent only when a valid
/// password is submitted).
pub async fn set_password_form(req: HttpRequest, query: web::Query<SetPasswordQuery>) -> PageResult {
    Ok(set_password_page(
        &req,
        StatusCode::OK,
        &query.email,
        &query.token,
        "",
    ))
}

/// `POST /app/password` (`email`, `token`, `password`, `password_confirmation`, `_csrf`):
/// the password is checked and hashed first, then the token is spent, the user confirmed and
/// signed in.
pub async fn set_password(req: HttpRequest, state: web::Data<AppState>, payload: web::Payload) -> PageResult {
    let t = browser_texts(&req);
    let form = plain_form(&req, payload).await?;
    let expected = req.cookie(LOGIN_CSRF_COOKIE).map(|c| c.value().to_string());
    match (expected, form.get(session::CSRF_FIELD)) {
        (Some(expected), Some(sent)) if tokens::secrets_equal(&expected, sent) => {}
        _ => return Err(PageError::Csrf(t)),
    }
    let email = form.get("email").unwrap_or("").to_string();
    let token = form.get("token").unwrap_or("").to_string();
    let ip = client_ip(&req, &state);
    if state.limiter.is_blocked(ip) {
        return Ok(set_password_page(
            &req,
            StatusCode::TOO_MANY_REQUESTS,
            &email,
            &token,
            t.too_many,
        ));
    }
    let password = form.raw("password").unwrap_or("").to_string();
    if form.raw("password_confirmation") != Some(password.as_str()) {
        let text = "Password confirmation doesn't match Password";
        return Ok(set_password_page(
            &req,
            StatusCode::UNPROCESSABLE_ENTITY,
            &email,
            &token,
            text,
        ));
    }
    let cost = state.config.bcrypt_cost;
    let hashed = run_blocking(move || -> Result<Result<String, ApiError>, ApiError> {
        Ok(crate::services::users::hash_new_password(&password, cost))
    })
    .await
    .map_err(|e| PageError::api(t, e))?;
    let hash = match hashed {
        Ok(hash) => hash,
        Err(ApiError::Validation { message, .. }) => {
            return Ok(set_password_page(
                &req,
                StatusCode::UNPROCESSABLE_ENTITY,
                &email,
                &token,
                &message,
            ));
        }
        Err(other) => return Err(PageError::api(t, other)),
    };
    let (address, secret) = (email.clone(), token.clone());
    let user = state
        .db
        .write(move |tx| -> Result<Option<User>, ApiError> {
            match crate::services::agents::set_password_with_token(tx, &address, &secret, hash)? {
                Some(id) => Ok(users::find(tx, id)?),
                None => Ok(None),
            }
        })
        .await
        .map_err(|e| PageError::api(t, e))?;
    match user {
        Some(user) => signed_in(&req, &state, &user, "/app").await,
        None => {
            state.limiter.record_failure(ip);
            Ok(set_password_page(
                &req,
                StatusCode::UNAUTHORIZED,
                &email,
                &token,
                t.sso_invalid,
            ))
        }
    }
}
