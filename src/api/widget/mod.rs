//! `/api/v1/widget/*`: what the website widget's page calls (Chatwoot's widget API). Every call
//! names the inbox with `?website_token=` and the visitor with the `X-Auth-Token` header (the
//! HS256 token of `services::widget`). Unknown website token → 404; no token, a forged or an
//! expired one → 401; a token of another inbox → 404. Handlers also take [`PublicClient`], the
//! per-IP limit of every public endpoint.

pub mod config;
pub mod contact;
pub mod conversations;
pub mod messages;
pub mod misc;

use std::future::{Ready, ready};

use actix_web::{FromRequest, HttpRequest, dev::Payload, web};

pub use crate::auth::PublicClient;
use crate::error::ApiError;
use crate::services::widget::{Visitor, visitor};
use crate::state::AppState;

/// The website token and visitor token of a widget request (after the per-IP limit).
#[derive(Debug, Clone)]
pub struct WidgetRequest {
    pub website_token: String,
    pub auth_token: Option<String>,
}

impl WidgetRequest {
    /// The visitor the request speaks for (see the module comment for the refusals).
    pub fn visitor(&self, conn: &rusqlite::Connection) -> Result<Visitor, ApiError> {
        visitor(conn, &self.website_token, self.auth_token.as_deref())
    }
}

/// `?website_token=`
#[derive(Debug, serde::Deserialize)]
struct TokenQuery {
    website_token: Option<String>,
}

impl FromRequest for WidgetRequest {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(extract(req))
    }
}

fn extract(req: &HttpRequest) -> Result<WidgetRequest, ApiError> {
    let website_token = web::Query::<TokenQuery>::from_query(req.query_string())
        .ok()
        .and_then(|q| q.into_inner().website_token)
        .filter(|t| !t.is_empty())
        .ok_or(ApiError::NotFound)?;
    let auth_token = req
        .headers()
        .get("X-Auth-Token")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    Ok(WidgetRequest {
        website_token,
        auth_token,
    })
}

/// The base URL attachments and links use.
pub(crate) fn base(state: &web::Data<AppState>) -> String {
    state.config.frontend_url()
}

/// The attribute names a `destroy_custom_attributes` body lists under `field` (an array, or
/// one name as a string).
pub(crate) fn attribute_keys(body: &crate::api::body::JsonBody, field: &str) -> Vec<String> {
    match body.0.get(field) {
        Some(serde_json::Value::Array(items)) => items
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
        Some(serde_json::Value::String(key)) => vec![key.clone()],
        _ => Vec::new(),
    }
}
