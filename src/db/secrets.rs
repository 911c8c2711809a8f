//! `server_secrets`: keys the server keeps for itself (migration 16 generates them).

use rusqlite::Connection;

use super::{CachedQuery, DbResult};

/// The key that signs website widget visitor tokens (HS256).
pub fn widget_token_key(conn: &Connection) -> DbResult<Vec<u8>> {
    Ok(conn.query_row_cached(
        "SELECT value FROM server_secrets WHERE name = 'widget_token'",
        [],
        |r| r.get(0),
    )?)
}
