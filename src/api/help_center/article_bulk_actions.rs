//! `/api/v1/accounts/{account_id}/portals/{slug}/articles/bulk_actions/*` (Chatwoot's
//! `articles/bulk_actions_controller`): status, category or deletion of many articles in one
//! transaction, all or nothing. Administrators only.

use actix_web::HttpResponse;
use serde::Deserialize;
use serde_json::Value;

use super::{PortalPath, portal_by_slug};
use crate::api::body::{JsonBody, nullable};
use crate::api::{Reply, State, head_ok};
use crate::auth::AccountMember;
use crate::db::{articles, categories};
use crate::domain::help_center::ArticleStatus;
use crate::error::{ApiError, ApiResult};
use crate::services::audit;
use crate::state::AppState;

/// `{ids: [...], status?, category_id?}` of the bulk actions.
#[derive(Debug, Deserialize)]
struct BulkBody {
    ids: Vec<i64>,
    status: Option<Value>,
    #[serde(default, deserialize_with = "nullable")]
    category_id: Option<Option<i64>>,
}

/// What a bulk action does to each selected article.
enum BulkChange {
    Status(ArticleStatus),
    Category(i64),
    Delete,
}

async fn bulk(
    state: &AppState,
    member: &AccountMember,
    slug: String,
    body: &JsonBody,
    change: impl FnOnce(&BulkBody) -> ApiResult<BulkChange>,
) -> ApiResult<HttpResponse> {
    member.require_admin()?;
    let parsed: BulkBody = body.parse()?;
    let change = change(&parsed)?;
    let actor = member.actor();
    state
        .db
        .write(move |tx| -> ApiResult<_> {
            let portal = portal_by_slug(tx, actor.account_id, &slug)?;
            let rows = articles::find_many(tx, portal.id, &parsed.ids)?;
            if rows.is_empty() {
                return Err(ApiError::Unprocessable("No articles found".into()));
            }
            if let BulkChange::Category(id) = change
                && categories::find(tx, portal.id, id)?.is_none()
            {
                return Err(ApiError::Unprocessable("Invalid category".into()));
            }
            for mut article in rows {
                let before = crate::views::help_center::article_audit(&article);
                match change {
                    BulkChange::Delete => {
                        articles::delete_many(tx, portal.id, &[article.id])?;
                        audit::destroyed(tx, &actor, "Article", article.id, &before)?;
                        continue;
                    }
                    BulkChange::Status(status) => {
                        if status == ArticleStatus::Published
                            && article.content.as_deref().is_none_or(|c| c.trim().is_empty())
                        {
                            return Err(ApiError::Unprocessable(format!(
                                "Article {} has no content to publish",
                                article.id
                            )));
                        }
                        article.status = status.code();
                    }
                    BulkChange::Category(id) => {
                        if article.category_id != Some(id) {
                            article.category_id = Some(id);
                            article.position = Some(articles::next_position(tx, portal.id, Some(id))?);
                        }
                    }
                }
                let article = articles::save(tx, &article)?;
                audit::updated(
                    tx,
                    &actor,
                    "Article",
                    article.id,
                    &before,
                    &crate::views::help_center::article_audit(&article),
                )?;
            }
            Ok(())
        })
        .await?;
    Ok(head_ok())
}

/// `PATCH …/articles/bulk_actions/update_status` `{ids, status}`
pub async fn bulk_update_status(
    state: State,
    member: AccountMember,
    path: PortalPath,
    body: JsonBody,
) -> Reply {
    bulk(&state, &member, path.into_inner().1, &body, |b| {
        let status = b
            .status
            .as_ref()
            .ok_or_else(|| ApiError::Unprocessable("Invalid status".into()))?;
        ArticleStatus::parse(status)
            .map(BulkChange::Status)
            .ok_or_else(|| ApiError::Unprocessable("Invalid status".into()))
    })
    .await
}

/// `PATCH …/articles/bulk_actions/update_category` `{ids, category_id}`
pub async fn bulk_update_category(
    state: State,
    member: AccountMember,
    path: PortalPath,
    body: JsonBody,
) -> Reply {
    bulk(&state, &member, path.into_inner().1, &body, |b| {
        b.category_id
            .flatten()
            .map(BulkChange::Category)
            .ok_or_else(|| ApiError::Unprocessable("Invalid category".into()))
    })
    .await
}

/// `DELETE …/articles/bulk_actions/delete_articles` `{ids}`
pub async fn bulk_delete(state: State, member: AccountMember, path: PortalPath, body: JsonBody) -> Reply {
    bulk(&state, &member, path.into_inner().1, &body, |_| {
        Ok(BulkChange::Delete)
    })
    .await
}

/// `POST …/articles/bulk_actions/translate`: machine translation is not offered (Chatwoot: 501).
pub async fn bulk_translate(member: AccountMember) -> Reply {
    member.require_admin()?;
    Err(ApiError::NotImplemented("Article translation is not available"))
}
