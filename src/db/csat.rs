//! `csat_survey_responses`: customers' ratings of resolved conversations.

use rusqlite::types::Value as Sql;
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::{CachedQuery, DbResult, now_ms};

/// One response row.
#[derive(Debug, Clone)]
pub struct CsatResponse {
    pub id: i64,
    pub account_id: i64,
    pub conversation_id: i64,
    pub message_id: i64,
    pub rating: i64,
    pub feedback_message: Option<String>,
    pub contact_id: Option<i64>,
    pub assigned_agent_id: Option<i64>,
    pub csat_review_notes: Option<String>,
    pub review_notes_updated_at: Option<i64>,
    pub review_notes_updated_by_id: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

const COLUMNS: &str = "r.id, r.account_id, r.conversation_id, r.message_id, r.rating, r.feedback_message, r.contact_id, \
    r.assigned_agent_id, r.csat_review_notes, r.review_notes_updated_at, r.review_notes_updated_by_id, r.created_at, r.updated_at";

fn from_row(row: &Row) -> rusqlite::Result<CsatResponse> {
    Ok(CsatResponse {
        id: row.get(0)?,
        account_id: row.get(1)?,
        conversation_id: row.get(2)?,
        message_id: row.get(3)?,
        rating: row.get(4)?,
        feedback_message: row.get(5)?,
        contact_id: row.get(6)?,
        assigned_agent_id: row.get(7)?,
        csat_review_notes: row.get(8)?,
        review_notes_updated_at: row.get(9)?,
        review_notes_updated_by_id: row.get(10)?,
        created_at: row.get(11)?,
        updated_at: row.get(12)?,
    })
}

/// The response to a survey message.
pub fn for_message(conn: &Connection, message_id: i64) -> DbResult<Option<CsatResponse>> {
    Ok(conn
        .query_row_cached(
            &format!("SELECT {COLUMNS} FROM csat_survey_responses r WHERE r.message_id = ?1"),
            [message_id],
            from_row,
        )
        .optional()?)
}

/// One response of the account.
pub fn find(conn: &Connection, account_id: i64, id: i64) -> DbResult<Option<CsatResponse>> {
    Ok(conn
        .query_row_cached(
            &format!("SELECT {COLUMNS} FROM csat_survey_responses r WHERE r.account_id = ?1 AND r.id = ?2"),
            params![account_id, id],
            from_row,
        )
        .optional()?)
}

/// Create the response of a message, or change its rating and feedback (contact and assignee
/// are kept from the first answer, as Chatwoot does).
pub fn upsert(conn: &Connection, draft: &CsatResponse) -> DbResult<CsatResponse> {
    let now = now_ms();
    conn.execute(
        "INSERT INTO csat_survey_responses (account_id, conversation_id, message_id, rating, feedback_message, contact_id, \
         assigned_agent_id, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8) \
         ON CONFLICT (message_id) DO UPDATE SET rating = excluded.rating, feedback_message = excluded.feedback_message, \
         updated_at = excluded.updated_at",
        params![draft.account_id, draft.conversation_id, draft.message_id, draft.rating, draft.feedback_message, draft.contact_id, draft.assigned_agent_id, now],
    )?;
    for_message(conn, draft.message_id)?.ok_or(super::DbError::Sqlite(rusqlite::Error::QueryReturnedNoRows))
}

/// Set the internal review notes.
pub fn set_review_notes(conn: &Connection, id: i64, notes: Option<&str>, user_id: i64) -> DbResult<()> {
    let now = now_ms();
    conn.execute(
        "UPDATE csat_survey_responses SET csat_review_notes = ?2, review_notes_updated_at = ?3, review_notes_updated_by_id = ?4, \
         updated_at = ?3 WHERE id = ?1",
        params![id, notes, now, user_id],
    )?;
    Ok(())
}

/// Filters of the account CSAT endpoints.
#[derive(Debug, Clone, Default)]
pub struct CsatFilter {
    pub account_id: i64,
    pub since_until: Option<(i64, i64)>,
    pub user_ids: Vec<i64>,
    pub inbox_id: Option<i64>,
    pub team_id: Option<i64>,
    pub rating: Option<i64>,
}

fn where_clause(filter: &CsatFilter, params: &mut Vec<Sql>) -> String {
    let mut clauses = vec!["r.account_id = ?".to_string()];
    params.push(Sql::Integer(filter.account_id));
    if let Some((since, until)) = filter.since_until {
        clauses.push("r.created_at >= ? AND r.created_at < ?".into());
        params.push(Sql::Integer(since));
        params.push(Sql::Integer(until));
    }
    if !filter.user_ids.is_empty() {
        clauses.push("r.assigned_agent_id IN (SELECT value FROM json_each(?))".into());
        params.push(Sql::Text(
            serde_json::Value::from(filter.user_ids.clone()).to_string(),
        ));
    }
    if let Some(inbox_id) = filter.inbox_id {
        clauses.push("v.inbox_id = ?".into());
        params.push(Sql::Integer(inbox_id));
    }
    if let Some(team_id) = filter.team_id {
        clauses.push("v.team_id = ?".into());
        params.push(Sql::Integer(team_id));
    }
    if let Some(rating) = filter.rating {
        clauses.push("r.rating = ?".into());
        params.push(Sql::Integer(rating));
    }
    clauses.join(" AND ")
}

/// Responses matching `filter`, newest first (`page` of `per_page`, or all when `None`), with
/// the display id of each conversation.
pub fn list(
    conn: &Connection,
    filter: &CsatFilter,
    page: Option<(i64, i64)>,
) -> DbResult<Vec<(CsatResponse, i64)>> {
    let mut params = Vec::new();
    let clause = where_clause(filter, &mut params);
    let limit = match page {
        Some((page, per_page)) => {
            params.push(Sql::Integer(per_page));
            params.push(Sql::Integer((page - 1).saturating_mul(per_page)));
            " LIMIT +? OFFSET +?"
        }
        None => "",
    };
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS}, v.display_id FROM csat_survey_responses r JOIN conversations v ON v.id = r.conversation_id \
         WHERE {clause} ORDER BY r.created_at DESC, r.id DESC{limit}"
    ))?;
    let rows = stmt
        .query_map(rusqlite::params_from_iter(params), |row| {
            Ok((from_row(row)?, row.get(13)?))
        })?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

/// `(total, [(rating, count)])` of the filtered responses.
pub fn rating_counts(conn: &Connection, filter: &CsatFilter) -> DbResult<Vec<(i64, i64)>> {
    let mut params = Vec::new();
    let clause = where_clause(filter, &mut params);
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT r.rating, COUNT(*) FROM csat_survey_responses r JOIN conversations v ON v.id = r.conversation_id \
         WHERE {clause} GROUP BY r.rating ORDER BY r.rating"
    ))?;
    let rows = stmt
        .query_map(rusqlite::params_from_iter(params), |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

/// Survey messages sent in the account (optionally in a created-at range).
pub fn sent_count(conn: &Connection, account_id: i64, since_until: Option<(i64, i64)>) -> DbResult<i64> {
    let (since, until) = since_until.unwrap_or((i64::MIN, i64::MAX));
    Ok(conn.query_row_cached(
        "SELECT COUNT(*) FROM messages WHERE account_id = ?1 AND content_type = 9 AND created_at >= ?2 AND created_at < ?3",
        params![account_id, since, until],
        |r| r.get(0),
    )?)
}
