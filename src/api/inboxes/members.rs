//! `/api/v1/accounts/{account_id}/inbox_members`: who works an inbox.

use actix_web::{HttpResponse, web};
use serde_json::Value;

use crate::api::body::JsonBody;
use crate::api::members::{ensure_account_users, user_ids};
use crate::api::{ItemPath, Reply, State, head_ok, ok_json};
use crate::auth::AccountMember;
use crate::db::{agents, inboxes};
use crate::error::{ApiError, ApiResult};
use crate::services::audit;
use crate::state::AppState;
use crate::views;

/// `inbox_id` from the body (a number or a numeric string).
fn inbox_id(body: &JsonBody) -> ApiResult<i64> {
    match body.0.get("inbox_id") {
        None | Some(Value::Null) => Err(ApiError::ParamMissing("inbox_id".into())),
        Some(Value::Number(n)) => n.as_i64().ok_or(ApiError::NotFound),
        Some(Value::String(s)) => s.trim().parse().map_err(|_| ApiError::NotFound),
        Some(_) => Err(ApiError::NotFound),
    }
}

fn payload(rows: &[agents::Agent]) -> HttpResponse {
    ok_json(views::envelope::payload(views::agent::agents(rows)))
}

/// `GET …/inbox_members/{inbox_id}`: administrators and members of the inbox.
pub async fn show(state: State, member: AccountMember, path: ItemPath) -> Reply {
    let (_, id) = path.into_inner();
    let rows = state
        .db
        .read(move |conn| -> ApiResult<_> {
            inboxes::find(conn, member.account_id(), id)?.ok_or(ApiError::NotFound)?;
            if !member.is_admin() && !inboxes::is_member(conn, id, member.user.id)? {
                return Err(ApiError::Forbidden);
            }
            Ok(agents::inbox_members(conn, member.account_id(), id)?)
        })
        .await?;
    Ok(payload(&rows))
}

/// How a change treats the current member set.
#[derive(Debug, Clone, Copy)]
enum Change {
    Add,
    Replace,
    Remove,
}

async fn change(
    state: web::Data<AppState>,
    member: AccountMember,
    body: JsonBody,
    change: Change,
) -> ApiResult<Vec<agents::Agent>> {
    member.require_admin()?;
    let id = inbox_id(&body)?;
    let ids = user_ids(&body.0)?;
    let actor = member.actor();
    state
        .db
        .write(move |tx| -> ApiResult<_> {
            inboxes::find(tx, actor.account_id, id)?.ok_or(ApiError::NotFound)?;
            ensure_account_users(tx, actor.account_id, &ids)?;
            let before = agents::inbox_members(tx, actor.account_id, id)?;
            match change {
                Change::Add => inboxes::add_members(tx, id, &ids)?,
                Change::Replace => inboxes::replace_members(tx, id, &ids)?,
                Change::Remove => inboxes::remove_members(tx, id, &ids)?,
            }
            let after = agents::inbox_members(tx, actor.account_id, id)?;
            audit::members_updated(tx, &actor, "Inbox", id, &before, &after)?;
            Ok(after)
        })
        .await
}

/// `POST …/inbox_members {inbox_id, user_ids}`: adds; returns every member.
pub async fn create(state: State, member: AccountMember, body: JsonBody) -> Reply {
    Ok(payload(&change(state, member, body, Change::Add).await?))
}

/// `PATCH …/inbox_members {inbox_id, user_ids}`: the set becomes exactly these.
pub async fn update(state: State, member: AccountMember, body: JsonBody) -> Reply {
    Ok(payload(&change(state, member, body, Change::Replace).await?))
}

/// `DELETE …/inbox_members {inbox_id, user_ids}`
pub async fn destroy(state: State, member: AccountMember, body: JsonBody) -> Reply {
    change(state, member, body, Change::Remove).await?;
    Ok(head_ok())
}
