//! Thin HTTP handlers, one module per resource, mirroring Chatwoot's URL tree.

pub mod accounts;
pub mod body;
pub mod meta;
pub mod platform;
pub mod profile;

use actix_web::HttpResponse;
use serde_json::Value;

/// 200 with a JSON body.
pub fn ok_json(body: Value) -> HttpResponse {
    HttpResponse::Ok().json(body)
}

/// Rails' `head :ok`: 200 with an empty body.
pub fn head_ok() -> HttpResponse {
    HttpResponse::Ok().finish()
}
