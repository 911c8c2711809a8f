//! `reporting_events`: measured moments of conversations, the raw data of reports.

use rusqlite::types::Value as SqlValue;
use rusqlite::{Connection, Row, params, params_from_iter};

use super::{CachedQuery, DbResult, now_ms};

/// Event names Chatwoot writes.
pub mod name {
    pub const CONVERSATION_RESOLVED: &str = "conversation_resolved";
    pub const CONVERSATION_BOT_RESOLVED: &str = "conversation_bot_resolved";
    pub const FIRST_RESPONSE: &str = "first_response";
    pub const REPLY_TIME: &str = "reply_time";
    pub const CONVERSATION_BOT_HANDOFF: &str = "conversation_bot_handoff";
    pub const CONVERSATION_OPENED: &str = "conversation_opened";
    /// Every name above.
    pub const ALL: &[&str] = &[
        CONVERSATION_RESOLVED,
        CONVERSATION_BOT_RESOLVED,
        FIRST_RESPONSE,
        REPLY_TIME,
        CONVERSATION_BOT_HANDOFF,
        CONVERSATION_OPENED,
    ];
}

/// One event; times in unix ms, values in seconds.
#[derive(Debug, Clone, Default)]
pub struct ReportingEvent {
    pub id: i64,
    pub account_id: i64,
    pub name: String,
    pub value: f64,
    pub value_in_business_hours: f64,
    pub event_start_time: i64,
    pub event_end_time: i64,
    pub inbox_id: Option<i64>,
    pub user_id: Option<i64>,
    pub conversation_id: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

const COLUMNS: &str = "id, account_id, name, value, value_in_business_hours, event_start_time, \
    event_end_time, inbox_id, user_id, conversation_id, created_at, updated_at";

fn from_row(row: &Row) -> rusqlite::Result<ReportingEvent> {
    Ok(ReportingEvent {
        id: row.get(0)?,
        account_id: row.get(1)?,
        name: row.get(2)?,
        value: row.get(3)?,
        value_in_business_hours: row.get(4)?,
        event_start_time: row.get(5)?,
        event_end_time: row.get(6)?,
        inbox_id: row.get(7)?,
        user_id: row.get(8)?,
        conversation_id: row.get(9)?,
        created_at: row.get(10)?,
        updated_at: row.get(11)?,
    })
}

/// Store an event; returns it with its id.
pub fn insert(conn: &Connection, event: &ReportingEvent) -> DbResult<ReportingEvent> {
    let now = now_ms();
    conn.prepare_cached(
        "INSERT INTO reporting_events (account_id, name, value, value_in_business_hours, event_start_time, \
         event_end_time, inbox_id, user_id, conversation_id, created_at, updated_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)",
    )?
    .execute(params![
        event.account_id,
        event.name,
        event.value,
        event.value_in_business_hours,
        event.event_start_time,
        event.event_end_time,
        event.inbox_id,
        event.user_id,
        event.conversation_id,
        now
    ])?;
    Ok(ReportingEvent {
        id: conn.last_insert_rowid(),
        created_at: now,
        updated_at: now,
        ..event.clone()
    })
}

/// Every event of a conversation, oldest first.
pub fn for_conversation(
    conn: &Connection,
    account_id: i64,
    conversation_id: i64,
) -> DbResult<Vec<ReportingEvent>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM reporting_events WHERE conversation_id = ?1 AND account_id = ?2 ORDER BY id"
    ))?;
    let rows = stmt.query_map(params![conversation_id, account_id], from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// End time of the conversation's latest event among `names`, if any.
pub fn latest_end(conn: &Connection, conversation_id: i64, names: &[&str]) -> DbResult<Option<i64>> {
    let list = serde_json::Value::from(names.to_vec()).to_string();
    Ok(conn.query_row_cached(
        "SELECT max(event_end_time) FROM reporting_events \
         WHERE conversation_id = ?1 AND name IN (SELECT value FROM json_each(?2))",
        params![conversation_id, list],
        |r| r.get(0),
    )?)
}

/// Whether the conversation already has an event of this name.
pub fn exists(conn: &Connection, conversation_id: i64, name: &str) -> DbResult<bool> {
    Ok(conn.query_row_cached(
        "SELECT EXISTS (SELECT 1 FROM reporting_events WHERE conversation_id = ?1 AND name = ?2)",
        params![conversation_id, name],
        |r| r.get(0),
    )?)
}

/// Filters of the account-wide event list.
#[derive(Debug, Clone, Default)]
pub struct EventFilter {
    pub account_id: i64,
    /// `[since, until)` on `created_at`, unix ms.
    pub since: Option<i64>,
    pub until: Option<i64>,
    pub inbox_id: Option<i64>,
    pub user_id: Option<i64>,
    pub name: Option<String>,
}

/// One page of an account's events, newest first, and how many match in all. Only the given
/// filters enter the SQL, so the `(account_id, …, created_at)` indexes serve the range.
pub fn page(
    conn: &Connection,
    filter: &EventFilter,
    page: i64,
    per_page: i64,
) -> DbResult<(Vec<ReportingEvent>, i64)> {
    let mut clauses = vec!["account_id = ?"];
    let mut values = vec![SqlValue::Integer(filter.account_id)];
    let optional = [
        ("created_at >= ?", filter.since.map(SqlValue::Integer)),
        ("created_at < ?", filter.until.map(SqlValue::Integer)),
        ("inbox_id = ?", filter.inbox_id.map(SqlValue::Integer)),
        ("user_id = ?", filter.user_id.map(SqlValue::Integer)),
        ("name = ?", filter.name.clone().map(SqlValue::Text)),
    ];
    for (clause, value) in optional {
        if let Some(value) = value {
            clauses.push(clause);
            values.push(value);
        }
    }
    let condition = clauses.join(" AND ");
    let total: i64 = conn.query_row_cached(
        &format!("SELECT count(*) FROM reporting_events WHERE {condition}"),
        params_from_iter(values.iter()),
        |r| r.get(0),
    )?;
    values.push(SqlValue::Integer(per_page));
    values.push(SqlValue::Integer((page - 1).saturating_mul(per_page)));
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM reporting_events WHERE {condition} \
         ORDER BY created_at DESC, id DESC LIMIT +? OFFSET +?"
    ))?;
    let rows = stmt.query_map(params_from_iter(values), from_row)?;
    Ok((rows.collect::<Result<_, _>>()?, total))
}
