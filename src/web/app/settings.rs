//! `/app/accounts/{account_id}/settings/…` (administrators; anyone else gets the 404 page):
//! inboxes with their website embed code, labels and canned responses. Changes are validated by
//! `services::settings`, saved and written to the audit trail in one transaction, as the
//! account API does.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, web};
use askama::Template;

use super::session::{AppMember, Posted};
use super::{Chrome, PageError, PageResult, page_response, remember_theme, see_other};
use crate::db::account_users::Role;
use crate::db::canned_responses::{self, CannedResponse};
use crate::db::labels::{self, Label};
use crate::db::{agents, inboxes, run_blocking};
use crate::domain::inbox::web_widget_script;
use crate::error::{ApiError, ApiResult};
use crate::services::audit;
use crate::services::settings::{apply_canned, apply_label, apply_team};
use crate::state::AppState;
use crate::views;

/// One inbox in the settings list.
pub struct InboxRow {
    pub id: i64,
    pub name: String,
    pub channel: String,
    pub snippet: String,
}

/// One agent of the account.
pub struct AgentRow {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub role_label: &'static str,
    pub confirmed: bool,
}

/// The settings page; `tab` is "inboxes", "agents", "labels" or "canned_responses".
#[derive(Template)]
#[template(path = "app/settings.html")]
pub struct SettingsPage {
    pub chrome: Chrome,
    pub base: String,
    pub tab: &'static str,
    pub inboxes: Vec<InboxRow>,
    pub labels: Vec<Label>,
    pub canned: Vec<CannedResponse>,
    pub agents: Vec<AgentRow>,
    pub teams: Vec<crate::db::teams::Team>,
    /// A set-password link just made (shown once).
    pub link: String,
    pub error: String,
    /// What a refused form had typed: (first, second, third field).
    pub typed: (String, String, String),
}

fn admin_only(app: &AppMember) -> Result<(), PageError> {
    if app.member.is_admin() {
        Ok(())
    } else {
        Err(PageError::NotFound(app.t))
    }
}

async fn render(
    req: &HttpRequest,
    state: &AppState,
    app: &AppMember,
    tab: &'static str,
    error: String,
    typed: (String, String, String),
) -> PageResult {
    render_with_link(req, state, app, tab, error, typed, String::new()).await
}

async fn render_with_link(
    req: &HttpRequest,
    state: &AppState,
    app: &AppMember,
    tab: &'static str,
    error: String,
    typed: (String, String, String),
    link: String,
) -> PageResult {
    admin_only(app)?;
    let t = app.t;
    let account_id = app.member.account_id();
    let base_url = state.config.frontend_url();
    let viewer_id = app.member.user.id;
    let (inbox_rows, label_rows, canned_rows, agent_rows, team_rows) = state
        .db
        .read(move |conn| -> ApiResult<_> {
            Ok((
                inboxes::list(conn, account_id, None)?,
                labels::list(conn, account_id)?,
                canned_responses::list(conn, account_id, None)?,
                agents::list(conn, account_id)?,
                crate::db::teams::list(conn, account_id, viewer_id)?,
            ))
        })
        .await
        .map_err(|e| PageError::api(t, e))?;
    let base = format!("/app/accounts/{account_id}/settings");
    let page = SettingsPage {
        chrome: Chrome::for_member(app, "settings", t.settings, &format!("{base}/{tab}")),
        base,
        tab,
        inboxes: inbox_rows
            .into_iter()
            .map(|i| InboxRow {
                id: i.id,
                snippet: i
                    .channel
                    .website_token
                    .as_deref()
                    .map(|token| dedent(&web_widget_script(&base_url, token)))
                    .unwrap_or_default(),
                channel: i.channel.channel_type.trim_start_matches("Channel::").to_string(),
                name: i.name,
            })
            .collect(),
        labels: label_rows,
        canned: canned_rows,
        agents: agent_rows
            .into_iter()
            .map(|a| AgentRow {
                id: a.id,
                name: a.available_name().to_string(),
                email: a.email.clone(),
                role_label: t.roles[usize::from(a.role == Role::Administrator)],
                confirmed: a.confirmed,
            })
            .collect(),
        teams: team_rows,
        link,
        error,
        typed,
    };
    let status = if page.error.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(remember_theme(req, page_response(status, &page)))
}

