//! CSAT: the survey sent when a conversation is resolved, and the customer's answer.

use rusqlite::Connection;
use serde_json::{Map, Value};

use crate::db::conversations::{self, Conversation};
use crate::db::csat::{self, CsatResponse};
use crate::db::inboxes;
use crate::db::messages::{self, Message};
use crate::domain::conversations::message_type;
use crate::error::{ApiError, ApiResult};

/// `content_type` of survey messages (input_csat).
pub const INPUT_CSAT: i64 = 9;

/// Days after which a survey can no longer be answered (Chatwoot: 14).
pub const LOCK_DAYS: i64 = 14;

/// The public page of a conversation's survey.
pub fn survey_url(base_url: &str, conversation: &Conversation) -> String {
    format!("{base_url}/survey/responses/{}", conversation.uuid)
}

/// The survey message of a conversation (the latest, when re-sent).
pub fn survey_message(conn: &Connection, conversation_id: i64) -> ApiResult<Option<Message>> {
    Ok(messages::latest_of_content_type(
        conn,
        conversation_id,
        INPUT_CSAT,
    )?)
}

/// Whether the survey rules of `csat_config` let this conversation be surveyed.
fn rules_allow(config: &Value, labels: &[String]) -> bool {
    let values: Vec<&str> = config
        .pointer("/survey_rules/values")
        .and_then(Value::as_array)
        .map(|v| v.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    if values.is_empty() {
        return true;
    }
    let any = values.iter().any(|v| labels.iter().any(|l| l == v));
    match config.pointer("/survey_rules/operator").and_then(Value::as_str) {
        Some("does_not_contain") => !any,
        _ => any,
    }
}

/// After a conversation became resolved: send the survey when the inbox asks for one, the rules
/// match, and none was sent before (or `csat_config.survey_every_resolution` is true).
pub fn on_resolved(
    conn: &Connection,
    conversation: &Conversation,
    base_url: &str,
) -> ApiResult<Option<Message>> {
    let Some(inbox) = inboxes::find(conn, conversation.account_id, conversation.inbox_id)? else {
        return Ok(None);
    };
    if !inbox.csat_survey_enabled {
        return Ok(None);
    }
    let config = &inbox.csat_config;
    let every_time = config
        .get("survey_every_resolution")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    if !every_time && survey_message(conn, conversation.id)?.is_some() {
        return Ok(None);
    }
    if !rules_allow(config, &conversations::labels(conn, conversation.id)?) {
        return Ok(None);
    }
    let custom = config
        .get("message")
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|m| !m.is_empty());
    let content = if inbox.channel.channel_type == "Channel::WebWidget" {
        custom.unwrap_or("Please rate the conversation").to_string()
    } else {
        let link = survey_url(base_url, conversation);
        match custom {
            Some(text) => format!("{text} {link}"),
            None => format!("Please rate this conversation, {link}"),
        }
    };
    let display_type = match config.get("display_type").and_then(Value::as_str) {
        Some("star") => "star",
        _ => "emoji",
    };
    let mut message = Message::new(
        conversation.account_id,
        conversation.inbox_id,
        conversation.id,
        message_type::TEMPLATE,
    );
    message.content = Some(content);
    message.content_type = INPUT_CSAT;
    message.content_attributes = Map::from_iter([("display_type".to_string(), Value::from(display_type))]);
    let message = messages::insert(conn, &message)?;
    Ok(Some(message))
}

/// Record the customer's answer synchronously. Ratings outside 1..5 and answers after the lock
/// are refused; a blank rating changes nothing.
pub fn answer(
    conn: &Connection,
    conversation: &Conversation,
    message: &Message,
    submitted: &Value,
    now_ms: i64,
) -> ApiResult<Option<CsatResponse>> {
    let age_days = (now_ms - message.created_at).div_euclid(86_400_000);
    if age_days > LOCK_DAYS {
        return Err(ApiError::Unprocessable(
            "You cannot update the CSAT survey after 14 days".into(),
        ));
    }
    let response = submitted
        .get("csat_survey_response")
        .cloned()
        .unwrap_or(Value::Null);
    let rating = match response.get("rating") {
        None | Some(Value::Null) => None,
        Some(Value::Number(n)) => n.as_i64(),
        Some(Value::String(s)) if s.is_empty() => None,
        Some(Value::String(s)) => s.trim().parse().ok().or(Some(0)),
        Some(_) => Some(0),
    };
    let mut stored = message.clone();
    stored
        .content_attributes
        .insert("submitted_values".into(), submitted.clone());
    let Some(rating) = rating else {
        messages::update(conn, &stored)?;
        return Ok(csat::for_message(conn, message.id)?);
    };
    if !(1..=5).contains(&rating) {
        return Err(ApiError::invalid("rating", "Rating must be between 1 and 5"));
    }
    let feedback = response
        .get("feedback_message")
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|f| !f.is_empty())
        .map(str::to_string);
    if feedback.as_ref().is_some_and(|f| f.chars().count() > 10_000) {
        return Err(ApiError::invalid(
            "feedback_message",
            "Feedback message is too long (maximum is 10000 characters)",
        ));
    }
    messages::update(conn, &stored)?;
    let row = csat::upsert(
        conn,
        &CsatResponse {
            id: 0,
            account_id: conversation.account_id,
            conversation_id: conversation.id,
            message_id: message.id,
            rating,
            feedback_message: feedback,
            contact_id: Some(conversation.contact_id),
            assigned_agent_id: conversation.assignee_id,
            csat_review_notes: None,
            review_notes_updated_at: None,
            review_notes_updated_by_id: None,
            created_at: 0,
            updated_at: 0,
        },
    )?;
    Ok(Some(row))
}

/// The conversation and its survey message (404 when either is missing).
pub fn survey(conn: &Connection, uuid: &str) -> ApiResult<(Conversation, Message)> {
    let c = conversations::find_by_uuid(conn, uuid)?.ok_or(ApiError::NotFound)?;
    let message = survey_message(conn, c.id)?.ok_or(ApiError::NotFound)?;
    Ok((c, message))
}
