//! The public help-center pages: the portal root (a redirect to its default locale), category,
//! article (with feedback) and 404; the home page is [`super::home`], the search page
//! [`super::search_page`]. Only published articles are ever shown to the public.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;
use serde_json::json;

use crate::db::articles::{self, Article};
use crate::db::categories::{self, Category};
use crate::domain::article_text::excerpt;
use crate::domain::help_center::ArticleStatus;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::web::help_center::article_markdown::{TocEntry, render_cached};
use crate::web::help_center::{Chrome, Visit, dates, find_portal, page, visit, visitor_key};

/// An article link in a list.
pub struct ArticleLink {
    pub title: String,
    pub href: String,
    pub excerpt: String,
    pub updated: String,
    pub updated_iso: String,
}

#[derive(Template)]
#[template(path = "portal/category.html")]
struct CategoryPage {
    chrome: Chrome,
    name: String,
    icon: String,
    description: String,
    count_text: String,
    articles: Vec<ArticleLink>,
}

#[derive(Template)]
#[template(path = "portal/article.html")]
struct ArticlePage {
    chrome: Chrome,
    title: String,
    updated: String,
    updated_iso: String,
    category_name: String,
    category_href: String,
    toc: Vec<TocEntry>,
    body: String,
    voted: bool,
    feedback_action: String,
}

#[derive(Template)]
#[template(path = "portal/not_found.html")]
struct NotFoundPage {
    chrome: Chrome,
}

/// An article as a list entry of a page.
pub(crate) fn link(v: &Visit, a: &Article) -> ArticleLink {
    let (updated, updated_iso) = dates(a.updated_at);
    ArticleLink {
        title: a.title.clone(),
        href: v.article_href(&a.slug),
        excerpt: a
            .description
            .clone()
            .filter(|d| !d.trim().is_empty())
            .unwrap_or_else(|| excerpt(&a.summary, 160)),
        updated,
        updated_iso,
    }
}

/// "1 article" / "N articles" in the visit's language.
pub(crate) fn count_text(v: &Visit, n: i64) -> String {
    let t = crate::web::help_center::texts::portal_texts(&v.locale);
    if n == 1 {
        t.article_count_one.to_string()
    } else {
        t.articles_count.replace("{n}", &n.to_string())
    }
}

/// The portal's 404 page, status 404.
pub fn not_found(req: &HttpRequest, v: &Visit) -> ApiResult<HttpResponse> {
    let t = crate::web::help_center::texts::portal_texts(&v.locale);
    let mut chrome = v.chrome(
        t.not_found_title.to_string(),
        String::new(),
        &v.home(),
        Vec::new(),
    );
    chrome.noindex = true;
    page(req, v, StatusCode::NOT_FOUND, NotFoundPage { chrome })
}

/// `GET /hc/{slug}` → the default locale.
pub async fn portal_root(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let portal = find_portal(&state, &req, Some(path.into_inner())).await?;
    let target = format!("/hc/{}/{}", portal.slug, portal.default_locale());
    let query = req.query_string();
    let location = if query.is_empty() {
        target
    } else {
        format!("{target}?{query}")
    };
    Ok(HttpResponse::Found()
        .insert_header((header::LOCATION, location))
        .finish())
}

/// `GET /hc/{slug}/{locale}/categories/{category}`
pub async fn category(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(String, String, String)>,
) -> ApiResult<HttpResponse> {
    let (slug, locale, category_slug) = path.into_inner();
    let portal = find_portal(&state, &req, Some(slug)).await?;
    let v = visit(&state, &req, portal, Some(locale));
    let (portal_id, locale) = (v.portal.id, v.locale.clone());
    let found: Option<(Category, Vec<Article>)> = state
        .db
        .read(move |conn| -> ApiResult<_> {
            let Some(c) = categories::find_by_slug(conn, portal_id, &locale, &category_slug)? else {
                return Ok(None);
            };
            let list = articles::published(conn, portal_id, &locale, Some(Some(c.id)), false, 1000, 0)?;
            Ok(Some((c, list)))
        })
        .await?;
    let Some((c, list)) = found else {
        return not_found(&req, &v);
    };
    let path = format!("{}/categories/{}", v.home(), c.slug);
    let chrome = v.chrome(
        format!("{} | {}", c.name, v.portal.display_title(&v.locale)),
        c.description.clone().unwrap_or_default(),
        &path,
        Vec::new(),
    );
    let body = CategoryPage {
        count_text: count_text(&v, list.len() as i64),
        articles: list.iter().map(|a| link(&v, a)).collect(),
        name: c.name,
        icon: c.icon,
        description: c.description.unwrap_or_default(),
        chrome,
    };
    page(&req, &v, StatusCode::OK, body)
}

