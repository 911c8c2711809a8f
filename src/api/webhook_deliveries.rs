//! `/api/v1/accounts/{account_id}/webhooks/{id}/deliveries` (administrators): what was sent to
//! a webhook, with status, attempts and the receiver's answer; and redelivery on demand.

use actix_web::web;
use serde::Deserialize;

use crate::api::{ItemPath, Reply, State, ok_json, page_number};
use crate::auth::AccountMember;
use crate::db::{event_deliveries, webhooks};
use crate::error::{ApiError, ApiResult};
use crate::views;

/// Deliveries per page.
const PER_PAGE: i64 = 25;

/// `?page=`
#[derive(Debug, Deserialize)]
pub struct PageQuery {
    page: Option<String>,
}

/// `GET …/webhooks/{id}/deliveries`: newest first, 25 per page.
pub async fn index(
    state: State,
    member: AccountMember,
    path: ItemPath,
    query: web::Query<PageQuery>,
) -> Reply {
    member.require_admin()?;
    let (account_id, id) = (member.account_id(), path.into_inner().1);
    let page = page_number(query.page.as_deref());
    let body = state
        .db
        .read(move |conn| -> ApiResult<_> {
            webhooks::find(conn, account_id, id)?.ok_or(ApiError::NotFound)?;
            let rows = event_deliveries::deliveries_for(
                conn,
                account_id,
                "Webhook",
                id,
                PER_PAGE,
                (page - 1) * PER_PAGE,
            )?;
            Ok(views::webhook_delivery::page(&rows, page))
        })
        .await?;
    Ok(ok_json(body))
}

/// `POST …/webhooks/{id}/deliveries/{delivery_id}/redeliver`: queue it again now, with the
/// same delivery id (receivers de-duplicate on it).
pub async fn redeliver(state: State, member: AccountMember, path: web::Path<(i64, i64, i64)>) -> Reply {
    member.require_admin()?;
    let (_, id, delivery_id) = path.into_inner();
    let account_id = member.account_id();
    let body = state
        .db
        .write(move |tx| -> ApiResult<_> {
            webhooks::find(tx, account_id, id)?.ok_or(ApiError::NotFound)?;
            if !event_deliveries::redeliver(tx, account_id, "Webhook", id, delivery_id)? {
                return Err(ApiError::NotFound);
            }
            let row = event_deliveries::find_delivery(tx, account_id, "Webhook", id, delivery_id)?
                .ok_or(ApiError::NotFound)?;
            Ok(views::webhook_delivery::delivery(&row))
        })
        .await?;
    Ok(ok_json(body))
}
