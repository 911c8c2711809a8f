//! `/api/v1/accounts/{account_id}/portals/{slug}/categories[/{id}]`: a portal's categories, one
//! set per locale. Members list; administrators read one and write (Chatwoot's CategoryPolicy).

use std::collections::HashMap;

use actix_web::web;
use serde::Deserialize;
use serde_json::Value;

use super::{PortalItemPath, PortalPath, portal_by_slug};
use crate::api::body::{JsonBody, nullable, parse_params};
use crate::api::help_center::portals::{load, viewer};
use crate::api::{Reply, State, head_ok, ok_json};
use crate::auth::AccountMember;
use crate::db::categories::{self, Category};
use crate::db::portals::Portal;
use crate::domain::help_center::valid_slug;
use crate::error::{ApiError, ApiResult};
use crate::services::audit;
use crate::services::help_center::category_context;
use crate::state::AppState;
use crate::views;
use crate::views::help_center::category as view;

/// Categories per page of the index (Chatwoot pages by 1000).
const PER_PAGE: usize = 1000;

/// Writable attributes (`category:{…}` or flat).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Params {
    name: Option<String>,
    #[serde(deserialize_with = "nullable")]
    description: Option<Option<String>>,
    #[serde(deserialize_with = "nullable")]
    position: Option<Option<i64>>,
    slug: Option<String>,
    locale: Option<String>,
    #[serde(deserialize_with = "nullable")]
    icon: Option<Option<String>>,
    #[serde(deserialize_with = "nullable")]
    icon_color: Option<Option<String>>,
    #[serde(deserialize_with = "nullable")]
    parent_category_id: Option<Option<i64>>,
    #[serde(deserialize_with = "nullable")]
    associated_category_id: Option<Option<i64>>,
    related_category_ids: Option<Vec<i64>>,
}

/// `?locale=&page=`
#[derive(Debug, Deserialize)]
pub struct IndexQuery {
    locale: Option<String>,
    page: Option<i64>,
}

/// `{positions_hash: {"<id>": position}}`
#[derive(Debug, Deserialize)]
struct ReorderBody {
    positions_hash: HashMap<String, i64>,
}

/// Parse `positions_hash`; a non-numeric id is a 422.
pub fn positions(body: &JsonBody) -> ApiResult<Vec<(i64, i64)>> {
    let parsed: ReorderBody = body.parse()?;
    parsed
        .positions_hash
        .into_iter()
        .map(|(id, position)| {
            id.trim()
                .parse()
                .map(|id| (id, position))
                .map_err(|_| ApiError::Unprocessable(format!("Invalid category or article id: {id}")))
        })
        .collect()
}

fn sibling(
    conn: &rusqlite::Connection,
    portal_id: i64,
    id: Option<i64>,
    attribute: &str,
) -> ApiResult<Option<i64>> {
    match id {
        None => Ok(None),
        Some(id) => categories::find(conn, portal_id, id)?
            .map(|c| Some(c.id))
            .ok_or_else(|| {
                ApiError::invalid(
                    attribute,
                    format!("{attribute} does not name a category of this portal"),
                )
            }),
    }
}

