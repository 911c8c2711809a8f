//! `GET /api/v1/accounts/{account_id}/audit_logs?page=` (administrators).

use actix_web::web;
use serde::Deserialize;

use crate::api::{Reply, State, ok_json, page_number};
use crate::auth::AccountMember;
use crate::db::audit_logs;
use crate::error::ApiResult;
use crate::views;

/// Chatwoot pages audit logs by 15.
const PER_PAGE: i64 = 15;

/// `?page=`
#[derive(Debug, Deserialize)]
pub struct PageQuery {
    page: Option<String>,
}

/// `{"per_page":15,"total_entries":n,"current_page":p,"audit_logs":[…]}`, newest first.
pub async fn index(state: State, member: AccountMember, query: web::Query<PageQuery>) -> Reply {
    member.require_admin()?;
    let page = page_number(query.page.as_deref());
    let account_id = member.account_id();
    let (rows, total) = state
        .db
        .read(move |conn| -> ApiResult<_> { Ok(audit_logs::page(conn, account_id, page, PER_PAGE)?) })
        .await?;
    Ok(ok_json(views::audit_log::page(&rows, PER_PAGE, total, page)))
}
