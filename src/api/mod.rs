//! Thin HTTP handlers, one module per resource, mirroring Chatwoot's URL tree; a resource with
//! several modules is a folder (`conversations`, `contacts`, `inboxes`, `help_center`).

pub mod accounts;
pub mod agent_bots;
pub mod agents;
pub mod assignable_agents;
pub mod attachments;
pub mod audit_logs;
pub mod audited;
pub mod automation_rules;
pub mod body;
pub mod bulk_actions;
pub mod canned_responses;
pub mod contacts;
pub mod conversations;
pub mod csat_responses;
pub mod custom_attribute_definitions;
pub mod custom_filters;
pub mod dashboard_apps;
pub mod filters;
pub mod help_center;
pub mod inboxes;
pub mod integrations;
pub mod labels;
pub mod macros;
pub mod members;
pub mod message_translations;
pub mod meta;
pub mod notification_subscriptions;
pub mod notifications;
pub mod participants;
pub mod platform;
pub mod profile;
pub mod public;
pub mod reporting_events;
pub mod search;
pub mod sessions;
pub mod teams;
pub mod uploads;
pub mod webhook_deliveries;
pub mod webhooks;
pub mod widget;

use actix_web::{HttpResponse, web};
use serde_json::Value;

pub use crate::domain::params::{MAX_PAGE, clamp_page, page_number};

/// What a handler answers: a response, or an `ApiError` rendered as Chatwoot's error body.
pub type Reply = crate::error::ApiResult<HttpResponse>;

/// The application state as a handler extracts it.
pub type State = web::Data<crate::state::AppState>;

/// `…/accounts/{account_id}/<resource>/{id}`: the account's id and the item's, the path of
/// most member routes (the handler reads the item's as `path.into_inner().1`).
pub type ItemPath = web::Path<(i64, i64)>;

/// 200 with a JSON body.
pub fn ok_json(body: Value) -> HttpResponse {
    HttpResponse::Ok().json(body)
}

/// Rails' `head :ok`: 200 with an empty body.
pub fn head_ok() -> HttpResponse {
    HttpResponse::Ok().finish()
}

/// The shared shape of an audited delete: find the record in the actor's account (404 when
/// absent), delete it and write the audit entry, all in one transaction.
pub async fn destroy_audited<T, Find, Delete>(
    state: &crate::state::AppState,
    actor: crate::services::audit::Actor,
    audit_type: &'static str,
    id: i64,
    find: Find,
    delete: Delete,
    view: fn(&T) -> Value,
) -> crate::error::ApiResult<()>
where
    T: 'static,
    Find: FnOnce(&rusqlite::Connection, &crate::services::audit::Actor, i64) -> crate::db::DbResult<Option<T>>
        + Send
        + 'static,
    Delete: FnOnce(&rusqlite::Connection, i64, i64) -> crate::db::DbResult<()> + Send + 'static,
{
    state
        .db
        .write(move |tx| -> crate::error::ApiResult<()> {
            let record = find(tx, &actor, id)?.ok_or(crate::error::ApiError::NotFound)?;
            delete(tx, actor.account_id, id)?;
            crate::services::audit::destroyed(tx, &actor, audit_type, id, &view(&record))?;
            Ok(())
        })
        .await
}