fn apply(
    conn: &rusqlite::Connection,
    portal: &Portal,
    c: &mut Category,
    params: Params,
) -> ApiResult<Option<Vec<i64>>> {
    if let Some(name) = params.name {
        c.name = name.trim().to_string();
    }
    if let Some(description) = params.description {
        c.description = description;
    }
    if let Some(position) = params.position {
        c.position = position;
    }
    if let Some(slug) = params.slug {
        c.slug = slug.trim().to_string();
    }
    if let Some(locale) = params.locale {
        c.locale = locale.trim().to_string();
    }
    if let Some(icon) = params.icon {
        c.icon = icon.unwrap_or_default();
    }
    if let Some(color) = params.icon_color {
        c.icon_color = color.unwrap_or_default();
    }
    if let Some(parent) = params.parent_category_id {
        c.parent_category_id = sibling(conn, portal.id, parent, "parent_category_id")?;
    }
    if let Some(root) = params.associated_category_id {
        c.associated_category_id = sibling(conn, portal.id, root, "associated_category_id")?;
    }
    if c.name.is_empty() {
        return Err(ApiError::invalid("name", "Name can't be blank"));
    }
    if c.slug.is_empty() {
        return Err(ApiError::invalid("slug", "Slug can't be blank"));
    }
    if !valid_slug(&c.slug) {
        return Err(ApiError::invalid("slug", "Slug is invalid"));
    }
    if !portal.allowed_locales().contains(&c.locale) {
        return Err(ApiError::invalid(
            "locale",
            format!(
                "Locale {} of category is not part of portal's allowed locales",
                c.locale
            ),
        ));
    }
    if !c.icon_color.is_empty() {
        crate::domain::validation::hex_color(&c.icon_color)
            .map_err(|m| ApiError::invalid("icon_color", m))?;
    }
    if categories::slug_taken(conn, portal.id, &c.locale, &c.slug, c.id)? {
        return Err(ApiError::invalid("slug", "Slug has already been taken"));
    }
    // Chatwoot replaces the related set only when the list is non-empty.
    match params.related_category_ids {
        Some(ids) if !ids.is_empty() => {
            for id in &ids {
                sibling(conn, portal.id, Some(*id), "related_category_ids")?;
            }
            Ok(Some(ids))
        }
        _ => Ok(None),
    }
}

async fn render_one(
    state: &AppState,
    member: &AccountMember,
    portal: Portal,
    category: Category,
) -> ApiResult<Value> {
    let viewer = viewer(member);
    state
        .db
        .read(move |conn| -> ApiResult<_> {
            let ctx = category_context(conn, &viewer, &portal, std::slice::from_ref(&category))?;
            Ok(views::envelope::payload(view(&category, &ctx)))
        })
        .await
}

/// `GET …/categories[?locale=&page=]`: by position.
pub async fn index(
    state: State,
    member: AccountMember,
    path: PortalPath,
    query: web::Query<IndexQuery>,
) -> Reply {
    let portal = load(&state, &member, path.into_inner().1).await?;
    let query = query.into_inner();
    let page = usize::try_from(crate::api::clamp_page(query.page)).unwrap_or(1);
    let viewer = viewer(&member);
    let body = state
        .db
        .read(move |conn| -> ApiResult<_> {
            let all = categories::list(conn, portal.id, query.locale.as_deref())?;
            let count = all.len();
            let rows: Vec<Category> = all
                .into_iter()
                .skip((page - 1) * PER_PAGE)
                .take(PER_PAGE)
                .collect();
            let mut ctx = category_context(conn, &viewer, &portal, &rows)?;
            if let Some(locale) = &query.locale {
                ctx.category_articles = categories::article_counts_in_locale(conn, portal.id, locale)?;
            }
            let payload: Vec<Value> = rows.iter().map(|c| view(c, &ctx)).collect();
            Ok(views::help_center::category_list(payload, page, count))
        })
        .await?;
    Ok(ok_json(body))
}

/// `GET …/categories/{id}` (administrators).
pub async fn show(state: State, member: AccountMember, path: PortalItemPath) -> Reply {
    member.require_admin()?;
    let (_, slug, id) = path.into_inner();
    let portal = load(&state, &member, slug).await?;
    let portal_id = portal.id;
    let category = state
        .db
        .read(move |conn| categories::find(conn, portal_id, id)?.ok_or(ApiError::NotFound))
        .await?;
    Ok(ok_json(render_one(&state, &member, portal, category).await?))
}

