//! Writing help-center articles: the validation of `POST/PATCH …/portals/{slug}/articles`,
//! one copy for the account API and the agent app's editor.

use rusqlite::Connection;
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::db::articles::{self, Article};
use crate::db::portals::Portal;
use crate::db::{agents, categories};
use crate::domain::help_center::{ArticleStatus, RESERVED_ARTICLE_SLUGS, default_article_slug, valid_slug};
use crate::error::{ApiError, ApiResult};

/// Writable attributes (`article:{…}` or flat).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ArticleParams {
    pub title: Option<String>,
    pub slug: Option<String>,
    #[serde(deserialize_with = "crate::domain::params::nullable")]
    pub position: Option<Option<i64>>,
    #[serde(deserialize_with = "crate::domain::params::nullable")]
    pub content: Option<Option<String>>,
    #[serde(deserialize_with = "crate::domain::params::nullable")]
    pub description: Option<Option<String>>,
    #[serde(deserialize_with = "crate::domain::params::nullable")]
    pub category_id: Option<Option<i64>>,
    pub author_id: Option<i64>,
    #[serde(deserialize_with = "crate::domain::params::nullable")]
    pub associated_article_id: Option<Option<i64>>,
    pub status: Option<Value>,
    pub locale: Option<String>,
    pub meta: Option<Map<String, Value>>,
}

/// An article status from its name or number (422 naming the value otherwise).
pub fn parse_status(value: &Value) -> ApiResult<ArticleStatus> {
    ArticleStatus::parse(value).ok_or_else(|| {
        ApiError::invalid(
            "status",
            format!("'{}' is not a valid status", value.as_str().unwrap_or("?")),
        )
    })
}

/// Apply `params` to `a` with the rules of `POST/PATCH …/articles` (category of the portal,
/// locale allowed, unique valid slug, published articles need content).
pub fn apply(
    conn: &Connection,
    portal: &Portal,
    a: &mut Article,
    params: ArticleParams,
    now_s: i64,
) -> ApiResult<()> {
    let old_category = a.category_id;
    if let Some(title) = params.title {
        a.title = title.trim().to_string();
    }
    if let Some(content) = params.content {
        a.content = content;
    }
    if let Some(description) = params.description {
        a.description = description;
    }
    if let Some(status) = &params.status {
        a.status = parse_status(status)?.code();
    }
    if let Some(meta) = params.meta {
        a.meta = meta;
    }
    if let Some(category) = params.category_id {
        a.category_id = match category {
            None => None,
            Some(id) => Some(
                categories::find(conn, portal.id, id)?
                    .ok_or_else(|| ApiError::invalid("category_id", "Category must exist in this portal"))?
                    .id,
            ),
        };
    }
    if let Some(author) = params.author_id {
        if !agents::is_member(conn, portal.account_id, author)? {
            return Err(ApiError::invalid(
                "author_id",
                "Author must be an agent of this account",
            ));
        }
        a.author_id = Some(author);
    }
    if let Some(target) = params.associated_article_id {
        a.associated_article_id = match target {
            None => None,
            Some(id) => {
                let target = articles::find(conn, portal.id, id)?.ok_or_else(|| {
                    ApiError::invalid(
                        "associated_article_id",
                        "Associated article must exist in this portal",
                    )
                })?;
                let root = target.associated_article_id.unwrap_or(target.id);
                (root != a.id).then_some(root)
            }
        };
    }
    // The locale follows the category, else the given one, else the portal default.
    let category_locale = match a.category_id {
        Some(id) => categories::find(conn, portal.id, id)?.map(|c| c.locale),
        None => None,
    };
    a.locale = category_locale
        .or(params
            .locale
            .map(|l| l.trim().to_string())
            .filter(|l| !l.is_empty()))
        .unwrap_or_else(|| {
            if a.locale.is_empty() {
                portal.default_locale()
            } else {
                a.locale.clone()
            }
        });
    if !portal.allowed_locales().contains(&a.locale) {
        return Err(ApiError::invalid(
            "locale",
            format!("Locale {} is not allowed in this portal", a.locale),
        ));
    }
    match params.position {
        Some(position) => a.position = position,
        None if a.id == 0 || old_category != a.category_id => {
            a.position = Some(articles::next_position(conn, portal.id, a.category_id)?);
        }
        None => {}
    }
    if let Some(slug) = params.slug {
        a.slug = slug.trim().to_string();
    }
    if a.title.is_empty() {
        return Err(ApiError::invalid("title", "Title can't be blank"));
    }
    if a.slug.is_empty() {
        a.slug = default_article_slug(&a.title, now_s);
    }
    if !valid_slug(&a.slug) {
        return Err(ApiError::invalid("slug", "Slug is invalid"));
    }
    if RESERVED_ARTICLE_SLUGS.contains(&a.slug.as_str()) {
        return Err(ApiError::invalid("slug", format!("Slug {} is reserved", a.slug)));
    }
    if articles::slug_taken(conn, &a.slug, a.id)? {
        return Err(ApiError::invalid("slug", "Slug has already been taken"));
    }
    if a.status == ArticleStatus::Published.code() && a.content.as_deref().is_none_or(|c| c.trim().is_empty())
    {
        return Err(ApiError::invalid("content", "Content can't be blank"));
    }
    Ok(())
}
