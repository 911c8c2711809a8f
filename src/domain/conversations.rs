//! Conversation and message enums, and the texts of activity messages.

/// `conversation.status` names in enum order.
pub const STATUSES: &[&str] = &["open", "resolved", "pending", "snoozed"];

/// `conversation.priority` names in enum order.
pub const PRIORITIES: &[&str] = &["low", "medium", "high", "urgent"];

/// `message.message_type` names in enum order.
pub const MESSAGE_TYPES: &[&str] = &["incoming", "outgoing", "activity", "template"];

/// `message.content_type` names in enum order.
pub const CONTENT_TYPES: &[&str] = &[
    "text",
    "input_text",
    "input_textarea",
    "input_email",
    "input_select",
    "cards",
    "form",
    "article",
    "incoming_email",
    "input_csat",
    "integrations",
    "sticker",
    "voice_call",
];

/// `message.status` names in enum order.
pub const MESSAGE_STATUSES: &[&str] = &["sent", "delivered", "read", "failed"];

/// Status codes.
pub mod status {
    pub const OPEN: i64 = 0;
    pub const RESOLVED: i64 = 1;
    pub const PENDING: i64 = 2;
    pub const SNOOZED: i64 = 3;
}

/// Message type codes.
pub mod message_type {
    pub const INCOMING: i64 = 0;
    pub const OUTGOING: i64 = 1;
    pub const ACTIVITY: i64 = 2;
    pub const TEMPLATE: i64 = 3;
}

/// Index of `name` in `names`.
pub fn index_of(names: &[&str], name: &str) -> Option<i64> {
    names
        .iter()
        .position(|n| *n == name)
        .and_then(|i| i64::try_from(i).ok())
}

/// The activity text for a status change made by `actor` (None for the system).
pub fn status_activity(new_status: i64, actor: Option<&str>) -> Option<String> {
    let actor = actor?;
    Some(match new_status {
        status::RESOLVED => format!("Conversation was marked resolved by {actor}"),
        status::OPEN => format!("Conversation was reopened by {actor}"),
        status::PENDING => format!("Conversation was marked as pending by {actor}"),
        _ => format!("Conversation was snoozed by {actor}"),
    })
}

/// The activity text for a priority change.
pub fn priority_activity(actor: &str, old: Option<&str>, new: Option<&str>) -> Option<String> {
    match (old, new) {
        (a, b) if a == b => None,
        (_, None) => Some(format!("{actor} removed the priority")),
        (None, Some(new)) => Some(format!("{actor} set the priority to {new}")),
        (Some(old), Some(new)) => Some(format!("{actor} changed the priority from {old} to {new}")),
    }
}

/// The activity text for an assignee change.
pub fn assignee_activity(actor: &str, actor_id: Option<i64>, assignee: Option<(i64, &str)>) -> String {
    match assignee {
        Some((id, _)) if Some(id) == actor_id => format!("{actor} self-assigned this conversation"),
        Some((_, name)) => format!("Assigned to {name} by {actor}"),
        None => format!("Conversation unassigned by {actor}"),
    }
}

/// The activity text for a team change.
pub fn team_activity(actor: &str, team: Option<&str>, old_team: Option<&str>) -> Option<String> {
    match (team, old_team) {
        (Some(team), _) => Some(format!("Assigned to {team} by {actor}")),
        (None, Some(old)) => Some(format!("Unassigned from {old} by {actor}")),
        (None, None) => None,
    }
}

/// The activity texts for a label change.
pub fn label_activities(actor: &str, before: &[String], after: &[String]) -> Vec<String> {
    let added: Vec<&str> = after
        .iter()
        .filter(|l| !before.contains(l))
        .map(String::as_str)
        .collect();
    let removed: Vec<&str> = before
        .iter()
        .filter(|l| !after.contains(l))
        .map(String::as_str)
        .collect();
    let mut texts = Vec::new();
    if !added.is_empty() {
        texts.push(format!("{actor} added {}", added.join(", ")));
    }
    if !removed.is_empty() {
        texts.push(format!("{actor} removed {}", removed.join(", ")));
    }
    texts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn activity_texts() {
        assert_eq!(
            status_activity(status::RESOLVED, Some("Ada")).as_deref(),
            Some("Conversation was marked resolved by Ada")
        );
        assert_eq!(status_activity(status::OPEN, None), None);
        assert_eq!(
            priority_activity("Ada", None, Some("high")).as_deref(),
            Some("Ada set the priority to high")
        );
        assert_eq!(
            priority_activity("Ada", Some("low"), Some("high")).as_deref(),
            Some("Ada changed the priority from low to high")
        );
        assert_eq!(
            priority_activity("Ada", Some("low"), None).as_deref(),
            Some("Ada removed the priority")
        );
        assert_eq!(
            assignee_activity("Ada", Some(1), Some((1, "Ada"))),
            "Ada self-assigned this conversation"
        );
        assert_eq!(
            assignee_activity("Ada", Some(1), Some((2, "Bo"))),
            "Assigned to Bo by Ada"
        );
        assert_eq!(
            assignee_activity("Ada", Some(1), None),
            "Conversation unassigned by Ada"
        );
        let texts = label_activities(
            "Ada",
            &["a".into(), "b".into()],
            &["b".into(), "c".into(), "d".into()],
        );
        assert_eq!(texts, ["Ada added c, d", "Ada removed a"]);
    }
}
