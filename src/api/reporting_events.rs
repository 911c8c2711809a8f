//! `GET …/conversations/{id}/reporting_events`: a conversation's reporting events, oldest
//! first, for whoever may see the conversation.

use actix_web::{HttpResponse, web};
use serde_json::Value;

use crate::api::conversations::visible;
use crate::api::ok_json;
use crate::auth::{AccountMember, ConversationCaller};
use crate::db::reporting_events;
use crate::error::ApiResult;
use crate::state::AppState;
use crate::views::reporting_event::reporting_event;

/// `GET /api/v1/accounts/{account_id}/conversations/{id}/reporting_events` (a bare array).
pub async fn for_conversation(
    state: web::Data<AppState>,
    member: AccountMember,
    path: web::Path<(i64, i64)>,
) -> ApiResult<HttpResponse> {
    let caller = ConversationCaller::from(member);
    let id = path.into_inner().1;
    let body = state
        .db
        .read(move |conn| -> ApiResult<_> {
            let c = visible(conn, &caller, id)?;
            let events = reporting_events::for_conversation(conn, c.account_id, c.id)?;
            Ok(Value::Array(events.iter().map(reporting_event).collect()))
        })
        .await?;
    Ok(ok_json(body))
}
