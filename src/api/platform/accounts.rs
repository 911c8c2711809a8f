//! `/platform/api/v1/accounts`

use actix_web::web;

use super::ensure_permitted;
use crate::api::body::{JsonBody, parse_params};
use crate::api::{Reply, State, head_ok, ok_json};
use crate::auth::PlatformCaller;
use crate::db::accounts;
use crate::db::platform::{self, Permissible};
use crate::error::{ApiError, ApiResult};
use crate::services::accounts::{AccountChanges, apply};
use crate::views;

/// `POST /platform/api/v1/accounts`
pub async fn create(state: State, caller: PlatformCaller, body: JsonBody) -> Reply {
    let changes: AccountChanges = parse_params(body.resource("account"))?;
    let account = state
        .db
        .write(move |tx| -> ApiResult<_> {
            let mut account = accounts::new_account("");
            apply(&mut account, changes)?;
            if account.name.is_empty() {
                return Err(ApiError::invalid("name", "Name can't be blank"));
            }
            let account = accounts::insert(tx, &account)?;
            platform::grant(tx, caller.0.id, Permissible::Account, account.id)?;
            Ok(account)
        })
        .await?;
    Ok(ok_json(views::platform::account(&account)))
}

/// `GET /platform/api/v1/accounts/{account_id}`
pub async fn show(state: State, caller: PlatformCaller, path: web::Path<i64>) -> Reply {
    let id = path.into_inner();
    let account = state
        .db
        .read(move |conn| -> ApiResult<_> {
            let account = accounts::find(conn, id)?.ok_or(ApiError::NotFound)?;
            ensure_permitted(conn, caller.0.id, Permissible::Account, id)?;
            Ok(account)
        })
        .await?;
    Ok(ok_json(views::platform::account(&account)))
}

/// `PATCH /platform/api/v1/accounts/{account_id}`
pub async fn update(state: State, caller: PlatformCaller, path: web::Path<i64>, body: JsonBody) -> Reply {
    let id = path.into_inner();
    let changes: AccountChanges = parse_params(body.resource("account"))?;
    let account = state
        .db
        .write(move |tx| -> ApiResult<_> {
            let mut account = accounts::find(tx, id)?.ok_or(ApiError::NotFound)?;
            ensure_permitted(tx, caller.0.id, Permissible::Account, id)?;
            apply(&mut account, changes)?;
            Ok(accounts::update(tx, &account)?)
        })
        .await?;
    Ok(ok_json(views::platform::account(&account)))
}

/// `DELETE /platform/api/v1/accounts/{account_id}`: everything the account owns goes with it.
pub async fn destroy(state: State, caller: PlatformCaller, path: web::Path<i64>) -> Reply {
    let id = path.into_inner();
    state
        .db
        .write(move |tx| -> ApiResult<_> {
            accounts::find(tx, id)?.ok_or(ApiError::NotFound)?;
            ensure_permitted(tx, caller.0.id, Permissible::Account, id)?;
            Ok(accounts::delete(tx, id)?)
        })
        .await?;
    Ok(head_ok())
}
