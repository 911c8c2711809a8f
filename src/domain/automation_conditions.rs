//! Whether an automation rule's conditions hold for an event: each condition compares one
//! fact (a conversation, contact or message attribute) with its values; conditions chain with
//! their `query_operator`, AND binding tighter than OR, as the SQL Chatwoot builds from them.

use serde_json::{Map, Value};

/// What a rule can look at: attribute key → value (labels as an array; absent → null), plus
/// the event's changed attributes (`key → (previous, current)`) for `attribute_changed`.
#[derive(Debug, Default, Clone)]
pub struct Facts {
    pub values: Map<String, Value>,
    pub changed: Map<String, Value>,
    /// Today's date as `YYYY-MM-DD`, for `days_before`.
    pub today: String,
}

/// Whether `conditions` hold. An empty list holds.
pub fn rule_matches(conditions: &[Value], facts: &Facts) -> bool {
    let mut any_group = false;
    let mut group = true;
    for (i, condition) in conditions.iter().enumerate() {
        group = group && condition_holds(condition, facts);
        let operator = condition
            .get("query_operator")
            .and_then(Value::as_str)
            .map(str::to_ascii_lowercase);
        let last = i + 1 == conditions.len();
        if operator.as_deref() == Some("or") || last {
            any_group = any_group || group;
            group = true;
        }
    }
    conditions.is_empty() || any_group
}

/// Text of a scalar for comparison (numbers and strings alike), lower-cased.
fn text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.to_lowercase()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// The fact's scalars (an array's items, or the value itself).
fn items(value: &Value) -> Vec<String> {
    match value {
        Value::Array(list) => list.iter().filter_map(text).collect(),
        other => text(other).into_iter().collect(),
    }
}

fn present(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::String(s) => !s.trim().is_empty(),
        Value::Array(list) => !list.is_empty(),
        Value::Object(map) => !map.is_empty(),
        _ => true,
    }
}

