//! Webhook event names.

/// Events an account webhook may subscribe to.
pub const EVENTS: &[&str] = &[
    "conversation_created",
    "conversation_updated",
    "conversation_status_changed",
    "conversation_typing_on",
    "conversation_typing_off",
    "message_created",
    "message_updated",
    "contact_created",
    "contact_updated",
    "webwidget_triggered",
    "inbox_created",
    "inbox_updated",
];

/// Subscriptions of a webhook created without any (Chatwoot's column default).
pub const DEFAULT_SUBSCRIPTIONS: &[&str] = &[
    "conversation_status_changed",
    "conversation_updated",
    "conversation_created",
    "contact_created",
    "contact_updated",
    "message_created",
    "message_updated",
    "webwidget_triggered",
];

/// Whether every name is a known event and there is at least one.
pub fn valid_subscriptions(names: &[String]) -> bool {
    !names.is_empty() && names.iter().all(|name| EVENTS.contains(&name.as_str()))
}
