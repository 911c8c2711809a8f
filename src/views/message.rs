//! Message JSON: the REST shape (app/views/api/v1/models/_message) and the "push" shape embedded
//! in conversations.

use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::db::conversations::Conversation;
use crate::db::messages::Message;
use crate::domain::conversations::{CONTENT_TYPES, MESSAGE_STATUSES};
use crate::domain::custom_attributes::enum_name;
use crate::domain::timestamps::{iso, iso_opt, secs};
use crate::views::related::Related;

/// The sender's push JSON, when it can be found.
pub fn sender(message: &Message, related: &Related) -> Option<Value> {
    let id = message.sender_id?;
    match message.sender_type.as_deref()? {
        "User" => related.agents.get(&id).map(crate::views::agent::push),
        "Contact" => related.contacts.get(&id).map(crate::views::contact::push),
        "AgentBot" => related
            .bots
            .get(&id)
            .map(|bot| json!({"id": bot.id, "name": bot.name, "avatar_url": "", "type": "agent_bot"})),
        _ => None,
    }
}

fn display_id(message: &Message, related: &Related) -> Value {
    related
        .display_ids
        .get(&message.conversation_id)
        .map_or(Value::Null, |id| Value::from(*id))
}

/// REST message JSON.
pub fn message(message: &Message, related: &Related) -> Value {
    let mut body = json!({
        "id": message.id,
        "content": message.content,
        "inbox_id": message.inbox_id,
        "conversation_id": display_id(message, related),
        "message_type": message.message_type,
        "content_type": enum_name(CONTENT_TYPES, message.content_type),
        "status": enum_name(MESSAGE_STATUSES, message.status),
        "content_attributes": message.content_attributes,
        "created_at": secs(message.created_at),
        "private": message.private,
        "source_id": message.source_id,
    });
    if let Some(map) = body.as_object_mut() {
        if let Some(echo_id) = &message.echo_id {
            map.insert("echo_id".into(), Value::from(echo_id.clone()));
        }
        if let Some(sender) = sender(message, related) {
            map.insert("sender".into(), sender);
        }
        if let Some(files) = related.attachments.get(&message.id).filter(|f| !f.is_empty()) {
            let list = files
                .iter()
                .map(|a| crate::views::attachment::attachment(a, &related.base_url))
                .collect();
            map.insert("attachments".into(), Value::Array(list));
        }
    }
    body
}

/// The conversation summary inside a push message.
#[derive(Serialize)]
pub struct PushConversation<'a> {
    assignee_id: Option<i64>,
    unread_count: i64,
    last_activity_at: i64,
    contact_inbox: ContactInboxRef<'a>,
}

/// `{source_id}` of the conversation's contact inbox.
#[derive(Serialize)]
pub struct ContactInboxRef<'a> {
    source_id: Option<&'a String>,
}

/// Push message JSON (every column plus a conversation summary and the sender), borrowed.
#[derive(Serialize)]
pub struct PushView<'a> {
    id: i64,
    content: &'a Option<String>,
    account_id: i64,
    inbox_id: i64,
    conversation_id: Option<i64>,
    message_type: i64,
    content_type: &'static str,
    status: &'static str,
    private: bool,
    source_id: &'a Option<String>,
    sender_type: &'a Option<String>,
    sender_id: Option<i64>,
    content_attributes: &'a Map<String, Value>,
    additional_attributes: &'a Map<String, Value>,
    external_source_ids: &'a Map<String, Value>,
    processed_message_content: &'a Option<String>,
    sentiment: Map<String, Value>,
    created_at: i64,
    updated_at: String,
    conversation: Option<PushConversation<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    echo_id: &'a Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sender: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    attachments: Option<Vec<Value>>,
}

/// The typed push view of `message`; see [`push`].
pub fn push_view<'a>(message: &'a Message, related: &'a Related) -> PushView<'a> {
    let conversation = related
        .conversations
        .get(&message.conversation_id)
        .map(|c| PushConversation {
            assignee_id: c.assignee_id,
            unread_count: related.unread.get(&c.id).copied().unwrap_or(0),
            last_activity_at: secs(c.last_activity_at),
            contact_inbox: ContactInboxRef {
                source_id: c.contact_inbox_id.and_then(|id| related.source_ids.get(&id)),
            },
        });
    PushView {
        id: message.id,
        content: &message.content,
        account_id: message.account_id,
        inbox_id: message.inbox_id,
        conversation_id: related.display_ids.get(&message.conversation_id).copied(),
        message_type: message.message_type,
        content_type: enum_name(CONTENT_TYPES, message.content_type),
        status: enum_name(MESSAGE_STATUSES, message.status),
        private: message.private,
        source_id: &message.source_id,
        sender_type: &message.sender_type,
        sender_id: message.sender_id,
        content_attributes: &message.content_attributes,
        additional_attributes: &message.additional_attributes,
        external_source_ids: &message.external_source_ids,
        processed_message_content: &message.content,
        sentiment: Map::new(),
        created_at: secs(message.created_at),
        updated_at: iso(message.updated_at),
        conversation,
        echo_id: &message.echo_id,
        sender: sender(message, related),
        attachments: related
            .attachments
            .get(&message.id)
            .filter(|f| !f.is_empty())
            .map(|files| {
                files
                    .iter()
                    .map(|a| crate::views::attachment::attachment(a, &related.base_url))
                    .collect()
            }),
    }
}

/// Push message JSON (every column plus a conversation summary and the sender).
pub fn push(message: &Message, related: &Related) -> Value {
    serde_json::to_value(push_view(message, related)).unwrap_or(Value::Null)
}

/// `GET …/messages`: `{meta: {labels, additional_attributes, contact, agent_last_seen_at,
/// assignee_last_seen_at, assignee?}, payload: [message]}`.
pub fn page(c: &Conversation, labels: &[String], list: &[Message], related: &Related) -> Value {
    let mut meta = json!({
        "labels": labels,
        "additional_attributes": c.additional_attributes,
        "contact": related.contacts.get(&c.contact_id).map(crate::views::contact::push),
        "agent_last_seen_at": iso_opt(c.agent_last_seen_at),
        "assignee_last_seen_at": iso_opt(c.assignee_last_seen_at),
    });
    if let (Some(agent), Some(map)) = (
        c.assignee_id.and_then(|a| related.agents.get(&a)),
        meta.as_object_mut(),
    ) {
        map.insert("assignee".into(), crate::views::agent::push(agent));
    }
    let payload: Vec<Value> = list.iter().map(|m| message(m, related)).collect();
    json!({"meta": meta, "payload": payload})
}
