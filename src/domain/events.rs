//! What Chatwoot announces and who hears it: event names, which receivers get which events,
//! how conversation and contact changes read as `changed_attributes`, and the retry schedule.

use serde_json::{Map, Value, json};

/// Events account webhooks may receive (and subscribe to).
pub use crate::domain::webhooks::EVENTS as WEBHOOK_EVENTS;

/// Events an API inbox's `webhook_url` receives: every conversation, message, typing and
/// widget event of that inbox, unfiltered; no contact or inbox events.
pub fn api_inbox_receives(name: &str) -> bool {
    name.starts_with("conversation_") || name.starts_with("message_") || name == "webwidget_triggered"
}

/// Events an agent bot (the inbox's or the conversation's) receives.
pub const BOT_EVENTS: &[&str] = &[
    "message_created",
    "message_updated",
    "conversation_opened",
    "conversation_resolved",
    "webwidget_triggered",
];

/// Conversation columns whose change makes a `conversation_updated` (Chatwoot's list, with
/// labels read as `label_list`).
pub const CONVERSATION_UPDATE_ATTRIBUTES: &[&str] = &[
    "status",
    "assignee_id",
    "assignee_agent_bot_id",
    "team_id",
    "snoozed_until",
    "custom_attributes",
    "label_list",
    "waiting_since",
    "first_reply_created_at",
    "priority",
    "additional_attributes",
];

/// `changed_attributes` as Chatwoot writes it: `[{"attr": {"previous_value", "current_value"}}]`
/// for every key whose value differs, in `before`'s order.
pub fn changed_attributes(before: &Map<String, Value>, after: &Map<String, Value>) -> Vec<Value> {
    before
        .iter()
        .filter_map(|(key, old)| {
            let new = after.get(key).unwrap_or(&Value::Null);
            (old != new).then(|| json!({ key.clone(): {"previous_value": old, "current_value": new} }))
        })
        .collect()
}

/// Whether a change list names any attribute that makes a `conversation_updated`.
pub fn announces_conversation_update(changed: &[Value]) -> bool {
    changed.iter().any(|change| {
        change
            .as_object()
            .and_then(|o| o.keys().next())
            .is_some_and(|key| CONVERSATION_UPDATE_ATTRIBUTES.contains(&key.as_str()))
    })
}

/// Delay before retry number `attempt` (1-based: after the first failure), in seconds: about
/// eight tries over a day, then the delivery is marked failed.
pub fn retry_delay_secs(attempt: i64) -> Option<i64> {
    const SCHEDULE: &[i64] = &[30, 120, 600, 1800, 3600, 3 * 3600, 6 * 3600, 12 * 3600];
    usize::try_from(attempt - 1)
        .ok()
        .and_then(|i| SCHEDULE.get(i).copied())
}

/// The most tries a delivery gets (the first plus the retries).
pub const MAX_ATTEMPTS: i64 = 9;

/// Who is typing in a conversation, kept in a typing event's `detail`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "type")]
pub enum Typer {
    /// An agent, in the reply box or in a private note.
    User { id: i64, is_private: bool },
    /// The contact, from the widget or the Client API.
    Contact { id: i64 },
}

impl Typer {
    /// The typer kept in `detail` (`None` for anything else).
    pub fn parse(detail: Option<&str>) -> Option<Typer> {
        serde_json::from_str(detail?).ok()
    }

    /// Chatwoot's `is_private` (an agent typing a private note).
    pub fn is_private(self) -> bool {
        matches!(self, Typer::User { is_private: true, .. })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changed_attributes_lists_only_what_moved() {
        let before = json!({"status": 0, "team_id": null, "priority": 1});
        let after = json!({"status": 1, "team_id": null, "priority": 1});
        let changed = changed_attributes(
            before.as_object().expect("object"),
            after.as_object().expect("object"),
        );
        assert_eq!(
            changed,
            vec![json!({"status": {"previous_value": 0, "current_value": 1}})]
        );
        assert!(announces_conversation_update(&changed));
        let only_time = vec![json!({"updated_at": {"previous_value": 1, "current_value": 2}})];
        assert!(!announces_conversation_update(&only_time));
    }

    #[test]
    fn retries_spread_over_a_day_then_stop() {
        let total: i64 = (1..MAX_ATTEMPTS).filter_map(retry_delay_secs).sum();
        assert!((20 * 3600..=26 * 3600).contains(&total), "{total}");
        assert_eq!(retry_delay_secs(MAX_ATTEMPTS), None);
        assert_eq!(retry_delay_secs(0), None);
    }

    #[test]
    fn receivers_by_event() {
        assert!(api_inbox_receives("conversation_typing_on"));
        let agent = Typer::User {
            id: 3,
            is_private: true,
        };
        let text = serde_json::to_string(&agent).expect("serializes");
        assert_eq!(Typer::parse(Some(&text)), Some(agent));
        assert!(agent.is_private());
        assert!(!Typer::Contact { id: 4 }.is_private());
        assert_eq!(Typer::parse(Some("{\"type\":\"Bot\"}")), None);
        assert!(api_inbox_receives("message_created"));
        assert!(!api_inbox_receives("contact_created"));
        assert!(!api_inbox_receives("inbox_updated"));
        assert!(BOT_EVENTS.contains(&"conversation_opened"));
        assert!(!BOT_EVENTS.contains(&"conversation_created"));
    }
}
