//! Conversation JSON (app/views/api/v1/conversations/partials/_conversation.json.jbuilder).

use serde::Serialize;
use serde_json::value::RawValue;
use serde_json::{Map, Value, json};

use crate::views::message::PushView;

use crate::db::conversation_list::ListResult;
use crate::db::conversations::Conversation;
use crate::domain::conversations::{PRIORITIES, STATUSES};
use crate::domain::custom_attributes::enum_name;
use crate::domain::timestamps::{iso_opt, secs};
use crate::views;
use crate::views::related::Related;

/// Integer seconds, 0 when unset (Chatwoot's nullable REST timestamps).
fn secs_or_zero(ms: Option<i64>) -> i64 {
    ms.map_or(0, secs)
}

/// `meta` of a conversation: sender, channel and the assignee/team when set.
#[derive(Serialize)]
pub struct ConversationMeta<'a> {
    sender: Option<Value>,
    channel: Option<&'a String>,
    hmac_verified: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    assignee: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    assignee_type: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    team: Option<Value>,
}

/// Full conversation JSON, borrowed from the rows (serialized straight to the response).
#[derive(Serialize)]
pub struct ConversationView<'a> {
    meta: ConversationMeta<'a>,
    id: i64,
    messages: Vec<PushView<'a>>,
    account_id: i64,
    uuid: &'a str,
    additional_attributes: &'a Map<String, Value>,
    agent_last_seen_at: i64,
    assignee_last_seen_at: i64,
    can_reply: bool,
    contact_last_seen_at: i64,
    custom_attributes: &'a Map<String, Value>,
    inbox_id: i64,
    labels: &'a [String],
    muted: bool,
    snoozed_until: Value,
    status: &'static str,
    created_at: i64,
    updated_at: f64,
    timestamp: i64,
    first_reply_created_at: i64,
    unread_count: i64,
    last_non_activity_message: Option<PushView<'a>>,
    last_activity_at: i64,
    priority: Option<&'static str>,
    waiting_since: i64,
    sla_policy_id: Option<i64>,
}

/// The typed view of `c`; see [`conversation`].
pub fn view<'a>(c: &'a Conversation, related: &'a Related) -> ConversationView<'a> {
    let contact = related.contacts.get(&c.contact_id);
    let mut meta = ConversationMeta {
        sender: contact.map(|contact| views::contact::contact(contact, None)),
        channel: related.channel_types.get(&c.inbox_id),
        hmac_verified: false,
        assignee: None,
        assignee_type: None,
        team: c
            .team_id
            .and_then(|id| related.teams.get(&id))
            .map(views::team::team),
    };
    if let Some(agent) = c.assignee_id.and_then(|id| related.agents.get(&id)) {
        meta.assignee = Some(views::agent::agent(agent));
        meta.assignee_type = Some("User");
    } else if let Some(bot) = c.assignee_agent_bot_id.and_then(|id| related.bots.get(&id)) {
        meta.assignee = Some(views::agent_bot::slim(bot));
        meta.assignee_type = Some("AgentBot");
    }
    ConversationView {
        meta,
        id: c.display_id,
        messages: related
            .latest
            .get(&c.id)
            .map(|m| views::message::push_view(m, related))
            .into_iter()
            .collect(),
        account_id: c.account_id,
        uuid: &c.uuid,
        additional_attributes: &c.additional_attributes,
        agent_last_seen_at: secs_or_zero(c.agent_last_seen_at),
        assignee_last_seen_at: secs_or_zero(c.assignee_last_seen_at),
        can_reply: true,
        contact_last_seen_at: secs_or_zero(c.contact_last_seen_at),
        custom_attributes: &c.custom_attributes,
        inbox_id: c.inbox_id,
        labels: related.labels.get(&c.id).map_or(&[][..], Vec::as_slice),
        muted: contact.is_some_and(|contact| contact.blocked),
        snoozed_until: iso_opt(c.snoozed_until),
        status: enum_name(STATUSES, c.status),
        created_at: secs(c.created_at),
        updated_at: c.updated_at as f64 / 1000.0,
        timestamp: secs(c.last_activity_at),
        first_reply_created_at: secs_or_zero(c.first_reply_created_at),
        unread_count: related.unread.get(&c.id).copied().unwrap_or(0),
        last_non_activity_message: related
            .latest_non_activity
            .get(&c.id)
            .map(|m| views::message::push_view(m, related)),
        last_activity_at: secs(c.last_activity_at),
        priority: c.priority.map(|p| enum_name(PRIORITIES, p)),
        waiting_since: secs_or_zero(c.waiting_since),
        sla_policy_id: None,
    }
}

