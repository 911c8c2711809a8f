//! `/api/v1/accounts/{account_id}/canned_responses`: every member may manage them (no policy in
//! Chatwoot).

use actix_web::web;
use serde::Deserialize;
use serde_json::Value;

use crate::api::audited::Audited;
use crate::api::body::{JsonBody, parse_params};
use crate::api::{ItemPath, Reply, State, head_ok, ok_json};
use crate::auth::AccountMember;
use crate::db::canned_responses::{self, CannedResponse};
use crate::error::ApiResult;
use crate::services::settings;
use crate::views::canned_response::canned_response as view;

/// Writable attributes.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Params {
    short_code: Option<String>,
    content: Option<String>,
}

/// `?search=`
#[derive(Debug, Deserialize)]
pub struct SearchQuery {
    search: Option<String>,
}

/// A create or an update: the fields left out keep their values; the rules are the
/// settings service's, shared with the agent app.
fn apply(conn: &rusqlite::Connection, row: &mut CannedResponse, params: Params) -> ApiResult<()> {
    let short_code = params.short_code.unwrap_or_else(|| row.short_code.clone());
    let content = params.content.unwrap_or_else(|| row.content.clone());
    settings::apply_canned(conn, row, &short_code, &content)
}

/// `GET …/canned_responses[?search=]`
pub async fn index(state: State, member: AccountMember, query: web::Query<SearchQuery>) -> Reply {
    let account_id = member.account_id();
    let search = query.into_inner().search;
    let rows = state
        .db
        .read(move |conn| -> ApiResult<_> {
            Ok(canned_responses::list(conn, account_id, search.as_deref())?)
        })
        .await?;
    Ok(ok_json(Value::Array(rows.iter().map(view).collect())))
}

/// Canned responses in the audit trail.
const CANNED_RESPONSES: Audited<CannedResponse> = Audited {
    audit_type: "CannedResponse",
    find: |conn, actor, id| canned_responses::find(conn, actor.account_id, id),
    save: canned_responses::save,
    delete: canned_responses::delete,
    id: |row| row.id,
    view,
};

/// `POST …/canned_responses`
pub async fn create(state: State, member: AccountMember, body: JsonBody) -> Reply {
    let params: Params = parse_params(body.require("canned_response")?)?;
    let blank = CannedResponse {
        id: 0,
        account_id: member.account_id(),
        short_code: String::new(),
        content: String::new(),
        created_at: 0,
        updated_at: 0,
    };
    let row = CANNED_RESPONSES
        .create(&state, member.actor(), blank, |tx, row| apply(tx, row, params))
        .await?;
    Ok(ok_json(view(&row)))
}

/// `PATCH …/canned_responses/{id}`
pub async fn update(state: State, member: AccountMember, path: ItemPath, body: JsonBody) -> Reply {
    let id = path.into_inner().1;
    let params: Params = parse_params(body.require("canned_response")?)?;
    let row = CANNED_RESPONSES
        .update(&state, member.actor(), id, |tx, row| apply(tx, row, params))
        .await?;
    Ok(ok_json(view(&row)))
}

/// `DELETE …/canned_responses/{id}`
pub async fn destroy(state: State, member: AccountMember, path: ItemPath) -> Reply {
    CANNED_RESPONSES
        .destroy(&state, member.actor(), path.into_inner().1)
        .await?;
    Ok(head_ok())
}
