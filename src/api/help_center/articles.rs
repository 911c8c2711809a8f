//! `/api/v1/accounts/{account_id}/portals/{slug}/articles[/{id}]` and `search/articles` (bulk
//! actions: `article_bulk_actions`). Members list; administrators read one and write (ArticlePolicy).

use actix_web::web;
use serde::Deserialize;
use serde_json::Value;

use super::{PortalItemPath, PortalPath, portal_by_slug};
use crate::api::body::{JsonBody, parse_params};
use crate::api::help_center::categories::reorder_with;
use crate::api::help_center::portals::{load, viewer};
use crate::api::{Reply, State, head_ok, ok_json};
use crate::auth::AccountMember;
use crate::db::articles::{self, Article, ArticleFilter};
use crate::domain::help_center::ArticleStatus;
use crate::error::{ApiError, ApiResult};
use crate::services::articles::{self as articles_service, ArticleParams};
use crate::services::audit;
use crate::services::help_center::article_context;
use crate::state::AppState;
use crate::views;
use crate::views::help_center::article as view;

/// Articles per page of the index.
const PER_PAGE: i64 = 25;

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
        Some(s) => Some(articles_service::parse_status(&Value::String(s.into()))?.code()),
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
    let params: ArticleParams = parse_params(body.require("article")?)?;
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
            articles_service::apply(tx, &portal, &mut article, params, crate::db::now_ms() / 1000)?;
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
    let params: ArticleParams = parse_params(body.resource("article"))?;
    let (_, slug, id) = path.into_inner();
    let actor = member.actor();
    let article = state
        .db
        .write(move |tx| -> ApiResult<_> {
            let portal = portal_by_slug(tx, actor.account_id, &slug)?;
            let mut article = articles::find(tx, portal.id, id)?.ok_or(ApiError::NotFound)?;
            let before = views::help_center::article_audit(&article);
            articles_service::apply(tx, &portal, &mut article, params, crate::db::now_ms() / 1000)?;
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
