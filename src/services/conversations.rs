//! Conversation operations with Chatwoot's side effects: creation, status, priority,
//! assignment, labels. Each runs inside the caller's transaction.

use rusqlite::Connection;
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::caller::{AccountMember, ConversationCaller};
use crate::db::account_users::Role;
use crate::db::conversations::{self, Conversation};
use crate::db::{agents, contacts, inboxes, teams};
use crate::domain::conversations as texts;
use crate::domain::conversations::{PRIORITIES, STATUSES, index_of, status};
use crate::error::{ApiError, ApiResult};
use crate::services::contacts::add_to_inbox;
use crate::services::messages::{MessageParams, add_activity};

/// `POST …/conversations` body.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct NewConversation {
    pub source_id: Option<String>,
    pub inbox_id: Option<i64>,
    pub contact_id: Option<i64>,
    pub status: Option<String>,
    pub assignee_id: Option<i64>,
    pub team_id: Option<i64>,
    pub snoozed_until: Option<i64>,
    pub additional_attributes: Option<Map<String, Value>>,
    pub custom_attributes: Option<Map<String, Value>>,
    pub message: Option<MessageParams>,
}

/// Parse a status name.
pub fn parse_status(name: &str) -> ApiResult<i64> {
    index_of(STATUSES, name).ok_or_else(|| {
        ApiError::Unprocessable(format!(
            "Invalid status '{name}'. Allowed: {}",
            STATUSES.join(", ")
        ))
    })
}

/// Parse a priority name; blank means none.
pub fn parse_priority(value: Option<&Value>) -> ApiResult<Option<i64>> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(name)) if name.is_empty() || name == "nil" => Ok(None),
        Some(Value::String(name)) => index_of(PRIORITIES, name).map(Some).ok_or_else(|| {
            ApiError::Unprocessable(format!(
                "Invalid priority '{name}'. Allowed: {}",
                PRIORITIES.join(", ")
            ))
        }),
        Some(other) => Err(ApiError::Unprocessable(format!("Invalid priority {other}"))),
    }
}

/// Find the contact inbox a new conversation belongs to.
/// The caller must see the inbox (Chatwoot authorizes `inbox.show?` on both lookups).
fn contact_inbox_for(
    conn: &Connection,
    caller: &ConversationCaller,
    params: &NewConversation,
) -> ApiResult<contacts::ContactInbox> {
    let account_id = caller.account_id();
    match (params.inbox_id, params.contact_id) {
        (Some(inbox_id), Some(contact_id)) => {
            let inbox = inboxes::find(conn, account_id, inbox_id)?.ok_or(ApiError::NotFound)?;
            require_inbox(conn, caller, inbox.id)?;
            let contact = contacts::find(conn, account_id, contact_id)?.ok_or(ApiError::NotFound)?;
            if let Some(source_id) = params.source_id.as_deref().filter(|s| !s.is_empty())
                && let Some(existing) = contacts::find_contact_inbox(conn, inbox.id, source_id)?
            {
                return if existing.contact_id == contact.id {
                    Ok(existing)
                } else {
                    Err(ApiError::Unprocessable("source_id should be unique".into()))
                };
            }
            if params.source_id.is_none()
                && let Some(existing) = contacts::contact_inbox_of(conn, contact.id, inbox.id)?
            {
                return Ok(existing);
            }
            add_to_inbox(conn, &contact, &inbox, params.source_id.clone(), false)
        }
        _ => {
            let source_id = params.source_id.as_deref().unwrap_or_default();
            let found = contacts::find_contact_inbox_by_source(conn, account_id, source_id)?
                .ok_or(ApiError::NotFound)?;
            require_inbox(conn, caller, found.inbox_id)?;
            Ok(found)
        }
    }
}

/// Tell the event recorder which user acts in this write: Chatwoot does not notify an agent
/// who assigned a conversation to themselves.
fn note_actor(conn: &Connection, caller: &ConversationCaller) -> ApiResult<()> {
    if let Some(member) = caller.member() {
        crate::db::events::note_actor(conn, member.user.id)?;
    }
    Ok(())
}

