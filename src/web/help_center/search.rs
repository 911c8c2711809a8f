//! Full-text search of a portal for the public pages (`search` and `articles.json?query=`).
//! A portal locale's published articles (plain text included), their categories and a
//! [`SearchIndex`] of them are held in memory once per portal content version, so a query
//! reads no database; result pages are memoized per version too. View counts and votes do
//! not change the version.

use std::collections::HashMap;
use std::sync::Arc;

use crate::db::article_search;
use crate::db::articles::Article;
use crate::db::categories::{self, Category};
use crate::db::memo::SizedMemo;
use crate::db::portals::Portal;
use crate::db::{Db, DbResult};
use crate::domain::search_index::{SearchIndex, best_page};
use crate::error::ApiResult;
use crate::state::AppState;
use crate::web::help_center::caches::PortalCaches;

/// Bytes of search corpora kept in memory (a corpus is about twice its articles' plain text:
/// 5,000 articles of 700 words take ~55 MiB); the least recently searched go first.
const CORPORA_BUDGET: usize = 256 << 20;

/// A ranked hit: the article (its `content` is `None`, its `content_text` empty) and a snippet
/// around its first match, matches wrapped in `\u{2}` … `\u{3}`.
#[derive(Debug, Clone)]
pub struct SearchHit {
    pub article: Arc<Article>,
    pub snippet: String,
}

/// One page of results with what the pages show beside them.
#[derive(Debug, Default)]
pub struct SearchPage {
    pub hits: Vec<SearchHit>,
    /// Hits over all pages.
    pub total: i64,
    /// Published articles of the locale (the JSON `meta.articles_count`).
    pub published_count: i64,
    /// Categories of the portal locale's published articles, by id.
    pub categories: Arc<HashMap<i64, Category>>,
}

/// What a portal locale's search reads, for one content version.
#[derive(Debug)]
struct Corpus {
    index: SearchIndex,
    /// Published articles by id, without either body, each with its plain text (for snippets).
    articles: HashMap<i64, (Arc<Article>, String)>,
    categories: Arc<HashMap<i64, Category>>,
}

impl Corpus {
    fn read(conn: &rusqlite::Connection, account_id: i64, portal_id: i64, locale: &str) -> DbResult<Corpus> {
        let started = std::time::Instant::now();
        let rows = article_search::published_articles(conn, portal_id, locale)?;
        let read_ms = started.elapsed().as_secs_f64() * 1000.0;
        let index = article_search::index_of(&rows);
        tracing::debug!(
            portal_id,
            locale,
            articles = rows.len(),
            read_ms,
            indexed_ms = started.elapsed().as_secs_f64() * 1000.0 - read_ms,
            "search corpus read"
        );
        let category_ids: Vec<i64> = rows.iter().filter_map(|a| a.category_id).collect();
        let categories = Arc::new(categories::find_many(conn, account_id, &category_ids)?);
        let articles = rows
            .into_iter()
            .map(|mut a| {
                let text = std::mem::take(&mut a.content_text);
                (a.id, (Arc::new(a), text))
            })
            .collect();
        Ok(Corpus {
            index,
            articles,
            categories,
        })
    }

    /// Approximate heap bytes held.
    fn bytes(&self) -> usize {
        let articles: usize = self
            .articles
            .values()
            .map(|(a, text)| {
                let description = a.description.as_ref().map_or(0, String::len);
                text.len() + a.title.len() + a.slug.len() + a.summary.len() + description + 432
            })
            .sum();
        self.index.heap_bytes() + articles + self.categories.len() * 400
    }

    /// The `offset..offset + limit` best matches of `terms`.
    fn search(&self, terms: &[String], limit: usize, offset: usize) -> SearchPage {
        let matches = self.index.search(terms);
        let total = i64::try_from(matches.len()).unwrap_or(i64::MAX);
        let hits = best_page(matches, offset, limit)
            .into_iter()
            .filter_map(|(_, id)| {
                let (article, text) = self.articles.get(&id)?;
                let snippet = article_search::snippet(text, terms);
                Some(SearchHit {
                    article: article.clone(),
                    snippet,
                })
            })
            .collect();
        SearchPage {
            hits,
            total,
            published_count: i64::try_from(self.index.len()).unwrap_or(i64::MAX),
            categories: self.categories.clone(),
        }
    }
}

/// Search corpora of portal locales, each tagged with the content version it was read at.
#[derive(Debug)]
pub struct PortalCorpora {
    read: SizedMemo<Arc<Corpus>>,
    /// Held while reading, so a burst of searches after an edit reads the corpus once; the
    /// others wait here, holding neither a database connection nor a read slot.
    reading: tokio::sync::Mutex<()>,
}

impl Default for PortalCorpora {
    fn default() -> Self {
        PortalCorpora {
            read: SizedMemo::with_budget(CORPORA_BUDGET),
            reading: tokio::sync::Mutex::const_new(()),
        }
    }
}

impl PortalCorpora {
    /// The corpus of `portal` in `locale` at `version`, read when missing or stale.
    async fn get(&self, db: &Db, portal: &Portal, locale: &str, version: u64) -> ApiResult<Arc<Corpus>> {
        let key = format!("{}\n{locale}", portal.id);
        if let Some(corpus) = self.read.get(&key, version) {
            return Ok(corpus);
        }
        let _reading = self.reading.lock().await;
        if let Some(corpus) = self.read.get(&key, version) {
            return Ok(corpus);
        }
        let (account_id, portal_id, locale) = (portal.account_id, portal.id, locale.to_string());
        let corpus = db
            .read(move |conn| Corpus::read(conn, account_id, portal_id, &locale))
            .await?;
        let bytes = corpus.bytes();
        let corpus = Arc::new(corpus);
        self.read.put(key, version, corpus.clone(), bytes);
        Ok(corpus)
    }
}

/// Ranked published articles of `portal` in `locale` matching `query`.
pub async fn search(
    state: &AppState,
    caches: &PortalCaches,
    portal: &Portal,
    locale: &str,
    query: &str,
    limit: i64,
    offset: i64,
) -> ApiResult<Arc<SearchPage>> {
    let key = format!("{}\n{locale}\n{limit}\n{offset}\n{query}", portal.id);
    // The version is read before the articles, so a write in between makes results stale
    // (read again on the next request), never wrong.
    let version = u64::try_from(portal.content_updated_at).unwrap_or(0);
    if let Some(page) = caches.searches.get(&key, version) {
        return Ok(page);
    }
    let terms = article_search::query_terms(query);
    let (limit, offset) = (
        usize::try_from(limit).unwrap_or(0),
        usize::try_from(offset).unwrap_or(0),
    );
    // Ranking an in-memory corpus is a short computation, done on this worker.
    let corpus = caches.corpora.get(&state.db, portal, locale, version).await?;
    let page = Arc::new(corpus.search(&terms, limit, offset));
    caches.searches.put(key, version, page.clone());
    Ok(page)
}
