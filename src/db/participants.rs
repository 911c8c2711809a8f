//! `conversation_participants`: the agents who follow a conversation (Chatwoot's
//! ConversationParticipant).

use rusqlite::{Connection, params};
use serde_json::Value;

use super::{DbResult, now_ms};

/// The user ids participating in a conversation, oldest first.
pub fn user_ids(conn: &Connection, conversation_id: i64) -> DbResult<Vec<i64>> {
    let mut stmt = conn.prepare_cached(
        "SELECT user_id FROM conversation_participants WHERE conversation_id = ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([conversation_id], |row| row.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Add users (those already in are left as they are).
pub fn add(conn: &Connection, account_id: i64, conversation_id: i64, user_ids: &[i64]) -> DbResult<()> {
    let now = now_ms();
    conn.execute(
        "INSERT OR IGNORE INTO conversation_participants (account_id, conversation_id, user_id, created_at, updated_at) \
         SELECT ?1, ?2, value, ?3, ?3 FROM json_each(?4)",
        params![account_id, conversation_id, now, Value::from(user_ids.to_vec()).to_string()],
    )?;
    Ok(())
}

/// Remove users (absent ones are ignored).
pub fn remove(conn: &Connection, conversation_id: i64, user_ids: &[i64]) -> DbResult<()> {
    conn.execute(
        "DELETE FROM conversation_participants WHERE conversation_id = ?1 \
         AND user_id IN (SELECT value FROM json_each(?2))",
        params![conversation_id, Value::from(user_ids.to_vec()).to_string()],
    )?;
    Ok(())
}
