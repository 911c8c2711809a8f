//! `attachments` of messages. Files live under `<data dir>/uploads/<storage_key>`.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, Row, params};
use serde_json::Value;

use super::{CachedQuery, DbResult, now_ms};

/// One attachment row.
#[derive(Debug, Clone)]
pub struct Attachment {
    pub id: i64,
    pub account_id: i64,
    pub message_id: i64,
    pub file_type: i64,
    pub storage_key: Option<String>,
    pub file_name: Option<String>,
    pub content_type: Option<String>,
    pub byte_size: i64,
    pub extension: Option<String>,
    pub created_at: i64,
}

const COLUMNS: &str = "a.id, a.account_id, a.message_id, a.file_type, a.storage_key, a.file_name, a.content_type, \
    a.byte_size, a.extension, a.created_at";

fn from_row(row: &Row) -> rusqlite::Result<Attachment> {
    Ok(Attachment {
        id: row.get(0)?,
        account_id: row.get(1)?,
        message_id: row.get(2)?,
        file_type: row.get(3)?,
        storage_key: row.get(4)?,
        file_name: row.get(5)?,
        content_type: row.get(6)?,
        byte_size: row.get(7)?,
        extension: row.get(8)?,
        created_at: row.get(9)?,
    })
}

/// Insert an attachment row.
pub fn insert(conn: &Connection, a: &Attachment) -> DbResult<Attachment> {
    let now = now_ms();
    conn.execute(
        "INSERT INTO attachments (account_id, message_id, file_type, storage_key, file_name, content_type, byte_size, extension, created_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![a.account_id, a.message_id, a.file_type, a.storage_key, a.file_name, a.content_type, a.byte_size, a.extension, now],
    )?;
    Ok(Attachment {
        id: conn.last_insert_rowid(),
        created_at: now,
        ..a.clone()
    })
}

/// Attachments of many messages in one query, keyed by message id.
pub fn for_messages(conn: &Connection, message_ids: &[i64]) -> DbResult<HashMap<i64, Vec<Attachment>>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM attachments a WHERE a.message_id IN (SELECT value FROM json_each(?1)) ORDER BY a.id"
    ))?;
    let mut map: HashMap<i64, Vec<Attachment>> = HashMap::new();
    for row in stmt.query_map([Value::from(message_ids.to_vec()).to_string()], from_row)? {
        let row = row?;
        map.entry(row.message_id).or_default().push(row);
    }
    Ok(map)
}

/// An attachment with its message's sender type and id.
pub type WithSender = (Attachment, Option<String>, Option<i64>);

/// The newest 100 attachments of a conversation and their total.
pub fn for_conversation(conn: &Connection, conversation_id: i64) -> DbResult<(Vec<WithSender>, i64)> {
    let total = conn.query_row_cached(
        "SELECT COUNT(*) FROM attachments a JOIN messages m ON m.id = a.message_id WHERE m.conversation_id = ?1",
        [conversation_id],
        |r| r.get(0),
    )?;
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS}, m.sender_type, m.sender_id FROM attachments a JOIN messages m ON m.id = a.message_id \
         WHERE m.conversation_id = ?1 ORDER BY a.id DESC LIMIT 100"
    ))?;
    let rows = stmt
        .query_map([conversation_id], |row| {
            Ok((from_row(row)?, row.get(10)?, row.get(11)?))
        })?
        .collect::<Result<_, _>>()?;
    Ok((rows, total))
}

/// An attachment by storage key (serving files).
pub fn find_by_key(conn: &Connection, key: &str) -> DbResult<Option<Attachment>> {
    Ok(conn
        .query_row_cached(
            &format!("SELECT {COLUMNS} FROM attachments a WHERE a.storage_key = ?1"),
            [key],
            from_row,
        )
        .optional()?)
}

/// Storage keys of a message's attachments, then delete the rows.
pub fn delete_for_message(conn: &Connection, message_id: i64) -> DbResult<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT storage_key FROM attachments WHERE message_id = ?1 AND storage_key IS NOT NULL",
    )?;
    let keys = stmt
        .query_map([message_id], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    conn.execute("DELETE FROM attachments WHERE message_id = ?1", [message_id])?;
    Ok(keys)
}
