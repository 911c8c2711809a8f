//! Loads everything the conversation and message views need for a set of conversations in a
//! fixed number of queries (no query per row).

use std::collections::HashSet;

use rusqlite::Connection;

use crate::db::conversations::Conversation;
use crate::db::messages::Message;
use crate::db::{agent_bots, agents, contacts, conversations, inboxes, messages, teams};
use crate::error::ApiResult;

pub use crate::caller::Viewer;

pub use crate::views::related::Related;

fn unique(ids: impl Iterator<Item = i64>) -> Vec<i64> {
    let set: HashSet<i64> = ids.collect();
    set.into_iter().collect()
}

/// Load what [`crate::views::conversation`] needs for `list`, as seen by `viewer_id`.
pub fn load(conn: &Connection, viewer: &Viewer, list: &[Conversation]) -> ApiResult<Related> {
    let (account_id, viewer_id) = (viewer.account_id, viewer.user_id);
    let ids: Vec<i64> = list.iter().map(|c| c.id).collect();
    let (latest, latest_non_activity) = messages::latest_for(conn, &ids)?;
    let inbox_ids = unique(list.iter().map(|c| c.inbox_id));
    let mut related = Related {
        labels: conversations::labels_for(conn, &ids)?,
        unread: messages::unread_counts(conn, &ids)?,
        channel_types: inboxes::channel_types(conn, &inbox_ids)?,
        inbox_names: inboxes::names(conn, &inbox_ids)?,
        teams: teams::find_many(
            conn,
            account_id,
            viewer_id,
            &unique(list.iter().filter_map(|c| c.team_id)),
        )?,
        source_ids: contacts::source_ids(conn, &unique(list.iter().filter_map(|c| c.contact_inbox_id)))?,
        display_ids: list.iter().map(|c| (c.id, c.display_id)).collect(),
        conversations: list.iter().map(|c| (c.id, c.clone())).collect(),
        latest,
        latest_non_activity,
        ..Related::default()
    };
    let shown: Vec<Message> = related
        .latest
        .values()
        .chain(related.latest_non_activity.values())
        .cloned()
        .collect();
    add_senders(conn, viewer, &mut related, &shown, list)?;
    Ok(related)
}

/// Load the senders of `shown` messages plus the contacts, assignees and bots of `list`.
pub fn add_senders(
    conn: &Connection,
    viewer: &Viewer,
    related: &mut Related,
    shown: &[Message],
    list: &[Conversation],
) -> ApiResult<()> {
    let account_id = viewer.account_id;
    related.base_url.clone_from(&viewer.base_url);
    let message_ids: Vec<i64> = shown.iter().map(|m| m.id).collect();
    related
        .attachments
        .extend(crate::db::attachments::for_messages(conn, &message_ids)?);
    let of_type = |kind: &str| {
        unique(
            shown
                .iter()
                .filter(|m| m.sender_type.as_deref() == Some(kind))
                .filter_map(|m| m.sender_id),
        )
    };
    let contact_ids = unique(list.iter().map(|c| c.contact_id).chain(of_type("Contact")));
    let user_ids = unique(list.iter().filter_map(|c| c.assignee_id).chain(of_type("User")));
    let bot_ids = unique(
        list.iter()
            .filter_map(|c| c.assignee_agent_bot_id)
            .chain(of_type("AgentBot")),
    );
    related
        .contacts
        .extend(contacts::find_many(conn, account_id, &contact_ids)?);
    related.agents.extend(
        agents::find_many(conn, account_id, &user_ids)?
            .into_iter()
            .map(|a| (a.id, a)),
    );
    related.bots.extend(
        agent_bots::find_many(conn, &bot_ids)?
            .into_iter()
            .map(|b| (b.id, b)),
    );
    Ok(())
}

/// Everything one message's push JSON embeds (its conversation summary, sender, files), as
/// seen by nobody in particular (events and live broadcasts).
pub fn for_message(
    conn: &Connection,
    base_url: &str,
    message: &Message,
    c: &Conversation,
) -> ApiResult<Related> {
    let viewer = Viewer {
        account_id: c.account_id,
        user_id: 0,
        base_url: base_url.to_string(),
    };
    let mut related = load(conn, &viewer, std::slice::from_ref(c))?;
    add_senders(
        conn,
        &viewer,
        &mut related,
        std::slice::from_ref(message),
        std::slice::from_ref(c),
    )?;
    Ok(related)
}
