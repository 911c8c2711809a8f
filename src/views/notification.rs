//! Notification JSON: the list (`notifications/index.json.jbuilder`), `Notification#push_event_data`
//! (ActionCable), the model's `as_json` (read / unread / snooze answers), notification settings
//! (`notification_settings/show.json.jbuilder`) and push subscriptions.

use serde_json::{Map, Value, json};

use crate::db::agents::Agent;
use crate::db::notifications::{Notification, Settings, Subscription};
use crate::domain::notifications::{SUBSCRIPTION_TYPES, all_flags, selected_flags, type_name};
use crate::domain::timestamps::{iso, iso_opt, secs};

/// What a notification's JSON embeds, loaded together for a page.
#[derive(Debug, Clone, Default)]
pub struct Embedded {
    /// The conversation's push data (`primary_actor.push_event_data`).
    pub primary_actor: Option<Map<String, Value>>,
    /// The message or user behind it, as push data (`null` for the system).
    pub secondary_actor: Value,
    /// The notified user's push data.
    pub user: Value,
    /// `push_message_title`.
    pub title: String,
}

/// `User#push_event_data`.
pub fn user_push(agent: &Agent) -> Value {
    crate::views::agent::push(agent)
}

/// One entry of the list, in the jbuilder's key order.
pub fn list_item(n: &Notification, e: &Embedded) -> Value {
    json!({
        "id": n.id,
        "notification_type": type_name(n.notification_type),
        "push_message_title": e.title,
        "primary_actor_type": n.primary_actor_type,
        "primary_actor_id": n.primary_actor_id,
        "primary_actor": e.primary_actor,
        "read_at": iso_opt(n.read_at),
        "secondary_actor": e.secondary_actor,
        "user": e.user,
        "created_at": secs(n.created_at),
        "last_activity_at": secs(n.last_activity_at),
        "snoozed_until": iso_opt(n.snoozed_until),
        "meta": n.meta,
    })
}

/// `Notification#push_event_data`: the list entry's fields plus `account_id`; the primary
/// actor and title only when the conversation still exists.
pub fn push(n: &Notification, e: &Embedded) -> Value {
    let mut body = json!({
        "id": n.id,
        "notification_type": type_name(n.notification_type),
        "primary_actor_type": n.primary_actor_type,
        "primary_actor_id": n.primary_actor_id,
        "read_at": iso_opt(n.read_at),
        "secondary_actor": e.secondary_actor,
        "user": e.user,
        "created_at": secs(n.created_at),
        "last_activity_at": secs(n.last_activity_at),
        "snoozed_until": iso_opt(n.snoozed_until),
        "meta": n.meta,
        "account_id": n.account_id,
    });
    if let (Some(map), Some(primary)) = (body.as_object_mut(), &e.primary_actor) {
        map.insert("primary_actor".into(), Value::Object(primary.clone()));
        map.insert("push_message_title".into(), Value::from(e.title.clone()));
    }
    body
}

/// The model's `as_json` (`render json: @notification`): its columns, times as ISO strings.
pub fn record(n: &Notification) -> Value {
    json!({
        "id": n.id,
        "account_id": n.account_id,
        "user_id": n.user_id,
        "notification_type": type_name(n.notification_type),
        "primary_actor_type": n.primary_actor_type,
        "primary_actor_id": n.primary_actor_id,
        "secondary_actor_type": n.secondary_actor_type,
        "secondary_actor_id": n.secondary_actor_id,
        "read_at": iso_opt(n.read_at),
        "created_at": iso(n.created_at),
        "updated_at": iso(n.updated_at),
        "snoozed_until": iso_opt(n.snoozed_until),
        "last_activity_at": iso(n.last_activity_at),
        "meta": n.meta,
    })
}

/// `{data: {meta: {unread_count, count, current_page}, payload}}`.
pub fn list(unread_count: i64, count: i64, current_page: Value, payload: Vec<Value>) -> Value {
    json!({
        "data": {
            "meta": {"unread_count": unread_count, "count": count, "current_page": current_page},
            "payload": payload,
        }
    })
}

/// `notification.created` / `notification.updated` data.
pub fn cable(notification: Value, unread_count: i64, count: i64, account_id: i64) -> Value {
    json!({
        "notification": notification,
        "unread_count": unread_count,
        "count": count,
        "account_id": account_id,
    })
}

/// `notification.deleted` data.
pub fn cable_deleted(id: i64, unread_count: i64, count: i64, account_id: i64) -> Value {
    json!({
        "notification": {"id": id},
        "unread_count": unread_count,
        "count": count,
        "account_id": account_id,
    })
}

/// `notification_settings/show.json.jbuilder`.
pub fn settings(s: &Settings) -> Value {
    json!({
        "id": s.id,
        "user_id": s.user_id,
        "account_id": s.account_id,
        "all_email_flags": all_flags("email"),
        "selected_email_flags": selected_flags("email", s.email_flags),
        "all_push_flags": all_flags("push"),
        "selected_push_flags": selected_flags("push", s.push_flags),
    })
}

/// A push subscription's `as_json`.
pub fn subscription(s: &Subscription) -> Value {
    let kind = usize::try_from(s.subscription_type - 1)
        .ok()
        .and_then(|i| SUBSCRIPTION_TYPES.get(i))
        .copied();
    json!({
        "id": s.id,
        "user_id": s.user_id,
        "subscription_type": kind,
        "subscription_attributes": s.subscription_attributes,
        "created_at": iso(s.created_at),
        "updated_at": iso(s.updated_at),
        "identifier": s.identifier,
    })
}
