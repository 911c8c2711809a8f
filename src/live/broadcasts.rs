//! What a committed event means on `/cable`: Chatwoot's ActionCable event names, payloads and
//! recipients (app/listeners/action_cable_listener.rb). One read per event, whatever the number
//! of sockets; the message is serialized once and shared by every recipient.

use std::sync::Arc;

use rusqlite::Connection;
use serde_json::{Map, Value, json};

use crate::db::events::StoredEvent;
use crate::db::{agents, contacts, conversations, live, messages};
use crate::domain::conversations::message_type;
use crate::domain::events::Typer;
use crate::error::ApiResult;
use crate::events::payloads::conversation_payload;
use crate::live::hub::Stream;
use crate::live::protocol;
use crate::services::conversation_loader;
use crate::views;

/// One message for a set of streams.
#[derive(Debug, Clone)]
pub struct Broadcast {
    pub streams: Vec<Stream>,
    pub message: Arc<str>,
}

fn broadcast(streams: Vec<Stream>, event: &str, data: Value) -> Broadcast {
    Broadcast {
        streams,
        message: Arc::from(protocol::message(event, &data)),
    }
}

/// Every payload carries the account id (the mobile app drops events without it).
fn with_account(mut data: Map<String, Value>, account_id: i64) -> Value {
    data.entry("account_id").or_insert(Value::from(account_id));
    Value::Object(data)
}

fn users(ids: Vec<i64>) -> Vec<Stream> {
    ids.into_iter().map(Stream::User).collect()
}

/// The broadcasts an event causes (none for events `/cable` does not carry).
pub fn for_event(conn: &Connection, event: &StoredEvent, base_url: &str) -> ApiResult<Vec<Broadcast>> {
    let name = event.name.as_str();
    match name {
        "message_created" | "message_updated" => message(conn, event, base_url),
        "conversation_created" | "conversation_status_changed" | "conversation_updated" => {
            conversation(conn, event, base_url)
        }
        "conversation_typing_on" | "conversation_typing_off" => typing(conn, event, base_url),
        "conversation_read" => {
            let Some(c) = find_conversation(conn, event)? else {
                return Ok(Vec::new());
            };
            let data = with_account(conversation_payload(conn, &c, base_url)?, c.account_id);
            let agents = users(live::inbox_agents(conn, c.account_id, c.inbox_id)?);
            Ok(vec![broadcast(agents, "conversation.read", data)])
        }
        "contact_deleted" => {
            // The row is gone: the data is what the delete trigger kept (with account_id).
            let data: Value = event
                .detail
                .as_deref()
                .and_then(|text| serde_json::from_str(text).ok())
                .unwrap_or(Value::Null);
            Ok(vec![broadcast(
                vec![Stream::Account(event.account_id)],
                "contact.deleted",
                data,
            )])
        }
        "contact_created" | "contact_updated" | "contact_merged" => {
            let Some(contact) = event
                .contact_id
                .map(|id| contacts::find_by_id(conn, id))
                .transpose()?
                .flatten()
            else {
                return Ok(Vec::new());
            };
            let data = match views::contact::push(&contact) {
                Value::Object(map) => with_account(map, event.account_id),
                other => other,
            };
            let cable_name = name.replacen('_', ".", 1);
            Ok(vec![broadcast(
                vec![Stream::Account(event.account_id)],
                &cable_name,
                data,
            )])
        }
        _ if name.starts_with("notification_") => {
            crate::live::notifications::for_event(conn, event, base_url)
        }
        _ => Ok(Vec::new()),
    }
}