fn number(value: &Value) -> Option<f64> {
    match value {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// `YYYY-MM-DD` minus `days`, as text (dates compare as text in this form).
fn days_ago(today: &str, days: i64) -> Option<String> {
    let date: jiff::civil::Date = today.get(..10)?.parse().ok()?;
    date.checked_sub(jiff::Span::new().days(days))
        .ok()
        .map(|d| d.to_string())
}

fn condition_holds(condition: &Value, facts: &Facts) -> bool {
    let key = condition
        .get("attribute_key")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let operator = condition
        .get("filter_operator")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let raw_values = condition.get("values").cloned().unwrap_or(Value::Null);
    let values: Vec<String> = items(&raw_values);
    let fact = facts.values.get(key).unwrap_or(&Value::Null);
    let mine = items(fact);
    match operator {
        "equal_to" => mine.iter().any(|v| values.contains(v)),
        "not_equal_to" => !mine.iter().any(|v| values.contains(v)),
        "contains" => mine.iter().any(|v| values.iter().any(|w| v.contains(w.as_str()))),
        "does_not_contain" => !mine.iter().any(|v| values.iter().any(|w| v.contains(w.as_str()))),
        "starts_with" => mine
            .iter()
            .any(|v| values.iter().any(|w| v.starts_with(w.as_str()))),
        "is_present" => present(fact),
        "is_not_present" => !present(fact),
        "is_greater_than" | "is_less_than" => {
            let (Some(have), Some(want)) = (
                number(fact),
                raw_values.as_array().and_then(|v| v.first()).and_then(number),
            ) else {
                return false;
            };
            if operator == "is_greater_than" {
                have > want
            } else {
                have < want
            }
        }
        "days_before" => {
            let days = raw_values.as_array().and_then(|v| v.first()).and_then(number);
            match (fact.as_str(), days.and_then(|d| days_ago(&facts.today, d as i64))) {
                (Some(date), Some(limit)) => date.get(..10).is_some_and(|d| d < limit.as_str()),
                _ => false,
            }
        }
        "attribute_changed" => {
            let Some(change) = facts.changed.get(key) else {
                return false;
            };
            let side = |name: &str, at: &str| {
                let wanted = items(raw_values.get(name).unwrap_or(&Value::Null));
                wanted.is_empty()
                    || items(change.get(at).unwrap_or(&Value::Null))
                        .iter()
                        .any(|v| wanted.contains(v))
            };
            side("from", "previous_value") && side("to", "current_value")
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn facts() -> Facts {
        let values = json!({"content": "I need a Refund please", "status": "open", "labels": ["vip", "billing"],
            "priority": null, "inbox_id": 3, "plan_expires": "2026-01-01", "seats": 12, "email": ""});
        let changed = json!({"status": {"previous_value": "pending", "current_value": "open"}});
        Facts {
            values: values.as_object().cloned().unwrap_or_default(),
            changed: changed.as_object().cloned().unwrap_or_default(),
            today: "2026-12-02".into(),
        }
    }

    fn check(key: &str, operator: &str, values: Value) -> bool {
        rule_matches(
            &[
                json!({"attribute_key": key, "filter_operator": operator, "values": values, "query_operator": null}),
            ],
            &facts(),
        )
    }

    #[test]
    fn every_operator() {
        let table = [
            ("status", "equal_to", json!(["open"]), true),
            ("status", "equal_to", json!(["resolved"]), false),
            ("inbox_id", "equal_to", json!([3]), true),
            ("labels", "equal_to", json!(["vip"]), true),
            ("status", "not_equal_to", json!(["resolved"]), true),
            ("labels", "not_equal_to", json!(["vip"]), false),
            ("content", "contains", json!(["refund"]), true),
            ("content", "contains", json!(["invoice"]), false),
            ("content", "does_not_contain", json!(["invoice"]), true),
            ("content", "starts_with", json!(["i need"]), true),
            ("content", "starts_with", json!(["refund"]), false),
            ("priority", "is_present", json!([]), false),
            ("priority", "is_not_present", json!([]), true),
            ("email", "is_present", json!([]), false),
            ("labels", "is_present", json!([]), true),
            ("seats", "is_greater_than", json!([10]), true),
            ("seats", "is_less_than", json!([10]), false),
            ("plan_expires", "days_before", json!([30]), true),
            ("plan_expires", "days_before", json!([400]), false),
            (
                "status",
                "attribute_changed",
                json!({"from": ["pending"], "to": ["open"]}),
                true,
            ),
            (
                "status",
                "attribute_changed",
                json!({"from": ["resolved"], "to": ["open"]}),
                false,
            ),
            (
                "team_id",
                "attribute_changed",
                json!({"from": [], "to": []}),
                false,
            ),
            ("status", "no_such_operator", json!(["open"]), false),
        ];
        for (key, operator, values, expected) in table {
            assert_eq!(
                check(key, operator, values.clone()),
                expected,
                "{key} {operator} {values}"
            );
        }
    }

    #[test]
    fn and_binds_tighter_than_or() {
        let yes = |key: &str| json!({"attribute_key": key, "filter_operator": "is_present", "values": []});
        let no = |key: &str| json!({"attribute_key": key, "filter_operator": "is_present", "values": [], "query_operator": null});
        let with = |mut c: Value, op: &str| {
            c["query_operator"] = json!(op);
            c
        };
        // false AND true OR true → (false AND true) OR true → true
        assert!(rule_matches(
            &[
                with(no("priority"), "and"),
                with(yes("status"), "or"),
                yes("content")
            ],
            &facts()
        ));
        // true OR false AND false → true OR (false AND false) → true
        assert!(rule_matches(
            &[
                with(yes("status"), "or"),
                with(no("priority"), "and"),
                no("email")
            ],
            &facts()
        ));
        // true AND false → false
        assert!(!rule_matches(
            &[with(yes("status"), "and"), no("priority")],
            &facts()
        ));
        assert!(rule_matches(&[], &facts()));
    }
}
