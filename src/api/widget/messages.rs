//! `/api/v1/widget/messages`: the visitor's history, new messages (with attachments) and answers
//! to input messages (forms, the CSAT survey, the email collector).

use actix_web::{HttpResponse, web};
use serde::Deserialize;
use serde_json::{Map, Value};

use super::conversations::{start_attributes, user_agent};
use super::{PublicClient, WidgetRequest};
use crate::api::body::JsonBody;
use crate::api::ok_json;
use crate::api::uploads::MessageInput;
use crate::db::{messages, now_ms};
use crate::domain::conversations::message_type;
use crate::error::{ApiError, ApiResult};
use crate::services::messages::MessageParams;
use crate::services::widget::{self, Start, current_conversation};
use crate::state::AppState;
use crate::views;

/// `?before=&after=` (message ids)
#[derive(Debug, Deserialize)]
pub struct Window {
    before: Option<i64>,
    after: Option<i64>,
}

/// `GET messages[?before=][&after=]`: 20 before `before` (the latest without it), or up to 100
/// after `after` (what a reconnecting widget missed); oldest first.
pub async fn index(
    state: web::Data<AppState>,
    _: PublicClient,
    widget: WidgetRequest,
    query: web::Query<Window>,
) -> ApiResult<HttpResponse> {
    let Window { before, after } = query.into_inner();
    let base = super::base(&state);
    let body = state
        .db
        .read(move |conn| -> ApiResult<_> {
            let visitor = widget.visitor(conn)?;
            let (c, list) = widget::messages(conn, &visitor, before, after)?;
            let shown: Vec<_> = c.iter().cloned().collect();
            let related = widget::related(conn, &base, visitor.inbox.account_id, &shown, &list)?;
            Ok(views::widget::messages(&list, c.as_ref(), &related))
        })
        .await?;
    Ok(ok_json(body))
}

/// `POST messages {message: {content, echo_id, referer_url, timestamp}}` or multipart with
/// `message[attachments][]`: the visitor's message; their contact and conversation are made
/// now when they have none.
pub async fn create(
    state: web::Data<AppState>,
    _: PublicClient,
    widget: WidgetRequest,
    req: actix_web::HttpRequest,
    input: MessageInput,
) -> ApiResult<HttpResponse> {
    let MessageInput { attributes, files } = input;
    let text = |key: &str| attributes.get(key).and_then(Value::as_str).map(str::to_string);
    let params = MessageParams {
        content: text("content"),
        echo_id: text("echo_id"),
        ..MessageParams::default()
    };
    let additional = start_attributes(&attributes, &user_agent(&req));
    let uploaded = files.files.clone();
    let base = super::base(&state);
    let result = state
        .db
        .write(move |tx| -> ApiResult<_> {
            let mut visitor = widget.visitor(tx)?;
            let start = Start {
                additional_attributes: additional,
                custom_attributes: Map::new(),
            };
            let (c, message) = widget::send_message(tx, &mut visitor, params, !uploaded.is_empty(), start)?;
            crate::api::uploads::record(tx, c.account_id, message.id, &uploaded)?;
            let related = widget::related(
                tx,
                &base,
                c.account_id,
                std::slice::from_ref(&c),
                std::slice::from_ref(&message),
            )?;
            Ok(views::widget::message_created(&message, c.display_id, &related))
        })
        .await;
    match result {
        Ok(body) => Ok(ok_json(body)),
        Err(err) => {
            files.discard().await;
            Err(err)
        }
    }
}

/// `PATCH messages/{id} {message: {submitted_values}, contact: {email}}`: the visitor answers
/// an input message of their current conversation (a form, the CSAT survey, the email
/// collector); answers the message.
pub async fn update(
    state: web::Data<AppState>,
    _: PublicClient,
    widget: WidgetRequest,
    path: web::Path<i64>,
    body: JsonBody,
) -> ApiResult<HttpResponse> {
    let message_id = path.into_inner();
    let submitted = body.resource("message").get("submitted_values").cloned();
    let email = body
        .0
        .get("contact")
        .and_then(|c| c.get("email"))
        .and_then(Value::as_str)
        .map(str::to_string);
    let base = super::base(&state);
    let body = state
        .db
        .write(move |tx| -> ApiResult<_> {
            let mut visitor = widget.visitor(tx)?;
            let c = current_conversation(tx, &visitor)?.ok_or(ApiError::NotFound)?;
            let mut message = messages::find(tx, c.id, message_id)?.ok_or(ApiError::NotFound)?;
            let answerable = message.message_type != message_type::INCOMING
                && (1..=9).contains(&message.content_type)
                && !message.private;
            if !answerable {
                return Err(ApiError::Unprocessable(
                    "This message does not take submitted values".into(),
                ));
            }
            let message = if message.content_type == crate::services::csat::INPUT_CSAT {
                let submitted = submitted.ok_or_else(|| ApiError::ParamMissing("submitted_values".into()))?;
                crate::services::csat::answer(tx, &c, &message, &submitted, now_ms())?;
                messages::find(tx, c.id, message.id)?.ok_or(ApiError::NotFound)?
            } else if let (Some(email), None) = (email.as_deref(), submitted.as_ref()) {
                // The email collector (`input_email`): the address goes on the contact.
                let (_, mut person) = widget::ensure_contact(tx, &mut visitor)?;
                let mut fields = Map::new();
                fields.insert("email".into(), Value::from(email));
                widget::pre_chat(tx, &mut visitor, &mut person, &fields)?;
                message
                    .content_attributes
                    .insert("submitted_email".into(), Value::from(email));
                messages::update(tx, &message)?
            } else {
                let submitted = match submitted {
                    Some(value @ (Value::Object(_) | Value::Array(_))) => value,
                    _ => return Err(ApiError::ParamMissing("submitted_values".into())),
                };
                message
                    .content_attributes
                    .insert("submitted_values".into(), submitted);
                messages::update(tx, &message)?
            };
            let related = widget::related(
                tx,
                &base,
                c.account_id,
                std::slice::from_ref(&c),
                std::slice::from_ref(&message),
            )?;
            Ok(views::widget::message(&message, c.display_id, &related))
        })
        .await?;
    Ok(ok_json(body))
}
