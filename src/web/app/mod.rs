//! The agent web app at `/app`: server-rendered pages (askama) that work without JavaScript,
//! enhanced by `static/app.js` (live updates over `/cable`, keyboard shortcuts, in-place
//! replies). Pages call the same services and db functions as the JSON API; the only rules
//! here are about pages (sessions, CSRF, which form field means what).
//!
//! [`session`] signs people in and guards every page and form; [`login`] is sign-in, sign-out,
//! SSO links and the account switcher; [`conversations`] the inbox list; [`conversation`] one
//! thread with its reply box, actions and contact panel.

pub mod contacts;
pub mod conversation;
pub mod conversation_actions;
pub mod conversations;
pub mod help_center;
pub mod login;
pub mod profile;
pub mod session;
pub mod settings;
pub mod texts;

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, ResponseError};
use askama::Template;

use self::session::AppMember;
use self::texts::AppTexts;
use crate::error::ApiError;
use crate::web::PAGE_CSP;

/// Why a page could not be shown, rendered as a page (never JSON).
#[derive(Debug, thiserror::Error)]
pub enum PageError {
    /// Not signed in: 303 to the sign-in page, coming back to this path afterwards.
    #[error("sign in first")]
    SignIn(String),
    /// Unknown record, or one the user may not see (same answer, so ids are not probed).
    #[error("not found")]
    NotFound(&'static AppTexts),
    /// A form without the session's CSRF token.
    #[error("csrf token missing or wrong")]
    Csrf(&'static AppTexts),
    /// A form body that is not urlencoded or is too large.
    #[error("bad form")]
    BadRequest(&'static AppTexts),
    #[error("account suspended")]
    Suspended(&'static AppTexts),
    /// Anything unexpected: logged, answered with a generic page.
    #[error("internal: {1}")]
    Internal(&'static AppTexts, String),
}

impl PageError {
    /// An unexpected failure.
    pub fn internal(t: &'static AppTexts, detail: &str) -> Self {
        PageError::Internal(t, detail.to_string())
    }

    /// An `ApiError` from a service, as a page: record lookups and policy denials are a 404.
    pub fn api(t: &'static AppTexts, err: ApiError) -> Self {
        match err {
            ApiError::NotFound | ApiError::Forbidden | ApiError::NotAccountMember => PageError::NotFound(t),
            ApiError::AccountSuspended => PageError::Suspended(t),
            other => PageError::Internal(t, other.to_string()),
        }
    }
}

/// A short page with a title and a paragraph (errors, notices).
#[derive(Template)]
#[template(path = "app/message.html")]
pub struct MessagePage {
    pub chrome: Chrome,
    pub heading: String,
    pub body: String,
    pub link: String,
    pub link_text: String,
}

impl ResponseError for PageError {
    fn status_code(&self) -> StatusCode {
        match self {
            PageError::SignIn(_) => StatusCode::SEE_OTHER,
            PageError::NotFound(_) => StatusCode::NOT_FOUND,
            PageError::Csrf(_) => StatusCode::FORBIDDEN,
            PageError::BadRequest(_) => StatusCode::BAD_REQUEST,
            PageError::Suspended(_) => StatusCode::UNAUTHORIZED,
            PageError::Internal(..) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let (t, heading, body) = match self {
            PageError::SignIn(next) => {
                let target = if next.starts_with("/app/") && next != "/app/login" {
                    format!("/app/login?next={}", encode(next))
                } else {
                    "/app/login".to_string()
                };
                return see_other(&target);
            }
            PageError::NotFound(t) => (*t, t.not_found_title, t.not_found_body),
            PageError::Csrf(t) => (*t, t.csrf_title, t.csrf_body),
            PageError::BadRequest(t) => (*t, t.error_title, t.error_body),
            PageError::Suspended(t) => (*t, t.suspended, t.no_accounts),
            PageError::Internal(t, detail) => {
                tracing::error!(%detail, "agent app page failed");
                (*t, t.error_title, t.error_body)
            }
        };
        let page = MessagePage {
            chrome: Chrome::plain(t, "", heading),
            heading: heading.to_string(),
            body: body.to_string(),
            link: "/app".to_string(),
            link_text: t.back.to_string(),
        };
        page_response(self.status_code(), &page)
    }
}

/// What a page of the app answers.
pub type PageResult = Result<HttpResponse, PageError>;

/// Percent-encode a query value.
pub fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The headers every page of the app sends: strict CSP, no framing, no caching, no referrer.
fn with_headers(mut builder: actix_web::HttpResponseBuilder) -> actix_web::HttpResponseBuilder {
    builder
        .insert_header(("Content-Security-Policy", PAGE_CSP))
        .insert_header(("X-Frame-Options", "DENY"))
        .insert_header(("X-Content-Type-Options", "nosniff"))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header(("Referrer-Policy", "same-origin"));
    builder
}

/// Render a template with the page headers.
pub fn page_response(status: StatusCode, page: &impl Template) -> HttpResponse {
    match page.render() {
        Ok(body) => with_headers(HttpResponse::build(status))
            .insert_header((header::CONTENT_TYPE, "text/html; charset=utf-8"))
            .body(body),
        Err(err) => {
            tracing::error!(%err, "rendering an agent app page");
            with_headers(HttpResponse::InternalServerError()).finish()
        }
    }
}

/// 200 with a rendered page.
pub fn ok_page(page: &impl Template) -> PageResult {
    Ok(page_response(StatusCode::OK, page))
}

/// 303 to `location` (after a form, Post/Redirect/Get).
pub fn see_other(location: &str) -> HttpResponse {
    with_headers(HttpResponse::SeeOther())
        .insert_header((header::LOCATION, location.to_string()))
        .finish()
}

/// The theme the user chose (`?theme=` remembered in a cookie), or "" to follow the system.
pub fn theme_of(req: &HttpRequest) -> &'static str {
    let asked = req
        .uri()
        .query()
        .and_then(|q| serde_urlencoded::from_str::<Vec<(String, String)>>(q).ok())
        .and_then(|pairs| pairs.into_iter().find(|(k, _)| k == "theme").map(|(_, v)| v));
    let value = asked.or_else(|| req.cookie("app_theme").map(|c| c.value().to_string()));
    match value.as_deref() {
        Some("dark") => "dark",
        Some("light") => "light",
        _ => "",
    }
}

/// Remember `?theme=` in a cookie on a page response.
pub fn remember_theme(req: &HttpRequest, mut response: HttpResponse) -> HttpResponse {
    let asked = req.uri().query().is_some_and(|q| q.contains("theme="));
    if asked {
        let value = match theme_of(req) {
            "" => "system",
            other => other,
        };
        let cookie = actix_web::cookie::Cookie::build("app_theme", value)
            .path("/app")
            .same_site(actix_web::cookie::SameSite::Lax)
            .http_only(true)
            .max_age(actix_web::cookie::time::Duration::days(365))
            .finish();
        let _ = response.add_cookie(&cookie);
    }
    response
}

/// One account in the switcher.
#[derive(Debug, Clone)]
pub struct AccountLink {
    pub id: i64,
    pub name: String,
    pub current: bool,
}

/// What the layout around every page shows.
#[derive(Debug, Clone)]
pub struct Chrome {
    pub t: &'static AppTexts,
    pub theme: &'static str,
    pub title: String,
    /// Empty on pages before sign-in.
    pub csrf: String,
    pub signed_in: bool,
    pub user_name: String,
    /// First letter of the user's name (the menu's avatar).
    pub user_initial: String,
    pub user_id: i64,
    pub pubsub_token: String,
    pub account_id: i64,
    pub account_name: String,
    pub accounts: Vec<AccountLink>,
    pub is_admin: bool,
    /// The current section: "conversations", "contacts", "settings", "profile".
    pub section: &'static str,
    /// The page's path without the query (theme links).
    pub path: String,
}

impl Chrome {
    /// The layout of a page outside the app (sign-in, errors).
    pub fn plain(t: &'static AppTexts, theme: &'static str, title: &str) -> Chrome {
        Chrome {
            t,
            theme,
            title: title.to_string(),
            csrf: String::new(),
            signed_in: false,
            user_name: String::new(),
            user_initial: String::new(),
            user_id: 0,
            pubsub_token: String::new(),
            account_id: 0,
            account_name: String::new(),
            accounts: Vec::new(),
            is_admin: false,
            section: "",
            path: String::new(),
        }
    }

    /// The layout of a page inside an account.
    pub fn for_member(app: &AppMember, section: &'static str, title: &str, path: &str) -> Chrome {
        let account_id = app.member.account_id();
        Chrome {
            t: app.t,
            theme: app.session.theme,
            title: title.to_string(),
            csrf: app.session.csrf.clone(),
            signed_in: true,
            user_name: app.session.user.available_name().to_string(),
            user_initial: conversations::initial(app.session.user.available_name()),
            user_id: app.session.user.id,
            pubsub_token: app.session.user.pubsub_token.clone(),
            account_id,
            account_name: app.member.account.name.clone(),
            accounts: app
                .session
                .memberships
                .iter()
                .map(|m| AccountLink {
                    id: m.account_user.account_id,
                    name: m.account_name.clone(),
                    current: m.account_user.account_id == account_id,
                })
                .collect(),
            is_admin: app.member.is_admin(),
            section,
            path: path.to_string(),
        }
    }
}
