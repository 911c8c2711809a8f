//! `/api/v1/accounts/{account_id}/portals[/{slug}]`: help-center portals, addressed by slug.
//! Any member may read; writes are for administrators (Chatwoot's PortalPolicy).

use actix_web::web;
use serde::Deserialize;
use serde_json::Value;

use super::{PortalPath, portal_by_slug};
use crate::api::body::{JsonBody, nullable, parse_params};
use crate::api::{Reply, State, head_ok, ok_json};
use crate::auth::AccountMember;
use crate::db::inboxes;
use crate::db::portals::{self, Portal};
use crate::domain::help_center::{custom_domain_host, normalize_portal_config, valid_slug};
use crate::domain::validation::hex_color;
use crate::error::{ApiError, ApiResult};
use crate::services::audit;
use crate::services::help_center::{Viewer, portal_context};
use crate::state::AppState;
use crate::views;
use crate::views::help_center::portal as view;

/// Writable attributes (`portal:{…}` or flat).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Params {
    name: Option<String>,
    slug: Option<String>,
    #[serde(deserialize_with = "nullable")]
    color: Option<Option<String>>,
    #[serde(deserialize_with = "nullable")]
    custom_domain: Option<Option<String>>,
    #[serde(deserialize_with = "nullable")]
    header_text: Option<Option<String>>,
    #[serde(deserialize_with = "nullable")]
    homepage_link: Option<Option<String>>,
    #[serde(deserialize_with = "nullable")]
    page_title: Option<Option<String>>,
    archived: Option<bool>,
    config: Option<Value>,
    // Top-level keys Rails reads beside the wrapped portal.
    #[serde(deserialize_with = "nullable")]
    inbox_id: Option<Option<Value>>,
}

/// `?locale=` of show.
#[derive(Debug, Deserialize)]
pub struct LocaleQuery {
    locale: Option<String>,
}

/// The viewer of a request.
pub fn viewer(member: &AccountMember) -> Viewer {
    Viewer {
        account_id: member.account_id(),
        user_id: member.user.id,
        admin: member.is_admin(),
        base_url: member.base_url.clone(),
    }
}

/// Collect the body: the wrapped `portal` plus the top-level `inbox_id`.
fn params(body: &JsonBody) -> ApiResult<Params> {
    let mut attrs = body.resource("portal");
    for key in ["inbox_id"] {
        if let Some(value) = body.0.get(key) {
            attrs.insert(key.into(), value.clone());
        }
    }
    attrs.remove("portal");
    parse_params(attrs)
}

fn blank_to_none(value: Option<String>) -> Option<String> {
    value.map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
}

/// A homepage link is shown as a link on public pages, so only web addresses are accepted.
fn web_url(link: &str) -> bool {
    let lower = link.to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://")) && !link.chars().any(char::is_whitespace)
}

fn apply(conn: &rusqlite::Connection, portal: &mut Portal, params: Params) -> ApiResult<()> {
    if let Some(name) = params.name {
        portal.name = name.trim().to_string();
    }
    if let Some(slug) = params.slug {
        portal.slug = slug.trim().to_string();
    }
    if let Some(color) = params.color {
        portal.color = match blank_to_none(color) {
            None => None,
            Some(c) => Some(hex_color(&c).map_err(|m| ApiError::invalid("color", m))?),
        };
    }
    if let Some(domain) = params.custom_domain {
        portal.custom_domain = domain.as_deref().and_then(custom_domain_host);
    }
    if let Some(text) = params.header_text {
        portal.header_text = blank_to_none(text);
    }
    if let Some(link) = params.homepage_link {
        portal.homepage_link = blank_to_none(link);
    }
    if let Some(title) = params.page_title {
        portal.page_title = blank_to_none(title);
    }
    if let Some(archived) = params.archived {
        portal.archived = archived;
    }
    portal.config = normalize_portal_config(&portal.config, params.config.as_ref())
        .map_err(|m| ApiError::invalid("config", m))?;
    if let Some(inbox) = params.inbox_id {
        link_inbox(conn, portal, inbox)?;
    }
    validate(conn, portal)
}