/// `text` without its common indentation and surrounding blank lines (for a `<pre>`).
fn dedent(text: &str) -> String {
    let indent = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    text.lines()
        .map(|l| l.get(indent..).unwrap_or(l.trim_start()))
        .collect::<Vec<_>>()
        .join("\n")
        .trim_matches('\n')
        .to_string()
}

/// `GET …/settings`: the inboxes tab.
pub async fn index(app: AppMember) -> PageResult {
    admin_only(&app)?;
    Ok(see_other(&format!(
        "/app/accounts/{}/settings/inboxes",
        app.member.account_id()
    )))
}

fn tab_of(name: &str) -> Option<&'static str> {
    ["inboxes", "agents", "teams", "labels", "canned_responses"]
        .into_iter()
        .find(|t| *t == name)
}

/// `GET …/settings/{tab}`
pub async fn show(
    req: HttpRequest,
    state: web::Data<AppState>,
    app: AppMember,
    path: web::Path<(i64, String)>,
) -> PageResult {
    let tab = tab_of(&path.into_inner().1).ok_or(PageError::NotFound(app.t))?;
    render(&req, &state, &app, tab, String::new(), Default::default()).await
}

fn refused_text(err: ApiError) -> Result<String, ApiError> {
    match err {
        ApiError::Validation { message, .. } | ApiError::Unprocessable(message) => Ok(message),
        other => Err(other),
    }
}

async fn done_or_refused(
    req: &HttpRequest,
    state: &AppState,
    app: &AppMember,
    tab: &'static str,
    result: ApiResult<()>,
    typed: (String, String, String),
) -> PageResult {
    match result {
        Ok(()) => Ok(see_other(&format!(
            "/app/accounts/{}/settings/{tab}",
            app.member.account_id()
        ))),
        Err(err) => {
            let error = refused_text(err).map_err(|e| PageError::api(app.t, e))?;
            render(req, state, app, tab, error, typed).await
        }
    }
}

/// `POST …/settings/labels` (`title`, `color`, `description`)
pub async fn create_label(req: HttpRequest, state: web::Data<AppState>, posted: Posted) -> PageResult {
    let Posted { app, form } = posted;
    admin_only(&app)?;
    let actor = app.member.actor();
    let title = form.get("title").unwrap_or("").to_string();
    let color = form.get("color").unwrap_or("").to_string();
    let description = form.get("description").unwrap_or("").to_string();
    let typed = (title.clone(), color.clone(), description.clone());
    let result = state
        .db
        .write(move |tx| -> ApiResult<()> {
            let mut label = Label {
                id: 0,
                account_id: actor.account_id,
                title: String::new(),
                description: None,
                color: String::new(),
                show_on_sidebar: false,
            };
            let description = Some(description).filter(|d| !d.is_empty());
            apply_label(tx, &mut label, &title, description, &color)?;
            let label = labels::save(tx, &label)?;
            audit::created(tx, &actor, "Label", label.id, &views::label::label(&label))?;
            Ok(())
        })
        .await;
    done_or_refused(&req, &state, &app, "labels", result, typed).await
}

/// `POST …/settings/labels/{id}/delete`
pub async fn delete_label(
    req: HttpRequest,
    state: web::Data<AppState>,
    posted: Posted,
    path: web::Path<(i64, i64)>,
) -> PageResult {
    let app = posted.app;
    admin_only(&app)?;
    let (actor, id) = (app.member.actor(), path.into_inner().1);
    let result = state
        .db
        .write(move |tx| -> ApiResult<()> {
            let label = labels::find(tx, actor.account_id, id)?.ok_or(ApiError::NotFound)?;
            labels::delete(tx, actor.account_id, id)?;
            audit::destroyed(tx, &actor, "Label", id, &views::label::label(&label))?;
            Ok(())
        })
        .await;
    done_or_refused(&req, &state, &app, "labels", result, Default::default()).await
}

