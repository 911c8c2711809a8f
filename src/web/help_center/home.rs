//! The help-center home page of a portal locale: hero with search, featured articles, one
//! block per category with its first articles, and the uncategorized ones. What it lists is
//! read once per portal content version and minute (the featured list follows view counts,
//! which do not move the version), so a busy home page does not rank every article per request.

use std::sync::Arc;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde_json::json;

use crate::db::articles::{self, Article};
use crate::db::categories::{self, Category};
use crate::db::now_ms;
use crate::error::ApiResult;
use crate::state::AppState;
use crate::web::help_center::caches::PortalCaches;
use crate::web::help_center::pages::{ArticleLink, count_text, link};
use crate::web::help_center::{Chrome, Visit, find_portal, page, visit};

/// The featured (most viewed) articles are read again at least this often.
const FEATURED_REFRESH_MS: i64 = 60_000;

/// What the home page of a portal locale lists.
#[derive(Debug, Default)]
pub struct HomeContent {
    /// Categories with their published-article count and first five articles.
    categories: Vec<(Category, i64, Vec<Article>)>,
    featured: Vec<Article>,
    uncategorized: Vec<Article>,
}

/// A category block of the home page.
pub struct CategoryBlock {
    pub name: String,
    pub slug: String,
    pub icon: String,
    pub description: String,
    pub href: String,
    pub count_text: String,
    pub articles: Vec<ArticleLink>,
}

#[derive(Template)]
#[template(path = "portal/home.html")]
struct HomePage {
    chrome: Chrome,
    header: String,
    search_action: String,
    featured: Vec<ArticleLink>,
    categories: Vec<CategoryBlock>,
    uncategorized: Vec<ArticleLink>,
}

/// `GET /` on a portal's custom domain: that portal's home in its default locale.
pub async fn domain_root(state: web::Data<AppState>, req: HttpRequest) -> ApiResult<HttpResponse> {
    let portal = find_portal(&state, &req, None).await?;
    let v = visit(&state, &req, portal, None);
    home_page(&state, &req, v).await
}

/// `GET /hc/{slug}/{locale}`
pub async fn home(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
) -> ApiResult<HttpResponse> {
    let (slug, locale) = path.into_inner();
    let portal = find_portal(&state, &req, Some(slug)).await?;
    let v = visit(&state, &req, portal, Some(locale));
    home_page(&state, &req, v).await
}

async fn home_page(state: &AppState, req: &HttpRequest, v: Visit) -> ApiResult<HttpResponse> {
    let content = home_content(state, PortalCaches::of(req)?, &v).await?;
    let alternates = crate::domain::help_center::public_locales(&v.portal.config)
        .into_iter()
        .map(|code| (code.clone(), format!("/hc/{}/{}", v.portal.slug, code)))
        .collect();
    let title = v.portal.display_title(&v.locale);
    let header = v
        .portal
        .localized("header_text", &v.locale)
        .unwrap_or_else(|| title.clone());
    let mut chrome = v.chrome(title, header.clone(), &v.home(), alternates);
    chrome.json_ld = json!({"@context": "https://schema.org", "@type": "WebSite", "name": chrome.portal_name,
        "url": chrome.canonical,
        "potentialAction": {"@type": "SearchAction", "target": format!("{}/search?query={{q}}", chrome.canonical), "query-input": "required name=q"}})
    .to_string()
    .replace('<', "\\u003c");
    let categories = content
        .categories
        .iter()
        .map(|(c, n, top)| CategoryBlock {
            href: v.category_href(&c.slug),
            count_text: count_text(&v, *n),
            articles: top.iter().map(|a| link(&v, a)).collect(),
            name: c.name.clone(),
            slug: c.slug.clone(),
            icon: c.icon.clone(),
            description: c.description.clone().unwrap_or_default(),
        })
        .collect();
    let body = HomePage {
        search_action: format!("{}/search", v.home()),
        featured: content.featured.iter().map(|a| link(&v, a)).collect(),
        uncategorized: content.uncategorized.iter().map(|a| link(&v, a)).collect(),
        categories,
        header,
        chrome,
    };
    page(req, &v, StatusCode::OK, body)
}

/// The home content of the visit's portal locale, memoized per content version and minute.
async fn home_content(state: &AppState, caches: &PortalCaches, v: &Visit) -> ApiResult<Arc<HomeContent>> {
    let key = format!("{}\n{}", v.portal.id, v.locale);
    let version = home_version(v.portal.content_updated_at, now_ms());
    if let Some(content) = caches.homes.get(&key, version) {
        return Ok(content);
    }
    let (portal_id, locale) = (v.portal.id, v.locale.clone());
    let content = state
        .db
        .read(move |conn| -> ApiResult<_> {
            let cats = categories::list(conn, portal_id, Some(&locale))?;
            let counts = categories::article_counts(conn, portal_id, true)?;
            let mut tops = articles::published_top_per_category(conn, portal_id, &locale, 5)?;
            let categories = cats
                .into_iter()
                .filter_map(|c| {
                    let top = tops.remove(&c.id)?;
                    let count = counts.get(&c.id).copied().unwrap_or(0);
                    Some((c, count, top))
                })
                .collect();
            Ok(HomeContent {
                categories,
                featured: articles::published(conn, portal_id, &locale, None, true, 6, 0)?,
                uncategorized: articles::published(conn, portal_id, &locale, Some(None), false, 5, 0)?,
            })
        })
        .await?;
    let content = Arc::new(content);
    caches.homes.put(key, version, content.clone());
    Ok(content)
}

/// The portal content version (milliseconds: fits the upper 44 bits until the year 2527)
/// joined with the low 20 bits of the minute count, so either moving makes a new version.
fn home_version(content_updated_at: i64, now: i64) -> u64 {
    let version = u64::try_from(content_updated_at).unwrap_or(0);
    let minute = u64::try_from(now / FEATURED_REFRESH_MS).unwrap_or(0);
    (version << 20) | (minute & 0xF_FFFF)
}

#[cfg(test)]
mod tests {
    use super::home_version;

    #[test]
    fn versions_move_with_content_and_minutes() {
        let now = 1_800_000_000_000;
        assert_eq!(home_version(5, now), home_version(5, now + 1_000));
        assert_ne!(home_version(5, now), home_version(6, now));
        assert_ne!(home_version(5, now), home_version(5, now + 60_000));
    }
}
