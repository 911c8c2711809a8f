//! Turns the changes that triggers (and a few services) noted during a write into events,
//! inside that write's transaction (installed as the database's before-commit step): every
//! code path that changes a conversation, message, contact or inbox announces it, and nothing
//! is announced that did not commit. Receivers are fixed here, one delivery row each; the
//! bodies are built after commit by `events::payloads`, outside the writer lock.

use std::cell::Cell;
use std::collections::HashMap;

use rusqlite::Connection;
use serde_json::{Map, Value};

use crate::db::event_deliveries::{self as deliveries, Receiver};
use crate::db::events::{self, NewEvent, PendingChange};
use crate::db::{DbError, DbResult, contacts, conversations, inboxes, messages};
use crate::domain::conversations::{PRIORITIES, STATUSES, message_type, status};
use crate::domain::custom_attributes::enum_name;
use crate::domain::events::{
    BOT_EVENTS, WEBHOOK_EVENTS, announces_conversation_update, api_inbox_receives, changed_attributes,
};
use crate::domain::timestamps::iso;
use crate::error::{ApiError, ApiResult};
use crate::events::notify;

thread_local! {
    /// Set while an automation rule's actions run: their events do not trigger rules again.
    static BY_AUTOMATION: Cell<bool> = const { Cell::new(false) };
}

/// Run `f`, the body of a write transaction made by an automation rule, with the events of
/// that write marked as such (the before-commit step of the same thread takes the mark).
pub fn as_automation<T, E>(f: impl FnOnce() -> Result<T, E>) -> Result<T, E> {
    BY_AUTOMATION.with(|flag| flag.set(true));
    let value = f();
    if value.is_err() {
        // Rolled back: no before-commit step runs to take the mark.
        BY_AUTOMATION.with(|flag| flag.set(false));
    }
    value
}

/// The before-commit step: record the events of every noted change.
pub fn record_pending_changes(conn: &Connection) -> DbResult<()> {
    let by_automation = BY_AUTOMATION.with(|flag| flag.replace(false));
    let changes = events::take_pending_changes(conn)?;
    if changes.is_empty() {
        return Ok(());
    }
    Recorder { conn, by_automation }
        .record(&changes)
        .map_err(|err| match err {
            ApiError::Internal(detail) => DbError::Events(detail),
            other => DbError::Events(other.to_string()),
        })
}

/// What the noted changes of one row add up to.
#[derive(Default)]
struct RowChanges {
    inserted: bool,
    /// The columns before the first update of this transaction.
    old: Option<Map<String, Value>>,
    /// Labels added and removed (conversations).
    labels: Vec<(bool, String)>,
    /// The contact read the conversation (`contact_last_seen_at` moved).
    read: bool,
    /// The contact absorbed another one (a merge).
    merged: bool,
    /// The row was deleted; its last push data (contacts).
    deleted: Option<String>,
    /// Typing started (`true`) or stopped, and who typed (conversations' `typing` notes).
    typing: Vec<(bool, String)>,
    /// `webwidget.triggered` from the widget (contact inboxes), each with its `event_info`.
    triggered: Vec<String>,
}

struct Recorder<'a> {
    conn: &'a Connection,
    by_automation: bool,
}

