//! The website widget's visitor: who a widget request speaks for, and the contact that is made
//! for them only when they first write (or identify themselves), never on a page view.
//! Chatwoot creates a contact and a contact inbox on every first page view; Parlor mints a
//! token naming a source id that no row holds yet.

use rusqlite::Connection;
use serde_json::{Map, Value};

use crate::db::contacts::{self, Contact, ContactInbox};
use crate::db::conversations::{self, Conversation};
use crate::db::inboxes::{self, Inbox};
use crate::db::messages::Message;
use crate::db::{event_deliveries, events, now_ms, secrets};
use crate::domain::widget_token::{self, Claims};
use crate::error::{ApiError, ApiResult};
use crate::services::contacts::{add_to_inbox, blank, visitor_name};
use crate::services::conversations::open_for_contact;
use crate::services::messages::{MessageParams, create_incoming};

/// A widget request's visitor: the inbox of the `website_token`, the claims of their token and,
/// once they have written, their contact inbox and contact.
#[derive(Debug, Clone)]
pub struct Visitor {
    pub inbox: Inbox,
    pub claims: Claims,
    pub contact: Option<(ContactInbox, Contact)>,
}

impl Visitor {
    /// The contact inbox and contact, or a 404 for a visitor who has not written yet.
    pub fn known(&self) -> ApiResult<&(ContactInbox, Contact)> {
        self.contact.as_ref().ok_or(ApiError::NotFound)
    }
}

/// The website inbox of a `website_token` (404 otherwise).
pub fn widget_inbox(conn: &Connection, website_token: &str) -> ApiResult<Inbox> {
    inboxes::find_by_website_token(conn, website_token)?.ok_or(ApiError::NotFound)
}

/// A signed token for `claims`.
pub fn sign(conn: &Connection, claims: &Claims) -> ApiResult<String> {
    Ok(widget_token::encode(&secrets::widget_token_key(conn)?, claims))
}

/// Claims for a new visitor of `inbox`: a fresh source id, nothing written.
pub fn new_claims(inbox: &Inbox) -> Claims {
    Claims::new(uuid::Uuid::new_v4().to_string(), inbox.id, now_ms() / 1000)
}

/// The claims of `token` when it is ours, unexpired and names `inbox`.
pub fn claims_for(conn: &Connection, inbox: &Inbox, token: &str) -> ApiResult<Option<Claims>> {
    let key = secrets::widget_token_key(conn)?;
    Ok(widget_token::decode(&key, token, now_ms() / 1000).filter(|c| c.inbox_id == inbox.id))
}

/// The visitor of a widget request. No token, or one that is not ours or has expired: 401; a
/// valid token of another inbox: 404 (its source id names nobody here).
pub fn visitor(conn: &Connection, website_token: &str, auth_token: Option<&str>) -> ApiResult<Visitor> {
    let inbox = widget_inbox(conn, website_token)?;
    let key = secrets::widget_token_key(conn)?;
    let token = auth_token
        .filter(|t| !t.is_empty())
        .ok_or(ApiError::InvalidAccessToken)?;
    let claims = widget_token::decode(&key, token, now_ms() / 1000).ok_or(ApiError::InvalidAccessToken)?;
    if claims.inbox_id != inbox.id {
        return Err(ApiError::NotFound);
    }
    let contact = load_contact(conn, &inbox, &claims.source_id)?;
    Ok(Visitor {
        inbox,
        claims,
        contact,
    })
}

fn load_contact(
    conn: &Connection,
    inbox: &Inbox,
    source_id: &str,
) -> ApiResult<Option<(ContactInbox, Contact)>> {
    let Some(ci) = contacts::find_contact_inbox(conn, inbox.id, source_id)? else {
        return Ok(None);
    };
    Ok(contacts::find(conn, inbox.account_id, ci.contact_id)?.map(|contact| (ci, contact)))
}

