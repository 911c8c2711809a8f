//! `user_sessions`: sign-in sessions of devise_token_auth's wire format, one per user and
//! `client` id, the access token kept as its digest.

use rusqlite::{Connection, OptionalExtension, params};

use super::{CachedQuery, DbResult, now_ms};
use crate::domain::tokens;

/// How long a session lasts (devise_token_auth `token_lifespan = 2.months`).
pub const LIFESPAN_MS: i64 = 61 * 24 * 3600 * 1000;
/// Sessions a user may hold at once (`max_number_of_devices`); the oldest goes first.
pub const MAX_PER_USER: i64 = 25;

/// A session just opened: the secrets to hand to the client once.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub client: String,
    pub access_token: String,
    /// Unix milliseconds.
    pub expires_at: i64,
}

/// Open a session for `user_id` (replacing one with the same client id), drop expired ones
/// and keep at most [`MAX_PER_USER`].
pub fn open(conn: &Connection, user_id: i64, client: Option<&str>) -> DbResult<NewSession> {
    let now = now_ms();
    let session = NewSession {
        client: client.map(str::to_string).unwrap_or_else(|| tokens::base58(22)),
        access_token: tokens::base58(22),
        expires_at: now + LIFESPAN_MS,
    };
    conn.execute(
        "DELETE FROM user_sessions WHERE user_id = ?1 AND expires_at <= ?2",
        params![user_id, now],
    )?;
    conn.execute(
        "INSERT INTO user_sessions (user_id, client, token_digest, expires_at, created_at) \
         VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (user_id, client) DO UPDATE SET \
         token_digest = excluded.token_digest, expires_at = excluded.expires_at, \
         created_at = excluded.created_at",
        params![
            user_id,
            session.client,
            tokens::digest(&session.access_token),
            session.expires_at,
            now
        ],
    )?;
    conn.execute(
        "DELETE FROM user_sessions WHERE user_id = ?1 AND id NOT IN \
         (SELECT id FROM user_sessions WHERE user_id = ?1 ORDER BY created_at DESC, id DESC LIMIT +?2)",
        params![user_id, MAX_PER_USER],
    )?;
    Ok(session)
}

/// The user whose e-mail is `uid` when `token` is the live token of its session `client`.
pub fn authenticate(conn: &Connection, uid: &str, client: &str, token: &str) -> DbResult<Option<i64>> {
    let row: Option<(i64, String, i64)> = conn
        .query_row_cached(
            "SELECT s.user_id, s.token_digest, s.expires_at FROM user_sessions s \
             JOIN users u ON u.id = s.user_id WHERE u.email = ?1 AND s.client = ?2",
            params![uid.trim().to_lowercase(), client],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        )
        .optional()?;
    Ok(row.and_then(|(user_id, digest, expires_at)| {
        (expires_at > now_ms() && tokens::secrets_equal(&digest, &tokens::digest(token))).then_some(user_id)
    }))
}

/// End the session `client` of `user_id`; false when there was none.
pub fn close(conn: &Connection, user_id: i64, client: &str) -> DbResult<bool> {
    Ok(conn.execute(
        "DELETE FROM user_sessions WHERE user_id = ?1 AND client = ?2",
        params![user_id, client],
    )? > 0)
}

/// End every session of `user_id` except `keep` (the one that changed the password).
pub fn close_others(conn: &Connection, user_id: i64, keep: Option<&str>) -> DbResult<usize> {
    Ok(conn.execute(
        "DELETE FROM user_sessions WHERE user_id = ?1 AND client IS NOT ?2",
        params![user_id, keep],
    )?)
}

/// When the session `client` of `user_id` expires (unix milliseconds).
pub fn expires_at(conn: &Connection, user_id: i64, client: &str) -> DbResult<Option<i64>> {
    Ok(conn
        .query_row_cached(
            "SELECT expires_at FROM user_sessions WHERE user_id = ?1 AND client = ?2",
            params![user_id, client],
            |row| row.get(0),
        )
        .optional()?)
}

/// Whether `token` is the live token of the session `client` of `user_id` (the agent web
/// app's cookie names the user id, so the lookup is the unique `(user_id, client)` index).
pub fn authenticate_user(conn: &Connection, user_id: i64, client: &str, token: &str) -> DbResult<bool> {
    Ok(
        expires_digest(conn, user_id, client)?.is_some_and(|(digest, expires_at)| {
            expires_at > now_ms() && tokens::secrets_equal(&digest, &tokens::digest(token))
        }),
    )
}

fn expires_digest(conn: &Connection, user_id: i64, client: &str) -> DbResult<Option<(String, i64)>> {
    Ok(conn
        .query_row_cached(
            "SELECT token_digest, expires_at FROM user_sessions WHERE user_id = ?1 AND client = ?2",
            params![user_id, client],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .optional()?)
}
