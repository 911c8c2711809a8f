//! The conversation finder: filters, visibility, counts and ordering of `GET conversations`.
//! Every fragment of SQL here is fixed text; request values only ever travel as bound parameters.

use rusqlite::Connection;
use rusqlite::types::Value as Sql;

use super::conversations::{COLUMNS, Conversation, query};
use super::memo::CountCache;
use super::{CachedQuery, DbResult};
use crate::domain::filters::{Bound, Compiled};

/// `assignee_type`
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssigneeFilter {
    Me,
    Unassigned,
    Assigned,
    All,
}

/// What to list.
#[derive(Debug, Clone)]
pub struct ListFilter {
    pub account_id: i64,
    /// The requesting user (for `mine` and `me`).
    pub user_id: i64,
    /// Agents only see inboxes they are members of; `None` for administrators.
    pub member_of_inboxes: Option<i64>,
    /// `None` lists every status.
    pub status: Option<i64>,
    pub inbox_id: Option<i64>,
    pub team_id: Option<i64>,
    pub labels: Vec<String>,
    pub q: Option<String>,
    pub assignee: AssigneeFilter,
    pub unattended: bool,
    pub updated_since: Option<i64>,
    pub order: &'static str,
    /// `None` returns every row (updated_within).
    pub page: Option<(i64, i64)>,
    /// A compiled filter-DSL condition (`POST conversations/filter`).
    pub condition: Option<Compiled>,
}

/// Bind a compiled filter value.
pub fn bound(value: &Bound) -> Sql {
    match value {
        Bound::Int(i) => Sql::Integer(*i),
        Bound::Real(r) => Sql::Real(*r),
        Bound::Text(t) => Sql::Text(t.clone()),
    }
}

/// A page of conversations and the counts of the whole filtered set.
#[derive(Debug)]
pub struct ListResult {
    pub rows: Vec<Conversation>,
    pub mine: i64,
    pub unassigned: i64,
    pub all: i64,
}

/// `ORDER BY` for `sort_by` (and Chatwoot's legacy names); unknown → last activity, newest first.
pub fn order_by(sort_by: Option<&str>) -> &'static str {
    match sort_by.unwrap_or("") {
        "last_activity_at_asc" => "v.last_activity_at ASC, v.id ASC",
        "created_at_asc" => "v.created_at ASC, v.id ASC",
        "created_at_desc" | "sort_on_created_at" => "v.created_at DESC, v.id DESC",
        "priority_asc" => "v.priority IS NULL, v.priority ASC, v.last_activity_at DESC",
        "priority_desc" | "sort_on_priority" => {
            "v.priority IS NULL, v.priority DESC, v.last_activity_at DESC"
        }
        "waiting_since_asc" | "sort_on_waiting_since" => {
            "v.waiting_since IS NULL, v.waiting_since ASC, v.created_at ASC"
        }
        "waiting_since_desc" => "v.waiting_since IS NULL, v.waiting_since DESC, v.created_at ASC",
        _ => "v.last_activity_at DESC, v.id DESC",
    }
}

/// Minimum length for the trigram index; shorter terms fall back to LIKE.
pub(super) const TRIGRAM: usize = 3;

/// `q` as one FTS5 string (a substring for the trigram index).
pub(super) fn quoted(q: &str) -> String {
    format!("\"{}\"", q.replace('"', "\"\""))
}

/// For an ASCII query of several words, the FTS5 query requiring each word of at least three
/// characters (LIKE then checks the whole text; its ASCII case folding equals the index's for
/// ASCII text). `None` when the single-phrase query is the right one.
pub(super) fn words_query(q: &str) -> Option<String> {
    if !q.is_ascii() || q.split_whitespace().count() < 2 {
        return None;
    }
    let words: Vec<String> = q
        .split_whitespace()
        .filter(|w| w.len() >= TRIGRAM)
        .map(quoted)
        .collect();
    (!words.is_empty()).then(|| words.join(" AND "))
}

