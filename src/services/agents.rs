//! Inviting agents (the account API's `POST agents` and `bulk_create`, the agent app's
//! settings) and their one-time set-password links.

use rusqlite::Connection;

use crate::db::account_users::{self, Role};
use crate::db::{accounts, agents, now_ms, users};
use crate::domain::tokens;
use crate::error::{ApiError, ApiResult};
use crate::services::audit::{self, Actor};
use crate::services::users::{NewUser, create, password_changed};

/// How long a set-password link works.
pub const SET_PASSWORD_TTL_MS: i64 = 3 * 24 * 3600 * 1000;

/// Refuse a new member when the account's `limits.agents` is reached (402).
fn ensure_agent_capacity(conn: &Connection, account_id: i64) -> ApiResult<()> {
    let account = accounts::find(conn, account_id)?.ok_or(ApiError::NotFound)?;
    if let Some(limit) = account.limits.get("agents").and_then(serde_json::Value::as_i64)
        && agents::count(conn, account_id)? >= limit
    {
        return Err(ApiError::LimitExceeded);
    }
    Ok(())
}

/// Find the user by e-mail or create an unconfirmed one whose password is `secret_hash` (a
/// random secret nobody knows), then add them to the account with an audit entry.
pub fn invite(
    conn: &Connection,
    actor: &Actor,
    name: &str,
    email: &str,
    role: Role,
    secret_hash: &str,
) -> ApiResult<agents::Agent> {
    let email = crate::domain::validation::normalize_email(email)
        .ok_or_else(|| ApiError::invalid("email", "Email is invalid"))?;
    let user = match users::find_by_email(conn, &email)? {
        Some(user) => user,
        None => create(
            conn,
            NewUser {
                name: name.to_string(),
                email,
                encrypted_password: secret_hash.to_string(),
                invited: true,
                ..NewUser::default()
            },
        )?,
    };
    if agents::is_member(conn, actor.account_id, user.id)? {
        return Err(ApiError::invalid("user_id", "User has already been taken"));
    }
    ensure_agent_capacity(conn, actor.account_id)?;
    account_users::upsert(conn, actor.account_id, user.id, role, Some(actor.user_id))?;
    let agent = agents::find(conn, actor.account_id, user.id)?.ok_or(ApiError::NotFound)?;
    audit::created(
        conn,
        actor,
        "AccountUser",
        agent.id,
        &crate::views::agent::agent(&agent),
    )?;
    Ok(agent)
}

/// The lookup digest of a set-password token: prefixed, so an SSO login link and a
/// set-password link (same table) never stand for each other.
fn set_password_digest(token: &str) -> String {
    tokens::digest(&format!("set-password:{token}"))
}

/// A new single-use set-password token for `user_id` (only its digest is stored).
pub fn issue_set_password_token(conn: &Connection, user_id: i64) -> ApiResult<String> {
    let token = tokens::hex_secret();
    users::insert_sso_token(
        conn,
        user_id,
        &set_password_digest(&token),
        now_ms() + SET_PASSWORD_TTL_MS,
    )?;
    Ok(token)
}

/// Spend a set-password token of `email` and give the user `hash` (validated and hashed
/// before the write): the user is confirmed and every other session and live subscription
/// ends. `None` when the token is unknown, spent, expired or not the e-mail's.
pub fn set_password_with_token(
    conn: &Connection,
    email: &str,
    token: &str,
    hash: String,
) -> ApiResult<Option<i64>> {
    let Some(user_id) = users::consume_sso_token(conn, &set_password_digest(token), email)? else {
        return Ok(None);
    };
    let mut user = users::find(conn, user_id)?.ok_or(ApiError::NotFound)?;
    user.encrypted_password = hash;
    user.confirmed_at = user.confirmed_at.or(Some(now_ms()));
    users::update(conn, &user)?;
    password_changed(conn, user_id, None)?;
    Ok(Some(user_id))
}
