//! Client (public) API shapes (app/views/public/api/v1/models/*).

use serde_json::{Value, json};

use crate::db::contacts::{Contact, ContactInbox};
use crate::db::conversations::Conversation;
use crate::db::inboxes::Inbox;
use crate::db::messages::Message;
use crate::domain::conversations::{CONTENT_TYPES, STATUSES};
use crate::domain::custom_attributes::enum_name;
use crate::domain::timestamps::{iso, iso_opt, secs};
use crate::views::related::Related;

/// `GET /public/api/v1/inboxes/{identifier}`
pub fn inbox(inbox: &Inbox) -> Value {
    json!({
        "identifier": inbox.channel.identifier,
        "identity_validation_enabled": inbox.channel.setting("hmac_mandatory").as_bool().unwrap_or(false),
        "name": inbox.name,
        "timezone": inbox.timezone,
        "working_hours": inbox.working_hours,
        "working_hours_enabled": inbox.working_hours_enabled,
        "csat_survey_enabled": inbox.csat_survey_enabled,
        "greeting_enabled": inbox.greeting_enabled,
    })
}

/// `{source_id, pubsub_token, id, name, email, phone_number}`
pub fn contact(contact: &Contact, contact_inbox: &ContactInbox) -> Value {
    json!({
        "source_id": contact_inbox.source_id,
        "pubsub_token": contact_inbox.pubsub_token,
        "id": contact.id,
        "name": contact.name,
        "email": contact.email,
        "phone_number": contact.phone_number,
    })
}

/// The raw ActiveRecord JSON of a contact (public contact update, public conversations).
pub fn raw_contact(contact: &Contact) -> Value {
    let lead = contact.email.is_some() || contact.phone_number.is_some() || contact.identifier.is_some();
    json!({
        "id": contact.id,
        "name": contact.name,
        "email": contact.email,
        "phone_number": contact.phone_number,
        "account_id": contact.account_id,
        "created_at": iso(contact.created_at),
        "updated_at": iso(contact.updated_at),
        "additional_attributes": contact.additional_attributes,
        "identifier": contact.identifier,
        "custom_attributes": contact.custom_attributes,
        "last_activity_at": iso_opt(contact.last_activity_at),
        "contact_type": if lead { "lead" } else { "visitor" },
        "blocked": contact.blocked,
    })
}

/// Public message: `sender` and `attachments` only when present.
pub fn message(message: &Message, display_id: i64, related: &Related) -> Value {
    let mut body = json!({
        "id": message.id,
        "content": message.content,
        "message_type": message.message_type,
        "content_type": enum_name(CONTENT_TYPES, message.content_type),
        "content_attributes": message.content_attributes,
        "created_at": secs(message.created_at),
        "conversation_id": display_id,
    });
    if let Some(map) = body.as_object_mut() {
        if let Some(echo_id) = &message.echo_id {
            map.insert("echo_id".into(), Value::from(echo_id.clone()));
        }
        if let Some(files) = related.attachments.get(&message.id).filter(|f| !f.is_empty()) {
            let list = files
                .iter()
                .map(|a| crate::views::attachment::attachment(a, &related.base_url))
                .collect();
            map.insert("attachments".into(), Value::Array(list));
        }
        if let Some(sender) = crate::views::message::sender(message, related) {
            map.insert("sender".into(), sender);
        }
    }
    body
}

/// Public conversation with every public message.
pub fn conversation(c: &Conversation, contact: &Contact, messages: &[Message], related: &Related) -> Value {
    json!({
        "id": c.display_id,
        "uuid": c.uuid,
        "inbox_id": c.inbox_id,
        "contact_last_seen_at": c.contact_last_seen_at.map_or(0, secs),
        "agent_last_seen_at": c.agent_last_seen_at.map_or(0, secs),
        "status": enum_name(STATUSES, c.status),
        "messages": messages.iter().map(|m| message(m, c.display_id, related)).collect::<Vec<_>>(),
        "contact": raw_contact(contact),
    })
}
