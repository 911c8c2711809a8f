//! `/public/api/v1/inboxes/{inbox_identifier}/contacts/{source_id}/conversations`: a contact's
//! conversations; their messages are in [`super::messages`].

use actix_web::web;
use serde_json::{Map, Value};

use super::{PublicClient, contact_inbox, inbox};
use crate::api::body::JsonBody;
use crate::api::{Reply, State, head_ok, ok_json};
use crate::db::contacts::{Contact, ContactInbox};
use crate::db::conversations::{self, Conversation};
use crate::db::inboxes::Inbox;
use crate::db::messages::{self, Message};
use crate::db::now_ms;
use crate::domain::conversations::status;
use crate::domain::events::Typer;
use crate::error::{ApiError, ApiResult};
use crate::services::conversation_loader::{Related, Viewer, add_senders};
use crate::services::messages::add_activity;
use crate::services::typing::{TypingStatus, set_typing};
use crate::views;

/// `(inbox identifier, source id)`
type ContactPath = web::Path<(String, String)>;
/// `(inbox identifier, source id, conversation display id)`
pub(super) type ConversationPath = web::Path<(String, String, i64)>;

/// Everything a public request acts on.
pub(super) struct Scope {
    pub(super) inbox: Inbox,
    pub(super) contact_inbox: ContactInbox,
    pub(super) contact: Contact,
}

fn scope(conn: &rusqlite::Connection, identifier: &str, source_id: &str) -> ApiResult<Scope> {
    let inbox = inbox(conn, identifier)?;
    let (contact_inbox, contact) = contact_inbox(conn, &inbox, source_id)?;
    Ok(Scope {
        inbox,
        contact_inbox,
        contact,
    })
}

/// A conversation the contact may reach (404 for any other).
fn reachable(conn: &rusqlite::Connection, scope: &Scope, display_id: i64) -> ApiResult<Conversation> {
    let c = conversations::find(conn, scope.inbox.account_id, display_id)?.ok_or(ApiError::NotFound)?;
    let allowed = if scope.contact_inbox.hmac_verified {
        c.contact_id == scope.contact.id
    } else {
        c.contact_inbox_id == Some(scope.contact_inbox.id)
    };
    if allowed { Ok(c) } else { Err(ApiError::NotFound) }
}

/// The scope of a request and the conversation `display_id` it names, which the contact must
/// be able to reach: where every route below a conversation starts.
pub(super) fn scoped(
    conn: &rusqlite::Connection,
    identifier: &str,
    source_id: &str,
    display_id: i64,
) -> ApiResult<(Scope, Conversation)> {
    let scope = scope(conn, identifier, source_id)?;
    let c = reachable(conn, &scope, display_id)?;
    Ok((scope, c))
}

pub(super) fn related(
    conn: &rusqlite::Connection,
    base_url: &str,
    scope: &Scope,
    list: &[Conversation],
    shown: &[Message],
) -> ApiResult<Related> {
    let viewer = Viewer {
        account_id: scope.inbox.account_id,
        user_id: 0,
        base_url: base_url.to_string(),
    };
    let mut related = Related::default();
    add_senders(conn, &viewer, &mut related, shown, list)?;
    Ok(related)
}

/// Public conversations with all their public messages (two queries for the messages).
fn render(
    conn: &rusqlite::Connection,
    base_url: &str,
    scope: &Scope,
    list: &[Conversation],
) -> ApiResult<Vec<Value>> {
    let ids: Vec<i64> = list.iter().map(|c| c.id).collect();
    let mut by_conversation = messages::all_for(conn, &ids)?;
    for list in by_conversation.values_mut() {
        list.retain(|m| !m.private && m.message_type != crate::domain::conversations::message_type::ACTIVITY);
    }
    let shown: Vec<Message> = by_conversation.values().flatten().cloned().collect();
    let related = related(conn, base_url, scope, list, &shown)?;
    Ok(list
        .iter()
        .map(|c| {
            views::public::conversation(
                c,
                &scope.contact,
                by_conversation.get(&c.id).map_or(&[][..], Vec::as_slice),
                &related,
            )
        })
        .collect())
}

