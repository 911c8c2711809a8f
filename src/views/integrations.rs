//! Integration app and hook JSON (app/views/api/v1/models/_app and _hook).

use serde_json::{Map, Value, json};

use crate::db::integrations_hooks::Hook;
use crate::domain::integrations::{self, App};

/// Hook JSON; administrators also get the visible settings and reference id.
pub fn hook(hook: &Hook, admin: bool) -> Value {
    let hook_type = if hook.hook_type == 1 { "inbox" } else { "account" };
    let mut body = json!({
        "id": hook.id,
        "app_id": hook.app_id,
        "status": hook.enabled,
        "inbox": hook.inbox_id.map(|id| json!({"id": id, "name": hook.inbox_name})),
        "account_id": hook.account_id,
        "hook_type": hook_type,
    });
    if admin && let Some(map) = body.as_object_mut() {
        let visible = integrations::find(&hook.app_id).map_or(&[][..], |app| app.visible_settings);
        let settings: Map<String, Value> = hook
            .settings
            .iter()
            .filter(|(k, _)| visible.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        map.insert("settings".into(), Value::Object(settings));
        map.insert("reference_id".into(), json!(hook.reference_id));
    }
    body
}

/// App JSON with the account's hooks of that app.
pub fn app(app: &App, enabled: bool, hooks: &[&Hook], admin: bool) -> Value {
    json!({
        "id": app.id,
        "name": app.name,
        "description": app.description,
        "short_description": app.short_description,
        "enabled": enabled,
        "hook_type": app.hook_type.as_str(),
        "allow_multiple_hooks": app.allow_multiple_hooks,
        "hooks": hooks.iter().map(|h| hook(h, admin)).collect::<Vec<_>>(),
    })
}
