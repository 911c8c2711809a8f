//! `/api/v1/accounts/{account_id}/integrations`: the app catalog and its hooks.

use actix_web::web;
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::api::body::{JsonBody, parse_params};
use crate::api::{ItemPath, Reply, State, destroy_audited, head_ok, ok_json};
use crate::auth::AccountMember;
use crate::db::inboxes;
use crate::db::integrations_hooks::{self as hooks, Hook};
use crate::domain::integrations::{self, APPS, App, HookType};
use crate::error::{ApiError, ApiResult};
use crate::services::audit;
use crate::views;

/// Hook attributes.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct HookParams {
    app_id: Option<String>,
    inbox_id: Option<i64>,
    status: Option<Value>,
    settings: Option<Map<String, Value>>,
}

fn render_app(app: &App, all_hooks: &[Hook], has_webhooks: bool, admin: bool) -> Value {
    let mine: Vec<&Hook> = all_hooks.iter().filter(|h| h.app_id == app.id).collect();
    let enabled = if app.id == "webhook" {
        has_webhooks
    } else {
        !mine.is_empty()
    };
    views::integrations::app(app, enabled, &mine, admin)
}

/// `GET …/integrations/apps`
pub async fn apps(state: State, member: AccountMember) -> Reply {
    let account_id = member.account_id();
    let (all, has_webhooks) = state
        .db
        .read(move |conn| -> ApiResult<_> {
            Ok((
                hooks::list(conn, account_id)?,
                hooks::has_webhooks(conn, account_id)?,
            ))
        })
        .await?;
    let payload: Vec<Value> = APPS
        .iter()
        .map(|app| render_app(app, &all, has_webhooks, member.is_admin()))
        .collect();
    Ok(ok_json(views::envelope::payload(payload)))
}

/// `GET …/integrations/apps/{id}`
pub async fn app(state: State, member: AccountMember, path: web::Path<(i64, String)>) -> Reply {
    let app = integrations::find(&path.into_inner().1).ok_or(ApiError::NotFound)?;
    let account_id = member.account_id();
    let (all, has_webhooks) = state
        .db
        .read(move |conn| -> ApiResult<_> {
            Ok((
                hooks::list(conn, account_id)?,
                hooks::has_webhooks(conn, account_id)?,
            ))
        })
        .await?;
    Ok(ok_json(render_app(app, &all, has_webhooks, member.is_admin())))
}

fn parse_status(value: &Value) -> ApiResult<bool> {
    match value {
        Value::Bool(b) => Ok(*b),
        Value::Number(n) if n.as_i64() == Some(1) => Ok(true),
        Value::Number(n) if n.as_i64() == Some(0) => Ok(false),
        Value::String(s) if s == "enabled" || s == "1" => Ok(true),
        Value::String(s) if s == "disabled" || s == "0" => Ok(false),
        _ => Err(ApiError::invalid(
            "status",
            "Status is not included in the list (0, 1)",
        )),
    }
}

fn check_settings(app: &App, settings: &Map<String, Value>) -> ApiResult<()> {
    for key in app.required_settings {
        if settings
            .get(*key)
            .is_none_or(|v| v.is_null() || v.as_str().is_some_and(str::is_empty))
        {
            return Err(ApiError::invalid(
                "settings",
                format!("Settings {key} is required for {}", app.name),
            ));
        }
    }
    Ok(())
}