/// `POST …/settings/canned_responses` (`short_code`, `content`)
pub async fn create_canned(req: HttpRequest, state: web::Data<AppState>, posted: Posted) -> PageResult {
    let Posted { app, form } = posted;
    admin_only(&app)?;
    let actor = app.member.actor();
    let short_code = form.get("short_code").unwrap_or("").to_string();
    let content = form.raw("content").unwrap_or("").to_string();
    let typed = (short_code.clone(), content.clone(), String::new());
    let result = state
        .db
        .write(move |tx| -> ApiResult<()> {
            let mut row = CannedResponse {
                id: 0,
                account_id: actor.account_id,
                short_code: String::new(),
                content: String::new(),
                created_at: 0,
                updated_at: 0,
            };
            apply_canned(tx, &mut row, &short_code, &content)?;
            let row = canned_responses::save(tx, &row)?;
            let view = views::canned_response::canned_response(&row);
            audit::created(tx, &actor, "CannedResponse", row.id, &view)?;
            Ok(())
        })
        .await;
    done_or_refused(&req, &state, &app, "canned_responses", result, typed).await
}

/// `POST …/settings/canned_responses/{id}/delete`
pub async fn delete_canned(
    req: HttpRequest,
    state: web::Data<AppState>,
    posted: Posted,
    path: web::Path<(i64, i64)>,
) -> PageResult {
    let app = posted.app;
    admin_only(&app)?;
    let (actor, id) = (app.member.actor(), path.into_inner().1);
    let result = state
        .db
        .write(move |tx| -> ApiResult<()> {
            let row = canned_responses::find(tx, actor.account_id, id)?.ok_or(ApiError::NotFound)?;
            canned_responses::delete(tx, actor.account_id, id)?;
            let view = views::canned_response::canned_response(&row);
            audit::destroyed(tx, &actor, "CannedResponse", id, &view)?;
            Ok(())
        })
        .await;
    done_or_refused(&req, &state, &app, "canned_responses", result, Default::default()).await
}

fn set_password_url(state: &AppState, email: &str, token: &str) -> String {
    format!(
        "{}/app/password?email={}&token={token}",
        state.config.frontend_url(),
        super::encode(email)
    )
}

/// `POST …/settings/agents` (`name`, `email`, `role`): invite (a user with a random password
/// nobody knows, as `POST agents`) and show a one-time set-password link.
pub async fn invite_agent(req: HttpRequest, state: web::Data<AppState>, posted: Posted) -> PageResult {
    let Posted { app, form } = posted;
    admin_only(&app)?;
    let t = app.t;
    let actor = app.member.actor();
    let name = form.get("name").unwrap_or("").to_string();
    let email = form.get("email").unwrap_or("").to_string();
    let role = match form.get("role") {
        Some("administrator") => Role::Administrator,
        Some("agent") | None => Role::Agent,
        Some(other) => {
            let error = format!("{}: {other}?", t.role);
            return render(&req, &state, &app, "agents", error, (name, email, String::new())).await;
        }
    };
    let cost = state.config.bcrypt_cost;
    let secret_hash = run_blocking(move || {
        let secret = format!("{}aA1!", crate::domain::tokens::hex_secret());
        crate::domain::password::hash(&secret, cost).map_err(ApiError::Internal)
    })
    .await
    .map_err(|e| PageError::api(t, e))?;
    let typed = (name.clone(), email.clone(), String::new());
    let result = state
        .db
        .write(move |tx| -> ApiResult<(String, String)> {
            let name = crate::services::users::validate_name(&name)?;
            if email.trim().is_empty() {
                return Err(ApiError::invalid("email", "Email can't be blank"));
            }
            let agent = crate::services::agents::invite(tx, &actor, &name, &email, role, &secret_hash)?;
            // Someone who already chose a password signs in with it: a link for them would
            // hand their other accounts to this administrator.
            let token = if agent.confirmed {
                String::new()
            } else {
                crate::services::agents::issue_set_password_token(tx, agent.id)?
            };
            Ok((agent.email, token))
        })
        .await;
    match result {
        Ok((email, token)) => {
            let link = if token.is_empty() {
                String::new()
            } else {
                set_password_url(&state, &email, &token)
            };
            render_with_link(
                &req,
                &state,
                &app,
                "agents",
                String::new(),
                Default::default(),
                link,
            )
            .await
        }
        Err(ApiError::LimitExceeded) => {
            let error = "The account's agent limit is reached".to_string();
            render(&req, &state, &app, "agents", error, typed).await
        }
        Err(err) => {
            let error = refused_text(err).map_err(|e| PageError::api(t, e))?;
            render(&req, &state, &app, "agents", error, typed).await
        }
    }
}

