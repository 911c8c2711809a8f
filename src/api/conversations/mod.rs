//! `/api/v1/accounts/{account_id}/conversations`: the inbox view. One conversation's actions
//! are here; the lists and their counts are in [`lists`], the messages in [`messages`]. A
//! conversation's attachments and reporting events are listed by `api::attachments` and
//! `api::reporting_events`, which also serve the account-wide routes.

pub mod lists;
pub mod messages;

use actix_web::{HttpResponse, web};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::api::body::{JsonBody, parse_params};
use crate::api::{head_ok, ok_json};
use crate::auth::{AccountMember, ConversationCaller};
use crate::db::conversations::{self, Conversation};
use crate::db::{contacts, now_ms};
use crate::error::{ApiError, ApiResult};
use crate::services::conversation_loader::{self, Viewer};
use crate::services::conversations::{
    self as ops, Assigned, NewConversation, after_status_change, can_view, parse_priority, parse_status,
};
use crate::services::messages::{add_activity, create as create_message};
use crate::state::AppState;
use crate::views;

/// Conversations per page (Chatwoot's CONVERSATION_RESULTS_PER_PAGE default).
pub const PER_PAGE: i64 = 25;

/// Render conversations with everything they embed (a fixed number of queries).
pub fn render_many(
    conn: &rusqlite::Connection,
    viewer: &Viewer,
    list: &[Conversation],
) -> ApiResult<Vec<Value>> {
    let related = conversation_loader::load(conn, viewer, list)?;
    Ok(list
        .iter()
        .map(|c| views::conversation::conversation(c, &related))
        .collect())
}

/// Render conversations straight to JSON text (list endpoints: no intermediate `Value` tree).
pub fn render_raw(
    conn: &rusqlite::Connection,
    viewer: &Viewer,
    list: &[Conversation],
) -> ApiResult<Vec<Box<serde_json::value::RawValue>>> {
    let related = conversation_loader::load(conn, viewer, list)?;
    list.iter()
        .map(|c| {
            serde_json::value::to_raw_value(&views::conversation::view(c, &related))
                .map_err(|e| ApiError::Internal(e.to_string()))
        })
        .collect()
}

/// Render one conversation.
pub fn render(conn: &rusqlite::Connection, viewer: &Viewer, c: &Conversation) -> ApiResult<Value> {
    Ok(render_many(conn, viewer, std::slice::from_ref(c))?.remove(0))
}

/// Load a conversation by display id and check the caller may see it (404, then 401).
pub fn visible(
    conn: &rusqlite::Connection,
    caller: &ConversationCaller,
    display_id: i64,
) -> ApiResult<Conversation> {
    let c = conversations::find(conn, caller.account_id(), display_id)?.ok_or(ApiError::NotFound)?;
    if can_view(conn, caller, &c)? {
        Ok(c)
    } else {
        Err(ApiError::Forbidden)
    }
}

/// `GET …/conversations/{id}`
pub async fn show(
    state: web::Data<AppState>,
    member: AccountMember,
    path: web::Path<(i64, i64)>,
) -> ApiResult<HttpResponse> {
    let caller = ConversationCaller::from(member);
    let id = path.into_inner().1;
    let body = state
        .db
        .read(move |conn| render(conn, &caller.viewer(), &visible(conn, &caller, id)?))
        .await?;
    Ok(ok_json(body))
}

/// `POST …/conversations` (users and bots)
pub async fn create(
    state: web::Data<AppState>,
    caller: ConversationCaller,
    body: JsonBody,
) -> ApiResult<HttpResponse> {
    let params: NewConversation = parse_params(body.resource("conversation"))?;
    let body = state
        .db
        .write(move |tx| -> ApiResult<_> {
            let (conversation, message) = ops::create(tx, &caller, params)?;
            if let Some(mut message) = message {
                message.message_type = Some(Value::from("outgoing"));
                let channel = crate::db::inboxes::channel_types(tx, &[conversation.inbox_id])?
                    .remove(&conversation.inbox_id)
                    .unwrap_or_default();
                create_message(tx, &caller, &conversation, &channel, message, false)?;
            }
            let conversation = conversations::find(tx, caller.account_id(), conversation.display_id)?
                .ok_or(ApiError::NotFound)?;
            render(tx, &caller.viewer(), &conversation)
        })
        .await?;
    Ok(ok_json(body))
}

