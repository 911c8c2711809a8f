//! Agent bot JSON of the account API (app/views/api/v1/models/_agent_bot.json.jbuilder).

use serde_json::{Value, json};

use crate::db::agent_bots::AgentBot;

/// Bot JSON as seen from `account_id`; `access_token` is shown for the account's own bots only.
pub fn agent_bot(bot: &AgentBot, account_id: i64, access_token: Option<&str>) -> Value {
    let system_bot = bot.account_id.is_none();
    let mut body = json!({
        "id": bot.id,
        "name": bot.name,
        "description": bot.description,
        "thumbnail": "",
        "outgoing_url": bot.outgoing_url,
        "bot_type": "webhook",
        "bot_config": bot.bot_config,
        "account_id": bot.account_id,
        "access_token": access_token.filter(|_| bot.account_id == Some(account_id)),
        "system_bot": system_bot,
    });
    if system_bot && let Some(map) = body.as_object_mut() {
        map.remove("outgoing_url");
    }
    body
}

/// The slim form a conversation shows for a bot assignee (`{id,name,description,thumbnail,
/// outgoing_url,bot_type}`), in the assignment answer and a conversation's `meta.assignee`.
pub fn slim(bot: &AgentBot) -> Value {
    json!({"id": bot.id, "name": bot.name, "description": bot.description, "thumbnail": "",
           "outgoing_url": bot.outgoing_url, "bot_type": "webhook"})
}

/// An account bot's JSON for administrators: with the secret its events are signed with.
pub fn with_secret(mut body: Value, secret: Option<&str>) -> Value {
    if let (Some(secret), Some(map)) = (secret, body.as_object_mut()) {
        map.insert("secret".into(), Value::from(secret));
    }
    body
}

/// `GET …/inboxes/{id}/agent_bot`: `{agent_bot: {...}}`, or `{}` when none is connected.
pub fn of_inbox(bot: Option<&AgentBot>, account_id: i64) -> Value {
    match bot {
        Some(bot) => json!({ "agent_bot": agent_bot(bot, account_id, None) }),
        None => json!({}),
    }
}
