//! Automation rules that run: after an event commits (conversation created, updated, opened,
//! resolved; message created), the account's active rules for that event are checked against
//! the conversation, its contact and the message; each matching rule's actions run in one
//! transaction of their own, marked so that their events never trigger rules again.

use std::sync::Arc;

use rusqlite::Connection;
use serde_json::{Map, Value, json};
use tokio::sync::broadcast::error::RecvError;

use crate::caller::ConversationCaller;
use crate::db::automation_rules::{self, AutomationRule};
use crate::db::conversations::{self, Conversation};
use crate::db::events::{self as event_rows, NewEvent, Receiver, StoredEvent};
use crate::db::messages::{self, Message};
use crate::db::{Db, agents, contacts};
use crate::domain::automation::EVENTS;
use crate::domain::automation_conditions::{Facts, rule_matches};
use crate::domain::conversations::{PRIORITIES, STATUSES, index_of, message_type};
use crate::domain::custom_attributes::enum_name;
use crate::error::{ApiError, ApiResult};
use crate::events::payloads::conversation_payload;
use crate::events::recorder::as_automation;
use crate::events::stream::EventStream;
use crate::services::conversations as ops;
use crate::services::messages::after_create;
use crate::views::event_payload;

/// Follow the event stream and run matching rules until the process stops.
pub fn spawn(db: Db, stream: &EventStream, base_url: String) {
    let mut events = stream.subscribe();
    tokio::spawn(async move {
        loop {
            match events.recv().await {
                Ok(event) => run_rules(&db, event, &base_url).await,
                Err(RecvError::Lagged(missed)) => {
                    tracing::warn!(missed, "automation fell behind the event stream; events skipped");
                }
                Err(RecvError::Closed) => return,
            }
        }
    });
}

/// Check the account's rules for one event and run the actions of those that match.
async fn run_rules(db: &Db, event: Arc<StoredEvent>, base_url: &str) {
    if event.by_automation || !EVENTS.contains(&event.name.as_str()) || event.conversation_id.is_none() {
        return;
    }
    let checked = Arc::clone(&event);
    let matched = db
        .read(move |conn| -> ApiResult<Vec<AutomationRule>> {
            let rules = automation_rules::active_for(conn, checked.account_id, &checked.name)?;
            if rules.is_empty() {
                return Ok(rules);
            }
            let facts = facts_of(conn, &checked)?;
            Ok(rules
                .into_iter()
                .filter(|rule| {
                    rule_matches(rule.conditions.as_array().map_or(&[][..], Vec::as_slice), &facts)
                })
                .collect())
        })
        .await;
    let matched = match matched {
        Ok(rules) => rules,
        Err(err) => {
            tracing::warn!(error = %err, event = event.id, "checking automation rules failed");
            return;
        }
    };
    for rule in matched {
        let (conversation_id, base_url, name) =
            (event.conversation_id, base_url.to_string(), event.name.clone());
        let rule_id = rule.id;
        let result = db
            .write(move |tx| {
                as_automation(|| {
                    let c = conversation_id
                        .and_then(|id| conversations::find_by_id(tx, id).transpose())
                        .transpose()?
                        .ok_or(ApiError::NotFound)?;
                    run_actions(tx, &rule, c, &name, &base_url)
                })
            })
            .await;
        if let Err(err) = result {
            tracing::warn!(rule = rule_id, error = %err, "automation rule actions failed; nothing was changed");
        }
    }
}

/// What conditions look at: the conversation, its contact and (message events) the message.
fn facts_of(conn: &Connection, event: &StoredEvent) -> ApiResult<Facts> {
    let c = event
        .conversation_id
        .and_then(|id| conversations::find_by_id(conn, id).transpose())
        .transpose()?
        .ok_or(ApiError::NotFound)?;
    let contact = contacts::find(conn, c.account_id, c.contact_id)?;
    let message = match event.message_id {
        Some(id) => messages::find_by_id(conn, id)?,
        None => None,
    };
    let mut values = Map::new();
    // Custom attributes first, so standard keys win on a clash.
    if let Some(contact) = &contact {
        values.extend(contact.custom_attributes.clone());
    }
    values.extend(c.custom_attributes.clone());
    let conversation_attr = |key: &str| c.additional_attributes.get(key).cloned().unwrap_or(Value::Null);
    let contact_attr = |key: &str| {
        contact
            .as_ref()
            .and_then(|ct| ct.additional_attributes.get(key).cloned())
            .unwrap_or(Value::Null)
    };
    let standard = [
        ("status", Value::from(enum_name(STATUSES, c.status))),
        (
            "priority",
            c.priority
                .map_or(Value::Null, |p| Value::from(enum_name(PRIORITIES, p))),
        ),
        ("assignee_id", json!(c.assignee_id)),
        ("team_id", json!(c.team_id)),
        ("inbox_id", Value::from(c.inbox_id)),
        ("labels", Value::from(conversations::labels(conn, c.id)?)),
        ("browser_language", conversation_attr("browser_language")),
        ("referer", conversation_attr("referer")),
        (
            "conversation_language",
            conversation_attr("conversation_language"),
        ),
        ("mail_subject", conversation_attr("mail_subject")),
        ("email", json!(contact.as_ref().and_then(|ct| ct.email.clone()))),
        (
            "phone_number",
            json!(contact.as_ref().and_then(|ct| ct.phone_number.clone())),
        ),
        ("country_code", contact_attr("country_code")),
        ("city", contact_attr("city")),
        ("company", contact_attr("company_name")),
        ("content", json!(message.as_ref().and_then(|m| m.content.clone()))),
        (
            "message_type",
            message.as_ref().map_or(Value::Null, |m| {
                Value::from(
                    ["incoming", "outgoing", "activity", "template"]
                        .get(m.message_type as usize)
                        .copied()
                        .unwrap_or(""),
                )
            }),
        ),
    ];
    for (key, value) in standard {
        values.insert(key.to_string(), value);
    }
    let mut changed = Map::new();
    if let Some(Value::Array(list)) = event
        .changed
        .as_deref()
        .and_then(|t| serde_json::from_str(t).ok())
    {
        for change in list {
            if let Value::Object(map) = change {
                changed.extend(map);
            }
        }
    }
    Ok(Facts {
        values,
        changed,
        today: jiff::Zoned::now().date().to_string(),
    })
}

