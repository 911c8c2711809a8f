//! `/api/v1/accounts/{account_id}/conversations`: the inbox view. Creating, showing, changing
//! and deleting one conversation are here, with the lookups and renderers the other modules
//! share; the actions on one conversation (`toggle_status`, labels, assignments, …) are in
//! [`actions`], the lists and their counts in [`lists`], the messages in [`messages`]. A
//! conversation's attachments and reporting events are listed by `api::attachments` and
//! `api::reporting_events`, which also serve the account-wide routes.

pub mod actions;
pub mod lists;
pub mod messages;

use serde_json::Value;

use crate::api::body::{JsonBody, parse_params};
use crate::api::{ItemPath, Reply, State, head_ok, ok_json};
use crate::auth::{AccountMember, ConversationCaller};
use crate::db::conversations::{self, Conversation};
use crate::error::{ApiError, ApiResult};
use crate::services::conversation_loader::{self, Viewer};
use crate::services::conversations::{self as ops, NewConversation, can_view, parse_priority};
use crate::services::messages::create as create_message;
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
pub async fn show(state: State, member: AccountMember, path: ItemPath) -> Reply {
    let caller = ConversationCaller::from(member);
    let id = path.into_inner().1;
    let body = state
        .db
        .read(move |conn| render(conn, &caller.viewer(), &visible(conn, &caller, id)?))
        .await?;
    Ok(ok_json(body))
}

/// `POST …/conversations` (users and bots)
pub async fn create(state: State, caller: ConversationCaller, body: JsonBody) -> Reply {
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
pub async fn update(state: State, caller: ConversationCaller, path: ItemPath, body: JsonBody) -> Reply {
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

/// `DELETE …/conversations/{id}` (administrators)
pub async fn destroy(state: State, member: AccountMember, path: ItemPath) -> Reply {
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
