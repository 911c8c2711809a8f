//! Webhook and agent-bot bodies (BEHAVIOR-core §10), built from the current rows when the
//! dispatcher first sends an event — after the write that recorded it has committed, so the
//! writer lock is never held for them. Chatwoot's listener jobs do the same: they load the
//! record when the job runs. The body is then stored with the event, so every attempt of a
//! delivery sends the same bytes.

use rusqlite::Connection;
use serde_json::{Map, Value};

use crate::caller::Viewer;
use crate::db::events::StoredEvent;
use crate::db::{accounts, agents, contacts, conversations, inboxes, messages};
use crate::domain::events::Typer;
use crate::error::{ApiError, ApiResult};
use crate::services::conversation_loader;
use crate::views::event_payload;
use crate::views::related::Related;

/// The body of `event`, or `None` when its record no longer exists.
pub fn render(conn: &Connection, event: &StoredEvent, base_url: &str) -> ApiResult<Option<Value>> {
    let name = event.name.as_str();
    let changed = || {
        event
            .changed
            .as_deref()
            .and_then(|text| serde_json::from_str(text).ok())
    };
    let body = match name {
        "message_created" | "message_updated" => {
            let Some(m) = find(event.message_id, |id| messages::find_by_id(conn, id))? else {
                return Ok(None);
            };
            message(conn, &m, base_url)?.map(|data| event_payload::with_event(name, data, None))
        }
        "conversation_typing_on" | "conversation_typing_off" => typing(conn, event, base_url)?,
        "webwidget_triggered" => webwidget_triggered(conn, event, base_url)?,
        _ if name.starts_with("conversation_") => {
            conversation(conn, event, base_url)?.map(|data| event_payload::with_event(name, data, changed()))
        }
        "contact_created" | "contact_updated" => {
            let Some(contact) = find(event.contact_id, |id| contacts::find_by_id(conn, id))? else {
                return Ok(None);
            };
            let account = accounts::find(conn, contact.account_id)?.ok_or(ApiError::NotFound)?;
            Some(event_payload::with_event(
                name,
                event_payload::contact(&contact, &account),
                changed(),
            ))
        }
        "inbox_created" | "inbox_updated" => find(event.inbox_id, |id| inboxes::find_by_id(conn, id))?
            .map(|inbox| event_payload::with_event(name, event_payload::inbox(&inbox), None)),
        _ => None,
    };
    Ok(body)
}

fn find<T>(
    id: Option<i64>,
    load: impl FnOnce(i64) -> crate::db::DbResult<Option<T>>,
) -> ApiResult<Option<T>> {
    Ok(id.map(load).transpose()?.flatten())
}

fn conversation(
    conn: &Connection,
    event: &StoredEvent,
    base_url: &str,
) -> ApiResult<Option<Map<String, Value>>> {
    let Some(c) = find(event.conversation_id, |id| conversations::find_by_id(conn, id))? else {
        return Ok(None);
    };
    Ok(Some(conversation_payload(conn, &c, base_url)?))
}

/// `message_created` / `message_updated` data: the message with its conversation's payload.
fn message(
    conn: &Connection,
    m: &messages::Message,
    base_url: &str,
) -> ApiResult<Option<Map<String, Value>>> {
    let Some(c) = conversations::find_by_id(conn, m.conversation_id)? else {
        return Ok(None);
    };
    let viewer = Viewer {
        account_id: c.account_id,
        user_id: 0,
        base_url: base_url.to_string(),
    };
    let mut related = conversation_loader::load(conn, &viewer, std::slice::from_ref(&c))?;
    conversation_loader::add_senders(
        conn,
        &viewer,
        &mut related,
        std::slice::from_ref(m),
        std::slice::from_ref(&c),
    )?;
    let account = accounts::find(conn, m.account_id)?.ok_or(ApiError::NotFound)?;
    let inbox = inboxes::find_by_id(conn, m.inbox_id)?.ok_or(ApiError::NotFound)?;
    let conversation = conversation_payload_with(conn, &c, &related)?;
    Ok(Some(event_payload::message(
        m,
        &related,
        &account,
        &inbox,
        conversation,
    )))
}

/// `conversation_typing_on/off`: `{event, user, conversation, is_private}`.
fn typing(conn: &Connection, event: &StoredEvent, base_url: &str) -> ApiResult<Option<Value>> {
    let Some(typer) = Typer::parse(event.detail.as_deref()) else {
        return Ok(None);
    };
    let Some(c) = find(event.conversation_id, |id| conversations::find_by_id(conn, id))? else {
        return Ok(None);
    };
    let user = match typer {
        Typer::User { id, .. } => match agents::find(conn, c.account_id, id)? {
            Some(agent) => event_payload::user(&agent),
            None => return Ok(None),
        },
        Typer::Contact { id, .. } => {
            let Some(contact) = contacts::find_by_id(conn, id)? else {
                return Ok(None);
            };
            let account = accounts::find(conn, c.account_id)?.ok_or(ApiError::NotFound)?;
            Value::Object(event_payload::contact(&contact, &account))
        }
    };
    let conversation = conversation_payload(conn, &c, base_url)?;
    Ok(Some(event_payload::typing(
        &event.name,
        user,
        conversation,
        typer.is_private(),
    )))
}

/// `webwidget_triggered`: `{event, id, contact, inbox, account, current_conversation,
/// source_id, event_info}` (the contact inbox and event info are in the event's detail).
fn webwidget_triggered(conn: &Connection, event: &StoredEvent, base_url: &str) -> ApiResult<Option<Value>> {
    let detail: Value = event
        .detail
        .as_deref()
        .and_then(|text| serde_json::from_str(text).ok())
        .unwrap_or(Value::Null);
    let Some(ci) = find(detail["contact_inbox_id"].as_i64(), |id| {
        contacts::find_contact_inbox_by_id(conn, id)
    })?
    else {
        return Ok(None);
    };
    let Some(contact) = contacts::find_by_id(conn, ci.contact_id)? else {
        return Ok(None);
    };
    let Some(inbox) = inboxes::find_by_id(conn, ci.inbox_id)? else {
        return Ok(None);
    };
    let account = accounts::find(conn, inbox.account_id)?.ok_or(ApiError::NotFound)?;
    let current = match find(event.conversation_id, |id| conversations::find_by_id(conn, id))? {
        Some(c) => Some(conversation_payload(conn, &c, base_url)?),
        None => None,
    };
    Ok(Some(event_payload::webwidget_triggered(
        &ci,
        &contact,
        &inbox,
        &account,
        current,
        detail["event_info"].clone(),
    )))
}

/// A conversation's `webhook_data` (also what automation's `send_webhook_event` sends and what
/// `/cable` carries for conversation events).
pub fn conversation_payload(
    conn: &Connection,
    c: &conversations::Conversation,
    base_url: &str,
) -> ApiResult<Map<String, Value>> {
    let viewer = Viewer {
        account_id: c.account_id,
        user_id: 0,
        base_url: base_url.to_string(),
    };
    let related = conversation_loader::load(conn, &viewer, std::slice::from_ref(c))?;
    conversation_payload_with(conn, c, &related)
}

/// [`conversation_payload`] from rows already loaded.
fn conversation_payload_with(
    conn: &Connection,
    c: &conversations::Conversation,
    related: &Related,
) -> ApiResult<Map<String, Value>> {
    let contact_inbox = match c.contact_inbox_id {
        Some(id) => contacts::find_contact_inbox_by_id(conn, id)?,
        None => None,
    };
    Ok(event_payload::conversation(c, related, contact_inbox.as_ref()))
}
