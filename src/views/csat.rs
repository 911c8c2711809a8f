//! CSAT survey JSON as customers see it (the public survey API and the survey page).

use serde_json::{Value, json};

use crate::db::accounts::Account;
use crate::db::conversations::Conversation;
use crate::db::csat::CsatResponse;
use crate::db::inboxes::Inbox;
use crate::db::messages::Message;
use crate::domain::timestamps::iso;

/// The response row as customers may see it: no internal review notes.
pub fn public_row(row: &CsatResponse) -> Value {
    json!({
        "id": row.id,
        "account_id": row.account_id,
        "conversation_id": row.conversation_id,
        "message_id": row.message_id,
        "rating": row.rating,
        "feedback_message": row.feedback_message,
        "contact_id": row.contact_id,
        "assigned_agent_id": row.assigned_agent_id,
        "created_at": iso(row.created_at),
        "updated_at": iso(row.updated_at),
    })
}

/// `GET /public/api/v1/csat_survey/{uuid}`: the survey message, its answer and the inbox.
pub fn public_survey(
    c: &Conversation,
    message: &Message,
    inbox: &Inbox,
    account: &Account,
    row: Option<&CsatResponse>,
) -> Value {
    json!({
        "id": message.id,
        "csat_survey_response": row.map(public_row),
        "display_type": message.content_attributes.get("display_type").cloned().unwrap_or(Value::from("emoji")),
        "content": inbox.csat_config.get("message").cloned().unwrap_or(Value::Null),
        "inbox_avatar_url": "",
        "inbox_name": inbox.name,
        "locale": account.locale,
        "conversation_id": c.id,
        "created_at": iso(message.created_at),
    })
}
