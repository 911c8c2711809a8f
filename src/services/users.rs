//! Creating, loading and validating users.

use rusqlite::Connection;
use serde_json::{Map, Value};

use crate::db::access_tokens::{self, OwnerType};
use crate::db::account_users;
use crate::db::users::{self, User};
use crate::error::{ApiError, ApiResult};
use crate::views::user::UserDetail;

/// Everything a user view needs, in three indexed queries.
pub fn load_detail(conn: &Connection, user_id: i64) -> ApiResult<Option<UserDetail>> {
    let Some(user) = users::find(conn, user_id)? else {
        return Ok(None);
    };
    let access_token = match access_tokens::token_of(conn, OwnerType::User, user.id)? {
        Some(token) => token,
        None => access_tokens::issue(conn, OwnerType::User, user.id)?,
    };
    let memberships = account_users::memberships_of_user(conn, user.id)?;
    Ok(Some(UserDetail {
        user,
        access_token,
        memberships,
    }))
}

/// Fields of a new user. The password must already be validated and hashed (bcrypt is slow and
/// must not run while the write lock is held).
#[derive(Debug, Default)]
pub struct NewUser {
    pub name: String,
    pub display_name: Option<String>,
    pub email: String,
    pub encrypted_password: String,
    pub custom_attributes: Map<String, Value>,
    pub super_admin: bool,
    /// Invited by an administrator and not yet confirmed (no usable password yet).
    pub invited: bool,
}

/// Validate a name: present, at most 255 characters.
pub fn validate_name(name: &str) -> ApiResult<String> {
    let name = name.trim();
    if name.is_empty() {
        return Err(ApiError::invalid("name", "Name can't be blank"));
    }
    if name.chars().count() > 255 {
        return Err(ApiError::invalid(
            "name",
            "Name is too long (maximum is 255 characters)",
        ));
    }
    Ok(name.to_string())
}

/// Validate and normalize an email that must not belong to another user.
pub fn validate_email(conn: &Connection, email: &str, except_user_id: i64) -> ApiResult<String> {
    if email.trim().is_empty() {
        return Err(ApiError::invalid("email", "Email can't be blank"));
    }
    let email = crate::domain::validation::normalize_email(email)
        .ok_or_else(|| ApiError::invalid("email", "Email is invalid"))?;
    if users::email_taken(conn, &email, except_user_id)? {
        return Err(ApiError::invalid("email", "Email has already been taken"));
    }
    Ok(email)
}

/// Insert a user with an access token; validation errors leave nothing behind when the caller
/// rolls back.
pub fn create(conn: &Connection, new: NewUser) -> ApiResult<User> {
    let name = validate_name(&new.name)?;
    let email = validate_email(conn, &new.email, 0)?;
    let mut user = users::new_user(&name, &email, new.encrypted_password);
    user.display_name = new.display_name.filter(|d| !d.trim().is_empty());
    user.custom_attributes = new.custom_attributes;
    if new.invited {
        user.confirmed_at = None;
    }
    if new.super_admin {
        user.user_type = Some("SuperAdmin".into());
    }
    let user = users::insert(conn, &user)?;
    access_tokens::issue(conn, OwnerType::User, user.id)?;
    Ok(user)
}

/// Check and hash a new password off the async workers (call inside `run_blocking`).
pub fn hash_new_password(password: &str, cost: u32) -> ApiResult<String> {
    crate::domain::password::validate(password).map_err(|msg| ApiError::invalid("password", msg))?;
    crate::domain::password::hash(password, cost).map_err(ApiError::Internal)
}

/// After a password change: a new `pubsub_token` and every sign-in session ended except
/// `keep_client`, the one that made the change (devise's `remove_tokens_after_password_reset`).
pub fn password_changed(conn: &Connection, user_id: i64, keep_client: Option<&str>) -> ApiResult<()> {
    users::rotate_pubsub_token(conn, user_id)?;
    crate::db::sessions::close_others(conn, user_id, keep_client)?;
    Ok(())
}
