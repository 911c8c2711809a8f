//! The agent app's sign-in session: a `user_sessions` row (the same table as devise_token_auth's
//! sessions of the JSON API) named by an HttpOnly, SameSite=Lax cookie, and the per-session CSRF
//! token every form carries.
//!
//! Cookie value: `<user id>.<client id>.<access token>`; the row is found by its unique
//! `(user_id, client)` index and the token compared by digest in constant time. The CSRF token
//! is derived from the session's secret token (SHA-256 of a fixed prefix and the token), so it
//! needs no storage, changes with every sign-in and cannot be computed without the cookie.

use std::future::Future;
use std::pin::Pin;

use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieDuration};
use actix_web::{FromRequest, HttpRequest, dev::Payload, web};

use super::texts::{AppTexts, app_texts, from_accept_language};
use super::{PageError, theme_of};
use crate::auth::{AccountMember, account_member};
use crate::db::account_users::{self, Membership};
use crate::db::sessions::{self, LIFESPAN_MS};
use crate::db::users::{self, User};
use crate::domain::tokens;
use crate::error::ApiError;
use crate::state::AppState;

/// The session cookie.
pub const SESSION_COOKIE: &str = "parlor_session";
/// The sign-in form's CSRF cookie (there is no session yet to derive a token from).
pub const LOGIN_CSRF_COOKIE: &str = "parlor_login_csrf";
/// The hidden form field carrying the CSRF token.
pub const CSRF_FIELD: &str = "_csrf";

/// The CSRF token of a session secret.
pub fn csrf_token(secret: &str) -> String {
    tokens::digest(&format!("parlor-app-csrf:{secret}"))[..40].to_string()
}

/// Whether the request reached us over https (directly or, with `--trust-proxy`, through a
/// proxy), or the configured public URL is https: then cookies are `Secure`.
pub fn is_https(req: &HttpRequest, state: &AppState) -> bool {
    state.config.frontend_url().starts_with("https://")
        || (state.config.trust_proxy && req.connection_info().scheme() == "https")
        || req.uri().scheme_str() == Some("https")
}

/// A cookie of the app: HttpOnly, SameSite=Lax, path `/app`, Secure over https.
pub fn cookie<'c>(name: &'c str, value: String, secure: bool, max_age_ms: Option<i64>) -> Cookie<'c> {
    let mut builder = Cookie::build(name, value)
        .path("/app")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure);
    if let Some(ms) = max_age_ms {
        builder = builder.max_age(CookieDuration::milliseconds(ms));
    }
    builder.finish()
}

/// The session cookie for a session just opened.
pub fn session_cookie(user_id: i64, client: &str, token: &str, secure: bool) -> Cookie<'static> {
    cookie(
        SESSION_COOKIE,
        format!("{user_id}.{client}.{token}"),
        secure,
        Some(LIFESPAN_MS),
    )
}

/// A cookie that removes `name`.
pub fn removal(name: &'static str, secure: bool) -> Cookie<'static> {
    cookie(name, String::new(), secure, Some(0))
}

fn parse_cookie(value: &str) -> Option<(i64, String, String)> {
    let mut parts = value.splitn(3, '.');
    let user_id = parts.next()?.parse().ok()?;
    let client = parts.next()?.to_string();
    let token = parts.next()?.to_string();
    (!client.is_empty() && !token.is_empty()).then_some((user_id, client, token))
}

/// The request's language: `Accept-Language` (pages before sign-in).
pub fn browser_texts(req: &HttpRequest) -> &'static AppTexts {
    from_accept_language(
        req.headers()
            .get(actix_web::http::header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or(""),
    )
}

/// A signed-in user of the agent app.
#[derive(Debug, Clone)]
pub struct AppSession {
    pub user: User,
    /// The session's `client` id (kept when the password changes, closed on sign-out).
    pub client: String,
    pub csrf: String,
    /// Every account of the user, most recently active first (the account switcher).
    pub memberships: Vec<Membership>,
    pub theme: &'static str,
}

fn state_of(req: &HttpRequest) -> Result<web::Data<AppState>, PageError> {
    req.app_data::<web::Data<AppState>>()
        .cloned()
        .ok_or_else(|| PageError::internal(browser_texts(req), "application state missing"))
}

/// Where to come back after signing in: this page (GET) or the app's start.
fn return_to(req: &HttpRequest) -> String {
    if req.method() == actix_web::http::Method::GET {
        req.uri()
            .path_and_query()
            .map_or_else(|| "/app".to_string(), |p| p.as_str().to_string())
    } else {
        "/app".to_string()
    }
}

async fn load_session(req: &HttpRequest) -> Result<AppSession, PageError> {
    let state = state_of(req)?;
    let t = browser_texts(req);
    let sign_in = || PageError::SignIn(return_to(req));
    let Some((user_id, client, token)) = req.cookie(SESSION_COOKIE).and_then(|c| parse_cookie(c.value()))
    else {
        return Err(sign_in());
    };
    let csrf = csrf_token(&token);
    let found = state
        .db
        .read(move |conn| -> Result<_, ApiError> {
            if !sessions::authenticate_user(conn, user_id, &client, &token)? {
                return Ok(None);
            }
            let Some(user) = users::find(conn, user_id)? else {
                return Ok(None);
            };
            let memberships = account_users::memberships_of_user(conn, user_id)?;
            Ok(Some((user, client, memberships)))
        })
        .await
        .map_err(|e| PageError::api(t, e))?;
    let Some((user, client, memberships)) = found else {
        return Err(sign_in());
    };
    Ok(AppSession {
        user,
        client,
        csrf,
        memberships,
        theme: theme_of(req),
    })
}

type Extracting<T> = Pin<Box<dyn Future<Output = Result<T, PageError>>>>;

impl FromRequest for AppSession {
    type Error = PageError;
    type Future = Extracting<Self>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { load_session(&req).await })
    }
}

