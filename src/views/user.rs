//! The user shape of `GET /api/v1/profile` (app/views/api/v1/models/_user.json.jbuilder).

use serde_json::{Value, json};

use crate::db::account_users::{Membership, Role};
use crate::db::sessions::NewSession;
use crate::db::users::User;
use crate::domain::timestamps;

/// A user with everything the profile view needs, loaded in one go.
#[derive(Debug, Clone)]
pub struct UserDetail {
    pub user: User,
    pub access_token: String,
    /// Most recently active first.
    pub memberships: Vec<Membership>,
}

/// `permissions` of a membership: Chatwoot lists the role name for the built-in roles.
fn permissions(role: Role) -> Vec<&'static str> {
    vec![role.as_str()]
}

/// Profile user JSON.
pub fn profile(detail: &UserDetail) -> Value {
    let user = &detail.user;
    let active = detail.memberships.first().map(|m| &m.account_user);
    let accounts: Vec<Value> = detail
        .memberships
        .iter()
        .map(|m| {
            let au = &m.account_user;
            json!({
                "id": au.account_id,
                "name": m.account_name,
                "status": m.account_status.as_str(),
                "active_at": timestamps::iso_opt(au.active_at),
                "role": au.role.as_str(),
                "permissions": permissions(au.role),
                "availability": au.availability.as_str(),
                "availability_status": au.availability.as_str(),
                "auto_offline": au.auto_offline,
                "custom_role_id": Value::Null,
                "custom_role": Value::Null,
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
        "inviter_id": active.and_then(|au| au.inviter_id),
        "name": user.name,
        "provider": user.provider,
        "pubsub_token": user.pubsub_token,
        "role": active.map(|au| au.role.as_str()),
        "ui_settings": user.ui_settings,
        "uid": user.email,
        "type": user.user_type,
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

/// `POST /auth/sign_in` (app/views/devise/_auth.json.jbuilder): `{"data": <user>}`.
pub fn sign_in(detail: &UserDetail) -> Value {
    json!({ "data": profile(detail) })
}

/// `GET /auth/validate_token` (app/views/devise/token.json.jbuilder).
pub fn validated_token(detail: &UserDetail) -> Value {
    let mut data = profile(detail);
    if let Some(map) = data.as_object_mut() {
        map.insert(
            "created_at".into(),
            Value::from(timestamps::iso(detail.user.created_at)),
        );
    }
    json!({ "payload": { "success": true, "data": data } })
}

/// The profile fields whose changes the audit trail records.
pub fn profile_audit(user: &User) -> Value {
    json!({
        "name": user.name,
        "display_name": user.display_name,
        "email": user.email,
        "message_signature": user.message_signature,
        "ui_settings": user.ui_settings,
    })
}

/// The JSON devise_token_auth base64-encodes into the `Authorization: Bearer …` header of a
/// session (the same five fields as the separate headers).
pub fn session_authorization(session: &NewSession, expiry: &str, uid: &str) -> Value {
    json!({
        "access-token": session.access_token,
        "token-type": "Bearer",
        "client": session.client,
        "expiry": expiry,
        "uid": uid,
    })
}

/// `DELETE /auth/sign_out`: `{"success": true}`.
pub fn signed_out() -> Value {
    json!({"success": true})
}
