//! `POST /api/v1/accounts/{account_id}/conversations/{id}/…` (and `GET …/labels`): what an
//! agent does to one conversation: status, priority, typing, custom attributes, labels,
//! assignment, last seen, unread, mute and transcript.

use serde::Deserialize;
use serde_json::Value;

use super::{read_conversation, render, visible, with_conversation};
use crate::api::body::{JsonBody, parse_params};
use crate::api::{ItemPath, Reply, State, head_ok, ok_json};
use crate::auth::{AccountMember, ConversationCaller};
use crate::db::conversations;
use crate::db::now_ms;
use crate::domain::events::Typer;
use crate::error::{ApiError, ApiResult};
use crate::services::conversations::{self as ops, Assigned, parse_priority, parse_status};
use crate::services::typing::{TypingStatus, set_typing};
use crate::state::AppState;
use crate::views;

/// `toggle_status` body.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct StatusParams {
    status: Option<String>,
    snoozed_until: Option<i64>,
}

/// `POST …/toggle_status {status?, snoozed_until?}`
pub async fn toggle_status(
    state: State,
    caller: ConversationCaller,
    path: ItemPath,
    body: JsonBody,
) -> Reply {
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
    Ok(ok_json(views::conversation::status_toggled(
        change.success,
        &change.conversation,
    )))
}

/// `POST …/toggle_priority {priority}` → 200 empty
pub async fn toggle_priority(
    state: State,
    caller: ConversationCaller,
    path: ItemPath,
    body: JsonBody,
) -> Reply {
    let priority = parse_priority(body.0.get("priority"))?;
    with_conversation(&state, caller, path.into_inner().1, move |tx, caller, c| {
        ops::set_priority(tx, caller, c, priority)
    })
    .await?;
    Ok(head_ok())
}

/// `POST …/toggle_typing_status {typing_status, is_private}`: announced to the inbox's agents
/// and the contact (`/cable`), webhooks and the API inbox.
pub async fn toggle_typing_status(
    state: State,
    member: AccountMember,
    path: ItemPath,
    body: JsonBody,
) -> Reply {
    let typer = Typer::User {
        id: member.user.id,
        is_private: truthy(body.0.get("is_private")),
    };
    let caller = ConversationCaller::from(member);
    let id = path.into_inner().1;
    let wanted = body
        .0
        .get("typing_status")
        .and_then(Value::as_str)
        .map(str::to_string);
    state
        .db
        .write(move |tx| -> ApiResult<()> {
            let c = visible(tx, &caller, id)?;
            let status = TypingStatus::parse(wanted.as_deref(), true)?;
            set_typing(tx, c.id, typer, status)
        })
        .await?;
    Ok(head_ok())
}

/// Rails' boolean casting of a parameter (`true`, `"true"`, `"1"`, `1`).
fn truthy(value: Option<&Value>) -> bool {
    match value {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => matches!(s.as_str(), "true" | "1" | "t"),
        Some(Value::Number(n)) => n.as_i64() == Some(1),
        _ => false,
    }
}

/// `POST …/custom_attributes {custom_attributes}`: replaces the hash.
pub async fn custom_attributes(
    state: State,
    caller: ConversationCaller,
    path: ItemPath,
    body: JsonBody,
) -> Reply {
    let stored = with_conversation(&state, caller, path.into_inner().1, move |tx, _, mut c| {
        c.custom_attributes = match body.0.get("custom_attributes") {
            Some(Value::Object(map)) => map.clone(),
            _ => return Err(ApiError::ParamMissing("custom_attributes".into())),
        };
        Ok(conversations::update(tx, &c)?.custom_attributes)
    })
    .await?;
    Ok(ok_json(views::conversation::custom_attributes(&stored)))
}

/// `GET …/labels`
pub async fn labels(state: State, member: AccountMember, path: ItemPath) -> Reply {
    let caller = ConversationCaller::from(member);
    let labels = read_conversation(&state, caller, path.into_inner().1, |conn, _, c| {
        Ok(conversations::labels(conn, c.id)?)
    })
    .await?;
    Ok(ok_json(views::envelope::payload(labels)))
}

/// `POST …/labels {labels}`: replaces the set.
pub async fn set_labels(state: State, member: AccountMember, path: ItemPath, body: JsonBody) -> Reply {
    let caller = ConversationCaller::from(member);
    let wanted = crate::services::contacts::label_list(body.0.get("labels"))?;
    let labels = with_conversation(&state, caller, path.into_inner().1, move |tx, caller, c| {
        ops::set_labels(tx, caller, &c, &wanted)
    })
    .await?;
    Ok(ok_json(views::envelope::payload(labels)))
}

/// `POST …/assignments`
pub async fn assign(state: State, caller: ConversationCaller, path: ItemPath, body: JsonBody) -> Reply {
    let attrs = body.0.clone();
    let assigned = with_conversation(&state, caller, path.into_inner().1, move |tx, caller, c| {
        ops::assign(tx, caller, c, &attrs)
    })
    .await?;
    Ok(ok_json(match assigned {
        Assigned::Agent(agent) => views::agent::agent(&agent),
        Assigned::Bot(bot) => views::agent_bot::slim(&bot),
        Assigned::Team(team) => views::team::team(&team),
        Assigned::Nobody => Value::Null,
    }))
}

/// `POST …/update_last_seen`
pub async fn update_last_seen(state: State, member: AccountMember, path: ItemPath) -> Reply {
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
pub async fn unread(state: State, member: AccountMember, path: ItemPath) -> Reply {
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
    with_conversation(state, caller, id, move |tx, caller, c| {
        ops::set_muted(tx, caller, c, muted)
    })
    .await
}

/// `POST …/mute`: resolves and blocks the contact.
pub async fn mute(state: State, member: AccountMember, path: ItemPath) -> Reply {
    let caller = ConversationCaller::from(member);
    set_muted(&state, caller, path.into_inner().1, true).await?;
    Ok(head_ok())
}

/// `POST …/unmute`
pub async fn unmute(state: State, member: AccountMember, path: ItemPath) -> Reply {
    let caller = ConversationCaller::from(member);
    set_muted(&state, caller, path.into_inner().1, false).await?;
    Ok(head_ok())
}

/// `POST …/transcript {email}`: Parlor has no mail transport yet, so a valid request is refused
/// with a clear 422 instead of pretending to send.
pub async fn transcript(state: State, member: AccountMember, path: ItemPath, body: JsonBody) -> Reply {
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
