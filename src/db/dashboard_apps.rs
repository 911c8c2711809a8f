//! `dashboard_apps`: iframes an account shows beside a conversation.

use rusqlite::{Connection, OptionalExtension, Row, params};
use serde_json::Value;

use super::{CachedQuery, DbResult, now_ms};

/// One dashboard app; `content` is the JSON array of frames.
#[derive(Debug, Clone)]
pub struct DashboardApp {
    pub id: i64,
    pub account_id: i64,
    pub user_id: Option<i64>,
    pub title: String,
    pub content: Value,
    pub created_at: i64,
    pub updated_at: i64,
}

const COLUMNS: &str = "id, account_id, user_id, title, content, created_at, updated_at";

fn from_row(row: &Row) -> rusqlite::Result<DashboardApp> {
    let content: String = row.get(4)?;
    Ok(DashboardApp {
        id: row.get(0)?,
        account_id: row.get(1)?,
        user_id: row.get(2)?,
        title: row.get(3)?,
        content: serde_json::from_str(&content).unwrap_or(Value::Array(Vec::new())),
        created_at: row.get(5)?,
        updated_at: row.get(6)?,
    })
}

/// A page of the account's apps, oldest first.
pub fn page(conn: &Connection, account_id: i64, page: i64, per_page: i64) -> DbResult<Vec<DashboardApp>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM dashboard_apps WHERE account_id = ?1 ORDER BY id LIMIT +?2 OFFSET +?3"
    ))?;
    let rows = stmt.query_map(
        params![account_id, per_page, (page - 1).saturating_mul(per_page)],
        from_row,
    )?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// One app of the account.
pub fn find(conn: &Connection, account_id: i64, id: i64) -> DbResult<Option<DashboardApp>> {
    Ok(conn
        .query_row_cached(
            &format!("SELECT {COLUMNS} FROM dashboard_apps WHERE account_id = ?1 AND id = ?2"),
            params![account_id, id],
            from_row,
        )
        .optional()?)
}

/// Insert (id 0) or update title and content; returns the stored row.
pub fn save(conn: &Connection, app: &DashboardApp) -> DbResult<DashboardApp> {
    let now = now_ms();
    let content = app.content.to_string();
    if app.id == 0 {
        conn.execute(
            "INSERT INTO dashboard_apps (account_id, user_id, title, content, created_at, updated_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
            params![app.account_id, app.user_id, app.title, content, now],
        )?;
        return Ok(DashboardApp {
            id: conn.last_insert_rowid(),
            created_at: now,
            updated_at: now,
            ..app.clone()
        });
    }
    conn.execute(
        "UPDATE dashboard_apps SET title = ?3, content = ?4, updated_at = ?5 WHERE account_id = ?1 AND id = ?2",
        params![app.account_id, app.id, app.title, content, now],
    )?;
    Ok(DashboardApp {
        updated_at: now,
        ..app.clone()
    })
}

/// Delete one app of the account.
pub fn delete(conn: &Connection, account_id: i64, id: i64) -> DbResult<()> {
    conn.execute(
        "DELETE FROM dashboard_apps WHERE account_id = ?1 AND id = ?2",
        params![account_id, id],
    )?;
    Ok(())
}
