//! `/api/v1/accounts/{account_id}/notifications` and `notification_settings`: the caller's own
//! notifications in the account (another user's is a 404, as `current_user.notifications.find`).

use actix_web::{HttpRequest, HttpResponse};
use serde_json::Value;

use crate::api::body::JsonBody;
use crate::api::{ItemPath, Reply, State, head_ok, ok_json, page_number};
use crate::caller::AccountMember;
use crate::db::notifications::{self as rows, ListFilter};
use crate::db::now_ms;
use crate::domain::notifications::{DEFAULT_FLAGS, parse_flags};
use crate::error::{ApiError, ApiResult};
use crate::services::notifications as service;
use crate::state::AppState;
use crate::views;

/// The raw query as pairs (`includes[]` repeats).
fn query_pairs(req: &HttpRequest) -> ApiResult<Vec<(String, String)>> {
    serde_urlencoded::from_str(req.query_string()).map_err(|e| ApiError::BadRequest(e.to_string()))
}

/// The list's filter and page from the raw query (`includes[]` repeats), as Chatwoot's
/// `NotificationFinder` reads them; the raw `page` is echoed as `current_page`.
fn list_params(req: &HttpRequest, member: &AccountMember) -> ApiResult<(ListFilter, Option<String>)> {
    let pairs = query_pairs(req)?;
    let get = |key: &str| pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
    let included = |what: &str| {
        pairs
            .iter()
            .any(|(k, v)| (k == "includes[]" || k == "includes") && v == what)
    };
    let filter = ListFilter {
        account_id: member.account_id(),
        user_id: member.user.id,
        include_read: included("read"),
        include_snoozed: included("snoozed"),
        ascending: get("sort_order").as_deref() == Some("asc"),
    };
    Ok((filter, get("page")))
}

/// `GET notifications?sort_order=&includes[]=read&includes[]=snoozed&page=`
pub async fn index(req: HttpRequest, state: State, member: AccountMember) -> Reply {
    let (filter, raw_page) = list_params(&req, &member)?;
    let page = page_number(raw_page.as_deref());
    let current_page = raw_page.map_or(Value::from(1), Value::from);
    let base_url = member.base_url.clone();
    let body = state
        .db
        .read(move |conn| service::list(conn, &base_url, &filter, page, current_page))
        .await?;
    Ok(ok_json(body))
}

/// `GET notifications/unread_count`: a bare number (the same filters as the list).
pub async fn unread_count(req: HttpRequest, state: State, member: AccountMember) -> Reply {
    let (filter, _) = list_params(&req, &member)?;
    let (_, unread) = state
        .db
        .read(move |conn| rows::counts(conn, &filter).map_err(ApiError::from))
        .await?;
    Ok(ok_json(Value::from(unread)))
}

/// `POST notifications/read_all [{primary_actor_type: "Conversation", primary_actor_id}]`
pub async fn read_all(state: State, member: AccountMember, body: JsonBody) -> Reply {
    let conversation_id = match body.0.get("primary_actor_type").and_then(Value::as_str) {
        Some("Conversation") => Some(id_param(body.0.get("primary_actor_id"), "primary_actor_id")?),
        _ => None,
    };
    let (account_id, user_id) = (member.account_id(), member.user.id);
    state
        .db
        .write(move |tx| -> ApiResult<()> {
            rows::read_all(tx, account_id, user_id, conversation_id)?;
            Ok(())
        })
        .await?;
    Ok(head_ok())
}

/// An id given as a number or a numeric string.
fn id_param(value: Option<&Value>, name: &str) -> ApiResult<i64> {
    match value {
        Some(Value::Number(n)) => n.as_i64(),
        Some(Value::String(s)) => s.trim().parse().ok(),
        _ => None,
    }
    .ok_or_else(|| ApiError::invalid(name, format!("{name} must be a number")))
}

/// `PATCH|PUT notifications/{id}`: mark read.
pub async fn update(state: State, member: AccountMember, path: ItemPath) -> Reply {
    set_read(&state, &member, path.1, Some(now_ms())).await
}

/// `POST notifications/{id}/unread`
pub async fn unread(state: State, member: AccountMember, path: ItemPath) -> Reply {
    set_read(&state, &member, path.1, None).await
}

async fn set_read(
    state: &AppState,
    member: &AccountMember,
    id: i64,
    read_at: Option<i64>,
) -> ApiResult<HttpResponse> {
    let (account_id, user_id) = (member.account_id(), member.user.id);
    let n = state
        .db
        .write(move |tx| service::set_read(tx, account_id, user_id, id, read_at))
        .await?;
    Ok(ok_json(views::notification::record(&n)))
}