/// A signed-in member of the account in the `{account_id}` path segment, through the same
/// account gate as the JSON API (unknown account or not a member → 404, suspended → refused).
#[derive(Debug, Clone)]
pub struct AppMember {
    pub session: AppSession,
    pub member: AccountMember,
    pub t: &'static AppTexts,
}

async fn load_member(req: &HttpRequest) -> Result<AppMember, PageError> {
    let session = load_session(req).await?;
    let fallback = browser_texts(req);
    let member = match account_member(req, session.user.clone(), None).await {
        Ok(member) => member,
        Err(ApiError::AccountSuspended) => return Err(PageError::Suspended(fallback)),
        Err(ApiError::NotFound | ApiError::NotAccountMember) => return Err(PageError::NotFound(fallback)),
        Err(other) => return Err(PageError::api(fallback, other)),
    };
    let t = app_texts(&member.account.locale);
    Ok(AppMember { session, member, t })
}

impl FromRequest for AppMember {
    type Error = PageError;
    type Future = Extracting<Self>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { load_member(&req).await })
    }
}

/// The fields of an urlencoded form, in order (repeated keys such as `labels` kept).
#[derive(Debug, Clone, Default)]
pub struct FormFields(pub Vec<(String, String)>);

impl FormFields {
    /// The first value of `key`, trimmed.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v.trim())
    }

    /// The first value of `key`, untrimmed (message text).
    pub fn raw(&self, key: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }

    /// Every value of `key`.
    pub fn all(&self, key: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .collect()
    }
}

/// Largest form body the app accepts (a long reply fits; uploads are multipart elsewhere).
const FORM_LIMIT: usize = 512 * 1024;

async fn read_form(req: &HttpRequest, payload: &mut Payload) -> Result<FormFields, PageError> {
    let t = browser_texts(req);
    let bytes = web::Bytes::from_request(req, payload)
        .await
        .map_err(|_| PageError::BadRequest(t))?;
    if bytes.len() > FORM_LIMIT {
        return Err(PageError::BadRequest(t));
    }
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(&bytes)
        .map(FormFields)
        .map_err(|_| PageError::BadRequest(t))
}

/// A form posted by a signed-in member whose CSRF token matched: handlers of every POST take
/// this, so none can forget the check. A missing or wrong token is the 403 page and nothing
/// is written.
#[derive(Debug)]
pub struct Posted {
    pub app: AppMember,
    pub form: FormFields,
}

/// A form posted by a signed-in user outside an account (sign-out), CSRF checked.
#[derive(Debug)]
pub struct PostedSession {
    pub session: AppSession,
    pub form: FormFields,
}

fn check_csrf(expected: &str, form: &FormFields, t: &'static AppTexts) -> Result<(), PageError> {
    match form.get(CSRF_FIELD) {
        Some(sent) if tokens::secrets_equal(sent, expected) => Ok(()),
        _ => Err(PageError::Csrf(t)),
    }
}

impl FromRequest for Posted {
    type Error = PageError;
    type Future = Extracting<Self>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let mut payload = payload.take();
        Box::pin(async move {
            let form = read_form(&req, &mut payload).await?;
            let app = load_member(&req).await?;
            check_csrf(&app.session.csrf, &form, app.t)?;
            Ok(Posted { app, form })
        })
    }
}

impl FromRequest for PostedSession {
    type Error = PageError;
    type Future = Extracting<Self>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let mut payload = payload.take();
        Box::pin(async move {
            let form = read_form(&req, &mut payload).await?;
            let session = load_session(&req).await?;
            check_csrf(&session.csrf, &form, browser_texts(&req))?;
            Ok(PostedSession { session, form })
        })
    }
}

/// Read an urlencoded form without a session (the sign-in form).
pub async fn plain_form(req: &HttpRequest, payload: web::Payload) -> Result<FormFields, PageError> {
    let mut payload = payload.into_inner();
    read_form(req, &mut payload).await
}
