//! Conversation JSON (app/views/api/v1/conversations/partials/_conversation.json.jbuilder).

use serde_json::{Value, json};

use crate::db::conversations::Conversation;
use crate::domain::conversations::{PRIORITIES, STATUSES};
use crate::domain::custom_attributes::enum_name;
use crate::domain::timestamps::{iso_opt, secs};
use crate::services::conversation_loader::Related;
use crate::views;

/// Integer seconds, 0 when unset (Chatwoot's nullable REST timestamps).
fn secs_or_zero(ms: Option<i64>) -> i64 {
    ms.map_or(0, secs)
}

/// Full conversation JSON.
pub fn conversation(c: &Conversation, related: &Related) -> Value {
    let contact = related.contacts.get(&c.contact_id);
    let mut meta = json!({
        "sender": contact.map(|contact| views::contact::contact(contact, None)),
        "channel": related.channel_types.get(&c.inbox_id),
        "hmac_verified": false,
    });
    if let Some(map) = meta.as_object_mut() {
        if let Some(agent) = c.assignee_id.and_then(|id| related.agents.get(&id)) {
            map.insert("assignee".into(), views::agent::agent(agent));
            map.insert("assignee_type".into(), Value::from("User"));
        } else if let Some(bot) = c.assignee_agent_bot_id.and_then(|id| related.bots.get(&id)) {
            map.insert(
                "assignee".into(),
                json!({"id": bot.id, "name": bot.name, "description": bot.description, "thumbnail": "",
                       "outgoing_url": bot.outgoing_url, "bot_type": "webhook"}),
            );
            map.insert("assignee_type".into(), Value::from("AgentBot"));
        }
        if let Some(team) = c.team_id.and_then(|id| related.teams.get(&id)) {
            map.insert("team".into(), views::team::team(team));
        }
    }
    let latest: Vec<Value> = related
        .latest
        .get(&c.id)
        .map(|m| views::message::push(m, related))
        .into_iter()
        .collect();
    json!({
        "meta": meta,
        "id": c.display_id,
        "messages": latest,
        "account_id": c.account_id,
        "uuid": c.uuid,
        "additional_attributes": c.additional_attributes,
        "agent_last_seen_at": secs_or_zero(c.agent_last_seen_at),
        "assignee_last_seen_at": secs_or_zero(c.assignee_last_seen_at),
        "can_reply": true,
        "contact_last_seen_at": secs_or_zero(c.contact_last_seen_at),
        "custom_attributes": c.custom_attributes,
        "inbox_id": c.inbox_id,
        "labels": related.labels.get(&c.id).cloned().unwrap_or_default(),
        "muted": contact.is_some_and(|contact| contact.blocked),
        "snoozed_until": iso_opt(c.snoozed_until),
        "status": enum_name(STATUSES, c.status),
        "created_at": secs(c.created_at),
        "updated_at": c.updated_at as f64 / 1000.0,
        "timestamp": secs(c.last_activity_at),
        "first_reply_created_at": secs_or_zero(c.first_reply_created_at),
        "unread_count": related.unread.get(&c.id).copied().unwrap_or(0),
        "last_non_activity_message": related.latest_non_activity.get(&c.id).map(|m| views::message::push(m, related)),
        "last_activity_at": secs(c.last_activity_at),
        "priority": c.priority.map(|p| enum_name(PRIORITIES, p)),
        "waiting_since": secs_or_zero(c.waiting_since),
        "sla_policy_id": Value::Null,
    })
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