/// `inbox_id`: link a web-widget inbox of the account; blank unlinks; other channels are
/// ignored (as Chatwoot does).
fn link_inbox(conn: &rusqlite::Connection, portal: &mut Portal, inbox: Option<Value>) -> ApiResult<()> {
    let id = match inbox {
        None => None,
        Some(Value::String(s)) if s.trim().is_empty() => None,
        Some(Value::Number(n)) => n.as_i64(),
        Some(Value::String(s)) => Some(
            s.trim()
                .parse()
                .map_err(|_| ApiError::invalid("inbox_id", "Inbox must be a number"))?,
        ),
        Some(_) => return Err(ApiError::invalid("inbox_id", "Inbox must be a number")),
    };
    let Some(id) = id else {
        portal.channel_web_widget_id = None;
        return Ok(());
    };
    let inbox = inboxes::find(conn, portal.account_id, id)?.ok_or(ApiError::NotFound)?;
    if inbox.channel.channel_type == "Channel::WebWidget" {
        portal.channel_web_widget_id = Some(inbox.id);
    }
    Ok(())
}

fn validate(conn: &rusqlite::Connection, portal: &Portal) -> ApiResult<()> {
    if portal.name.is_empty() {
        return Err(ApiError::invalid("name", "Name can't be blank"));
    }
    if portal.slug.is_empty() {
        return Err(ApiError::invalid("slug", "Slug can't be blank"));
    }
    if !valid_slug(&portal.slug) {
        return Err(ApiError::invalid("slug", "Slug is invalid"));
    }
    if portals::slug_taken(conn, &portal.slug, portal.id)? {
        return Err(ApiError::invalid("slug", "Slug has already been taken"));
    }
    if let Some(domain) = &portal.custom_domain
        && portals::domain_taken(conn, domain, portal.id)?
    {
        return Err(ApiError::invalid(
            "custom_domain",
            "Custom domain has already been taken",
        ));
    }
    if let Some(link) = &portal.homepage_link
        && !web_url(link)
    {
        return Err(ApiError::invalid("homepage_link", "Homepage link is invalid"));
    }
    Ok(())
}

/// Load a portal of the member's account by slug (404 otherwise).
pub async fn load(state: &AppState, member: &AccountMember, slug: String) -> ApiResult<Portal> {
    let account_id = member.account_id();
    state
        .db
        .read(move |conn| portal_by_slug(conn, account_id, &slug))
        .await
}

pub(super) async fn render(
    state: &AppState,
    member: &AccountMember,
    portal: Portal,
    locale: Option<String>,
) -> ApiResult<Value> {
    let viewer = viewer(member);
    state
        .db
        .read(move |conn| -> ApiResult<_> {
            let ctx = portal_context(conn, &viewer, std::slice::from_ref(&portal))?;
            Ok(view(&portal, &ctx, locale.as_deref()))
        })
        .await
}

/// `GET …/portals`
pub async fn index(state: State, member: AccountMember) -> Reply {
    let viewer = viewer(&member);
    let body = state
        .db
        .read(move |conn| -> ApiResult<_> {
            let list = portals::list(conn, viewer.account_id)?;
            let ctx = portal_context(conn, &viewer, &list)?;
            Ok(views::help_center::portal_list(
                list.iter().map(|p| view(p, &ctx, None)).collect(),
            ))
        })
        .await?;
    Ok(ok_json(body))
}

/// `GET …/portals/{slug}[?locale=]`
pub async fn show(
    state: State,
    member: AccountMember,
    path: PortalPath,
    query: web::Query<LocaleQuery>,
) -> Reply {
    let portal = load(&state, &member, path.into_inner().1).await?;
    Ok(ok_json(
        render(&state, &member, portal, query.into_inner().locale).await?,
    ))
}

