//! `accounts` table.

use rusqlite::{Connection, OptionalExtension, Row, params};
use serde_json::{Map, Value};

use super::{CachedQuery, DbResult, json_column, now_ms};

/// Account status as stored (active 0, suspended 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountStatus {
    Active,
    Suspended,
}

impl AccountStatus {
    /// Chatwoot's enum name.
    pub fn as_str(self) -> &'static str {
        match self {
            AccountStatus::Active => "active",
            AccountStatus::Suspended => "suspended",
        }
    }

    /// Parse the enum name sent by clients.
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "active" => Some(AccountStatus::Active),
            "suspended" => Some(AccountStatus::Suspended),
            _ => None,
        }
    }

    fn from_db(value: i64) -> Self {
        if value == 1 {
            AccountStatus::Suspended
        } else {
            AccountStatus::Active
        }
    }

    fn to_db(self) -> i64 {
        match self {
            AccountStatus::Active => 0,
            AccountStatus::Suspended => 1,
        }
    }
}

/// One account row, JSON columns parsed.
#[derive(Debug, Clone)]
pub struct Account {
    pub id: i64,
    pub name: String,
    pub locale: String,
    pub domain: Option<String>,
    pub support_email: Option<String>,
    pub status: AccountStatus,
    pub features: Map<String, Value>,
    pub limits: Value,
    pub custom_attributes: Map<String, Value>,
    pub settings: Map<String, Value>,
    pub created_at: i64,
    pub updated_at: i64,
}

const COLUMNS: &str = "id, name, locale, domain, support_email, status, features, limits, \
                       custom_attributes, settings, created_at, updated_at";

fn object(text: &str) -> DbResult<Map<String, Value>> {
    Ok(match json_column(text)? {
        Value::Object(map) => map,
        _ => Map::new(),
    })
}

fn from_row(row: &Row) -> rusqlite::Result<(Account, [String; 4])> {
    Ok((
        Account {
            id: row.get(0)?,
            name: row.get(1)?,
            locale: row.get(2)?,
            domain: row.get(3)?,
            support_email: row.get(4)?,
            status: AccountStatus::from_db(row.get(5)?),
            features: Map::new(),
            limits: Value::Null,
            custom_attributes: Map::new(),
            settings: Map::new(),
            created_at: row.get(10)?,
            updated_at: row.get(11)?,
        },
        [row.get(6)?, row.get(7)?, row.get(8)?, row.get(9)?],
    ))
}

fn hydrate((mut account, [features, limits, custom, settings]): (Account, [String; 4])) -> DbResult<Account> {
    account.features = object(&features)?;
    account.limits = json_column(&limits)?;
    account.custom_attributes = object(&custom)?;
    account.settings = object(&settings)?;
    Ok(account)
}

/// Find by id.
pub fn find(conn: &Connection, id: i64) -> DbResult<Option<Account>> {
    let raw = conn
        .query_row_cached(
            &format!("SELECT {COLUMNS} FROM accounts WHERE id = ?1"),
            [id],
            from_row,
        )
        .optional()?;
    raw.map(hydrate).transpose()
}

/// Insert `account` (its id and timestamps are assigned here) and return the stored row.
pub fn insert(conn: &Connection, account: &Account) -> DbResult<Account> {
    let now = now_ms();
    conn.execute(
        "INSERT INTO accounts (name, locale, domain, support_email, status, features, limits, \
         custom_attributes, settings, created_at, updated_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)",
        params![
            account.name,
            account.locale,
            account.domain,
            account.support_email,
            account.status.to_db(),
            Value::Object(account.features.clone()).to_string(),
            account.limits.to_string(),
            Value::Object(account.custom_attributes.clone()).to_string(),
            Value::Object(account.settings.clone()).to_string(),
            now,
        ],
    )?;
    let id = conn.last_insert_rowid();
    Ok(Account {
        id,
        created_at: now,
        updated_at: now,
        ..account.clone()
    })
}

/// Write every mutable column of `account` back; bumps `updated_at`.
pub fn update(conn: &Connection, account: &Account) -> DbResult<Account> {
    let now = now_ms();
    conn.execute(
        "UPDATE accounts SET name = ?2, locale = ?3, domain = ?4, support_email = ?5, status = ?6, \
         features = ?7, limits = ?8, custom_attributes = ?9, settings = ?10, updated_at = ?11 \
         WHERE id = ?1",
        params![
            account.id,
            account.name,
            account.locale,
            account.domain,
            account.support_email,
            account.status.to_db(),
            Value::Object(account.features.clone()).to_string(),
            account.limits.to_string(),
            Value::Object(account.custom_attributes.clone()).to_string(),
            Value::Object(account.settings.clone()).to_string(),
            now,
        ],
    )?;
    Ok(Account {
        updated_at: now,
        ..account.clone()
    })
}

/// Delete an account and (by cascade) everything it owns.
pub fn delete(conn: &Connection, id: i64) -> DbResult<()> {
    conn.execute("DELETE FROM accounts WHERE id = ?1", [id])?;
    Ok(())
}

/// A blank account with Chatwoot's defaults, ready for [`insert`].
pub fn new_account(name: &str) -> Account {
    Account {
        id: 0,
        name: name.to_string(),
        locale: "en".into(),
        domain: None,
        support_email: None,
        status: AccountStatus::Active,
        features: crate::domain::features::defaults(),
        limits: Value::Object(Map::new()),
        custom_attributes: Map::new(),
        settings: Map::new(),
        created_at: 0,
        updated_at: 0,
    }
}
