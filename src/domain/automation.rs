//! Automation rule validation: events, condition keys and operators, action names. Errors are
//! keyed by attribute as Chatwoot renders them (`{"conditions": ["…"]}`).

use serde_json::{Map, Value};

/// Events a rule can listen to.
pub const EVENTS: &[&str] = &[
    "conversation_created",
    "conversation_updated",
    "conversation_opened",
    "conversation_resolved",
    "message_created",
];

/// Standard condition attribute keys.
pub const CONDITION_KEYS: &[&str] = &[
    "content",
    "email",
    "country_code",
    "status",
    "message_type",
    "browser_language",
    "assignee_id",
    "team_id",
    "referer",
    "city",
    "company",
    "inbox_id",
    "mail_subject",
    "phone_number",
    "priority",
    "conversation_language",
    "labels",
];

/// Condition operators.
pub const OPERATORS: &[&str] = &[
    "equal_to",
    "not_equal_to",
    "contains",
    "does_not_contain",
    "is_present",
    "is_not_present",
    "is_greater_than",
    "is_less_than",
    "days_before",
    "starts_with",
    "attribute_changed",
];

/// Action names.
pub const ACTIONS: &[&str] = &[
    "send_message",
    "add_private_note",
    "add_label",
    "remove_label",
    "assign_agent",
    "assign_team",
    "send_email_to_team",
    "send_webhook_event",
    "mute_conversation",
    "snooze_conversation",
    "resolve_conversation",
    "open_conversation",
    "change_status",
    "change_priority",
    "send_attachment",
    "send_email_transcript",
];

/// Attribute → messages, rendered as Chatwoot's `errors.messages`.
pub type Errors = Map<String, Value>;

fn add(errors: &mut Errors, attribute: &str, message: String) {
    let entry = errors
        .entry(attribute.to_string())
        .or_insert_with(|| Value::Array(Vec::new()));
    if let Value::Array(list) = entry {
        list.push(Value::String(message));
    }
}

/// Check a rule's parts; `custom_keys` are the account's custom attribute keys.
pub fn validate(
    name: &str,
    event_name: &str,
    conditions: &Value,
    actions: &Value,
    custom_keys: &[String],
) -> Result<(), Errors> {
    let mut errors = Errors::new();
    if name.trim().is_empty() {
        add(&mut errors, "name", "can't be blank".into());
    }
    // Chatwoot's model stores any event name; a rule for an event that never fires never runs.
    if event_name.trim().is_empty() {
        add(&mut errors, "event_name", "can't be blank".into());
    }
    check_conditions(conditions, custom_keys, &mut errors);
    check_actions(actions, &mut errors);
    if errors.is_empty() { Ok(()) } else { Err(errors) }
}

fn check_conditions(conditions: &Value, custom_keys: &[String], errors: &mut Errors) {
    let Some(list) = conditions.as_array().filter(|l| !l.is_empty()) else {
        add(errors, "conditions", "can't be blank".into());
        return;
    };
    let mut unknown = Vec::new();
    let mut missing_operator = 0;
    for condition in list {
        let key = condition
            .get("attribute_key")
            .and_then(Value::as_str)
            .unwrap_or("");
        if !(CONDITION_KEYS.contains(&key) || custom_keys.iter().any(|k| k == key)) {
            unknown.push(key.to_string());
        }
        let operator = condition
            .get("filter_operator")
            .and_then(Value::as_str)
            .unwrap_or("");
        if !OPERATORS.contains(&operator) {
            add(
                errors,
                "conditions",
                format!("Automation condition operator {operator} not supported."),
            );
        }
        match condition.get("query_operator") {
            None | Some(Value::Null) => missing_operator += 1,
            Some(Value::String(op)) if op.is_empty() => missing_operator += 1,
            Some(Value::String(op)) if op.eq_ignore_ascii_case("and") || op.eq_ignore_ascii_case("or") => {}
            Some(other) => add(
                errors,
                "conditions",
                format!("Query operator {other} must be either \"AND\" or \"OR\"."),
            ),
        }
    }
    if !unknown.is_empty() {
        add(
            errors,
            "conditions",
            format!("Automation conditions {} not supported.", unknown.join(",")),
        );
    }
    if missing_operator > 1 {
        add(
            errors,
            "conditions",
            "Automation conditions should have query operator.".into(),
        );
    }
}

