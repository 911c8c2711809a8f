//! `macros`: saved action lists agents run on conversations.

use rusqlite::{Connection, OptionalExtension, Row, params};
use serde_json::Value;

use super::{CachedQuery, DbResult, now_ms};

/// One macro; `visibility` is the index into `domain::macros::VISIBILITIES`.
#[derive(Debug, Clone)]
pub struct Macro {
    pub id: i64,
    pub account_id: i64,
    pub name: String,
    pub visibility: i64,
    pub actions: Value,
    pub created_by_id: Option<i64>,
    pub updated_by_id: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

const COLUMNS: &str =
    "id, account_id, name, visibility, actions, created_by_id, updated_by_id, created_at, updated_at";

/// Global macros, or the user's own.
const VISIBLE: &str = "(visibility = 1 OR created_by_id = ?2)";

fn from_row(row: &Row) -> rusqlite::Result<Macro> {
    let actions: String = row.get(4)?;
    Ok(Macro {
        id: row.get(0)?,
        account_id: row.get(1)?,
        name: row.get(2)?,
        visibility: row.get(3)?,
        actions: serde_json::from_str(&actions).unwrap_or(Value::Array(Vec::new())),
        created_by_id: row.get(5)?,
        updated_by_id: row.get(6)?,
        created_at: row.get(7)?,
        updated_at: row.get(8)?,
    })
}

/// A page of the macros `user_id` may see (global ones and their own personal ones), by id.
pub fn visible_page(
    conn: &Connection,
    account_id: i64,
    user_id: i64,
    page: i64,
    per_page: i64,
) -> DbResult<Vec<Macro>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM macros WHERE account_id = ?1 AND {VISIBLE} ORDER BY id LIMIT +?3 OFFSET +?4"
    ))?;
    let rows = stmt.query_map(
        params![account_id, user_id, per_page, (page - 1).saturating_mul(per_page)],
        from_row,
    )?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// One macro of the account, whoever may see it.
pub fn find(conn: &Connection, account_id: i64, id: i64) -> DbResult<Option<Macro>> {
    Ok(conn
        .query_row_cached(
            &format!("SELECT {COLUMNS} FROM macros WHERE account_id = ?1 AND id = ?2"),
            params![account_id, id],
            from_row,
        )
        .optional()?)
}

/// Insert (id 0) or update; returns the stored row.
pub fn save(conn: &Connection, m: &Macro) -> DbResult<Macro> {
    let now = now_ms();
    let actions = m.actions.to_string();
    if m.id == 0 {
        conn.execute(
            "INSERT INTO macros (account_id, name, visibility, actions, created_by_id, updated_by_id, created_at, updated_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
            params![m.account_id, m.name, m.visibility, actions, m.created_by_id, m.updated_by_id, now],
        )?;
        return Ok(Macro {
            id: conn.last_insert_rowid(),
            created_at: now,
            updated_at: now,
            ..m.clone()
        });
    }
    conn.execute(
        "UPDATE macros SET name = ?3, visibility = ?4, actions = ?5, updated_by_id = ?6, updated_at = ?7 \
         WHERE account_id = ?1 AND id = ?2",
        params![
            m.account_id,
            m.id,
            m.name,
            m.visibility,
            actions,
            m.updated_by_id,
            now
        ],
    )?;
    Ok(Macro {
        updated_at: now,
        ..m.clone()
    })
}

/// Delete one macro of the account.
pub fn delete(conn: &Connection, account_id: i64, id: i64) -> DbResult<()> {
    conn.execute(
        "DELETE FROM macros WHERE account_id = ?1 AND id = ?2",
        params![account_id, id],
    )?;
    Ok(())
}
