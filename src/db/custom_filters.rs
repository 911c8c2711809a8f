//! `custom_filters`: saved filter queries, private to the user who saved them.

use rusqlite::{Connection, OptionalExtension, Row, params};
use serde_json::Value;

use super::{CachedQuery, DbResult, json_column, now_ms};

/// `filter_type` names in enum order.
pub const FILTER_TYPES: &[&str] = &["conversation", "contact", "report"];

/// One saved filter.
#[derive(Debug, Clone)]
pub struct CustomFilter {
    pub id: i64,
    pub account_id: i64,
    pub user_id: i64,
    pub name: String,
    pub filter_type: i64,
    pub query: Value,
    pub created_at: i64,
    pub updated_at: i64,
}

const COLUMNS: &str = "id, account_id, user_id, name, filter_type, query, created_at, updated_at";

fn from_row(row: &Row) -> rusqlite::Result<(CustomFilter, String)> {
    Ok((
        CustomFilter {
            id: row.get(0)?,
            account_id: row.get(1)?,
            user_id: row.get(2)?,
            name: row.get(3)?,
            filter_type: row.get(4)?,
            query: Value::Null,
            created_at: row.get(6)?,
            updated_at: row.get(7)?,
        },
        row.get(5)?,
    ))
}

fn hydrate((mut filter, query): (CustomFilter, String)) -> DbResult<CustomFilter> {
    filter.query = json_column(&query)?;
    Ok(filter)
}

/// The user's filters of one type in the account, oldest first.
pub fn list(
    conn: &Connection,
    account_id: i64,
    user_id: i64,
    filter_type: i64,
) -> DbResult<Vec<CustomFilter>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM custom_filters WHERE account_id = ?1 AND user_id = ?2 AND filter_type = ?3 ORDER BY id"
    ))?;
    stmt.query_map(params![account_id, user_id, filter_type], from_row)?
        .map(|raw| hydrate(raw?))
        .collect()
}

/// Number of filters the user has in the account.
pub fn count_for_user(conn: &Connection, account_id: i64, user_id: i64) -> DbResult<i64> {
    Ok(conn.query_row_cached(
        "SELECT COUNT(*) FROM custom_filters WHERE account_id = ?1 AND user_id = ?2",
        params![account_id, user_id],
        |row| row.get(0),
    )?)
}

/// One of the user's filters.
pub fn find(conn: &Connection, account_id: i64, user_id: i64, id: i64) -> DbResult<Option<CustomFilter>> {
    let raw = conn
        .query_row_cached(
            &format!(
                "SELECT {COLUMNS} FROM custom_filters WHERE account_id = ?1 AND user_id = ?2 AND id = ?3"
            ),
            params![account_id, user_id, id],
            from_row,
        )
        .optional()?;
    raw.map(hydrate).transpose()
}

/// Insert (id 0) or update; returns the stored row.
pub fn save(conn: &Connection, filter: &CustomFilter) -> DbResult<CustomFilter> {
    let now = now_ms();
    let query = filter.query.to_string();
    if filter.id == 0 {
        conn.execute(
            "INSERT INTO custom_filters (account_id, user_id, name, filter_type, query, created_at, updated_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
            params![filter.account_id, filter.user_id, filter.name, filter.filter_type, query, now],
        )?;
        return Ok(CustomFilter {
            id: conn.last_insert_rowid(),
            created_at: now,
            updated_at: now,
            ..filter.clone()
        });
    }
    conn.execute(
        "UPDATE custom_filters SET name = ?3, filter_type = ?4, query = ?5, updated_at = ?6 \
         WHERE account_id = ?1 AND id = ?2",
        params![
            filter.account_id,
            filter.id,
            filter.name,
            filter.filter_type,
            query,
            now
        ],
    )?;
    Ok(CustomFilter {
        updated_at: now,
        ..filter.clone()
    })
}

/// Delete one filter.
pub fn delete(conn: &Connection, account_id: i64, id: i64) -> DbResult<()> {
    conn.execute(
        "DELETE FROM custom_filters WHERE account_id = ?1 AND id = ?2",
        params![account_id, id],
    )?;
    Ok(())
}
