//! `/api/v1/widget/labels`, `inbox_members` and `events`.

use actix_web::{HttpResponse, web};
use serde_json::Value;

use super::{PublicClient, WidgetRequest};
use crate::api::body::JsonBody;
use crate::api::ok_json;
use crate::db::{agents, conversations, labels};
use crate::error::ApiResult;
use crate::services::widget::{
    current_conversation, ensure_contact, trigger, trigger_has_receivers, widget_inbox,
};
use crate::state::AppState;

/// `POST labels {label}`: adds an account label to the current conversation (204 whatever
/// happens, as Chatwoot: no conversation or an unknown label changes nothing).
pub async fn create_label(
    state: web::Data<AppState>,
    _: PublicClient,
    widget: WidgetRequest,
    body: JsonBody,
) -> ApiResult<HttpResponse> {
    let label = body
        .0
        .get("label")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    state
        .db
        .write(move |tx| -> ApiResult<()> {
            let visitor = widget.visitor(tx)?;
            let Some(c) = current_conversation(tx, &visitor)? else {
                return Ok(());
            };
            let defined = labels::list(tx, visitor.inbox.account_id)?
                .into_iter()
                .any(|l| l.title == label);
            let mut list = conversations::labels(tx, c.id)?;
            if defined && !list.contains(&label) {
                list.push(label);
                conversations::set_labels(tx, c.id, &list)?;
            }
            Ok(())
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// `DELETE labels/{label}`
pub async fn destroy_label(
    state: web::Data<AppState>,
    _: PublicClient,
    widget: WidgetRequest,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let label = path.into_inner();
    state
        .db
        .write(move |tx| -> ApiResult<()> {
            let visitor = widget.visitor(tx)?;
            let Some(c) = current_conversation(tx, &visitor)? else {
                return Ok(());
            };
            let mut list = conversations::labels(tx, c.id)?;
            if list.contains(&label) {
                list.retain(|l| *l != label);
                conversations::set_labels(tx, c.id, &list)?;
            }
            Ok(())
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// `GET inbox_members?website_token=`: the agents of the inbox, online or not (no visitor
/// token needed).
pub async fn inbox_members(
    state: web::Data<AppState>,
    _: PublicClient,
    widget: WidgetRequest,
) -> ApiResult<HttpResponse> {
    let presence = state.presence.clone();
    let body = state
        .db
        .read(move |conn| -> ApiResult<_> {
            let inbox = widget_inbox(conn, &widget.website_token)?;
            let list = agents::inbox_members(conn, inbox.account_id, inbox.id)?;
            let online = |a: &agents::Agent| -> &'static str {
                if !a.auto_offline || presence.user_online(inbox.account_id, a.id) {
                    a.availability.as_str()
                } else {
                    "offline"
                }
            };
            Ok(crate::views::widget::inbox_members(&list, &online))
        })
        .await?;
    Ok(ok_json(body))
}

/// `POST events {name, event_info}`: `webwidget.triggered` becomes the `webwidget_triggered`
/// webhook and bot event. A visitor who has not written yet is made a contact only when
/// someone receives the event (a webhook or a bot); otherwise nothing is recorded.
pub async fn create_event(
    state: web::Data<AppState>,
    _: PublicClient,
    widget: WidgetRequest,
    req: actix_web::HttpRequest,
    body: JsonBody,
) -> ApiResult<HttpResponse> {
    let name = body
        .0
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let header = |key: &str| {
        req.headers()
            .get(key)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    };
    let locale = web::Query::<std::collections::HashMap<String, String>>::from_query(req.query_string())
        .ok()
        .and_then(|q| q.get("locale").cloned());
    let browser_language = header("accept-language")
        .split([',', ';'])
        .next()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty());
    let info = match body.0.get("event_info") {
        Some(Value::Object(map)) => map.clone(),
        _ => serde_json::Map::new(),
    };
    let info = crate::views::widget::event_info(info, locale, browser_language, &header("user-agent"));
    state
        .db
        .write(move |tx| -> ApiResult<()> {
            let mut visitor = widget.visitor(tx)?;
            if name != "webwidget.triggered" {
                return Ok(());
            }
            if visitor.contact.is_none() && !trigger_has_receivers(tx, &visitor.inbox)? {
                return Ok(());
            }
            let (ci, _) = ensure_contact(tx, &mut visitor)?;
            trigger(tx, &ci, &info)
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
