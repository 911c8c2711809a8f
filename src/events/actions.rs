//! The conversation actions that automation rules and macros share (Chatwoot's
//! `ActionService`, which both `ActionCableListener`-side rules and `Macros::ExecutionService`
//! inherit): one runner, so a rule and a macro with the same action do the same thing. The
//! caller decides whose name the activity messages carry: "Automation System" for a rule, the
//! executing user for a macro.

use rusqlite::Connection;
use serde_json::{Value, json};

use crate::caller::ConversationCaller;
use crate::db::conversations::{self, Conversation};
use crate::db::event_deliveries::{self as deliveries, Receiver};
use crate::db::events::{self as event_rows, NewEvent};
use crate::db::messages::{self, Message};
use crate::db::{agents, inboxes};
use crate::domain::conversations::{PRIORITIES, STATUSES, index_of, message_type};
use crate::error::{ApiError, ApiResult};
use crate::events::payloads::conversation_payload;
use crate::services::conversations as ops;
use crate::services::messages::{MessageParams, after_create, create as create_message};
use crate::views::event_payload;

/// Who asked for the actions.
#[derive(Debug, Clone, Copy)]
pub enum Origin<'a> {
    /// An automation rule matched `event`; messages carry no sender.
    Rule { id: i64, event: &'a str },
    /// A macro executed by the calling member; messages are the member's.
    Macro { id: i64 },
}

impl Origin<'_> {
    fn id(&self) -> i64 {
        match self {
            Origin::Rule { id, .. } | Origin::Macro { id } => *id,
        }
    }
}