/// Run `f` on a visible conversation inside a write transaction.
async fn with_conversation<T: Send + 'static>(
    state: &AppState,
    caller: ConversationCaller,
    display_id: i64,
    f: impl FnOnce(&rusqlite::Connection, &ConversationCaller, Conversation) -> ApiResult<T> + Send + 'static,
) -> ApiResult<T> {
    state
        .db
        .write(move |tx| {
            let c = visible(tx, &caller, display_id)?;
            f(tx, &caller, c)
        })
        .await
}

/// Run `f` on a read connection with a conversation the caller may see (404, then 401): the
/// read counterpart of [`with_conversation`].
pub async fn read_conversation<T: Send + 'static>(
    state: &AppState,
    caller: ConversationCaller,
    display_id: i64,
    f: impl FnOnce(&rusqlite::Connection, &ConversationCaller, Conversation) -> ApiResult<T> + Send + 'static,
) -> ApiResult<T> {
    state
        .db
        .read(move |conn| {
            let c = visible(conn, &caller, display_id)?;
            f(conn, &caller, c)
        })
        .await
}

/// `PATCH …/conversations/{id}` (priority)
pub async fn update(
    state: web::Data<AppState>,
    caller: ConversationCaller,
    path: web::Path<(i64, i64)>,
    body: JsonBody,
) -> ApiResult<HttpResponse> {
    let attrs = body.resource("conversation");
    let priority = attrs
        .contains_key("priority")
        .then(|| parse_priority(attrs.get("priority")))
        .transpose()?;
    let body = with_conversation(&state, caller, path.into_inner().1, move |tx, caller, c| {
        let c = match priority {
            Some(priority) => ops::set_priority(tx, caller, c, priority)?,
            None => c,
        };
        render(tx, &caller.viewer(), &c)
    })
    .await?;
    Ok(ok_json(body))
}

/// `toggle_status` body.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct StatusParams {
    status: Option<String>,
    snoozed_until: Option<i64>,
}

/// `POST …/toggle_status {status?, snoozed_until?}`
pub async fn toggle_status(
    state: web::Data<AppState>,
    caller: ConversationCaller,
    path: web::Path<(i64, i64)>,
    body: JsonBody,
) -> ApiResult<HttpResponse> {
    let params: StatusParams = parse_params(body.0.clone())?;
    let wanted = params.status.as_deref().map(parse_status).transpose()?;
    let change = with_conversation(&state, caller, path.into_inner().1, move |tx, caller, c| {
        ops::toggle_status(
            tx,
            caller,
            c,
            wanted,
            params.snoozed_until,
            &caller.viewer().base_url,
        )
    })
    .await?;
    let c = &change.conversation;
    Ok(ok_json(json!({"payload": {
        "success": change.success,
        "conversation_id": c.display_id,
        "current_status": crate::domain::custom_attributes::enum_name(crate::domain::conversations::STATUSES, c.status),
        "snoozed_until": crate::domain::timestamps::iso_opt(c.snoozed_until),
    }})))
}

/// `POST …/toggle_priority {priority}` → 200 empty
pub async fn toggle_priority(
    state: web::Data<AppState>,
    caller: ConversationCaller,
    path: web::Path<(i64, i64)>,
    body: JsonBody,
) -> ApiResult<HttpResponse> {
    let priority = parse_priority(body.0.get("priority"))?;
    with_conversation(&state, caller, path.into_inner().1, move |tx, caller, c| {
        ops::set_priority(tx, caller, c, priority)
    })
    .await?;
    Ok(head_ok())
}

