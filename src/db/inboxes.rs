//! `inboxes` with their `channels`, `inbox_members` and the inbox's agent bot.

use rusqlite::{Connection, OptionalExtension, Row, params};
use serde_json::{Map, Value};

use super::{CachedQuery, DbResult, json_column, now_ms};

/// A channel: the transport behind an inbox. Type-specific settings live in `settings`.
#[derive(Debug, Clone)]
pub struct Channel {
    pub id: i64,
    pub account_id: i64,
    pub channel_type: String,
    pub identifier: Option<String>,
    pub website_token: Option<String>,
    pub email: Option<String>,
    pub hmac_token: Option<String>,
    pub settings: Map<String, Value>,
}

impl Channel {
    /// A setting by name (null when absent).
    pub fn setting(&self, key: &str) -> Value {
        self.settings.get(key).cloned().unwrap_or(Value::Null)
    }
}

/// An inbox row with its channel.
#[derive(Debug, Clone)]
pub struct Inbox {
    pub id: i64,
    pub account_id: i64,
    pub name: String,
    pub greeting_enabled: bool,
    pub greeting_message: Option<String>,
    pub working_hours_enabled: bool,
    pub working_hours: Value,
    pub enable_email_collect: bool,
    pub csat_survey_enabled: bool,
    pub csat_config: Value,
    pub enable_auto_assignment: bool,
    pub auto_assignment_config: Value,
    pub out_of_office_message: Option<String>,
    pub timezone: String,
    pub allow_messages_after_resolved: bool,
    pub lock_to_single_conversation: bool,
    pub sender_name_type: i64,
    pub business_name: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    pub channel: Channel,
}

const SELECT: &str = "SELECT i.id, i.account_id, i.name, i.greeting_enabled, i.greeting_message, \
    i.working_hours_enabled, i.working_hours, i.enable_email_collect, i.csat_survey_enabled, i.csat_config, \
    i.enable_auto_assignment, i.auto_assignment_config, i.out_of_office_message, i.timezone, \
    i.allow_messages_after_resolved, i.lock_to_single_conversation, i.sender_name_type, i.business_name, \
    i.created_at, i.updated_at, c.id, c.channel_type, c.identifier, c.website_token, c.email, c.hmac_token, \
    c.settings FROM inboxes i JOIN channels c ON c.id = i.channel_id";

const ORDER: &str = "ORDER BY lower(i.name), i.id";

type RawJson = [String; 4];

fn from_row(row: &Row) -> rusqlite::Result<(Inbox, RawJson)> {
    Ok((
        Inbox {
            id: row.get(0)?,
            account_id: row.get(1)?,
            name: row.get(2)?,
            greeting_enabled: row.get(3)?,
            greeting_message: row.get(4)?,
            working_hours_enabled: row.get(5)?,
            working_hours: Value::Null,
            enable_email_collect: row.get(7)?,
            csat_survey_enabled: row.get(8)?,
            csat_config: Value::Null,
            enable_auto_assignment: row.get(10)?,
            auto_assignment_config: Value::Null,
            out_of_office_message: row.get(12)?,
            timezone: row.get(13)?,
            allow_messages_after_resolved: row.get(14)?,
            lock_to_single_conversation: row.get(15)?,
            sender_name_type: row.get(16)?,
            business_name: row.get(17)?,
            created_at: row.get(18)?,
            updated_at: row.get(19)?,
            channel: Channel {
                id: row.get(20)?,
                account_id: row.get(1)?,
                channel_type: row.get(21)?,
                identifier: row.get(22)?,
                website_token: row.get(23)?,
                email: row.get(24)?,
                hmac_token: row.get(25)?,
                settings: Map::new(),
            },
        },
        [row.get(6)?, row.get(9)?, row.get(11)?, row.get(26)?],
    ))
}

fn hydrate((mut inbox, [hours, csat, assignment, settings]): (Inbox, RawJson)) -> DbResult<Inbox> {
    inbox.working_hours = json_column(&hours)?;
    inbox.csat_config = json_column(&csat)?;
    inbox.auto_assignment_config = json_column(&assignment)?;
    if let Value::Object(map) = json_column(&settings)? {
        inbox.channel.settings = map;
    }
    Ok(inbox)
}

fn collect(stmt: &mut rusqlite::CachedStatement, params: impl rusqlite::Params) -> DbResult<Vec<Inbox>> {
    stmt.query_map(params, from_row)?
        .map(|raw| hydrate(raw?))
        .collect()
}

/// Inboxes of the account; `member_id` restricts to those the user is a member of.
pub fn list(conn: &Connection, account_id: i64, member_id: Option<i64>) -> DbResult<Vec<Inbox>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{SELECT} WHERE i.account_id = ?1 AND (?2 IS NULL OR EXISTS \
         (SELECT 1 FROM inbox_members im WHERE im.inbox_id = i.id AND im.user_id = ?2)) {ORDER}"
    ))?;
    collect(&mut stmt, params![account_id, member_id])
}

