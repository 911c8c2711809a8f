//! `/api/v1/accounts/{account_id}/contacts/{contact_id}/notes`

use actix_web::web;
use serde_json::Value;

use crate::api::body::JsonBody;
use crate::api::{ItemPath, Reply, State, head_ok, ok_json};
use crate::auth::AccountMember;
use crate::db::notes::{self, Note};
use crate::db::{agents, contacts};
use crate::error::{ApiError, ApiResult};
use crate::views;

/// Notes with their authors, loaded in one query.
fn render_all(conn: &rusqlite::Connection, notes: &[Note]) -> ApiResult<Vec<Value>> {
    let Some(first) = notes.first() else {
        return Ok(Vec::new());
    };
    let author_ids: Vec<i64> = notes.iter().filter_map(|n| n.user_id).collect();
    let authors = agents::find_many(conn, first.account_id, &author_ids)?;
    Ok(notes
        .iter()
        .map(|note| views::note::note(note, authors.iter().find(|a| Some(a.id) == note.user_id)))
        .collect())
}

fn render(conn: &rusqlite::Connection, note: &Note) -> ApiResult<Value> {
    Ok(render_all(conn, std::slice::from_ref(note))?.remove(0))
}

fn content(body: &JsonBody) -> ApiResult<String> {
    let attrs = body.require("note")?;
    let content = attrs
        .get("content")
        .and_then(Value::as_str)
        .unwrap_or("")
        .trim()
        .to_string();
    if content.is_empty() {
        return Err(ApiError::invalid("content", "Content can't be blank"));
    }
    Ok(content)
}

fn contact_of(conn: &rusqlite::Connection, account_id: i64, contact_id: i64) -> ApiResult<()> {
    contacts::find(conn, account_id, contact_id)?
        .map(|_| ())
        .ok_or(ApiError::NotFound)
}

/// `GET …/notes`: newest first.
pub async fn index(state: State, member: AccountMember, path: ItemPath) -> Reply {
    let (account_id, contact_id) = (member.account_id(), path.into_inner().1);
    let body = state
        .db
        .read(move |conn| -> ApiResult<_> {
            contact_of(conn, account_id, contact_id)?;
            render_all(conn, &notes::list(conn, account_id, contact_id)?)
        })
        .await?;
    Ok(ok_json(Value::Array(body)))
}

/// `POST …/notes {note: {content}}`
pub async fn create(state: State, member: AccountMember, path: ItemPath, body: JsonBody) -> Reply {
    let (account_id, contact_id) = (member.account_id(), path.into_inner().1);
    let content = body
        .require("note")?
        .get("content")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let user_id = member.user.id;
    let body = state
        .db
        .write(move |tx| -> ApiResult<_> {
            // The contact first (404), then the content (422), as Chatwoot's before_action.
            let note = crate::services::notes::create(tx, account_id, contact_id, user_id, &content)?;
            render(tx, &note)
        })
        .await?;
    Ok(ok_json(body))
}

/// `GET …/notes/{id}`
pub async fn show(state: State, member: AccountMember, path: web::Path<(i64, i64, i64)>) -> Reply {
    let (_, contact_id, id) = path.into_inner();
    let account_id = member.account_id();
    let body = state
        .db
        .read(move |conn| {
            render(
                conn,
                &notes::find(conn, account_id, contact_id, id)?.ok_or(ApiError::NotFound)?,
            )
        })
        .await?;
    Ok(ok_json(body))
}

/// `PATCH …/notes/{id} {note: {content}}`
pub async fn update(
    state: State,
    member: AccountMember,
    path: web::Path<(i64, i64, i64)>,
    body: JsonBody,
) -> Reply {
    let (_, contact_id, id) = path.into_inner();
    let account_id = member.account_id();
    let content = content(&body)?;
    let body = state
        .db
        .write(move |tx| -> ApiResult<_> {
            let mut note = notes::find(tx, account_id, contact_id, id)?.ok_or(ApiError::NotFound)?;
            note.content = content;
            render(tx, &notes::save(tx, &note)?)
        })
        .await?;
    Ok(ok_json(body))
}

/// `DELETE …/notes/{id}`
pub async fn destroy(state: State, member: AccountMember, path: web::Path<(i64, i64, i64)>) -> Reply {
    let (_, contact_id, id) = path.into_inner();
    let account_id = member.account_id();
    state
        .db
        .write(move |tx| -> ApiResult<_> {
            notes::find(tx, account_id, contact_id, id)?.ok_or(ApiError::NotFound)?;
            Ok(notes::delete(tx, account_id, id)?)
        })
        .await?;
    Ok(head_ok())
}
