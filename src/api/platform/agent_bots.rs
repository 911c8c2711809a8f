//! `/platform/api/v1/agent_bots`

use actix_web::web;
use serde::Deserialize;
use serde_json::Value;

use super::ensure_permitted;
use crate::api::body::{JsonBody, parse_params};
use crate::api::{Reply, State, head_ok, ok_json};
use crate::auth::PlatformCaller;
use crate::db::access_tokens::{self, OwnerType};
use crate::db::accounts;
use crate::db::agent_bots::{self, AgentBot};
use crate::db::platform::{self, Permissible};
use crate::error::{ApiError, ApiResult};
use crate::views;

/// Writable agent bot attributes.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct BotParams {
    name: Option<String>,
    #[serde(deserialize_with = "crate::domain::params::nullable")]
    description: Option<Option<String>>,
    #[serde(deserialize_with = "crate::domain::params::nullable")]
    outgoing_url: Option<Option<String>>,
    #[serde(deserialize_with = "crate::domain::params::nullable")]
    account_id: Option<Option<i64>>,
    bot_config: Option<serde_json::Map<String, Value>>,
}

/// Validate and apply `params` onto `bot`. A bot may only be attached to an account the platform
/// app owns (Chatwoot does not check this; see ARCHITECTURE.md).
fn apply(conn: &rusqlite::Connection, app_id: i64, bot: &mut AgentBot, params: BotParams) -> ApiResult<()> {
    if let Some(name) = params.name {
        bot.name = crate::services::users::validate_name(&name)?;
    }
    if let Some(description) = params.description {
        bot.description = description;
    }
    if let Some(url) = params.outgoing_url {
        let url = url.filter(|u| !u.trim().is_empty());
        if let Some(url) = &url
            && !crate::domain::validation::http_url(url)
        {
            return Err(ApiError::invalid(
                "outgoing_url",
                "Outgoing url must be a valid http(s) URL",
            ));
        }
        bot.outgoing_url = url;
    }
    if let Some(account_id) = params.account_id {
        if let Some(id) = account_id {
            accounts::find(conn, id)?.ok_or_else(|| ApiError::invalid("account", "Account must exist"))?;
            ensure_permitted(conn, app_id, Permissible::Account, id)?;
        }
        bot.account_id = account_id;
    }
    if let Some(config) = params.bot_config {
        bot.bot_config = Value::Object(config);
    }
    if bot.name.is_empty() {
        return Err(ApiError::invalid("name", "Name can't be blank"));
    }
    Ok(())
}

fn render(conn: &rusqlite::Connection, bot: &AgentBot) -> ApiResult<Value> {
    let token = access_tokens::token_of(conn, OwnerType::AgentBot, bot.id)?;
    let secret = agent_bots::secret_of(conn, bot.id)?;
    Ok(views::agent_bot::with_secret(
        views::platform::agent_bot(bot, token.as_deref()),
        secret.as_deref(),
    ))
}

/// `GET /platform/api/v1/agent_bots`: the bots this app created.
pub async fn index(state: State, caller: PlatformCaller) -> Reply {
    let body = state
        .db
        .read(move |conn| -> ApiResult<_> {
            let ids = platform::permitted_ids(conn, caller.0.id, Permissible::AgentBot)?;
            let bots = agent_bots::find_many(conn, &ids)?;
            let tokens = access_tokens::tokens_for(conn, OwnerType::AgentBot, &ids)?;
            let secrets = agent_bots::secrets_for(conn, &ids)?;
            Ok::<_, ApiError>(
                bots.iter()
                    .map(|bot| {
                        views::agent_bot::with_secret(
                            views::platform::agent_bot(bot, tokens.get(&bot.id).map(String::as_str)),
                            secrets.get(&bot.id).map(String::as_str),
                        )
                    })
                    .collect::<Vec<_>>(),
            )
        })
        .await?;
    Ok(ok_json(Value::Array(body)))
}

/// `POST /platform/api/v1/agent_bots`
pub async fn create(state: State, caller: PlatformCaller, body: JsonBody) -> Reply {
    let params: BotParams = parse_params(body.resource("agent_bot"))?;
    let body = state
        .db
        .write(move |tx| -> ApiResult<_> {
            let mut bot = AgentBot {
                id: 0,
                name: String::new(),
                description: None,
                outgoing_url: None,
                bot_config: Value::Object(Default::default()),
                account_id: None,
                created_at: 0,
                updated_at: 0,
            };
            apply(tx, caller.0.id, &mut bot, params)?;
            let bot = agent_bots::insert(tx, &bot)?;
            access_tokens::issue(tx, OwnerType::AgentBot, bot.id)?;
            platform::grant(tx, caller.0.id, Permissible::AgentBot, bot.id)?;
            render(tx, &bot)
        })
        .await?;
    Ok(ok_json(body))
}

fn find_permitted(conn: &rusqlite::Connection, app_id: i64, id: i64) -> ApiResult<AgentBot> {
    let bot = agent_bots::find(conn, id)?.ok_or(ApiError::NotFound)?;
    ensure_permitted(conn, app_id, Permissible::AgentBot, id)?;
    Ok(bot)
}

/// `GET /platform/api/v1/agent_bots/{id}`
pub async fn show(state: State, caller: PlatformCaller, path: web::Path<i64>) -> Reply {
    let id = path.into_inner();
    let body = state
        .db
        .read(move |conn| -> ApiResult<_> {
            let bot = find_permitted(conn, caller.0.id, id)?;
            render(conn, &bot)
        })
        .await?;
    Ok(ok_json(body))
}

/// `PATCH /platform/api/v1/agent_bots/{id}`
pub async fn update(state: State, caller: PlatformCaller, path: web::Path<i64>, body: JsonBody) -> Reply {
    let id = path.into_inner();
    let params: BotParams = parse_params(body.resource("agent_bot"))?;
    let body = state
        .db
        .write(move |tx| -> ApiResult<_> {
            let mut bot = find_permitted(tx, caller.0.id, id)?;
            apply(tx, caller.0.id, &mut bot, params)?;
            let bot = agent_bots::update(tx, &bot)?;
            render(tx, &bot)
        })
        .await?;
    Ok(ok_json(body))
}

/// `DELETE /platform/api/v1/agent_bots/{id}`
pub async fn destroy(state: State, caller: PlatformCaller, path: web::Path<i64>) -> Reply {
    let id = path.into_inner();
    state
        .db
        .write(move |tx| -> ApiResult<_> {
            find_permitted(tx, caller.0.id, id)?;
            Ok(agent_bots::delete(tx, id)?)
        })
        .await?;
    Ok(head_ok())
}
