//! Lookups of the live `/cable` endpoint: who a subscription is, and who an event goes to.

use rusqlite::{Connection, OptionalExtension, params};

use super::account_users::Availability;
use super::{CachedQuery, DbResult};

/// A contact subscription: the contact inbox behind a pubsub token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ContactSubscriber {
    pub contact_inbox_id: i64,
    pub contact_id: i64,
    pub account_id: i64,
}

/// Whether user `user_id` has `pubsub_token` and belongs to `account_id`.
pub fn agent_may_subscribe(
    conn: &Connection,
    pubsub_token: &str,
    user_id: i64,
    account_id: i64,
) -> DbResult<bool> {
    Ok(conn.exists_cached(
        "SELECT 1 FROM users u JOIN account_users au ON au.user_id = u.id AND au.account_id = ?3 \
             WHERE u.pubsub_token = ?1 AND u.id = ?2",
        params![pubsub_token, user_id, account_id],
    )?)
}

/// The contact inbox whose pubsub token this is.
pub fn contact_subscriber(conn: &Connection, pubsub_token: &str) -> DbResult<Option<ContactSubscriber>> {
    Ok(conn
        .query_row_cached(
            "SELECT ci.id, ci.contact_id, i.account_id FROM contact_inboxes ci \
             JOIN inboxes i ON i.id = ci.inbox_id WHERE ci.pubsub_token = ?1",
            [pubsub_token],
            |row| {
                Ok(ContactSubscriber {
                    contact_inbox_id: row.get(0)?,
                    contact_id: row.get(1)?,
                    account_id: row.get(2)?,
                })
            },
        )
        .optional()?)
}

/// Chatwoot's "agents" of an inbox: its members plus the account's administrators.
pub fn inbox_agents(conn: &Connection, account_id: i64, inbox_id: i64) -> DbResult<Vec<i64>> {
    let mut stmt = conn.prepare_cached(
        "SELECT user_id FROM inbox_members WHERE inbox_id = ?2 \
         UNION SELECT user_id FROM account_users WHERE account_id = ?1 AND role = 1",
    )?;
    let rows = stmt.query_map(params![account_id, inbox_id], |row| row.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Every member of an account with their chosen availability and `auto_offline`.
pub fn roster(conn: &Connection, account_id: i64) -> DbResult<Vec<(i64, Availability, bool)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT user_id, availability, auto_offline FROM account_users WHERE account_id = ?1",
    )?;
    let rows = stmt.query_map([account_id], |row| {
        Ok((
            row.get::<_, i64>(0)?,
            row.get::<_, i64>(1)?,
            row.get::<_, bool>(2)?,
        ))
    })?;
    let mut roster = Vec::new();
    for row in rows {
        let (user_id, availability, auto_offline) = row?;
        roster.push((user_id, Availability::from_db(availability), auto_offline));
    }
    Ok(roster)
}
