//! Changing one's own profile: the transaction behind `PUT /api/v1/profile` and the agent app's
//! profile page (fields, password, availability, audit entries in every account).

use rusqlite::Connection;
use serde_json::{Map, Value};

use crate::db::access_tokens::{self, OwnerType};
use crate::db::account_users::{self, Availability};
use crate::db::users;
use crate::domain::password;
use crate::error::{ApiError, ApiResult};
use crate::services::audit::{self, Actor};
use crate::services::users::{hash_new_password, password_changed, validate_email, validate_name};

/// What to change; `None` keeps a field.
#[derive(Debug, Default)]
pub struct ProfileChange {
    pub name: Option<String>,
    pub display_name: Option<Option<String>>,
    pub email: Option<String>,
    pub message_signature: Option<Option<String>>,
    pub ui_settings: Option<Map<String, Value>>,
    /// A new password hash from [`new_password_hash`].
    pub new_hash: Option<String>,
    /// Availability in an account (`None`: the active one).
    pub availability: Option<(Availability, Option<i64>)>,
    /// The session that made a password change stays signed in.
    pub keep_client: Option<String>,
}

/// Where the change comes from, for the audit entries.
#[derive(Debug, Default, Clone)]
pub struct Origin {
    pub remote_ip: String,
    pub request_id: String,
}

/// Check the current password and hash the new one (bcrypt: call inside `run_blocking`).
/// `Err(Unprocessable)` is a wrong current password, which counts as a failed attempt.
pub fn new_password_hash(
    current: &str,
    stored: &str,
    new_password: &str,
    confirmation: Option<&str>,
    cost: u32,
) -> ApiResult<String> {
    if !password::verify(current, stored) {
        return Err(ApiError::Unprocessable("Invalid current password".into()));
    }
    if confirmation.is_some_and(|c| c != new_password) {
        return Err(ApiError::invalid(
            "password_confirmation",
            "Password confirmation doesn't match Password",
        ));
    }
    hash_new_password(new_password, cost)
}

/// Parse an availability name (online, offline, busy).
pub fn parse_availability(name: &str) -> ApiResult<Availability> {
    Availability::parse(name).ok_or_else(|| {
        ApiError::invalid(
            "availability",
            format!("Availability '{name}' is not valid (online, offline, busy)"),
        )
    })
}

/// Apply `change` to the user in one transaction, with an audit entry in each of their accounts.
pub fn update(tx: &Connection, user_id: i64, change: ProfileChange, origin: &Origin) -> ApiResult<()> {
    let mut user = users::find(tx, user_id)?.ok_or(ApiError::NotFound)?;
    let before = crate::views::user::profile_audit(&user);
    let changed_password = change.new_hash.is_some();
    if let Some(name) = change.name {
        user.name = validate_name(&name)?;
    }
    if let Some(display_name) = change.display_name {
        user.display_name = display_name;
    }
    if let Some(email) = change.email {
        user.email = validate_email(tx, &email, user.id)?;
    }
    if let Some(signature) = change.message_signature {
        user.message_signature = signature;
    }
    if let Some(ui_settings) = change.ui_settings {
        user.ui_settings = ui_settings;
    }
    if let Some(hash) = change.new_hash {
        user.encrypted_password = hash;
    }
    users::update(tx, &user)?;
    if changed_password {
        password_changed(tx, user.id, change.keep_client.as_deref())?;
    }
    let mut after = crate::views::user::profile_audit(&user);
    if changed_password && let Some(map) = after.as_object_mut() {
        map.insert("password".into(), Value::from("[changed]"));
    }
    let memberships = account_users::memberships_of_user(tx, user.id)?;
    for membership in &memberships {
        let actor = Actor {
            account_id: membership.account_user.account_id,
            user_id: user.id,
            username: user.email.clone(),
            remote_ip: origin.remote_ip.clone(),
            request_id: origin.request_id.clone(),
        };
        audit::updated(tx, &actor, "User", user.id, &before, &after)?;
    }
    if let Some((availability, account_id)) = change.availability {
        let target = match account_id {
            Some(account_id) => memberships
                .iter()
                .find(|m| m.account_user.account_id == account_id),
            None => memberships.first(),
        };
        let target = target.ok_or_else(|| ApiError::invalid("account_id", "Account is not one of yours"))?;
        account_users::set_availability(tx, target.account_user.id, availability)?;
    }
    Ok(())
}

/// A new personal access token (the old one stops working at once).
pub fn reset_access_token(tx: &Connection, user_id: i64) -> ApiResult<String> {
    Ok(access_tokens::issue(tx, OwnerType::User, user_id)?)
}
