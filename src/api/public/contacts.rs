//! `/public/api/v1/inboxes/{inbox_identifier}/contacts` and the inbox info.

use actix_web::web;
use serde::Deserialize;
use serde_json::{Map, Value};

use super::{PublicClient, contact_inbox, inbox, verify_identity};
use crate::api::body::{JsonBody, parse_params};
use crate::api::{Reply, State, ok_json};
use crate::db::contacts::{self, Contact};
use crate::error::{ApiError, ApiResult};
use crate::services::contacts::{
    ContactParams, add_to_inbox, apply, blank, find_existing, merge, visitor_name,
};
use crate::views;

/// Contact attributes a customer may send.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
struct PublicContactParams {
    identifier: Option<String>,
    identifier_hash: Option<String>,
    email: Option<String>,
    name: Option<String>,
    phone_number: Option<String>,
    custom_attributes: Option<Map<String, Value>>,
    source_id: Option<String>,
}

/// `?identifier_hash=`
#[derive(Debug, Deserialize)]
pub struct HashQuery {
    identifier_hash: Option<String>,
}

/// Find the contact a new visitor is: by identifier, then email, then phone.
fn existing(
    conn: &rusqlite::Connection,
    account_id: i64,
    params: &PublicContactParams,
) -> ApiResult<Option<Contact>> {
    find_existing(
        conn,
        account_id,
        params.identifier.as_deref(),
        params.email.as_deref(),
        params.phone_number.as_deref(),
    )
}

fn to_contact_params(params: &PublicContactParams, with_identifier: bool) -> ContactParams {
    ContactParams {
        name: params.name.clone().map(Some),
        email: params.email.clone().map(Some),
        phone_number: params.phone_number.clone().map(Some),
        identifier: if with_identifier {
            params.identifier.clone().map(Some)
        } else {
            None
        },
        custom_attributes: params.custom_attributes.clone(),
        ..ContactParams::default()
    }
}

/// `GET /public/api/v1/inboxes/{inbox_identifier}`
pub async fn show_inbox(state: State, _: PublicClient, path: web::Path<String>) -> Reply {
    let identifier = path.into_inner();
    let found = state.db.read(move |conn| inbox(conn, &identifier)).await?;
    Ok(ok_json(views::public::inbox(&found)))
}

/// `POST …/contacts`: a new visitor (or a known one, by source id, identifier, email or phone).
pub async fn create(state: State, _: PublicClient, path: web::Path<String>, body: JsonBody) -> Reply {
    let identifier = path.into_inner();
    let params: PublicContactParams = parse_params(body.resource("contact"))?;
    let body = state
        .db
        .write(move |tx| -> ApiResult<_> {
            let inbox = inbox(tx, &identifier)?;
            verify_identity(
                &inbox,
                params.identifier.as_deref(),
                params.identifier_hash.as_deref(),
            )?;
            if let Some(source_id) = params.source_id.as_deref().filter(|s| !s.is_empty())
                && let Some(ci) = contacts::find_contact_inbox(tx, inbox.id, source_id)?
            {
                let contact =
                    contacts::find(tx, inbox.account_id, ci.contact_id)?.ok_or(ApiError::NotFound)?;
                return Ok(views::public::contact(&contact, &ci));
            }
            let mut contact = match existing(tx, inbox.account_id, &params)? {
                Some(contact) => contact,
                None => blank(inbox.account_id),
            };
            if contact.id == 0 && params.name.as_deref().is_none_or(|n| n.trim().is_empty()) {
                contact.name = visitor_name();
            }
            apply(tx, &mut contact, &to_contact_params(&params, true))?;
            let contact = contacts::save(tx, &contact)?;
            let ci = add_to_inbox(tx, &contact, &inbox, params.source_id.clone(), false)?;
            Ok(views::public::contact(&contact, &ci))
        })
        .await?;
    Ok(ok_json(body))
}

/// `GET …/contacts/{source_id}`
pub async fn show(
    state: State,
    _: PublicClient,
    path: web::Path<(String, String)>,
    query: web::Query<HashQuery>,
) -> Reply {
    let (identifier, source_id) = path.into_inner();
    let hash = query.into_inner().identifier_hash;
    let body = state
        .db
        .write(move |tx| -> ApiResult<_> {
            let inbox = inbox(tx, &identifier)?;
            let (ci, contact) = contact_inbox(tx, &inbox, &source_id)?;
            if verify_identity(&inbox, contact.identifier.as_deref(), hash.as_deref())? {
                contacts::set_hmac_verified(tx, ci.id)?;
            }
            Ok(views::public::contact(&contact, &ci))
        })
        .await?;
    Ok(ok_json(body))
}

/// `PATCH|PUT …/contacts/{source_id}`: name, email, phone and custom attributes (the identifier
/// is ignored). An email or phone that belongs to another contact merges this visitor into it.
pub async fn update(
    state: State,
    _: PublicClient,
    path: web::Path<(String, String)>,
    body: JsonBody,
) -> Reply {
    let (identifier, source_id) = path.into_inner();
    let params: PublicContactParams = parse_params(body.resource("contact"))?;
    let body = state
        .db
        .write(move |tx| -> ApiResult<_> {
            let inbox = inbox(tx, &identifier)?;
            let (ci, mut contact) = contact_inbox(tx, &inbox, &source_id)?;
            if verify_identity(
                &inbox,
                contact.identifier.as_deref(),
                params.identifier_hash.as_deref(),
            )? {
                contacts::set_hmac_verified(tx, ci.id)?;
            }
            let owner = existing(
                tx,
                inbox.account_id,
                &PublicContactParams {
                    identifier: None,
                    ..params.clone()
                },
            )?;
            if let Some(owner) = owner.filter(|o| o.id != contact.id) {
                contact = merge(tx, inbox.account_id, owner.id, contact.id)?;
            }
            apply(tx, &mut contact, &to_contact_params(&params, false))?;
            Ok(views::public::raw_contact(&contacts::save(tx, &contact)?))
        })
        .await?;
    Ok(ok_json(body))
}