/// Full conversation JSON.
pub fn conversation(c: &Conversation, related: &Related) -> Value {
    serde_json::to_value(view(c, related)).unwrap_or(Value::Null)
}

/// The slim conversation of search results (app/views/api/v1/models/_conversation.json.jbuilder).
pub fn slim(c: &Conversation, related: &Related, messages: &[crate::db::messages::Message]) -> Value {
    let contact = related.contacts.get(&c.contact_id);
    let sender_name = |m: &crate::db::messages::Message| -> Value {
        views::message::sender(m, related)
            .and_then(|s| s.get("name").cloned())
            .unwrap_or(Value::Null)
    };
    json!({
        "id": c.display_id,
        "uuid": c.uuid,
        "created_at": secs(c.created_at),
        "contact": {"id": c.contact_id, "name": contact.map(|c| c.name.clone())},
        "inbox": {"id": c.inbox_id, "name": related.inbox_names.get(&c.inbox_id), "channel_type": related.channel_types.get(&c.inbox_id)},
        "messages": messages.iter().map(|m| json!({
            "content": m.content,
            "id": m.id,
            "sender_name": sender_name(m),
            "message_type": m.message_type,
            "created_at": secs(m.created_at),
        })).collect::<Vec<_>>(),
        "account_id": c.account_id,
    })
}

/// `toggle_status`'s answer: `{payload: {success, conversation_id, current_status, snoozed_until}}`.
pub fn status_toggled(success: Option<bool>, c: &Conversation) -> Value {
    json!({"payload": {
        "success": success,
        "conversation_id": c.display_id,
        "current_status": enum_name(STATUSES, c.status),
        "snoozed_until": iso_opt(c.snoozed_until),
    }})
}

/// `{custom_attributes}`: the stored hash after `POST …/custom_attributes`.
pub fn custom_attributes(stored: &Map<String, Value>) -> Value {
    json!({ "custom_attributes": stored })
}

/// A list's counts: `{mine_count, unassigned_count, all_count}`, plus `assigned_count` on the
/// index and meta endpoints (search and filter leave it out, as Chatwoot).
pub fn counts(result: &ListResult, with_assigned: bool) -> Value {
    let mut meta =
        json!({"mine_count": result.mine, "unassigned_count": result.unassigned, "all_count": result.all});
    if with_assigned && let Some(map) = meta.as_object_mut() {
        map.insert(
            "assigned_count".into(),
            Value::from(result.all - result.unassigned),
        );
    }
    meta
}

/// `{meta, payload}` of a conversation list, the rows already serialized (no `Value` tree).
#[derive(Serialize)]
pub struct Page {
    meta: Value,
    payload: Vec<Box<RawValue>>,
}

/// `{data: {meta, payload}}` of `GET conversations`.
#[derive(Serialize)]
pub struct DataPage {
    data: Page,
}

/// The page of a list: its counts and rendered rows.
pub fn page(result: &ListResult, with_assigned: bool, payload: Vec<Box<RawValue>>) -> Page {
    Page {
        meta: counts(result, with_assigned),
        payload,
    }
}

/// `GET conversations`' page, wrapped in `data`.
pub fn data_page(result: &ListResult, payload: Vec<Box<RawValue>>) -> DataPage {
    DataPage {
        data: page(result, true, payload),
    }
}
