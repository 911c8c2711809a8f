//! Dashboard app content, validated as Chatwoot's JSON schema does: a non-empty array of
//! `{type: "frame", url}` where the url is an `http(s)://` URI.

use serde_json::{Map, Value};

/// Chatwoot's validation message (`errors.add(:content, ': Invalid data')`).
pub const INVALID: &str = "Content : Invalid data";

/// Whether `url` is an absolute http(s) URI with a host and nothing a URI may not hold.
fn sane_url(url: &str) -> bool {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    let Some(rest) = rest else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    !host.is_empty()
        && !url.chars().any(|c| {
            c.is_whitespace()
                || c.is_control()
                || matches!(c, '<' | '>' | '"' | '\\' | '^' | '`' | '{' | '|' | '}')
        })
}

/// The content as stored: each frame keeps only `type` and `url` (Chatwoot permits just
/// those); `None` when the schema refuses it.
pub fn content(value: &Value) -> Option<Vec<Value>> {
    let list = value.as_array().filter(|l| !l.is_empty())?;
    list.iter()
        .map(|item| {
            let kind = item.get("type")?.as_str().filter(|t| *t == "frame")?;
            let url = item.get("url")?.as_str().filter(|u| sane_url(u))?;
            let mut frame = Map::new();
            frame.insert("type".into(), Value::from(kind));
            frame.insert("url".into(), Value::from(url));
            Some(Value::Object(frame))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn table() {
        let ok = [
            json!([{"type": "frame", "url": "https://crm.example.com/x?id=1#top"}]),
            json!([{"type": "frame", "url": "http://localhost:3000", "extra": 1}]),
        ];
        for value in ok {
            assert!(content(&value).is_some(), "{value}");
        }
        let bad = [
            json!([]),
            json!({"type": "frame", "url": "https://a.test"}),
            json!([{"type": "link", "url": "https://a.test"}]),
            json!([{"type": "frame"}]),
            json!([{"type": "frame", "url": "javascript:alert(1)"}]),
            json!([{"type": "frame", "url": "https://"}]),
            json!([{"type": "frame", "url": "https://a.test/x y"}]),
            json!([{"type": "frame", "url": 7}]),
            json!("https://a.test"),
        ];
        for value in bad {
            assert!(content(&value).is_none(), "{value}");
        }
        assert_eq!(
            content(&json!([{"type": "frame", "url": "https://a.test", "x": 1}])),
            Some(vec![json!({"type": "frame", "url": "https://a.test"})])
        );
    }
}
