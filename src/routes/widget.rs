//! The website widget: `/packs/js/sdk.js` (the snippet's script), `/widget` (the page inside
//! its iframe) and `/api/v1/widget/*` (what that page calls).

use super::RouteTable;
use crate::api::widget::{config, contact, conversations as conv, messages, misc};
use crate::web::widget as page;

/// `/api/v1/widget/…`: website visitors (`?website_token=` and `X-Auth-Token`).
pub(super) fn widget_api(t: &mut RouteTable<'_>) {
    t.scope("/api/v1/widget", |t| {
        t.post("/config", config::create)
            .get("/contact", contact::show)
            .patch("/contact", contact::update)
            .put("/contact", contact::update)
            .patch("/contact/set_user", contact::set_user)
            .post(
                "/contact/destroy_custom_attributes",
                contact::destroy_custom_attributes,
            )
            .get("/conversations", conv::index)
            .post("/conversations", conv::create)
            .post("/conversations/update_last_seen", conv::update_last_seen)
            .post("/conversations/toggle_typing", conv::toggle_typing)
            .get("/conversations/toggle_status", conv::toggle_status)
            .post("/conversations/transcript", conv::transcript)
            .post(
                "/conversations/set_custom_attributes",
                conv::set_custom_attributes,
            )
            .post(
                "/conversations/destroy_custom_attributes",
                conv::destroy_custom_attributes,
            )
            .get("/messages", messages::index)
            .post("/messages", messages::create)
            .patch("/messages/{id}", messages::update)
            .put("/messages/{id}", messages::update)
            .post("/labels", misc::create_label)
            .delete("/labels/{label}", misc::destroy_label)
            .get("/inbox_members", misc::inbox_members)
            .post("/events", misc::create_event);
    });
}

/// The snippet's script and the page inside the widget's iframe.
pub(super) fn widget_pages(t: &mut RouteTable<'_>) {
    t.get("/packs/js/sdk.js", page::sdk)
        .get("/widget", page::show)
        .post("/widget", page::submit);
}
