//! `/api/v1/accounts/{account_id}/macros`: saved action lists (Chatwoot's `MacrosController` and
//! `MacroPolicy`). Members see global macros and their own personal ones; a global macro is
//! changed or deleted by administrators only, a personal one by its creator only; agents can
//! only make personal macros. `execute` runs the actions through the automation action runner
//! as the executing user, on each listed conversation they can see, each in its own
//! transaction.

use std::collections::HashMap;

use actix_web::web;
use serde::Deserialize;
use serde_json::Value;

use crate::api::body::JsonBody;
use crate::api::{ItemPath, Reply, State, head_ok, ok_json};
use crate::auth::{AccountMember, ConversationCaller};
use crate::db::agents::{self, Agent};
use crate::db::conversations;
use crate::db::macros::{self, Macro};
use crate::domain::macros::{GLOBAL, VISIBILITIES, validate, visibility_index};
use crate::error::{ApiError, ApiResult};
use crate::events::actions::{self, Origin};
use crate::services::conversations::can_view;
use crate::views::macros::macro_json;

/// Macros per page of the list (Chatwoot lists every one; `page` reaches the rest).
const PER_PAGE: i64 = 100;

/// `?page=`
#[derive(Debug, Deserialize)]
pub struct PageQuery {
    page: Option<String>,
}

/// Creator and editor agents of `list`, in one query.
fn people(conn: &rusqlite::Connection, account_id: i64, list: &[Macro]) -> ApiResult<HashMap<i64, Agent>> {
    let mut ids: Vec<i64> = list
        .iter()
        .flat_map(|m| [m.created_by_id, m.updated_by_id])
        .flatten()
        .collect();
    ids.sort_unstable();
    ids.dedup();
    Ok(agents::find_many(conn, account_id, &ids)?
        .into_iter()
        .map(|a| (a.id, a))
        .collect())
}

fn payload(conn: &rusqlite::Connection, m: &Macro) -> ApiResult<Value> {
    let people = people(conn, m.account_id, std::slice::from_ref(m))?;
    Ok(crate::views::envelope::payload(macro_json(m, &people)))
}

fn is_author(m: &Macro, member: &AccountMember) -> bool {
    m.created_by_id == Some(member.user.id)
}

/// A macro the member may see or run (global, or their own): 404, then 401.
fn visible(conn: &rusqlite::Connection, member: &AccountMember, id: i64) -> ApiResult<Macro> {
    let m = macros::find(conn, member.account_id(), id)?.ok_or(ApiError::NotFound)?;
    if m.visibility == GLOBAL || is_author(&m, member) {
        Ok(m)
    } else {
        Err(ApiError::Forbidden)
    }
}

/// A macro the member may change or delete: a global one for administrators, a personal one
/// for its creator.
fn editable(conn: &rusqlite::Connection, member: &AccountMember, id: i64) -> ApiResult<Macro> {
    let m = macros::find(conn, member.account_id(), id)?.ok_or(ApiError::NotFound)?;
    let allowed = if m.visibility == GLOBAL {
        member.is_admin()
    } else {
        is_author(&m, member)
    };
    if allowed { Ok(m) } else { Err(ApiError::Forbidden) }
}

/// Apply `{name, visibility, actions}` from the body (absent keys keep their value) and
/// validate. Agents' macros are always personal (Chatwoot's `set_visibility`).
fn apply(m: &mut Macro, member: &AccountMember, body: &JsonBody) -> ApiResult<()> {
    let attrs = body.resource("macro");
    match attrs.get("name") {
        None => {}
        Some(Value::String(name)) => m.name = name.trim().to_string(),
        Some(Value::Null) => m.name.clear(),
        Some(_) => return Err(ApiError::Unprocessable("name must be a string".into())),
    }
    match attrs.get("visibility") {
        None | Some(Value::Null) => {}
        Some(Value::String(name)) => {
            m.visibility = visibility_index(name).ok_or_else(|| {
                ApiError::Unprocessable(format!(
                    "Invalid visibility '{name}'. Allowed: {}",
                    VISIBILITIES.join(", ")
                ))
            })?;
        }
        Some(_) => return Err(ApiError::Unprocessable("visibility must be a string".into())),
    }
    if !member.is_admin() {
        m.visibility = 0;
    }
    if let Some(list) = attrs.get("actions") {
        m.actions = list.clone();
    }
    m.updated_by_id = Some(member.user.id);
    validate(&m.name, &m.actions).map_err(|errors| ApiError::ErrorsHash(Value::Object(errors)))
}