fn message(conn: &Connection, event: &StoredEvent, base_url: &str) -> ApiResult<Vec<Broadcast>> {
    let Some(m) = event
        .message_id
        .map(|id| messages::find_by_id(conn, id))
        .transpose()?
        .flatten()
    else {
        return Ok(Vec::new());
    };
    let Some(c) = conversations::find_by_id(conn, m.conversation_id)? else {
        return Ok(Vec::new());
    };
    let related = conversation_loader::for_message(conn, base_url, &m, &c)?;
    let data = views::message::push(&m, &related);
    let mut streams = users(live::inbox_agents(conn, c.account_id, c.inbox_id)?);
    if !m.private
        && m.message_type != message_type::ACTIVITY
        && let Some(contact_inbox_id) = c.contact_inbox_id
    {
        streams.push(Stream::ContactInbox(contact_inbox_id));
    }
    let cable_name = if event.name == "message_created" {
        "message.created"
    } else {
        "message.updated"
    };
    Ok(vec![broadcast(streams, cable_name, data)])
}

fn find_conversation(
    conn: &Connection,
    event: &StoredEvent,
) -> ApiResult<Option<conversations::Conversation>> {
    Ok(event
        .conversation_id
        .map(|id| conversations::find_by_id(conn, id))
        .transpose()?
        .flatten())
}

/// `conversation.typing_on/off`: the inbox's agents and the contact, never the typer; an
/// agent typing a private note is not shown to the contact.
fn typing(conn: &Connection, event: &StoredEvent, base_url: &str) -> ApiResult<Vec<Broadcast>> {
    let (Some(typer), Some(c)) = (
        Typer::parse(event.detail.as_deref()),
        find_conversation(conn, event)?,
    ) else {
        return Ok(Vec::new());
    };
    let mut streams = users(live::inbox_agents(conn, c.account_id, c.inbox_id)?);
    let user = match typer {
        Typer::User { id, is_private } => {
            streams.retain(|s| *s != Stream::User(id));
            if !is_private {
                streams.extend(c.contact_inbox_id.map(Stream::ContactInbox));
            }
            match agents::find(conn, c.account_id, id)? {
                Some(agent) => views::agent::push(&agent),
                None => return Ok(Vec::new()),
            }
        }
        Typer::Contact { id } => match contacts::find_by_id(conn, id)? {
            Some(contact) => views::contact::push(&contact),
            None => return Ok(Vec::new()),
        },
    };
    let data = json!({
        "conversation": conversation_payload(conn, &c, base_url)?,
        "user": user,
        "is_private": typer.is_private(),
        "account_id": c.account_id,
    });
    Ok(vec![broadcast(streams, &event.name.replacen('_', ".", 1), data)])
}

fn conversation(conn: &Connection, event: &StoredEvent, base_url: &str) -> ApiResult<Vec<Broadcast>> {
    let Some(c) = find_conversation(conn, event)? else {
        return Ok(Vec::new());
    };
    let data = with_account(conversation_payload(conn, &c, base_url)?, c.account_id);
    let agents = users(live::inbox_agents(conn, c.account_id, c.inbox_id)?);
    let mut everyone = agents.clone();
    everyone.extend(c.contact_inbox_id.map(Stream::ContactInbox));
    let cable_name = match event.name.as_str() {
        "conversation_created" => "conversation.created",
        "conversation_status_changed" => "conversation.status_changed",
        _ => "conversation.updated",
    };
    let mut out = vec![broadcast(everyone, cable_name, data.clone())];
    // Chatwoot's listener announces assignment and team moves under their own names (agents only).
    if event.name == "conversation_updated" {
        let changed = changed_keys(event.changed.as_deref());
        if changed
            .iter()
            .any(|k| k == "assignee_id" || k == "assignee_agent_bot_id")
        {
            out.push(broadcast(agents.clone(), "assignee.changed", data.clone()));
        }
        if changed.iter().any(|k| k == "team_id") {
            out.push(broadcast(agents, "team.changed", data));
        }
    }
    Ok(out)
}

/// The attribute names of a stored `changed_attributes` list (`[{"attr": {…}}, …]`).
fn changed_keys(changed: Option<&str>) -> Vec<String> {
    let list: Vec<Map<String, Value>> = changed
        .and_then(|text| serde_json::from_str(text).ok())
        .unwrap_or_default();
    list.into_iter()
        .flat_map(|entry| entry.into_iter().map(|(key, _)| key))
        .collect()
}
