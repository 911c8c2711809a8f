//! The account search (`GET search`, `search/messages`, `search/conversations`): messages
//! through the trigram message index, conversations through the contacts index or their display
//! id. Pages are small and every query starts from an index; agents only reach the inboxes they
//! are members of.

use std::collections::HashMap;

use rusqlite::Connection;
use rusqlite::types::Value as Sql;
use serde_json::Value;

use super::DbResult;
use super::conversation_list::{TRIGRAM, quoted, words_query};
use super::conversations::{self, Conversation};
use super::messages::{self, Message};

/// Whose search: the account, and for agents the user whose inboxes bound it.
#[derive(Debug, Clone, Copy)]
pub struct Scope {
    pub account_id: i64,
    /// `Some(user id)` for agents; `None` for administrators (every inbox).
    pub member_of_inboxes: Option<i64>,
}

impl Scope {
    /// The inbox clause on `column`, binding the user id.
    fn inbox_clause(&self, column: &str, params: &mut Vec<Sql>) -> String {
        match self.member_of_inboxes {
            Some(user_id) => {
                params.push(Sql::Integer(user_id));
                format!(" AND {column} IN (SELECT inbox_id FROM inbox_members WHERE user_id = ?)")
            }
            None => String::new(),
        }
    }
}

fn like(q: &str) -> String {
    format!("%{}%", super::like_escape(q))
}

/// Messages created since `since_ms` whose content contains `q` (case-insensitive), newest
/// first.
pub fn messages(
    conn: &Connection,
    scope: Scope,
    q: &str,
    since_ms: i64,
    page: i64,
    per_page: i64,
) -> DbResult<Vec<Message>> {
    let cols = messages::COLUMNS;
    let mut params = Vec::new();
    let source = if q.chars().count() >= TRIGRAM {
        // The index rowid is conversation_id << 32 | message id: the join reads the
        // (conversation_id, id) index, never the whole table.
        let join = "messages_search s JOIN messages m ON m.conversation_id = (s.rowid >> 32) \
                    AND (m.id & 4294967295) = (s.rowid & 4294967295)";
        match words_query(q) {
            Some(words) => {
                params.push(Sql::Text(words));
                params.push(Sql::Text(like(q)));
                format!("{join} WHERE messages_search MATCH ? AND m.content LIKE ? ESCAPE '\\'")
            }
            None => {
                params.push(Sql::Text(quoted(q)));
                format!("{join} WHERE messages_search MATCH ?")
            }
        }
    } else {
        params.push(Sql::Text(like(q)));
        "messages m WHERE m.content LIKE ? ESCAPE '\\'".to_string()
    };
    params.push(Sql::Integer(scope.account_id));
    params.push(Sql::Integer(since_ms));
    let inboxes = scope.inbox_clause("m.inbox_id", &mut params);
    params.push(Sql::Integer(per_page));
    params.push(Sql::Integer((page - 1).saturating_mul(per_page)));
    let sql = format!(
        "SELECT {cols} FROM {source} AND m.account_id = ? AND m.created_at >= ?{inboxes} \
         ORDER BY m.created_at DESC, m.id DESC LIMIT +? OFFSET +?"
    );
    messages::query(conn, &sql, rusqlite::params_from_iter(params))
}

/// Conversations whose display id is `q`, or whose contact's name, email, phone number or
/// identifier contains it; newest first.
pub fn conversations(
    conn: &Connection,
    scope: Scope,
    q: &str,
    page: i64,
    per_page: i64,
) -> DbResult<Vec<Conversation>> {
    let cols = conversations::COLUMNS;
    let mut params = vec![
        Sql::Integer(scope.account_id),
        Sql::Integer(scope.account_id),
        Sql::Integer(q.trim().parse::<i64>().unwrap_or(-1)),
    ];
    let contacts = if q.chars().count() >= TRIGRAM {
        params.push(Sql::Text(quoted(q)));
        "SELECT rowid FROM contacts_search WHERE contacts_search MATCH ?"
    } else {
        params.push(Sql::Integer(scope.account_id));
        params.extend(std::iter::repeat_n(Sql::Text(like(q)), 4));
        "SELECT id FROM contacts WHERE account_id = ? AND (name LIKE ? ESCAPE '\\' \
         OR email LIKE ? ESCAPE '\\' OR phone_number LIKE ? ESCAPE '\\' OR identifier LIKE ? ESCAPE '\\')"
    };
    let inboxes = scope.inbox_clause("v.inbox_id", &mut params);
    params.push(Sql::Integer(per_page));
    params.push(Sql::Integer((page - 1).saturating_mul(per_page)));
    let sql = format!(
        "SELECT {cols} FROM conversations v WHERE v.account_id = ? AND v.id IN \
         (SELECT id FROM conversations WHERE account_id = ? AND display_id = ? \
          UNION SELECT id FROM conversations WHERE contact_id IN ({contacts})){inboxes} \
         ORDER BY v.created_at DESC, v.id DESC LIMIT +? OFFSET +?"
    );
    conversations::query(conn, &sql, rusqlite::params_from_iter(params))
}

/// What a search result says about an inbox (`search/_inbox`).
#[derive(Debug, Clone)]
pub struct InboxRef {
    pub id: i64,
    pub channel_id: i64,
    pub name: String,
    pub channel_type: String,
}

/// Inboxes among `ids`, keyed by id (one query).
pub fn inbox_refs(conn: &Connection, ids: &[i64]) -> DbResult<HashMap<i64, InboxRef>> {
    let mut stmt = conn.prepare_cached(
        "SELECT i.id, i.channel_id, i.name, c.channel_type FROM inboxes i JOIN channels c ON c.id = i.channel_id \
         WHERE i.id IN (SELECT value FROM json_each(?1))",
    )?;
    let rows = stmt.query_map([Value::from(ids.to_vec()).to_string()], |r| {
        Ok(InboxRef {
            id: r.get(0)?,
            channel_id: r.get(1)?,
            name: r.get(2)?,
            channel_type: r.get(3)?,
        })
    })?;
    rows.map(|row| Ok(row.map(|i| (i.id, i))?)).collect()
}

/// Display ids of conversations by database id (one query).
pub fn display_ids(conn: &Connection, conversation_ids: &[i64]) -> DbResult<HashMap<i64, i64>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, display_id FROM conversations WHERE id IN (SELECT value FROM json_each(?1))",
    )?;
    let rows = stmt.query_map([Value::from(conversation_ids.to_vec()).to_string()], |r| {
        Ok((r.get(0)?, r.get(1)?))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The first message of each conversation, keyed by conversation id (one query).
pub fn first_messages(conn: &Connection, conversation_ids: &[i64]) -> DbResult<HashMap<i64, Message>> {
    let cols = messages::COLUMNS;
    let rows = messages::query(
        conn,
        &format!(
            "SELECT {cols} FROM messages m WHERE m.id IN (SELECT MIN(id) FROM messages \
             WHERE conversation_id IN (SELECT value FROM json_each(?1)) GROUP BY conversation_id)"
        ),
        [Value::from(conversation_ids.to_vec()).to_string()],
    )?;
    Ok(rows.into_iter().map(|m| (m.conversation_id, m)).collect())
}