impl Recorder<'_> {
    fn record(&self, changes: &[PendingChange]) -> ApiResult<()> {
        // Who acted in this write, when the write path noted it (`db::events::note_actor`).
        let actor = changes
            .iter()
            .rev()
            .find(|change| change.kind == "actor")
            .map(|change| change.row_id);
        let mut order: Vec<(String, i64)> = Vec::new();
        let mut rows: HashMap<(String, i64), RowChanges> = HashMap::new();
        for change in changes {
            let kind = match change.kind.as_str() {
                "conversation_label" | "typing" => "conversation",
                other => other,
            };
            let key = (kind.to_string(), change.row_id);
            let row = rows.entry(key.clone()).or_insert_with(|| {
                order.push(key.clone());
                RowChanges::default()
            });
            match (change.kind.as_str(), change.op.as_str()) {
                ("conversation_label", op) => row
                    .labels
                    .push((op == "insert", change.old.clone().unwrap_or_default())),
                ("typing", op) => row
                    .typing
                    .push((op == "on", change.old.clone().unwrap_or_default())),
                ("webwidget", _) => row.triggered.push(change.old.clone().unwrap_or_default()),
                (_, "insert") => row.inserted = true,
                (_, "read") => row.read = true,
                (_, "merged") => row.merged = true,
                (_, "delete") => row.deleted = change.old.clone(),
                _ => {
                    if row.old.is_none() {
                        row.old = change
                            .old
                            .as_deref()
                            .and_then(|text| serde_json::from_str::<Map<String, Value>>(text).ok())
                            .or_else(|| Some(Map::new()));
                    }
                }
            }
        }
        for key in order {
            let Some(row) = rows.remove(&key) else { continue };
            match key.0.as_str() {
                "conversation" => {
                    self.conversation(key.1, &row, actor)?;
                    self.typing(key.1, &row.typing)?;
                }
                "message" => self.message(key.1, row.inserted)?,
                "contact" => self.contact(key.1, &row)?,
                "inbox" => self.inbox(key.1, row.inserted)?,
                "webwidget" => self.webwidget_triggered(key.1, &row.triggered)?,
                _ => {}
            }
        }
        Ok(())
    }

    fn conversation(&self, id: i64, row: &RowChanges, actor: Option<i64>) -> ApiResult<()> {
        let Some(c) = conversations::find_by_id(self.conn, id)? else {
            return Ok(());
        };
        if row.inserted {
            self.conversation_event("conversation_created", &c, None)?;
            notify::conversation_created(self.conn, &c, actor)?;
            return notify::assigned(self.conn, &c, actor);
        }
        if row.read {
            self.conversation_event("conversation_read", &c, None)?;
        }
        if row.old.is_none() && row.labels.is_empty() {
            return Ok(());
        }
        let mut before = row.old.clone().unwrap_or_default();
        let mut after = conversation_columns(&c, &before);
        if !row.labels.is_empty() {
            let now = conversations::labels(self.conn, c.id)?;
            let mut previous = now.clone();
            for (added, label) in row.labels.iter().rev() {
                if *added {
                    previous.retain(|l| l != label);
                } else if !previous.contains(label) {
                    previous.push(label.clone());
                }
            }
            previous.sort();
            before.insert("label_list".into(), Value::from(previous));
            after.insert("label_list".into(), Value::from(now));
        }
        let before = readable(before);
        let changed = changed_attributes(&before, &readable(after));
        let status_moved = changed.iter().any(|c| c.get("status").is_some());
        if status_moved {
            self.conversation_event("conversation_status_changed", &c, Some(Value::Null))?;
            match c.status {
                status::OPEN => self.conversation_event("conversation_opened", &c, None)?,
                status::RESOLVED => self.conversation_event("conversation_resolved", &c, None)?,
                _ => {}
            }
        }
        if changed.iter().any(|c| c.get("assignee_id").is_some()) {
            notify::assigned(self.conn, &c, actor)?;
        }
        if announces_conversation_update(&changed) {
            self.conversation_event("conversation_updated", &c, Some(Value::Array(changed)))?;
        }
        Ok(())
    }

    fn conversation_event(
        &self,
        name: &str,
        c: &conversations::Conversation,
        changed: Option<Value>,
    ) -> ApiResult<()> {
        let changed = changed.filter(|v| !v.is_null()).map(|v| v.to_string());
        self.conversation_event_with(name, c, c.assignee_agent_bot_id, changed, None)
    }

    /// An event about conversation `c` for its receivers (`bot`: the conversation's bot, when
    /// bots hear this event).
    fn conversation_event_with(
        &self,
        name: &str,
        c: &conversations::Conversation,
        bot: Option<i64>,
        changed: Option<String>,
        detail: Option<String>,
    ) -> ApiResult<()> {
        let receivers = self.receivers(name, c.account_id, Some(c.inbox_id), bot)?;
        self.append(
            NewEvent {
                account_id: c.account_id,
                name: name.to_string(),
                inbox_id: Some(c.inbox_id),
                conversation_id: Some(c.id),
                changed,
                detail,
                ..NewEvent::default()
            },
            &receivers,
        )
    }

    /// `conversation_typing_on/off`, one per note, with the typer as the detail.
    fn typing(&self, id: i64, notes: &[(bool, String)]) -> ApiResult<()> {
        if notes.is_empty() {
            return Ok(());
        }
        let Some(c) = conversations::find_by_id(self.conn, id)? else {
            return Ok(());
        };
        for (on, typer) in notes {
            let name = if *on {
                "conversation_typing_on"
            } else {
                "conversation_typing_off"
            };
            self.conversation_event_with(name, &c, None, None, Some(typer.clone()))?;
        }
        Ok(())
    }

    fn message(&self, id: i64, inserted: bool) -> ApiResult<()> {
        let Some(m) = messages::find_by_id(self.conn, id)? else {
            return Ok(());
        };
        if m.message_type == message_type::ACTIVITY {
            return Ok(());
        }
        let name = if inserted {
            "message_created"
        } else {
            "message_updated"
        };
        let Some(c) = conversations::find_by_id(self.conn, m.conversation_id)? else {
            return Ok(());
        };
        if inserted {
            notify::message_created(self.conn, &m, &c)?;
        }
        let receivers = self.receivers(name, m.account_id, Some(m.inbox_id), c.assignee_agent_bot_id)?;
        self.append(
            NewEvent {
                account_id: m.account_id,
                name: name.to_string(),
                inbox_id: Some(m.inbox_id),
                conversation_id: Some(m.conversation_id),
                message_id: Some(m.id),
                ..NewEvent::default()
            },
            &receivers,
        )
    }

    fn contact(&self, id: i64, row: &RowChanges) -> ApiResult<()> {
        if let Some(last) = &row.deleted {
            let account_id = serde_json::from_str::<Map<String, Value>>(last)
                .ok()
                .and_then(|data| data.get("account_id").and_then(Value::as_i64))
                .unwrap_or_default();
            return self.append(
                NewEvent {
                    account_id,
                    name: "contact_deleted".into(),
                    contact_id: Some(id),
                    detail: Some(last.clone()),
                    ..NewEvent::default()
                },
                &[],
            );
        }
        let Some(contact) = contacts::find_by_id(self.conn, id)? else {
            return Ok(());
        };
        let mut announced = Vec::new();
        if row.inserted {
            announced.push(("contact_created", None));
        } else if row.old.is_some() {
            let mut before = row.old.clone().unwrap_or_default();
            // Migration 09's trigger keeps `blocked` as 0/1; the column reads as a boolean.
            if let Some(blocked) = before.get_mut("blocked")
                && let Some(number) = blocked.as_i64()
            {
                *blocked = Value::from(number != 0);
            }
            let after = contact_columns(&contact, &before);
            let changed = changed_attributes(&before, &after);
            if !changed.iter().all(|c| c.get("updated_at").is_some()) {
                announced.push(("contact_updated", Some(Value::Array(changed))));
            }
        }
        if row.merged {
            announced.push(("contact_merged", None));
        }
        for (name, changed) in announced {
            let receivers = self.receivers(name, contact.account_id, None, None)?;
            self.append(
                NewEvent {
                    account_id: contact.account_id,
                    name: name.to_string(),
                    contact_id: Some(contact.id),
                    changed: changed.map(|v| v.to_string()),
                    ..NewEvent::default()
                },
                &receivers,
            )?;
        }
        Ok(())
    }

    fn inbox(&self, id: i64, inserted: bool) -> ApiResult<()> {
        let Some(inbox) = inboxes::find_by_id(self.conn, id)? else {
            return Ok(());
        };
        let name = if inserted {
            "inbox_created"
        } else {
            "inbox_updated"
        };
        let receivers = self.receivers(name, inbox.account_id, None, None)?;
        self.append(
            NewEvent {
                account_id: inbox.account_id,
                name: name.to_string(),
                inbox_id: Some(inbox.id),
                ..NewEvent::default()
            },
            &receivers,
        )
    }

    /// `webwidget_triggered` of a contact inbox: the event info is kept as the detail, the
    /// conversation is the contact inbox's latest (Chatwoot's `current_conversation`).
    fn webwidget_triggered(&self, contact_inbox_id: i64, infos: &[String]) -> ApiResult<()> {
        let Some(ci) = contacts::find_contact_inbox_by_id(self.conn, contact_inbox_id)? else {
            return Ok(());
        };
        let Some(inbox) = inboxes::find_by_id(self.conn, ci.inbox_id)? else {
            return Ok(());
        };
        let current = conversations::latest_for_contact_inbox(self.conn, ci.id)?;
        let name = "webwidget_triggered";
        for info in infos {
            let receivers = self.receivers(name, inbox.account_id, Some(inbox.id), None)?;
            let detail = serde_json::json!({"contact_inbox_id": ci.id, "event_info": serde_json::from_str::<Value>(info).unwrap_or(Value::Null)});
            self.append(
                NewEvent {
                    account_id: inbox.account_id,
                    name: name.to_string(),
                    inbox_id: Some(inbox.id),
                    conversation_id: current.as_ref().map(|c| c.id),
                    contact_id: Some(ci.contact_id),
                    detail: Some(detail.to_string()),
                    ..NewEvent::default()
                },
                &receivers,
            )?;
        }
        Ok(())
    }

    /// Webhooks subscribed to `name`, the API inbox's webhook_url, and the bots.
    fn receivers(
        &self,
        name: &str,
        account_id: i64,
        inbox_id: Option<i64>,
        bot: Option<i64>,
    ) -> ApiResult<Vec<Receiver>> {
        let mut found = Vec::new();
        if WEBHOOK_EVENTS.contains(&name) {
            found.extend(deliveries::webhook_receivers(self.conn, account_id, name)?);
        }
        if let Some(inbox_id) = inbox_id {
            if api_inbox_receives(name) {
                found.extend(deliveries::api_inbox_receiver(self.conn, inbox_id)?);
            }
            if BOT_EVENTS.contains(&name) {
                found.extend(deliveries::bot_receivers(self.conn, inbox_id, bot)?);
            }
        }
        Ok(found)
    }

    /// Append the event and one delivery per receiver; its body is built after commit.
    fn append(&self, mut event: NewEvent, receivers: &[Receiver]) -> ApiResult<()> {
        event.by_automation = self.by_automation;
        let id = events::insert_event(self.conn, &event)?;
        for receiver in receivers {
            deliveries::insert_delivery(self.conn, id, event.account_id, receiver)?;
        }
        Ok(())
    }
}

