//! Client (public) API: `/public/api/v1/inboxes/{inbox_identifier}/…`. No token: the inbox
//! identifier and the contact's source id are the secrets. Every miss is a plain 404.

pub mod contacts;
pub mod conversations;
pub mod csat;
pub mod messages;

use hmac::{Hmac, Mac};
use rusqlite::Connection;
use sha2::Sha256;

use crate::db::contacts::{Contact, ContactInbox, find_contact_inbox};
use crate::db::inboxes::{self, Inbox};
use crate::error::{ApiError, ApiResult};

pub use crate::auth::PublicClient;

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

/// Identity validation: required when the inbox makes it mandatory or a hash is sent; the hash
/// is hex(HMAC-SHA256(key = inbox hmac token, message = identifier)). `Ok(true)` when verified.
pub fn verify_identity(
    inbox: &Inbox,
    identifier: Option<&str>,
    identifier_hash: Option<&str>,
) -> ApiResult<bool> {
    let mandatory = inbox.channel.setting("hmac_mandatory").as_bool().unwrap_or(false);
    let hash = identifier_hash.filter(|h| !h.is_empty());
    if hash.is_none() && !mandatory {
        return Ok(false);
    }
    let refuse = || ApiError::Unauthorized("HMAC failed: Invalid Identifier Hash Provided".into());
    let (Some(hash), Some(identifier), Some(key)) = (hash, identifier, inbox.channel.hmac_token.as_deref())
    else {
        return Err(refuse());
    };
    let expected = hex::decode(hash).map_err(|_| refuse())?;
    let mut mac = Hmac::<Sha256>::new_from_slice(key.as_bytes()).map_err(|_| refuse())?;
    mac.update(identifier.as_bytes());
    mac.verify_slice(&expected).map_err(|_| refuse())?;
    Ok(true)
}
