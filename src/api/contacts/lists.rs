//! `GET /api/v1/accounts/{account_id}/contacts`, `search`, `active` and `POST filter`: the
//! contact lists (contacts without email, phone and identifier are left out), 15 per page.

use actix_web::web;
use serde::Deserialize;
use serde_json::Value;

use crate::api::body::JsonBody;
use crate::api::{Reply, State, ok_json};
use crate::auth::AccountMember;
use crate::db::contacts::{self, Contact};
use crate::domain::contacts::order_by;
use crate::error::{ApiError, ApiResult};
use crate::views;

/// Contacts per page (Chatwoot: 15).
const PER_PAGE: i64 = 15;

/// `?page=&sort=&q=&include_contact_inboxes=`
#[derive(Debug, Deserialize)]
pub struct ListQuery {
    page: Option<String>,
    sort: Option<String>,
    q: Option<String>,
    include_contact_inboxes: Option<String>,
}

impl ListQuery {
    fn page(&self) -> i64 {
        crate::api::page_number(self.page.as_deref())
    }

    /// `current_page` echoes the raw `page` (a string when sent, the integer 1 when absent).
    fn current_page(&self) -> Value {
        self.page.clone().map_or(Value::from(1), Value::String)
    }

    fn order(&self) -> Option<&'static str> {
        self.sort.as_deref().and_then(order_by)
    }
}

fn list_response(
    conn: &rusqlite::Connection,
    rows: &[Contact],
    count: i64,
    query: &ListQuery,
) -> ApiResult<Value> {
    let with_inboxes = query.include_contact_inboxes.as_deref() != Some("false");
    let payload = if with_inboxes {
        let ids: Vec<i64> = rows.iter().map(|c| c.id).collect();
        views::contact::contacts(rows, &contacts::contact_inboxes_for(conn, &ids)?)
    } else {
        rows.iter().map(|c| views::contact::contact(c, None)).collect()
    };
    Ok(views::contact::page(Some(count), query.current_page(), payload))
}

/// `GET …/contacts`
pub async fn index(state: State, member: AccountMember, query: web::Query<ListQuery>) -> Reply {
    let account_id = member.account_id();
    let query = query.into_inner();
    let body = state
        .db
        .read(move |conn| {
            let (rows, count) = contacts::page(conn, account_id, query.order(), query.page(), PER_PAGE)?;
            list_response(conn, &rows, count, &query)
        })
        .await?;
    Ok(ok_json(body))
}

/// `GET …/contacts/search?q=`
pub async fn search(state: State, member: AccountMember, query: web::Query<ListQuery>) -> Reply {
    let account_id = member.account_id();
    let query = query.into_inner();
    let q = query.q.clone().unwrap_or_default().trim().to_string();
    if q.is_empty() {
        return Ok(ok_json(views::contact::page(
            Some(0),
            query.current_page(),
            Vec::new(),
        )));
    }
    let body = state
        .db
        .read(move |conn| {
            let (rows, count) =
                contacts::search(conn, account_id, &q, query.order(), query.page(), PER_PAGE)?;
            list_response(conn, &rows, count, &query)
        })
        .await?;
    Ok(ok_json(body))
}

/// `GET …/contacts/active`: contacts whose widget pinged `/cable` within the presence window
/// (Chatwoot's `OnlineStatusTracker`), 15 per page, newest id first.
pub async fn active(state: State, member: AccountMember, query: web::Query<ListQuery>) -> Reply {
    let account_id = member.account_id();
    let online = state.presence.online_contacts(account_id);
    let query = query.into_inner();
    let body = state
        .db
        .read(move |conn| {
            let mut found: Vec<Contact> = contacts::find_many(conn, account_id, &online)?
                .into_values()
                .collect();
            found.sort_by_key(|c| std::cmp::Reverse(c.id));
            let count = i64::try_from(found.len()).unwrap_or(i64::MAX);
            let skip = usize::try_from((query.page() - 1) * PER_PAGE).unwrap_or(usize::MAX);
            let rows: Vec<Contact> = found.into_iter().skip(skip).take(PER_PAGE as usize).collect();
            list_response(conn, &rows, count, &query)
        })
        .await?;
    Ok(ok_json(body))
}

/// `POST …/contacts/filter {page, payload: [conditions]}` → `{meta: {count, current_page}, payload}`
pub async fn filter(state: State, member: AccountMember, body: JsonBody) -> Reply {
    let page = crate::api::filters::page_of(&body);
    let current_page = body.0.get("page").cloned().unwrap_or(Value::from(1));
    let payload = body.0.get("payload").cloned().unwrap_or(Value::Null);
    let account_id = member.account_id();
    let body = state
        .db
        .read(move |conn| -> ApiResult<_> {
            let custom = crate::api::filters::custom_kinds(conn, account_id, 1)?;
            let condition =
                crate::domain::filters::compile(crate::domain::filters::Target::Contact, &payload, &custom)
                    .map_err(ApiError::Unprocessable)?;
            let (rows, count) = contacts::filtered(conn, account_id, &condition, page, PER_PAGE)?;
            let ids: Vec<i64> = rows.iter().map(|c| c.id).collect();
            let payload = views::contact::contacts(&rows, &contacts::contact_inboxes_for(conn, &ids)?);
            Ok(views::contact::page(Some(count), current_page, payload))
        })
        .await?;
    Ok(ok_json(body))
}
