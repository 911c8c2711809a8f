//! Full-text search of a portal for the public pages (`search` and `articles.json?query=`).
//! Each portal locale's published articles are indexed in memory once per portal content
//! version (see [`SearchIndex`]); result pages are memoized per version too, so a popular
//! query is answered without the database until an article or category of that portal
//! changes. View counts and votes do not change the version.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::db::DbResult;
use crate::db::article_search::{self, SearchHit};
use crate::db::categories::{self, Category};
use crate::db::memo::Memo;
use crate::db::portals::Portal;
use crate::domain::search_index::{SearchIndex, best_page};
use crate::error::ApiResult;
use crate::state::AppState;

/// Portal locales whose index is kept (each about as large as its articles' plain text).
const INDEXES_KEPT: usize = 64;

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

/// Search indexes of portal locales, each tagged with the content version it was built at.
#[derive(Debug)]
pub struct PortalIndexes {
    built: Memo<Arc<SearchIndex>>,
    /// Held while building, so a burst of searches after an edit builds the index once.
    building: Mutex<()>,
}

impl Default for PortalIndexes {
    fn default() -> Self {
        PortalIndexes {
            built: Memo::with_capacity(INDEXES_KEPT),
            building: Mutex::default(),
        }
    }
}

impl PortalIndexes {
    /// The index under `key` at `version`, built by `build` when missing or stale.
    fn get_or_build(
        &self,
        key: &str,
        version: u64,
        build: impl FnOnce() -> DbResult<SearchIndex>,
    ) -> DbResult<Arc<SearchIndex>> {
        if let Some(index) = self.built.get(key, version) {
            return Ok(index);
        }
        let _building = self.building.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(index) = self.built.get(key, version) {
            return Ok(index);
        }
        let index = Arc::new(build()?);
        self.built.put(key.to_string(), version, index.clone());
        Ok(index)
    }
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
    // The version is read before the articles, so a write in between makes results stale
    // (rebuilt on the next request), never wrong.
    let version = u64::try_from(portal.content_updated_at).unwrap_or(0);
    if let Some(page) = state.portal_searches.get(&key, version) {
        return Ok(page);
    }
    let (portal_id, account_id) = (portal.id, portal.account_id);
    let locale = locale.to_string();
    let terms = article_search::query_terms(query);
    let indexes = state.portal_indexes.clone();
    let (offset, limit) = (
        usize::try_from(offset).unwrap_or(0),
        usize::try_from(limit).unwrap_or(0),
    );
    let page = state
        .db
        .read(move |conn| -> ApiResult<_> {
            let index = indexes.get_or_build(&format!("{portal_id}\n{locale}"), version, || {
                article_search::published_index(conn, portal_id, &locale)
            })?;
            let matches = index.search(&terms);
            let total = i64::try_from(matches.len()).unwrap_or(i64::MAX);
            let ids: Vec<i64> = best_page(matches, offset, limit).iter().map(|h| h.1).collect();
            let hits = article_search::published_hits(conn, &ids, &terms)?;
            let category_ids: Vec<i64> = hits.iter().filter_map(|h| h.article.category_id).collect();
            Ok(SearchPage {
                published_count: i64::try_from(index.len()).unwrap_or(i64::MAX),
                categories: categories::find_many(conn, account_id, &category_ids)?,
                hits,
                total,
            })
        })
        .await?;
    let page = Arc::new(page);
    state.portal_searches.put(key, version, page.clone());
    Ok(page)
}
