//! Help-center JSON of the account API (app/views/api/v1/accounts/{portals,categories,articles}).
//! Everything a view needs is loaded beforehand in batches ([`HelpCenterContext`]).

use std::collections::HashMap;

use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::db::agents::Agent;
use crate::db::articles::Article;
use crate::db::categories::Category;
use crate::db::portals::{Portal, PortalCounts};
use crate::domain::help_center::{ArticleStatus, DEFAULT_PORTAL_COLOR};
use crate::domain::timestamps::secs;

/// Rows related to the portals, categories and articles being rendered.
#[derive(Debug, Default)]
pub struct HelpCenterContext {
    pub base_url: String,
    pub counts: HashMap<i64, PortalCounts>,
    /// Linked web-widget inbox JSON per portal id.
    pub inboxes: HashMap<i64, Value>,
    pub categories: HashMap<i64, Category>,
    pub authors: HashMap<i64, Agent>,
    /// Translations per root article id.
    pub associated: HashMap<i64, Vec<Article>>,
    /// Related category ids per category id.
    pub related: HashMap<i64, Vec<i64>>,
    /// Article counts per category id.
    pub category_articles: HashMap<i64, i64>,
    pub portals: HashMap<i64, Portal>,
}

/// The public URL of a portal's logo.
pub fn logo_url(base_url: &str, portal: &Portal) -> Option<String> {
    let key = portal.logo_key.as_deref()?;
    let version = key.split('-').next().unwrap_or(key);
    Some(format!("{base_url}/hc/{}/logo?v={version}", portal.slug))
}

/// `portal` JSON; `locale` narrows the article counts (show with `?locale=`).
pub fn portal(p: &Portal, ctx: &HelpCenterContext, locale: Option<&str>) -> Value {
    let counts = ctx.counts.get(&p.id).cloned().unwrap_or_default();
    let drafts = crate::domain::help_center::string_list(p.config.get("draft_locales"));
    let allowed: Vec<Value> = p
        .allowed_locales()
        .iter()
        .map(|code| {
            json!({
                "code": code,
                "articles_count": counts.articles(Some(code), None),
                "categories_count": counts.categories(Some(code)),
                "draft": drafts.contains(code),
            })
        })
        .collect();
    let mut body = json!({
        "id": p.id,
        "color": p.color.clone().filter(|c| !c.is_empty()).unwrap_or_else(|| DEFAULT_PORTAL_COLOR.into()),
        "custom_domain": p.custom_domain,
        "header_text": p.header_text,
        "homepage_link": p.homepage_link,
        "name": p.name,
        "page_title": p.page_title,
        "slug": p.slug,
        "archived": p.archived,
        "account_id": p.account_id,
        "config": {
            "allowed_locales": allowed,
            "default_locale": p.default_locale(),
            "layout": p.config.get("layout").cloned().unwrap_or_else(|| json!("classic")),
            "social_profiles": p.config.get("social_profiles").cloned().unwrap_or_else(|| json!({})),
            "locale_translations": p.config.get("locale_translations").cloned().unwrap_or_else(|| json!({})),
        },
    });
    let Some(map) = body.as_object_mut() else {
        return body;
    };
    if let Some(inbox) = ctx.inboxes.get(&p.id) {
        map.insert("inbox".into(), inbox.clone());
    }
    if let (Some(url), Some(key)) = (logo_url(&ctx.base_url, p), &p.logo_key) {
        map.insert(
            "logo".into(),
            json!({
                "id": p.id,
                "portal_id": p.id,
                "file_type": p.logo_content_type,
                "account_id": p.account_id,
                "file_url": url,
                "blob_id": key,
                "filename": p.logo_filename,
            }),
        );
    }
    let status = |s: ArticleStatus| counts.articles(locale, Some(s.code()));
    let mut meta = Map::new();
    meta.insert("all_articles_count".into(), counts.articles(locale, None).into());
    meta.insert(
        "archived_articles_count".into(),
        status(ArticleStatus::Archived).into(),
    );
    meta.insert("published_count".into(), status(ArticleStatus::Published).into());
    meta.insert("draft_articles_count".into(), status(ArticleStatus::Draft).into());
    if counts.articles(locale, None) > 0 {
        meta.insert("mine_articles_count".into(), counts.mine(locale).into());
    }
    meta.insert("categories_count".into(), counts.categories(None).into());
    meta.insert("default_locale".into(), p.default_locale().into());
    map.insert("meta".into(), Value::Object(meta));
    body
}

/// The short category form used inside other categories.
fn category_ref(c: &Category) -> Value {
    json!({
        "id": c.id,
        "name": c.name,
        "slug": c.slug,
        "locale": c.locale,
        "description": c.description,
        "position": c.position,
        "account_id": c.account_id,
    })
}

/// `category` JSON.
pub fn category(c: &Category, ctx: &HelpCenterContext) -> Value {
    let related: Vec<Value> = ctx
        .related
        .get(&c.id)
        .into_iter()
        .flatten()
        .filter_map(|id| ctx.categories.get(id))
        .map(category_ref)
        .collect();
    let mut body = json!({
        "id": c.id,
        "name": c.name,
        "slug": c.slug,
        "locale": c.locale,
        "description": c.description,
        "position": c.position,
        "account_id": c.account_id,
        "icon": c.icon,
        "icon_color": c.icon_color,
        "related_categories": related,
    });
    if let Some(map) = body.as_object_mut() {
        if let Some(parent) = c.parent_category_id.and_then(|id| ctx.categories.get(&id)) {
            map.insert("parent_category".into(), category_ref(parent));
        }
        if let Some(root) = c.associated_category_id.and_then(|id| ctx.categories.get(&id)) {
            map.insert("root_category".into(), category_ref(root));
        }
        map.insert(
            "meta".into(),
            json!({"articles_count": ctx.category_articles.get(&c.id).copied().unwrap_or(0)}),
        );
    }
    body
}

