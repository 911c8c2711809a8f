//! `/api/v1/widget/contact`: the visitor's contact (show, update, set_user, custom attributes).

use actix_web::{HttpResponse, web};
use serde::Deserialize;
use serde_json::{Map, Value};

use super::{PublicClient, WidgetRequest};
use crate::api::body::{JsonBody, parse_params};
use crate::api::ok_json;
use crate::db::contacts::{self, Contact};
use crate::error::ApiResult;
use crate::services::contacts::{ContactParams, apply, find_existing, merge, verify_identity};
use crate::services::widget::{Visitor, adopt_contact, ensure_contact, new_claims, sign};
use crate::state::AppState;
use crate::views;

/// What `$chatwoot.setUser` and `setCustomAttributes` send.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
struct IdentifyParams {
    identifier: Option<String>,
    identifier_hash: Option<String>,
    email: Option<String>,
    name: Option<String>,
    avatar_url: Option<String>,
    phone_number: Option<String>,
    custom_attributes: Option<Map<String, Value>>,
}

/// `GET contact`
pub async fn show(
    state: web::Data<AppState>,
    _: PublicClient,
    widget: WidgetRequest,
) -> ApiResult<HttpResponse> {
    let body = state
        .db
        .read(move |conn| -> ApiResult<_> {
            let visitor = widget.visitor(conn)?;
            Ok(views::widget::contact(visitor.contact.as_ref().map(|(_, c)| c)))
        })
        .await?;
    Ok(ok_json(body))
}

/// Chatwoot's `ContactIdentifyAction` on the visitor: the identifier (when the contact has
/// none), then name, email, phone and custom attributes; an email, phone or identifier that
/// belongs to another contact merges the visitor into that contact.
fn identify(tx: &rusqlite::Connection, visitor: &mut Visitor, params: &IdentifyParams) -> ApiResult<Contact> {
    let account_id = visitor.inbox.account_id;
    if visitor.contact.is_none() {
        // Before the first message: a known identifier, email or phone is that contact.
        if let Some(existing) = find_existing(
            tx,
            account_id,
            params.identifier.as_deref(),
            params.email.as_deref(),
            params.phone_number.as_deref(),
        )? {
            adopt_contact(tx, visitor, existing)?;
        }
    }
    let (_, mut contact) = ensure_contact(tx, visitor)?;
    let owner = find_existing(
        tx,
        account_id,
        params.identifier.as_deref(),
        params.email.as_deref(),
        params.phone_number.as_deref(),
    )?;
    if let Some(owner) = owner.filter(|o| o.id != contact.id) {
        contact = merge(tx, account_id, owner.id, contact.id)?;
    }
    if let Some(url) = params.avatar_url.as_deref().filter(|u| !u.is_empty()) {
        let mut additional = Map::new();
        additional.insert("avatar_url".into(), Value::from(url));
        apply(
            tx,
            &mut contact,
            &ContactParams {
                additional_attributes: Some(additional),
                ..ContactParams::default()
            },
        )?;
    }
    let changes = ContactParams {
        name: params.name.clone().filter(|n| !n.trim().is_empty()).map(Some),
        email: params.email.clone().filter(|e| !e.trim().is_empty()).map(Some),
        phone_number: params
            .phone_number
            .clone()
            .filter(|p| !p.trim().is_empty())
            .map(Some),
        identifier: params
            .identifier
            .clone()
            .filter(|i| !i.is_empty() && contact.identifier.is_none())
            .map(Some),
        custom_attributes: params.custom_attributes.clone(),
        ..ContactParams::default()
    };
    apply(tx, &mut contact, &changes)?;
    let saved = contacts::save(tx, &contact)?;
    if let Some((ci, c)) = visitor.contact.as_mut() {
        ci.contact_id = saved.id;
        *c = saved.clone();
    }
    Ok(saved)
}

/// Verify `identifier_hash` (401 when sent and wrong, or missing while the inbox demands it)
/// and mark the contact inbox verified.
fn verify(tx: &rusqlite::Connection, visitor: &Visitor, params: &IdentifyParams) -> ApiResult<()> {
    if verify_identity(
        &visitor.inbox,
        params.identifier.as_deref(),
        params.identifier_hash.as_deref(),
    )? && let Some((ci, _)) = &visitor.contact
    {
        contacts::set_hmac_verified(tx, ci.id)?;
    }
    Ok(())
}

/// `PATCH contact`: identify the visitor; answers the raw contact.
pub async fn update(
    state: web::Data<AppState>,
    _: PublicClient,
    widget: WidgetRequest,
    body: JsonBody,
) -> ApiResult<HttpResponse> {
    let params: IdentifyParams = parse_params(body.resource("contact"))?;
    let body = state
        .db
        .write(move |tx| -> ApiResult<_> {
            let mut visitor = widget.visitor(tx)?;
            verify_identity(
                &visitor.inbox,
                params.identifier.as_deref(),
                params.identifier_hash.as_deref(),
            )?;
            let contact = identify(tx, &mut visitor, &params)?;
            verify(tx, &visitor, &params)?;
            Ok(views::public::raw_contact(&contact))
        })
        .await?;
    Ok(ok_json(body))
}

/// `PATCH contact/set_user`: `$chatwoot.setUser(identifier, {…, identifier_hash})`. A visitor
/// whose contact already has another identifier becomes a new visitor (a new contact inbox
/// and token, answered as `widget_auth_token`), as Chatwoot's "different contact" rule.
pub async fn set_user(
    state: web::Data<AppState>,
    _: PublicClient,
    widget: WidgetRequest,
    body: JsonBody,
) -> ApiResult<HttpResponse> {
    let params: IdentifyParams = parse_params(body.resource("contact"))?;
    let body = state
        .db
        .write(move |tx| -> ApiResult<_> {
            let mut visitor = widget.visitor(tx)?;
            verify_identity(
                &visitor.inbox,
                params.identifier.as_deref(),
                params.identifier_hash.as_deref(),
            )?;
            let mut new_token = None;
            let switching = visitor.contact.as_ref().is_some_and(|(_, c)| {
                c.identifier
                    .as_deref()
                    .is_some_and(|id| Some(id) != params.identifier.as_deref())
            });
            if switching {
                let claims = new_claims(&visitor.inbox);
                new_token = Some(sign(tx, &claims)?);
                visitor.claims = claims;
                visitor.contact = None;
            }
            let contact = identify(tx, &mut visitor, &params)?;
            verify(tx, &visitor, &params)?;
            Ok(views::widget::set_user(&contact, new_token.as_deref()))
        })
        .await?;
    Ok(ok_json(body))
}

/// `POST contact/destroy_custom_attributes {custom_attributes: [keys]}`: answers the raw
/// contact (404 before the visitor has a contact).
pub async fn destroy_custom_attributes(
    state: web::Data<AppState>,
    _: PublicClient,
    widget: WidgetRequest,
    body: JsonBody,
) -> ApiResult<HttpResponse> {
    let keys = super::attribute_keys(&body, "custom_attributes");
    let body = state
        .db
        .write(move |tx| -> ApiResult<_> {
            let visitor = widget.visitor(tx)?;
            let (_, contact) = visitor.known()?;
            let mut contact = contact.clone();
            for key in &keys {
                contact.custom_attributes.remove(key);
            }
            let saved = contacts::save(tx, &contact)?;
            Ok(views::public::raw_contact(&saved))
        })
        .await?;
    Ok(ok_json(body))
}