/// Create a conversation (or return the open one of a single-conversation inbox).
pub fn create(
    conn: &Connection,
    caller: &ConversationCaller,
    params: NewConversation,
) -> ApiResult<(Conversation, Option<MessageParams>)> {
    let account_id = caller.account_id();
    note_actor(conn, caller)?;
    let contact_inbox = contact_inbox_for(conn, caller, &params)?;
    let inbox = inboxes::find(conn, account_id, contact_inbox.inbox_id)?.ok_or(ApiError::NotFound)?;
    if inbox.lock_to_single_conversation
        && let Some(existing) = conversations::latest_for_contact_inbox(conn, contact_inbox.id)?
        && existing.status != status::RESOLVED
    {
        return Ok((existing, None));
    }
    let contact = contacts::find(conn, account_id, contact_inbox.contact_id)?.ok_or(ApiError::NotFound)?;
    let initial = match params.status.as_deref() {
        Some(name) => parse_status(name)?,
        None if contact.blocked => status::RESOLVED,
        None if inboxes::agent_bot_id(conn, inbox.id)?.is_some() => status::PENDING,
        None => status::OPEN,
    };
    if let Some(user_id) = params.assignee_id
        && !agents::is_member(conn, account_id, user_id)?
    {
        return Err(ApiError::invalid(
            "assignee",
            "Assignee must be a member of the account",
        ));
    }
    if let Some(team_id) = params.team_id {
        teams::find(conn, account_id, 0, team_id)?
            .ok_or_else(|| ApiError::invalid("team", "Team must exist"))?;
    }
    let draft = Conversation {
        id: 0,
        account_id,
        inbox_id: inbox.id,
        contact_id: contact.id,
        contact_inbox_id: Some(contact_inbox.id),
        display_id: 0,
        uuid: String::new(),
        status: initial,
        priority: None,
        assignee_id: params.assignee_id,
        assignee_agent_bot_id: None,
        team_id: params.team_id,
        snoozed_until: (initial == status::SNOOZED)
            .then(|| params.snoozed_until.map(|s| s.saturating_mul(1000)))
            .flatten(),
        agent_last_seen_at: None,
        assignee_last_seen_at: None,
        contact_last_seen_at: None,
        first_reply_created_at: None,
        waiting_since: None,
        last_activity_at: 0,
        additional_attributes: params.additional_attributes.unwrap_or_default(),
        custom_attributes: params.custom_attributes.unwrap_or_default(),
        created_at: 0,
        updated_at: 0,
    };
    let mut conversation = conversations::insert(conn, &draft)?;
    conversation.waiting_since = Some(conversation.created_at);
    let conversation = conversations::update(conn, &conversation)?;
    Ok((conversation, params.message))
}

/// Open a conversation a contact starts (the Client API and the website widget): resolved
/// for a blocked contact, pending while an agent bot runs the inbox, open otherwise; waiting
/// since its creation.
pub fn open_for_contact(
    conn: &Connection,
    inbox: &inboxes::Inbox,
    contact: &contacts::Contact,
    contact_inbox_id: i64,
    additional_attributes: Map<String, Value>,
    custom_attributes: Map<String, Value>,
) -> ApiResult<Conversation> {
    let initial = if contact.blocked {
        status::RESOLVED
    } else if inboxes::agent_bot_id(conn, inbox.id)?.is_some() {
        status::PENDING
    } else {
        status::OPEN
    };
    let draft = Conversation {
        id: 0,
        account_id: inbox.account_id,
        inbox_id: inbox.id,
        contact_id: contact.id,
        contact_inbox_id: Some(contact_inbox_id),
        display_id: 0,
        uuid: String::new(),
        status: initial,
        priority: None,
        assignee_id: None,
        assignee_agent_bot_id: None,
        team_id: None,
        snoozed_until: None,
        agent_last_seen_at: None,
        assignee_last_seen_at: None,
        contact_last_seen_at: None,
        first_reply_created_at: None,
        waiting_since: None,
        last_activity_at: 0,
        additional_attributes,
        custom_attributes,
        created_at: 0,
        updated_at: 0,
    };
    let mut c = conversations::insert(conn, &draft)?;
    c.waiting_since = Some(c.created_at);
    Ok(conversations::update(conn, &c)?)
}

