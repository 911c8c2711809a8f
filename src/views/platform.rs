//! Platform API shapes (app/views/platform/api/v1/models/*).

use serde_json::{Value, json};

use crate::db::account_users::AccountUser;
use crate::db::accounts::Account;
use crate::db::agent_bots::AgentBot;
use crate::domain::timestamps;
use crate::views::user::UserDetail;

/// Platform account.
pub fn account(account: &Account) -> Value {
    json!({
        "id": account.id,
        "name": account.name,
        "locale": account.locale,
        "domain": account.domain,
        "support_email": account.support_email,
        "features": account.features,
        "custom_attributes": account.custom_attributes,
        "limits": account.limits,
        "status": account.status.as_str(),
    })
}

/// Platform agent bot. `outgoing_url` repeats the bot's name: Chatwoot's template has that bug
/// and clients see it (see ARCHITECTURE.md, compatibility notes).
pub fn agent_bot(bot: &AgentBot, access_token: Option<&str>) -> Value {
    json!({
        "id": bot.id,
        "name": bot.name,
        "description": bot.description,
        "outgoing_url": bot.name,
        "account_id": bot.account_id,
        "access_token": access_token,
    })
}

/// Raw ActiveRecord JSON of an account_users row.
pub fn account_user(au: &AccountUser) -> Value {
    json!({
        "id": au.id,
        "account_id": au.account_id,
        "user_id": au.user_id,
        "role": au.role.as_str(),
        "inviter_id": au.inviter_id,
        "created_at": timestamps::iso(au.created_at),
        "updated_at": timestamps::iso(au.updated_at),
        "active_at": timestamps::iso_opt(au.active_at),
        "availability": au.availability.as_str(),
        "auto_offline": au.auto_offline,
        "custom_role_id": Value::Null,
    })
}

/// Platform user: the profile shape without hmac_identifier/inviter_id/type, and slim accounts.
pub fn user(detail: &UserDetail) -> Value {
    let user = &detail.user;
    let active = detail.memberships.first().map(|m| &m.account_user);
    let accounts: Vec<Value> = detail
        .memberships
        .iter()
        .map(|m| {
            json!({
                "id": m.account_user.account_id,
                "name": m.account_name,
                "active_at": timestamps::iso_opt(m.account_user.active_at),
                "role": m.account_user.role.as_str(),
            })
        })
        .collect();
    let mut body = json!({
        "access_token": detail.access_token,
        "account_id": active.map(|au| au.account_id),
        "available_name": user.available_name(),
        "avatar_url": "",
        "confirmed": user.confirmed_at.is_some(),
        "display_name": user.display_name,
        "message_signature": user.message_signature,
        "email": user.email,
        "id": user.id,
        "name": user.name,
        "provider": user.provider,
        "pubsub_token": user.pubsub_token,
        "role": active.map(|au| au.role.as_str()),
        "ui_settings": user.ui_settings,
        "uid": user.email,
        "accounts": accounts,
    });
    if !user.custom_attributes.is_empty()
        && let Some(map) = body.as_object_mut()
    {
        map.insert(
            "custom_attributes".into(),
            Value::Object(user.custom_attributes.clone()),
        );
    }
    body
}

/// `GET platform/api/v1/users/{id}/login`: `{url}`, the one-time SSO sign-in link.
pub fn login_link(url: &str) -> Value {
    json!({ "url": url })
}
