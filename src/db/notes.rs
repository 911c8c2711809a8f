//! `notes`: agents' private notes on a contact.

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::{CachedQuery, DbResult, now_ms};

/// One note.
#[derive(Debug, Clone)]
pub struct Note {
    pub id: i64,
    pub account_id: i64,
    pub contact_id: i64,
    pub user_id: Option<i64>,
    pub content: String,
    pub created_at: i64,
    pub updated_at: i64,
}

const COLUMNS: &str = "id, account_id, contact_id, user_id, content, created_at, updated_at";

fn from_row(row: &Row) -> rusqlite::Result<Note> {
    Ok(Note {
        id: row.get(0)?,
        account_id: row.get(1)?,
        contact_id: row.get(2)?,
        user_id: row.get(3)?,
        content: row.get(4)?,
        created_at: row.get(5)?,
        updated_at: row.get(6)?,
    })
}

/// Notes of a contact, newest first.
pub fn list(conn: &Connection, account_id: i64, contact_id: i64) -> DbResult<Vec<Note>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM notes WHERE account_id = ?1 AND contact_id = ?2 ORDER BY id DESC"
    ))?;
    let rows = stmt
        .query_map(params![account_id, contact_id], from_row)?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

/// One note of a contact.
pub fn find(conn: &Connection, account_id: i64, contact_id: i64, id: i64) -> DbResult<Option<Note>> {
    Ok(conn
        .query_row_cached(
            &format!("SELECT {COLUMNS} FROM notes WHERE account_id = ?1 AND contact_id = ?2 AND id = ?3"),
            params![account_id, contact_id, id],
            from_row,
        )
        .optional()?)
}

/// Insert (id 0) or update the content.
pub fn save(conn: &Connection, note: &Note) -> DbResult<Note> {
    let now = now_ms();
    if note.id == 0 {
        conn.execute(
            "INSERT INTO notes (account_id, contact_id, user_id, content, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
            params![note.account_id, note.contact_id, note.user_id, note.content, now],
        )?;
        return Ok(Note {
            id: conn.last_insert_rowid(),
            created_at: now,
            updated_at: now,
            ..note.clone()
        });
    }
    conn.execute(
        "UPDATE notes SET content = ?3, updated_at = ?4 WHERE account_id = ?1 AND id = ?2",
        params![note.account_id, note.id, note.content, now],
    )?;
    Ok(Note {
        updated_at: now,
        ..note.clone()
    })
}

/// Delete one note.
pub fn delete(conn: &Connection, account_id: i64, id: i64) -> DbResult<()> {
    conn.execute(
        "DELETE FROM notes WHERE account_id = ?1 AND id = ?2",
        params![account_id, id],
    )?;
    Ok(())
}
