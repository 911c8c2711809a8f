//! Custom attribute definitions: display types, models, key rules.

/// `attribute_display_type` names in enum order.
pub const DISPLAY_TYPES: &[&str] = &[
    "text", "number", "currency", "percent", "link", "date", "list", "checkbox",
];

/// `attribute_model` names in enum order.
pub const MODELS: &[&str] = &["conversation_attribute", "contact_attribute"];

/// Standard conversation attributes a custom key may not shadow.
const CONVERSATION_RESERVED: &[&str] = &[
    "status",
    "priority",
    "assignee_id",
    "inbox_id",
    "team_id",
    "display_id",
    "campaign_id",
    "labels",
    "browser_language",
    "country_code",
    "referer",
    "created_at",
    "last_activity_at",
];

/// Standard contact attributes a custom key may not shadow.
const CONTACT_RESERVED: &[&str] = &[
    "name",
    "email",
    "phone_number",
    "identifier",
    "country_code",
    "city",
    "created_at",
    "last_activity_at",
    "referer",
    "blocked",
];

/// Parse an enum given by name or by its integer (as Rails accepts both).
pub fn parse_enum(names: &[&str], value: &serde_json::Value) -> Option<i64> {
    let index = match value {
        serde_json::Value::String(s) => names
            .iter()
            .position(|n| n == s)
            .or_else(|| s.parse::<usize>().ok().filter(|i| *i < names.len())),
        serde_json::Value::Number(n) => n
            .as_u64()
            .and_then(|i| usize::try_from(i).ok())
            .filter(|i| *i < names.len()),
        _ => None,
    };
    index.and_then(|i| i64::try_from(i).ok())
}

/// The name at an enum index, falling back to the first name.
pub fn enum_name<'a>(names: &[&'a str], index: i64) -> &'a str {
    usize::try_from(index)
        .ok()
        .and_then(|i| names.get(i))
        .or(names.first())
        .copied()
        .unwrap_or("")
}

/// Keys are letters, digits, `_` and `-` (they are used as JSON keys and in filter queries).
pub fn valid_key(key: &str) -> bool {
    !key.is_empty()
        && key.len() <= 255
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// Whether `key` names a standard attribute of `model`.
pub fn is_reserved(model: i64, key: &str) -> bool {
    let reserved = if model == 1 {
        CONTACT_RESERVED
    } else {
        CONVERSATION_RESERVED
    };
    reserved.contains(&key)
}
