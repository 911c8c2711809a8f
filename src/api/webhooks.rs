//! `/api/v1/accounts/{account_id}/webhooks` (administrators).

use serde::Deserialize;

use crate::api::audited::Audited;
use crate::api::body::{JsonBody, parse_params};
use crate::api::{ItemPath, Reply, State, head_ok, ok_json};
use crate::auth::AccountMember;
use crate::db::inboxes;
use crate::db::webhooks::{self, Webhook};
use crate::domain::{validation, webhooks as events};
use crate::error::{ApiError, ApiResult};
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

/// Webhooks in the audit trail.
const WEBHOOKS: Audited<Webhook> = Audited {
    audit_type: "Webhook",
    find: |conn, actor, id| webhooks::find(conn, actor.account_id, id),
    save: webhooks::save,
    delete: webhooks::delete,
    id: |hook| hook.id,
    view,
};

/// `POST …/webhooks` → `{payload: {webhook: {...}}}`
pub async fn create(state: State, member: AccountMember, body: JsonBody) -> Reply {
    member.require_admin()?;
    let params: Params = parse_params(body.require("webhook")?)?;
    let blank = Webhook {
        id: 0,
        account_id: member.account_id(),
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
    let hook = WEBHOOKS
        .create(&state, member.actor(), blank, |tx, hook| apply(tx, hook, params))
        .await?;
    Ok(ok_json(views::webhook::one(&hook)))
}

/// `PATCH …/webhooks/{id}` → `{payload: {webhook: {...}}}`
pub async fn update(state: State, member: AccountMember, path: ItemPath, body: JsonBody) -> Reply {
    member.require_admin()?;
    let id = path.into_inner().1;
    let params: Params = parse_params(body.require("webhook")?)?;
    let hook = WEBHOOKS
        .update(&state, member.actor(), id, |tx, hook| apply(tx, hook, params))
        .await?;
    Ok(ok_json(views::webhook::one(&hook)))
}

/// `DELETE …/webhooks/{id}`
pub async fn destroy(state: State, member: AccountMember, path: ItemPath) -> Reply {
    member.require_admin()?;
    WEBHOOKS
        .destroy(&state, member.actor(), path.into_inner().1)
        .await?;
    Ok(head_ok())
}
