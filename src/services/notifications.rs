//! Notifications as the API and the live fan-out need them: a page with everything it embeds
//! loaded in a fixed number of queries, the counts, and the changes a user makes to their own
//! notifications (each with its `notification_*` event in the same transaction).

use std::collections::HashMap;

use rusqlite::Connection;
use serde_json::{Map, Value};

use crate::caller::Viewer;
use crate::db::notifications::{self as rows, ListFilter, Notification};
use crate::db::{agents, contacts, messages};
use crate::domain::notifications::{PER_PAGE, title};
use crate::error::{ApiError, ApiResult};
use crate::services::conversation_loader;
use crate::views;
use crate::views::notification::Embedded;

/// Load what each notification's JSON embeds: conversations with their push data, secondary
/// actors (messages, users) and the notified users, one query per kind.
pub fn embed(conn: &Connection, base_url: &str, list: &[Notification]) -> ApiResult<Vec<Embedded>> {
    let Some(first) = list.first() else {
        return Ok(Vec::new());
    };
    let account_id = first.account_id;
    let viewer = Viewer {
        account_id,
        user_id: 0,
        base_url: base_url.to_string(),
    };
    let conversation_ids: Vec<i64> = list
        .iter()
        .filter(|n| n.primary_actor_type == "Conversation")
        .map(|n| n.primary_actor_id)
        .collect();
    let conversations = rows::conversations_by_ids(conn, account_id, &conversation_ids)?;
    let secondary = |kind: &str| -> Vec<i64> {
        list.iter()
            .filter(|n| n.secondary_actor_type.as_deref() == Some(kind))
            .filter_map(|n| n.secondary_actor_id)
            .collect()
    };
    let messages = messages::find_many(conn, &secondary("Message"))?;
    let mut related = conversation_loader::load(conn, &viewer, &conversations)?;
    let shown: Vec<_> = messages.values().cloned().collect();
    conversation_loader::add_senders(conn, &viewer, &mut related, &shown, &[])?;
    let mut user_ids = secondary("User");
    user_ids.extend(list.iter().map(|n| n.user_id));
    let users: HashMap<i64, Value> = agents::find_many(conn, account_id, &user_ids)?
        .iter()
        .map(|a| (a.id, views::notification::user_push(a)))
        .collect();
    let contact_inbox_ids: Vec<i64> = conversations.iter().filter_map(|c| c.contact_inbox_id).collect();
    let contact_inboxes = contacts::find_contact_inboxes(conn, &contact_inbox_ids)?;
    let by_id: HashMap<i64, &crate::db::conversations::Conversation> =
        conversations.iter().map(|c| (c.id, c)).collect();
    Ok(list
        .iter()
        .map(|n| {
            let conversation = by_id.get(&n.primary_actor_id).copied();
            let primary_actor = conversation.map(|c| {
                let ci = c.contact_inbox_id.and_then(|id| contact_inboxes.get(&id));
                views::event_payload::conversation(c, &related, ci)
            });
            let secondary_actor = match (n.secondary_actor_type.as_deref(), n.secondary_actor_id) {
                (Some("Message"), Some(id)) => messages
                    .get(&id)
                    .map_or(Value::Null, |m| views::message::push(m, &related)),
                (Some("User"), Some(id)) => users.get(&id).cloned().unwrap_or(Value::Null),
                _ => Value::Null,
            };
            let title = conversation.map_or_else(String::new, |c| {
                let inbox = related.inbox_names.get(&c.inbox_id).map_or("", String::as_str);
                title(n.notification_type, c.display_id, inbox)
            });
            Embedded {
                primary_actor,
                secondary_actor,
                user: users.get(&n.user_id).cloned().unwrap_or(Value::Null),
                title,
            }
        })
        .collect())
}

/// `GET notifications`: one page with Chatwoot's meta.
pub fn list(
    conn: &Connection,
    base_url: &str,
    filter: &ListFilter,
    page: i64,
    current_page: Value,
) -> ApiResult<Value> {
    let (count, unread_count) = rows::counts(conn, filter)?;
    let page_rows = rows::page(conn, filter, page, PER_PAGE)?;
    let embedded = embed(conn, base_url, &page_rows)?;
    let payload = page_rows
        .iter()
        .zip(&embedded)
        .map(|(n, e)| views::notification::list_item(n, e))
        .collect();
    Ok(views::notification::list(
        unread_count,
        count,
        current_page,
        payload,
    ))
}

/// The default list's counts `(unread_count, count)`: unread, unsnoozed notifications (what
/// Chatwoot's finder without parameters counts for ActionCable).
pub fn default_counts(conn: &Connection, account_id: i64, user_id: i64) -> ApiResult<(i64, i64)> {
    let filter = ListFilter {
        account_id,
        user_id,
        ..ListFilter::default()
    };
    let (count, unread) = rows::counts(conn, &filter)?;
    Ok((unread, count))
}

/// A notification's `push_event_data`.
pub fn push_data(conn: &Connection, base_url: &str, n: &Notification) -> ApiResult<Value> {
    let embedded = embed(conn, base_url, std::slice::from_ref(n))?;
    let e = embedded.into_iter().next().unwrap_or_default();
    Ok(views::notification::push(n, &e))
}

/// One of the caller's own notifications in the account (another user's is a 404).
pub fn find_own(conn: &Connection, account_id: i64, user_id: i64, id: i64) -> ApiResult<Notification> {
    rows::find(conn, account_id, user_id, id)?.ok_or(ApiError::NotFound)
}

/// Mark read (`Some(now)`) or unread (`None`); answers the updated row.
pub fn set_read(
    conn: &Connection,
    account_id: i64,
    user_id: i64,
    id: i64,
    read_at: Option<i64>,
) -> ApiResult<Notification> {
    let n = find_own(conn, account_id, user_id, id)?;
    rows::set_read_at(conn, n.id, read_at)?;
    updated(conn, &n)
}

/// Snooze until `until` (unix milliseconds); `meta.last_snoozed_at` is reset as Chatwoot does.
pub fn snooze(
    conn: &Connection,
    account_id: i64,
    user_id: i64,
    id: i64,
    until: Option<i64>,
) -> ApiResult<Notification> {
    let n = find_own(conn, account_id, user_id, id)?;
    let Some(until) = until else {
        return Ok(n);
    };
    let mut meta: Map<String, Value> = n.meta.clone();
    meta.insert("last_snoozed_at".into(), Value::Null);
    rows::snooze(conn, n.id, Some(until), &meta)?;
    updated(conn, &n)
}

fn updated(conn: &Connection, n: &Notification) -> ApiResult<Notification> {
    rows::append_event(
        conn,
        "notification_updated",
        n.account_id,
        n.user_id,
        n.id,
        Some(n.primary_actor_id),
    )?;
    find_own(conn, n.account_id, n.user_id, n.id)
}

/// Delete one notification (with its `notification_deleted` event).
pub fn destroy(conn: &Connection, account_id: i64, user_id: i64, id: i64) -> ApiResult<()> {
    let n = find_own(conn, account_id, user_id, id)?;
    rows::delete(conn, n.id)?;
    rows::append_event(
        conn,
        "notification_deleted",
        n.account_id,
        n.user_id,
        n.id,
        Some(n.primary_actor_id),
    )?;
    Ok(())
}