/// An inbox by id, whatever its account (the event recorder).
pub fn find_by_id(conn: &Connection, id: i64) -> DbResult<Option<Inbox>> {
    let mut stmt = conn.prepare_cached(&format!("{SELECT} WHERE i.id = ?1"))?;
    Ok(collect(&mut stmt, [id])?.into_iter().next())
}

/// One inbox of the account.
pub fn find(conn: &Connection, account_id: i64, id: i64) -> DbResult<Option<Inbox>> {
    let mut stmt = conn.prepare_cached(&format!("{SELECT} WHERE i.account_id = ?1 AND i.id = ?2"))?;
    Ok(collect(&mut stmt, params![account_id, id])?.into_iter().next())
}

/// Number of inboxes of the account.
pub fn count(conn: &Connection, account_id: i64) -> DbResult<i64> {
    Ok(conn.query_row_cached(
        "SELECT COUNT(*) FROM inboxes WHERE account_id = ?1",
        [account_id],
        |r| r.get(0),
    )?)
}

/// Whether a channel other than `except_id` already uses this email address.
pub fn channel_email_taken(conn: &Connection, email: &str, except_id: i64) -> DbResult<bool> {
    Ok(conn.exists_cached(
        "SELECT 1 FROM channels WHERE email = ?1 AND id != ?2",
        params![email, except_id],
    )?)
}

fn save_channel(conn: &Connection, channel: &Channel) -> DbResult<i64> {
    let now = now_ms();
    let settings = Value::Object(channel.settings.clone()).to_string();
    if channel.id == 0 {
        conn.execute(
            "INSERT INTO channels (account_id, channel_type, identifier, website_token, email, hmac_token, settings, \
             created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
            params![
                channel.account_id, channel.channel_type, channel.identifier, channel.website_token, channel.email,
                channel.hmac_token, settings, now
            ],
        )?;
        return Ok(conn.last_insert_rowid());
    }
    conn.execute(
        "UPDATE channels SET email = ?3, hmac_token = ?4, settings = ?5, updated_at = ?6 WHERE account_id = ?1 AND id = ?2",
        params![channel.account_id, channel.id, channel.email, channel.hmac_token, settings, now],
    )?;
    Ok(channel.id)
}

/// Insert (id 0) or update the inbox and its channel; returns the inbox id.
pub fn save(conn: &Connection, inbox: &Inbox) -> DbResult<i64> {
    let now = now_ms();
    let channel_id = save_channel(conn, &inbox.channel)?;
    let id = if inbox.id == 0 {
        conn.execute(
            "INSERT INTO inboxes (account_id, channel_id, name, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?4)",
            params![inbox.account_id, channel_id, inbox.name, now],
        )?;
        conn.last_insert_rowid()
    } else {
        inbox.id
    };
    conn.execute(
        "UPDATE inboxes SET name = ?2, greeting_enabled = ?3, greeting_message = ?4, working_hours_enabled = ?5, \
         working_hours = ?6, enable_email_collect = ?7, csat_survey_enabled = ?8, csat_config = ?9, \
         enable_auto_assignment = ?10, auto_assignment_config = ?11, out_of_office_message = ?12, timezone = ?13, \
         allow_messages_after_resolved = ?14, lock_to_single_conversation = ?15, sender_name_type = ?16, \
         business_name = ?17, updated_at = ?18 WHERE account_id = ?1 AND id = ?19",
        params![
            inbox.account_id,
            inbox.name,
            inbox.greeting_enabled,
            inbox.greeting_message,
            inbox.working_hours_enabled,
            inbox.working_hours.to_string(),
            inbox.enable_email_collect,
            inbox.csat_survey_enabled,
            inbox.csat_config.to_string(),
            inbox.enable_auto_assignment,
            inbox.auto_assignment_config.to_string(),
            inbox.out_of_office_message,
            inbox.timezone,
            inbox.allow_messages_after_resolved,
            inbox.lock_to_single_conversation,
            inbox.sender_name_type,
            inbox.business_name,
            now,
            id,
        ],
    )?;
    Ok(id)
}

/// Delete an inbox of the account and its channel.
pub fn delete(conn: &Connection, inbox: &Inbox) -> DbResult<()> {
    conn.execute(
        "DELETE FROM inboxes WHERE account_id = ?1 AND id = ?2",
        params![inbox.account_id, inbox.id],
    )?;
    conn.execute(
        "DELETE FROM channels WHERE account_id = ?1 AND id = ?2",
        params![inbox.account_id, inbox.channel.id],
    )?;
    Ok(())
}

