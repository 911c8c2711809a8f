//! `/api/v1/widget/conversations`: the visitor's current conversation and what they do in it.

use actix_web::{HttpResponse, web};
use serde_json::{Map, Value};

use super::{PublicClient, WidgetRequest};
use crate::api::body::JsonBody;
use crate::api::{head_ok, ok_json};
use crate::db::{conversations, now_ms};
use crate::domain::conversations::status;
use crate::domain::events::Typer;
use crate::error::{ApiError, ApiResult};
use crate::services::messages::{MessageParams, add_activity, create_incoming};
use crate::services::typing::{TypingStatus, set_typing};
use crate::services::widget::{self, Start, current_conversation};
use crate::state::AppState;
use crate::views;

/// `GET conversations`: `{id, inbox_id, contact_last_seen_at, status}` or `{}`.
pub async fn index(
    state: web::Data<AppState>,
    _: PublicClient,
    widget: WidgetRequest,
) -> ApiResult<HttpResponse> {
    let body = state
        .db
        .read(move |conn| -> ApiResult<_> {
            let visitor = widget.visitor(conn)?;
            let c = current_conversation(conn, &visitor)?;
            Ok(views::widget::conversation_attributes(c.as_ref()))
        })
        .await?;
    Ok(ok_json(body))
}

/// An object parameter (absent or null is empty; anything else a 422).
pub(super) fn object(body: &Map<String, Value>, key: &str) -> ApiResult<Map<String, Value>> {
    match body.get(key) {
        None | Some(Value::Null) => Ok(Map::new()),
        Some(Value::Object(map)) => Ok(map.clone()),
        Some(_) => Err(ApiError::Unprocessable(format!("{key} must be an object"))),
    }
}

/// Chatwoot's `additional_attributes` of a widget conversation: the browser, the page and when.
pub(super) fn start_attributes(message: &Map<String, Value>, user_agent: &str) -> Map<String, Value> {
    let field = |key: &str| message.get(key).cloned().unwrap_or(Value::Null);
    views::widget::start_attributes(field("referer_url"), field("timestamp"), user_agent)
}

