//! `GET /api/v1/accounts/{account_id}/assignable_agents?inbox_ids[]=…`: the agents who may be
//! assigned in every given inbox (members of all of them) plus the administrators.

use actix_web::HttpRequest;

use crate::api::{Reply, State, ok_json};
use crate::auth::AccountMember;
use crate::db::{agents, inboxes};
use crate::error::{ApiError, ApiResult};
use crate::views;

/// `inbox_ids[]` (or `inbox_ids`) from the query string; `None` when absent, as Chatwoot's
/// `find(nil)` then answers 404. A value that is not a number names no inbox (404 too).
fn inbox_ids(query: &str) -> ApiResult<Option<Vec<i64>>> {
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(query).map_err(|e| ApiError::BadRequest(e.to_string()))?;
    let values: Vec<&str> = pairs
        .iter()
        .filter(|(k, _)| k == "inbox_ids[]" || k == "inbox_ids")
        .map(|(_, v)| v.as_str())
        .collect();
    if values.is_empty() {
        return Ok(None);
    }
    values
        .iter()
        .map(|v| v.trim().parse::<i64>().map_err(|_| ApiError::NotFound))
        .collect::<ApiResult<Vec<_>>>()
        .map(Some)
}

/// `{payload: [agent]}`; an unknown inbox is a 404, one the caller cannot see a 401 (all are
/// looked up before any is authorized, as Chatwoot's `before_action` does).
pub async fn index(state: State, member: AccountMember, req: HttpRequest) -> Reply {
    let ids = inbox_ids(req.query_string())?.ok_or(ApiError::NotFound)?;
    let account_id = member.account_id();
    let rows = state
        .db
        .read(move |conn| -> ApiResult<_> {
            for id in &ids {
                inboxes::find(conn, account_id, *id)?.ok_or(ApiError::NotFound)?;
            }
            for id in &ids {
                if !(member.is_admin() || inboxes::is_member(conn, *id, member.user.id)?) {
                    return Err(ApiError::Forbidden);
                }
            }
            Ok(agents::assignable_in_all(conn, account_id, &ids)?)
        })
        .await?;
    Ok(ok_json(views::envelope::payload(views::agent::agents(&rows))))
}