/// `POST …/settings/agents/{id}/link`: a new one-time set-password link for an agent of the
/// account who has not chosen a password yet (others: not found).
pub async fn agent_link(
    req: HttpRequest,
    state: web::Data<AppState>,
    posted: Posted,
    path: web::Path<(i64, i64)>,
) -> PageResult {
    let app = posted.app;
    admin_only(&app)?;
    let (account_id, user_id) = (app.member.account_id(), path.into_inner().1);
    let (email, token) = state
        .db
        .write(move |tx| -> ApiResult<(String, String)> {
            let agent = agents::find(tx, account_id, user_id)?.ok_or(ApiError::NotFound)?;
            if agent.confirmed {
                return Err(ApiError::NotFound);
            }
            let token = crate::services::agents::issue_set_password_token(tx, agent.id)?;
            Ok((agent.email, token))
        })
        .await
        .map_err(|e| PageError::api(app.t, e))?;
    let link = set_password_url(&state, &email, &token);
    render_with_link(
        &req,
        &state,
        &app,
        "agents",
        String::new(),
        Default::default(),
        link,
    )
    .await
}

/// `POST …/settings/teams` (`name`, `description`)
pub async fn create_team(req: HttpRequest, state: web::Data<AppState>, posted: Posted) -> PageResult {
    let Posted { app, form } = posted;
    admin_only(&app)?;
    let actor = app.member.actor();
    let name = form.get("name").unwrap_or("").to_string();
    let description = form.get("description").unwrap_or("").to_string();
    let typed = (name.clone(), description.clone(), String::new());
    let result = state
        .db
        .write(move |tx| -> ApiResult<()> {
            let mut team = crate::db::teams::Team {
                id: 0,
                account_id: actor.account_id,
                name: String::new(),
                description: None,
                allow_auto_assign: true,
                is_member: false,
            };
            apply_team(tx, &mut team, &name, Some(description).filter(|d| !d.is_empty()))?;
            let team = crate::db::teams::save(tx, &team)?;
            audit::created(tx, &actor, "Team", team.id, &views::team::team(&team))?;
            Ok(())
        })
        .await;
    done_or_refused(&req, &state, &app, "teams", result, typed).await
}

/// `POST …/settings/teams/{id}/delete`
pub async fn delete_team(
    req: HttpRequest,
    state: web::Data<AppState>,
    posted: Posted,
    path: web::Path<(i64, i64)>,
) -> PageResult {
    let app = posted.app;
    admin_only(&app)?;
    let (actor, id) = (app.member.actor(), path.into_inner().1);
    let result = state
        .db
        .write(move |tx| -> ApiResult<()> {
            let team =
                crate::db::teams::find(tx, actor.account_id, actor.user_id, id)?.ok_or(ApiError::NotFound)?;
            crate::db::teams::delete(tx, actor.account_id, id)?;
            audit::destroyed(tx, &actor, "Team", id, &views::team::team(&team))?;
            Ok(())
        })
        .await;
    done_or_refused(&req, &state, &app, "teams", result, Default::default()).await
}
