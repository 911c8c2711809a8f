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
use crate::db::events::StoredEvent;
use crate::db::messages;
use crate::db::{Db, contacts};
use crate::domain::automation::EVENTS;
use crate::domain::automation_conditions::{Facts, rule_matches};
use crate::domain::conversations::{PRIORITIES, STATUSES};
use crate::domain::custom_attributes::enum_name;
use crate::error::{ApiError, ApiResult};
use crate::events::actions::{self, Origin};
use crate::events::recorder::as_automation;
use crate::events::stream::EventStream;

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

/// Run a matched rule's actions, in order, on the conversation (one transaction), as
/// "Automation System".
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
    let actions = rule.actions.as_array().map_or(&[][..], Vec::as_slice);
    actions::run(
        tx,
        &caller,
        Origin::Rule { id: rule.id, event },
        actions,
        &c,
        base_url,
    )
}
