//! `automation_rules`: event → conditions → actions.

use rusqlite::{Connection, OptionalExtension, Row, params};
use serde_json::Value;

use super::{CachedQuery, DbResult, json_column, now_ms};

/// One rule.
#[derive(Debug, Clone)]
pub struct AutomationRule {
    pub id: i64,
    pub account_id: i64,
    pub name: String,
    pub description: Option<String>,
    pub event_name: String,
    pub conditions: Value,
    pub actions: Value,
    pub active: bool,
    pub created_at: i64,
}

const COLUMNS: &str =
    "id, account_id, name, description, event_name, conditions, actions, active, created_at";

fn from_row(row: &Row) -> rusqlite::Result<(AutomationRule, String, String)> {
    Ok((
        AutomationRule {
            id: row.get(0)?,
            account_id: row.get(1)?,
            name: row.get(2)?,
            description: row.get(3)?,
            event_name: row.get(4)?,
            conditions: Value::Null,
            actions: Value::Null,
            active: row.get(7)?,
            created_at: row.get(8)?,
        },
        row.get(5)?,
        row.get(6)?,
    ))
}

fn hydrate((mut rule, conditions, actions): (AutomationRule, String, String)) -> DbResult<AutomationRule> {
    rule.conditions = json_column(&conditions)?;
    rule.actions = json_column(&actions)?;
    Ok(rule)
}

/// Rules of the account by id.
pub fn list(conn: &Connection, account_id: i64) -> DbResult<Vec<AutomationRule>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM automation_rules WHERE account_id = ?1 ORDER BY id"
    ))?;
    stmt.query_map([account_id], from_row)?
        .map(|raw| hydrate(raw?))
        .collect()
}

/// Active rules of the account listening to `event_name`, by id.
pub fn active_for(conn: &Connection, account_id: i64, event_name: &str) -> DbResult<Vec<AutomationRule>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM automation_rules WHERE account_id = ?1 AND event_name = ?2 AND active = 1 ORDER BY id"
    ))?;
    stmt.query_map(params![account_id, event_name], from_row)?
        .map(|raw| hydrate(raw?))
        .collect()
}

/// One rule of the account.
pub fn find(conn: &Connection, account_id: i64, id: i64) -> DbResult<Option<AutomationRule>> {
    let raw = conn
        .query_row_cached(
            &format!("SELECT {COLUMNS} FROM automation_rules WHERE account_id = ?1 AND id = ?2"),
            params![account_id, id],
            from_row,
        )
        .optional()?;
    raw.map(hydrate).transpose()
}

/// Insert (id 0) or update; returns the stored rule.
pub fn save(conn: &Connection, rule: &AutomationRule) -> DbResult<AutomationRule> {
    let now = now_ms();
    let (conditions, actions) = (rule.conditions.to_string(), rule.actions.to_string());
    if rule.id == 0 {
        conn.execute(
            "INSERT INTO automation_rules (account_id, name, description, event_name, conditions, actions, active, \
             created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
            params![rule.account_id, rule.name, rule.description, rule.event_name, conditions, actions, rule.active, now],
        )?;
        return Ok(AutomationRule {
            id: conn.last_insert_rowid(),
            created_at: now,
            ..rule.clone()
        });
    }
    conn.execute(
        "UPDATE automation_rules SET name = ?3, description = ?4, event_name = ?5, conditions = ?6, actions = ?7, \
         active = ?8, updated_at = ?9 WHERE account_id = ?1 AND id = ?2",
        params![rule.account_id, rule.id, rule.name, rule.description, rule.event_name, conditions, actions, rule.active, now],
    )?;
    Ok(rule.clone())
}

/// Delete one rule of the account.
pub fn delete(conn: &Connection, account_id: i64, id: i64) -> DbResult<()> {
    conn.execute(
        "DELETE FROM automation_rules WHERE account_id = ?1 AND id = ?2",
        params![account_id, id],
    )?;
    Ok(())
}

/// Every custom attribute key of the account (conditions may use them).
pub fn custom_attribute_keys(conn: &Connection, account_id: i64) -> DbResult<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT DISTINCT attribute_key FROM custom_attribute_definitions WHERE account_id = ?1",
    )?;
    let keys = stmt
        .query_map([account_id], |row| row.get(0))?
        .collect::<Result<_, _>>()?;
    Ok(keys)
}
