//! Writing reporting events (Chatwoot's `ReportingEventListener`) in the transaction of the
//! change they measure: resolutions, reopenings, bot handoffs, first responses, reply times.

use rusqlite::Connection;

use crate::db::conversations::Conversation;
use crate::db::messages::{self, Message};
use crate::db::reporting_events::{self, ReportingEvent, name};
use crate::db::{inboxes, now_ms};
use crate::domain::business_hours::working_seconds;
use crate::domain::conversations::{message_type, status};
use crate::error::ApiResult;

/// Store one event of `c` spanning `[start, end]` (unix ms), with its business-hours value.
fn record(
    conn: &Connection,
    c: &Conversation,
    event_name: &str,
    (start, end): (i64, i64),
    user_id: Option<i64>,
) -> ApiResult<()> {
    let inbox = inboxes::find(conn, c.account_id, c.inbox_id)?;
    let in_business_hours = match &inbox {
        Some(inbox) if inbox.working_hours_enabled => {
            working_seconds(&inbox.working_hours, &inbox.timezone, start, end)
        }
        _ => 0.0,
    };
    reporting_events::insert(
        conn,
        &ReportingEvent {
            account_id: c.account_id,
            name: event_name.to_string(),
            value: (end - start).max(0) as f64 / 1000.0,
            value_in_business_hours: in_business_hours,
            event_start_time: start,
            event_end_time: end,
            inbox_id: Some(c.inbox_id),
            user_id,
            conversation_id: Some(c.id),
            ..ReportingEvent::default()
        },
    )?;
    Ok(())
}

/// After a status change of `c` (already saved) from `previous`. `bot_handoff` marks a bot
/// handing a pending conversation to agents.
pub fn status_changed(
    conn: &Connection,
    c: &Conversation,
    previous: i64,
    bot_handoff: bool,
) -> ApiResult<()> {
    if previous == c.status {
        return Ok(());
    }
    let now = now_ms();
    if c.status == status::RESOLVED {
        record(
            conn,
            c,
            name::CONVERSATION_RESOLVED,
            (c.created_at, now),
            c.assignee_id,
        )?;
        let bot_active = inboxes::agent_bot_id(conn, c.inbox_id)?.is_some();
        if bot_active && !messages::has_human_reply(conn, c.id)? {
            record(
                conn,
                c,
                name::CONVERSATION_BOT_RESOLVED,
                (c.created_at, now),
                c.assignee_id,
            )?;
        }
    }
    if c.status == status::OPEN {
        if bot_handoff && !reporting_events::exists(conn, c.id, name::CONVERSATION_BOT_HANDOFF)? {
            record(
                conn,
                c,
                name::CONVERSATION_BOT_HANDOFF,
                (c.created_at, now),
                c.assignee_id,
            )?;
        }
        // Time since the last resolution; 0 when it was never resolved.
        let since = reporting_events::latest_end(conn, c.id, &[name::CONVERSATION_RESOLVED])?.unwrap_or(now);
        record(conn, c, name::CONVERSATION_OPENED, (since, now), c.assignee_id)?;
    }
    Ok(())
}

/// Whether a message is a human's public reply (Chatwoot's `human_response?`, not private).
fn human_public_reply(message: &Message) -> bool {
    let echo = message
        .content_attributes
        .get("external_echo")
        .and_then(serde_json::Value::as_bool)
        .unwrap_or(false);
    message.message_type == message_type::OUTGOING
        && !message.private
        && (message.sender_type.as_deref() == Some("User") || echo)
}

/// After `message` was added to a conversation whose state before it was `before`.
pub fn message_created(conn: &Connection, before: &Conversation, message: &Message) -> ApiResult<()> {
    if !human_public_reply(message) {
        return Ok(());
    }
    let automated = ["automation_rule_id", "campaign_id"].iter().any(|key| {
        message
            .additional_attributes
            .get(*key)
            .is_some_and(|v| !v.is_null())
    });
    let sender = (message.sender_type.as_deref() == Some("User"))
        .then_some(message.sender_id)
        .flatten();
    if before.first_reply_created_at.is_none() && !automated {
        // From the last moment a human took over: handoff or reopening, else the bot's
        // resolution, else the conversation's start.
        let taken_over = reporting_events::latest_end(
            conn,
            before.id,
            &[name::CONVERSATION_BOT_HANDOFF, name::CONVERSATION_OPENED],
        )?
        .or(reporting_events::latest_end(
            conn,
            before.id,
            &[name::CONVERSATION_BOT_RESOLVED],
        )?)
        .unwrap_or(before.created_at);
        return record(
            conn,
            before,
            name::FIRST_RESPONSE,
            (taken_over, message.created_at),
            sender,
        );
    }
    if let Some(waiting) = before.waiting_since {
        record(
            conn,
            before,
            name::REPLY_TIME,
            (waiting, message.created_at),
            before.assignee_id,
        )?;
    }
    Ok(())
}