/// `POST …/toggle_typing_status {typing_status}`: validated; there is no live channel to relay it.
pub async fn toggle_typing_status(
    state: web::Data<AppState>,
    member: AccountMember,
    path: web::Path<(i64, i64)>,
    body: JsonBody,
) -> ApiResult<HttpResponse> {
    let caller = ConversationCaller::from(member);
    let id = path.into_inner().1;
    state
        .db
        .read(move |conn| visible(conn, &caller, id).map(|_| ()))
        .await?;
    let typing = body.0.get("typing_status").and_then(Value::as_str).unwrap_or("");
    if !matches!(typing, "on" | "off" | "recording") {
        return Err(ApiError::Unprocessable(
            "typing_status must be on, off or recording".into(),
        ));
    }
    Ok(head_ok())
}

/// `POST …/custom_attributes {custom_attributes}`: replaces the hash.
pub async fn custom_attributes(
    state: web::Data<AppState>,
    caller: ConversationCaller,
    path: web::Path<(i64, i64)>,
    body: JsonBody,
) -> ApiResult<HttpResponse> {
    let stored = with_conversation(&state, caller, path.into_inner().1, move |tx, _, mut c| {
        c.custom_attributes = match body.0.get("custom_attributes") {
            Some(Value::Object(map)) => map.clone(),
            _ => return Err(ApiError::ParamMissing("custom_attributes".into())),
        };
        Ok(conversations::update(tx, &c)?.custom_attributes)
    })
    .await?;
    Ok(ok_json(json!({ "custom_attributes": stored })))
}

/// `GET …/labels`
pub async fn labels(
    state: web::Data<AppState>,
    member: AccountMember,
    path: web::Path<(i64, i64)>,
) -> ApiResult<HttpResponse> {
    let caller = ConversationCaller::from(member);
    let labels = read_conversation(&state, caller, path.into_inner().1, |conn, _, c| {
        Ok(conversations::labels(conn, c.id)?)
    })
    .await?;
    Ok(ok_json(json!({ "payload": labels })))
}

/// `POST …/labels {labels}`: replaces the set.
pub async fn set_labels(
    state: web::Data<AppState>,
    member: AccountMember,
    path: web::Path<(i64, i64)>,
    body: JsonBody,
) -> ApiResult<HttpResponse> {
    let caller = ConversationCaller::from(member);
    let wanted = crate::services::contacts::label_list(body.0.get("labels"))?;
    let labels = with_conversation(&state, caller, path.into_inner().1, move |tx, caller, c| {
        ops::set_labels(tx, caller, &c, &wanted)
    })
    .await?;
    Ok(ok_json(json!({ "payload": labels })))
}

/// `POST …/assignments`
pub async fn assign(
    state: web::Data<AppState>,
    caller: ConversationCaller,
    path: web::Path<(i64, i64)>,
    body: JsonBody,
) -> ApiResult<HttpResponse> {
    let attrs = body.0.clone();
    let assigned = with_conversation(&state, caller, path.into_inner().1, move |tx, caller, c| {
        ops::assign(tx, caller, c, &attrs)
    })
    .await?;
    Ok(ok_json(match assigned {
        Assigned::Agent(agent) => views::agent::agent(&agent),
        Assigned::Bot(bot) => {
            json!({"id": bot.id, "name": bot.name, "description": bot.description, "thumbnail": "",
            "outgoing_url": bot.outgoing_url, "bot_type": "webhook"})
        }
        Assigned::Team(team) => views::team::team(&team),
        Assigned::Nobody => Value::Null,
    }))
}

/// `POST …/update_last_seen`
pub async fn update_last_seen(
    state: web::Data<AppState>,
    member: AccountMember,
    path: web::Path<(i64, i64)>,
) -> ApiResult<HttpResponse> {
    let caller = ConversationCaller::from(member);
    let body = with_conversation(&state, caller, path.into_inner().1, move |tx, caller, mut c| {
        let now = now_ms();
        c.agent_last_seen_at = Some(now);
        if c.assignee_id.is_some() && c.assignee_id == caller.member().map(|m| m.user.id) {
            c.assignee_last_seen_at = Some(now);
        }
        let c = conversations::update(tx, &c)?;
        render(tx, &caller.viewer(), &c)
    })
    .await?;
    Ok(ok_json(body))
}

