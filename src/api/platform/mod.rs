//! Platform API (`/platform/api/v1`): a platform app manages the accounts, users and agent bots it
//! created, and only those (platform_app_permissibles).

pub mod account_users;
pub mod accounts;
pub mod agent_bots;
pub mod users;

use rusqlite::Connection;

use crate::db::platform::{self, Permissible};
use crate::error::{ApiError, ApiResult};

/// Chatwoot's order: an unknown id is 404 first, then an object of another app is 401.
pub fn ensure_permitted(conn: &Connection, app_id: i64, kind: Permissible, id: i64) -> ApiResult<()> {
    if platform::is_permitted(conn, app_id, kind, id)? {
        Ok(())
    } else {
        Err(ApiError::NonPermissible)
    }
}
