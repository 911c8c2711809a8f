//! Writing messages and their side effects on the conversation (Chatwoot's §8 rules).

use rusqlite::Connection;
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::caller::ConversationCaller;
use crate::db::contacts;
use crate::db::conversations::{self, Conversation};
use crate::db::messages::{self, Message};
use crate::db::now_ms;
use crate::domain::conversations::{CONTENT_TYPES, MESSAGE_TYPES, index_of, message_type, status};
use crate::error::{ApiError, ApiResult};
use crate::services::reporting_events;

/// Messages one conversation accepts per minute (Chatwoot's CONVERSATION_MESSAGE_PER_MINUTE_LIMIT).
const FLOOD_LIMIT_PER_MINUTE: i64 = 200;

/// Longest message content Chatwoot accepts.
const MAX_CONTENT: usize = 150_000;

/// `POST …/messages` body.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct MessageParams {
    pub content: Option<String>,
    pub message_type: Option<Value>,
    pub private: Option<bool>,
    pub content_type: Option<String>,
    pub content_attributes: Option<Value>,
    pub echo_id: Option<String>,
    pub source_id: Option<String>,
}

/// Add an activity message (no sender) to the conversation.
pub fn add_activity(conn: &Connection, conversation: &Conversation, text: &str) -> ApiResult<Message> {
    let mut message = Message::new(
        conversation.account_id,
        conversation.inbox_id,
        conversation.id,
        message_type::ACTIVITY,
    );
    message.content = Some(text.to_string());
    Ok(messages::insert(conn, &message)?)
}

fn parse_type(value: Option<&Value>) -> ApiResult<i64> {
    match value {
        None | Some(Value::Null) => Ok(message_type::OUTGOING),
        Some(Value::String(name)) => index_of(MESSAGE_TYPES, name)
            .filter(|t| *t != message_type::ACTIVITY)
            .ok_or_else(|| {
                ApiError::Unprocessable(format!("Validation failed: Message type '{name}' is not valid"))
            }),
        Some(Value::Number(n)) => n
            .as_i64()
            .filter(|t| {
                matches!(
                    *t,
                    message_type::INCOMING | message_type::OUTGOING | message_type::TEMPLATE
                )
            })
            .ok_or_else(|| {
                ApiError::Unprocessable(format!("Validation failed: Message type '{n}' is not valid"))
            }),
        Some(other) => Err(ApiError::Unprocessable(format!(
            "Validation failed: Message type '{other}' is not valid"
        ))),
    }
}

fn parse_content_attributes(value: Option<Value>) -> ApiResult<Map<String, Value>> {
    match value {
        None | Some(Value::Null) => Ok(Map::new()),
        Some(Value::Object(map)) => Ok(map),
        Some(Value::String(text)) => match serde_json::from_str(&text) {
            Ok(Value::Object(map)) => Ok(map),
            _ => Err(ApiError::Unprocessable(
                "Validation failed: Content attributes must be a JSON object".into(),
            )),
        },
        Some(_) => Err(ApiError::Unprocessable(
            "Validation failed: Content attributes must be a JSON object".into(),
        )),
    }
}

/// Create a message from `caller` (or from the contact, for incoming messages in API inboxes)
/// and apply the conversation side effects. `has_attachments` allows empty content.
pub fn create(
    conn: &Connection,
    caller: &ConversationCaller,
    conversation: &Conversation,
    channel_type: &str,
    params: MessageParams,
    has_attachments: bool,
) -> ApiResult<Message> {
    create_as(
        conn,
        caller.sender(),
        conversation,
        channel_type,
        params,
        has_attachments,
    )
}