/// Outcome of a status toggle, for the response.
#[derive(Debug)]
pub struct StatusChange {
    pub conversation: Conversation,
    /// `None` for a bot handing a pending conversation over to humans.
    pub success: Option<bool>,
}

/// `toggle_status`: explicit status, or open ↔ resolved; snooze time in unix seconds. An agent
/// reopening a conversation is assigned to it (Chatwoot's controller does that).
pub fn toggle_status(
    conn: &Connection,
    caller: &ConversationCaller,
    c: Conversation,
    wanted: Option<i64>,
    snoozed_until: Option<i64>,
    base_url: &str,
) -> ApiResult<StatusChange> {
    change_status(conn, caller, c, wanted, snoozed_until, base_url, true)
}

/// A status change as Chatwoot's model update makes it (bulk actions, macros, automation):
/// [`toggle_status`] without the agent's self-assignment.
pub fn set_status(
    conn: &Connection,
    caller: &ConversationCaller,
    c: Conversation,
    status: i64,
    snoozed_until: Option<i64>,
    base_url: &str,
) -> ApiResult<StatusChange> {
    change_status(conn, caller, c, Some(status), snoozed_until, base_url, false)
}

fn change_status(
    conn: &Connection,
    caller: &ConversationCaller,
    mut c: Conversation,
    wanted: Option<i64>,
    snoozed_until: Option<i64>,
    base_url: &str,
    self_assign: bool,
) -> ApiResult<StatusChange> {
    note_actor(conn, caller)?;
    let previous = c.status;
    let next = wanted.unwrap_or(if previous == status::OPEN {
        status::RESOLVED
    } else {
        status::OPEN
    });
    c.status = next;
    c.snoozed_until = if next == status::SNOOZED {
        snoozed_until.map(|s| s.saturating_mul(1000))
    } else {
        None
    };
    if next == status::RESOLVED {
        c.waiting_since = None;
    }
    let actor = caller.display_name();
    let handoff = matches!(caller, ConversationCaller::Bot { .. })
        && previous == status::PENDING
        && next == status::OPEN;
    if let Some(member) = caller.member().filter(|_| self_assign)
        && next == status::OPEN
        && member.account_user.role == Role::Agent
        && c.assignee_id != Some(member.user.id)
    {
        c.assignee_id = Some(member.user.id);
        c.assignee_agent_bot_id = None;
        add_activity(
            conn,
            &c,
            &texts::assignee_activity(&actor, Some(member.user.id), Some((member.user.id, &actor))),
        )?;
    }
    let c = conversations::update(conn, &c)?;
    if previous != next
        && let Some(text) = texts::status_activity(next, Some(&actor))
    {
        add_activity(conn, &c, &text)?;
    }
    after_status_change(conn, &c, previous, handoff, base_url)?;
    Ok(StatusChange {
        conversation: c,
        success: if handoff { None } else { Some(true) },
    })
}

/// After a saved status change of `c` from `previous` (and its activity message): the
/// reporting events and, on a resolution, the CSAT survey. Every path that can resolve a
/// conversation (toggle, mute, the contact through the Client API) ends here, so neither is
/// forgotten; `bot_handoff` marks a bot opening a pending conversation.
pub fn after_status_change(
    conn: &Connection,
    c: &Conversation,
    previous: i64,
    bot_handoff: bool,
    base_url: &str,
) -> ApiResult<()> {
    crate::services::reporting_events::status_changed(conn, c, previous, bot_handoff)?;
    if previous != c.status && c.status == status::RESOLVED {
        crate::services::csat::on_resolved(conn, c, base_url)?;
    }
    Ok(())
}

