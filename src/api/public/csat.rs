//! `/public/api/v1/csat_survey/{conversation_uuid}`: the survey a customer answers.

use actix_web::{HttpResponse, web};
use serde_json::{Value, json};

use super::PublicClient;
use crate::api::body::JsonBody;
use crate::api::ok_json;
use crate::db::conversations::{self, Conversation};
use crate::db::messages::Message;
use crate::db::{accounts, csat, inboxes, now_ms};
use crate::domain::timestamps::iso;
use crate::error::{ApiError, ApiResult};
use crate::services::csat::{answer, public_row, survey_message};
use crate::state::AppState;

/// The conversation and its survey message (404 when either is missing).
pub fn survey(conn: &rusqlite::Connection, uuid: &str) -> ApiResult<(Conversation, Message)> {
    let c = conversations::find_by_uuid(conn, uuid)?.ok_or(ApiError::NotFound)?;
    let message = survey_message(conn, c.id)?.ok_or(ApiError::NotFound)?;
    Ok((c, message))
}

/// Chatwoot's survey JSON, without internal review notes.
pub fn render(conn: &rusqlite::Connection, c: &Conversation, message: &Message) -> ApiResult<Value> {
    let inbox = inboxes::find(conn, c.account_id, c.inbox_id)?.ok_or(ApiError::NotFound)?;
    let account = accounts::find(conn, c.account_id)?.ok_or(ApiError::NotFound)?;
    let row = csat::for_message(conn, message.id)?;
    Ok(json!({
        "id": message.id,
        "csat_survey_response": row.as_ref().map(public_row),
        "display_type": message.content_attributes.get("display_type").cloned().unwrap_or(Value::from("emoji")),
        "content": inbox.csat_config.get("message").cloned().unwrap_or(Value::Null),
        "inbox_avatar_url": "",
        "inbox_name": inbox.name,
        "locale": account.locale,
        "conversation_id": c.id,
        "created_at": iso(message.created_at),
    }))
}

/// `GET /public/api/v1/csat_survey/{uuid}`
pub async fn show(
    state: web::Data<AppState>,
    _: PublicClient,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let uuid = path.into_inner();
    let body = state
        .db
        .read(move |conn| {
            let (c, message) = survey(conn, &uuid)?;
            render(conn, &c, &message)
        })
        .await?;
    Ok(ok_json(body))
}

/// `PUT|PATCH /public/api/v1/csat_survey/{uuid} {message: {submitted_values: {csat_survey_response: {rating, feedback_message}}}}`
pub async fn update(
    state: web::Data<AppState>,
    _: PublicClient,
    path: web::Path<String>,
    body: JsonBody,
) -> ApiResult<HttpResponse> {
    let uuid = path.into_inner();
    let submitted = match body.resource("message").get("submitted_values") {
        Some(value @ Value::Object(_)) => value.clone(),
        _ => return Err(ApiError::ParamMissing("submitted_values".into())),
    };
    let body = state
        .db
        .write(move |tx| -> ApiResult<_> {
            let (c, message) = survey(tx, &uuid)?;
            answer(tx, &c, &message, &submitted, now_ms())?;
            let message = crate::db::messages::find(tx, c.id, message.id)?.ok_or(ApiError::NotFound)?;
            render(tx, &c, &message)
        })
        .await?;
    Ok(ok_json(body))
}
