//! `labels`: account-wide tags with colour and sidebar flag.

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::{CachedQuery, DbResult, now_ms};

/// One label.
#[derive(Debug, Clone)]
pub struct Label {
    pub id: i64,
    pub account_id: i64,
    pub title: String,
    pub description: Option<String>,
    pub color: String,
    pub show_on_sidebar: bool,
}

const COLUMNS: &str = "id, account_id, title, description, color, show_on_sidebar";

fn from_row(row: &Row) -> rusqlite::Result<Label> {
    Ok(Label {
        id: row.get(0)?,
        account_id: row.get(1)?,
        title: row.get(2)?,
        description: row.get(3)?,
        color: row.get(4)?,
        show_on_sidebar: row.get(5)?,
    })
}

/// Labels of an account ordered by title.
pub fn list(conn: &Connection, account_id: i64) -> DbResult<Vec<Label>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM labels WHERE account_id = ?1 ORDER BY title"
    ))?;
    let rows = stmt
        .query_map([account_id], from_row)?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

/// One label of the account.
pub fn find(conn: &Connection, account_id: i64, id: i64) -> DbResult<Option<Label>> {
    Ok(conn
        .query_row_cached(
            &format!("SELECT {COLUMNS} FROM labels WHERE account_id = ?1 AND id = ?2"),
            params![account_id, id],
            from_row,
        )
        .optional()?)
}

/// Whether another label of the account has this title.
pub fn title_taken(conn: &Connection, account_id: i64, title: &str, except_id: i64) -> DbResult<bool> {
    Ok(conn.exists_cached(
        "SELECT 1 FROM labels WHERE account_id = ?1 AND title = ?2 AND id != ?3",
        params![account_id, title, except_id],
    )?)
}

/// Insert or update (id 0 inserts); returns the stored label.
pub fn save(conn: &Connection, label: &Label) -> DbResult<Label> {
    let now = now_ms();
    if label.id == 0 {
        conn.execute(
            "INSERT INTO labels (account_id, title, description, color, show_on_sidebar, created_at, updated_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
            params![label.account_id, label.title, label.description, label.color, label.show_on_sidebar, now],
        )?;
        return Ok(Label {
            id: conn.last_insert_rowid(),
            ..label.clone()
        });
    }
    conn.execute(
        "UPDATE labels SET title = ?3, description = ?4, color = ?5, show_on_sidebar = ?6, updated_at = ?7 \
         WHERE account_id = ?1 AND id = ?2",
        params![
            label.account_id,
            label.id,
            label.title,
            label.description,
            label.color,
            label.show_on_sidebar,
            now
        ],
    )?;
    Ok(label.clone())
}

/// Delete one label of the account.
pub fn delete(conn: &Connection, account_id: i64, id: i64) -> DbResult<()> {
    conn.execute(
        "DELETE FROM labels WHERE account_id = ?1 AND id = ?2",
        params![account_id, id],
    )?;
    Ok(())
}
