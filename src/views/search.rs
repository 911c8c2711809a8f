//! Search JSON (app/views/api/v1/accounts/search/*.json.jbuilder): slim contacts, messages
//! with their inbox and sender, conversations with their first message, contact, inbox and
//! agent. A missing part is an empty object, as jbuilder renders a block with nothing in it.

use std::collections::HashMap;

use serde_json::{Map, Value, json};

use crate::db::agents::Agent;
use crate::db::contacts::Contact;
use crate::db::conversations::Conversation;
use crate::db::messages::Message;
use crate::db::search::InboxRef;
use crate::domain::conversations::CONTENT_TYPES;
use crate::domain::custom_attributes::enum_name;
use crate::domain::timestamps::secs;
use crate::views::related::Related;

/// Messages with their senders, conversations' display ids and inboxes.
#[derive(Debug, Default)]
pub struct MessageHits {
    pub messages: Vec<Message>,
    pub related: Related,
    pub inboxes: HashMap<i64, InboxRef>,
}

/// Conversations with their first message, contact, inbox and assignee.
#[derive(Debug, Default)]
pub struct ConversationHits {
    pub conversations: Vec<Conversation>,
    pub first: MessageHits,
    pub contacts: HashMap<i64, Contact>,
    pub agents: HashMap<i64, Agent>,
    pub inboxes: HashMap<i64, InboxRef>,
}

fn empty() -> Value {
    Value::Object(Map::new())
}

/// `search/_inbox`
fn inbox(inbox: Option<&InboxRef>) -> Value {
    inbox.map_or_else(
        empty,
        |i| json!({"id": i.id, "channel_id": i.channel_id, "name": i.name, "channel_type": i.channel_type}),
    )
}

/// `search/_agent`
fn agent(agent: Option<&Agent>) -> Value {
    agent.map_or_else(empty, |a| {
        json!({"id": a.id, "available_name": a.available_name(), "email": a.email, "name": a.name,
            "role": a.role.as_str()})
    })
}

/// `search/_contact`
pub fn contact(contact: &Contact) -> Value {
    json!({
        "email": contact.email,
        "id": contact.id,
        "name": contact.name,
        "phone_number": contact.phone_number,
        "identifier": contact.identifier,
        "additional_attributes": contact.additional_attributes,
        "last_activity_at": contact.last_activity_at.map(secs),
    })
}

/// `search/_message`
pub fn message(message: &Message, hits: &MessageHits) -> Value {
    let mut body = json!({
        "id": message.id,
        "content": message.content,
        "message_type": message.message_type,
        "content_type": enum_name(CONTENT_TYPES, message.content_type),
        "source_id": message.source_id,
        "inbox_id": message.inbox_id,
        "conversation_id": hits.related.display_ids.get(&message.conversation_id),
        "created_at": secs(message.created_at),
    });
    if let Some(map) = body.as_object_mut() {
        if let Some(sender) = crate::views::message::sender(message, &hits.related) {
            map.insert("sender".into(), sender);
        }
        map.insert("inbox".into(), inbox(hits.inboxes.get(&message.inbox_id)));
    }
    body
}

/// `search/_conversation_search_result` plus `additional_attributes` (`search/conversations`).
pub fn conversation(c: &Conversation, hits: &ConversationHits) -> Value {
    let first = hits
        .first
        .messages
        .iter()
        .find(|m| m.conversation_id == c.id)
        .map_or_else(empty, |m| message(m, &hits.first));
    json!({
        "id": c.display_id,
        "account_id": c.account_id,
        "created_at": secs(c.created_at),
        "message": first,
        "contact": hits.contacts.get(&c.contact_id).map_or_else(empty, contact),
        "inbox": inbox(hits.inboxes.get(&c.inbox_id)),
        "agent": agent(c.assignee_id.and_then(|id| hits.agents.get(&id))),
        "additional_attributes": c.additional_attributes,
    })
}

/// `{payload: {conversations: […]}}`
pub fn conversations(hits: &ConversationHits) -> Vec<Value> {
    hits.conversations.iter().map(|c| conversation(c, hits)).collect()
}

/// Messages of a search page.
pub fn messages(hits: &MessageHits) -> Vec<Value> {
    hits.messages.iter().map(|m| message(m, hits)).collect()
}

/// Contacts of a search page.
pub fn contacts(list: &[Contact]) -> Vec<Value> {
    list.iter().map(contact).collect()
}

/// `GET search`: `{payload: {conversations, contacts, messages}}`.
pub fn everything(conversations: &ConversationHits, contacts: &[Contact], messages: &MessageHits) -> Value {
    json!({"payload": {
        "conversations": self::conversations(conversations),
        "contacts": self::contacts(contacts),
        "messages": self::messages(messages),
    }})
}

/// One kind's search page: `{payload: {<kind>: rows}}`.
pub fn payload(kind: &str, rows: Vec<Value>) -> Value {
    let mut inner = Map::new();
    inner.insert(kind.to_string(), Value::Array(rows));
    json!({ "payload": inner })
}