/// `POST …/categories`
pub async fn create(state: State, member: AccountMember, path: PortalPath, body: JsonBody) -> Reply {
    member.require_admin()?;
    let params: Params = parse_params(body.require("category")?)?;
    let slug = path.into_inner().1;
    let actor = member.actor();
    let (portal, category) = state
        .db
        .write(move |tx| -> ApiResult<_> {
            let portal = portal_by_slug(tx, actor.account_id, &slug)?;
            let mut category = Category {
                account_id: actor.account_id,
                portal_id: portal.id,
                locale: portal.default_locale(),
                ..Category::default()
            };
            let related = apply(tx, &portal, &mut category, params)?;
            let category = categories::save(tx, &category)?;
            if let Some(related) = related {
                categories::set_related(tx, category.id, &related)?;
            }
            audit::created(
                tx,
                &actor,
                "Category",
                category.id,
                &views::help_center::category_audit(&category),
            )?;
            Ok((portal, category))
        })
        .await?;
    Ok(ok_json(render_one(&state, &member, portal, category).await?))
}

/// `PATCH|PUT …/categories/{id}`
pub async fn update(state: State, member: AccountMember, path: PortalItemPath, body: JsonBody) -> Reply {
    member.require_admin()?;
    let params: Params = parse_params(body.resource("category"))?;
    let (_, slug, id) = path.into_inner();
    let actor = member.actor();
    let (portal, category) = state
        .db
        .write(move |tx| -> ApiResult<_> {
            let portal = portal_by_slug(tx, actor.account_id, &slug)?;
            let mut category = categories::find(tx, portal.id, id)?.ok_or(ApiError::NotFound)?;
            let before = views::help_center::category_audit(&category);
            let related = apply(tx, &portal, &mut category, params)?;
            let category = categories::save(tx, &category)?;
            if let Some(related) = related {
                categories::set_related(tx, category.id, &related)?;
            }
            audit::updated(
                tx,
                &actor,
                "Category",
                category.id,
                &before,
                &views::help_center::category_audit(&category),
            )?;
            Ok((portal, category))
        })
        .await?;
    Ok(ok_json(render_one(&state, &member, portal, category).await?))
}

/// `DELETE …/categories/{id}`: its articles stay, uncategorized.
pub async fn destroy(state: State, member: AccountMember, path: PortalItemPath) -> Reply {
    member.require_admin()?;
    let (_, slug, id) = path.into_inner();
    let actor = member.actor();
    state
        .db
        .write(move |tx| -> ApiResult<_> {
            let portal = portal_by_slug(tx, actor.account_id, &slug)?;
            let category = categories::find(tx, portal.id, id)?.ok_or(ApiError::NotFound)?;
            categories::delete(tx, portal.id, id)?;
            audit::destroyed(
                tx,
                &actor,
                "Category",
                id,
                &views::help_center::category_audit(&category),
            )?;
            Ok(())
        })
        .await?;
    Ok(head_ok())
}

/// `POST …/categories/reorder` with `positions_hash`: all or nothing.
pub async fn reorder(state: State, member: AccountMember, path: PortalPath, body: JsonBody) -> Reply {
    reorder_with(&state, &member, path.into_inner().1, &body, categories::reorder).await
}

/// A db function that sets `(id, position)` pairs within a portal, returning rows changed.
pub type ApplyPositions = fn(&rusqlite::Connection, i64, &[(i64, i64)]) -> crate::db::DbResult<usize>;

/// Apply `positions_hash` to rows of a portal in one transaction; an id that is not in the
/// portal is a 404 and rolls back the whole reorder.
pub async fn reorder_with(
    state: &AppState,
    member: &AccountMember,
    slug: String,
    body: &JsonBody,
    apply: ApplyPositions,
) -> Reply {
    member.require_admin()?;
    let positions = positions(body)?;
    let account_id = member.account_id();
    state
        .db
        .write(move |tx| -> ApiResult<_> {
            let portal = portal_by_slug(tx, account_id, &slug)?;
            if apply(tx, portal.id, &positions)? != positions.len() {
                return Err(ApiError::NotFound);
            }
            Ok(())
        })
        .await?;
    Ok(head_ok())
}
