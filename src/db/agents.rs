//! Agents: users joined with their membership of one account. Every query here is scoped by
//! account id and shared by the agents, team member and inbox member endpoints.

use rusqlite::{Connection, Row, params};
use serde_json::{Map, Value};

use super::account_users::{Availability, Role};
use super::{CachedQuery, DbResult, json_column};

/// A user as seen inside one account.
#[derive(Debug, Clone)]
pub struct Agent {
    pub id: i64,
    pub account_id: i64,
    pub name: String,
    pub display_name: Option<String>,
    pub email: String,
    pub provider: String,
    pub confirmed: bool,
    pub custom_attributes: Map<String, Value>,
    pub role: Role,
    pub availability: Availability,
    pub auto_offline: bool,
}

impl Agent {
    /// Display name when set, else name.
    pub fn available_name(&self) -> &str {
        match self.display_name.as_deref() {
            Some(display) if !display.is_empty() => display,
            _ => &self.name,
        }
    }
}

const SELECT: &str = "SELECT u.id, au.account_id, u.name, u.display_name, u.email, u.provider, \
    u.confirmed_at IS NOT NULL, u.custom_attributes, au.role, au.availability, au.auto_offline \
    FROM account_users au JOIN users u ON u.id = au.user_id";

const ORDER: &str = "ORDER BY lower(u.name), u.id";

fn from_row(row: &Row) -> rusqlite::Result<(Agent, String)> {
    Ok((
        Agent {
            id: row.get(0)?,
            account_id: row.get(1)?,
            name: row.get(2)?,
            display_name: row.get(3)?,
            email: row.get(4)?,
            provider: row.get(5)?,
            confirmed: row.get(6)?,
            custom_attributes: Map::new(),
            role: Role::from_db(row.get(8)?),
            availability: Availability::from_db(row.get(9)?),
            auto_offline: row.get(10)?,
        },
        row.get(7)?,
    ))
}

fn collect(stmt: &mut rusqlite::CachedStatement, params: impl rusqlite::Params) -> DbResult<Vec<Agent>> {
    stmt.query_map(params, from_row)?
        .map(|raw| {
            let (mut agent, custom) = raw?;
            if let Value::Object(map) = json_column(&custom)? {
                agent.custom_attributes = map;
            }
            Ok(agent)
        })
        .collect()
}

/// Every agent of the account, by name.
pub fn list(conn: &Connection, account_id: i64) -> DbResult<Vec<Agent>> {
    let mut stmt = conn.prepare_cached(&format!("{SELECT} WHERE au.account_id = ?1 {ORDER}"))?;
    collect(&mut stmt, [account_id])
}

/// One agent of the account.
pub fn find(conn: &Connection, account_id: i64, user_id: i64) -> DbResult<Option<Agent>> {
    let mut stmt = conn.prepare_cached(&format!("{SELECT} WHERE au.account_id = ?1 AND u.id = ?2"))?;
    Ok(collect(&mut stmt, params![account_id, user_id])?
        .into_iter()
        .next())
}

/// Agents of the account among `user_ids`.
pub fn find_many(conn: &Connection, account_id: i64, user_ids: &[i64]) -> DbResult<Vec<Agent>> {
    let ids = Value::from(user_ids.to_vec()).to_string();
    let mut stmt = conn.prepare_cached(&format!(
        "{SELECT} WHERE au.account_id = ?1 AND u.id IN (SELECT value FROM json_each(?2)) {ORDER}"
    ))?;
    collect(&mut stmt, params![account_id, ids])
}

/// Members of a team of the account.
pub fn team_members(conn: &Connection, account_id: i64, team_id: i64) -> DbResult<Vec<Agent>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{SELECT} JOIN team_members tm ON tm.user_id = u.id AND tm.team_id = ?2 WHERE au.account_id = ?1 {ORDER}"
    ))?;
    collect(&mut stmt, params![account_id, team_id])
}

/// Members of an inbox of the account.
pub fn inbox_members(conn: &Connection, account_id: i64, inbox_id: i64) -> DbResult<Vec<Agent>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{SELECT} JOIN inbox_members im ON im.user_id = u.id AND im.inbox_id = ?2 WHERE au.account_id = ?1 {ORDER}"
    ))?;
    collect(&mut stmt, params![account_id, inbox_id])
}

/// Agents who may be assigned in an inbox: its members plus every administrator.
pub fn assignable(conn: &Connection, account_id: i64, inbox_id: i64) -> DbResult<Vec<Agent>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{SELECT} WHERE au.account_id = ?1 AND (au.role = 1 OR EXISTS \
         (SELECT 1 FROM inbox_members im WHERE im.inbox_id = ?2 AND im.user_id = u.id)) {ORDER}"
    ))?;
    collect(&mut stmt, params![account_id, inbox_id])
}

/// Agents assignable in every one of `inbox_ids`: members of all of them, plus every
/// administrator (Chatwoot's `AssignableAgentsController`).
pub fn assignable_in_all(conn: &Connection, account_id: i64, inbox_ids: &[i64]) -> DbResult<Vec<Agent>> {
    let ids = Value::from(inbox_ids.to_vec()).to_string();
    let mut stmt = conn.prepare_cached(&format!(
        "{SELECT} WHERE au.account_id = ?1 AND (au.role = 1 OR u.id IN \
         (SELECT im.user_id FROM inbox_members im WHERE im.inbox_id IN (SELECT DISTINCT value FROM json_each(?2)) \
          GROUP BY im.user_id HAVING COUNT(*) = (SELECT COUNT(DISTINCT value) FROM json_each(?2)))) {ORDER}"
    ))?;
    collect(&mut stmt, params![account_id, ids])
}

/// Number of members of the account.
pub fn count(conn: &Connection, account_id: i64) -> DbResult<i64> {
    Ok(conn.query_row_cached(
        "SELECT COUNT(*) FROM account_users WHERE account_id = ?1",
        [account_id],
        |r| r.get(0),
    )?)
}

/// Whether `user_id` belongs to the account.
pub fn is_member(conn: &Connection, account_id: i64, user_id: i64) -> DbResult<bool> {
    Ok(conn.exists_cached(
        "SELECT 1 FROM account_users WHERE account_id = ?1 AND user_id = ?2",
        params![account_id, user_id],
    )?)
}
