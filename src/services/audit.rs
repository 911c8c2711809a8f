//! Audit trail of administrative changes: who changed what, from where, in which request.

use rusqlite::Connection;
use serde_json::{Map, Value};

use crate::db::DbResult;
use crate::db::agents::Agent;
use crate::db::audit_logs::{self, NewAuditLog};

pub use crate::caller::Actor;

/// What happened to the audited object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Create,
    Update,
    Destroy,
}

impl Action {
    fn as_str(self) -> &'static str {
        match self {
            Action::Create => "create",
            Action::Update => "update",
            Action::Destroy => "destroy",
        }
    }
}

/// Keys never written to the audit trail.
const SECRET_KEYS: &[&str] = &[
    "access_token",
    "hmac_token",
    "encrypted_password",
    "password",
    "pubsub_token",
    "secret",
];

fn without_secrets(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(k, _)| !SECRET_KEYS.contains(&k.as_str()))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// `{key: [old, new]}` for every top-level key whose value differs (Rails' audited_changes).
pub fn diff(before: &Value, after: &Value) -> Value {
    let empty = Map::new();
    let before = before.as_object().unwrap_or(&empty);
    let after = after.as_object().unwrap_or(&empty);
    let mut changes = Map::new();
    for (key, new) in after {
        if SECRET_KEYS.contains(&key.as_str()) {
            continue;
        }
        let old = before.get(key).unwrap_or(&Value::Null);
        if old != new {
            changes.insert(key.clone(), Value::Array(vec![old.clone(), new.clone()]));
        }
    }
    Value::Object(changes)
}

/// Append an audit entry. `changes` is the object for create/destroy, or a [`diff`] for update;
/// `snapshot` is the object as it stands after the change (None once destroyed).
pub fn record(
    conn: &Connection,
    actor: &Actor,
    auditable_type: &str,
    auditable_id: i64,
    action: Action,
    changes: &Value,
    snapshot: Option<&Value>,
) -> DbResult<()> {
    let changes = if action == Action::Update {
        changes.clone()
    } else {
        without_secrets(changes)
    };
    if action == Action::Update && changes.as_object().is_some_and(Map::is_empty) {
        return Ok(());
    }
    audit_logs::insert(
        conn,
        &NewAuditLog {
            account_id: actor.account_id,
            auditable_type,
            auditable_id,
            auditable: snapshot.map(|s| without_secrets(s).to_string()),
            user_id: actor.user_id,
            username: &actor.username,
            action: action.as_str(),
            audited_changes: changes.to_string(),
            remote_address: &actor.remote_ip,
            request_uuid: &actor.request_id,
        },
    )?;
    Ok(())
}

/// Record a creation; the object's view is both the changes and the snapshot.
pub fn created(
    conn: &Connection,
    actor: &Actor,
    auditable_type: &str,
    id: i64,
    view: &Value,
) -> DbResult<()> {
    record(conn, actor, auditable_type, id, Action::Create, view, Some(view))
}

/// Record an update from the views before and after (nothing when nothing changed).
pub fn updated(
    conn: &Connection,
    actor: &Actor,
    auditable_type: &str,
    id: i64,
    before: &Value,
    after: &Value,
) -> DbResult<()> {
    record(
        conn,
        actor,
        auditable_type,
        id,
        Action::Update,
        &diff(before, after),
        Some(after),
    )
}

/// `{key: value}`: the one attribute a narrow change touches (a token reset, a connected bot).
pub fn attribute(key: &str, value: impl Into<Value>) -> Value {
    let mut map = Map::new();
    map.insert(key.to_string(), value.into());
    Value::Object(map)
}

/// Record an update of one attribute: `{key: [before, after]}` in the trail (nothing when equal).
pub fn attribute_updated(
    conn: &Connection,
    actor: &Actor,
    auditable_type: &str,
    id: i64,
    key: &str,
    before: impl Into<Value>,
    after: impl Into<Value>,
) -> DbResult<()> {
    updated(
        conn,
        actor,
        auditable_type,
        id,
        &attribute(key, before),
        &attribute(key, after),
    )
}

/// Record a change of an inbox's or a team's members as `member_ids` before and after.
pub fn members_updated(
    conn: &Connection,
    actor: &Actor,
    auditable_type: &str,
    id: i64,
    before: &[Agent],
    after: &[Agent],
) -> DbResult<()> {
    let ids = |list: &[Agent]| list.iter().map(|a| a.id).collect::<Vec<_>>();
    attribute_updated(
        conn,
        actor,
        auditable_type,
        id,
        "member_ids",
        ids(before),
        ids(after),
    )
}

/// Record a deletion with the object's last view.
pub fn destroyed(
    conn: &Connection,
    actor: &Actor,
    auditable_type: &str,
    id: i64,
    view: &Value,
) -> DbResult<()> {
    record(conn, actor, auditable_type, id, Action::Destroy, view, None)
}
