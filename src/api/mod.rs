//! Thin HTTP handlers, one module per resource, mirroring Chatwoot's URL tree.

pub mod accounts;
pub mod agent_bots;
pub mod agents;
pub mod audit_logs;
pub mod automation_rules;
pub mod body;
pub mod canned_responses;
pub mod custom_attribute_definitions;
pub mod custom_filters;
pub mod inbox_channels;
pub mod inbox_members;
pub mod inboxes;
pub mod integrations;
pub mod labels;
pub mod members;
pub mod meta;
pub mod platform;
pub mod profile;
pub mod teams;
pub mod webhooks;

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
