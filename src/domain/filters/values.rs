//! Reading filter values: text, integers and dates from JSON, and SQL text helpers.

use serde_json::Value;

pub(super) fn invalid_value(key: &str) -> String {
    format!("Invalid value. The values provided for {key} are invalid")
}

pub(super) fn text_of(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

pub(super) fn int_of(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// `YYYY-MM-DD` (optionally followed by a time) → the date part.
pub(super) fn date_of(value: &Value) -> Option<String> {
    let text = value.as_str()?;
    let date = text.get(..10)?;
    let bytes = date.as_bytes();
    let shape = bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes
            .iter()
            .enumerate()
            .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
    let month: u32 = date.get(5..7)?.parse().ok()?;
    let day: u32 = date.get(8..10)?.parse().ok()?;
    (shape && (1..=12).contains(&month) && (1..=31).contains(&day)).then(|| date.to_string())
}

pub(super) fn placeholders(n: usize) -> String {
    vec!["?"; n].join(", ")
}
