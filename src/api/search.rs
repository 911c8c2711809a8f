//! `GET /api/v1/accounts/{account_id}/search[/conversations|/contacts|/messages]?q=&page=`
//! (Chatwoot's `SearchController`): pages of 15; agents see the conversations and messages of
//! their inboxes only.

use actix_web::web;
use serde::Deserialize;

use crate::api::{Reply, State, ok_json, page_number};
use crate::auth::AccountMember;
use crate::error::ApiResult;
use crate::services::search;
use crate::views::search as view;

/// `?q=&page=`
#[derive(Debug, Deserialize)]
pub struct SearchQuery {
    q: Option<String>,
    page: Option<String>,
}

impl SearchQuery {
    fn parts(&self) -> (String, i64) {
        (
            self.q.as_deref().unwrap_or("").trim().to_string(),
            page_number(self.page.as_deref()),
        )
    }
}

/// `GET …/search`: `{payload: {conversations, contacts, messages}}`
pub async fn index(state: State, member: AccountMember, query: web::Query<SearchQuery>) -> Reply {
    let (q, page) = query.parts();
    let body = state
        .db
        .read(move |conn| -> ApiResult<_> {
            let conversations = search::conversations(conn, &member, &q, page)?;
            let contacts = search::contacts(conn, &member, &q, page)?;
            let messages = search::messages(conn, &member, &q, page)?;
            Ok(view::everything(&conversations, &contacts, &messages))
        })
        .await?;
    Ok(ok_json(body))
}

/// `GET …/search/conversations`: `{payload: {conversations}}`
pub async fn conversations(state: State, member: AccountMember, query: web::Query<SearchQuery>) -> Reply {
    let (q, page) = query.parts();
    let body = state
        .db
        .read(move |conn| -> ApiResult<_> {
            let hits = search::conversations(conn, &member, &q, page)?;
            Ok(view::payload("conversations", view::conversations(&hits)))
        })
        .await?;
    Ok(ok_json(body))
}

/// `GET …/search/contacts`: `{payload: {contacts}}`
pub async fn contacts(state: State, member: AccountMember, query: web::Query<SearchQuery>) -> Reply {
    let (q, page) = query.parts();
    let body = state
        .db
        .read(move |conn| -> ApiResult<_> {
            let hits = search::contacts(conn, &member, &q, page)?;
            Ok(view::payload("contacts", view::contacts(&hits)))
        })
        .await?;
    Ok(ok_json(body))
}

/// `GET …/search/messages`: `{payload: {messages}}`
pub async fn messages(state: State, member: AccountMember, query: web::Query<SearchQuery>) -> Reply {
    let (q, page) = query.parts();
    let body = state
        .db
        .read(move |conn| -> ApiResult<_> {
            let hits = search::messages(conn, &member, &q, page)?;
            Ok(view::payload("messages", view::messages(&hits)))
        })
        .await?;
    Ok(ok_json(body))
}
