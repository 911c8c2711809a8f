//! Client (public) API: `/public/api/v1/inboxes/{inbox_identifier}/…`. No token: the inbox
//! identifier and the contact's source id are the secrets. Every miss is a plain 404.

pub mod contacts;
pub mod conversations;
pub mod csat;
pub mod messages;

use rusqlite::Connection;

use crate::db::contacts::{Contact, ContactInbox, find_contact_inbox};
use crate::db::inboxes::{self, Inbox};
use crate::error::{ApiError, ApiResult};

pub use crate::auth::PublicClient;
pub use crate::services::contacts::verify_identity;

/// The API inbox of an identifier (404 otherwise).
pub fn inbox(conn: &Connection, identifier: &str) -> ApiResult<Inbox> {
    inboxes::find_by_identifier(conn, identifier)?.ok_or(ApiError::NotFound)
}

/// The contact inbox of `source_id` in `inbox`, with its contact (404 otherwise).
pub fn contact_inbox(
    conn: &Connection,
    inbox: &Inbox,
    source_id: &str,
) -> ApiResult<(ContactInbox, Contact)> {
    let ci = find_contact_inbox(conn, inbox.id, source_id)?.ok_or(ApiError::NotFound)?;
    let contact =
        crate::db::contacts::find(conn, inbox.account_id, ci.contact_id)?.ok_or(ApiError::NotFound)?;
    Ok((ci, contact))
}
