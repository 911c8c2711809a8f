//! The widget page's forms without JavaScript: a message (with the pre-chat fields) or a
//! CSAT rating, posted to `/widget` and answered with a 303 back to the page.

use actix_web::http::header;
use actix_web::{HttpResponse, web};
use serde::Deserialize;
use serde_json::{Map, Value};

use super::page_visitor;
use crate::auth::PublicClient;
use crate::db::now_ms;
use crate::error::{ApiError, ApiResult};
use crate::services::widget::{self, Start, Visitor};
use crate::state::AppState;

/// The page's forms (no JavaScript): a message (with the pre-chat fields), or a rating.
#[derive(Debug, Deserialize)]
pub struct PageForm {
    website_token: String,
    cw_conversation: Option<String>,
    locale: Option<String>,
    content: Option<String>,
    name: Option<String>,
    email: Option<String>,
    phone_number: Option<String>,
    message_id: Option<i64>,
    rating: Option<i64>,
}

fn back(website: &str, token: &str, locale: Option<&str>, error: bool) -> HttpResponse {
    let enc = |s: &str| url_escape(s);
    let mut url = format!(
        "/widget?website_token={}&cw_conversation={}",
        enc(website),
        enc(token)
    );
    if let Some(locale) = locale.filter(|l| !l.is_empty()) {
        url.push_str(&format!("&locale={}", enc(locale)));
    }
    if error {
        url.push_str("&error=1");
    }
    url.push_str("#composer");
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, url))
        .finish()
}

fn url_escape(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// `POST /widget`: the page's forms without JavaScript; 303 back to the page. The visitor
/// token in the form is the CSRF token too: another site cannot know it.
pub async fn submit(
    state: web::Data<AppState>,
    _: PublicClient,
    form: web::Form<PageForm>,
) -> ApiResult<HttpResponse> {
    let form = form.into_inner();
    let website = form.website_token.clone();
    let locale = form.locale.clone();
    let outcome = state
        .db
        .write(move |tx| -> ApiResult<(String, bool)> {
            let inbox = widget::widget_inbox(tx, &form.website_token)?;
            let (mut visitor, token) = page_visitor(tx, inbox, form.cw_conversation.as_deref())?;
            let result = if let (Some(id), Some(rating)) = (form.message_id, form.rating) {
                rate(tx, &visitor, id, rating)
            } else {
                send(tx, &mut visitor, &form)
            };
            match result {
                Ok(()) => Ok((token, false)),
                Err(ApiError::Unprocessable(_) | ApiError::Validation { .. } | ApiError::NotFound) => {
                    Ok((token, true))
                }
                Err(other) => Err(other),
            }
        })
        .await;
    match outcome {
        Ok((token, failed)) => Ok(back(&website, &token, locale.as_deref(), failed)),
        Err(err) => Err(err),
    }
}

fn send(tx: &rusqlite::Connection, visitor: &mut Visitor, form: &PageForm) -> ApiResult<()> {
    let mut fields = Map::new();
    for (key, value) in [
        ("name", &form.name),
        ("email", &form.email),
        ("phone_number", &form.phone_number),
    ] {
        if let Some(value) = value.as_deref().filter(|v| !v.trim().is_empty()) {
            fields.insert(key.into(), Value::from(value));
        }
    }
    let content = form.content.clone().filter(|c| !c.trim().is_empty());
    if content.is_none() {
        return Err(ApiError::Unprocessable("Content can't be blank".into()));
    }
    let (_, mut contact) = widget::ensure_contact(tx, visitor)?;
    if !fields.is_empty() {
        widget::pre_chat(tx, visitor, &mut contact, &fields)?;
    }
    let params = crate::services::messages::MessageParams {
        content,
        ..Default::default()
    };
    widget::send_message(tx, visitor, params, false, Start::default())?;
    Ok(())
}

fn rate(tx: &rusqlite::Connection, visitor: &Visitor, message_id: i64, rating: i64) -> ApiResult<()> {
    let c = widget::current_conversation(tx, visitor)?.ok_or(ApiError::NotFound)?;
    let message = crate::db::messages::find(tx, c.id, message_id)?.ok_or(ApiError::NotFound)?;
    if message.content_type != crate::services::csat::INPUT_CSAT {
        return Err(ApiError::NotFound);
    }
    let submitted = serde_json::json!({"csat_survey_response": {"rating": rating}});
    crate::services::csat::answer(tx, &c, &message, &submitted, now_ms())?;
    Ok(())
}
