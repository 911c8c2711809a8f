//! `notification.created`, `notification.updated` and `notification.deleted` for the notified
//! user's stream (ActionCableListener): the notification's push data with the user's unread and
//! total counts of the default list, plus `account_id`.

use std::sync::Arc;

use rusqlite::Connection;

use crate::db::events::StoredEvent;
use crate::db::notifications as rows;
use crate::error::ApiResult;
use crate::live::broadcasts::Broadcast;
use crate::live::hub::Stream;
use crate::live::protocol;
use crate::services::notifications as service;
use crate::views;

/// The broadcast of a `notification_*` event (none for other events, or when the notification
/// of a created/updated event is already gone).
pub fn for_event(conn: &Connection, event: &StoredEvent, base_url: &str) -> ApiResult<Vec<Broadcast>> {
    let (Some(user_id), Some(id)) = (event.user_id, event.notification_id) else {
        return Ok(Vec::new());
    };
    let (unread, count) = service::default_counts(conn, event.account_id, user_id)?;
    let (name, data) = match event.name.as_str() {
        "notification_deleted" => (
            "notification.deleted",
            views::notification::cable_deleted(id, unread, count, event.account_id),
        ),
        "notification_created" | "notification_updated" => {
            let Some(n) = rows::find_by_id(conn, id)? else {
                return Ok(Vec::new());
            };
            let push = service::push_data(conn, base_url, &n)?;
            let name = if event.name == "notification_created" {
                "notification.created"
            } else {
                "notification.updated"
            };
            (
                name,
                views::notification::cable(push, unread, count, event.account_id),
            )
        }
        _ => return Ok(Vec::new()),
    };
    Ok(vec![Broadcast {
        streams: vec![Stream::User(user_id)],
        message: Arc::from(protocol::message(name, &data)),
    }])
}