/// The visitor's contact, made now when they have none: a contact with a friendly random name
/// and the contact inbox of the token's source id.
pub fn ensure_contact(tx: &Connection, visitor: &mut Visitor) -> ApiResult<(ContactInbox, Contact)> {
    if let Some(found) = &visitor.contact {
        return Ok(found.clone());
    }
    let mut contact = blank(visitor.inbox.account_id);
    contact.name = visitor_name();
    let contact = contacts::save(tx, &contact)?;
    let ci = add_to_inbox(
        tx,
        &contact,
        &visitor.inbox,
        Some(visitor.claims.source_id.clone()),
        false,
    )?;
    visitor.contact = Some((ci.clone(), contact.clone()));
    Ok((ci, contact))
}

/// Attach the visitor's token to an existing `contact` (setUser with a known identifier
/// before the first message): the contact inbox of the token's source id is made for it.
pub fn adopt_contact(tx: &Connection, visitor: &mut Visitor, contact: Contact) -> ApiResult<ContactInbox> {
    let ci = add_to_inbox(
        tx,
        &contact,
        &visitor.inbox,
        Some(visitor.claims.source_id.clone()),
        false,
    )?;
    visitor.contact = Some((ci.clone(), contact));
    Ok(ci)
}

/// The visitor's conversations in this inbox, oldest first (all of the contact's when their
/// contact inbox is HMAC-verified, as Chatwoot's widget base controller).
pub fn conversations(conn: &Connection, visitor: &Visitor) -> ApiResult<Vec<Conversation>> {
    let Some((ci, contact)) = &visitor.contact else {
        return Ok(Vec::new());
    };
    let mut list = conversations::for_public_contact(conn, ci.id, contact.id, ci.hmac_verified)?;
    list.retain(|c| c.inbox_id == visitor.inbox.id);
    Ok(list)
}

/// The conversation the widget shows: the visitor's latest.
pub fn current_conversation(conn: &Connection, visitor: &Visitor) -> ApiResult<Option<Conversation>> {
    Ok(conversations(conn, visitor)?.pop())
}

/// What the widget sends with a new conversation: pre-chat contact, first message, attributes.
#[derive(Debug, Default)]
pub struct Start {
    pub additional_attributes: Map<String, Value>,
    pub custom_attributes: Map<String, Value>,
}

/// A new conversation of the visitor (their contact is made if needed).
pub fn start_conversation(tx: &Connection, visitor: &mut Visitor, start: Start) -> ApiResult<Conversation> {
    let (ci, contact) = ensure_contact(tx, visitor)?;
    open_for_contact(
        tx,
        &visitor.inbox,
        &contact,
        ci.id,
        start.additional_attributes,
        start.custom_attributes,
    )
}

/// The conversation a new message goes to: the current one, unless it is resolved and the
/// inbox does not take messages after resolution; otherwise a new one.
pub fn conversation_for_message(
    tx: &Connection,
    visitor: &mut Visitor,
    start: Start,
) -> ApiResult<Conversation> {
    if let Some(c) = current_conversation(tx, visitor)? {
        let resolved = c.status == crate::domain::conversations::status::RESOLVED;
        if !resolved
            || visitor.inbox.allow_messages_after_resolved
            || visitor.inbox.lock_to_single_conversation
        {
            return Ok(c);
        }
    }
    start_conversation(tx, visitor, start)
}

/// An incoming message from the visitor, in their current conversation or a new one.
pub fn send_message(
    tx: &Connection,
    visitor: &mut Visitor,
    params: MessageParams,
    has_attachments: bool,
    start: Start,
) -> ApiResult<(Conversation, Message)> {
    let c = conversation_for_message(tx, visitor, start)?;
    let message = create_incoming(tx, &c, params, has_attachments)?;
    Ok((c, message))
}

/// `webwidget.triggered`: noted for the before-commit step, which records the
/// `webwidget_triggered` event (webhooks, API inbox, agent bots) with `event_info`.
pub fn trigger(tx: &Connection, contact_inbox: &ContactInbox, event_info: &Value) -> ApiResult<()> {
    events::note_change(
        tx,
        "webwidget",
        "triggered",
        contact_inbox.id,
        Some(&event_info.to_string()),
    )?;
    Ok(())
}

