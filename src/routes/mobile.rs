//! Account routes Chatwoot's mobile app calls beyond the core (issue #14): participants,
//! assignable agents, dashboard apps, macros, bulk actions, search and message translation.
//! One function, hooked into the account scope with a single `.configure` line.

use super::RouteTable;
use crate::api::{
    assignable_agents, bulk_actions, dashboard_apps, macros, message_translations, participants, search,
};

/// The routes, relative to `/api/v1/accounts/{account_id}`.
pub fn account_routes(t: &mut RouteTable<'_>) {
    t.get("/conversations/{id}/participants", participants::show)
        .post("/conversations/{id}/participants", participants::create)
        .patch("/conversations/{id}/participants", participants::update)
        .put("/conversations/{id}/participants", participants::update)
        .delete("/conversations/{id}/participants", participants::destroy)
        .post(
            "/conversations/{conversation_id}/messages/{id}/translate",
            message_translations::translate,
        )
        .get("/assignable_agents", assignable_agents::index)
        .get("/dashboard_apps", dashboard_apps::index)
        .post("/dashboard_apps", dashboard_apps::create)
        .get("/dashboard_apps/{id}", dashboard_apps::show)
        .patch("/dashboard_apps/{id}", dashboard_apps::update)
        .put("/dashboard_apps/{id}", dashboard_apps::update)
        .delete("/dashboard_apps/{id}", dashboard_apps::destroy)
        .get("/macros", macros::index)
        .post("/macros", macros::create)
        .get("/macros/{id}", macros::show)
        .patch("/macros/{id}", macros::update)
        .put("/macros/{id}", macros::update)
        .delete("/macros/{id}", macros::destroy)
        .post("/macros/{id}/execute", macros::execute)
        .post("/bulk_actions", bulk_actions::create)
        .get("/search", search::index)
        .get("/search/conversations", search::conversations)
        .get("/search/contacts", search::contacts)
        .get("/search/messages", search::messages);
}