/// Mute (block the contact and resolve) or unmute, with the activity message.
pub fn set_muted(
    conn: &Connection,
    caller: &ConversationCaller,
    mut c: Conversation,
    muted: bool,
) -> ApiResult<()> {
    let mut contact = contacts::find(conn, c.account_id, c.contact_id)?.ok_or(ApiError::NotFound)?;
    contact.blocked = muted;
    contacts::save(conn, &contact)?;
    let actor = caller.display_name();
    if muted {
        let previous = c.status;
        c.status = status::RESOLVED;
        c.waiting_since = None;
        let c = conversations::update(conn, &c)?;
        add_activity(conn, &c, &format!("{actor} has muted the conversation"))?;
        after_status_change(conn, &c, previous, false, &caller.viewer().base_url)?;
    } else {
        add_activity(conn, &c, &format!("{actor} has unmuted the conversation"))?;
    }
    Ok(())
}

/// An agent bot could not be reached: a pending conversation is opened for humans, with
/// Chatwoot's activity message.
pub fn open_after_bot_error(conn: &Connection, conversation_id: i64, base_url: &str) -> ApiResult<()> {
    let Some(mut c) = conversations::find_by_id(conn, conversation_id)? else {
        return Ok(());
    };
    if c.status != status::PENDING {
        return Ok(());
    }
    c.status = status::OPEN;
    let c = conversations::update(conn, &c)?;
    add_activity(
        conn,
        &c,
        "Conversation was marked open by system due to an error with the agent bot.",
    )?;
    after_status_change(conn, &c, status::PENDING, false, base_url)
}

/// Set or clear the priority, with its activity message.
pub fn set_priority(
    conn: &Connection,
    caller: &ConversationCaller,
    mut c: Conversation,
    priority: Option<i64>,
) -> ApiResult<Conversation> {
    let name = |p: Option<i64>| {
        p.and_then(|p| usize::try_from(p).ok())
            .and_then(|i| PRIORITIES.get(i).copied())
    };
    let text = texts::priority_activity(&caller.display_name(), name(c.priority), name(priority));
    c.priority = priority;
    let c = conversations::update(conn, &c)?;
    if let Some(text) = text {
        add_activity(conn, &c, &text)?;
    }
    Ok(c)
}

/// Replace the labels, writing "added"/"removed" activities.
pub fn set_labels(
    conn: &Connection,
    caller: &ConversationCaller,
    c: &Conversation,
    labels: &[String],
) -> ApiResult<Vec<String>> {
    let before = conversations::labels(conn, c.id)?;
    conversations::set_labels(conn, c.id, labels)?;
    let after = conversations::labels(conn, c.id)?;
    for text in texts::label_activities(&caller.display_name(), &before, &after) {
        add_activity(conn, c, &text)?;
    }
    Ok(after)
}

/// What `POST assignments` did.
#[derive(Debug)]
pub enum Assigned {
    Agent(Box<agents::Agent>),
    Bot(Box<crate::db::agent_bots::AgentBot>),
    Team(Box<teams::Team>),
    Nobody,
}

