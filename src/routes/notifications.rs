//! Account routes of the notification inbox and its settings (Chatwoot's
//! `resources :notifications` and `resource :notification_settings`).

use super::RouteTable;
use crate::api::notifications as n;

/// `/api/v1/accounts/{account_id}/notifications…` and `…/notification_settings`; literal
/// segments before `{id}`.
pub fn notification_routes(t: &mut RouteTable<'_>) {
    t.get("/notifications", n::index)
        .post("/notifications/read_all", n::read_all)
        .get("/notifications/unread_count", n::unread_count)
        .post("/notifications/destroy_all", n::destroy_all)
        .patch("/notifications/{id}", n::update)
        .put("/notifications/{id}", n::update)
        .delete("/notifications/{id}", n::destroy)
        .post("/notifications/{id}/snooze", n::snooze)
        .post("/notifications/{id}/unread", n::unread)
        .get("/notification_settings", n::settings)
        .put("/notification_settings", n::update_settings)
        .patch("/notification_settings", n::update_settings);
}
