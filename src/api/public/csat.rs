//! `/public/api/v1/csat_survey/{conversation_uuid}`: the survey a customer answers.

use actix_web::web;
use serde_json::Value;

use super::PublicClient;
use crate::api::body::JsonBody;
use crate::api::{Reply, State, ok_json};
use crate::db::conversations::Conversation;
use crate::db::messages::Message;
use crate::db::{accounts, csat, inboxes, now_ms};
use crate::error::{ApiError, ApiResult};
use crate::services::csat::{answer, survey};
use crate::views;

/// Chatwoot's survey JSON, without internal review notes.
pub fn render(conn: &rusqlite::Connection, c: &Conversation, message: &Message) -> ApiResult<Value> {
    let inbox = inboxes::find(conn, c.account_id, c.inbox_id)?.ok_or(ApiError::NotFound)?;
    let account = accounts::find(conn, c.account_id)?.ok_or(ApiError::NotFound)?;
    let row = csat::for_message(conn, message.id)?;
    Ok(views::csat::public_survey(
        c,
        message,
        &inbox,
        &account,
        row.as_ref(),
    ))
}

/// `GET /public/api/v1/csat_survey/{uuid}`
pub async fn show(state: State, _: PublicClient, path: web::Path<String>) -> Reply {
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
pub async fn update(state: State, _: PublicClient, path: web::Path<String>, body: JsonBody) -> Reply {
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