/// Add members (idempotent).
pub fn add_members(conn: &Connection, inbox_id: i64, user_ids: &[i64]) -> DbResult<()> {
    let now = now_ms();
    let mut stmt = conn.prepare_cached(
        "INSERT INTO inbox_members (inbox_id, user_id, created_at, updated_at) VALUES (?1, ?2, ?3, ?3) \
         ON CONFLICT (inbox_id, user_id) DO NOTHING",
    )?;
    for user_id in user_ids {
        stmt.execute(params![inbox_id, user_id, now])?;
    }
    Ok(())
}

/// Remove members.
pub fn remove_members(conn: &Connection, inbox_id: i64, user_ids: &[i64]) -> DbResult<()> {
    conn.execute(
        "DELETE FROM inbox_members WHERE inbox_id = ?1 AND user_id IN (SELECT value FROM json_each(?2))",
        params![inbox_id, Value::from(user_ids.to_vec()).to_string()],
    )?;
    Ok(())
}

/// Make the member set exactly `user_ids`.
pub fn replace_members(conn: &Connection, inbox_id: i64, user_ids: &[i64]) -> DbResult<()> {
    conn.execute(
        "DELETE FROM inbox_members WHERE inbox_id = ?1 AND user_id NOT IN (SELECT value FROM json_each(?2))",
        params![inbox_id, Value::from(user_ids.to_vec()).to_string()],
    )?;
    add_members(conn, inbox_id, user_ids)
}

/// Whether the user is a member of the inbox.
pub fn is_member(conn: &Connection, inbox_id: i64, user_id: i64) -> DbResult<bool> {
    Ok(conn.exists_cached(
        "SELECT 1 FROM inbox_members WHERE inbox_id = ?1 AND user_id = ?2",
        params![inbox_id, user_id],
    )?)
}

/// Drop a user from every inbox of one account (when they leave the account).
pub fn remove_user_from_account(conn: &Connection, account_id: i64, user_id: i64) -> DbResult<()> {
    conn.execute(
        "DELETE FROM inbox_members WHERE user_id = ?2 AND inbox_id IN (SELECT id FROM inboxes WHERE account_id = ?1)",
        params![account_id, user_id],
    )?;
    Ok(())
}

/// The active agent bot of an inbox, if any.
pub fn agent_bot_id(conn: &Connection, inbox_id: i64) -> DbResult<Option<i64>> {
    Ok(conn
        .query_row_cached(
            "SELECT agent_bot_id FROM agent_bot_inboxes WHERE inbox_id = ?1 AND status = 0",
            [inbox_id],
            |row| row.get(0),
        )
        .optional()?)
}

/// Connect a bot to an inbox (replacing any other), or disconnect with `None`.
pub fn set_agent_bot(conn: &Connection, account_id: i64, inbox_id: i64, bot_id: Option<i64>) -> DbResult<()> {
    conn.execute("DELETE FROM agent_bot_inboxes WHERE inbox_id = ?1", [inbox_id])?;
    if let Some(bot_id) = bot_id {
        conn.execute(
            "INSERT INTO agent_bot_inboxes (inbox_id, agent_bot_id, account_id, status, created_at, updated_at) \
             VALUES (?1, ?2, ?3, 0, ?4, ?4)",
            params![inbox_id, bot_id, account_id, now_ms()],
        )?;
    }
    Ok(())
}

/// Channel types of inboxes by inbox id (one query).
pub fn channel_types(
    conn: &Connection,
    inbox_ids: &[i64],
) -> DbResult<std::collections::HashMap<i64, String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT i.id, c.channel_type FROM inboxes i JOIN channels c ON c.id = i.channel_id \
         WHERE i.id IN (SELECT value FROM json_each(?1))",
    )?;
    let rows = stmt
        .query_map([Value::from(inbox_ids.to_vec()).to_string()], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

/// Names of inboxes by id (one query).
pub fn names(conn: &Connection, inbox_ids: &[i64]) -> DbResult<std::collections::HashMap<i64, String>> {
    let mut stmt =
        conn.prepare_cached("SELECT id, name FROM inboxes WHERE id IN (SELECT value FROM json_each(?1))")?;
    let rows = stmt
        .query_map([Value::from(inbox_ids.to_vec()).to_string()], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

/// The API inbox whose channel has this public identifier.
pub fn find_by_identifier(conn: &Connection, identifier: &str) -> DbResult<Option<Inbox>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{SELECT} WHERE c.identifier = ?1 AND c.channel_type = 'Channel::Api'"
    ))?;
    Ok(collect(&mut stmt, [identifier])?.into_iter().next())
}

/// The website inbox whose channel has this `website_token`.
pub fn find_by_website_token(conn: &Connection, website_token: &str) -> DbResult<Option<Inbox>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{SELECT} WHERE c.website_token = ?1 AND c.channel_type = 'Channel::WebWidget'"
    ))?;
    Ok(collect(&mut stmt, [website_token])?.into_iter().next())
}