/// `POST …/integrations/hooks {app_id, inbox_id?, status?, settings}` (administrators)
pub async fn create(state: State, member: AccountMember, body: JsonBody) -> Reply {
    member.require_admin()?;
    let params: HookParams = parse_params(body.resource("hook"))?;
    let app_id = params.app_id.clone().unwrap_or_default();
    let app = integrations::find(&app_id)
        .ok_or_else(|| ApiError::invalid("app_id", "App is not a known integration"))?;
    if app.id == "webhook" {
        return Err(ApiError::invalid(
            "app_id",
            "Webhooks are configured through the webhooks endpoint",
        ));
    }
    let settings = params.settings.clone().unwrap_or_default();
    check_settings(app, &settings)?;
    let enabled = params
        .status
        .as_ref()
        .map(parse_status)
        .transpose()?
        .unwrap_or(true);
    let actor = member.actor();
    let hook = state
        .db
        .write(move |tx| -> ApiResult<_> {
            if !app.allow_multiple_hooks && hooks::app_in_use(tx, actor.account_id, app.id)? {
                return Err(ApiError::invalid("app_id", "App has already been taken"));
            }
            let (inbox_id, inbox_name) = match app.hook_type {
                HookType::Account => (None, None),
                HookType::Inbox => {
                    let id = params
                        .inbox_id
                        .ok_or_else(|| ApiError::invalid("inbox", "Inbox must exist"))?;
                    let inbox = inboxes::find(tx, actor.account_id, id)?
                        .ok_or_else(|| ApiError::invalid("inbox", "Inbox must exist"))?;
                    (Some(id), Some(inbox.name))
                }
            };
            let hook = Hook {
                id: 0,
                account_id: actor.account_id,
                app_id: app.id.to_string(),
                inbox_id,
                inbox_name,
                enabled,
                hook_type: i64::from(app.hook_type == HookType::Inbox),
                reference_id: None,
                settings,
            };
            let id = hooks::save(tx, &hook)?;
            let hook = hooks::find(tx, actor.account_id, id)?.ok_or(ApiError::NotFound)?;
            audit::created(
                tx,
                &actor,
                "Integrations::Hook",
                id,
                &views::integrations::hook(&hook, true),
            )?;
            Ok(hook)
        })
        .await?;
    Ok(ok_json(views::integrations::hook(&hook, true)))
}

/// `GET …/integrations/hooks/{id}`
pub async fn show(state: State, member: AccountMember, path: ItemPath) -> Reply {
    let (account_id, id) = (member.account_id(), path.into_inner().1);
    let hook = state
        .db
        .read(move |conn| hooks::find(conn, account_id, id)?.ok_or(ApiError::NotFound))
        .await?;
    Ok(ok_json(views::integrations::hook(&hook, member.is_admin())))
}

/// `PATCH …/integrations/hooks/{id} {status?, settings?}` (administrators). Settings replace the
/// stored ones, as in Chatwoot.
pub async fn update(state: State, member: AccountMember, path: ItemPath, body: JsonBody) -> Reply {
    member.require_admin()?;
    let id = path.into_inner().1;
    let params: HookParams = parse_params(body.resource("hook"))?;
    let enabled = params.status.as_ref().map(parse_status).transpose()?;
    let actor = member.actor();
    let hook = state
        .db
        .write(move |tx| -> ApiResult<_> {
            let mut hook = hooks::find(tx, actor.account_id, id)?.ok_or(ApiError::NotFound)?;
            let before = views::integrations::hook(&hook, true);
            if let Some(settings) = params.settings {
                if let Some(app) = integrations::find(&hook.app_id) {
                    check_settings(app, &settings)?;
                }
                hook.settings = settings;
            }
            hook.enabled = enabled.unwrap_or(hook.enabled);
            hooks::save(tx, &hook)?;
            audit::updated(
                tx,
                &actor,
                "Integrations::Hook",
                id,
                &before,
                &views::integrations::hook(&hook, true),
            )?;
            Ok(hook)
        })
        .await?;
    Ok(ok_json(views::integrations::hook(&hook, true)))
}

/// `DELETE …/integrations/hooks/{id}` (administrators)
pub async fn destroy(state: State, member: AccountMember, path: ItemPath) -> Reply {
    member.require_admin()?;
    let id = path.into_inner().1;
    let find = |c: &rusqlite::Connection, a: &audit::Actor, id| hooks::find(c, a.account_id, id);
    destroy_audited(
        &state,
        member.actor(),
        "Integrations::Hook",
        id,
        find,
        hooks::delete,
        admin_hook_view,
    )
    .await?;
    Ok(head_ok())
}

/// The hook as administrators see it (what audit entries record).
fn admin_hook_view(hook: &Hook) -> Value {
    views::integrations::hook(hook, true)
}
