//! `/api/v1/accounts/{account_id}/contacts`: the account's customers. One contact (show,
//! create, update, delete, labels, contact inboxes, conversations) and merging are here; the
//! lists (index, search, active, filter) are in [`lists`], CSV import and export in
//! [`import_export`], a contact's notes in [`notes`].

pub mod import_export;
pub mod lists;
pub mod notes;

use actix_web::HttpResponse;
use serde_json::Value;

use crate::api::body::{JsonBody, parse_params};
use crate::api::{ItemPath, Reply, State, head_ok, ok_json};
use crate::auth::AccountMember;
use crate::db::contacts::{self, Contact};
use crate::db::inboxes;
use crate::error::{ApiError, ApiResult};
use crate::services::contacts::{ContactParams, add_to_inbox, apply, blank, label_list};
use crate::services::conversations::require_member_inbox;
use crate::state::AppState;
use crate::views;

fn render(conn: &rusqlite::Connection, contact: &Contact) -> ApiResult<Value> {
    let inboxes = contacts::contact_inboxes_for(conn, &[contact.id])?;
    Ok(views::contact::contact(
        contact,
        Some(inboxes.get(&contact.id).map_or(&[][..], Vec::as_slice)),
    ))
}

fn find(conn: &rusqlite::Connection, account_id: i64, id: i64) -> ApiResult<Contact> {
    contacts::find(conn, account_id, id)?.ok_or(ApiError::NotFound)
}

/// Run `f` on contact `id` of the account (404 when absent) on a read connection.
pub(crate) async fn read_contact<T, F>(state: &AppState, account_id: i64, id: i64, f: F) -> ApiResult<T>
where
    T: Send + 'static,
    F: FnOnce(&rusqlite::Connection, Contact) -> ApiResult<T> + Send + 'static,
{
    state
        .db
        .read(move |conn| f(conn, find(conn, account_id, id)?))
        .await
}

/// Run `f` on contact `id` of the account (404 when absent) inside a write transaction.
pub(crate) async fn write_contact<T, F>(state: &AppState, account_id: i64, id: i64, f: F) -> ApiResult<T>
where
    T: Send + 'static,
    F: FnOnce(&rusqlite::Connection, Contact) -> ApiResult<T> + Send + 'static,
{
    state.db.write(move |tx| f(tx, find(tx, account_id, id)?)).await
}

/// `GET …/contacts/{id}` → `{payload: contact}`
pub async fn show(state: State, member: AccountMember, path: ItemPath) -> Reply {
    let id = path.into_inner().1;
    let body = read_contact(&state, member.account_id(), id, |conn, c| render(conn, &c)).await?;
    Ok(ok_json(views::envelope::payload(body)))
}

/// `POST …/contacts` (with `inbox_id` it also joins that inbox).
pub async fn create(state: State, member: AccountMember, body: JsonBody) -> Reply {
    let params: ContactParams = parse_params(body.resource("contact"))?;
    let account_id = member.account_id();
    let body = state
        .db
        .write(move |tx| -> ApiResult<_> {
            if let Some(inbox_id) = params.inbox_id {
                inboxes::find(tx, account_id, inbox_id)?
                    .ok_or_else(|| ApiError::invalid("inbox", "Inbox must exist"))?;
                require_member_inbox(tx, &member, inbox_id)?;
            }
            let mut contact = blank(account_id);
            apply(tx, &mut contact, &params)?;
            let contact = contacts::save(tx, &contact)?;
            let (inbox, source_id) = match params.inbox_id {
                None => (Value::Null, Value::Null),
                Some(inbox_id) => {
                    let inbox = inboxes::find(tx, account_id, inbox_id)?
                        .ok_or_else(|| ApiError::invalid("inbox", "Inbox must exist"))?;
                    let ci = add_to_inbox(tx, &contact, &inbox, params.source_id.clone(), false)?;
                    (views::inbox::raw(&inbox), Value::from(ci.source_id))
                }
            };
            Ok(views::contact::created(render(tx, &contact)?, inbox, source_id))
        })
        .await?;
    Ok(ok_json(body))
}