fn author(a: &Article, ctx: &HelpCenterContext) -> Option<Value> {
    a.author_id
        .and_then(|id| ctx.authors.get(&id))
        .map(crate::views::agent::agent)
}

/// `article` JSON.
pub fn article(a: &Article, ctx: &HelpCenterContext) -> Value {
    let category = a.category_id.and_then(|id| ctx.categories.get(&id));
    let associated: Vec<Value> = ctx
        .associated
        .get(&a.id)
        .into_iter()
        .flatten()
        .map(|other| associated_article(other, ctx))
        .collect();
    let mut body = json!({
        "id": a.id,
        "slug": a.slug,
        "title": a.title,
        "content": a.content,
        "description": a.description,
        "status": ArticleStatus::from_code(a.status).as_str(),
        "position": a.position,
        "account_id": a.account_id,
        "updated_at": secs(a.updated_at),
        "meta": a.meta,
        "category": {
            "id": category.map(|c| c.id),
            "name": category.map(|c| c.name.clone()),
            "slug": category.map(|c| c.slug.clone()),
            "locale": category.map(|c| c.locale.clone()),
            "icon": category.map(|c| c.icon.clone()),
            "icon_color": category.map(|c| c.icon_color.clone()),
        },
        "views": a.views,
        "helpful_count": a.helpful_count,
        "not_helpful_count": a.not_helpful_count,
    });
    if let Some(map) = body.as_object_mut() {
        if let Some(author) = author(a, ctx) {
            map.insert("author".into(), author);
        }
        map.insert("associated_articles".into(), Value::Array(associated));
    }
    body
}

fn associated_article(a: &Article, ctx: &HelpCenterContext) -> Value {
    let mut body = json!({
        "id": a.id,
        "category_id": a.category_id,
        "title": a.title,
        "content": a.content,
        "description": a.description,
        "status": ArticleStatus::from_code(a.status).as_str(),
        "account_id": a.account_id,
    });
    if let Some(map) = body.as_object_mut() {
        if let Some(p) = ctx.portals.get(&a.portal_id) {
            map.insert("portal".into(), portal(p, ctx, None));
        }
        map.insert("views".into(), a.views.into());
        if let Some(author) = author(a, ctx) {
            map.insert("author".into(), author);
        }
    }
    body
}

/// One hit of the account-wide `search/articles`.
pub fn search_article(a: &Article, portal_slug: Option<&str>, category: Option<&Category>) -> Value {
    json!({
        "id": a.id,
        "title": a.title,
        "locale": a.locale,
        "content": a.content,
        "slug": a.slug,
        "portal_slug": portal_slug,
        "account_id": a.account_id,
        "category_name": category.map(|c| c.name.clone()),
        "status": ArticleStatus::from_code(a.status).as_str(),
        "updated_at": secs(a.updated_at),
    })
}

/// What an audit entry records about a category: its editable attributes, without counts or
/// related rows (so an unrelated change never shows up as a diff).
pub fn category_audit(c: &Category) -> Value {
    json!({
        "name": c.name, "slug": c.slug, "locale": c.locale, "description": c.description,
        "position": c.position, "icon": c.icon, "icon_color": c.icon_color,
        "parent_category_id": c.parent_category_id, "associated_category_id": c.associated_category_id,
    })
}

/// What an audit entry records about a portal: its editable attributes, without counts or
/// related rows (so an unrelated change never shows up as a diff).
pub fn portal_audit(p: &Portal) -> Value {
    json!({
        "name": p.name, "slug": p.slug, "custom_domain": p.custom_domain, "color": p.color,
        "header_text": p.header_text, "homepage_link": p.homepage_link, "page_title": p.page_title,
        "archived": p.archived, "config": p.config, "channel_web_widget_id": p.channel_web_widget_id,
    })
}

/// What an audit entry records about a article: its editable attributes, without counts or
/// related rows (so an unrelated change never shows up as a diff).
pub fn article_audit(a: &Article) -> Value {
    json!({
        "title": a.title, "slug": a.slug, "status": ArticleStatus::from_code(a.status).as_str(),
        "category_id": a.category_id, "locale": a.locale, "position": a.position,
        "author_id": a.author_id, "associated_article_id": a.associated_article_id,
    })
}

/// `GET …/portals`: `{payload, meta: {current_page: 1, portals_count}}` (one page, every portal).
pub fn portal_list(payload: Vec<Value>) -> Value {
    let count = payload.len();
    json!({"payload": payload, "meta": {"current_page": 1, "portals_count": count}})
}

/// `GET …/categories`: `{payload, meta: {current_page, categories_count}}`.
pub fn category_list(payload: Vec<Value>, current_page: usize, count: usize) -> Value {
    json!({"payload": payload, "meta": {"current_page": current_page, "categories_count": count}})
}

/// The counts of `GET …/articles`' meta block, in Chatwoot's order.
#[derive(Debug, Serialize)]
pub struct ArticleListMeta {
    pub all_articles_count: i64,
    pub articles_count: i64,
    pub archived_articles_count: i64,
    pub draft_articles_count: i64,
    pub published_count: i64,
    pub mine_articles_count: i64,
    pub current_page: i64,
}

/// `GET …/articles`: `{payload, meta}`.
pub fn article_list(payload: Vec<Value>, meta: &ArticleListMeta) -> Value {
    json!({"payload": payload, "meta": meta})
}

/// `GET …/articles/search`: `{payload: {articles: [hit]}}`.
pub fn search_hits(hits: Vec<Value>) -> Value {
    json!({"payload": {"articles": hits}})
}
