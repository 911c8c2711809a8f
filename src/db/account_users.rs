//! `account_users`: a user's membership, role and availability in one account.

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::{CachedQuery, DbResult, now_ms};

/// Membership role (agent 0, administrator 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Agent,
    Administrator,
}

impl Role {
    /// Chatwoot's enum name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Agent => "agent",
            Role::Administrator => "administrator",
        }
    }

    /// Parse a client-sent name.
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "agent" => Some(Role::Agent),
            "administrator" => Some(Role::Administrator),
            _ => None,
        }
    }

    pub(crate) fn from_db(value: i64) -> Self {
        if value == 1 {
            Role::Administrator
        } else {
            Role::Agent
        }
    }

    pub(crate) fn to_db(self) -> i64 {
        match self {
            Role::Agent => 0,
            Role::Administrator => 1,
        }
    }
}

/// Agent availability (online 0, offline 1, busy 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Availability {
    Online,
    Offline,
    Busy,
}

impl Availability {
    /// Chatwoot's enum name.
    pub fn as_str(self) -> &'static str {
        match self {
            Availability::Online => "online",
            Availability::Offline => "offline",
            Availability::Busy => "busy",
        }
    }

    /// Parse a client-sent name.
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "online" => Some(Availability::Online),
            "offline" => Some(Availability::Offline),
            "busy" => Some(Availability::Busy),
            _ => None,
        }
    }

    pub(crate) fn from_db(value: i64) -> Self {
        match value {
            1 => Availability::Offline,
            2 => Availability::Busy,
            _ => Availability::Online,
        }
    }

    pub(crate) fn to_db(self) -> i64 {
        match self {
            Availability::Online => 0,
            Availability::Offline => 1,
            Availability::Busy => 2,
        }
    }
}

/// One membership row.
#[derive(Debug, Clone)]
pub struct AccountUser {
    pub id: i64,
    pub account_id: i64,
    pub user_id: i64,
    pub role: Role,
    pub inviter_id: Option<i64>,
    pub availability: Availability,
    pub auto_offline: bool,
    pub active_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// A membership joined with its account's name and status, for user views.
#[derive(Debug, Clone)]
pub struct Membership {
    pub account_user: AccountUser,
    pub account_name: String,
    pub account_status: super::accounts::AccountStatus,
}

const COLUMNS: &str = "au.id, au.account_id, au.user_id, au.role, au.inviter_id, au.availability, \
                       au.auto_offline, au.active_at, au.created_at, au.updated_at";

fn from_row(row: &Row) -> rusqlite::Result<AccountUser> {
    Ok(AccountUser {
        id: row.get(0)?,
        account_id: row.get(1)?,
        user_id: row.get(2)?,
        role: Role::from_db(row.get(3)?),
        inviter_id: row.get(4)?,
        availability: Availability::from_db(row.get(5)?),
        auto_offline: row.get(6)?,
        active_at: row.get(7)?,
        created_at: row.get(8)?,
        updated_at: row.get(9)?,
    })
}

/// The membership of `user_id` in `account_id`.
pub fn find(conn: &Connection, account_id: i64, user_id: i64) -> DbResult<Option<AccountUser>> {
    Ok(conn
        .query_row_cached(
            &format!("SELECT {COLUMNS} FROM account_users au WHERE au.account_id = ?1 AND au.user_id = ?2"),
            params![account_id, user_id],
            from_row,
        )
        .optional()?)
}

/// Every membership of an account, oldest first.
pub fn list_for_account(conn: &Connection, account_id: i64) -> DbResult<Vec<AccountUser>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM account_users au WHERE au.account_id = ?1 ORDER BY au.id"
    ))?;
    let rows = stmt
        .query_map([account_id], from_row)?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

/// Every membership of a user with account names, most recently active first (the first one is
/// the user's active account, as Chatwoot's `active_account_user`).
pub fn memberships_of_user(conn: &Connection, user_id: i64) -> DbResult<Vec<Membership>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS}, a.name, a.status FROM account_users au \
         JOIN accounts a ON a.id = au.account_id WHERE au.user_id = ?1 \
         ORDER BY au.active_at IS NULL, au.active_at DESC, au.id"
    ))?;
    let rows = stmt
        .query_map([user_id], |row| {
            Ok(Membership {
                account_user: from_row(row)?,
                account_name: row.get(10)?,
                account_status: if row.get::<_, i64>(11)? == 1 {
                    super::accounts::AccountStatus::Suspended
                } else {
                    super::accounts::AccountStatus::Active
                },
            })
        })?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

/// Create the membership, or change the role of an existing one.
pub fn upsert(
    conn: &Connection,
    account_id: i64,
    user_id: i64,
    role: Role,
    inviter_id: Option<i64>,
) -> DbResult<AccountUser> {
    let now = now_ms();
    conn.execute(
        "INSERT INTO account_users (account_id, user_id, role, inviter_id, created_at, updated_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?5) \
         ON CONFLICT (account_id, user_id) DO UPDATE SET role = excluded.role, updated_at = excluded.updated_at",
        params![account_id, user_id, role.to_db(), inviter_id, now],
    )?;
    find(conn, account_id, user_id)?.ok_or(super::DbError::Sqlite(rusqlite::Error::QueryReturnedNoRows))
}

/// Set availability on a membership.
pub fn set_availability(conn: &Connection, id: i64, availability: Availability) -> DbResult<()> {
    conn.execute(
        "UPDATE account_users SET availability = ?2, updated_at = ?3 WHERE id = ?1",
        params![id, availability.to_db(), now_ms()],
    )?;
    Ok(())
}

/// Make a membership the user's active account (`active_at` now, as `set_active_account`).
pub fn touch_active(conn: &Connection, id: i64) -> DbResult<()> {
    let now = now_ms();
    conn.execute(
        "UPDATE account_users SET active_at = ?2, updated_at = ?2 WHERE id = ?1",
        params![id, now],
    )?;
    Ok(())
}

/// Remove a membership; returns whether one existed.
pub fn delete(conn: &Connection, account_id: i64, user_id: i64) -> DbResult<bool> {
    let removed = conn.execute(
        "DELETE FROM account_users WHERE account_id = ?1 AND user_id = ?2",
        params![account_id, user_id],
    )?;
    Ok(removed > 0)
}

/// Set role, availability and auto-offline of a membership.
pub fn update_settings(conn: &Connection, au: &AccountUser) -> DbResult<()> {
    conn.execute(
        "UPDATE account_users SET role = ?2, availability = ?3, auto_offline = ?4, updated_at = ?5 WHERE id = ?1",
        params![au.id, au.role.to_db(), au.availability.to_db(), au.auto_offline, now_ms()],
    )?;
    Ok(())
}

/// Number of accounts a user belongs to.
pub fn count_for_user(conn: &Connection, user_id: i64) -> DbResult<i64> {
    Ok(conn.query_row_cached(
        "SELECT COUNT(*) FROM account_users WHERE user_id = ?1",
        [user_id],
        |r| r.get(0),
    )?)
}