pub(super) fn user_agent(req: &actix_web::HttpRequest) -> String {
    req.headers()
        .get(actix_web::http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

/// `POST conversations {contact: {name, email, phone_number}, message: {content, timestamp,
/// referer_url}, custom_attributes}`: the pre-chat form's contact details, a new conversation
/// and its first message, in one transaction.
pub async fn create(
    state: web::Data<AppState>,
    _: PublicClient,
    widget: WidgetRequest,
    req: actix_web::HttpRequest,
    body: JsonBody,
) -> ApiResult<HttpResponse> {
    let contact = object(&body.0, "contact")?;
    let message = object(&body.0, "message")?;
    let custom = object(&body.0, "custom_attributes")?;
    let additional = start_attributes(&message, &user_agent(&req));
    let content = message.get("content").and_then(Value::as_str).map(str::to_string);
    let echo_id = message.get("echo_id").and_then(Value::as_str).map(str::to_string);
    let base = super::base(&state);
    let body = state
        .db
        .write(move |tx| -> ApiResult<_> {
            let mut visitor = widget.visitor(tx)?;
            let (_, mut person) = widget::ensure_contact(tx, &mut visitor)?;
            crate::services::widget::pre_chat(tx, &mut visitor, &mut person, &contact)?;
            let c = widget::start_conversation(
                tx,
                &mut visitor,
                Start {
                    additional_attributes: additional,
                    custom_attributes: custom,
                },
            )?;
            let params = MessageParams {
                content,
                echo_id,
                ..MessageParams::default()
            };
            let first = create_incoming(tx, &c, params, false)?;
            let c = conversations::find_by_id(tx, c.id)?.ok_or(ApiError::NotFound)?;
            let shown = vec![first];
            let related = widget::related(tx, &base, c.account_id, std::slice::from_ref(&c), &shown)?;
            let (_, person) = visitor.known()?;
            Ok(views::widget::conversation_created(&c, person, &shown, &related))
        })
        .await?;
    Ok(ok_json(body))
}

/// `POST conversations/update_last_seen`: 200 also without a conversation.
pub async fn update_last_seen(
    state: web::Data<AppState>,
    _: PublicClient,
    widget: WidgetRequest,
) -> ApiResult<HttpResponse> {
    state
        .db
        .write(move |tx| -> ApiResult<()> {
            let visitor = widget.visitor(tx)?;
            if let Some(mut c) = current_conversation(tx, &visitor)? {
                c.contact_last_seen_at = Some(now_ms());
                conversations::update(tx, &c)?;
            }
            Ok(())
        })
        .await?;
    Ok(head_ok())
}

/// `POST conversations/toggle_typing {typing_status: on|off}` (404 without a conversation).
pub async fn toggle_typing(
    state: web::Data<AppState>,
    _: PublicClient,
    widget: WidgetRequest,
    body: JsonBody,
) -> ApiResult<HttpResponse> {
    let wanted = body
        .0
        .get("typing_status")
        .and_then(Value::as_str)
        .map(str::to_string);
    state
        .db
        .write(move |tx| -> ApiResult<()> {
            let visitor = widget.visitor(tx)?;
            let c = current_conversation(tx, &visitor)?.ok_or(ApiError::NotFound)?;
            let (_, contact) = visitor.known()?;
            let status = TypingStatus::parse(wanted.as_deref(), false)?;
            set_typing(tx, c.id, Typer::Contact { id: contact.id }, status)
        })
        .await?;
    Ok(head_ok())
}

/// `GET conversations/toggle_status`: the visitor ends the conversation (403 unless the
/// inbox offers `end_conversation`; 404 without a conversation).
pub async fn toggle_status(
    state: web::Data<AppState>,
    _: PublicClient,
    widget: WidgetRequest,
) -> ApiResult<HttpResponse> {
    let base = super::base(&state);
    let allowed = state
        .db
        .write(move |tx| -> ApiResult<bool> {
            let visitor = widget.visitor(tx)?;
            let c = current_conversation(tx, &visitor)?.ok_or(ApiError::NotFound)?;
            let features = visitor.inbox.channel.setting("selected_feature_flags");
            let can_end = features
                .as_array()
                .is_some_and(|list| list.iter().any(|f| f == "end_conversation"));
            if !can_end {
                return Ok(false);
            }
            if c.status != status::RESOLVED {
                let (_, contact) = visitor.known()?;
                let previous = c.status;
                let mut c = c;
                c.status = status::RESOLVED;
                c.snoozed_until = None;
                c.waiting_since = None;
                let c = conversations::update(tx, &c)?;
                add_activity(tx, &c, &format!("Conversation was resolved by {}", contact.name))?;
                crate::services::conversations::after_status_change(tx, &c, previous, false, &base)?;
            }
            Ok(true)
        })
        .await?;
    Ok(if allowed {
        head_ok()
    } else {
        HttpResponse::Forbidden().finish()
    })
}

/// `POST conversations/transcript`: Parlor sends no mail. Without a conversation 429, as
/// Chatwoot; otherwise 422 saying why.
pub async fn transcript(
    state: web::Data<AppState>,
    _: PublicClient,
    widget: WidgetRequest,
) -> ApiResult<HttpResponse> {
    let has_conversation = state
        .db
        .read(move |conn| -> ApiResult<bool> {
            let visitor = widget.visitor(conn)?;
            Ok(current_conversation(conn, &visitor)?.is_some())
        })
        .await?;
    if !has_conversation {
        return Ok(HttpResponse::TooManyRequests().finish());
    }
    Err(ApiError::Unprocessable(
        "Email transcripts are not available: this server has no mail transport".into(),
    ))
}

/// `POST conversations/set_custom_attributes {custom_attributes}`: replaces them (404 without
/// a conversation).
pub async fn set_custom_attributes(
    state: web::Data<AppState>,
    _: PublicClient,
    widget: WidgetRequest,
    body: JsonBody,
) -> ApiResult<HttpResponse> {
    let custom = object(&body.0, "custom_attributes")?;
    state
        .db
        .write(move |tx| -> ApiResult<()> {
            let visitor = widget.visitor(tx)?;
            let mut c = current_conversation(tx, &visitor)?.ok_or(ApiError::NotFound)?;
            c.custom_attributes = custom;
            conversations::update(tx, &c)?;
            Ok(())
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// `POST conversations/destroy_custom_attributes {custom_attribute: [keys]}`: answers the
/// conversation's widget attributes (404 without a conversation).
pub async fn destroy_custom_attributes(
    state: web::Data<AppState>,
    _: PublicClient,
    widget: WidgetRequest,
    body: JsonBody,
) -> ApiResult<HttpResponse> {
    let keys = super::attribute_keys(&body, "custom_attribute");
    let body = state
        .db
        .write(move |tx| -> ApiResult<_> {
            let visitor = widget.visitor(tx)?;
            let mut c = current_conversation(tx, &visitor)?.ok_or(ApiError::NotFound)?;
            for key in &keys {
                c.custom_attributes.remove(key);
            }
            let c = conversations::update(tx, &c)?;
            Ok(views::widget::conversation_attributes(Some(&c)))
        })
        .await?;
    Ok(ok_json(body))
}
