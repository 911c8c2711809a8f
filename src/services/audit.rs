//! Audit trail of administrative changes: who changed what, from where, in which request.

use rusqlite::{Connection, params};
use serde_json::{Map, Value};

use crate::db::CachedQuery;
use crate::db::{DbResult, now_ms};

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
    let version: i64 = conn.query_row_cached(
        "SELECT COALESCE(MAX(version), 0) + 1 FROM audit_logs WHERE auditable_type = ?1 AND auditable_id = ?2",
        params![auditable_type, auditable_id],
        |row| row.get(0),
    )?;
    conn.execute(
        "INSERT INTO audit_logs (account_id, auditable_type, auditable_id, auditable, associated_type, \
         associated_id, user_id, user_type, username, action, audited_changes, version, remote_address, \
         request_uuid, created_at) \
         VALUES (?1, ?2, ?3, ?4, 'Account', ?1, ?5, 'User', ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![
            actor.account_id,
            auditable_type,
            auditable_id,
            snapshot.map(|s| without_secrets(s).to_string()),
            actor.user_id,
            actor.username,
            action.as_str(),
            changes.to_string(),
            version,
            actor.remote_ip,
            actor.request_id,
            now_ms(),
        ],
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
