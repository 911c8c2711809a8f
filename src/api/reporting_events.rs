//! Reporting events: a conversation's (oldest first, for whoever may see the conversation) and
//! the account's (newest first, paged, administrators).

use actix_web::web;
use serde::Deserialize;
use serde_json::Value;

use crate::api::conversations::read_conversation;
use crate::api::{ItemPath, Reply, State, ok_json, page_number};
use crate::auth::{AccountMember, ConversationCaller};
use crate::db::reporting_events::{self, EventFilter, name};
use crate::error::{ApiError, ApiResult};
use crate::views;
use crate::views::reporting_event::reporting_event;

/// `GET /api/v1/accounts/{account_id}/conversations/{id}/reporting_events` (a bare array).
pub async fn for_conversation(state: State, member: AccountMember, path: ItemPath) -> Reply {
    let caller = ConversationCaller::from(member);
    let events = read_conversation(&state, caller, path.into_inner().1, |conn, _, c| {
        Ok(reporting_events::for_conversation(conn, c.account_id, c.id)?)
    })
    .await?;
    Ok(ok_json(Value::Array(
        events.iter().map(reporting_event).collect(),
    )))
}

/// Events per page of the account list (Kaminari's default).
const PER_PAGE: i64 = 25;

/// `?since=&until=&inbox_id=&user_id=&name=&page=` (times in unix seconds).
#[derive(Debug, Deserialize)]
pub struct EventsQuery {
    since: Option<String>,
    until: Option<String>,
    inbox_id: Option<String>,
    user_id: Option<String>,
    name: Option<String>,
    page: Option<String>,
}

/// A blank parameter is absent; anything else must be an integer.
fn integer(key: &str, raw: Option<&str>) -> ApiResult<Option<i64>> {
    match raw.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(text) => text
            .parse::<i64>()
            .map(Some)
            .map_err(|_| ApiError::Unprocessable(format!("{key} must be an integer"))),
    }
}

/// Unix seconds (fractions allowed) to unix ms.
fn timestamp(key: &str, raw: Option<&str>) -> ApiResult<Option<i64>> {
    match raw.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(text) => text
            .parse::<f64>()
            .ok()
            .filter(|secs| secs.is_finite() && secs.abs() < 1e12)
            .map(|secs| Some((secs * 1000.0) as i64))
            .ok_or_else(|| ApiError::Unprocessable(format!("{key} must be a unix timestamp"))),
    }
}

impl EventsQuery {
    fn filter(&self, account_id: i64) -> ApiResult<EventFilter> {
        let name = match self.name.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
            None => None,
            Some(n) if name::ALL.contains(&n) => Some(n.to_string()),
            Some(n) => {
                return Err(ApiError::Unprocessable(format!(
                    "Invalid event name '{n}'. Allowed: {}",
                    name::ALL.join(", ")
                )));
            }
        };
        Ok(EventFilter {
            account_id,
            since: timestamp("since", self.since.as_deref())?,
            until: timestamp("until", self.until.as_deref())?,
            inbox_id: integer("inbox_id", self.inbox_id.as_deref())?,
            user_id: integer("user_id", self.user_id.as_deref())?,
            name,
        })
    }
}

/// `GET /api/v1/accounts/{account_id}/reporting_events`:
/// `{"payload":[…],"meta":{"count","current_page","total_pages"}}`, 25 per page, newest first.
pub async fn for_account(state: State, member: AccountMember, query: web::Query<EventsQuery>) -> Reply {
    member.require_admin()?;
    let filter = query.filter(member.account_id())?;
    let page = page_number(query.page.as_deref());
    let (events, count) = state
        .db
        .read(move |conn| -> ApiResult<_> { Ok(reporting_events::page(conn, &filter, page, PER_PAGE)?) })
        .await?;
    Ok(ok_json(views::reporting_event::page(
        &events, count, page, PER_PAGE,
    )))
}