/// `POST …/unread`: marks the last incoming message unseen.
pub async fn unread(
    state: web::Data<AppState>,
    member: AccountMember,
    path: web::Path<(i64, i64)>,
) -> ApiResult<HttpResponse> {
    let caller = ConversationCaller::from(member);
    let body = with_conversation(&state, caller, path.into_inner().1, move |tx, caller, mut c| {
        let seen = crate::db::messages::last_incoming_at(tx, c.id)?.map(|at| at - 1000);
        c.agent_last_seen_at = seen;
        c.assignee_last_seen_at = seen;
        let c = conversations::update(tx, &c)?;
        render(tx, &caller.viewer(), &c)
    })
    .await?;
    Ok(ok_json(body))
}

async fn set_muted(state: &AppState, caller: ConversationCaller, id: i64, muted: bool) -> ApiResult<()> {
    with_conversation(state, caller, id, move |tx, caller, mut c| {
        let mut contact = contacts::find(tx, c.account_id, c.contact_id)?.ok_or(ApiError::NotFound)?;
        contact.blocked = muted;
        contacts::save(tx, &contact)?;
        let actor = caller.display_name();
        if muted {
            let previous = c.status;
            c.status = crate::domain::conversations::status::RESOLVED;
            c.waiting_since = None;
            let c = conversations::update(tx, &c)?;
            add_activity(tx, &c, &format!("{actor} has muted the conversation"))?;
            after_status_change(tx, &c, previous, false, &caller.viewer().base_url)?;
        } else {
            add_activity(tx, &c, &format!("{actor} has unmuted the conversation"))?;
        }
        Ok(())
    })
    .await
}

/// `POST …/mute`: resolves and blocks the contact.
pub async fn mute(
    state: web::Data<AppState>,
    member: AccountMember,
    path: web::Path<(i64, i64)>,
) -> ApiResult<HttpResponse> {
    let caller = ConversationCaller::from(member);
    set_muted(&state, caller, path.into_inner().1, true).await?;
    Ok(head_ok())
}

/// `POST …/unmute`
pub async fn unmute(
    state: web::Data<AppState>,
    member: AccountMember,
    path: web::Path<(i64, i64)>,
) -> ApiResult<HttpResponse> {
    let caller = ConversationCaller::from(member);
    set_muted(&state, caller, path.into_inner().1, false).await?;
    Ok(head_ok())
}

/// `POST …/transcript {email}`: Parlor has no mail transport yet, so a valid request is refused
/// with a clear 422 instead of pretending to send.
pub async fn transcript(
    state: web::Data<AppState>,
    member: AccountMember,
    path: web::Path<(i64, i64)>,
    body: JsonBody,
) -> ApiResult<HttpResponse> {
    let caller = ConversationCaller::from(member);
    let id = path.into_inner().1;
    state
        .db
        .read(move |conn| visible(conn, &caller, id).map(|_| ()))
        .await?;
    let email = body.0.get("email").and_then(Value::as_str).unwrap_or("");
    if email.trim().is_empty() {
        return Err(ApiError::Unprocessable("email param missing".into()));
    }
    Err(ApiError::Unprocessable(
        "Email transcripts are not available: this Parlor has no mail server configured".into(),
    ))
}

/// `DELETE …/conversations/{id}` (administrators)
pub async fn destroy(
    state: web::Data<AppState>,
    member: AccountMember,
    path: web::Path<(i64, i64)>,
) -> ApiResult<HttpResponse> {
    member.require_admin()?;
    let (account_id, id) = (member.account_id(), path.into_inner().1);
    state
        .db
        .write(move |tx| -> ApiResult<_> {
            let c = conversations::find(tx, account_id, id)?.ok_or(ApiError::NotFound)?;
            Ok(conversations::delete(tx, c.id)?)
        })
        .await?;
    Ok(head_ok())
}
