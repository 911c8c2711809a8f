//! Loads everything the conversation and message views need for a set of conversations in a
//! fixed number of queries (no query per row).

use std::collections::{HashMap, HashSet};

use rusqlite::Connection;

use crate::db::agent_bots::AgentBot;
use crate::db::agents::Agent;
use crate::db::contacts::Contact;
use crate::db::conversations::Conversation;
use crate::db::messages::Message;
use crate::db::teams::Team;
use crate::db::{agent_bots, agents, contacts, conversations, inboxes, messages, teams};
use crate::error::ApiResult;

/// The viewer of rendered conversations: account, user (0 for bots) and public base URL.
#[derive(Debug, Clone, Default)]
pub struct Viewer {
    pub account_id: i64,
    pub user_id: i64,
    pub base_url: String,
}

/// Related rows of a batch of conversations.
#[derive(Debug, Default)]
pub struct Related {
    pub contacts: HashMap<i64, Contact>,
    pub agents: HashMap<i64, Agent>,
    pub bots: HashMap<i64, AgentBot>,
    pub teams: HashMap<i64, Team>,
    pub channel_types: HashMap<i64, String>,
    pub inbox_names: HashMap<i64, String>,
    pub labels: HashMap<i64, Vec<String>>,
    pub latest: HashMap<i64, Message>,
    pub latest_non_activity: HashMap<i64, Message>,
    pub unread: HashMap<i64, i64>,
    pub source_ids: HashMap<i64, String>,
    /// Display id of each conversation by database id (for message JSON).
    pub display_ids: HashMap<i64, i64>,
    /// Per conversation: assignee id, unread count, last activity, contact inbox source id.
    pub conversations: HashMap<i64, Conversation>,
    /// Attachments of the shown messages, by message id.
    pub attachments: HashMap<i64, Vec<crate::db::attachments::Attachment>>,
    /// Public base URL for attachment links.
    pub base_url: String,
}

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