/// `PUT|PATCH …/contacts/{id}`: attribute hashes are merged.
pub async fn update(state: State, member: AccountMember, path: ItemPath, body: JsonBody) -> Reply {
    let id = path.into_inner().1;
    let params: ContactParams = parse_params(body.resource("contact"))?;
    let body = write_contact(&state, member.account_id(), id, move |tx, mut contact| {
        apply(tx, &mut contact, &params)?;
        render(tx, &contacts::save(tx, &contact)?)
    })
    .await?;
    Ok(ok_json(views::envelope::payload(body)))
}

/// `DELETE …/contacts/{id}` (administrators)
pub async fn destroy(state: State, member: AccountMember, path: ItemPath) -> Reply {
    member.require_admin()?;
    write_contact(&state, member.account_id(), path.into_inner().1, |tx, c| {
        Ok(contacts::delete(tx, c.account_id, c.id)?)
    })
    .await?;
    Ok(head_ok())
}

/// `POST …/contacts/{id}/destroy_custom_attributes {custom_attributes: [keys]}`
pub async fn destroy_custom_attributes(
    state: State,
    member: AccountMember,
    path: ItemPath,
    body: JsonBody,
) -> Reply {
    let id = path.into_inner().1;
    let keys: Vec<String> = match body.0.get("custom_attributes") {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|k| k.as_str().map(str::to_string))
            .collect(),
        _ => return Err(ApiError::ParamMissing("custom_attributes".into())),
    };
    let body = write_contact(&state, member.account_id(), id, move |tx, mut contact| {
        for key in &keys {
            contact.custom_attributes.remove(key);
        }
        render(tx, &contacts::save(tx, &contact)?)
    })
    .await?;
    Ok(ok_json(views::envelope::payload(body)))
}

/// `GET …/contacts/{id}/labels` → `{payload: [..]}`
pub async fn labels(state: State, member: AccountMember, path: ItemPath) -> Reply {
    let labels = read_contact(&state, member.account_id(), path.into_inner().1, |conn, c| {
        Ok(contacts::labels(conn, c.id)?)
    })
    .await?;
    Ok(ok_json(views::envelope::payload(labels)))
}

/// `POST …/contacts/{id}/labels {labels: [..]}`: replaces the set.
pub async fn set_labels(state: State, member: AccountMember, path: ItemPath, body: JsonBody) -> Reply {
    let wanted = label_list(body.0.get("labels"))?;
    let labels = write_contact(&state, member.account_id(), path.into_inner().1, move |tx, c| {
        contacts::set_labels(tx, c.id, &wanted)?;
        Ok(contacts::labels(tx, c.id)?)
    })
    .await?;
    Ok(ok_json(views::envelope::payload(labels)))
}

/// `POST …/contacts/{id}/contact_inboxes {inbox_id, source_id?}` → `{source_id, inbox}`
pub async fn create_contact_inbox(
    state: State,
    member: AccountMember,
    path: ItemPath,
    body: JsonBody,
) -> Reply {
    let (account_id, id) = (member.account_id(), path.into_inner().1);
    let inbox_id = body
        .0
        .get("inbox_id")
        .and_then(Value::as_i64)
        .ok_or_else(|| ApiError::ParamMissing("inbox_id".into()))?;
    let source_id = body
        .0
        .get("source_id")
        .and_then(Value::as_str)
        .map(str::to_string);
    let ci = write_contact(&state, account_id, id, move |tx, contact| {
        let inbox = inboxes::find(tx, account_id, inbox_id)?.ok_or(ApiError::NotFound)?;
        require_member_inbox(tx, &member, inbox.id)?;
        add_to_inbox(tx, &contact, &inbox, source_id, false)
    })
    .await?;
    Ok(ok_json(views::contact::contact_inbox(&ci)))
}

