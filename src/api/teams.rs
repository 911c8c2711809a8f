//! `/api/v1/accounts/{account_id}/teams` and `…/teams/{team_id}/team_members`.

use actix_web::web;
use serde::Deserialize;
use serde_json::Value;

use crate::api::audited::Audited;
use crate::api::body::{JsonBody, parse_params};
use crate::api::members::{ensure_account_users, user_ids};
use crate::api::{ItemPath, Reply, State, head_ok, ok_json};
use crate::auth::AccountMember;
use crate::db::agents;
use crate::db::teams::{self, Team};
use crate::error::{ApiError, ApiResult};
use crate::services::audit;
use crate::services::settings;
use crate::state::AppState;
use crate::views;

/// Writable team attributes.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct TeamParams {
    name: Option<String>,
    #[serde(deserialize_with = "crate::domain::params::nullable")]
    description: Option<Option<String>>,
    allow_auto_assign: Option<bool>,
}

/// A create or an update: the fields left out keep their values; the rules are the
/// settings service's, shared with the agent app.
fn apply(conn: &rusqlite::Connection, team: &mut Team, params: TeamParams) -> ApiResult<()> {
    let name = params.name.unwrap_or_else(|| team.name.clone());
    let description = params.description.unwrap_or_else(|| team.description.clone());
    settings::apply_team(conn, team, &name, description)?;
    if let Some(allow) = params.allow_auto_assign {
        team.allow_auto_assign = allow;
    }
    Ok(())
}

fn find(conn: &rusqlite::Connection, member: (i64, i64), id: i64) -> ApiResult<Team> {
    teams::find(conn, member.0, member.1, id)?.ok_or(ApiError::NotFound)
}

/// `GET …/teams`
pub async fn index(state: State, member: AccountMember) -> Reply {
    let (account_id, user_id) = (member.account_id(), member.user.id);
    let rows = state
        .db
        .read(move |conn| -> ApiResult<_> { Ok(teams::list(conn, account_id, user_id)?) })
        .await?;
    Ok(ok_json(Value::Array(
        rows.iter().map(views::team::team).collect(),
    )))
}

/// Teams in the audit trail (`is_member` as seen by the actor).
const TEAMS: Audited<Team> = Audited {
    audit_type: "Team",
    find: |conn, actor, id| teams::find(conn, actor.account_id, actor.user_id, id),
    save: teams::save,
    delete: teams::delete,
    id: |team| team.id,
    view: views::team::team,
};

/// `GET …/teams/{team_id}`
pub async fn show(state: State, member: AccountMember, path: ItemPath) -> Reply {
    let team = TEAMS.load(&state, member.actor(), path.into_inner().1).await?;
    Ok(ok_json(views::team::team(&team)))
}

/// `POST …/teams` (administrators)
pub async fn create(state: State, member: AccountMember, body: JsonBody) -> Reply {
    member.require_admin()?;
    let params: TeamParams = parse_params(body.require("team")?)?;
    let blank = Team {
        id: 0,
        account_id: member.account_id(),
        name: String::new(),
        description: None,
        allow_auto_assign: true,
        is_member: false,
    };
    let team = TEAMS
        .create(&state, member.actor(), blank, |tx, team| apply(tx, team, params))
        .await?;
    Ok(ok_json(views::team::team(&team)))
}

/// `PATCH …/teams/{team_id}` (administrators)
pub async fn update(state: State, member: AccountMember, path: ItemPath, body: JsonBody) -> Reply {
    member.require_admin()?;
    let id = path.into_inner().1;
    let params: TeamParams = parse_params(body.require("team")?)?;
    let team = TEAMS
        .update(&state, member.actor(), id, |tx, team| apply(tx, team, params))
        .await?;
    Ok(ok_json(views::team::team(&team)))
}

/// `DELETE …/teams/{team_id}` (administrators)
pub async fn destroy(state: State, member: AccountMember, path: ItemPath) -> Reply {
    member.require_admin()?;
    TEAMS.destroy(&state, member.actor(), path.into_inner().1).await?;
    Ok(head_ok())
}

/// `GET …/teams/{team_id}/team_members`
pub async fn members(state: State, member: AccountMember, path: ItemPath) -> Reply {
    let (_, team_id) = path.into_inner();
    let scope = (member.account_id(), member.user.id);
    let rows = state
        .db
        .read(move |conn| -> ApiResult<_> {
            find(conn, scope, team_id)?;
            Ok(agents::team_members(conn, scope.0, team_id)?)
        })
        .await?;
    Ok(ok_json(views::agent::agents(&rows)))
}

/// How a member change treats the current set.
#[derive(Debug, Clone, Copy)]
enum Change {
    Add,
    Replace,
    Remove,
}

async fn change_members(
    state: web::Data<AppState>,
    member: AccountMember,
    team_id: i64,
    body: JsonBody,
    change: Change,
) -> ApiResult<Vec<agents::Agent>> {
    member.require_admin()?;
    let ids = user_ids(&body.0)?;
    let actor = member.actor();
    state
        .db
        .write(move |tx| -> ApiResult<_> {
            let team = find(tx, (actor.account_id, actor.user_id), team_id)?;
            ensure_account_users(tx, actor.account_id, &ids)?;
            let before = agents::team_members(tx, actor.account_id, team_id)?;
            let shown = match change {
                Change::Add => {
                    let added = teams::add_members(tx, team_id, &ids)?;
                    agents::find_many(tx, actor.account_id, &added)?
                }
                Change::Replace => {
                    teams::replace_members(tx, team_id, &ids)?;
                    agents::team_members(tx, actor.account_id, team_id)?
                }
                Change::Remove => {
                    teams::remove_members(tx, team_id, &ids)?;
                    Vec::new()
                }
            };
            let after = agents::team_members(tx, actor.account_id, team_id)?;
            audit::members_updated(tx, &actor, "Team", team.id, &before, &after)?;
            Ok(shown)
        })
        .await
}

/// `POST …/team_members {user_ids}`: returns only the newly added agents.
pub async fn add_members(state: State, member: AccountMember, path: ItemPath, body: JsonBody) -> Reply {
    let rows = change_members(state, member, path.into_inner().1, body, Change::Add).await?;
    Ok(ok_json(views::agent::agents(&rows)))
}

/// `PATCH …/team_members {user_ids}`: the set becomes exactly these; returns all members.
pub async fn replace_members(state: State, member: AccountMember, path: ItemPath, body: JsonBody) -> Reply {
    let rows = change_members(state, member, path.into_inner().1, body, Change::Replace).await?;
    Ok(ok_json(views::agent::agents(&rows)))
}

/// `DELETE …/team_members {user_ids}`
pub async fn remove_members(state: State, member: AccountMember, path: ItemPath, body: JsonBody) -> Reply {
    change_members(state, member, path.into_inner().1, body, Change::Remove).await?;
    Ok(head_ok())
}
