//! The account shape of `GET /api/v1/accounts/{id}` (app/views/api/v1/accounts/show.json.jbuilder).

use serde_json::{Map, Value, json};

use crate::db::accounts::Account;
use crate::domain::timestamps;

/// Version of Chatwoot whose API Parlor speaks.
pub const CHATWOOT_VERSION: &str = "4.10.0";

/// Full account JSON for members.
pub fn detail(account: &Account) -> Value {
    let mut body = json!({
        "settings": settings(account),
        "created_at": timestamps::iso(account.created_at),
        "domain": account.domain,
        "features": account.features,
        "id": account.id,
        "locale": account.locale,
        "name": account.name,
        "support_email": account.support_email,
        "status": account.status.as_str(),
        "cache_keys": cache_keys(account),
        "latest_chatwoot_version": CHATWOOT_VERSION,
    });
    if !account.custom_attributes.is_empty()
        && let Some(map) = body.as_object_mut()
    {
        map.insert(
            "custom_attributes".into(),
            Value::Object(account.custom_attributes.clone()),
        );
    }
    body
}

/// `settings` with the auto-resolve keys always present.
fn settings(account: &Account) -> Value {
    let mut settings = account.settings.clone();
    for key in [
        "auto_resolve_after",
        "auto_resolve_message",
        "auto_resolve_ignore_waiting",
    ] {
        settings.entry(key).or_insert(Value::Null);
    }
    Value::Object(settings)
}

/// Cache keys the dashboard polls; each changes when its collection may have changed.
fn cache_keys(account: &Account) -> Value {
    let stamp = Value::from(timestamps::secs(account.updated_at));
    let keys: Map<String, Value> = ["label", "inbox", "team"]
        .iter()
        .map(|k| ((*k).to_string(), stamp.clone()))
        .collect();
    Value::Object(keys)
}

/// `GET /api`: Chatwoot's version and service status (`ApiController#index`), plus Parlor's.
pub fn api_info(database_ok: bool, now_ms: i64) -> Value {
    json!({
        "version": CHATWOOT_VERSION,
        "timestamp": timestamps::db_format(now_ms),
        "queue_services": "ok",
        "data_services": if database_ok { "ok" } else { "failing" },
        "parlor_version": env!("CARGO_PKG_VERSION"),
    })
}

/// `GET /health`: `{"status": "woot"}`, or `"unavailable"` when the database does not answer.
pub fn health(database_ok: bool) -> Value {
    json!({"status": if database_ok { "woot" } else { "unavailable" }})
}
