//! `GET /api/v1/accounts/{account_id}/search/articles`: the dashboard's article search over
//! every portal of the account (FTS5 through `db::article_search`).

use actix_web::web;
use serde::Deserialize;
use serde_json::Value;

use crate::api::{Reply, State, ok_json};
use crate::auth::AccountMember;
use crate::db::{article_search, categories, portals};
use crate::error::ApiResult;
use crate::views;
use crate::views::help_center::search_article as view_search_hit;

/// Articles per page of the account-wide search.
const SEARCH_PER_PAGE: i64 = 15;

/// `?q=&page=`
#[derive(Debug, Deserialize)]
pub struct SearchQuery {
    q: Option<String>,
    page: Option<i64>,
}

/// `GET …/search/articles?q=&page=`: every portal of the account, 15 per page.
pub async fn search(state: State, member: AccountMember, query: web::Query<SearchQuery>) -> Reply {
    let query = query.into_inner();
    let page = crate::api::clamp_page(query.page);
    let text = query.q.unwrap_or_default();
    let account_id = member.account_id();
    let body = state
        .db
        .read(move |conn| -> ApiResult<_> {
            let rows = article_search::search_account(
                conn,
                account_id,
                &text,
                SEARCH_PER_PAGE,
                (page - 1) * SEARCH_PER_PAGE,
            )?;
            let portal_slugs: std::collections::HashMap<i64, String> = portals::list(conn, account_id)?
                .into_iter()
                .map(|p| (p.id, p.slug))
                .collect();
            let category_ids: Vec<i64> = rows.iter().filter_map(|a| a.category_id).collect();
            let cats = categories::find_many(conn, account_id, &category_ids)?;
            let items: Vec<Value> = rows
                .iter()
                .map(|a| {
                    let category = a.category_id.and_then(|id| cats.get(&id));
                    view_search_hit(a, portal_slugs.get(&a.portal_id).map(String::as_str), category)
                })
                .collect();
            Ok(views::help_center::search_hits(items))
        })
        .await?;
    Ok(ok_json(body))
}