/// `POST notifications/{id}/snooze {snoozed_until}` (unix seconds).
pub async fn snooze(state: State, member: AccountMember, path: ItemPath, body: JsonBody) -> Reply {
    let id = path.1;
    let until = match body.0.get("snoozed_until") {
        None | Some(Value::Null) => None,
        Some(value) => Some(id_param(Some(value), "snoozed_until")?.saturating_mul(1000)),
    };
    let (account_id, user_id) = (member.account_id(), member.user.id);
    let n = state
        .db
        .write(move |tx| service::snooze(tx, account_id, user_id, id, until))
        .await?;
    Ok(ok_json(views::notification::record(&n)))
}

/// `DELETE notifications/{id}`
pub async fn destroy(state: State, member: AccountMember, path: ItemPath) -> Reply {
    let id = path.1;
    let (account_id, user_id) = (member.account_id(), member.user.id);
    state
        .db
        .write(move |tx| service::destroy(tx, account_id, user_id, id))
        .await?;
    Ok(head_ok())
}

/// `POST notifications/destroy_all {type: "read"|"all"}`
pub async fn destroy_all(state: State, member: AccountMember, body: JsonBody) -> Reply {
    let only_read = body.0.get("type").and_then(Value::as_str) == Some("read");
    let (account_id, user_id) = (member.account_id(), member.user.id);
    state
        .db
        .write(move |tx| -> ApiResult<()> {
            rows::delete_all(tx, account_id, user_id, only_read)?;
            Ok(())
        })
        .await?;
    Ok(head_ok())
}

/// `GET notification_settings`
pub async fn settings(state: State, member: AccountMember) -> Reply {
    let (account_id, user_id) = (member.account_id(), member.user.id);
    let found = state
        .db
        .read(move |conn| rows::settings(conn, account_id, user_id).map_err(ApiError::from))
        .await?;
    let settings = match found {
        Some(settings) => settings,
        None => {
            state
                .db
                .write(move |tx| -> ApiResult<_> {
                    if rows::settings(tx, account_id, user_id)?.is_none() {
                        rows::save_settings(tx, account_id, user_id, DEFAULT_FLAGS, DEFAULT_FLAGS)?;
                    }
                    rows::settings(tx, account_id, user_id)?.ok_or(ApiError::NotFound)
                })
                .await?
        }
    };
    Ok(ok_json(views::notification::settings(&settings)))
}

/// The flags of `key` (`selected_email_flags`): absent → unchanged, else a list of flag names.
fn flags_param(attrs: &serde_json::Map<String, Value>, key: &str, prefix: &str) -> ApiResult<Option<i64>> {
    let names = match attrs.get(key) {
        None => return Ok(None),
        Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| {
                v.as_str()
                    .map(str::to_string)
                    .ok_or_else(|| ApiError::invalid(key, format!("{key} must be a list of flag names")))
            })
            .collect::<ApiResult<Vec<_>>>()?,
        Some(_) => {
            return Err(ApiError::invalid(
                key,
                format!("{key} must be a list of flag names"),
            ));
        }
    };
    parse_flags(prefix, &names)
        .map(Some)
        .map_err(|name| ApiError::invalid(key, format!("'{name}' is not a {prefix} notification flag")))
}

/// `PUT|PATCH notification_settings {notification_settings: {selected_email_flags, selected_push_flags}}`
pub async fn update_settings(state: State, member: AccountMember, body: JsonBody) -> Reply {
    let attrs = body.require("notification_settings")?;
    let email = flags_param(&attrs, "selected_email_flags", "email")?;
    let push = flags_param(&attrs, "selected_push_flags", "push")?;
    let (account_id, user_id) = (member.account_id(), member.user.id);
    let settings = state
        .db
        .write(move |tx| -> ApiResult<_> {
            let current = rows::settings(tx, account_id, user_id)?;
            let (old_email, old_push) =
                current.map_or((DEFAULT_FLAGS, DEFAULT_FLAGS), |s| (s.email_flags, s.push_flags));
            rows::save_settings(
                tx,
                account_id,
                user_id,
                email.unwrap_or(old_email),
                push.unwrap_or(old_push),
            )?;
            rows::settings(tx, account_id, user_id)?.ok_or(ApiError::NotFound)
        })
        .await?;
    Ok(ok_json(views::notification::settings(&settings)))
}
