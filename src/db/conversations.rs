//! `conversations` and their labels. Paths and JSON use the per-account `display_id`.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, Row, params};
use serde_json::{Map, Value};

use super::{CachedQuery, DbResult, json_column, now_ms};

/// One conversation row.
#[derive(Debug, Clone)]
pub struct Conversation {
    pub id: i64,
    pub account_id: i64,
    pub inbox_id: i64,
    pub contact_id: i64,
    pub contact_inbox_id: Option<i64>,
    pub display_id: i64,
    pub uuid: String,
    pub status: i64,
    pub priority: Option<i64>,
    pub assignee_id: Option<i64>,
    pub assignee_agent_bot_id: Option<i64>,
    pub team_id: Option<i64>,
    pub snoozed_until: Option<i64>,
    pub agent_last_seen_at: Option<i64>,
    pub assignee_last_seen_at: Option<i64>,
    pub contact_last_seen_at: Option<i64>,
    pub first_reply_created_at: Option<i64>,
    pub waiting_since: Option<i64>,
    pub last_activity_at: i64,
    pub additional_attributes: Map<String, Value>,
    pub custom_attributes: Map<String, Value>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// Columns of `v` (conversations) in [`from_row`] order.
pub const COLUMNS: &str = "v.id, v.account_id, v.inbox_id, v.contact_id, v.contact_inbox_id, v.display_id, v.uuid, \
    v.status, v.priority, v.assignee_id, v.assignee_agent_bot_id, v.team_id, v.snoozed_until, v.agent_last_seen_at, \
    v.assignee_last_seen_at, v.contact_last_seen_at, v.first_reply_created_at, v.waiting_since, v.last_activity_at, \
    v.additional_attributes, v.custom_attributes, v.created_at, v.updated_at";

fn object(text: &str) -> DbResult<Map<String, Value>> {
    Ok(match json_column(text)? {
        Value::Object(map) => map,
        _ => Map::new(),
    })
}

fn from_row(row: &Row) -> rusqlite::Result<(Conversation, String, String)> {
    Ok((
        Conversation {
            id: row.get(0)?,
            account_id: row.get(1)?,
            inbox_id: row.get(2)?,
            contact_id: row.get(3)?,
            contact_inbox_id: row.get(4)?,
            display_id: row.get(5)?,
            uuid: row.get(6)?,
            status: row.get(7)?,
            priority: row.get(8)?,
            assignee_id: row.get(9)?,
            assignee_agent_bot_id: row.get(10)?,
            team_id: row.get(11)?,
            snoozed_until: row.get(12)?,
            agent_last_seen_at: row.get(13)?,
            assignee_last_seen_at: row.get(14)?,
            contact_last_seen_at: row.get(15)?,
            first_reply_created_at: row.get(16)?,
            waiting_since: row.get(17)?,
            last_activity_at: row.get(18)?,
            additional_attributes: Map::new(),
            custom_attributes: Map::new(),
            created_at: row.get(21)?,
            updated_at: row.get(22)?,
        },
        row.get(19)?,
        row.get(20)?,
    ))
}

/// Run a conversation query (selecting [`COLUMNS`]) and hydrate every row.
pub fn query(conn: &Connection, sql: &str, params: impl rusqlite::Params) -> DbResult<Vec<Conversation>> {
    let mut stmt = conn.prepare_cached(sql)?;
    stmt.query_map(params, from_row)?
        .map(|raw| {
            let (mut conversation, additional, custom) = raw?;
            conversation.additional_attributes = object(&additional)?;
            conversation.custom_attributes = object(&custom)?;
            Ok(conversation)
        })
        .collect()
}

/// A conversation by its display id in the account.
pub fn find(conn: &Connection, account_id: i64, display_id: i64) -> DbResult<Option<Conversation>> {
    Ok(query(
        conn,
        &format!("SELECT {COLUMNS} FROM conversations v WHERE v.account_id = ?1 AND v.display_id = ?2"),
        params![account_id, display_id],
    )?
    .into_iter()
    .next())
}

/// A conversation by its internal id (the event recorder).
pub fn find_by_id(conn: &Connection, id: i64) -> DbResult<Option<Conversation>> {
    Ok(query(
        conn,
        &format!("SELECT {COLUMNS} FROM conversations v WHERE v.id = ?1"),
        [id],
    )?
    .into_iter()
    .next())
}

/// The agent bot a conversation is assigned to, if any (who hears its message events).
pub fn assignee_agent_bot(conn: &Connection, id: i64) -> DbResult<Option<i64>> {
    Ok(conn
        .query_row_cached(
            "SELECT assignee_agent_bot_id FROM conversations WHERE id = ?1",
            [id],
            |r| r.get::<_, Option<i64>>(0),
        )
        .optional()?
        .flatten())
}

/// A conversation by uuid (CSAT and public links).
pub fn find_by_uuid(conn: &Connection, uuid: &str) -> DbResult<Option<Conversation>> {
    Ok(query(
        conn,
        &format!("SELECT {COLUMNS} FROM conversations v WHERE v.uuid = ?1"),
        [uuid],
    )?
    .into_iter()
    .next())
}

/// The latest conversation of a contact inbox (lock_to_single_conversation).
pub fn latest_for_contact_inbox(conn: &Connection, contact_inbox_id: i64) -> DbResult<Option<Conversation>> {
    Ok(query(
        conn,
        &format!(
            "SELECT {COLUMNS} FROM conversations v WHERE v.contact_inbox_id = ?1 ORDER BY v.id DESC LIMIT 1"
        ),
        [contact_inbox_id],
    )?
    .into_iter()
    .next())
}

/// Conversations of a contact, newest activity first (at most 20, as Chatwoot).
pub fn for_contact(
    conn: &Connection,
    account_id: i64,
    contact_id: i64,
    inbox_ids: Option<&[i64]>,
) -> DbResult<Vec<Conversation>> {
    let inboxes = inbox_ids.map(|ids| Value::from(ids.to_vec()).to_string());
    query(
        conn,
        &format!(
            "SELECT {COLUMNS} FROM conversations v WHERE v.account_id = ?1 AND v.contact_id = ?2 \
             AND (?3 IS NULL OR v.inbox_id IN (SELECT value FROM json_each(?3))) \
             ORDER BY v.last_activity_at DESC, v.id DESC LIMIT 20"
        ),
        params![account_id, contact_id, inboxes],
    )
}

/// Insert a conversation, allocating the next display id of the account (never reused).
pub fn insert(conn: &Connection, conversation: &Conversation) -> DbResult<Conversation> {
    let display_id: i64 = conn.query_row_cached(
        "UPDATE accounts SET last_display_id = last_display_id + 1 WHERE id = ?1 RETURNING last_display_id",
        [conversation.account_id],
        |row| row.get(0),
    )?;
    let now = now_ms();
    let uuid = uuid::Uuid::new_v4().to_string();
    conn.execute(
        "INSERT INTO conversations (account_id, inbox_id, contact_id, contact_inbox_id, display_id, uuid, last_activity_at, \
         created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?7)",
        params![conversation.account_id, conversation.inbox_id, conversation.contact_id, conversation.contact_inbox_id, display_id, uuid, now],
    )?;
    let stored = Conversation {
        id: conn.last_insert_rowid(),
        display_id,
        uuid,
        last_activity_at: now,
        created_at: now,
        updated_at: now,
        ..conversation.clone()
    };
    update(conn, &stored)
}

/// Write every mutable column; bumps `updated_at`.
pub fn update(conn: &Connection, c: &Conversation) -> DbResult<Conversation> {
    let now = now_ms();
    conn.execute(
        "UPDATE conversations SET status = ?2, priority = ?3, assignee_id = ?4, assignee_agent_bot_id = ?5, team_id = ?6, \
         snoozed_until = ?7, agent_last_seen_at = ?8, assignee_last_seen_at = ?9, contact_last_seen_at = ?10, \
         first_reply_created_at = ?11, waiting_since = ?12, last_activity_at = ?13, additional_attributes = ?14, \
         custom_attributes = ?15, updated_at = ?16 WHERE id = ?1",
        params![
            c.id,
            c.status,
            c.priority,
            c.assignee_id,
            c.assignee_agent_bot_id,
            c.team_id,
            c.snoozed_until,
            c.agent_last_seen_at,
            c.assignee_last_seen_at,
            c.contact_last_seen_at,
            c.first_reply_created_at,
            c.waiting_since,
            c.last_activity_at,
            Value::Object(c.additional_attributes.clone()).to_string(),
            Value::Object(c.custom_attributes.clone()).to_string(),
            now,
        ],
    )?;
    Ok(Conversation {
        updated_at: now,
        ..c.clone()
    })
}

/// Delete a conversation (messages and labels go with it).
pub fn delete(conn: &Connection, id: i64) -> DbResult<()> {
    conn.execute("DELETE FROM conversations WHERE id = ?1", [id])?;
    Ok(())
}

/// Labels of a conversation, sorted.
pub fn labels(conn: &Connection, conversation_id: i64) -> DbResult<Vec<String>> {
    Ok(labels_for(conn, &[conversation_id])?
        .remove(&conversation_id)
        .unwrap_or_default())
}

/// Labels of many conversations in one query.
pub fn labels_for(conn: &Connection, ids: &[i64]) -> DbResult<HashMap<i64, Vec<String>>> {
    let mut stmt = conn.prepare_cached(
        "SELECT conversation_id, label FROM conversation_labels \
         WHERE conversation_id IN (SELECT value FROM json_each(?1)) ORDER BY label",
    )?;
    let mut map: HashMap<i64, Vec<String>> = HashMap::new();
    for row in stmt.query_map([Value::from(ids.to_vec()).to_string()], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
    })? {
        let (id, label) = row?;
        map.entry(id).or_default().push(label);
    }
    Ok(map)
}

