//! Machine-readable help-center endpoints: the widget's `articles.json` and `categories.json`,
//! `sitemap.xml`, `robots.txt` and the portal logo.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::db::article_search::{CUT, MATCH_END, MATCH_START};
use crate::db::articles::{self, Article};
use crate::db::categories;
use crate::db::portals::Portal;
use crate::db::run_blocking;
use crate::domain::help_center::ArticleStatus;
use crate::domain::timestamps::iso;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::web::help_center::caches::PortalCaches;
use crate::web::help_center::find_portal;
use crate::web::help_center::search;

/// Hits of `articles.json?query=` when no `per_page` is given.
const SEARCH_DEFAULT_LIMIT: i64 = 25;

/// One hit of `articles.json?query=`: the widget's search result.
#[derive(Serialize)]
struct SearchResult<'a> {
    id: i64,
    category_id: Option<i64>,
    title: &'a str,
    /// The snippet around the first match.
    content: String,
    link: String,
}

/// `{"payload": [...], "meta": {"articles_count": n}}` of a search.
#[derive(Serialize)]
struct SearchResults<'a> {
    payload: Vec<SearchResult<'a>>,
    meta: SearchMeta,
}

#[derive(Serialize)]
struct SearchMeta {
    articles_count: i64,
}

/// `?query=&sort=&per_page=&page=`
#[derive(Debug, Deserialize)]
pub struct ArticlesQuery {
    query: Option<String>,
    sort: Option<String>,
    per_page: Option<i64>,
    page: Option<i64>,
}

fn json_response(body: impl Serialize) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "public, max-age=60"))
        .insert_header(("Access-Control-Allow-Origin", "*"))
        .json(body)
}

fn hc_portal(portal: &Portal, published: i64, categories_count: i64) -> Value {
    json!({
        "custom_domain": portal.custom_domain,
        "header_text": portal.header_text,
        "homepage_link": portal.homepage_link,
        "name": portal.name,
        "page_title": portal.page_title,
        "slug": portal.slug,
        "meta": {"articles_count": published, "categories_count": categories_count, "default_locale": portal.default_locale()},
    })
}

fn public_article(portal_json: &Value, slug: &str, a: &Article) -> Value {
    json!({
        "id": a.id,
        "category_id": a.category_id,
        "title": a.title,
        "content": a.content,
        "description": a.description,
        "status": ArticleStatus::from_code(a.status).as_str(),
        "position": a.position,
        "account_id": a.account_id,
        "last_updated_at": iso(a.updated_at),
        "slug": a.slug,
        "portal": portal_json,
        "views": a.views,
        "link": format!("hc/{slug}/articles/{}", a.slug),
    })
}

/// `GET /hc/{slug}/{locale}/articles.json` (and the category variant, which Chatwoot does not
/// filter by category either).
pub async fn articles_json(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    query: web::Query<ArticlesQuery>,
) -> ApiResult<HttpResponse> {
    let (slug, locale) = path.into_inner();
    let portal = find_portal(&state, &req, Some(slug)).await?;
    let query = query.into_inner();
    let text = query
        .query
        .map(|q| q.trim().to_string())
        .filter(|q| !q.is_empty());
    let by_views = query.sort.as_deref() == Some("views");
    let (limit, offset) = match query.per_page {
        Some(n) => {
            let per = if n < 1 { 25 } else { n.min(100) };
            (per, (crate::domain::params::clamp_page(query.page) - 1) * per)
        }
        None => (10_000, 0),
    };
    if let Some(text) = text {
        // Search-as-you-type wants the best few: without per_page, the best 25.
        let limit = if query.per_page.is_some() {
            limit
        } else {
            SEARCH_DEFAULT_LIMIT
        };
        let found = search::search(
            &state,
            PortalCaches::of(&req)?,
            &portal,
            &locale,
            &text,
            limit,
            offset,
        )
        .await?;
        let payload: Vec<SearchResult> = found
            .hits
            .iter()
            .map(|h| SearchResult {
                id: h.article.id,
                category_id: h.article.category_id,
                title: &h.article.title,
                content: h
                    .snippet
                    .replace([MATCH_START, MATCH_END], "")
                    .replace(CUT, "..."),
                link: format!("/hc/{}/articles/{}", portal.slug, h.article.slug),
            })
            .collect();
        return Ok(json_response(SearchResults {
            payload,
            meta: SearchMeta {
                articles_count: found.published_count,
            },
        }));
    }
    let portal_id = portal.id;
    let body = state
        .db
        .read(move |conn| -> ApiResult<_> {
            let count = articles::published_count(conn, portal_id, &locale)?;
            let categories_count = categories::list(conn, portal_id, Some(&locale))?.len() as i64;
            let portal_json = hc_portal(&portal, count, categories_count);
            let mut rows = articles::published(conn, portal_id, &locale, None, by_views, limit, offset)?;
            let ids: Vec<i64> = rows.iter().map(|a| a.id).collect();
            let mut bodies = articles::contents(conn, &ids)?;
            for a in &mut rows {
                a.content = bodies.remove(&a.id);
            }
            let payload: Vec<Value> = rows
                .iter()
                .map(|a| public_article(&portal_json, &portal.slug, a))
                .collect();
            Ok(json!({"payload": payload, "meta": {"articles_count": count}}))
        })
        .await?;
    Ok(json_response(body))
}

