//! `/api/v1/accounts/{account_id}/automation_rules` (administrators). Rules are stored and
//! validated here; they run when the events system fires them.

use serde::Deserialize;
use serde_json::Value;

use crate::api::audited::Audited;
use crate::api::body::{JsonBody, parse_params};
use crate::api::{ItemPath, Reply, State, head_ok, ok_json};
use crate::auth::AccountMember;
use crate::db::automation_rules::{self as rules, AutomationRule};
use crate::domain::automation;
use crate::error::{ApiError, ApiResult};
use crate::services::audit;
use crate::views;
use crate::views::automation_rule::automation_rule as view;

/// Writable rule attributes.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Params {
    name: Option<String>,
    #[serde(deserialize_with = "crate::domain::params::nullable")]
    description: Option<Option<String>>,
    event_name: Option<String>,
    conditions: Option<Vec<Value>>,
    actions: Option<Vec<Value>>,
    active: Option<bool>,
}

fn apply(conn: &rusqlite::Connection, rule: &mut AutomationRule, params: Params) -> ApiResult<()> {
    if let Some(name) = params.name {
        rule.name = name.trim().to_string();
    }
    if let Some(description) = params.description {
        rule.description = description;
    }
    if let Some(event) = params.event_name {
        rule.event_name = event;
    }
    if let Some(conditions) = params.conditions {
        rule.conditions = Value::Array(conditions);
    }
    if let Some(actions) = params.actions {
        rule.actions = Value::Array(actions);
    }
    if let Some(active) = params.active {
        rule.active = active;
    }
    let custom_keys = rules::custom_attribute_keys(conn, rule.account_id)?;
    automation::validate(
        &rule.name,
        &rule.event_name,
        &rule.conditions,
        &rule.actions,
        &custom_keys,
    )
    .map_err(|errors| ApiError::ErrorsHash(Value::Object(errors)))
}

/// `GET …/automation_rules` → `{payload: [...]}`
pub async fn index(state: State, member: AccountMember) -> Reply {
    member.require_admin()?;
    let account_id = member.account_id();
    let rows = state
        .db
        .read(move |conn| -> ApiResult<_> { Ok(rules::list(conn, account_id)?) })
        .await?;
    Ok(ok_json(views::envelope::payload(
        rows.iter().map(view).collect::<Vec<_>>(),
    )))
}

/// Rules in the audit trail.
const RULES: Audited<AutomationRule> = Audited {
    audit_type: "AutomationRule",
    find: |conn, actor, id| rules::find(conn, actor.account_id, id),
    save: rules::save,
    delete: rules::delete,
    id: |rule| rule.id,
    view,
};

/// `GET …/automation_rules/{id}` → `{payload: rule}`
pub async fn show(state: State, member: AccountMember, path: ItemPath) -> Reply {
    member.require_admin()?;
    let rule = RULES.load(&state, member.actor(), path.into_inner().1).await?;
    Ok(ok_json(views::envelope::payload(view(&rule))))
}

/// `POST …/automation_rules` → the bare rule (Chatwoot's create has no envelope).
pub async fn create(state: State, member: AccountMember, body: JsonBody) -> Reply {
    member.require_admin()?;
    let params: Params = parse_params(body.resource("automation_rule"))?;
    let blank = AutomationRule {
        id: 0,
        account_id: member.account_id(),
        name: String::new(),
        description: None,
        event_name: String::new(),
        conditions: Value::Array(Vec::new()),
        actions: Value::Array(Vec::new()),
        active: true,
        created_at: 0,
    };
    let rule = RULES
        .create(&state, member.actor(), blank, |tx, rule| apply(tx, rule, params))
        .await?;
    Ok(ok_json(view(&rule)))
}

/// `PATCH …/automation_rules/{id}` → `{payload: rule}`
pub async fn update(state: State, member: AccountMember, path: ItemPath, body: JsonBody) -> Reply {
    member.require_admin()?;
    let id = path.into_inner().1;
    let params: Params = parse_params(body.resource("automation_rule"))?;
    let rule = RULES
        .update(&state, member.actor(), id, |tx, rule| apply(tx, rule, params))
        .await?;
    Ok(ok_json(views::envelope::payload(view(&rule))))
}

/// `DELETE …/automation_rules/{id}`
pub async fn destroy(state: State, member: AccountMember, path: ItemPath) -> Reply {
    member.require_admin()?;
    RULES.destroy(&state, member.actor(), path.into_inner().1).await?;
    Ok(head_ok())
}

/// `POST …/automation_rules/{id}/clone` → `{payload: copy}`
pub async fn clone(state: State, member: AccountMember, path: ItemPath) -> Reply {
    member.require_admin()?;
    let id = path.into_inner().1;
    let actor = member.actor();
    let rule = state
        .db
        .write(move |tx| -> ApiResult<_> {
            let original = rules::find(tx, actor.account_id, id)?.ok_or(ApiError::NotFound)?;
            let rule = rules::save(tx, &AutomationRule { id: 0, ..original })?;
            audit::created(tx, &actor, "AutomationRule", rule.id, &view(&rule))?;
            Ok(rule)
        })
        .await?;
    Ok(ok_json(views::envelope::payload(view(&rule))))
}
