//! What a batch of rendered conversations and messages embeds, loaded in a fixed number of
//! queries by `services::conversation_loader` and read by the conversation and message views.

use std::collections::HashMap;

use crate::db::agent_bots::AgentBot;
use crate::db::agents::Agent;
use crate::db::contacts::Contact;
use crate::db::conversations::Conversation;
use crate::db::messages::Message;
use crate::db::teams::Team;

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