/// One string or number parameter of an action.
fn param(params: &[Value], i: usize) -> Option<String> {
    match params.get(i)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Run `actions` (`[{action_name, action_params}]`), in order, on the conversation, inside the
/// caller's transaction. Each action sees what the previous ones did; unknown or unsupported
/// actions are logged and skipped.
pub fn run(
    tx: &Connection,
    caller: &ConversationCaller,
    origin: Origin<'_>,
    actions: &[Value],
    c: &Conversation,
    base_url: &str,
) -> ApiResult<()> {
    for action in actions {
        let name = action
            .get("action_name")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let params: Vec<Value> = match action.get("action_params") {
            Some(Value::Array(list)) => list.clone(),
            Some(Value::Null) | None => Vec::new(),
            Some(other) => vec![other.clone()],
        };
        let c = conversations::find_by_id(tx, c.id)?.ok_or(ApiError::NotFound)?;
        run_one(tx, caller, origin, name, &params, c, base_url)?;
    }
    Ok(())
}

fn run_one(
    tx: &Connection,
    caller: &ConversationCaller,
    origin: Origin<'_>,
    name: &str,
    params: &[Value],
    c: Conversation,
    base_url: &str,
) -> ApiResult<()> {
    match name {
        "send_message" | "add_private_note" => {
            if let Some(text) = param(params, 0).filter(|t| !t.trim().is_empty()) {
                send_message(tx, caller, origin, &c, text, name == "add_private_note")?;
            }
        }
        "add_label" | "remove_label" => {
            let named: Vec<String> = params
                .iter()
                .filter_map(|p| p.as_str().map(str::to_string))
                .collect();
            let mut labels = conversations::labels(tx, c.id)?;
            if name == "add_label" {
                labels.extend(named.into_iter().filter(|l| !l.trim().is_empty()));
                labels.sort();
                labels.dedup();
            } else {
                labels.retain(|l| !named.contains(l));
            }
            ops::set_labels(tx, caller, &c, &labels)?;
        }
        "assign_agent" => {
            // A macro's "self" is the user who executes it.
            let id = match (param(params, 0).as_deref(), caller.member()) {
                (Some("self"), Some(member)) => Some(member.user.id),
                (other, _) => other.and_then(|p| p.parse::<i64>().ok()),
            };
            match id {
                Some(id) if !assignable(tx, &c, id)? => {
                    tracing::info!(
                        origin = origin.id(),
                        agent = id,
                        "assign_agent skipped: not an agent of the inbox"
                    );
                }
                _ => {
                    ops::assign(
                        tx,
                        caller,
                        c,
                        &json!({ "assignee_id": id })
                            .as_object()
                            .cloned()
                            .unwrap_or_default(),
                    )?;
                }
            }
        }
        "assign_team" | "remove_assigned_team" => {
            let id = param(params, 0)
                .filter(|_| name == "assign_team")
                .and_then(|p| p.parse::<i64>().ok())
                .filter(|id| *id > 0);
            ops::assign(
                tx,
                caller,
                c,
                &json!({ "team_id": id }).as_object().cloned().unwrap_or_default(),
            )?;
        }
        "mute_conversation" => ops::set_muted(tx, caller, c, true)?,
        "snooze_conversation" | "resolve_conversation" | "open_conversation" | "change_status" => {
            let wanted = match name {
                "snooze_conversation" => Some("snoozed".to_string()),
                "resolve_conversation" => Some("resolved".to_string()),
                "open_conversation" => Some("open".to_string()),
                _ => param(params, 0),
            };
            if let Some(status) = wanted.and_then(|s| index_of(STATUSES, &s))
                && status != c.status
            {
                ops::set_status(tx, caller, c, status, None, base_url)?;
            }
        }
        "change_priority" => {
            let priority = param(params, 0).and_then(|p| index_of(PRIORITIES, &p));
            ops::set_priority(tx, caller, c, priority)?;
        }
        "send_webhook_event" => match origin {
            Origin::Rule { id, event } => {
                if let Some(url) = param(params, 0).filter(|u| !u.trim().is_empty()) {
                    send_webhook_event(tx, &c, id, event, url, base_url)?;
                }
            }
            Origin::Macro { .. } => {
                tracing::info!(origin = origin.id(), "send_webhook_event is not a macro action");
            }
        },
        "send_email_to_team" | "send_email_transcript" | "send_attachment" => {
            tracing::info!(
                origin = origin.id(),
                action = name,
                "action skipped: Parlor has no mail transport or blob store yet"
            );
        }
        other => tracing::info!(origin = origin.id(), action = other, "unknown action skipped"),
    }
    Ok(())
}

/// Whether `user_id` may be assigned in the conversation's inbox (a member, or an administrator).
fn assignable(conn: &Connection, c: &Conversation, user_id: i64) -> ApiResult<bool> {
    Ok(agents::assignable(conn, c.account_id, c.inbox_id)?
        .iter()
        .any(|a| a.id == user_id))
}

/// An outgoing message (or private note): a rule's without a sender (marked with the rule's
/// id), a macro's from the member who runs it, as a reply of theirs.
fn send_message(
    tx: &Connection,
    caller: &ConversationCaller,
    origin: Origin<'_>,
    c: &Conversation,
    text: String,
    private: bool,
) -> ApiResult<()> {
    if let Origin::Macro { .. } = origin {
        let channel = inboxes::channel_types(tx, &[c.inbox_id])?
            .remove(&c.inbox_id)
            .unwrap_or_default();
        let params = MessageParams {
            content: Some(text),
            private: Some(private),
            ..MessageParams::default()
        };
        create_message(tx, caller, c, &channel, params, false)?;
        return Ok(());
    }
    let mut message = Message::new(c.account_id, c.inbox_id, c.id, message_type::OUTGOING);
    message.content = Some(text);
    message.private = private;
    message
        .content_attributes
        .insert("automation_rule_id".into(), Value::from(origin.id()));
    let message = messages::insert(tx, &message)?;
    after_create(tx, c, &message)
}

/// `send_webhook_event`: the conversation's payload with `event: automation_event.<event>`,
/// queued like every delivery (retries, address checks).
fn send_webhook_event(
    tx: &Connection,
    c: &Conversation,
    rule_id: i64,
    event: &str,
    url: String,
    base_url: &str,
) -> ApiResult<()> {
    let name = format!("automation_event.{event}");
    let payload = event_payload::with_event(&name, conversation_payload(tx, c, base_url)?, None);
    let id = event_rows::insert_event(
        tx,
        &NewEvent {
            account_id: c.account_id,
            name,
            inbox_id: Some(c.inbox_id),
            conversation_id: Some(c.id),
            by_automation: true,
            payload: Some(payload.to_string()),
            ..NewEvent::default()
        },
    )?;
    let receiver = Receiver {
        target_type: "AutomationRule",
        target_id: rule_id,
        url,
    };
    deliveries::insert_delivery(tx, id, c.account_id, &receiver)?;
    Ok(())
}
