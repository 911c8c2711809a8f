//! Contact JSON (app/views/api/v1/models/_contact.json.jbuilder) and its push/webhook forms.

use std::collections::HashMap;

use serde_json::{Value, json};

use crate::db::contacts::{Contact, ContactInbox};
use crate::domain::timestamps::secs;

/// Inbox summary inside `contact_inboxes` (`{id,avatar_url,channel_id,name,channel_type,provider}`).
pub fn inbox_slim(ci: &ContactInbox) -> Value {
    json!({
        "id": ci.inbox_id,
        "avatar_url": "",
        "channel_id": ci.channel_id,
        "name": ci.inbox_name,
        "channel_type": ci.channel_type,
        "provider": Value::Null,
    })
}

/// `{source_id, inbox}`: one contact inbox, with the inbox summary.
pub fn contact_inbox(ci: &ContactInbox) -> Value {
    reachable_in(&ci.source_id, inbox_slim(ci))
}

/// `{source_id, inbox}` with any inbox JSON (contactable inboxes carry the full inbox).
pub fn reachable_in(source_id: &str, inbox: Value) -> Value {
    json!({"source_id": source_id, "inbox": inbox})
}

/// `{source_id, inbox}` items of a contact.
pub fn contact_inboxes(list: &[ContactInbox]) -> Value {
    Value::Array(list.iter().map(contact_inbox).collect())
}

/// `POST contacts`: `{payload: {contact, contact_inbox: {inbox, source_id}}}` (nulls without an
/// inbox).
pub fn created(contact: Value, inbox: Value, source_id: Value) -> Value {
    json!({"payload": {"contact": contact, "contact_inbox": {"inbox": inbox, "source_id": source_id}}})
}

/// Contact JSON; `inboxes` adds `contact_inboxes` (the /contacts endpoints do).
pub fn contact(contact: &Contact, inboxes: Option<&[ContactInbox]>) -> Value {
    let mut body = json!({
        "additional_attributes": contact.additional_attributes,
        "availability_status": "offline",
        "email": contact.email,
        "id": contact.id,
        "name": contact.name,
        "phone_number": contact.phone_number,
        "blocked": contact.blocked,
        "identifier": contact.identifier,
        "thumbnail": "",
        "custom_attributes": contact.custom_attributes,
        "created_at": secs(contact.created_at),
    });
    if let Some(map) = body.as_object_mut() {
        if let Some(at) = contact.last_activity_at {
            map.insert("last_activity_at".into(), Value::from(secs(at)));
        }
        if let Some(inboxes) = inboxes {
            map.insert("contact_inboxes".into(), contact_inboxes(inboxes));
        }
    }
    body
}

/// Contacts with their contact inboxes (looked up in one query by the caller).
pub fn contacts(list: &[Contact], inboxes: &HashMap<i64, Vec<ContactInbox>>) -> Vec<Value> {
    list.iter()
        .map(|c| contact(c, Some(inboxes.get(&c.id).map_or(&[][..], Vec::as_slice))))
        .collect()
}

/// The contact "push" form used inside conversations and messages.
pub fn push(contact: &Contact) -> Value {
    json!({
        "additional_attributes": contact.additional_attributes,
        "custom_attributes": contact.custom_attributes,
        "email": contact.email,
        "id": contact.id,
        "identifier": contact.identifier,
        "name": contact.name,
        "phone_number": contact.phone_number,
        "thumbnail": "",
        "blocked": contact.blocked,
        "type": "contact",
    })
}

/// A contact list: `{meta: {count, current_page}, payload}`; `count` is null for a blank search
/// and `current_page` echoes the request's `page` as sent.
pub fn page(count: Option<i64>, current_page: Value, payload: Vec<Value>) -> Value {
    json!({"meta": {"count": count, "current_page": current_page}, "payload": payload})
}
