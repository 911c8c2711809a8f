//! `webhooks`: account event subscriptions.

use rusqlite::{Connection, OptionalExtension, Row, params};
use serde_json::Value;

use super::{CachedQuery, DbResult, json_column, now_ms};

/// One webhook, with the name of its (optional) inbox.
#[derive(Debug, Clone)]
pub struct Webhook {
    pub id: i64,
    pub account_id: i64,
    pub inbox_id: Option<i64>,
    pub inbox_name: Option<String>,
    pub name: Option<String>,
    pub url: String,
    pub subscriptions: Vec<String>,
    /// Signs deliveries (`X-Chatwoot-Signature`); set by the database on insert.
    pub secret: Option<String>,
}

const SELECT: &str = "SELECT w.id, w.account_id, w.inbox_id, i.name, w.name, w.url, w.subscriptions, w.secret \
    FROM webhooks w LEFT JOIN inboxes i ON i.id = w.inbox_id";

fn from_row(row: &Row) -> rusqlite::Result<(Webhook, String)> {
    Ok((
        Webhook {
            id: row.get(0)?,
            account_id: row.get(1)?,
            inbox_id: row.get(2)?,
            inbox_name: row.get(3)?,
            name: row.get(4)?,
            url: row.get(5)?,
            subscriptions: Vec::new(),
            secret: row.get(7)?,
        },
        row.get(6)?,
    ))
}

fn hydrate((mut hook, subscriptions): (Webhook, String)) -> DbResult<Webhook> {
    if let Value::Array(items) = json_column(&subscriptions)? {
        hook.subscriptions = items
            .into_iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect();
    }
    Ok(hook)
}

/// Webhooks of the account by id.
pub fn list(conn: &Connection, account_id: i64) -> DbResult<Vec<Webhook>> {
    let mut stmt = conn.prepare_cached(&format!("{SELECT} WHERE w.account_id = ?1 ORDER BY w.id"))?;
    stmt.query_map([account_id], from_row)?
        .map(|raw| hydrate(raw?))
        .collect()
}

/// One webhook of the account.
pub fn find(conn: &Connection, account_id: i64, id: i64) -> DbResult<Option<Webhook>> {
    let raw = conn
        .query_row_cached(
            &format!("{SELECT} WHERE w.account_id = ?1 AND w.id = ?2"),
            params![account_id, id],
            from_row,
        )
        .optional()?;
    raw.map(hydrate).transpose()
}

/// Whether another webhook of the account posts to `url`.
pub fn url_taken(conn: &Connection, account_id: i64, url: &str, except_id: i64) -> DbResult<bool> {
    Ok(conn.exists_cached(
        "SELECT 1 FROM webhooks WHERE account_id = ?1 AND url = ?2 AND id != ?3",
        params![account_id, url, except_id],
    )?)
}

/// Insert (id 0) or update; returns the stored webhook (with its inbox name and secret).
pub fn save(conn: &Connection, hook: &Webhook) -> DbResult<Webhook> {
    let id = write(conn, hook)?;
    Ok(find(conn, hook.account_id, id)?.ok_or(rusqlite::Error::QueryReturnedNoRows)?)
}

/// Insert (id 0) or update; returns the id.
fn write(conn: &Connection, hook: &Webhook) -> DbResult<i64> {
    let now = now_ms();
    let subscriptions = Value::from(hook.subscriptions.clone()).to_string();
    if hook.id == 0 {
        conn.execute(
            "INSERT INTO webhooks (account_id, inbox_id, name, url, subscriptions, created_at, updated_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
            params![
                hook.account_id,
                hook.inbox_id,
                hook.name,
                hook.url,
                subscriptions,
                now
            ],
        )?;
        return Ok(conn.last_insert_rowid());
    }
    conn.execute(
        "UPDATE webhooks SET inbox_id = ?3, name = ?4, url = ?5, subscriptions = ?6, updated_at = ?7 \
         WHERE account_id = ?1 AND id = ?2",
        params![
            hook.account_id,
            hook.id,
            hook.inbox_id,
            hook.name,
            hook.url,
            subscriptions,
            now
        ],
    )?;
    Ok(hook.id)
}

/// Delete one webhook of the account.
pub fn delete(conn: &Connection, account_id: i64, id: i64) -> DbResult<()> {
    conn.execute(
        "DELETE FROM webhooks WHERE account_id = ?1 AND id = ?2",
        params![account_id, id],
    )?;
    Ok(())
}