/// Replace the labels of a conversation.
pub fn set_labels(conn: &Connection, conversation_id: i64, labels: &[String]) -> DbResult<()> {
    conn.execute(
        "DELETE FROM conversation_labels WHERE conversation_id = ?1",
        [conversation_id],
    )?;
    let mut stmt = conn.prepare_cached(
        "INSERT OR IGNORE INTO conversation_labels (conversation_id, label) VALUES (?1, ?2)",
    )?;
    for label in labels {
        stmt.execute(params![conversation_id, label])?;
    }
    Ok(())
}

/// Whether the user may open the conversation through a team they belong to.
pub fn is_team_member(conn: &Connection, team_id: i64, user_id: i64) -> DbResult<bool> {
    Ok(conn.exists_cached(
        "SELECT 1 FROM team_members WHERE team_id = ?1 AND user_id = ?2",
        params![team_id, user_id],
    )?)
}

/// Conversations a public contact may reach: every one of the contact when its contact inbox is
/// HMAC-verified, else only those of that contact inbox. Oldest first.
pub fn for_public_contact(
    conn: &Connection,
    contact_inbox_id: i64,
    contact_id: i64,
    verified: bool,
) -> DbResult<Vec<Conversation>> {
    query(
        conn,
        &format!(
            "SELECT {COLUMNS} FROM conversations v WHERE (?3 AND v.contact_id = ?2) OR (NOT ?3 AND v.contact_inbox_id = ?1) \
             ORDER BY v.id"
        ),
        params![contact_inbox_id, contact_id, verified],
    )
}

/// The per-account display id of a conversation.
pub fn display_id_of(conn: &Connection, conversation_id: i64) -> DbResult<i64> {
    Ok(conn.query_row_cached(
        "SELECT display_id FROM conversations WHERE id = ?1",
        [conversation_id],
        |r| r.get(0),
    )?)
}