/// One string or number parameter of an action.
fn param(params: &[Value], i: usize) -> Option<String> {
    match params.get(i)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Run a matched rule's actions, in order, on the conversation (one transaction).
fn run_actions(
    tx: &Connection,
    rule: &AutomationRule,
    c: Conversation,
    event: &str,
    base_url: &str,
) -> ApiResult<()> {
    let caller = ConversationCaller::Automation {
        account_id: c.account_id,
        base_url: base_url.to_string(),
    };
    for action in rule.actions.as_array().map_or(&[][..], Vec::as_slice) {
        let name = action
            .get("action_name")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let params: Vec<Value> = match action.get("action_params") {
            Some(Value::Array(list)) => list.clone(),
            Some(Value::Null) | None => Vec::new(),
            Some(other) => vec![other.clone()],
        };
        // Each action sees what the previous ones did.
        let c = conversations::find_by_id(tx, c.id)?.ok_or(ApiError::NotFound)?;
        match name {
            "send_message" | "add_private_note" => {
                if let Some(text) = param(&params, 0).filter(|t| !t.trim().is_empty()) {
                    send_message(tx, &c, rule.id, text, name == "add_private_note")?;
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
                ops::set_labels(tx, &caller, &c, &labels)?;
            }
            "assign_agent" => {
                let id = param(&params, 0).and_then(|p| p.parse::<i64>().ok());
                match id {
                    Some(id) if !assignable(tx, &c, id)? => {
                        tracing::info!(
                            rule = rule.id,
                            agent = id,
                            "assign_agent skipped: not an agent of the inbox"
                        );
                    }
                    _ => {
                        ops::assign(
                            tx,
                            &caller,
                            c,
                            &json!({ "assignee_id": id })
                                .as_object()
                                .cloned()
                                .unwrap_or_default(),
                        )?;
                    }
                }
            }
            "assign_team" => {
                let id = param(&params, 0)
                    .and_then(|p| p.parse::<i64>().ok())
                    .filter(|id| *id > 0);
                ops::assign(
                    tx,
                    &caller,
                    c,
                    &json!({ "team_id": id }).as_object().cloned().unwrap_or_default(),
                )?;
            }
            "mute_conversation" => ops::set_muted(tx, &caller, c, true)?,
            "snooze_conversation" | "resolve_conversation" | "open_conversation" | "change_status" => {
                let wanted = match name {
                    "snooze_conversation" => Some("snoozed".to_string()),
                    "resolve_conversation" => Some("resolved".to_string()),
                    "open_conversation" => Some("open".to_string()),
                    _ => param(&params, 0),
                };
                if let Some(status) = wanted.and_then(|s| index_of(STATUSES, &s))
                    && status != c.status
                {
                    ops::toggle_status(tx, &caller, c, Some(status), None, base_url)?;
                }
            }
            "change_priority" => {
                let priority = param(&params, 0).and_then(|p| index_of(PRIORITIES, &p));
                ops::set_priority(tx, &caller, c, priority)?;
            }
            "send_webhook_event" => {
                if let Some(url) = param(&params, 0).filter(|u| !u.trim().is_empty()) {
                    send_webhook_event(tx, &c, rule.id, event, url, base_url)?;
                }
            }
            "send_email_to_team" | "send_email_transcript" | "send_attachment" => {
                tracing::info!(
                    rule = rule.id,
                    action = name,
                    "automation action skipped: Parlor has no mail transport or blob store yet"
                );
            }
            other => tracing::info!(
                rule = rule.id,
                action = other,
                "unknown automation action skipped"
            ),
        }
    }
    Ok(())
}

/// Whether `user_id` may be assigned in the conversation's inbox (a member, or an administrator).
fn assignable(conn: &Connection, c: &Conversation, user_id: i64) -> ApiResult<bool> {
    Ok(agents::assignable(conn, c.account_id, c.inbox_id)?
        .iter()
        .any(|a| a.id == user_id))
}

/// An outgoing message (or private note) written by the rule, without a sender.
fn send_message(
    tx: &Connection,
    c: &Conversation,
    rule_id: i64,
    text: String,
    private: bool,
) -> ApiResult<()> {
    let mut message = Message::new(c.account_id, c.inbox_id, c.id, message_type::OUTGOING);
    message.content = Some(text);
    message.private = private;
    message
        .content_attributes
        .insert("automation_rule_id".into(), Value::from(rule_id));
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
    event_rows::insert_delivery(tx, id, c.account_id, &receiver)?;
    Ok(())
}
