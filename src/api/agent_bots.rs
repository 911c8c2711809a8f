//! `/api/v1/accounts/{account_id}/agent_bots`: members see the account's and the system bots;
//! administrators manage the account's own.

use serde::Deserialize;
use serde_json::{Map, Value};

use crate::api::body::{JsonBody, parse_params};
use crate::api::{ItemPath, Reply, State, head_ok, ok_json};
use crate::auth::AccountMember;
use crate::db::access_tokens::{self, OwnerType};
use crate::db::agent_bots::{self, AgentBot};
use crate::domain::validation;
use crate::error::{ApiError, ApiResult};
use crate::services::audit::{self, Actor};
use crate::views;

/// Writable bot attributes.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct BotParams {
    name: Option<String>,
    #[serde(deserialize_with = "crate::domain::params::nullable")]
    description: Option<Option<String>>,
    #[serde(deserialize_with = "crate::domain::params::nullable")]
    outgoing_url: Option<Option<String>>,
    bot_config: Option<Map<String, Value>>,
    bot_type: Option<Value>,
}

fn apply(bot: &mut AgentBot, params: BotParams) -> ApiResult<()> {
    if let Some(name) = params.name {
        bot.name = crate::services::users::validate_name(&name)?;
    }
    if bot.name.is_empty() {
        return Err(ApiError::invalid("name", "Name can't be blank"));
    }
    if let Some(description) = params.description {
        bot.description = description;
    }
    if let Some(url) = params.outgoing_url {
        let url = url.filter(|u| !u.trim().is_empty());
        if url.as_deref().is_some_and(|u| !validation::http_url(u)) {
            return Err(ApiError::invalid(
                "outgoing_url",
                "Outgoing url must be a valid http(s) URL",
            ));
        }
        bot.outgoing_url = url;
    }
    if let Some(config) = params.bot_config {
        bot.bot_config = Value::Object(config);
    }
    if let Some(kind) = params.bot_type
        && !(kind == "webhook" || kind == 0)
    {
        return Err(ApiError::invalid(
            "bot_type",
            "Bot type is not included in the list (webhook)",
        ));
    }
    Ok(())
}

fn render(conn: &rusqlite::Connection, bot: &AgentBot, account_id: i64) -> ApiResult<Value> {
    let token = access_tokens::token_of(conn, OwnerType::AgentBot, bot.id)?;
    let secret = if bot.account_id == Some(account_id) {
        agent_bots::secret_of(conn, bot.id)?
    } else {
        None
    };
    let body = views::agent_bot::agent_bot(bot, account_id, token.as_deref());
    Ok(views::agent_bot::with_secret(body, secret.as_deref()))
}

/// `GET …/agent_bots`
pub async fn index(state: State, member: AccountMember) -> Reply {
    let (account_id, admin) = (member.account_id(), member.is_admin());
    let body = state
        .db
        .read(move |conn| -> ApiResult<_> {
            let bots = agent_bots::list_for_account(conn, account_id)?;
            // Bot tokens act in every inbox of the account: administrators only.
            let ids: Vec<i64> = if admin {
                bots.iter().map(|b| b.id).collect()
            } else {
                Vec::new()
            };
            let tokens = access_tokens::tokens_for(conn, OwnerType::AgentBot, &ids)?;
            let secrets = agent_bots::secrets_for(conn, &ids)?;
            Ok(bots
                .iter()
                .map(|bot| {
                    let body =
                        views::agent_bot::agent_bot(bot, account_id, tokens.get(&bot.id).map(String::as_str));
                    // Only the account's own bots sign with a secret its administrators hold.
                    let secret = secrets
                        .get(&bot.id)
                        .filter(|_| bot.account_id == Some(account_id));
                    views::agent_bot::with_secret(body, secret.map(String::as_str))
                })
                .collect::<Vec<_>>())
        })
        .await?;
    Ok(ok_json(Value::Array(body)))
}

