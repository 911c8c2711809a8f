//! `/api/v1/accounts/{account_id}/portals/{slug}/articles[/{id}]` and `search/articles` (bulk
//! actions: `article_bulk_actions`). Members list; administrators read one and write (ArticlePolicy).

use actix_web::web;
use serde::Deserialize;
use serde_json::{Map, Value};

use super::{PortalItemPath, PortalPath, portal_by_slug};
use crate::api::body::{JsonBody, nullable, parse_params};
use crate::api::help_center::categories::reorder_with;
use crate::api::help_center::portals::{load, viewer};
use crate::api::{Reply, State, head_ok, ok_json};
use crate::auth::AccountMember;
use crate::db::articles::{self, Article, ArticleFilter};
use crate::db::portals::Portal;
use crate::db::{agents, categories};
use crate::domain::help_center::{ArticleStatus, RESERVED_ARTICLE_SLUGS, default_article_slug, valid_slug};
use crate::error::{ApiError, ApiResult};
use crate::services::audit;
use crate::services::help_center::article_context;
use crate::state::AppState;
use crate::views;
use crate::views::help_center::article as view;

/// Articles per page of the index.
const PER_PAGE: i64 = 25;

/// Writable attributes (`article:{…}` or flat).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Params {
    title: Option<String>,
    slug: Option<String>,
    #[serde(deserialize_with = "nullable")]
    position: Option<Option<i64>>,
    #[serde(deserialize_with = "nullable")]
    content: Option<Option<String>>,
    #[serde(deserialize_with = "nullable")]
    description: Option<Option<String>>,
    #[serde(deserialize_with = "nullable")]
    category_id: Option<Option<i64>>,
    author_id: Option<i64>,
    #[serde(deserialize_with = "nullable")]
    associated_article_id: Option<Option<i64>>,
    status: Option<Value>,
    locale: Option<String>,
    meta: Option<Map<String, Value>>,
}

/// `?locale=&query=&page=&category_slug=&status=&author_id=`
#[derive(Debug, Deserialize)]
pub struct IndexQuery {
    locale: Option<String>,
    query: Option<String>,
    page: Option<i64>,
    category_slug: Option<String>,
    status: Option<String>,
    author_id: Option<i64>,
}

fn parse_status(value: &Value) -> ApiResult<ArticleStatus> {
    ArticleStatus::parse(value).ok_or_else(|| {
        ApiError::invalid(
            "status",
            format!("'{}' is not a valid status", value.as_str().unwrap_or("?")),
        )
    })
}

fn apply(
    conn: &rusqlite::Connection,
    portal: &Portal,
    a: &mut Article,
    params: Params,
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

async fn render_one(state: &AppState, member: &AccountMember, article: Article) -> ApiResult<Value> {
    let viewer = viewer(member);
    state
        .db
        .read(move |conn| -> ApiResult<_> {
            let ctx = article_context(conn, &viewer, std::slice::from_ref(&article))?;
            Ok(views::envelope::payload(view(&article, &ctx)))
        })
        .await
}

/// `GET …/articles`: 25 per page; meta counts ignore `status` and `author_id`.
pub async fn index(
    state: State,
    member: AccountMember,
    path: PortalPath,
    query: web::Query<IndexQuery>,
) -> Reply {
    let portal = load(&state, &member, path.into_inner().1).await?;
    let query = query.into_inner();
    let status = match query.status.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(parse_status(&Value::String(s.into()))?.code()),
    };
    let page = crate::api::clamp_page(query.page);
    let filter = ArticleFilter {
        portal_id: portal.id,
        locale: query.locale.filter(|l| !l.is_empty()),
        category_slug: query.category_slug.filter(|s| !s.is_empty()),
        query: query.query.filter(|q| !q.trim().is_empty()),
        status,
        author_id: query.author_id,
    };
    let viewer = viewer(&member);
    let body = state
        .db
        .read(move |conn| -> ApiResult<_> {
            let rows = articles::list(conn, &filter, page, PER_PAGE)?;
            let ctx = article_context(conn, &viewer, &rows)?;
            let (by_status, mine) = articles::list_counts(conn, &filter, viewer.user_id)?;
            let all = articles::list_counts(
                conn,
                &ArticleFilter {
                    portal_id: filter.portal_id,
                    ..ArticleFilter::default()
                },
                viewer.user_id,
            )?
            .0
            .values()
            .sum::<i64>();
            let count = |s: ArticleStatus| by_status.get(&s.code()).copied().unwrap_or(0);
            let payload: Vec<Value> = rows.iter().map(|a| view(a, &ctx)).collect();
            let meta = views::help_center::ArticleListMeta {
                all_articles_count: all,
                articles_count: by_status.values().sum::<i64>(),
                archived_articles_count: count(ArticleStatus::Archived),
                draft_articles_count: count(ArticleStatus::Draft),
                published_count: count(ArticleStatus::Published),
                mine_articles_count: mine,
                current_page: page,
            };
            Ok(views::help_center::article_list(payload, &meta))
        })
        .await?;
    Ok(ok_json(body))
}