/// `GET …/macros`: `{payload: [macro]}` by id.
pub async fn index(state: State, member: AccountMember, query: web::Query<PageQuery>) -> Reply {
    let (account_id, user_id) = (member.account_id(), member.user.id);
    let page = crate::api::page_number(query.page.as_deref());
    let body = state
        .db
        .read(move |conn| -> ApiResult<_> {
            let list = macros::visible_page(conn, account_id, user_id, page, PER_PAGE)?;
            let people = people(conn, account_id, &list)?;
            let payload: Vec<Value> = list.iter().map(|m| macro_json(m, &people)).collect();
            Ok(crate::views::envelope::payload(payload))
        })
        .await?;
    Ok(ok_json(body))
}

/// `GET …/macros/{id}`: `{payload: macro}`
pub async fn show(state: State, member: AccountMember, path: ItemPath) -> Reply {
    let id = path.into_inner().1;
    let body = state
        .db
        .read(move |conn| payload(conn, &visible(conn, &member, id)?))
        .await?;
    Ok(ok_json(body))
}

/// `POST …/macros {name, visibility, actions}`: `{payload: macro}`
pub async fn create(state: State, member: AccountMember, body: JsonBody) -> Reply {
    let mut m = Macro {
        id: 0,
        account_id: member.account_id(),
        name: String::new(),
        visibility: 0,
        actions: Value::Null,
        created_by_id: Some(member.user.id),
        updated_by_id: Some(member.user.id),
        created_at: 0,
        updated_at: 0,
    };
    apply(&mut m, &member, &body)?;
    let body = state
        .db
        .write(move |tx| -> ApiResult<_> { payload(tx, &macros::save(tx, &m)?) })
        .await?;
    Ok(ok_json(body))
}

/// `PATCH/PUT …/macros/{id}`: `{payload: macro}`
pub async fn update(state: State, member: AccountMember, path: ItemPath, body: JsonBody) -> Reply {
    let id = path.into_inner().1;
    let body = state
        .db
        .write(move |tx| -> ApiResult<_> {
            let mut m = editable(tx, &member, id)?;
            apply(&mut m, &member, &body)?;
            payload(tx, &macros::save(tx, &m)?)
        })
        .await?;
    Ok(ok_json(body))
}

/// `DELETE …/macros/{id}`: 200 with an empty body.
pub async fn destroy(state: State, member: AccountMember, path: ItemPath) -> Reply {
    let id = path.into_inner().1;
    state
        .db
        .write(move |tx| -> ApiResult<_> {
            let m = editable(tx, &member, id)?;
            Ok(macros::delete(tx, m.account_id, m.id)?)
        })
        .await?;
    Ok(head_ok())
}

/// The display ids of `conversation_ids` (numbers or numeric strings; others name nothing).
fn conversation_ids(body: &JsonBody) -> Vec<i64> {
    let list = match body.0.get("conversation_ids") {
        Some(Value::Array(list)) => list.clone(),
        Some(one @ (Value::Number(_) | Value::String(_))) => vec![one.clone()],
        _ => Vec::new(),
    };
    list.iter()
        .filter_map(|v| match v {
            Value::Number(n) => n.as_i64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        })
        .collect()
}

/// `POST …/macros/{id}/execute {conversation_ids}`: runs the actions now (Chatwoot queues a
/// job) as the calling user on each listed conversation they can see; unknown and hidden ones
/// are skipped as the job skips them. Each conversation is all or nothing. 200, empty body.
pub async fn execute(state: State, member: AccountMember, path: ItemPath, body: JsonBody) -> Reply {
    let id = path.into_inner().1;
    let check = member.clone();
    let m = state.db.read(move |conn| visible(conn, &check, id)).await?;
    let base_url = member.base_url.clone();
    let caller = ConversationCaller::from(member);
    let list = m.actions.as_array().cloned().unwrap_or_default();
    for display_id in conversation_ids(&body) {
        let (caller, list, base_url) = (caller.clone(), list.clone(), base_url.clone());
        let macro_id = m.id;
        let result = state
            .db
            .write(move |tx| -> ApiResult<()> {
                let Some(c) = conversations::find(tx, caller.account_id(), display_id)? else {
                    return Ok(());
                };
                if !can_view(tx, &caller, &c)? {
                    tracing::info!(
                        macro_id,
                        display_id,
                        "macro skipped a conversation the user cannot see"
                    );
                    return Ok(());
                }
                actions::run(tx, &caller, Origin::Macro { id: macro_id }, &list, &c, &base_url)
            })
            .await;
        if let Err(err) = result {
            tracing::warn!(macro_id = m.id, display_id, error = %err, "macro actions failed; the conversation was left unchanged");
        }
    }
    Ok(head_ok())
}