fn check_actions(actions: &Value, errors: &mut Errors) {
    let Some(list) = actions.as_array().filter(|l| !l.is_empty()) else {
        add(errors, "actions", "can't be blank".into());
        return;
    };
    let unknown: Vec<String> = list
        .iter()
        .map(|action| {
            action
                .get("action_name")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string()
        })
        .filter(|name| !ACTIONS.contains(&name.as_str()))
        .collect();
    if !unknown.is_empty() {
        add(
            errors,
            "actions",
            format!("Automation actions {} not supported.", unknown.join(",")),
        );
    }
    // send_email_to_team takes `{team_ids, message}` or that object in a one-element array.
    if list.iter().any(|a| {
        let object_allowed = a.get("action_name").and_then(Value::as_str) == Some("send_email_to_team");
        a.get("action_params")
            .is_some_and(|p| !(p.is_array() || p.is_null() || (object_allowed && p.is_object())))
    }) {
        add(
            errors,
            "actions",
            "Automation action params must be an array.".into(),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn check(conditions: Value, actions: Value) -> Result<(), Errors> {
        validate(
            "rule",
            "message_created",
            &conditions,
            &actions,
            &["plan".to_string()],
        )
    }

    #[test]
    fn table() {
        let good_action = json!([{"action_name": "add_label", "action_params": ["x"]}]);
        let cond = |key: &str, op: &str, q: Value| json!({"attribute_key": key, "filter_operator": op, "values": ["a"], "query_operator": q});
        assert!(
            check(
                json!([cond("content", "contains", Value::Null)]),
                good_action.clone()
            )
            .is_ok()
        );
        assert!(
            check(
                json!([
                    cond("plan", "equal_to", json!("and")),
                    cond("status", "equal_to", Value::Null)
                ]),
                good_action.clone()
            )
            .is_ok()
        );
        let err = check(json!([cond("foo", "equal_to", Value::Null)]), good_action.clone())
            .expect_err("unknown key");
        assert_eq!(
            err["conditions"],
            json!(["Automation conditions foo not supported."])
        );
        assert!(check(json!([cond("status", "like", Value::Null)]), good_action.clone()).is_err());
        assert!(
            check(
                json!([cond("status", "equal_to", json!("XOR"))]),
                good_action.clone()
            )
            .is_err()
        );
        assert!(
            check(
                json!([
                    cond("status", "equal_to", Value::Null),
                    cond("status", "equal_to", Value::Null)
                ]),
                good_action.clone()
            )
            .is_err()
        );
        assert!(
            check(
                json!([cond("status", "equal_to", Value::Null)]),
                json!([{"action_name": "explode"}])
            )
            .is_err()
        );
        assert!(check(json!([]), good_action.clone()).is_err());
        let email = json!([{"action_name": "send_email_to_team", "action_params": {"team_ids": [1], "message": "m"}}]);
        assert!(check(json!([cond("status", "equal_to", Value::Null)]), email).is_ok());
        let labels_as_object = json!([{"action_name": "add_label", "action_params": {"x": 1}}]);
        assert!(check(json!([cond("status", "equal_to", Value::Null)]), labels_as_object).is_err());
        let unknown_event = validate(
            "r",
            "contact_created",
            &json!([cond("status", "equal_to", Value::Null)]),
            &good_action,
            &[],
        );
        assert!(unknown_event.is_ok(), "stored; it simply never fires");
    }
}
