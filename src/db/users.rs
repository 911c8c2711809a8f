//! `users` table.

use rusqlite::{Connection, OptionalExtension, Row, params};
use serde_json::{Map, Value};

use super::{CachedQuery, DbResult, json_column, now_ms};

/// One user row (the password hash stays in the database layer's callers only when needed).
#[derive(Debug, Clone)]
pub struct User {
    pub id: i64,
    pub name: String,
    pub display_name: Option<String>,
    pub email: String,
    pub encrypted_password: String,
    pub provider: String,
    pub pubsub_token: String,
    pub message_signature: Option<String>,
    pub ui_settings: Map<String, Value>,
    pub custom_attributes: Map<String, Value>,
    pub user_type: Option<String>,
    pub confirmed_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl User {
    /// Chatwoot's `available_name`: display name when set, else name.
    pub fn available_name(&self) -> &str {
        match self.display_name.as_deref() {
            Some(display) if !display.is_empty() => display,
            _ => &self.name,
        }
    }
}

const COLUMNS: &str = "id, name, display_name, email, encrypted_password, provider, pubsub_token, \
                       message_signature, ui_settings, custom_attributes, user_type, confirmed_at, \
                       created_at, updated_at";

fn object(text: &str) -> DbResult<Map<String, Value>> {
    Ok(match json_column(text)? {
        Value::Object(map) => map,
        _ => Map::new(),
    })
}

fn from_row(row: &Row) -> rusqlite::Result<(User, String, String)> {
    Ok((
        User {
            id: row.get(0)?,
            name: row.get(1)?,
            display_name: row.get(2)?,
            email: row.get(3)?,
            encrypted_password: row.get(4)?,
            provider: row.get(5)?,
            pubsub_token: row.get(6)?,
            message_signature: row.get(7)?,
            ui_settings: Map::new(),
            custom_attributes: Map::new(),
            user_type: row.get(10)?,
            confirmed_at: row.get(11)?,
            created_at: row.get(12)?,
            updated_at: row.get(13)?,
        },
        row.get(8)?,
        row.get(9)?,
    ))
}

fn hydrate((mut user, ui, custom): (User, String, String)) -> DbResult<User> {
    user.ui_settings = object(&ui)?;
    user.custom_attributes = object(&custom)?;
    Ok(user)
}

/// Find by id.
pub fn find(conn: &Connection, id: i64) -> DbResult<Option<User>> {
    let raw = conn
        .query_row_cached(
            &format!("SELECT {COLUMNS} FROM users WHERE id = ?1"),
            [id],
            from_row,
        )
        .optional()?;
    raw.map(hydrate).transpose()
}

/// Find by (already lowercased) email.
pub fn find_by_email(conn: &Connection, email: &str) -> DbResult<Option<User>> {
    let raw = conn
        .query_row_cached(
            &format!("SELECT {COLUMNS} FROM users WHERE email = ?1"),
            [email],
            from_row,
        )
        .optional()?;
    raw.map(hydrate).transpose()
}

/// Whether another user already has this email.
pub fn email_taken(conn: &Connection, email: &str, except_id: i64) -> DbResult<bool> {
    Ok(conn.exists_cached(
        "SELECT 1 FROM users WHERE email = ?1 AND id != ?2",
        params![email, except_id],
    )?)
}

/// Insert `user` and return it with id and timestamps.
pub fn insert(conn: &Connection, user: &User) -> DbResult<User> {
    let now = now_ms();
    conn.execute(
        "INSERT INTO users (name, display_name, email, encrypted_password, provider, pubsub_token, \
         message_signature, ui_settings, custom_attributes, user_type, confirmed_at, created_at, updated_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12)",
        params![
            user.name,
            user.display_name,
            user.email,
            user.encrypted_password,
            user.provider,
            user.pubsub_token,
            user.message_signature,
            Value::Object(user.ui_settings.clone()).to_string(),
            Value::Object(user.custom_attributes.clone()).to_string(),
            user.user_type,
            user.confirmed_at,
            now,
        ],
    )?;
    Ok(User {
        id: conn.last_insert_rowid(),
        created_at: now,
        updated_at: now,
        ..user.clone()
    })
}

/// Write every mutable column back; bumps `updated_at`.
pub fn update(conn: &Connection, user: &User) -> DbResult<User> {
    let now = now_ms();
    conn.execute(
        "UPDATE users SET name = ?2, display_name = ?3, email = ?4, encrypted_password = ?5, \
         message_signature = ?6, ui_settings = ?7, custom_attributes = ?8, confirmed_at = ?9, \
         updated_at = ?10 WHERE id = ?1",
        params![
            user.id,
            user.name,
            user.display_name,
            user.email,
            user.encrypted_password,
            user.message_signature,
            Value::Object(user.ui_settings.clone()).to_string(),
            Value::Object(user.custom_attributes.clone()).to_string(),
            user.confirmed_at,
            now,
        ],
    )?;
    Ok(User {
        updated_at: now,
        ..user.clone()
    })
}

/// Delete a user; memberships, tokens and permissibles go with it.
pub fn delete(conn: &Connection, id: i64) -> DbResult<()> {
    conn.execute("DELETE FROM users WHERE id = ?1", [id])?;
    Ok(())
}

/// A new confirmed user ready for [`insert`].
pub fn new_user(name: &str, email: &str, encrypted_password: String) -> User {
    User {
        id: 0,
        name: name.to_string(),
        display_name: None,
        email: email.to_string(),
        encrypted_password,
        provider: "email".into(),
        pubsub_token: crate::domain::tokens::base58(24),
        message_signature: None,
        ui_settings: Map::new(),
        custom_attributes: Map::new(),
        user_type: None,
        confirmed_at: Some(now_ms()),
        created_at: 0,
        updated_at: 0,
    }
}

/// Store a single-use SSO token digest valid until `expires_at` (ms).
pub fn insert_sso_token(conn: &Connection, user_id: i64, digest: &str, expires_at: i64) -> DbResult<()> {
    conn.execute("DELETE FROM sso_auth_tokens WHERE expires_at < ?1", [now_ms()])?;
    conn.execute(
        "INSERT INTO sso_auth_tokens (token_digest, user_id, expires_at) VALUES (?1, ?2, ?3)",
        params![digest, user_id, expires_at],
    )?;
    Ok(())
}

/// Give the user a new `pubsub_token` (a password change ends live subscriptions too).
pub fn rotate_pubsub_token(conn: &Connection, user_id: i64) -> DbResult<String> {
    let token = crate::domain::tokens::base58(24);
    conn.execute(
        "UPDATE users SET pubsub_token = ?2 WHERE id = ?1",
        params![user_id, token],
    )?;
    Ok(token)
}

/// Spend a single-use SSO token: the user it was issued for when it is live and `email` is
/// theirs. The row is deleted either way, so a link works once.
pub fn consume_sso_token(conn: &Connection, digest: &str, email: &str) -> DbResult<Option<i64>> {
    let row: Option<(i64, i64, String)> = conn
        .query_row(
            "SELECT t.user_id, t.expires_at, u.email FROM sso_auth_tokens t \
             JOIN users u ON u.id = t.user_id WHERE t.token_digest = ?1",
            [digest],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        )
        .optional()?;
    conn.execute("DELETE FROM sso_auth_tokens WHERE token_digest = ?1", [digest])?;
    Ok(row.and_then(|(user_id, expires_at, stored)| {
        (expires_at > now_ms() && stored.eq_ignore_ascii_case(email.trim())).then_some(user_id)
    }))
}
