//! Account feature flags: the names Chatwoot knows and the ones a new account starts with.

/// Every feature name accepted in `features: {name: bool}`.
pub const KNOWN: &[&str] = &[
    "inbound_emails",
    "channel_email",
    "channel_facebook",
    "channel_twitter",
    "ip_lookup",
    "disable_branding",
    "email_continuity_on_api_channel",
    "help_center",
    "agent_bots",
    "macros",
    "agent_management",
    "team_management",
    "inbox_management",
    "labels",
    "custom_attributes",
    "automations",
    "canned_responses",
    "integrations",
    "voice_recorder",
    "mobile_v2",
    "channel_website",
    "campaigns",
    "reports",
    "crm",
    "auto_resolve_conversations",
    "custom_reply_email",
    "custom_reply_domain",
    "audit_logs",
    "response_bot",
    "message_reply_to",
    "insert_article_in_reply",
    "inbox_view",
    "sla",
    "help_center_embedding_search",
    "linear_integration",
    "captain_integration",
    "custom_roles",
    "chatwoot_v4",
    "report_v4",
    "contact_chatwoot_support_team",
    "shopify_integration",
    "search_with_gin",
    "channel_instagram",
    "crm_integration",
    "channel_voice",
    "notion_integration",
    "csat_review_notes",
];

/// Enabled on every new account (Chatwoot's features.yml entries marked `enabled: true`).
pub const DEFAULT_ENABLED: &[&str] = &[
    "inbound_emails",
    "channel_email",
    "channel_facebook",
    "channel_twitter",
    "ip_lookup",
    "email_continuity_on_api_channel",
    "help_center",
    "agent_bots",
    "macros",
    "agent_management",
    "team_management",
    "inbox_management",
    "labels",
    "custom_attributes",
    "automations",
    "canned_responses",
    "integrations",
    "voice_recorder",
    "mobile_v2",
    "channel_website",
    "campaigns",
    "reports",
    "crm",
    "auto_resolve_conversations",
    "custom_reply_email",
    "custom_reply_domain",
    "audit_logs",
    "message_reply_to",
    "insert_article_in_reply",
    "inbox_view",
    "chatwoot_v4",
    "report_v4",
    "channel_instagram",
];

/// `{"name": true, …}` for the default set.
pub fn defaults() -> serde_json::Map<String, serde_json::Value> {
    DEFAULT_ENABLED
        .iter()
        .map(|name| ((*name).to_string(), serde_json::Value::Bool(true)))
        .collect()
}

/// Apply `{name: truthy}` changes onto the enabled set; unknown names are an error.
pub fn apply(
    enabled: &mut serde_json::Map<String, serde_json::Value>,
    changes: &serde_json::Map<String, serde_json::Value>,
) -> Result<(), String> {
    for (name, value) in changes {
        if !KNOWN.contains(&name.as_str()) {
            return Err(format!("Features {name} is not a known feature"));
        }
        if is_present(value) {
            enabled.insert(name.clone(), serde_json::Value::Bool(true));
        } else {
            enabled.remove(name);
        }
    }
    Ok(())
}

/// Rails' `present?` on a JSON value as sent by clients (`false`, `"false"`, `""`, `null` → off).
fn is_present(value: &serde_json::Value) -> bool {
    match value {
        serde_json::Value::Null => false,
        serde_json::Value::Bool(b) => *b,
        serde_json::Value::String(s) => !(s.is_empty() || s == "false" || s == "0"),
        serde_json::Value::Number(n) => n.as_i64() != Some(0),
        _ => true,
    }
}
