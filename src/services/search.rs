//! The account search (Chatwoot's `SearchService`): pages of 15 contacts, conversations and
//! messages matching `q`, with what their JSON embeds loaded in a fixed number of queries.
//! Agents search the inboxes they are members of; administrators every inbox. A blank `q`
//! finds nothing (Chatwoot lists everything, which no index can serve).

use rusqlite::Connection;

use crate::caller::AccountMember;
use crate::db::agents;
use crate::db::contacts::{self, Contact};
use crate::db::messages::Message;
use crate::db::search::{self, Scope};
use crate::error::ApiResult;
use crate::services::conversation_loader::{Related, add_senders};
pub use crate::views::search::{ConversationHits, MessageHits};

/// Results per page and kind (Chatwoot's `.per(15)`).
pub const PER_PAGE: i64 = 15;

/// Messages older than this are not searched (Chatwoot: `created_at >= 3.months.ago`).
const MESSAGE_WINDOW_MS: i64 = 90 * 24 * 60 * 60 * 1000;

fn scope(member: &AccountMember) -> Scope {
    Scope {
        account_id: member.account_id(),
        member_of_inboxes: (!member.is_admin()).then_some(member.user.id),
    }
}

fn unique(ids: impl Iterator<Item = i64>) -> Vec<i64> {
    let mut ids: Vec<i64> = ids.collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

fn with_related(conn: &Connection, member: &AccountMember, messages: Vec<Message>) -> ApiResult<MessageHits> {
    let mut related = Related {
        display_ids: search::display_ids(conn, &unique(messages.iter().map(|m| m.conversation_id)))?,
        ..Related::default()
    };
    add_senders(conn, &member.viewer(), &mut related, &messages, &[])?;
    let inboxes = search::inbox_refs(conn, &unique(messages.iter().map(|m| m.inbox_id)))?;
    Ok(MessageHits {
        messages,
        related,
        inboxes,
    })
}

/// Listable contacts matching `q`, most recently active first.
pub fn contacts(conn: &Connection, member: &AccountMember, q: &str, page: i64) -> ApiResult<Vec<Contact>> {
    if q.is_empty() {
        return Ok(Vec::new());
    }
    let order = Some("c.last_activity_at DESC, c.id DESC");
    Ok(contacts::search(conn, member.account_id(), q, order, page, PER_PAGE)?.0)
}

/// Messages of the last three months containing `q`, newest first.
pub fn messages(conn: &Connection, member: &AccountMember, q: &str, page: i64) -> ApiResult<MessageHits> {
    if q.is_empty() {
        return Ok(MessageHits::default());
    }
    let since = crate::db::now_ms() - MESSAGE_WINDOW_MS;
    let found = search::messages(conn, scope(member), q, since, page, PER_PAGE)?;
    with_related(conn, member, found)
}

/// Conversations whose display id is `q` or whose contact matches it, newest first.
pub fn conversations(
    conn: &Connection,
    member: &AccountMember,
    q: &str,
    page: i64,
) -> ApiResult<ConversationHits> {
    if q.is_empty() {
        return Ok(ConversationHits::default());
    }
    let account_id = member.account_id();
    let list = search::conversations(conn, scope(member), q, page, PER_PAGE)?;
    let ids: Vec<i64> = list.iter().map(|c| c.id).collect();
    let first: Vec<Message> = search::first_messages(conn, &ids)?.into_values().collect();
    let contacts = contacts::find_many(conn, account_id, &unique(list.iter().map(|c| c.contact_id)))?;
    let agents = agents::find_many(
        conn,
        account_id,
        &unique(list.iter().filter_map(|c| c.assignee_id)),
    )?
    .into_iter()
    .map(|a| (a.id, a))
    .collect();
    let inboxes = search::inbox_refs(conn, &unique(list.iter().map(|c| c.inbox_id)))?;
    Ok(ConversationHits {
        first: with_related(conn, member, first)?,
        conversations: list,
        contacts,
        agents,
        inboxes,
    })
}
