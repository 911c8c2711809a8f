//! Macro rules: the actions a macro may hold (Chatwoot's `Macro::ACTIONS_ATTRS`), visibility,
//! and validation errors keyed by attribute as Chatwoot renders them
//! (`{"actions": ["Macro execution actions foo not supported."]}`).

use serde_json::{Map, Value};

/// Actions a macro can run.
pub const ACTIONS: &[&str] = &[
    "send_message",
    "add_label",
    "assign_team",
    "assign_agent",
    "mute_conversation",
    "change_status",
    "remove_label",
    "remove_assigned_team",
    "resolve_conversation",
    "snooze_conversation",
    "change_priority",
    "send_email_transcript",
    "send_attachment",
    "add_private_note",
];

/// `visibility` values by their stored index: personal (only its creator) and global.
pub const VISIBILITIES: &[&str] = &["personal", "global"];

/// Stored index of `global`.
pub const GLOBAL: i64 = 1;

/// Attribute → messages, rendered as Chatwoot's `errors.messages`.
pub type Errors = Map<String, Value>;

fn add(errors: &mut Errors, attribute: &str, message: String) {
    if let Value::Array(list) = errors
        .entry(attribute.to_string())
        .or_insert_with(|| Value::Array(Vec::new()))
    {
        list.push(Value::String(message));
    }
}

/// The stored index of a visibility name; `None` for an unknown one.
pub fn visibility_index(name: &str) -> Option<i64> {
    VISIBILITIES
        .iter()
        .position(|v| *v == name)
        .and_then(|i| i64::try_from(i).ok())
}

/// Check a macro's name and actions (an array of `{action_name, action_params}`).
pub fn validate(name: &str, actions: &Value) -> Result<(), Errors> {
    let mut errors = Errors::new();
    if name.trim().is_empty() {
        add(&mut errors, "name", "can't be blank".into());
    }
    match actions.as_array() {
        None => add(&mut errors, "actions", "must be an array".into()),
        Some(list) => {
            let unknown: Vec<String> = list
                .iter()
                .map(|a| {
                    a.get("action_name")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .to_string()
                })
                .filter(|n| !ACTIONS.contains(&n.as_str()))
                .collect();
            if !unknown.is_empty() {
                add(
                    &mut errors,
                    "actions",
                    format!("Macro execution actions {} not supported.", unknown.join(",")),
                );
            }
            if list.iter().any(|a| {
                a.get("action_params")
                    .is_some_and(|p| !(p.is_array() || p.is_null()))
            }) {
                add(
                    &mut errors,
                    "actions",
                    "Macro action params must be an array.".into(),
                );
            }
        }
    }
    if errors.is_empty() { Ok(()) } else { Err(errors) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn table() {
        let cases: &[(&str, Value, Option<Value>)] = &[
            (
                "m",
                json!([{"action_name": "add_label", "action_params": ["x"]}]),
                None,
            ),
            ("m", json!([]), None),
            (
                "m",
                json!([{"action_name": "resolve_conversation", "action_params": null}]),
                None,
            ),
            ("", json!([]), Some(json!({"name": ["can't be blank"]}))),
            (
                "m",
                json!([{"action_name": "explode"}, {"action_name": "send_webhook_event"}]),
                Some(
                    json!({"actions": ["Macro execution actions explode,send_webhook_event not supported."]}),
                ),
            ),
            ("m", json!("x"), Some(json!({"actions": ["must be an array"]}))),
            (
                "m",
                json!([{"action_name": "add_label", "action_params": {"a": 1}}]),
                Some(json!({"actions": ["Macro action params must be an array."]})),
            ),
        ];
        for (name, actions, expected) in cases {
            let got = validate(name, actions).err().map(Value::Object);
            assert_eq!(&got, expected, "{name} {actions}");
        }
        assert_eq!(visibility_index("global"), Some(GLOBAL));
        assert_eq!(visibility_index("public"), None);
    }
}