fn base_where(filter: &ListFilter, params: &mut Vec<Sql>) -> String {
    let mut clauses = vec!["v.account_id = ?".to_string()];
    params.push(Sql::Integer(filter.account_id));
    if let Some(user_id) = filter.member_of_inboxes {
        clauses.push("v.inbox_id IN (SELECT inbox_id FROM inbox_members WHERE user_id = ?)".into());
        params.push(Sql::Integer(user_id));
    }
    match &filter.q {
        Some(q) if q.chars().count() >= TRIGRAM => match words_query(q) {
            // Several words of plain ASCII: every word through the index (the rarest one
            // drives), then the exact text checked on those few messages. A single trigram
            // phrase would walk the whole doclist of its commonest trigram.
            Some(words) => {
                clauses.push(
                    "v.id IN (SELECT s.rowid >> 32 FROM messages_search s JOIN messages m \
                     ON m.conversation_id = s.rowid >> 32 AND (m.id & 4294967295) = (s.rowid & 4294967295) \
                     WHERE messages_search MATCH ? AND m.content LIKE ? ESCAPE '\\')"
                        .into(),
                );
                params.push(Sql::Text(words));
                params.push(Sql::Text(format!("%{}%", super::like_escape(q))));
            }
            None => {
                clauses.push(
                    // The index rowid carries the conversation id in its high 32 bits.
                    "v.id IN (SELECT rowid >> 32 FROM messages_search WHERE messages_search MATCH ?)".into(),
                );
                params.push(Sql::Text(quoted(q)));
            }
        },
        Some(q) => {
            clauses.push(
                "v.id IN (SELECT m.conversation_id FROM messages m WHERE m.account_id = v.account_id \
                 AND m.message_type IN (0, 1) AND m.content LIKE ? ESCAPE '\\')"
                    .into(),
            );
            params.push(Sql::Text(format!("%{}%", super::like_escape(q))));
        }
        None => {
            if let Some(status) = filter.status {
                clauses.push("v.status = ?".into());
                params.push(Sql::Integer(status));
            }
        }
    }
    if let Some(inbox_id) = filter.inbox_id {
        clauses.push("v.inbox_id = ?".into());
        params.push(Sql::Integer(inbox_id));
    }
    if let Some(team_id) = filter.team_id {
        clauses.push("v.team_id = ?".into());
        params.push(Sql::Integer(team_id));
    }
    if !filter.labels.is_empty() {
        clauses.push(
            "EXISTS (SELECT 1 FROM conversation_labels cl WHERE cl.conversation_id = v.id \
             AND cl.label IN (SELECT value FROM json_each(?)))"
                .into(),
        );
        params.push(Sql::Text(
            serde_json::Value::from(filter.labels.clone()).to_string(),
        ));
    }
    if filter.unattended {
        clauses.push("(v.first_reply_created_at IS NULL OR v.waiting_since IS NOT NULL)".into());
    }
    if let Some(since) = filter.updated_since {
        clauses.push("v.updated_at >= ?".into());
        params.push(Sql::Integer(since));
    }
    if let Some(condition) = &filter.condition {
        clauses.push(condition.sql.clone());
        params.extend(condition.params.iter().map(bound));
    }
    clauses.join(" AND ")
}

/// Run the finder. `counts` (with the current database generation) memoizes the counts.
pub fn list(
    conn: &Connection,
    filter: &ListFilter,
    counts: Option<(&CountCache, u64)>,
) -> DbResult<ListResult> {
    let mut params = Vec::new();
    let base = base_where(filter, &mut params);
    let key = format!("{}|{}|{base}|{params:?}", filter.user_id, filter.account_id);
    let cached = counts.and_then(|(cache, generation)| cache.get(&key, generation));
    let (all, mine, unassigned) = match cached {
        Some(found) => found,
        None => {
            let mut count_params = vec![Sql::Integer(filter.user_id)];
            count_params.extend(params.iter().cloned());
            let found: (i64, i64, i64) = conn.query_row_cached(
                &format!(
                    "SELECT COUNT(*), COALESCE(SUM(v.assignee_id = ?), 0), COALESCE(SUM(v.assignee_id IS NULL), 0) \
                     FROM conversations v WHERE {base}"
                ),
                rusqlite::params_from_iter(count_params),
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )?;
            if let Some((cache, generation)) = counts {
                cache.put(key, generation, found);
            }
            found
        }
    };
    let assignee = match filter.assignee {
        AssigneeFilter::Me => {
            params.push(Sql::Integer(filter.user_id));
            " AND v.assignee_id = ?"
        }
        AssigneeFilter::Unassigned => " AND v.assignee_id IS NULL",
        AssigneeFilter::Assigned => " AND v.assignee_id IS NOT NULL",
        AssigneeFilter::All => "",
    };
    let limit = match filter.page {
        Some((page, per_page)) => {
            params.push(Sql::Integer(per_page));
            params.push(Sql::Integer((page - 1).saturating_mul(per_page)));
            " LIMIT +? OFFSET +?"
        }
        None => "",
    };
    let rows = query(
        conn,
        &format!(
            "SELECT {COLUMNS} FROM conversations v WHERE {base}{assignee} ORDER BY {}{limit}",
            filter.order
        ),
        rusqlite::params_from_iter(params),
    )?;
    Ok(ListResult {
        rows,
        mine,
        unassigned,
        all,
    })
}