/// `POST assignments`: `{team_id}`, `{assignee_type: "AgentBot", assignee_id}` or `{assignee_id}`.
pub fn assign(
    conn: &Connection,
    caller: &ConversationCaller,
    mut c: Conversation,
    body: &Map<String, Value>,
) -> ApiResult<Assigned> {
    note_actor(conn, caller)?;
    let actor = caller.display_name();
    let actor_id = caller.member().map(|m| m.user.id);
    let id_of = |key: &str| match body.get(key) {
        Some(Value::Number(n)) => n.as_i64(),
        Some(Value::String(s)) => s.trim().parse().ok(),
        _ => None,
    };
    if body.contains_key("team_id") {
        let old_team = c
            .team_id
            .and_then(|id| teams::find(conn, c.account_id, 0, id).ok().flatten());
        let team = id_of("team_id")
            .map(|id| teams::find(conn, c.account_id, actor_id.unwrap_or(0), id))
            .transpose()?
            .flatten();
        c.team_id = team.as_ref().map(|t| t.id);
        if let (Some(team), Some(assignee)) = (&team, c.assignee_id)
            && !conversations::is_team_member(conn, team.id, assignee)?
        {
            c.assignee_id = None;
        }
        let c = conversations::update(conn, &c)?;
        if let Some(text) = texts::team_activity(
            &actor,
            team.as_ref().map(|t| t.name.as_str()),
            old_team.as_ref().map(|t| t.name.as_str()),
        ) {
            add_activity(conn, &c, &text)?;
        }
        return Ok(team.map_or(Assigned::Nobody, |t| Assigned::Team(Box::new(t))));
    }
    if body.get("assignee_type").and_then(Value::as_str) == Some("AgentBot") {
        let bot = id_of("assignee_id")
            .map(|id| crate::db::agent_bots::find_visible(conn, c.account_id, id))
            .transpose()?
            .flatten();
        let bot = bot.ok_or(ApiError::NotFound)?;
        c.assignee_id = None;
        c.assignee_agent_bot_id = Some(bot.id);
        let c = conversations::update(conn, &c)?;
        add_activity(conn, &c, &format!("Assigned to {} by {actor}", bot.name))?;
        return Ok(Assigned::Bot(Box::new(bot)));
    }
    if !body.contains_key("assignee_id") {
        return Ok(Assigned::Nobody);
    }
    let agent = id_of("assignee_id")
        .map(|id| agents::find(conn, c.account_id, id))
        .transpose()?
        .flatten();
    let changed = c.assignee_id != agent.as_ref().map(|a| a.id);
    c.assignee_id = agent.as_ref().map(|a| a.id);
    if agent.is_some() {
        c.assignee_agent_bot_id = None;
    }
    let c = conversations::update(conn, &c)?;
    if changed {
        add_activity(
            conn,
            &c,
            &texts::assignee_activity(&actor, actor_id, agent.as_ref().map(|a| (a.id, a.name.as_str()))),
        )?;
    }
    Ok(agent.map_or(Assigned::Nobody, |a| Assigned::Agent(Box::new(a))))
}

/// Whether the caller may see an inbox of the account: administrators and bots always, agents
/// when they are members of it.
pub fn can_see_inbox(conn: &Connection, caller: &ConversationCaller, inbox_id: i64) -> ApiResult<bool> {
    Ok(match caller.member() {
        None => true,
        Some(member) => member.is_admin() || inboxes::is_member(conn, inbox_id, member.user.id)?,
    })
}

/// [`can_see_inbox`], or Chatwoot's policy denial (401).
pub fn require_inbox(conn: &Connection, caller: &ConversationCaller, inbox_id: i64) -> ApiResult<()> {
    if can_see_inbox(conn, caller, inbox_id)? {
        Ok(())
    } else {
        Err(ApiError::Forbidden)
    }
}

/// [`require_inbox`] for a member of the account.
pub fn require_member_inbox(conn: &Connection, member: &AccountMember, inbox_id: i64) -> ApiResult<()> {
    if member.is_admin() || inboxes::is_member(conn, inbox_id, member.user.id)? {
        Ok(())
    } else {
        Err(ApiError::Forbidden)
    }
}

/// Whether the caller may open the conversation: administrators and bots always; agents
/// through inbox membership or a team of the conversation.
pub fn can_view(conn: &Connection, caller: &ConversationCaller, c: &Conversation) -> ApiResult<bool> {
    let Some(member) = caller.member() else {
        return Ok(true);
    };
    if can_see_inbox(conn, caller, c.inbox_id)? {
        return Ok(true);
    }
    Ok(match c.team_id {
        Some(team_id) => conversations::is_team_member(conn, team_id, member.user.id)?,
        None => false,
    })
}
