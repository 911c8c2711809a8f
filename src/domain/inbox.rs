//! Inbox rules: supported channel types, working hours, enum names.

use serde_json::{Value, json};

/// A new web widget's settings, in Chatwoot's column order (colour, pre-chat form, features).
pub fn web_widget_defaults() -> Vec<(String, Value)> {
    [
        ("widget_color", Value::from("#1f93ff")),
        ("reply_time", Value::from(0)),
        ("hmac_mandatory", Value::Bool(false)),
        ("pre_chat_form_enabled", Value::Bool(false)),
        (
            "pre_chat_form_options",
            json!({"pre_chat_message": "Share your queries or comments here.", "pre_chat_fields": []}),
        ),
        ("continuity_via_email", Value::Bool(true)),
        (
            "selected_feature_flags",
            json!(["attachments", "emoji_picker", "end_conversation"]),
        ),
        ("allowed_domains", Value::from("")),
    ]
    .into_iter()
    .map(|(key, value)| (key.to_string(), value))
    .collect()
}

/// Channel types Parlor can create: `(request name, Chatwoot class name)`.
pub const CHANNEL_TYPES: &[(&str, &str)] = &[
    ("api", "Channel::Api"),
    ("web_widget", "Channel::WebWidget"),
    ("email", "Channel::Email"),
];

/// The class name for a `channel.type` sent by a client.
pub fn channel_class(kind: &str) -> Option<&'static str> {
    CHANNEL_TYPES
        .iter()
        .find(|(name, _)| *name == kind)
        .map(|(_, class)| *class)
}

/// `sender_name_type` names in enum order.
pub const SENDER_NAME_TYPES: &[&str] = &["friendly", "professional"];

/// Widget `reply_time` names in enum order.
pub const REPLY_TIMES: &[&str] = &["in_a_few_minutes", "in_a_few_hours", "in_a_day"];

/// Chatwoot's default week: Monday–Friday 9:00–17:00, weekends closed.
pub fn default_working_hours() -> Value {
    Value::Array(
        (0..7)
            .map(|day| {
                if day == 0 || day == 6 {
                    hours_entry(day, true, false, None)
                } else {
                    hours_entry(day, false, false, Some((9, 0, 17, 0)))
                }
            })
            .collect(),
    )
}

fn hours_entry(day: i64, closed: bool, all_day: bool, times: Option<(i64, i64, i64, i64)>) -> Value {
    let (oh, om, ch, cm) = match times {
        Some((oh, om, ch, cm)) => (json!(oh), json!(om), json!(ch), json!(cm)),
        None => (Value::Null, Value::Null, Value::Null, Value::Null),
    };
    json!({
        "day_of_week": day,
        "closed_all_day": closed,
        "open_hour": oh,
        "open_minutes": om,
        "close_hour": ch,
        "close_minutes": cm,
        "open_all_day": all_day,
    })
}

fn int_in(entry: &Value, key: &str, max: i64) -> Result<Option<i64>, String> {
    match entry.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(value) => value
            .as_i64()
            .filter(|v| (0..=max).contains(v))
            .map(Some)
            .ok_or_else(|| format!("Working hours {key} must be between 0 and {max}")),
    }
}

/// Merge `updates` (entries keyed by `day_of_week`) into `current`, validating each entry.
pub fn merge_working_hours(current: &Value, updates: &[Value]) -> Result<Value, String> {
    let mut week: Vec<Value> = match current {
        Value::Array(days) if days.len() == 7 => days.clone(),
        _ => match default_working_hours() {
            Value::Array(days) => days,
            _ => Vec::new(),
        },
    };
    for entry in updates {
        let day = entry
            .get("day_of_week")
            .and_then(Value::as_i64)
            .filter(|d| (0..7).contains(d))
            .ok_or("Working hours day_of_week must be between 0 and 6")?;
        let closed = entry
            .get("closed_all_day")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        let all_day = entry
            .get("open_all_day")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        let times = (
            int_in(entry, "open_hour", 23)?,
            int_in(entry, "open_minutes", 59)?,
            int_in(entry, "close_hour", 24)?,
            int_in(entry, "close_minutes", 59)?,
        );
        let slot = match (closed, all_day, times) {
            (true, _, _) => hours_entry(day, true, false, None),
            (false, true, _) => hours_entry(day, false, true, Some((0, 0, 23, 59))),
            (false, false, (Some(oh), om, Some(ch), cm)) => {
                let (om, cm) = (om.unwrap_or(0), cm.unwrap_or(0));
                if oh * 60 + om >= ch * 60 + cm {
                    return Err("Working hours closing time must be after opening time".into());
                }
                hours_entry(day, false, false, Some((oh, om, ch, cm)))
            }
            _ => {
                return Err(
                    "Working hours need open_hour and close_hour unless closed or open all day".into(),
                );
            }
        };
        if let Ok(index) = usize::try_from(day) {
            week[index] = slot;
        }
    }
    Ok(Value::Array(week))
}

/// An IANA-looking timezone name (`UTC`, `Europe/Berlin`, `America/Argentina/Buenos_Aires`).
pub fn valid_timezone(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '_' | '-' | '+'))
}

/// The embed snippet shown for a website inbox.
pub fn web_widget_script(base_url: &str, website_token: &str) -> String {
    format!(
        "\n    <script>\n      (function(d,t) {{\n        var BASE_URL=\"{base_url}\";\n        var g=d.createElement(t),s=d.getElementsByTagName(t)[0];\n        g.src=BASE_URL+\"/packs/js/sdk.js\";\n        g.defer = true;\n        g.async = true;\n        s.parentNode.insertBefore(g,s);\n        g.onload=function(){{\n          window.chatwootSDK.run({{\n            websiteToken: '{website_token}',\n            baseUrl: BASE_URL\n          }})\n        }}\n      }})(document,\"script\");\n    </script>\n    "
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_week() {
        let week = default_working_hours();
        assert_eq!(week[0]["closed_all_day"], true);
        assert_eq!(week[1]["open_hour"], 9);
        assert_eq!(week[5]["close_hour"], 17);
    }

    #[test]
    fn merge_validates() {
        let week = default_working_hours();
        let ok = merge_working_hours(
            &week,
            &[json!({"day_of_week": 0, "open_hour": 10, "close_hour": 12})],
        );
        assert_eq!(ok.expect("valid")[0]["open_hour"], 10);
        for bad in [
            json!({"day_of_week": 7, "closed_all_day": true}),
            json!({"day_of_week": 1, "open_hour": 25, "close_hour": 26}),
            json!({"day_of_week": 1, "open_hour": 12, "close_hour": 9}),
            json!({"day_of_week": 1}),
        ] {
            assert!(
                merge_working_hours(&week, std::slice::from_ref(&bad)).is_err(),
                "{bad}"
            );
        }
    }
}