/// `GET /hc/{slug}/articles/{article}` (or `{article}.md` for the raw markdown). Unpublished
/// articles are a 404; a view counts once per visitor per day.
pub async fn article(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
) -> ApiResult<HttpResponse> {
    let (slug, article_slug) = path.into_inner();
    let portal = find_portal(&state, &req, Some(slug)).await?;
    let (article_slug, markdown) = match article_slug.strip_suffix(".md") {
        Some(base) => (base.to_string(), true),
        None => (article_slug, false),
    };
    let portal_id = portal.id;
    let lookup = article_slug.clone();
    let visitor = visitor_key(&state, &req);
    let seen_by = visitor.clone();
    let found = state
        .db
        .read(move |conn| -> ApiResult<_> {
            let Some(a) = articles::find_by_slug(conn, portal_id, &lookup)?
                .filter(|a| a.status == ArticleStatus::Published.code())
            else {
                return Ok(None);
            };
            let category = match a.category_id {
                Some(id) => categories::find(conn, portal_id, id)?,
                None => None,
            };
            let translations = match a.associated_article_id {
                Some(root) => articles::associated(conn, &[root])?
                    .remove(&root)
                    .unwrap_or_default(),
                None => articles::associated(conn, &[a.id])?
                    .remove(&a.id)
                    .unwrap_or_default(),
            };
            let root = match a.associated_article_id {
                Some(root) => articles::find(conn, portal_id, root)?,
                None => None,
            };
            let seen = articles::viewed_today(conn, a.id, &seen_by)?;
            Ok(Some((
                a,
                category,
                translations.into_iter().chain(root).collect::<Vec<_>>(),
                seen,
            )))
        })
        .await?;
    let Some((a, category, translations, seen)) = found else {
        let v = visit(&state, &req, portal, None);
        return not_found(&req, &v);
    };
    if markdown {
        return Ok(HttpResponse::Ok()
            .content_type("text/markdown; charset=utf-8")
            .insert_header(("X-Content-Type-Options", "nosniff"))
            .body(a.content.clone().unwrap_or_default()));
    }
    let locale = category.as_ref().map_or(a.locale.clone(), |c| c.locale.clone());
    let v = visit(&state, &req, portal, Some(locale));
    if !seen {
        let article_id = a.id;
        state
            .db
            .write(move |tx| -> ApiResult<_> { Ok(articles::record_view(tx, article_id, &visitor)?) })
            .await?;
    }
    let voted = req.query_string().contains("voted=1");
    let rendered = render_cached(a.content.as_deref().unwrap_or_default());
    let (updated, updated_iso) = dates(a.updated_at);
    let path = format!("/hc/{}/articles/{}", v.portal.slug, a.slug);
    let alternates = std::iter::once((a.locale.clone(), path.clone()))
        .chain(
            translations
                .iter()
                .filter(|t| t.status == ArticleStatus::Published.code() && t.id != a.id)
                .map(|t| {
                    (
                        t.locale.clone(),
                        format!("/hc/{}/articles/{}", v.portal.slug, t.slug),
                    )
                }),
        )
        .collect();
    let description = a
        .description
        .clone()
        .filter(|d| !d.trim().is_empty())
        .unwrap_or_else(|| excerpt(&a.summary, 160));
    let mut chrome = v.chrome(
        format!("{} | {}", a.title, v.portal.display_title(&v.locale)),
        description.clone(),
        &path,
        alternates,
    );
    chrome.og_type = "article";
    chrome.json_ld = json!({
        "@context": "https://schema.org", "@type": "Article", "headline": a.title,
        "description": description, "dateModified": crate::domain::timestamps::iso(a.updated_at),
        "datePublished": crate::domain::timestamps::iso(a.created_at), "inLanguage": v.locale.replace('_', "-"),
        "mainEntityOfPage": chrome.canonical,
        "publisher": {"@type": "Organization", "name": chrome.portal_name},
    })
    .to_string()
    .replace('<', "\\u003c");
    let body = ArticlePage {
        category_href: category
            .as_ref()
            .map(|c| v.category_href(&c.slug))
            .unwrap_or_default(),
        category_name: category.map(|c| c.name).unwrap_or_default(),
        title: a.title.clone(),
        updated,
        updated_iso,
        toc: rendered.toc.clone(),
        body: rendered.html.clone(),
        voted,
        feedback_action: v.link(&format!("/hc/{}/articles/{}/feedback", v.portal.slug, a.slug)),
        chrome,
    };
    page(&req, &v, StatusCode::OK, body)
}

/// The feedback form.
#[derive(Debug, Deserialize)]
pub struct FeedbackForm {
    helpful: String,
}

/// `POST /hc/{slug}/articles/{article}/feedback`: store the vote, then back to the article.
pub async fn feedback(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    form: web::Form<FeedbackForm>,
) -> ApiResult<HttpResponse> {
    let (slug, article_slug) = path.into_inner();
    let helpful = match form.helpful.as_str() {
        "true" => true,
        "false" => false,
        _ => return Err(ApiError::BadRequest("helpful must be true or false".into())),
    };
    let portal = find_portal(&state, &req, Some(slug)).await?;
    let visitor = visitor_key(&state, &req);
    let portal_id = portal.id;
    let lookup = article_slug.clone();
    state
        .db
        .write(move |tx| -> ApiResult<_> {
            let article = articles::find_by_slug(tx, portal_id, &lookup)?
                .filter(|a| a.status == ArticleStatus::Published.code())
                .ok_or(ApiError::NotFound)?;
            articles::record_feedback(tx, article.id, &visitor, helpful)?;
            Ok(())
        })
        .await?;
    let v = visit(&state, &req, portal, None);
    let target = v.link(&format!("{}?voted=1", v.article_href(&article_slug)));
    Ok(HttpResponse::SeeOther()
        .insert_header((header::LOCATION, format!("{target}#fb-h")))
        .finish())
}
