//! Webhook JSON (app/views/api/v1/accounts/webhooks/_webhook.json.jbuilder).

use serde_json::{Value, json};

use crate::db::webhooks::Webhook;

/// `{id,name,url,account_id,subscriptions,secret,inbox?}` (the webhook API is for administrators,
/// who see the signing secret as in newer Chatwoot releases)
pub fn webhook(hook: &Webhook) -> Value {
    let mut body = json!({
        "id": hook.id,
        "name": hook.name,
        "url": hook.url,
        "account_id": hook.account_id,
        "subscriptions": hook.subscriptions,
        "secret": hook.secret,
    });
    if let (Some(id), Some(map)) = (hook.inbox_id, body.as_object_mut()) {
        map.insert("inbox".into(), json!({ "id": id, "name": hook.inbox_name }));
    }
    body
}

/// `{payload: {webhooks: [...]}}` of the index.
pub fn list(hooks: &[Webhook]) -> Value {
    json!({ "payload": { "webhooks": hooks.iter().map(webhook).collect::<Vec<_>>() } })
}

/// `{payload: {webhook: {...}}}` of create and update.
pub fn one(hook: &Webhook) -> Value {
    json!({ "payload": { "webhook": webhook(hook) } })
}