/// `GET …/agent_bots/{id}`
pub async fn show(state: State, member: AccountMember, path: ItemPath) -> Reply {
    let (account_id, id) = (member.account_id(), path.into_inner().1);
    let admin = member.is_admin();
    let body = state
        .db
        .read(move |conn| {
            let bot = agent_bots::find_visible(conn, account_id, id)?.ok_or(ApiError::NotFound)?;
            if admin {
                render(conn, &bot, account_id)
            } else {
                Ok(views::agent_bot::agent_bot(&bot, account_id, None))
            }
        })
        .await?;
    Ok(ok_json(body))
}

/// `POST …/agent_bots` (administrators)
pub async fn create(state: State, member: AccountMember, body: JsonBody) -> Reply {
    member.require_admin()?;
    let params: BotParams = parse_params(body.resource("agent_bot"))?;
    let actor = member.actor();
    let body = state
        .db
        .write(move |tx| -> ApiResult<_> {
            let mut bot = AgentBot {
                id: 0,
                name: String::new(),
                description: None,
                outgoing_url: None,
                bot_config: Value::Object(Map::new()),
                account_id: Some(actor.account_id),
                created_at: 0,
                updated_at: 0,
            };
            apply(&mut bot, params)?;
            let bot = agent_bots::insert(tx, &bot)?;
            access_tokens::issue(tx, OwnerType::AgentBot, bot.id)?;
            let view = render(tx, &bot, actor.account_id)?;
            audit::created(tx, &actor, "AgentBot", bot.id, &view)?;
            Ok(view)
        })
        .await?;
    Ok(ok_json(body))
}

fn owned(conn: &rusqlite::Connection, actor: &Actor, id: i64) -> ApiResult<AgentBot> {
    agent_bots::find_owned(conn, actor.account_id, id)?.ok_or(ApiError::NotFound)
}

/// `PATCH …/agent_bots/{id}` (administrators; the account's own bots)
pub async fn update(state: State, member: AccountMember, path: ItemPath, body: JsonBody) -> Reply {
    member.require_admin()?;
    let id = path.into_inner().1;
    let params: BotParams = parse_params(body.resource("agent_bot"))?;
    let actor = member.actor();
    let body = state
        .db
        .write(move |tx| -> ApiResult<_> {
            let mut bot = owned(tx, &actor, id)?;
            let before = render(tx, &bot, actor.account_id)?;
            apply(&mut bot, params)?;
            let bot = agent_bots::update(tx, &bot)?;
            let after = render(tx, &bot, actor.account_id)?;
            audit::updated(tx, &actor, "AgentBot", id, &before, &after)?;
            Ok(after)
        })
        .await?;
    Ok(ok_json(body))
}

/// `DELETE …/agent_bots/{id}` (administrators; the account's own bots)
pub async fn destroy(state: State, member: AccountMember, path: ItemPath) -> Reply {
    member.require_admin()?;
    let id = path.into_inner().1;
    let actor = member.actor();
    state
        .db
        .write(move |tx| -> ApiResult<_> {
            let bot = owned(tx, &actor, id)?;
            let view = render(tx, &bot, actor.account_id)?;
            agent_bots::delete(tx, id)?;
            audit::destroyed(tx, &actor, "AgentBot", id, &view)?;
            Ok(())
        })
        .await?;
    Ok(head_ok())
}

/// `POST …/agent_bots/{id}/reset_access_token` (administrators): the old token stops working.
pub async fn reset_access_token(state: State, member: AccountMember, path: ItemPath) -> Reply {
    member.require_admin()?;
    let id = path.into_inner().1;
    let actor = member.actor();
    let body = state
        .db
        .write(move |tx| -> ApiResult<_> {
            let bot = owned(tx, &actor, id)?;
            access_tokens::issue(tx, OwnerType::AgentBot, bot.id)?;
            audit::record(
                tx,
                &actor,
                "AgentBot",
                id,
                audit::Action::Update,
                &audit::attribute("access_token", "reset"),
                None,
            )?;
            render(tx, &bot, actor.account_id)
        })
        .await?;
    Ok(ok_json(body))
}
