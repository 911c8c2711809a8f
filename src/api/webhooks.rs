//! `/api/v1/accounts/{account_id}/webhooks` (administrators).

use serde::Deserialize;

use crate::api::body::{JsonBody, parse_params};
use crate::api::{ItemPath, Reply, State, destroy_audited, head_ok, ok_json};
use crate::auth::AccountMember;
use crate::db::inboxes;
use crate::db::webhooks::{self, Webhook};
use crate::domain::{validation, webhooks as events};
use crate::error::{ApiError, ApiResult};
use crate::services::audit;
use crate::views;
use crate::views::webhook::webhook as view;

/// Writable webhook attributes.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Params {
    url: Option<String>,
    #[serde(deserialize_with = "crate::domain::params::nullable")]
    name: Option<Option<String>>,
    subscriptions: Option<Vec<String>>,
    #[serde(deserialize_with = "crate::domain::params::nullable")]
    inbox_id: Option<Option<i64>>,
}

fn apply(conn: &rusqlite::Connection, hook: &mut Webhook, params: Params) -> ApiResult<()> {
    if let Some(url) = params.url {
        hook.url = url.trim().to_string();
    }
    if !validation::http_url(&hook.url) {
        return Err(ApiError::invalid("url", "Url is invalid"));
    }
    if webhooks::url_taken(conn, hook.account_id, &hook.url, hook.id)? {
        return Err(ApiError::invalid("url", "Url has already been taken"));
    }
    if let Some(name) = params.name {
        hook.name = name;
    }
    if let Some(subscriptions) = params.subscriptions {
        hook.subscriptions = subscriptions;
    }
    if !events::valid_subscriptions(&hook.subscriptions) {
        return Err(ApiError::invalid("subscriptions", "Subscriptions Invalid events"));
    }
    if let Some(inbox_id) = params.inbox_id {
        if let Some(id) = inbox_id {
            let inbox = inboxes::find(conn, hook.account_id, id)?
                .ok_or_else(|| ApiError::invalid("inbox", "Inbox must exist"))?;
            hook.inbox_name = Some(inbox.name);
        }
        hook.inbox_id = inbox_id;
    }
    Ok(())
}

/// `GET …/webhooks` → `{payload: {webhooks: [...]}}`
pub async fn index(state: State, member: AccountMember) -> Reply {
    member.require_admin()?;
    let account_id = member.account_id();
    let rows = state
        .db
        .read(move |conn| -> ApiResult<_> { Ok(webhooks::list(conn, account_id)?) })
        .await?;
    Ok(ok_json(views::webhook::list(&rows)))
}

/// `POST …/webhooks` → `{payload: {webhook: {...}}}`
pub async fn create(state: State, member: AccountMember, body: JsonBody) -> Reply {
    member.require_admin()?;
    let params: Params = parse_params(body.require("webhook")?)?;
    let actor = member.actor();
    let hook = state
        .db
        .write(move |tx| -> ApiResult<_> {
            let mut hook = Webhook {
                id: 0,
                account_id: actor.account_id,
                inbox_id: None,
                inbox_name: None,
                name: None,
                secret: None,
                url: String::new(),
                subscriptions: events::DEFAULT_SUBSCRIPTIONS
                    .iter()
                    .map(|s| (*s).to_string())
                    .collect(),
            };
            apply(tx, &mut hook, params)?;
            let id = webhooks::save(tx, &hook)?;
            let hook = webhooks::find(tx, actor.account_id, id)?.ok_or(ApiError::NotFound)?;
            audit::created(tx, &actor, "Webhook", id, &view(&hook))?;
            Ok(hook)
        })
        .await?;
    Ok(ok_json(views::webhook::one(&hook)))
}

/// `PATCH …/webhooks/{id}` → `{payload: {webhook: {...}}}`
pub async fn update(state: State, member: AccountMember, path: ItemPath, body: JsonBody) -> Reply {
    member.require_admin()?;
    let id = path.into_inner().1;
    let params: Params = parse_params(body.require("webhook")?)?;
    let actor = member.actor();
    let hook = state
        .db
        .write(move |tx| -> ApiResult<_> {
            let mut hook = webhooks::find(tx, actor.account_id, id)?.ok_or(ApiError::NotFound)?;
            let before = view(&hook);
            apply(tx, &mut hook, params)?;
            webhooks::save(tx, &hook)?;
            let hook = webhooks::find(tx, actor.account_id, id)?.ok_or(ApiError::NotFound)?;
            audit::updated(tx, &actor, "Webhook", id, &before, &view(&hook))?;
            Ok(hook)
        })
        .await?;
    Ok(ok_json(views::webhook::one(&hook)))
}

/// `DELETE …/webhooks/{id}`
pub async fn destroy(state: State, member: AccountMember, path: ItemPath) -> Reply {
    member.require_admin()?;
    let id = path.into_inner().1;
    let find = |c: &rusqlite::Connection, a: &audit::Actor, id| webhooks::find(c, a.account_id, id);
    destroy_audited(
        &state,
        member.actor(),
        "Webhook",
        id,
        find,
        webhooks::delete,
        view,
    )
    .await?;
    Ok(head_ok())
}
