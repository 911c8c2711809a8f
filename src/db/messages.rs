//! `messages` of conversations.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, Row, params};
use serde_json::{Map, Value};

use super::{CachedQuery, DbResult, json_column, now_ms};

/// One message.
#[derive(Debug, Clone)]
pub struct Message {
    pub id: i64,
    pub account_id: i64,
    pub inbox_id: i64,
    pub conversation_id: i64,
    pub message_type: i64,
    pub content: Option<String>,
    pub content_type: i64,
    pub content_attributes: Map<String, Value>,
    pub additional_attributes: Map<String, Value>,
    pub external_source_ids: Map<String, Value>,
    pub private: bool,
    pub status: i64,
    pub source_id: Option<String>,
    pub sender_type: Option<String>,
    pub sender_id: Option<i64>,
    pub echo_id: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Message {
    /// A blank message of a conversation, ready to fill and [`insert`].
    pub fn new(account_id: i64, inbox_id: i64, conversation_id: i64, message_type: i64) -> Self {
        Message {
            id: 0,
            account_id,
            inbox_id,
            conversation_id,
            message_type,
            content: None,
            content_type: 0,
            content_attributes: Map::new(),
            additional_attributes: Map::new(),
            external_source_ids: Map::new(),
            private: false,
            status: 0,
            source_id: None,
            sender_type: None,
            sender_id: None,
            echo_id: None,
            created_at: 0,
            updated_at: 0,
        }
    }
}

pub(super) const COLUMNS: &str = "m.id, m.account_id, m.inbox_id, m.conversation_id, m.message_type, m.content, m.content_type, \
    m.content_attributes, m.additional_attributes, m.external_source_ids, m.private, m.status, m.source_id, \
    m.sender_type, m.sender_id, m.echo_id, m.created_at, m.updated_at";

fn object(text: &str) -> DbResult<Map<String, Value>> {
    Ok(match json_column(text)? {
        Value::Object(map) => map,
        _ => Map::new(),
    })
}

type Raw = (Message, [String; 3]);

fn from_row(row: &Row) -> rusqlite::Result<Raw> {
    Ok((
        Message {
            id: row.get(0)?,
            account_id: row.get(1)?,
            inbox_id: row.get(2)?,
            conversation_id: row.get(3)?,
            message_type: row.get(4)?,
            content: row.get(5)?,
            content_type: row.get(6)?,
            content_attributes: Map::new(),
            additional_attributes: Map::new(),
            external_source_ids: Map::new(),
            private: row.get(10)?,
            status: row.get(11)?,
            source_id: row.get(12)?,
            sender_type: row.get(13)?,
            sender_id: row.get(14)?,
            echo_id: row.get(15)?,
            created_at: row.get(16)?,
            updated_at: row.get(17)?,
        },
        [row.get(7)?, row.get(8)?, row.get(9)?],
    ))
}

pub(super) fn query(conn: &Connection, sql: &str, params: impl rusqlite::Params) -> DbResult<Vec<Message>> {
    let mut stmt = conn.prepare_cached(sql)?;
    stmt.query_map(params, from_row)?
        .map(|raw| {
            let (mut message, [content, additional, external]) = raw?;
            message.content_attributes = object(&content)?;
            message.additional_attributes = object(&additional)?;
            message.external_source_ids = object(&external)?;
            Ok(message)
        })
        .collect()
}

/// Insert; returns the stored message.
pub fn insert(conn: &Connection, m: &Message) -> DbResult<Message> {
    let now = now_ms();
    conn.execute(
        "INSERT INTO messages (account_id, inbox_id, conversation_id, message_type, content, content_type, content_attributes, \
         additional_attributes, external_source_ids, private, status, source_id, sender_type, sender_id, echo_id, created_at, updated_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?16)",
        params![
            m.account_id, m.inbox_id, m.conversation_id, m.message_type, m.content, m.content_type,
            Value::Object(m.content_attributes.clone()).to_string(),
            Value::Object(m.additional_attributes.clone()).to_string(),
            Value::Object(m.external_source_ids.clone()).to_string(),
            m.private, m.status, m.source_id, m.sender_type, m.sender_id, m.echo_id, now
        ],
    )?;
    Ok(Message {
        id: conn.last_insert_rowid(),
        created_at: now,
        updated_at: now,
        ..m.clone()
    })
}

/// Write content, status and attributes back.
pub fn update(conn: &Connection, m: &Message) -> DbResult<Message> {
    let now = now_ms();
    conn.execute(
        "UPDATE messages SET content = ?2, content_type = ?3, content_attributes = ?4, status = ?5, updated_at = ?6 WHERE id = ?1",
        params![m.id, m.content, m.content_type, Value::Object(m.content_attributes.clone()).to_string(), m.status, now],
    )?;
    Ok(Message {
        updated_at: now,
        ..m.clone()
    })
}

/// A message by id, whatever its conversation (the event recorder).
pub fn find_by_id(conn: &Connection, id: i64) -> DbResult<Option<Message>> {
    Ok(query(
        conn,
        &format!("SELECT {COLUMNS} FROM messages m WHERE m.id = ?1"),
        [id],
    )?
    .into_iter()
    .next())
}

/// Messages by id (one query for a page of notifications).
pub fn find_many(conn: &Connection, ids: &[i64]) -> DbResult<HashMap<i64, Message>> {
    Ok(query(
        conn,
        &format!("SELECT {COLUMNS} FROM messages m WHERE m.id IN (SELECT value FROM json_each(?1))"),
        [serde_json::to_string(ids).unwrap_or_default()],
    )?
    .into_iter()
    .map(|m| (m.id, m))
    .collect())
}

/// One message of a conversation.
pub fn find(conn: &Connection, conversation_id: i64, id: i64) -> DbResult<Option<Message>> {
    Ok(query(
        conn,
        &format!("SELECT {COLUMNS} FROM messages m WHERE m.conversation_id = ?1 AND m.id = ?2"),
        params![conversation_id, id],
    )?
    .into_iter()
    .next())
}

/// Chatwoot's message finder: none → latest 20; `before` → 20 newest below it; `after` → up to
/// 100 above it; both → up to 1000 between. Always ascending by id.
pub fn page(
    conn: &Connection,
    conversation_id: i64,
    before: Option<i64>,
    after: Option<i64>,
    without_internal: bool,
) -> DbResult<Vec<Message>> {
    let internal = if without_internal {
        " AND m.private = 0 AND m.message_type != 2"
    } else {
        ""
    };
    let select = format!("SELECT {COLUMNS} FROM messages m WHERE m.conversation_id = ?1{internal}");
    let mut rows = match (before, after) {
        (None, None) => query(
            conn,
            &format!("{select} ORDER BY m.id DESC LIMIT 20"),
            [conversation_id],
        )?,
        (Some(before), None) => query(
            conn,
            &format!("{select} AND m.id < ?2 ORDER BY m.id DESC LIMIT 20"),
            params![conversation_id, before],
        )?,
        (None, Some(after)) => query(
            conn,
            &format!("{select} AND m.id > ?2 ORDER BY m.id ASC LIMIT 100"),
            params![conversation_id, after],
        )?,
        (Some(before), Some(after)) => query(
            conn,
            &format!("{select} AND m.id >= ?2 AND m.id < ?3 ORDER BY m.id ASC LIMIT 1000"),
            params![conversation_id, after, before],
        )?,
    };
    rows.sort_by_key(|m| m.id);
    Ok(rows)
}

/// The latest message of each conversation (any type) and the latest non-activity one, in two
/// queries.
pub fn latest_for(
    conn: &Connection,
    conversation_ids: &[i64],
) -> DbResult<(HashMap<i64, Message>, HashMap<i64, Message>)> {
    let ids = Value::from(conversation_ids.to_vec()).to_string();
    let any = query(
        conn,
        &format!(
            "SELECT {COLUMNS} FROM messages m WHERE m.id IN (SELECT MAX(id) FROM messages \
             WHERE conversation_id IN (SELECT value FROM json_each(?1)) GROUP BY conversation_id)"
        ),
        [&ids],
    )?;
    let non_activity = query(
        conn,
        &format!(
            "SELECT {COLUMNS} FROM messages m WHERE m.id IN (SELECT MAX(id) FROM messages \
             WHERE conversation_id IN (SELECT value FROM json_each(?1)) AND message_type != 2 GROUP BY conversation_id)"
        ),
        [&ids],
    )?;
    let by_conversation = |list: Vec<Message>| list.into_iter().map(|m| (m.conversation_id, m)).collect();
    Ok((by_conversation(any), by_conversation(non_activity)))
}

/// Incoming messages after each conversation's `agent_last_seen_at`, capped at 10.
pub fn unread_counts(conn: &Connection, conversation_ids: &[i64]) -> DbResult<HashMap<i64, i64>> {
    let mut stmt = conn.prepare_cached(
        "SELECT v.id, (SELECT COUNT(*) FROM (SELECT 1 FROM messages m WHERE m.conversation_id = v.id \
         AND m.message_type = 0 AND m.created_at > COALESCE(v.agent_last_seen_at, 0) LIMIT 10)) \
         FROM conversations v WHERE v.id IN (SELECT value FROM json_each(?1))",
    )?;
    let rows = stmt
        .query_map([Value::from(conversation_ids.to_vec()).to_string()], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

/// Created-at of the last incoming message of a conversation.
pub fn last_incoming_at(conn: &Connection, conversation_id: i64) -> DbResult<Option<i64>> {
    Ok(conn
        .query_row_cached(
            "SELECT MAX(created_at) FROM messages WHERE conversation_id = ?1 AND message_type = 0",
            [conversation_id],
            |r| r.get(0),
        )
        .optional()?
        .flatten())
}

/// Messages created in a conversation in the last minute (flood limit).
pub fn recent_count(conn: &Connection, conversation_id: i64, since: i64) -> DbResult<i64> {
    Ok(conn.query_row_cached(
        "SELECT COUNT(*) FROM messages WHERE conversation_id = ?1 AND created_at >= ?2",
        params![conversation_id, since],
        |r| r.get(0),
    )?)
}

/// Every message of many conversations, ascending, keyed by conversation (search results).
pub fn all_for(conn: &Connection, conversation_ids: &[i64]) -> DbResult<HashMap<i64, Vec<Message>>> {
    let rows = query(
        conn,
        &format!(
            "SELECT {COLUMNS} FROM messages m WHERE m.conversation_id IN (SELECT value FROM json_each(?1)) ORDER BY m.id"
        ),
        [Value::from(conversation_ids.to_vec()).to_string()],
    )?;
    let mut map: HashMap<i64, Vec<Message>> = HashMap::new();
    for message in rows {
        map.entry(message.conversation_id).or_default().push(message);
    }
    Ok(map)
}

/// Whether an agent (not a bot) has sent a public reply in the conversation.
pub fn has_human_reply(conn: &Connection, conversation_id: i64) -> DbResult<bool> {
    Ok(conn.query_row_cached(
        "SELECT EXISTS (SELECT 1 FROM messages WHERE conversation_id = ?1 AND message_type = 1 \
         AND sender_type = 'User')",
        [conversation_id],
        |r| r.get(0),
    )?)
}

/// The latest message of a conversation with `content_type` (a re-sent survey, …).
pub fn latest_of_content_type(
    conn: &Connection,
    conversation_id: i64,
    content_type: i64,
) -> DbResult<Option<Message>> {
    let id: Option<i64> = conn.query_row_cached(
        "SELECT MAX(id) FROM messages WHERE conversation_id = ?1 AND content_type = ?2",
        params![conversation_id, content_type],
        |r| r.get(0),
    )?;
    match id {
        Some(id) => find(conn, conversation_id, id),
        None => Ok(None),
    }
}
