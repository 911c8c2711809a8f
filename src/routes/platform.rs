//! `/platform/api/v1`: what platform apps (installation-wide tokens) call.

use super::RouteTable;
use crate::api::platform::{account_users, accounts, agent_bots, users};

/// `/platform/api/v1`: accounts, their users, agent bots and users.
pub(super) fn platform_api(t: &mut RouteTable<'_>) {
    t.scope("/platform/api/v1", |t| {
        t.post("/accounts", accounts::create)
            .resource("/accounts", "{account_id}", |r| {
                r.show(accounts::show)
                    .update(accounts::update)
                    .destroy(accounts::destroy);
            })
            .get("/accounts/{account_id}/account_users", account_users::index)
            .post("/accounts/{account_id}/account_users", account_users::create)
            .delete("/accounts/{account_id}/account_users", account_users::destroy)
            .resource("/agent_bots", "{id}", |r| {
                r.index(agent_bots::index)
                    .create(agent_bots::create)
                    .show(agent_bots::show)
                    .update(agent_bots::update)
                    .destroy(agent_bots::destroy);
            })
            .resource("/users", "{id}", |r| {
                r.create(users::create)
                    .show(users::show)
                    .update(users::update)
                    .destroy(users::destroy);
            })
            .get("/users/{id}/login", users::login);
    });
}