/// `GET /hc/{slug}/{locale}/categories/{category}/articles.json`: the same list as
/// `articles.json` (Chatwoot ignores the category here).
pub async fn category_articles_json(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(String, String, String)>,
    query: web::Query<ArticlesQuery>,
) -> ApiResult<HttpResponse> {
    let (slug, locale, _) = path.into_inner();
    articles_json(state, req, web::Path::from((slug, locale)), query).await
}

/// `GET /hc/{slug}/{locale}/categories.json`: every locale, by position, without ids.
pub async fn categories_json(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
) -> ApiResult<HttpResponse> {
    let portal = find_portal(&state, &req, Some(path.into_inner().0)).await?;
    let portal_id = portal.id;
    let body = state
        .db
        .read(move |conn| -> ApiResult<_> {
            let counts = categories::article_counts(conn, portal_id, true)?;
            let payload: Vec<Value> = categories::list(conn, portal_id, None)?
                .iter()
                .map(|c| {
                    json!({"name": c.name, "slug": c.slug, "locale": c.locale, "description": c.description,
                        "position": c.position, "meta": {"articles_count": counts.get(&c.id).copied().unwrap_or(0)}})
                })
                .collect();
            Ok(json!({"payload": payload}))
        })
        .await?;
    Ok(json_response(body))
}

/// `GET /hc/{slug}/{locale}/categories` → 301 to the locale home.
pub async fn categories_index(path: web::Path<(String, String)>) -> HttpResponse {
    let (slug, locale) = path.into_inner();
    HttpResponse::MovedPermanently()
        .insert_header((header::LOCATION, format!("/hc/{slug}/{locale}")))
        .finish()
}

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// `GET /hc/{slug}/sitemap.xml`: every published article of every locale.
pub async fn sitemap(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let portal = find_portal(&state, &req, Some(path.into_inner())).await?;
    let base = match &portal.custom_domain {
        Some(domain) => format!("https://{domain}"),
        None => state.config.frontend_url(),
    };
    let portal_id = portal.id;
    let rows = state
        .db
        .read(move |conn| -> ApiResult<_> {
            let mut rows = Vec::new();
            for locale in portal.allowed_locales() {
                rows.extend(articles::published(
                    conn, portal_id, &locale, None, false, 50_000, 0,
                )?);
            }
            Ok((portal.slug, rows))
        })
        .await?;
    let (slug, rows) = rows;
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for a in rows {
        let lastmod = iso(a.updated_at);
        xml.push_str(&format!(
            "  <url><loc>{}</loc><lastmod>{}</lastmod></url>\n",
            xml_escape(&format!("{base}/hc/{slug}/articles/{}", a.slug)),
            lastmod.get(..10).unwrap_or_default()
        ));
    }
    xml.push_str("</urlset>\n");
    Ok(HttpResponse::Ok()
        .content_type("application/xml; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(xml))
}

/// `GET /robots.txt`: help centers are public; the APIs and surveys are not for crawlers.
pub async fn robots() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=86400"))
        .body("User-agent: *\nAllow: /hc/\nDisallow: /api/\nDisallow: /platform/\nDisallow: /public/\nDisallow: /survey/\nDisallow: /attachments/\n")
}

/// `GET /hc/{slug}/logo`: the portal's logo image.
pub async fn logo(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let portal = find_portal(&state, &req, Some(path.into_inner())).await?;
    let (Some(key), Some(content_type)) = (portal.logo_key.clone(), portal.logo_content_type.clone()) else {
        return Err(ApiError::NotFound);
    };
    if !crate::domain::attachments::valid_storage_key(&key) {
        return Err(ApiError::NotFound);
    }
    let file = state.config.uploads_dir().join(&key);
    let bytes = run_blocking(move || std::fs::read(&file).map_err(|_| ApiError::NotFound)).await?;
    Ok(HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((header::CACHE_CONTROL, "public, max-age=86400"))
        .insert_header(("X-Content-Type-Options", "nosniff"))
        .insert_header(("Content-Security-Policy", "default-src 'none'; sandbox"))
        .body(bytes))
}
