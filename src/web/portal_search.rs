//! Full-text search of a portal for the public pages (`search` and `articles.json?query=`),
//! memoized per portal content version: a popular query is ranked once until an article or
//! category of that portal changes. View counts and votes do not change the version.

use std::collections::HashMap;
use std::sync::Arc;

use crate::db::articles::{self, SearchHit};
use crate::db::categories::{self, Category};
use crate::db::portals::Portal;
use crate::error::ApiResult;
use crate::state::AppState;

/// One page of results with what the pages show beside them.
#[derive(Debug, Default)]
pub struct SearchPage {
    pub hits: Vec<SearchHit>,
    /// Hits over all pages.
    pub total: i64,
    /// Published articles of the locale (the JSON `meta.articles_count`).
    pub published_count: i64,
    /// Categories of the hits, by id.
    pub categories: HashMap<i64, Category>,
}

/// Ranked published articles of `portal` in `locale` matching `query`.
pub async fn search(
    state: &AppState,
    portal: &Portal,
    locale: &str,
    query: &str,
    limit: i64,
    offset: i64,
) -> ApiResult<Arc<SearchPage>> {
    let key = format!("{}\n{locale}\n{limit}\n{offset}\n{query}", portal.id);
    let version = u64::try_from(portal.content_updated_at).unwrap_or(0);
    if let Some(page) = state.portal_searches.get(&key, version) {
        return Ok(page);
    }
    let (portal_id, account_id) = (portal.id, portal.account_id);
    let (locale, query) = (locale.to_string(), query.to_string());
    let page = state
        .db
        .read(move |conn| -> ApiResult<_> {
            let (hits, total) = articles::search_published(conn, portal_id, &locale, &query, limit, offset)?;
            let ids: Vec<i64> = hits.iter().filter_map(|h| h.article.category_id).collect();
            Ok(SearchPage {
                published_count: articles::published_count(conn, portal_id, &locale)?,
                categories: categories::find_many(conn, account_id, &ids)?,
                hits,
                total,
            })
        })
        .await?;
    let page = Arc::new(page);
    state.portal_searches.put(key, version, page.clone());
    Ok(page)
}