/// The conversation's current values of the columns in `before`.
fn conversation_columns(c: &conversations::Conversation, before: &Map<String, Value>) -> Map<String, Value> {
    before
        .keys()
        .map(|key| {
            let value = match key.as_str() {
                "status" => Value::from(c.status),
                "assignee_id" => serde_json::json!(c.assignee_id),
                "assignee_agent_bot_id" => serde_json::json!(c.assignee_agent_bot_id),
                "team_id" => serde_json::json!(c.team_id),
                "snoozed_until" => serde_json::json!(c.snoozed_until),
                "custom_attributes" => Value::Object(c.custom_attributes.clone()),
                "waiting_since" => serde_json::json!(c.waiting_since),
                "first_reply_created_at" => serde_json::json!(c.first_reply_created_at),
                "priority" => serde_json::json!(c.priority),
                "additional_attributes" => Value::Object(c.additional_attributes.clone()),
                "updated_at" => Value::from(c.updated_at),
                _ => Value::Null,
            };
            (key.clone(), value)
        })
        .collect()
}

/// The contact's current values of the columns in `before`.
fn contact_columns(c: &contacts::Contact, before: &Map<String, Value>) -> Map<String, Value> {
    before
        .keys()
        .map(|key| {
            let value = match key.as_str() {
                "name" => Value::from(c.name.clone()),
                "email" => serde_json::json!(c.email),
                "phone_number" => serde_json::json!(c.phone_number),
                "identifier" => serde_json::json!(c.identifier),
                "blocked" => Value::from(c.blocked),
                "additional_attributes" => Value::Object(c.additional_attributes.clone()),
                "custom_attributes" => Value::Object(c.custom_attributes.clone()),
                "updated_at" => Value::from(iso(c.updated_at)),
                _ => Value::Null,
            };
            (key.clone(), value)
        })
        .collect()
}

/// Column values as Chatwoot's `previous_changes` show them: enum names and ISO times.
fn readable(mut columns: Map<String, Value>) -> Map<String, Value> {
    for (key, value) in &mut columns {
        let Some(number) = value.as_i64() else { continue };
        *value = match key.as_str() {
            "status" => Value::from(enum_name(STATUSES, number)),
            "priority" => Value::from(enum_name(PRIORITIES, number)),
            "snoozed_until" | "waiting_since" | "first_reply_created_at" | "updated_at" => {
                Value::from(iso(number))
            }
            _ => continue,
        };
    }
    columns
}
