//! `/api/v1/accounts/{account_id}/conversations/{id}/participants`: the agents following a
//! conversation (Chatwoot's `Conversations::ParticipantsController`). Every route needs the
//! conversation to be visible (404, then 401); participants must be agents who may be assigned
//! in the conversation's inbox (its members and the administrators).

use std::collections::BTreeSet;

use serde_json::Value;

use crate::api::body::JsonBody;
use crate::api::conversations::visible;
use crate::api::{ItemPath, Reply, State, head_ok, ok_json};
use crate::auth::{AccountMember, ConversationCaller};
use crate::db::conversations::Conversation;
use crate::db::{agents, participants};
use crate::error::{ApiError, ApiResult};
use crate::views;

/// `user_ids` of the body: numbers or numeric strings, de-duplicated in order.
fn user_ids(body: &JsonBody) -> ApiResult<Vec<i64>> {
    let attrs = body.resource("conversation_participant");
    let Some(list) = attrs.get("user_ids") else {
        return Err(ApiError::ParamMissing("user_ids".into()));
    };
    let Value::Array(list) = list else {
        return Err(ApiError::Unprocessable(
            "user_ids must be an array of user ids".into(),
        ));
    };
    let mut seen = BTreeSet::new();
    let mut ids = Vec::new();
    for value in list {
        let id = match value {
            Value::Number(n) => n.as_i64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
        .ok_or_else(|| ApiError::Unprocessable("user_ids must be an array of user ids".into()))?;
        if seen.insert(id) {
            ids.push(id);
        }
    }
    Ok(ids)
}

/// The participants as agent JSON, by name.
fn render(conn: &rusqlite::Connection, c: &Conversation) -> ApiResult<Value> {
    let ids = participants::user_ids(conn, c.id)?;
    Ok(views::agent::agents(&agents::find_many(
        conn,
        c.account_id,
        &ids,
    )?))
}

/// Refuse ids that are not agents who may be assigned in the conversation's inbox.
fn check_access(conn: &rusqlite::Connection, c: &Conversation, ids: &[i64]) -> ApiResult<()> {
    let allowed: BTreeSet<i64> = agents::assignable(conn, c.account_id, c.inbox_id)?
        .iter()
        .map(|a| a.id)
        .collect();
    if ids.iter().all(|id| allowed.contains(id)) {
        Ok(())
    } else {
        Err(ApiError::invalid("user", "User must have inbox access"))
    }
}

/// `GET …/participants`: `[agent]`
pub async fn show(state: State, member: AccountMember, path: ItemPath) -> Reply {
    let caller = ConversationCaller::from(member);
    let id = path.into_inner().1;
    let body = state
        .db
        .read(move |conn| render(conn, &visible(conn, &caller, id)?))
        .await?;
    Ok(ok_json(body))
}

/// `POST …/participants {user_ids}`: adds them; answers only the newly added agents.
pub async fn create(state: State, member: AccountMember, path: ItemPath, body: JsonBody) -> Reply {
    let caller = ConversationCaller::from(member);
    let id = path.into_inner().1;
    let wanted = user_ids(&body);
    let body = state
        .db
        .write(move |tx| -> ApiResult<_> {
            let c = visible(tx, &caller, id)?;
            let wanted = wanted?;
            let current = participants::user_ids(tx, c.id)?;
            let added: Vec<i64> = wanted.into_iter().filter(|u| !current.contains(u)).collect();
            check_access(tx, &c, &added)?;
            participants::add(tx, c.account_id, c.id, &added)?;
            Ok(views::agent::agents(&agents::find_many(
                tx,
                c.account_id,
                &added,
            )?))
        })
        .await?;
    Ok(ok_json(body))
}

/// `PATCH/PUT …/participants {user_ids}`: the participants become exactly these; answers all.
pub async fn update(state: State, member: AccountMember, path: ItemPath, body: JsonBody) -> Reply {
    let caller = ConversationCaller::from(member);
    let id = path.into_inner().1;
    let wanted = user_ids(&body);
    let body = state
        .db
        .write(move |tx| -> ApiResult<_> {
            let c = visible(tx, &caller, id)?;
            let wanted = wanted?;
            let current = participants::user_ids(tx, c.id)?;
            let added: Vec<i64> = wanted.iter().copied().filter(|u| !current.contains(u)).collect();
            let removed: Vec<i64> = current.into_iter().filter(|u| !wanted.contains(u)).collect();
            check_access(tx, &c, &added)?;
            participants::add(tx, c.account_id, c.id, &added)?;
            participants::remove(tx, c.id, &removed)?;
            render(tx, &c)
        })
        .await?;
    Ok(ok_json(body))
}

/// `DELETE …/participants {user_ids}`: removes them; 200 with an empty body.
pub async fn destroy(state: State, member: AccountMember, path: ItemPath, body: JsonBody) -> Reply {
    let caller = ConversationCaller::from(member);
    let id = path.into_inner().1;
    let wanted = user_ids(&body);
    state
        .db
        .write(move |tx| -> ApiResult<_> {
            let c = visible(tx, &caller, id)?;
            Ok(participants::remove(tx, c.id, &wanted?)?)
        })
        .await?;
    Ok(head_ok())
}