/// `GET …/articles/{id}` (administrators).
pub async fn show(state: State, member: AccountMember, path: PortalItemPath) -> Reply {
    member.require_admin()?;
    let (_, slug, id) = path.into_inner();
    let portal = load(&state, &member, slug).await?;
    let portal_id = portal.id;
    let article = state
        .db
        .read(move |conn| articles::find(conn, portal_id, id)?.ok_or(ApiError::NotFound))
        .await?;
    Ok(ok_json(render_one(&state, &member, article).await?))
}

/// `POST …/articles`: draft by default, written by the caller unless `author_id` says otherwise.
pub async fn create(state: State, member: AccountMember, path: PortalPath, body: JsonBody) -> Reply {
    member.require_admin()?;
    let params: Params = parse_params(body.require("article")?)?;
    let slug = path.into_inner().1;
    let actor = member.actor();
    let article = state
        .db
        .write(move |tx| -> ApiResult<_> {
            let portal = portal_by_slug(tx, actor.account_id, &slug)?;
            let mut article = Article {
                account_id: actor.account_id,
                portal_id: portal.id,
                author_id: Some(actor.user_id),
                ..Article::default()
            };
            apply(tx, &portal, &mut article, params, crate::db::now_ms() / 1000)?;
            let article = articles::save(tx, &article)?;
            audit::created(
                tx,
                &actor,
                "Article",
                article.id,
                &views::help_center::article_audit(&article),
            )?;
            Ok(article)
        })
        .await?;
    Ok(ok_json(render_one(&state, &member, article).await?))
}

/// `PATCH|PUT …/articles/{id}`
pub async fn update(state: State, member: AccountMember, path: PortalItemPath, body: JsonBody) -> Reply {
    member.require_admin()?;
    let params: Params = parse_params(body.resource("article"))?;
    let (_, slug, id) = path.into_inner();
    let actor = member.actor();
    let article = state
        .db
        .write(move |tx| -> ApiResult<_> {
            let portal = portal_by_slug(tx, actor.account_id, &slug)?;
            let mut article = articles::find(tx, portal.id, id)?.ok_or(ApiError::NotFound)?;
            let before = views::help_center::article_audit(&article);
            apply(tx, &portal, &mut article, params, crate::db::now_ms() / 1000)?;
            let article = articles::save(tx, &article)?;
            audit::updated(
                tx,
                &actor,
                "Article",
                id,
                &before,
                &views::help_center::article_audit(&article),
            )?;
            Ok(article)
        })
        .await?;
    Ok(ok_json(render_one(&state, &member, article).await?))
}

/// `DELETE …/articles/{id}`
pub async fn destroy(state: State, member: AccountMember, path: PortalItemPath) -> Reply {
    member.require_admin()?;
    let (_, slug, id) = path.into_inner();
    let actor = member.actor();
    state
        .db
        .write(move |tx| -> ApiResult<_> {
            let portal = portal_by_slug(tx, actor.account_id, &slug)?;
            let article = articles::find(tx, portal.id, id)?.ok_or(ApiError::NotFound)?;
            articles::delete_many(tx, portal.id, &[id])?;
            audit::destroyed(
                tx,
                &actor,
                "Article",
                id,
                &views::help_center::article_audit(&article),
            )?;
            Ok(())
        })
        .await?;
    Ok(head_ok())
}

/// `POST …/articles/reorder` with `positions_hash`: all or nothing.
pub async fn reorder(state: State, member: AccountMember, path: PortalPath, body: JsonBody) -> Reply {
    reorder_with(&state, &member, path.into_inner().1, &body, articles::reorder).await
}