/// [`create`] with an explicit author for outgoing messages. The public API passes the contact
/// and only ever writes incoming messages.
pub fn create_as(
    conn: &Connection,
    outgoing_sender: (&'static str, i64),
    conversation: &Conversation,
    channel_type: &str,
    params: MessageParams,
    has_attachments: bool,
) -> ApiResult<Message> {
    let kind = parse_type(params.message_type.as_ref())?;
    if kind == message_type::INCOMING && channel_type != "Channel::Api" {
        return Err(ApiError::Unprocessable(
            "Incoming messages are only allowed in Api inboxes".into(),
        ));
    }
    let content = params.content.filter(|c| !c.trim().is_empty());
    if content.is_none() && !has_attachments {
        return Err(ApiError::Unprocessable(
            "Validation failed: Content can't be blank".into(),
        ));
    }
    if content.as_ref().is_some_and(|c| c.chars().count() > MAX_CONTENT) {
        return Err(ApiError::Unprocessable(
            "Validation failed: Content is too long (maximum is 150000 characters)".into(),
        ));
    }
    let content_type = match params.content_type.as_deref() {
        None | Some("") => 0,
        Some(name) => index_of(CONTENT_TYPES, name).ok_or_else(|| {
            ApiError::Unprocessable(format!("Validation failed: Content type '{name}' is not valid"))
        })?,
    };
    if messages::recent_count(conn, conversation.id, now_ms() - 60_000)? >= FLOOD_LIMIT_PER_MINUTE {
        return Err(ApiError::Unprocessable("Too many messages".into()));
    }
    let mut message = Message::new(
        conversation.account_id,
        conversation.inbox_id,
        conversation.id,
        kind,
    );
    message.content = content;
    message.content_type = content_type;
    message.content_attributes = parse_content_attributes(params.content_attributes)?;
    message.private = params.private.unwrap_or(false);
    message.echo_id = params.echo_id;
    message.source_id = params.source_id;
    let (sender_type, sender_id) = if kind == message_type::INCOMING {
        ("Contact", conversation.contact_id)
    } else {
        outgoing_sender
    };
    message.sender_type = Some(sender_type.to_string());
    message.sender_id = Some(sender_id);
    let message = messages::insert(conn, &message)?;
    after_create(conn, conversation, &message)?;
    Ok(message)
}

/// An incoming message the conversation's contact writes (the Client API and the website
/// widget; incoming messages are otherwise only allowed in API inboxes).
pub fn create_incoming(
    conn: &Connection,
    conversation: &Conversation,
    mut params: MessageParams,
    has_attachments: bool,
) -> ApiResult<Message> {
    params.message_type = Some(Value::from("incoming"));
    params.private = None;
    create_as(
        conn,
        ("Contact", conversation.contact_id),
        conversation,
        "Channel::Api",
        params,
        has_attachments,
    )
}

/// Conversation bookkeeping after a new message (activity, reopening, reply timers).
pub fn after_create(conn: &Connection, conversation: &Conversation, message: &Message) -> ApiResult<()> {
    let mut updated = conversations::find(conn, conversation.account_id, conversation.display_id)?
        .ok_or(ApiError::NotFound)?;
    let before = updated.clone();
    updated.last_activity_at = message.created_at;
    let from_human = message.sender_type.as_deref() == Some("User");
    let public_reply = message.message_type == message_type::OUTGOING && !message.private;
    match message.message_type {
        message_type::INCOMING => {
            let contact = contacts::find(conn, conversation.account_id, conversation.contact_id)?;
            let blocked = contact.as_ref().is_some_and(|c| c.blocked);
            if updated.waiting_since.is_none() {
                updated.waiting_since = Some(message.created_at);
            }
            if !blocked && updated.status == status::SNOOZED {
                updated.status = status::OPEN;
                updated.snoozed_until = None;
            } else if !blocked && updated.status == status::RESOLVED {
                updated.status = status::OPEN;
                add_activity(
                    conn,
                    &updated,
                    "System reopened the conversation due to a new incoming message.",
                )?;
            }
            if let Some(mut contact) = contact {
                contact.last_activity_at = Some(message.created_at);
                contacts::save(conn, &contact)?;
            }
        }
        _ if public_reply => {
            if from_human && updated.first_reply_created_at.is_none() {
                updated.first_reply_created_at = Some(message.created_at);
            }
            updated.waiting_since = None;
        }
        _ => {}
    }
    let updated = conversations::update(conn, &updated)?;
    reporting_events::message_created(conn, &before, message)?;
    reporting_events::status_changed(conn, &updated, before.status, false)?;
    Ok(())
}

/// Soft delete: the content is replaced and the message marked deleted; attachments are
/// dropped. Returns the message and the storage keys whose files should now be removed.
pub fn soft_delete(conn: &Connection, message: &Message) -> ApiResult<(Message, Vec<String>)> {
    let mut deleted = message.clone();
    deleted.content = Some("This message was deleted".into());
    deleted.content_type = 0;
    deleted.content_attributes = Map::from_iter([("deleted".to_string(), Value::Bool(true))]);
    let removed = crate::db::attachments::delete_for_message(conn, message.id)?;
    Ok((messages::update(conn, &deleted)?, removed))
}

/// An API inbox's webhook refused a message event: the message is marked failed with the
/// error, as Chatwoot does (once; an already failed message is left alone).
pub fn mark_delivery_failed(conn: &Connection, message_id: i64, error: &str) -> ApiResult<()> {
    let Some(mut message) = messages::find_by_id(conn, message_id)? else {
        return Ok(());
    };
    if message.status == FAILED_STATUS {
        return Ok(());
    }
    message.status = FAILED_STATUS;
    message
        .content_attributes
        .insert("external_error".into(), serde_json::Value::from(error));
    messages::update(conn, &message)?;
    Ok(())
}

/// `failed` in Chatwoot's message statuses (sent, delivered, read, failed).
const FAILED_STATUS: i64 = 3;
