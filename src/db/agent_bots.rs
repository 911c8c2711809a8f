//! `agent_bots`: webhook bots, global (system, account_id NULL) or owned by one account.

use rusqlite::{Connection, OptionalExtension, Row, params};
use serde_json::Value;

use super::{CachedQuery, DbResult, json_column, now_ms};

/// One agent bot row.
#[derive(Debug, Clone)]
pub struct AgentBot {
    pub id: i64,
    pub name: String,
    pub description: Option<String>,
    pub outgoing_url: Option<String>,
    pub bot_config: Value,
    pub account_id: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

const COLUMNS: &str = "id, name, description, outgoing_url, bot_config, account_id, created_at, updated_at";

fn from_row(row: &Row) -> rusqlite::Result<(AgentBot, String)> {
    Ok((
        AgentBot {
            id: row.get(0)?,
            name: row.get(1)?,
            description: row.get(2)?,
            outgoing_url: row.get(3)?,
            bot_config: Value::Null,
            account_id: row.get(5)?,
            created_at: row.get(6)?,
            updated_at: row.get(7)?,
        },
        row.get(4)?,
    ))
}

fn hydrate((mut bot, config): (AgentBot, String)) -> DbResult<AgentBot> {
    bot.bot_config = json_column(&config)?;
    Ok(bot)
}

/// Find by id.
pub fn find(conn: &Connection, id: i64) -> DbResult<Option<AgentBot>> {
    let raw = conn
        .query_row_cached(
            &format!("SELECT {COLUMNS} FROM agent_bots WHERE id = ?1"),
            [id],
            from_row,
        )
        .optional()?;
    raw.map(hydrate).transpose()
}

/// Bots with the given ids, in the order of `ids` (one query).
pub fn find_many(conn: &Connection, ids: &[i64]) -> DbResult<Vec<AgentBot>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let json_ids = Value::from(ids.to_vec()).to_string();
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM agent_bots WHERE id IN (SELECT value FROM json_each(?1))"
    ))?;
    let mut bots = stmt
        .query_map([json_ids], from_row)?
        .map(|raw| hydrate(raw?))
        .collect::<DbResult<Vec<_>>>()?;
    bots.sort_by_key(|bot| ids.iter().position(|id| *id == bot.id));
    Ok(bots)
}

/// Insert and return with id.
pub fn insert(conn: &Connection, bot: &AgentBot) -> DbResult<AgentBot> {
    let now = now_ms();
    conn.execute(
        "INSERT INTO agent_bots (name, description, outgoing_url, bot_config, account_id, created_at, updated_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
        params![bot.name, bot.description, bot.outgoing_url, bot.bot_config.to_string(), bot.account_id, now],
    )?;
    Ok(AgentBot {
        id: conn.last_insert_rowid(),
        created_at: now,
        updated_at: now,
        ..bot.clone()
    })
}

/// Write mutable columns back.
pub fn update(conn: &Connection, bot: &AgentBot) -> DbResult<AgentBot> {
    let now = now_ms();
    conn.execute(
        "UPDATE agent_bots SET name = ?2, description = ?3, outgoing_url = ?4, bot_config = ?5, \
         account_id = ?6, updated_at = ?7 WHERE id = ?1",
        params![
            bot.id,
            bot.name,
            bot.description,
            bot.outgoing_url,
            bot.bot_config.to_string(),
            bot.account_id,
            now
        ],
    )?;
    Ok(AgentBot {
        updated_at: now,
        ..bot.clone()
    })
}

/// Delete a bot (its token and permissibles go by trigger).
pub fn delete(conn: &Connection, id: i64) -> DbResult<()> {
    conn.execute("DELETE FROM agent_bots WHERE id = ?1", [id])?;
    Ok(())
}

/// Bots an account may use: system bots (no account) and its own, by id.
pub fn list_for_account(conn: &Connection, account_id: i64) -> DbResult<Vec<AgentBot>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM agent_bots WHERE account_id IS NULL OR account_id = ?1 ORDER BY id"
    ))?;
    stmt.query_map([account_id], from_row)?
        .map(|raw| hydrate(raw?))
        .collect()
}

/// A bot visible to the account (system or own).
pub fn find_visible(conn: &Connection, account_id: i64, id: i64) -> DbResult<Option<AgentBot>> {
    Ok(find(conn, id)?.filter(|bot| bot.account_id.is_none_or(|owner| owner == account_id)))
}

/// A bot owned by the account (the only ones it may change).
pub fn find_owned(conn: &Connection, account_id: i64, id: i64) -> DbResult<Option<AgentBot>> {
    Ok(find(conn, id)?.filter(|bot| bot.account_id == Some(account_id)))
}

/// Whether the bot is connected to an inbox of the account.
pub fn attached_to_account(conn: &Connection, bot_id: i64, account_id: i64) -> DbResult<bool> {
    Ok(conn.exists_cached(
        "SELECT 1 FROM agent_bot_inboxes WHERE agent_bot_id = ?1 AND account_id = ?2 LIMIT 1",
        params![bot_id, account_id],
    )?)
}

/// The bot's signing secret (`X-Chatwoot-Signature` on its events).
pub fn secrets_for(conn: &Connection, ids: &[i64]) -> DbResult<std::collections::HashMap<i64, String>> {
    let ids = serde_json::Value::from(ids.to_vec()).to_string();
    let mut stmt = conn.prepare_cached(
        "SELECT id, secret FROM agent_bots WHERE secret IS NOT NULL \
         AND id IN (SELECT value FROM json_each(?1))",
    )?;
    let map = stmt
        .query_map([ids], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<Result<_, _>>()?;
    Ok(map)
}

/// A bot's signing secret.
pub fn secret_of(conn: &Connection, id: i64) -> DbResult<Option<String>> {
    Ok(conn
        .query_row_cached("SELECT secret FROM agent_bots WHERE id = ?1", [id], |r| r.get(0))
        .optional()?
        .flatten())
}
