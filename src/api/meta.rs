//! `GET /api` (version info) and `GET /health` (load balancers).

use actix_web::{HttpResponse, web};

use crate::api::{Reply, State};
use crate::db::now_ms;
use crate::error::ApiResult;
use crate::state::AppState;
use crate::views;

/// Version and service status, as Chatwoot's `ApiController#index`.
pub async fn index(state: State) -> Reply {
    let database_ok = state
        .db
        .read(|conn| -> ApiResult<bool> { Ok(crate::db::ping(conn).is_ok()) })
        .await
        .unwrap_or(false);
    Ok(HttpResponse::Ok().json(views::account::api_info(database_ok, now_ms())))
}

/// Liveness for load balancers: 200 when the database answers, 503 otherwise.
pub async fn health(state: web::Data<AppState>) -> HttpResponse {
    let database_ok = state
        .db
        .read(|conn| -> ApiResult<()> { Ok(crate::db::ping(conn)?) })
        .await
        .is_ok();
    let body = views::account::health(database_ok);
    if database_ok {
        HttpResponse::Ok().json(body)
    } else {
        HttpResponse::ServiceUnavailable().json(body)
    }
}
