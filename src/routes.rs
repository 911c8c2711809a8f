//! THE route table, grouped by consumer: [`platform`] (platform apps), [`application`] and
//! [`account`] (dashboard and mobile app), [`client`] (customers), [`pages`] (browsers). Literal segments are registered before templated
//! siblings so that, e.g., `/conversations/meta` never matches `/conversations/{id}`.
//!
//! Routes are registered through a [`RouteTable`], so the same functions that configure actix
//! also list every `(method, path)` ([`routes_list`], [`account_routes_list`]) without a server.

mod account;
mod application;
mod client;
mod mobile;
mod notifications;
mod pages;
mod platform;
mod table;
mod widget;

use actix_web::{HttpResponse, ResponseError, web};

pub use self::table::{Endpoint, Resource, RouteTable};
use crate::api::meta;
use crate::error::ApiError;

/// Register every route on an actix app.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.app_data(web::PathConfig::default().error_handler(|_, _| ApiError::NotFound.into()))
        .app_data(
            web::QueryConfig::default().error_handler(|err, _| ApiError::BadRequest(err.to_string()).into()),
        );
    app_routes(&mut RouteTable::new(cfg));
    cfg.default_service(web::to(not_found));
}

/// Every route of the app as `(method, full path)`, in matching order.
pub fn routes_list() -> Vec<(&'static str, String)> {
    let mut table = RouteTable::listing();
    app_routes(&mut table);
    table.into_list()
}

/// The routes below `/api/v1/accounts/{account_id}` as `(method, path relative to it)`, in
/// matching order (the account itself is the empty path).
pub fn account_routes_list() -> Vec<(&'static str, String)> {
    let mut table = RouteTable::listing();
    account::account_routes(&mut table);
    table.into_list()
}

/// Every route, in the order actix tries them. `/api/v1` is one actix scope that answers its
/// own 404 for any path below it, so every other `/api/v1/…` route (the widget's) is
/// registered before it.
fn app_routes(t: &mut RouteTable<'_>) {
    t.configure(platform::platform_api)
        .configure(widget::widget_api)
        .configure(application::application_api)
        .configure(client::client_api)
        .configure(application::sign_in)
        .get("/api", meta::index)
        .get("/health", meta::health)
        .get("/attachments/{key}", crate::api::attachments::serve)
        .configure(widget::widget_pages)
        .configure(pages::pages);
}

/// Unknown routes (and routes not built yet) are a JSON 404.
async fn not_found() -> HttpResponse {
    ApiError::NotFound.error_response()
}