/// `GET …/contacts/{id}/contactable_inboxes`: inboxes the contact can be reached in, with the
/// source id to use (existing, or a fresh one for API inboxes, the email for email inboxes).
pub async fn contactable_inboxes(state: State, member: AccountMember, path: ItemPath) -> Reply {
    let (account_id, id) = (member.account_id(), path.into_inner().1);
    let admin = member.is_admin();
    let user_id = member.user.id;
    let base_url = state.config.frontend_url();
    let payload = read_contact(&state, account_id, id, move |conn, contact| {
        let existing = contacts::contact_inboxes_for(conn, &[id])?
            .remove(&id)
            .unwrap_or_default();
        let visible = inboxes::list(conn, account_id, (!admin).then_some(user_id))?;
        let mut payload = Vec::new();
        for inbox in visible {
            let known = existing
                .iter()
                .find(|ci| ci.inbox_id == inbox.id)
                .map(|ci| ci.source_id.clone());
            let source_id = match inbox.channel.channel_type.as_str() {
                "Channel::Api" => Some(known.unwrap_or_else(|| uuid::Uuid::new_v4().to_string())),
                "Channel::Email" => known.or_else(|| contact.email.clone()),
                _ => known,
            };
            if let Some(source_id) = source_id {
                payload.push(views::contact::reachable_in(
                    &source_id,
                    views::inbox::inbox(&inbox, admin, &base_url),
                ));
            }
        }
        Ok(payload)
    })
    .await?;
    Ok(ok_json(views::envelope::payload(payload)))
}

/// `GET …/contacts/{id}/conversations` → `{payload: [conversation]}` (latest 20 the caller may see).
pub async fn conversations(state: State, member: AccountMember, path: ItemPath) -> Reply {
    let (account_id, id) = (member.account_id(), path.into_inner().1);
    let (viewer, admin, viewer_ctx) = (member.user.id, member.is_admin(), member.viewer());
    let payload = read_contact(&state, account_id, id, move |conn, _| {
        let allowed = if admin {
            None
        } else {
            Some(
                inboxes::list(conn, account_id, Some(viewer))?
                    .iter()
                    .map(|i| i.id)
                    .collect::<Vec<_>>(),
            )
        };
        let list = crate::db::conversations::for_contact(conn, account_id, id, allowed.as_deref())?;
        crate::api::conversations::render_many(conn, &viewer_ctx, &list)
    })
    .await?;
    Ok(ok_json(views::envelope::payload(payload)))
}

/// `POST …/actions/contact_merge {base_contact_id, mergee_contact_id}` → the merged contact.
pub async fn merge(state: State, member: AccountMember, body: JsonBody) -> Reply {
    let id = |key: &str| {
        body.0
            .get(key)
            .and_then(Value::as_i64)
            .ok_or_else(|| ApiError::ParamMissing(key.into()))
    };
    let (base, mergee) = (id("base_contact_id")?, id("mergee_contact_id")?);
    let account_id = member.account_id();
    let body = state
        .db
        .write(move |tx| -> ApiResult<_> {
            let contact = crate::services::contacts::merge(tx, account_id, base, mergee)?;
            render(tx, &contact)
        })
        .await?;
    Ok(ok_json(body))
}

/// `POST …/contact_inboxes/filter {inbox_id, source_id}` → the contact, or 404 with an empty body.
pub async fn filter_contact_inbox(state: State, member: AccountMember, body: JsonBody) -> Reply {
    let inbox_id = body.0.get("inbox_id").and_then(Value::as_i64);
    let source_id = body
        .0
        .get("source_id")
        .and_then(Value::as_str)
        .map(str::to_string);
    let account_id = member.account_id();
    let found = state
        .db
        .read(move |conn| -> ApiResult<_> {
            // As Chatwoot: the inbox first (unknown → 404, not the caller's → 401), then the miss.
            let inbox_id = inbox_id.ok_or(ApiError::NotFound)?;
            inboxes::find(conn, account_id, inbox_id)?.ok_or(ApiError::NotFound)?;
            require_member_inbox(conn, &member, inbox_id)?;
            let Some(source_id) = source_id else {
                return Ok(None);
            };
            let Some(ci) = contacts::find_contact_inbox(conn, inbox_id, &source_id)? else {
                return Ok(None);
            };
            contacts::find(conn, account_id, ci.contact_id)?
                .map(|c| render(conn, &c))
                .transpose()
        })
        .await?;
    Ok(match found {
        Some(contact) => ok_json(contact),
        None => HttpResponse::NotFound().finish(),
    })
}
