//! `access_tokens`: one API token per User, AgentBot or PlatformApp.

use rusqlite::{Connection, OptionalExtension, params};

use super::{CachedQuery, DbResult, now_ms};
use crate::domain::tokens;

/// Who a token belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OwnerType {
    User,
    AgentBot,
    PlatformApp,
}

impl OwnerType {
    /// Rails' polymorphic type name.
    pub fn as_str(self) -> &'static str {
        match self {
            OwnerType::User => "User",
            OwnerType::AgentBot => "AgentBot",
            OwnerType::PlatformApp => "PlatformApp",
        }
    }

    fn parse(name: &str) -> Option<Self> {
        match name {
            "User" => Some(OwnerType::User),
            "AgentBot" => Some(OwnerType::AgentBot),
            "PlatformApp" => Some(OwnerType::PlatformApp),
            _ => None,
        }
    }
}

/// Find the owner of `token`. The row is found by digest, then the secret itself is compared in
/// constant time.
pub fn owner_of(conn: &Connection, token: &str) -> DbResult<Option<(OwnerType, i64)>> {
    let row: Option<(String, i64, String)> = conn
        .query_row_cached(
            "SELECT owner_type, owner_id, token FROM access_tokens WHERE token_digest = ?1",
            [tokens::digest(token)],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        )
        .optional()?;
    Ok(row.and_then(|(owner_type, owner_id, stored)| {
        let owner_type = OwnerType::parse(&owner_type)?;
        tokens::secrets_equal(&stored, token).then_some((owner_type, owner_id))
    }))
}

/// The token of an owner, if it has one.
pub fn token_of(conn: &Connection, owner_type: OwnerType, owner_id: i64) -> DbResult<Option<String>> {
    Ok(conn
        .query_row_cached(
            "SELECT token FROM access_tokens WHERE owner_type = ?1 AND owner_id = ?2",
            params![owner_type.as_str(), owner_id],
            |row| row.get(0),
        )
        .optional()?)
}

/// Give an owner a fresh token, replacing any previous one; returns the new token.
pub fn issue(conn: &Connection, owner_type: OwnerType, owner_id: i64) -> DbResult<String> {
    let token = tokens::access_token();
    let now = now_ms();
    conn.execute(
        "INSERT INTO access_tokens (owner_type, owner_id, token, token_digest, created_at, updated_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?5) \
         ON CONFLICT (owner_type, owner_id) DO UPDATE SET token = excluded.token, \
         token_digest = excluded.token_digest, updated_at = excluded.updated_at",
        params![owner_type.as_str(), owner_id, token, tokens::digest(&token), now],
    )?;
    Ok(token)
}

/// Tokens of many owners of one type in one query, keyed by owner id.
pub fn tokens_for(
    conn: &Connection,
    owner_type: OwnerType,
    owner_ids: &[i64],
) -> DbResult<std::collections::HashMap<i64, String>> {
    let ids = serde_json::Value::from(owner_ids.to_vec()).to_string();
    let mut stmt = conn.prepare_cached(
        "SELECT owner_id, token FROM access_tokens \
         WHERE owner_type = ?1 AND owner_id IN (SELECT value FROM json_each(?2))",
    )?;
    let map = stmt
        .query_map(params![owner_type.as_str(), ids], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })?
        .collect::<Result<_, _>>()?;
    Ok(map)
}
