//! `/api/v1` (user and agent-bot tokens) and devise_token_auth's sign-in routes: what the
//! dashboard and the mobile app call. The account's own routes are in [`super::account`].

use super::RouteTable;
use super::account::account_routes;
use crate::api::{profile, sessions};

/// `/api/v1`: the caller's profile and everything below one account.
pub(super) fn application_api(t: &mut RouteTable<'_>) {
    t.scope("/api/v1", |t| {
        t.get("/profile", profile::show)
            .put("/profile", profile::update)
            .patch("/profile", profile::update)
            .post("/profile/availability", profile::availability)
            .put("/profile/set_active_account", profile::set_active_account)
            .post(
                "/notification_subscriptions",
                crate::api::notification_subscriptions::create,
            )
            .delete(
                "/notification_subscriptions",
                crate::api::notification_subscriptions::destroy,
            )
            .scope("/accounts/{account_id}", account_routes);
    });
}

/// devise_token_auth's sign-in routes (mobile app, dashboard) and the live socket.
pub(super) fn sign_in(t: &mut RouteTable<'_>) {
    t.post("/auth/sign_in", sessions::sign_in)
        .get("/auth/validate_token", sessions::validate_token)
        .delete("/auth/sign_out", sessions::sign_out)
        .get("/cable", crate::live::socket::cable);
}
