//! `/platform/api/v1/accounts/{account_id}/account_users`

use actix_web::web;
use serde::Deserialize;
use serde_json::Value;

use super::ensure_permitted;
use crate::api::body::{JsonBody, parse_params};
use crate::api::{Reply, State, head_ok, ok_json};
use crate::auth::PlatformCaller;
use crate::db::account_users::{self, Role};
use crate::db::platform::Permissible;
use crate::db::{accounts, users};
use crate::error::{ApiError, ApiResult};
use crate::views;

/// Body of create and delete.
#[derive(Debug, Deserialize)]
struct AccountUserParams {
    #[serde(default, deserialize_with = "crate::domain::params::nullable")]
    user_id: Option<Option<Value>>,
    #[serde(default)]
    role: Option<String>,
}

/// `user_id` as sent (a number or a numeric string, as Rails casts).
fn user_id_of(params: &AccountUserParams) -> ApiResult<i64> {
    let missing = || ApiError::invalid("user", "User must exist");
    match params.user_id.clone().flatten() {
        Some(Value::Number(n)) => n.as_i64().ok_or_else(missing),
        Some(Value::String(s)) => s.trim().parse().map_err(|_| missing()),
        _ => Err(missing()),
    }
}

fn load_permitted_account(conn: &rusqlite::Connection, app_id: i64, account_id: i64) -> ApiResult<()> {
    accounts::find(conn, account_id)?.ok_or(ApiError::NotFound)?;
    ensure_permitted(conn, app_id, Permissible::Account, account_id)
}

/// `GET …/account_users`: raw membership rows.
pub async fn index(state: State, caller: PlatformCaller, path: web::Path<i64>) -> Reply {
    let account_id = path.into_inner();
    let rows = state
        .db
        .read(move |conn| -> ApiResult<_> {
            load_permitted_account(conn, caller.0.id, account_id)?;
            Ok(account_users::list_for_account(conn, account_id)?)
        })
        .await?;
    Ok(ok_json(Value::Array(
        rows.iter().map(views::platform::account_user).collect(),
    )))
}

/// `POST …/account_users {user_id, role}`: adds the user, or changes the role of a member.
pub async fn create(state: State, caller: PlatformCaller, path: web::Path<i64>, body: JsonBody) -> Reply {
    let account_id = path.into_inner();
    let params: AccountUserParams = parse_params(body.resource("account_user"))?;
    let row = state
        .db
        .write(move |tx| -> ApiResult<_> {
            load_permitted_account(tx, caller.0.id, account_id)?;
            let user_id = user_id_of(&params)?;
            users::find(tx, user_id)?.ok_or_else(|| ApiError::invalid("user", "User must exist"))?;
            let role = match params.role.as_deref() {
                None | Some("") => {
                    account_users::find(tx, account_id, user_id)?.map_or(Role::Agent, |au| au.role)
                }
                Some(name) => Role::parse(name).ok_or_else(|| {
                    ApiError::invalid(
                        "role",
                        format!("Role '{name}' is not a valid role (agent, administrator)"),
                    )
                })?,
            };
            Ok(account_users::upsert(tx, account_id, user_id, role, None)?)
        })
        .await?;
    Ok(ok_json(views::platform::account_user(&row)))
}

/// `DELETE …/account_users {user_id}`: 200 whether or not the user was a member.
pub async fn destroy(state: State, caller: PlatformCaller, path: web::Path<i64>, body: JsonBody) -> Reply {
    let account_id = path.into_inner();
    let params: AccountUserParams = parse_params(body.resource("account_user"))?;
    state
        .db
        .write(move |tx| -> ApiResult<_> {
            load_permitted_account(tx, caller.0.id, account_id)?;
            if let Ok(user_id) = user_id_of(&params) {
                account_users::delete(tx, account_id, user_id)?;
            }
            Ok(())
        })
        .await?;
    Ok(head_ok())
}