/// `POST …/portals`
pub async fn create(state: State, member: AccountMember, body: JsonBody) -> Reply {
    member.require_admin()?;
    let params = params(&body)?;
    let actor = member.actor();
    let portal = state
        .db
        .write(move |tx| -> ApiResult<_> {
            let mut portal = Portal {
                account_id: actor.account_id,
                ..Portal::default()
            };
            apply(tx, &mut portal, params)?;
            let portal = portals::save(tx, &portal)?;
            audit::created(
                tx,
                &actor,
                "Portal",
                portal.id,
                &views::help_center::portal_audit(&portal),
            )?;
            Ok(portal)
        })
        .await?;
    Ok(ok_json(render(&state, &member, portal, None).await?))
}

/// `PATCH|PUT …/portals/{slug}`
pub async fn update(state: State, member: AccountMember, path: PortalPath, body: JsonBody) -> Reply {
    member.require_admin()?;
    let params = params(&body)?;
    let (_, portal) = change(&state, &member, path.into_inner().1, |tx, portal| {
        apply(tx, portal, params)
    })
    .await?;
    Ok(ok_json(render(&state, &member, portal, None).await?))
}

/// `PATCH …/portals/{slug}/archive`: Chatwoot's route is broken (it writes a column that does
/// not exist); Parlor archives the portal.
pub async fn archive(state: State, member: AccountMember, path: PortalPath) -> Reply {
    member.require_admin()?;
    let (_, portal) = change(&state, &member, path.into_inner().1, |_, portal| {
        portal.archived = true;
        Ok(())
    })
    .await?;
    Ok(ok_json(render(&state, &member, portal, None).await?))
}

/// Load, modify and save a portal in one audited transaction; returns it before and after.
pub(super) async fn change(
    state: &AppState,
    member: &AccountMember,
    slug: String,
    modify: impl FnOnce(&rusqlite::Connection, &mut Portal) -> ApiResult<()> + Send + 'static,
) -> ApiResult<(Portal, Portal)> {
    let actor = member.actor();
    state
        .db
        .write(move |tx| -> ApiResult<_> {
            let before = portal_by_slug(tx, actor.account_id, &slug)?;
            let mut portal = before.clone();
            modify(tx, &mut portal)?;
            let portal = portals::save(tx, &portal)?;
            audit::updated(
                tx,
                &actor,
                "Portal",
                portal.id,
                &views::help_center::portal_audit(&before),
                &views::help_center::portal_audit(&portal),
            )?;
            Ok((before, portal))
        })
        .await
}

/// `DELETE …/portals/{slug}`: the portal with its categories and articles.
pub async fn destroy(state: State, member: AccountMember, path: PortalPath) -> Reply {
    member.require_admin()?;
    let slug = path.into_inner().1;
    let actor = member.actor();
    let logo = state
        .db
        .write(move |tx| -> ApiResult<_> {
            let portal = portal_by_slug(tx, actor.account_id, &slug)?;
            portals::delete(tx, actor.account_id, portal.id)?;
            audit::destroyed(
                tx,
                &actor,
                "Portal",
                portal.id,
                &views::help_center::portal_audit(&portal),
            )?;
            Ok(portal.logo_key)
        })
        .await?;
    super::portal_logo::remove_file(&state, logo).await;
    Ok(head_ok())
}

/// `POST …/portals/{slug}/send_instructions`: Chatwoot mails CNAME instructions; Parlor has no
/// mail transport, so after Chatwoot's own checks it answers 422 saying so.
pub async fn send_instructions(
    state: State,
    member: AccountMember,
    path: PortalPath,
    body: JsonBody,
) -> Reply {
    member.require_admin()?;
    let portal = load(&state, &member, path.into_inner().1).await?;
    let email = body.0.get("email").and_then(Value::as_str).unwrap_or_default();
    if crate::domain::validation::normalize_email(email).is_none() {
        return Err(ApiError::Unprocessable("Invalid email address".into()));
    }
    if portal.custom_domain.is_none() {
        return Err(ApiError::Unprocessable("Custom domain is not configured".into()));
    }
    Err(ApiError::Unprocessable(
        "Email delivery is not configured on this server".into(),
    ))
}
