//! `custom_attribute_definitions`: typed custom fields of conversations and contacts.

use rusqlite::{Connection, OptionalExtension, Row, params};
use serde_json::Value;

use super::{CachedQuery, DbResult, json_column, now_ms};

/// One definition. Enum fields are stored as their indexes.
#[derive(Debug, Clone)]
pub struct Definition {
    pub id: i64,
    pub account_id: i64,
    pub attribute_display_name: String,
    pub attribute_key: String,
    pub attribute_display_type: i64,
    pub attribute_model: i64,
    pub attribute_description: Option<String>,
    pub attribute_values: Value,
    pub default_value: Option<String>,
    pub regex_pattern: Option<String>,
    pub regex_cue: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

const COLUMNS: &str = "id, account_id, attribute_display_name, attribute_key, attribute_display_type, \
    attribute_model, attribute_description, attribute_values, default_value, regex_pattern, regex_cue, \
    created_at, updated_at";

fn from_row(row: &Row) -> rusqlite::Result<(Definition, String)> {
    Ok((
        Definition {
            id: row.get(0)?,
            account_id: row.get(1)?,
            attribute_display_name: row.get(2)?,
            attribute_key: row.get(3)?,
            attribute_display_type: row.get(4)?,
            attribute_model: row.get(5)?,
            attribute_description: row.get(6)?,
            attribute_values: Value::Null,
            default_value: row.get(8)?,
            regex_pattern: row.get(9)?,
            regex_cue: row.get(10)?,
            created_at: row.get(11)?,
            updated_at: row.get(12)?,
        },
        row.get(7)?,
    ))
}

fn hydrate((mut def, values): (Definition, String)) -> DbResult<Definition> {
    def.attribute_values = json_column(&values)?;
    Ok(def)
}

/// Definitions of an account, optionally of one model, oldest first.
pub fn list(conn: &Connection, account_id: i64, model: Option<i64>) -> DbResult<Vec<Definition>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM custom_attribute_definitions \
         WHERE account_id = ?1 AND (?2 IS NULL OR attribute_model = ?2) ORDER BY id"
    ))?;
    stmt.query_map(params![account_id, model], from_row)?
        .map(|raw| hydrate(raw?))
        .collect()
}

/// One definition of the account.
pub fn find(conn: &Connection, account_id: i64, id: i64) -> DbResult<Option<Definition>> {
    let raw = conn
        .query_row_cached(
            &format!("SELECT {COLUMNS} FROM custom_attribute_definitions WHERE account_id = ?1 AND id = ?2"),
            params![account_id, id],
            from_row,
        )
        .optional()?;
    raw.map(hydrate).transpose()
}

/// Whether another definition of the account and model uses `key`.
pub fn key_taken(conn: &Connection, def: &Definition) -> DbResult<bool> {
    Ok(conn.exists_cached(
        "SELECT 1 FROM custom_attribute_definitions \
             WHERE account_id = ?1 AND attribute_key = ?2 AND attribute_model = ?3 AND id != ?4",
        params![def.account_id, def.attribute_key, def.attribute_model, def.id],
    )?)
}

/// Insert (id 0) or update; returns the stored row.
pub fn save(conn: &Connection, def: &Definition) -> DbResult<Definition> {
    let now = now_ms();
    let values = def.attribute_values.to_string();
    if def.id == 0 {
        conn.execute(
            "INSERT INTO custom_attribute_definitions (account_id, attribute_display_name, attribute_key, \
             attribute_display_type, attribute_model, attribute_description, attribute_values, default_value, \
             regex_pattern, regex_cue, created_at, updated_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11)",
            params![
                def.account_id, def.attribute_display_name, def.attribute_key, def.attribute_display_type,
                def.attribute_model, def.attribute_description, values, def.default_value, def.regex_pattern,
                def.regex_cue, now
            ],
        )?;
        return Ok(Definition {
            id: conn.last_insert_rowid(),
            created_at: now,
            updated_at: now,
            ..def.clone()
        });
    }
    conn.execute(
        "UPDATE custom_attribute_definitions SET attribute_display_name = ?3, attribute_key = ?4, \
         attribute_display_type = ?5, attribute_model = ?6, attribute_description = ?7, attribute_values = ?8, \
         default_value = ?9, regex_pattern = ?10, regex_cue = ?11, updated_at = ?12 \
         WHERE account_id = ?1 AND id = ?2",
        params![
            def.account_id, def.id, def.attribute_display_name, def.attribute_key, def.attribute_display_type,
            def.attribute_model, def.attribute_description, values, def.default_value, def.regex_pattern,
            def.regex_cue, now
        ],
    )?;
    Ok(Definition {
        updated_at: now,
        ..def.clone()
    })
}

/// Delete one definition of the account.
pub fn delete(conn: &Connection, account_id: i64, id: i64) -> DbResult<()> {
    conn.execute(
        "DELETE FROM custom_attribute_definitions WHERE account_id = ?1 AND id = ?2",
        params![account_id, id],
    )?;
    Ok(())
}
