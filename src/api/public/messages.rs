//! `/public/api/v1/inboxes/{inbox_identifier}/contacts/{source_id}/conversations/{id}/messages`:
//! what the contact reads, sends and answers (input messages) in one conversation.

use actix_web::web;
use serde::Deserialize;
use serde_json::Value;

use super::PublicClient;
use super::conversations::{ConversationPath, Scope, related, scoped};
use crate::api::body::JsonBody;
use crate::api::uploads::MessageInput;
use crate::api::{Reply, State, ok_json};
use crate::db::conversations::Conversation;
use crate::db::messages::{self, Message};
use crate::db::now_ms;
use crate::error::{ApiError, ApiResult};
use crate::services::messages::{MessageParams, create_as};
use crate::views;

/// `?before=`
#[derive(Debug, Deserialize)]
pub struct BeforeQuery {
    before: Option<i64>,
}

/// `GET …/messages[?before=]`: 20 at a time, chronological, no private or activity messages.
pub async fn index(
    state: State,
    _: PublicClient,
    path: ConversationPath,
    query: web::Query<BeforeQuery>,
) -> Reply {
    let (identifier, source_id, id) = path.into_inner();
    let before = query.into_inner().before;
    let base = state.config.frontend_url();
    let body = state
        .db
        .read(move |conn| -> ApiResult<_> {
            let (scope, c) = scoped(conn, &identifier, &source_id, id)?;
            let list = messages::page(conn, c.id, before, None, true)?;
            let related = related(conn, &base, &scope, std::slice::from_ref(&c), &list)?;
            Ok(list
                .iter()
                .map(|m| views::public::message(m, c.display_id, &related))
                .collect::<Vec<_>>())
        })
        .await?;
    Ok(ok_json(Value::Array(body)))
}

/// `POST …/messages {content, echo_id}` (JSON or multipart with `attachments[]`): an incoming
/// message from the contact.
pub async fn create(state: State, _: PublicClient, path: ConversationPath, input: MessageInput) -> Reply {
    let (identifier, source_id, id) = path.into_inner();
    let MessageInput { attributes, files } = input;
    let params = MessageParams {
        content: attributes
            .get("content")
            .and_then(Value::as_str)
            .map(str::to_string),
        echo_id: attributes
            .get("echo_id")
            .and_then(Value::as_str)
            .map(str::to_string),
        message_type: Some(Value::from("incoming")),
        ..MessageParams::default()
    };
    let uploaded = files.files.clone();
    let base = state.config.frontend_url();
    let result = state
        .db
        .write(move |tx| -> ApiResult<_> {
            let (scope, c) = scoped(tx, &identifier, &source_id, id)?;
            let message = create_as(
                tx,
                ("Contact", scope.contact.id),
                &c,
                "Channel::Api",
                params,
                !uploaded.is_empty(),
            )?;
            crate::api::uploads::record(tx, c.account_id, message.id, &uploaded)?;
            render_one(tx, &base, &scope, &c, &message)
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

/// `PATCH|PUT …/messages/{id} {submitted_values}`: the contact answers an input message.
pub async fn update(
    state: State,
    _: PublicClient,
    path: web::Path<(String, String, i64, i64)>,
    body: JsonBody,
) -> Reply {
    let (identifier, source_id, id, message_id) = path.into_inner();
    let submitted = match body.resource("message").get("submitted_values") {
        Some(value @ (Value::Object(_) | Value::Array(_))) => value.clone(),
        _ => return Err(ApiError::ParamMissing("submitted_values".into())),
    };
    let base = state.config.frontend_url();
    let body = state
        .db
        .write(move |tx| -> ApiResult<_> {
            let (scope, c) = scoped(tx, &identifier, &source_id, id)?;
            let mut message = messages::find(tx, c.id, message_id)?.ok_or(ApiError::NotFound)?;
            let answerable = message.message_type != crate::domain::conversations::message_type::INCOMING
                && (1..=9).contains(&message.content_type)
                && !message.private;
            if !answerable {
                return Err(ApiError::Unprocessable(
                    "This message does not take submitted values".into(),
                ));
            }
            let message = if message.content_type == crate::services::csat::INPUT_CSAT {
                // A survey answered through the messages API records the rating like the survey API.
                crate::services::csat::answer(tx, &c, &message, &submitted, now_ms())?;
                messages::find(tx, c.id, message.id)?.ok_or(ApiError::NotFound)?
            } else {
                message
                    .content_attributes
                    .insert("submitted_values".into(), submitted);
                messages::update(tx, &message)?
            };
            render_one(tx, &base, &scope, &c, &message)
        })
        .await?;
    Ok(ok_json(body))
}

/// One message as the contact sees it.
fn render_one(
    conn: &rusqlite::Connection,
    base: &str,
    scope: &Scope,
    c: &Conversation,
    message: &Message,
) -> ApiResult<Value> {
    let related = related(
        conn,
        base,
        scope,
        std::slice::from_ref(c),
        std::slice::from_ref(message),
    )?;
    Ok(views::public::message(message, c.display_id, &related))
}
