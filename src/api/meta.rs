//! `GET /api` (version info) and `GET /health` (load balancers).

use actix_web::{HttpResponse, web};
use serde_json::json;

use crate::db::now_ms;
use crate::domain::timestamps;
use crate::error::ApiResult;
use crate::state::AppState;
use crate::views::account::CHATWOOT_VERSION;

/// Version and service status, as Chatwoot's `ApiController#index`.
pub async fn index(state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    let database_ok = state
        .db
        .read(|conn| -> ApiResult<bool> { Ok(crate::db::ping(conn).is_ok()) })
        .await
        .unwrap_or(false);
    Ok(HttpResponse::Ok().json(json!({
        "version": CHATWOOT_VERSION,
        "timestamp": timestamps::db_format(now_ms()),
        "queue_services": "ok",
        "data_services": if database_ok { "ok" } else { "failing" },
        "parlor_version": env!("CARGO_PKG_VERSION"),
    })))
}

/// Liveness for load balancers: 200 when the database answers, 503 otherwise.
pub async fn health(state: web::Data<AppState>) -> HttpResponse {
    let database_ok = state
        .db
        .read(|conn| -> ApiResult<()> { Ok(crate::db::ping(conn)?) })
        .await
        .is_ok();
    if database_ok {
        HttpResponse::Ok().json(json!({"status": "woot"}))
    } else {
        HttpResponse::ServiceUnavailable().json(json!({"status": "unavailable"}))
    }
}
