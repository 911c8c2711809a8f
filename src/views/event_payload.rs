//! Webhook and agent-bot payloads (BEHAVIOR-core §10): Chatwoot's `webhook_data` of
//! conversations, messages and contacts, each with its `event`.

use serde_json::{Map, Value, json};

use crate::db::accounts::Account;
use crate::db::contacts::{Contact, ContactInbox};
use crate::db::conversations::Conversation;
use crate::db::inboxes::Inbox;
use crate::db::messages::Message;
use crate::domain::conversations::{CONTENT_TYPES, PRIORITIES, STATUSES};
use crate::domain::custom_attributes::enum_name;
use crate::domain::timestamps::{iso, iso_opt, secs};
use crate::views;
use crate::views::related::Related;

/// Chatwoot's message types by number (webhooks send the name).
const MESSAGE_TYPES: &[&str] = &["incoming", "outgoing", "activity", "template"];

/// The conversation's `webhook_data`.
pub fn conversation(
    c: &Conversation,
    related: &Related,
    contact_inbox: Option<&ContactInbox>,
) -> Map<String, Value> {
    let contact = related.contacts.get(&c.contact_id);
    let (assignee, assignee_type) = match (
        c.assignee_id.and_then(|id| related.agents.get(&id)),
        c.assignee_agent_bot_id.and_then(|id| related.bots.get(&id)),
    ) {
        (Some(agent), _) => (views::agent::agent(agent), Value::from("User")),
        (None, Some(bot)) => (
            json!({"id": bot.id, "name": bot.name, "type": "agent_bot"}),
            Value::from("AgentBot"),
        ),
        (None, None) => (Value::Null, Value::Null),
    };
    let team = c
        .team_id
        .and_then(|id| related.teams.get(&id))
        .map_or(Value::Null, |t| json!({"id": t.id, "name": t.name}));
    let ms_secs = |ms: Option<i64>| ms.map_or(Value::Null, |v| Value::from(secs(v)));
    let body = json!({
        "additional_attributes": c.additional_attributes,
        "can_reply": true,
        "channel": related.channel_types.get(&c.inbox_id),
        "contact_inbox": contact_inbox.map(|ci| json!({
            "id": ci.id, "contact_id": ci.contact_id, "inbox_id": ci.inbox_id, "source_id": ci.source_id,
            "created_at": iso(ci.created_at), "updated_at": iso(ci.updated_at),
            "hmac_verified": ci.hmac_verified, "pubsub_token": ci.pubsub_token,
        })),
        "id": c.display_id,
        "inbox_id": c.inbox_id,
        "messages": related.latest_non_activity.get(&c.id).filter(|m| !m.private)
            .map(|m| views::message::push(m, related)).into_iter().collect::<Vec<_>>(),
        "labels": related.labels.get(&c.id).cloned().unwrap_or_default(),
        "meta": {
            "sender": contact.map(views::contact::push),
            "assignee": assignee,
            "assignee_type": assignee_type,
            "team": team,
            "hmac_verified": contact_inbox.is_some_and(|ci| ci.hmac_verified),
        },
        "status": enum_name(STATUSES, c.status),
        "custom_attributes": c.custom_attributes,
        "snoozed_until": iso_opt(c.snoozed_until),
        "unread_count": related.unread.get(&c.id).copied().unwrap_or(0),
        "first_reply_created_at": iso_opt(c.first_reply_created_at),
        "priority": c.priority.map(|p| enum_name(PRIORITIES, p)),
        "waiting_since": ms_secs(c.waiting_since),
        "agent_last_seen_at": ms_secs(c.agent_last_seen_at),
        "contact_last_seen_at": ms_secs(c.contact_last_seen_at),
        "last_activity_at": secs(c.last_activity_at),
        "timestamp": secs(c.last_activity_at),
        "created_at": secs(c.created_at),
        "updated_at": c.updated_at as f64 / 1000.0,
    });
    match body {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

/// `{"event": name, …data, "changed_attributes"?}`: the event name first, as Chatwoot merges it.
pub fn with_event(name: &str, data: Map<String, Value>, changed: Option<Value>) -> Value {
    let mut body = Map::with_capacity(data.len() + 2);
    body.insert("event".into(), Value::from(name));
    body.extend(data);
    if let Some(changed) = changed {
        body.insert("changed_attributes".into(), changed);
    }
    Value::Object(body)
}

/// A user as webhooks show them (`User#webhook_data`).
pub fn user(agent: &crate::db::agents::Agent) -> Value {
    json!({"id": agent.id, "name": agent.name, "email": agent.email, "type": "user"})
}

/// `conversation_typing_on/off`: `{event, user, conversation, is_private}`.
pub fn typing(name: &str, user: Value, conversation: Map<String, Value>, is_private: bool) -> Value {
    json!({
        "event": name,
        "user": user,
        "conversation": conversation,
        "is_private": is_private,
    })
}

/// A message sender as webhooks show it.
fn sender(message: &Message, related: &Related, account: &Account) -> Value {
    let id = message.sender_id.unwrap_or_default();
    match message.sender_type.as_deref() {
        Some("Contact") => related
            .contacts
            .get(&id)
            .map_or(Value::Null, |c| contact_sender(c, account)),
        Some("User") => related.agents.get(&id).map_or(Value::Null, user),
        Some("AgentBot") => related.bots.get(&id).map_or(
            Value::Null,
            |b| json!({"id": b.id, "name": b.name, "type": "agent_bot"}),
        ),
        _ => Value::Null,
    }
}

fn contact_sender(contact: &Contact, account: &Account) -> Value {
    json!({
        "id": contact.id, "name": contact.name, "email": contact.email,
        "phone_number": contact.phone_number, "identifier": contact.identifier,
        "thumbnail": "", "avatar": "", "blocked": contact.blocked,
        "additional_attributes": contact.additional_attributes,
        "custom_attributes": contact.custom_attributes,
        "account": {"id": account.id, "name": account.name},
    })
}

/// `message_created` / `message_updated` data.
pub fn message(
    message: &Message,
    related: &Related,
    account: &Account,
    inbox: &Inbox,
    conversation: Map<String, Value>,
) -> Map<String, Value> {
    let mut body = Map::new();
    body.insert("id".into(), Value::from(message.id));
    body.insert("content".into(), json!(message.content));
    body.insert(
        "content_type".into(),
        Value::from(enum_name(CONTENT_TYPES, message.content_type)),
    );
    body.insert(
        "content_attributes".into(),
        Value::Object(message.content_attributes.clone()),
    );
    body.insert(
        "message_type".into(),
        Value::from(enum_name(MESSAGE_TYPES, message.message_type)),
    );
    body.insert("private".into(), Value::from(message.private));
    body.insert("source_id".into(), json!(message.source_id));
    body.insert("created_at".into(), Value::from(iso(message.created_at)));
    body.insert(
        "additional_attributes".into(),
        Value::Object(message.additional_attributes.clone()),
    );
    if let Some(files) = related.attachments.get(&message.id).filter(|f| !f.is_empty()) {
        let files = files
            .iter()
            .map(|a| views::attachment::attachment(a, &related.base_url))
            .collect();
        body.insert("attachments".into(), Value::Array(files));
    }
    body.insert("account".into(), json!({"id": account.id, "name": account.name}));
    body.insert("inbox".into(), json!({"id": inbox.id, "name": inbox.name}));
    body.insert("conversation".into(), Value::Object(conversation));
    body.insert("sender".into(), sender(message, related, account));
    body
}

/// `contact_created` / `contact_updated` data.
pub fn contact(contact: &Contact, account: &Account) -> Map<String, Value> {
    match contact_sender(contact, account) {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

/// `inbox_created` / `inbox_updated` data: the inbox's settings and channel, no top-level id.
pub fn inbox(inbox: &Inbox) -> Map<String, Value> {
    let mut body = match views::inbox::raw(inbox) {
        Value::Object(map) => map,
        _ => Map::new(),
    };
    body.remove("id");
    body.insert("channel".into(), Value::from(inbox.channel.channel_type.clone()));
    body
}

/// `webwidget_triggered`: the contact inbox's `webhook_data` (`id` is the contact inbox's)
/// with the widget's `event_info`.
pub fn webwidget_triggered(
    contact_inbox: &ContactInbox,
    contact: &Contact,
    inbox: &Inbox,
    account: &Account,
    current_conversation: Option<Map<String, Value>>,
    event_info: Value,
) -> Value {
    json!({
        "event": "webwidget_triggered",
        "id": contact_inbox.id,
        "contact": contact_sender(contact, account),
        "inbox": {"id": inbox.id, "name": inbox.name},
        "account": {"id": account.id, "name": account.name},
        "current_conversation": current_conversation,
        "source_id": contact_inbox.source_id,
        "event_info": event_info,
    })
}
