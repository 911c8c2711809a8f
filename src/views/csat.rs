//! CSAT survey JSON as customers see it (the public survey API and the survey page).

use serde_json::{Map, Value, json};

use crate::db::accounts::Account;
use crate::db::agents::Agent;
use crate::db::contacts::Contact;
use crate::db::conversations::Conversation;
use crate::db::csat::CsatResponse;
use crate::db::inboxes::Inbox;
use crate::db::messages::Message;
use crate::domain::timestamps::{iso, secs};
use crate::views;

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

/// A response row for administrators (`GET csat_survey_responses`): review notes, who wrote them,
/// the contact and the assigned agent when they still exist.
pub fn admin_row(
    row: &CsatResponse,
    display_id: i64,
    notes_by: Option<&Agent>,
    contact: Option<&Contact>,
    assigned_agent: Option<&Agent>,
) -> Value {
    let mut item = json!({
        "id": row.id,
        "rating": row.rating,
        "feedback_message": row.feedback_message,
        "csat_review_notes": row.csat_review_notes,
        "review_notes_updated_at": row.review_notes_updated_at.map(secs),
        "account_id": row.account_id,
        "message_id": row.message_id,
        "conversation_id": display_id,
        "created_at": secs(row.created_at),
    });
    if let Some(map) = item.as_object_mut() {
        if let Some(by) = notes_by {
            map.insert(
                "review_notes_updated_by".into(),
                json!({"id": by.id, "name": by.name}),
            );
        }
        if let Some(contact) = contact {
            map.insert("contact".into(), views::contact::contact(contact, None));
        }
        if let Some(agent) = assigned_agent {
            map.insert("assigned_agent".into(), views::agent::agent(agent));
        }
    }
    item
}

/// `GET csat_survey_responses/metrics`: `{total_count, ratings_count: {rating: n},
/// total_sent_messages_count}`.
pub fn metrics(total: i64, ratings_count: Map<String, Value>, sent: i64) -> Value {
    json!({"total_count": total, "ratings_count": ratings_count, "total_sent_messages_count": sent})
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
