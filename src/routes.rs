//! THE route table, grouped by consumer. Literal segments are registered before templated
//! siblings so that, e.g., `/conversations/meta` never matches `/conversations/{id}`.

use actix_web::{HttpResponse, web};

use crate::api::{accounts, meta, platform, profile};
use crate::error::ApiError;

/// Register every route on an actix app.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.app_data(web::PathConfig::default().error_handler(|_, _| ApiError::NotFound.into()))
        .app_data(
            web::QueryConfig::default().error_handler(|err, _| ApiError::BadRequest(err.to_string()).into()),
        )
        .configure(platform_api)
        .configure(application_api)
        .route("/api", web::get().to(meta::index))
        .route("/health", web::get().to(meta::health))
        .default_service(web::to(not_found));
}

/// `/platform/api/v1`: platform-app tokens.
fn platform_api(cfg: &mut web::ServiceConfig) {
    use platform::{account_users, accounts, agent_bots, users};
    cfg.service(
        web::scope("/platform/api/v1")
            .route("/accounts", web::post().to(accounts::create))
            .route("/accounts/{account_id}", web::get().to(accounts::show))
            .route("/accounts/{account_id}", web::patch().to(accounts::update))
            .route("/accounts/{account_id}", web::put().to(accounts::update))
            .route("/accounts/{account_id}", web::delete().to(accounts::destroy))
            .route(
                "/accounts/{account_id}/account_users",
                web::get().to(account_users::index),
            )
            .route(
                "/accounts/{account_id}/account_users",
                web::post().to(account_users::create),
            )
            .route(
                "/accounts/{account_id}/account_users",
                web::delete().to(account_users::destroy),
            )
            .route("/agent_bots", web::get().to(agent_bots::index))
            .route("/agent_bots", web::post().to(agent_bots::create))
            .route("/agent_bots/{id}", web::get().to(agent_bots::show))
            .route("/agent_bots/{id}", web::patch().to(agent_bots::update))
            .route("/agent_bots/{id}", web::put().to(agent_bots::update))
            .route("/agent_bots/{id}", web::delete().to(agent_bots::destroy))
            .route("/users", web::post().to(users::create))
            .route("/users/{id}", web::get().to(users::show))
            .route("/users/{id}", web::patch().to(users::update))
            .route("/users/{id}", web::put().to(users::update))
            .route("/users/{id}", web::delete().to(users::destroy))
            .route("/users/{id}/login", web::get().to(users::login)),
    );
}

/// `/api/v1`: user and agent-bot tokens.
fn application_api(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/api/v1")
            .route("/profile", web::get().to(profile::show))
            .route("/profile", web::put().to(profile::update))
            .route("/profile", web::patch().to(profile::update))
            .route("/accounts/{account_id}", web::get().to(accounts::show))
            .route("/accounts/{account_id}", web::patch().to(accounts::update))
            .route("/accounts/{account_id}", web::put().to(accounts::update)),
    );
}

/// Unknown routes (and routes not built yet) are a JSON 404.
async fn not_found() -> HttpResponse {
    HttpResponse::NotFound().json(serde_json::json!({"error": "Resource could not be found"}))
}
