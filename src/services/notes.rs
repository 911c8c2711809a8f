//! Notes on contacts: the content rule shared by the account API and the agent app.

use rusqlite::Connection;

use crate::db::contacts;
use crate::db::notes::{self, Note};
use crate::error::{ApiError, ApiResult};

/// Add a note by `user_id` to a contact of the account; blank content is refused.
pub fn create(
    conn: &Connection,
    account_id: i64,
    contact_id: i64,
    user_id: i64,
    content: &str,
) -> ApiResult<Note> {
    contacts::find(conn, account_id, contact_id)?.ok_or(ApiError::NotFound)?;
    let content = content.trim();
    if content.is_empty() {
        return Err(ApiError::invalid("content", "Content can't be blank"));
    }
    Ok(notes::save(
        conn,
        &Note {
            id: 0,
            account_id,
            contact_id,
            user_id: Some(user_id),
            content: content.to_string(),
            created_at: 0,
            updated_at: 0,
        },
    )?)
}