/// `GET …/conversations`
pub async fn index(state: State, _: PublicClient, path: ContactPath) -> Reply {
    let (identifier, source_id) = path.into_inner();
    let base = state.config.frontend_url();
    let body = state
        .db
        .read(move |conn| -> ApiResult<_> {
            let scope = scope(conn, &identifier, &source_id)?;
            let list = conversations::for_public_contact(
                conn,
                scope.contact_inbox.id,
                scope.contact.id,
                scope.contact_inbox.hmac_verified,
            )?;
            render(conn, &base, &scope, &list)
        })
        .await?;
    Ok(ok_json(Value::Array(body)))
}

/// `POST …/conversations {custom_attributes?}`
pub async fn create(state: State, _: PublicClient, path: ContactPath, body: JsonBody) -> Reply {
    let (identifier, source_id) = path.into_inner();
    let custom: Map<String, Value> = match body.0.get("custom_attributes") {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(map)) => map.clone(),
        Some(_) => {
            return Err(ApiError::Unprocessable(
                "custom_attributes must be an object".into(),
            ));
        }
    };
    let base = state.config.frontend_url();
    let body = state
        .db
        .write(move |tx| -> ApiResult<_> {
            let scope = scope(tx, &identifier, &source_id)?;
            if scope.inbox.lock_to_single_conversation
                && let Some(existing) = conversations::latest_for_contact_inbox(tx, scope.contact_inbox.id)?
            {
                return Ok(render(tx, &base, &scope, &[existing])?.remove(0));
            }
            let c = crate::services::conversations::open_for_contact(
                tx,
                &scope.inbox,
                &scope.contact,
                scope.contact_inbox.id,
                Map::new(),
                custom,
            )?;
            Ok(render(tx, &base, &scope, &[c])?.remove(0))
        })
        .await?;
    Ok(ok_json(body))
}

/// `GET …/conversations/{id}`
pub async fn show(state: State, _: PublicClient, path: ConversationPath) -> Reply {
    let (identifier, source_id, id) = path.into_inner();
    let base = state.config.frontend_url();
    let body = state
        .db
        .read(move |conn| -> ApiResult<_> {
            let (scope, c) = scoped(conn, &identifier, &source_id, id)?;
            Ok(render(conn, &base, &scope, &[c])?.remove(0))
        })
        .await?;
    Ok(ok_json(body))
}

/// `POST …/toggle_status`: the contact can only resolve; an already resolved conversation stays.
pub async fn toggle_status(state: State, _: PublicClient, path: ConversationPath) -> Reply {
    let (identifier, source_id, id) = path.into_inner();
    let base = state.config.frontend_url();
    let body = state
        .db
        .write(move |tx| -> ApiResult<_> {
            let (scope, mut c) = scoped(tx, &identifier, &source_id, id)?;
            if c.status != status::RESOLVED {
                let previous = c.status;
                c.status = status::RESOLVED;
                c.snoozed_until = None;
                c.waiting_since = None;
                c = conversations::update(tx, &c)?;
                add_activity(
                    tx,
                    &c,
                    &format!("Conversation was resolved by {}", scope.contact.name),
                )?;
                // Chatwoot's CSAT listener fires on every resolution, the contact's included.
                crate::services::conversations::after_status_change(tx, &c, previous, false, &base)?;
            }
            Ok(render(tx, &base, &scope, &[c])?.remove(0))
        })
        .await?;
    Ok(ok_json(body))
}

/// `POST …/toggle_typing {typing_status}`: announced to the inbox's agents (`/cable`),
/// webhooks and the API inbox.
pub async fn toggle_typing(state: State, _: PublicClient, path: ConversationPath, body: JsonBody) -> Reply {
    let wanted = body
        .0
        .get("typing_status")
        .and_then(Value::as_str)
        .map(str::to_string);
    let (identifier, source_id, id) = path.into_inner();
    state
        .db
        .write(move |tx| -> ApiResult<()> {
            let (scope, c) = scoped(tx, &identifier, &source_id, id)?;
            let status = TypingStatus::parse(wanted.as_deref(), false)?;
            set_typing(tx, c.id, Typer::Contact { id: scope.contact.id }, status)
        })
        .await?;
    Ok(head_ok())
}

/// `POST …/update_last_seen`
pub async fn update_last_seen(state: State, _: PublicClient, path: ConversationPath) -> Reply {
    let (identifier, source_id, id) = path.into_inner();
    state
        .db
        .write(move |tx| -> ApiResult<_> {
            let (_, mut c) = scoped(tx, &identifier, &source_id, id)?;
            c.contact_last_seen_at = Some(now_ms());
            conversations::update(tx, &c)?;
            Ok(())
        })
        .await?;
    Ok(head_ok())
}
