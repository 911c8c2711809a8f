//! `platform_apps` and `platform_app_permissibles`: which objects each platform app created.

use rusqlite::{Connection, OptionalExtension, params};

use super::{CachedQuery, DbResult, now_ms};

/// Kinds of object a platform app can own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permissible {
    Account,
    User,
    AgentBot,
}

impl Permissible {
    fn as_str(self) -> &'static str {
        match self {
            Permissible::Account => "Account",
            Permissible::User => "User",
            Permissible::AgentBot => "AgentBot",
        }
    }
}

/// A platform app.
#[derive(Debug, Clone)]
pub struct PlatformApp {
    pub id: i64,
    pub name: String,
}

/// Create a platform app.
pub fn insert_app(conn: &Connection, name: &str) -> DbResult<PlatformApp> {
    let now = now_ms();
    conn.execute(
        "INSERT INTO platform_apps (name, created_at, updated_at) VALUES (?1, ?2, ?2)",
        params![name, now],
    )?;
    Ok(PlatformApp {
        id: conn.last_insert_rowid(),
        name: name.to_string(),
    })
}

/// Find a platform app by id.
pub fn find_app(conn: &Connection, id: i64) -> DbResult<Option<PlatformApp>> {
    Ok(conn
        .query_row_cached("SELECT id, name FROM platform_apps WHERE id = ?1", [id], |row| {
            Ok(PlatformApp {
                id: row.get(0)?,
                name: row.get(1)?,
            })
        })
        .optional()?)
}

/// Record that `app_id` owns the object (idempotent).
pub fn grant(conn: &Connection, app_id: i64, kind: Permissible, id: i64) -> DbResult<()> {
    let now = now_ms();
    conn.execute(
        "INSERT INTO platform_app_permissibles (platform_app_id, permissible_type, permissible_id, created_at, updated_at) \
         VALUES (?1, ?2, ?3, ?4, ?4) ON CONFLICT DO NOTHING",
        params![app_id, kind.as_str(), id, now],
    )?;
    Ok(())
}

/// Whether `app_id` owns the object.
pub fn is_permitted(conn: &Connection, app_id: i64, kind: Permissible, id: i64) -> DbResult<bool> {
    Ok(conn.exists_cached(
        "SELECT 1 FROM platform_app_permissibles \
             WHERE platform_app_id = ?1 AND permissible_type = ?2 AND permissible_id = ?3",
        params![app_id, kind.as_str(), id],
    )?)
}

/// Ids of the objects of one kind the app owns, in grant order.
pub fn permitted_ids(conn: &Connection, app_id: i64, kind: Permissible) -> DbResult<Vec<i64>> {
    let mut stmt = conn.prepare_cached(
        "SELECT permissible_id FROM platform_app_permissibles \
         WHERE platform_app_id = ?1 AND permissible_type = ?2 ORDER BY id",
    )?;
    let ids = stmt
        .query_map(params![app_id, kind.as_str()], |row| row.get(0))?
        .collect::<Result<_, _>>()?;
    Ok(ids)
}