/// Whether anyone receives `webwidget_triggered` from this inbox (an account webhook or an
/// agent bot): a visitor who only opens the widget is made a contact only then.
pub fn trigger_has_receivers(conn: &Connection, inbox: &Inbox) -> ApiResult<bool> {
    Ok(
        !event_deliveries::webhook_receivers(conn, inbox.account_id, "webwidget_triggered")?.is_empty()
            || !event_deliveries::bot_receivers(conn, inbox.id, None)?.is_empty(),
    )
}

/// Senders and attachments of the messages shown to a visitor.
pub fn related(
    conn: &Connection,
    base_url: &str,
    account_id: i64,
    list: &[Conversation],
    shown: &[Message],
) -> ApiResult<crate::views::related::Related> {
    let viewer = crate::caller::Viewer {
        account_id,
        user_id: 0,
        base_url: base_url.to_string(),
    };
    let mut related = crate::views::related::Related::default();
    crate::services::conversation_loader::add_senders(conn, &viewer, &mut related, shown, list)?;
    Ok(related)
}

/// The messages of the visitor's current conversation the widget shows (no private notes, no
/// activities): 20 before `before`, or those after `after`, oldest first.
pub fn messages(
    conn: &Connection,
    visitor: &Visitor,
    before: Option<i64>,
    after: Option<i64>,
) -> ApiResult<(Option<Conversation>, Vec<Message>)> {
    let Some(c) = current_conversation(conn, visitor)? else {
        return Ok((None, Vec::new()));
    };
    let list = crate::db::messages::page(conn, c.id, before, after, true)?;
    Ok((Some(c), list))
}

/// What the widget says about its inbox (the page and `POST config`): the account locale,
/// the connected bot's name and the inbox's UTC offset.
pub fn channel_facts(conn: &Connection, inbox: &Inbox) -> ApiResult<(String, Option<String>, String)> {
    let account = crate::db::accounts::find(conn, inbox.account_id)?.ok_or(ApiError::NotFound)?;
    let bot_name = match inboxes::agent_bot_id(conn, inbox.id)? {
        Some(id) => crate::db::agent_bots::find(conn, id)?.map(|b| b.name),
        None => None,
    };
    let offset = crate::domain::business_hours::utc_offset(&inbox.timezone, now_ms());
    Ok((account.locale, bot_name, offset))
}

/// The pre-chat form's `{name, email, phone_number, custom_attributes}` onto the visitor's
/// contact (Chatwoot's identify action with `retain_original_contact_name` and
/// `discard_invalid_attrs`): an email or phone that another contact has merges the visitor into
/// that contact, which keeps its name; invalid values are dropped rather than refused.
pub fn pre_chat(
    tx: &Connection,
    visitor: &mut Visitor,
    contact: &mut Contact,
    fields: &Map<String, Value>,
) -> ApiResult<()> {
    use crate::services::contacts::{ContactParams, apply, find_existing, merge};
    let text = |key: &str| {
        fields
            .get(key)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_string)
    };
    let (name, email, phone) = (text("name"), text("email"), text("phone_number"));
    let account_id = visitor.inbox.account_id;
    let mut merged = false;
    if let Some(owner) = find_existing(tx, account_id, None, email.as_deref(), phone.as_deref())?
        && owner.id != contact.id
    {
        *contact = merge(tx, account_id, owner.id, contact.id)?;
        merged = true;
    }
    let custom = match fields.get("custom_attributes") {
        Some(Value::Object(map)) => Some(map.clone()),
        _ => None,
    };
    let tries = [
        ContactParams {
            name: name.filter(|_| !merged || contact.name.is_empty()).map(Some),
            ..ContactParams::default()
        },
        ContactParams {
            email: email.map(Some),
            ..ContactParams::default()
        },
        ContactParams {
            phone_number: phone.map(Some),
            ..ContactParams::default()
        },
        ContactParams {
            custom_attributes: custom,
            ..ContactParams::default()
        },
    ];
    for params in &tries {
        let mut candidate = contact.clone();
        if apply(tx, &mut candidate, params).is_ok() {
            *contact = candidate;
        }
    }
    let saved = contacts::save(tx, contact)?;
    if let Some((ci, c)) = visitor.contact.as_mut() {
        ci.contact_id = saved.id;
        *c = saved.clone();
    }
    *contact = saved;
    Ok(())
}
