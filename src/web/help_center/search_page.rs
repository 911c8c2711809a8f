//! The help-center search page (`/hc/{slug}/{locale}/search?query=&page=`): ranked results
//! with highlighted snippets, 10 per page, plain links for paging (no JavaScript needed).

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::db::article_search::{CUT, MATCH_END, MATCH_START};
use crate::error::ApiResult;
use crate::state::AppState;
use crate::web::help_center::caches::PortalCaches;
use crate::web::help_center::search;
use crate::web::help_center::{Chrome, dates, find_portal, page, visit};

/// Search results per page.
const SEARCH_PER_PAGE: i64 = 10;

/// One search result.
pub struct SearchResult {
    pub title: String,
    pub href: String,
    pub snippet: String,
    pub category: String,
    pub updated: String,
    pub updated_iso: String,
}

#[derive(Template)]
#[template(path = "portal/search.html")]
struct SearchPage {
    chrome: Chrome,
    query: String,
    heading: String,
    count_text: String,
    hits: Vec<SearchResult>,
    prev_href: String,
    next_href: String,
}

/// `?query=&page=`
#[derive(Debug, Deserialize)]
pub struct SearchQuery {
    #[serde(default)]
    query: String,
    page: Option<i64>,
}

/// `GET /hc/{slug}/{locale}/search?query=&page=`: ranked, highlighted, 10 per page.
pub async fn search(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    query: web::Query<SearchQuery>,
) -> ApiResult<HttpResponse> {
    let (slug, locale) = path.into_inner();
    let portal = find_portal(&state, &req, Some(slug)).await?;
    let v = visit(&state, &req, portal, Some(locale));
    let SearchQuery { query, page: page_no } = query.into_inner();
    let text = query.trim().chars().take(200).collect::<String>();
    let page_no = page_no.unwrap_or(1).clamp(1, 1000);
    let found = search::search(
        &state,
        PortalCaches::of(&req)?,
        &v.portal,
        &v.locale,
        &text,
        SEARCH_PER_PAGE,
        (page_no - 1) * SEARCH_PER_PAGE,
    )
    .await?;
    let total = found.total;
    let t = crate::web::help_center::texts::portal_texts(&v.locale);
    let results = found
        .hits
        .iter()
        .map(|hit| {
            let (updated, updated_iso) = dates(hit.article.updated_at);
            SearchResult {
                href: v.article_href(&hit.article.slug),
                snippet: highlight(&hit.snippet),
                category: hit
                    .article
                    .category_id
                    .and_then(|id| found.categories.get(&id))
                    .map(|c| c.name.clone())
                    .unwrap_or_default(),
                title: hit.article.title.clone(),
                updated,
                updated_iso,
            }
        })
        .collect();
    let search_path = format!("{}/search", v.home());
    let encoded: String = form_urlencoded::byte_serialize(text.as_bytes()).collect();
    let page_href = |n: i64| v.link(&format!("{search_path}?query={encoded}&page={n}"));
    let mut chrome = v.chrome(
        format!(
            "{} {} | {}",
            t.results_for,
            text,
            v.portal.display_title(&v.locale)
        ),
        String::new(),
        &search_path,
        Vec::new(),
    );
    chrome.noindex = true;
    let body = SearchPage {
        heading: format!("{} “{}”", t.results_for, text),
        count_text: if total == 1 {
            t.result_count_one.to_string()
        } else {
            t.results_count.replace("{n}", &total.to_string())
        },
        hits: results,
        prev_href: if page_no > 1 {
            page_href(page_no - 1)
        } else {
            String::new()
        },
        next_href: if page_no * SEARCH_PER_PAGE < total {
            page_href(page_no + 1)
        } else {
            String::new()
        },
        query: text,
        chrome,
    };
    page(&req, &v, StatusCode::OK, body)
}

/// Escape a snippet, then turn the match markers into `<mark>` and the cuts into "…".
fn highlight(snippet: &str) -> String {
    let escaped = askama::filters::escape(snippet, askama::filters::Html)
        .map(|e| e.to_string())
        .unwrap_or_default();
    escaped
        .replace(MATCH_START, "<mark>")
        .replace(MATCH_END, "</mark>")
        .replace(CUT, "…")
}
