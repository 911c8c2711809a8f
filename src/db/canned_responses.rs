//! `canned_responses`: reusable replies addressed by short code.

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::{CachedQuery, DbResult, now_ms};

/// One canned response.
#[derive(Debug, Clone)]
pub struct CannedResponse {
    pub id: i64,
    pub account_id: i64,
    pub short_code: String,
    pub content: String,
    pub created_at: i64,
    pub updated_at: i64,
}

const COLUMNS: &str = "id, account_id, short_code, content, created_at, updated_at";

fn from_row(row: &Row) -> rusqlite::Result<CannedResponse> {
    Ok(CannedResponse {
        id: row.get(0)?,
        account_id: row.get(1)?,
        short_code: row.get(2)?,
        content: row.get(3)?,
        created_at: row.get(4)?,
        updated_at: row.get(5)?,
    })
}

/// All responses of an account; with `search`, only matches, ranked: short code prefix, then
/// short code contains, then content contains.
pub fn list(conn: &Connection, account_id: i64, search: Option<&str>) -> DbResult<Vec<CannedResponse>> {
    let Some(search) = search.filter(|s| !s.is_empty()) else {
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM canned_responses WHERE account_id = ?1 ORDER BY id"
        ))?;
        return Ok(stmt
            .query_map([account_id], from_row)?
            .collect::<Result<_, _>>()?);
    };
    let escaped = super::like_escape(search);
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM canned_responses WHERE account_id = ?1 \
         AND (short_code LIKE ?2 ESCAPE '\\' OR content LIKE ?2 ESCAPE '\\') \
         ORDER BY CASE WHEN short_code LIKE ?3 ESCAPE '\\' THEN 1 \
                       WHEN short_code LIKE ?2 ESCAPE '\\' THEN 2 ELSE 3 END, id"
    ))?;
    let rows = stmt
        .query_map(
            params![account_id, format!("%{escaped}%"), format!("{escaped}%")],
            from_row,
        )?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

/// One response of the account.
pub fn find(conn: &Connection, account_id: i64, id: i64) -> DbResult<Option<CannedResponse>> {
    Ok(conn
        .query_row_cached(
            &format!("SELECT {COLUMNS} FROM canned_responses WHERE account_id = ?1 AND id = ?2"),
            params![account_id, id],
            from_row,
        )
        .optional()?)
}

/// Whether another response of the account uses this short code.
pub fn short_code_taken(
    conn: &Connection,
    account_id: i64,
    short_code: &str,
    except_id: i64,
) -> DbResult<bool> {
    Ok(conn.exists_cached(
        "SELECT 1 FROM canned_responses WHERE account_id = ?1 AND short_code = ?2 AND id != ?3",
        params![account_id, short_code, except_id],
    )?)
}

/// Insert (id 0) or update; returns the stored row.
pub fn save(conn: &Connection, row: &CannedResponse) -> DbResult<CannedResponse> {
    let now = now_ms();
    if row.id == 0 {
        conn.execute(
            "INSERT INTO canned_responses (account_id, short_code, content, created_at, updated_at) \
             VALUES (?1, ?2, ?3, ?4, ?4)",
            params![row.account_id, row.short_code, row.content, now],
        )?;
        return Ok(CannedResponse {
            id: conn.last_insert_rowid(),
            created_at: now,
            updated_at: now,
            ..row.clone()
        });
    }
    conn.execute(
        "UPDATE canned_responses SET short_code = ?3, content = ?4, updated_at = ?5 WHERE account_id = ?1 AND id = ?2",
        params![row.account_id, row.id, row.short_code, row.content, now],
    )?;
    Ok(CannedResponse {
        updated_at: now,
        ..row.clone()
    })
}

/// Delete one response of the account.
pub fn delete(conn: &Connection, account_id: i64, id: i64) -> DbResult<()> {
    conn.execute(
        "DELETE FROM canned_responses WHERE account_id = ?1 AND id = ?2",
        params![account_id, id],
    )?;
    Ok(())
}
