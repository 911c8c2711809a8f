//! `/api/v1/accounts/{account_id}/agents`: members list; administrators invite, change and remove.

use serde::Deserialize;

use crate::api::body::{JsonBody, parse_params};
use crate::api::{ItemPath, Reply, State, head_ok, ok_json};
use crate::auth::AccountMember;
use crate::db::account_users::{self, Availability, Role};
use crate::db::{agents, inboxes, teams, users};
use crate::error::{ApiError, ApiResult};
use crate::services::audit;
use crate::services::users::validate_name;
use crate::state::AppState;
use crate::views;

/// Agent attributes (create and update).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct AgentParams {
    name: Option<String>,
    email: Option<String>,
    role: Option<String>,
    availability: Option<String>,
    availability_status: Option<String>,
    auto_offline: Option<bool>,
}

/// `{emails: [...]}`
#[derive(Debug, Deserialize)]
struct BulkParams {
    emails: Vec<String>,
}

fn parse_role(role: Option<&str>) -> ApiResult<Option<Role>> {
    role.map(|name| {
        Role::parse(name).ok_or_else(|| {
            ApiError::invalid(
                "role",
                format!("Role '{name}' is not valid (agent, administrator)"),
            )
        })
    })
    .transpose()
}

fn parse_availability(params: &AgentParams) -> ApiResult<Option<Availability>> {
    // `availability_status` is the OpenAPI's name; "available" is its spelling of online.
    let name = params
        .availability
        .as_deref()
        .or(params.availability_status.as_deref());
    name.map(|name| {
        let name = if name == "available" { "online" } else { name };
        Availability::parse(name).ok_or_else(|| {
            ApiError::invalid(
                "availability",
                format!("Availability '{name}' is not valid (online, busy, offline)"),
            )
        })
    })
    .transpose()
}

/// A bcrypt hash of a random secret for invited users (hashed off the async workers and
/// before the write lock is taken; one per request).
async fn random_password_hash(state: &AppState) -> ApiResult<String> {
    let cost = state.config.bcrypt_cost;
    crate::db::run_blocking(move || {
        let secret = format!("{}aA1!", crate::domain::tokens::hex_secret());
        crate::domain::password::hash(&secret, cost).map_err(ApiError::Internal)
    })
    .await
}

/// `GET …/agents`
pub async fn index(state: State, member: AccountMember) -> Reply {
    let account_id = member.account_id();
    let rows = state
        .db
        .read(move |conn| -> ApiResult<_> { Ok(agents::list(conn, account_id)?) })
        .await?;
    Ok(ok_json(views::agent::agents(&rows)))
}

/// `POST …/agents {name,email,role,availability,auto_offline}` (administrators)
pub async fn create(state: State, member: AccountMember, body: JsonBody) -> Reply {
    member.require_admin()?;
    let params: AgentParams = parse_params(body.require("agent")?)?;
    let role = parse_role(params.role.as_deref())?.unwrap_or(Role::Agent);
    let availability = parse_availability(&params)?;
    let actor = member.actor();
    let secret_hash = random_password_hash(&state).await?;
    let agent = state
        .db
        .write(move |tx| -> ApiResult<_> {
            let name = validate_name(params.name.as_deref().unwrap_or(""))?;
            let email = params.email.clone().unwrap_or_default();
            if email.trim().is_empty() {
                return Err(ApiError::invalid("email", "Email can't be blank"));
            }
            let agent = crate::services::agents::invite(tx, &actor, &name, &email, role, &secret_hash)?;
            let mut au = account_users::find(tx, actor.account_id, agent.id)?.ok_or(ApiError::NotFound)?;
            au.availability = availability.unwrap_or(au.availability);
            au.auto_offline = params.auto_offline.unwrap_or(au.auto_offline);
            account_users::update_settings(tx, &au)?;
            agents::find(tx, actor.account_id, agent.id)?.ok_or(ApiError::NotFound)
        })
        .await?;
    Ok(ok_json(views::agent::agent(&agent)))
}

/// `PATCH …/agents/{id}` (administrators): name on the user; role, availability and auto-offline
/// on the membership.
pub async fn update(state: State, member: AccountMember, path: ItemPath, body: JsonBody) -> Reply {
    member.require_admin()?;
    let (_, user_id) = path.into_inner();
    let params: AgentParams = parse_params(body.require("agent")?)?;
    let role = parse_role(params.role.as_deref())?;
    let availability = parse_availability(&params)?;
    let actor = member.actor();
    let agent = state
        .db
        .write(move |tx| -> ApiResult<_> {
            let before = agents::find(tx, actor.account_id, user_id)?.ok_or(ApiError::NotFound)?;
            if let Some(name) = &params.name {
                let mut user = users::find(tx, user_id)?.ok_or(ApiError::NotFound)?;
                user.name = validate_name(name)?;
                users::update(tx, &user)?;
            }
            let mut au = account_users::find(tx, actor.account_id, user_id)?.ok_or(ApiError::NotFound)?;
            au.role = role.unwrap_or(au.role);
            au.availability = availability.unwrap_or(au.availability);
            au.auto_offline = params.auto_offline.unwrap_or(au.auto_offline);
            account_users::update_settings(tx, &au)?;
            let after = agents::find(tx, actor.account_id, user_id)?.ok_or(ApiError::NotFound)?;
            audit::updated(
                tx,
                &actor,
                "AccountUser",
                user_id,
                &views::agent::agent(&before),
                &views::agent::agent(&after),
            )?;
            Ok(after)
        })
        .await?;
    Ok(ok_json(views::agent::agent(&agent)))
}

/// `DELETE …/agents/{id}` (administrators): the membership, the user's team and inbox seats in
/// this account go at once; the user goes too when no account is left.
pub async fn destroy(state: State, member: AccountMember, path: ItemPath) -> Reply {
    member.require_admin()?;
    let (_, user_id) = path.into_inner();
    let actor = member.actor();
    state
        .db
        .write(move |tx| -> ApiResult<_> {
            let agent = agents::find(tx, actor.account_id, user_id)?.ok_or(ApiError::NotFound)?;
            teams::remove_user_from_account(tx, actor.account_id, user_id)?;
            inboxes::remove_user_from_account(tx, actor.account_id, user_id)?;
            account_users::delete(tx, actor.account_id, user_id)?;
            audit::destroyed(tx, &actor, "AccountUser", user_id, &views::agent::agent(&agent))?;
            if account_users::count_for_user(tx, user_id)? == 0 {
                users::delete(tx, user_id)?;
            }
            Ok(())
        })
        .await?;
    Ok(head_ok())
}

/// `POST …/agents/bulk_create {emails}` (administrators): invites each address as an agent;
/// invalid or existing addresses are skipped, as Chatwoot does.
pub async fn bulk_create(state: State, member: AccountMember, body: JsonBody) -> Reply {
    member.require_admin()?;
    if !body.0.contains_key("emails") {
        return Err(ApiError::ParamMissing("emails".into()));
    }
    let params: BulkParams = parse_params(body.0.clone())?;
    let actor = member.actor();
    let secret_hash = random_password_hash(&state).await?;
    state
        .db
        .write(move |tx| -> ApiResult<_> {
            for email in &params.emails {
                let name = email.split('@').next().unwrap_or_default().to_string();
                match crate::services::agents::invite(tx, &actor, &name, email, Role::Agent, &secret_hash) {
                    Ok(_) | Err(ApiError::Validation { .. }) => {}
                    Err(other) => return Err(other),
                }
            }
            Ok(())
        })
        .await?;
    Ok(head_ok())
}
