//! `integrations_hooks`: configured instances of integration apps.

use rusqlite::{Connection, OptionalExtension, Row, params};
use serde_json::{Map, Value};

use super::{CachedQuery, DbResult, json_column, now_ms};

/// One hook, with the name of its inbox (inbox hooks).
#[derive(Debug, Clone)]
pub struct Hook {
    pub id: i64,
    pub account_id: i64,
    pub app_id: String,
    pub inbox_id: Option<i64>,
    pub inbox_name: Option<String>,
    pub enabled: bool,
    pub hook_type: i64,
    pub reference_id: Option<String>,
    pub settings: Map<String, Value>,
}

const SELECT: &str = "SELECT h.id, h.account_id, h.app_id, h.inbox_id, i.name, h.status, h.hook_type, \
    h.reference_id, h.settings FROM integrations_hooks h LEFT JOIN inboxes i ON i.id = h.inbox_id";

fn from_row(row: &Row) -> rusqlite::Result<(Hook, String)> {
    Ok((
        Hook {
            id: row.get(0)?,
            account_id: row.get(1)?,
            app_id: row.get(2)?,
            inbox_id: row.get(3)?,
            inbox_name: row.get(4)?,
            enabled: row.get::<_, i64>(5)? == 1,
            hook_type: row.get(6)?,
            reference_id: row.get(7)?,
            settings: Map::new(),
        },
        row.get(8)?,
    ))
}

fn hydrate((mut hook, settings): (Hook, String)) -> DbResult<Hook> {
    if let Value::Object(map) = json_column(&settings)? {
        hook.settings = map;
    }
    Ok(hook)
}

/// Every hook of the account (by id).
pub fn list(conn: &Connection, account_id: i64) -> DbResult<Vec<Hook>> {
    let mut stmt = conn.prepare_cached(&format!("{SELECT} WHERE h.account_id = ?1 ORDER BY h.id"))?;
    stmt.query_map([account_id], from_row)?
        .map(|raw| hydrate(raw?))
        .collect()
}

/// One hook of the account.
pub fn find(conn: &Connection, account_id: i64, id: i64) -> DbResult<Option<Hook>> {
    let raw = conn
        .query_row_cached(
            &format!("{SELECT} WHERE h.account_id = ?1 AND h.id = ?2"),
            params![account_id, id],
            from_row,
        )
        .optional()?;
    raw.map(hydrate).transpose()
}

/// Whether the account already has a hook of this app.
pub fn app_in_use(conn: &Connection, account_id: i64, app_id: &str) -> DbResult<bool> {
    Ok(conn.exists_cached(
        "SELECT 1 FROM integrations_hooks WHERE account_id = ?1 AND app_id = ?2",
        params![account_id, app_id],
    )?)
}

/// Insert (id 0) or update; returns the id.
pub fn save(conn: &Connection, hook: &Hook) -> DbResult<i64> {
    let now = now_ms();
    let settings = Value::Object(hook.settings.clone()).to_string();
    if hook.id == 0 {
        conn.execute(
            "INSERT INTO integrations_hooks (account_id, app_id, inbox_id, status, hook_type, reference_id, settings, \
             created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
            params![hook.account_id, hook.app_id, hook.inbox_id, i64::from(hook.enabled), hook.hook_type, hook.reference_id, settings, now],
        )?;
        return Ok(conn.last_insert_rowid());
    }
    conn.execute(
        "UPDATE integrations_hooks SET status = ?3, settings = ?4, updated_at = ?5 WHERE account_id = ?1 AND id = ?2",
        params![hook.account_id, hook.id, i64::from(hook.enabled), settings, now],
    )?;
    Ok(hook.id)
}

/// Delete one hook of the account.
pub fn delete(conn: &Connection, account_id: i64, id: i64) -> DbResult<()> {
    conn.execute(
        "DELETE FROM integrations_hooks WHERE account_id = ?1 AND id = ?2",
        params![account_id, id],
    )?;
    Ok(())
}

/// Whether the account has any webhook (the `webhook` app is enabled by them).
pub fn has_webhooks(conn: &Connection, account_id: i64) -> DbResult<bool> {
    Ok(conn.exists_cached(
        "SELECT 1 FROM webhooks WHERE account_id = ?1 LIMIT 1",
        [account_id],
    )?)
}
