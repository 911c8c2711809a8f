//! Contact attribute rules shared by the account API, the Client API and the website widget.

use rusqlite::Connection;
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::db::contacts::{self, Contact, ContactInbox, ContactKey};
use crate::db::inboxes::Inbox;
use crate::domain::{contacts::valid_phone, validation};
use crate::error::{ApiError, ApiResult};

/// Contact attributes a client may send.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ContactParams {
    #[serde(deserialize_with = "crate::domain::params::nullable")]
    pub name: Option<Option<String>>,
    #[serde(deserialize_with = "crate::domain::params::nullable")]
    pub email: Option<Option<String>>,
    #[serde(deserialize_with = "crate::domain::params::nullable")]
    pub phone_number: Option<Option<String>>,
    #[serde(deserialize_with = "crate::domain::params::nullable")]
    pub identifier: Option<Option<String>>,
    pub blocked: Option<bool>,
    pub additional_attributes: Option<Map<String, Value>>,
    pub custom_attributes: Option<Map<String, Value>>,
    pub inbox_id: Option<i64>,
    pub source_id: Option<String>,
}

fn blank_to_none(value: Option<String>) -> Option<String> {
    value.map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
}

/// A new, empty contact of the account.
pub fn blank(account_id: i64) -> Contact {
    Contact {
        id: 0,
        account_id,
        name: String::new(),
        email: None,
        phone_number: None,
        identifier: None,
        blocked: false,
        additional_attributes: Map::new(),
        custom_attributes: Map::new(),
        last_activity_at: None,
        created_at: 0,
        updated_at: 0,
    }
}

/// Validate `params` onto `contact`; attribute hashes are merged, as Chatwoot's update does.
pub fn apply(conn: &Connection, contact: &mut Contact, params: &ContactParams) -> ApiResult<()> {
    if let Some(name) = &params.name {
        contact.name = name.clone().unwrap_or_default().trim().to_string();
        if contact.name.chars().count() > 255 {
            return Err(ApiError::invalid(
                "name",
                "Name is too long (maximum is 255 characters)",
            ));
        }
    }
    if let Some(email) = &params.email {
        contact.email = match blank_to_none(email.clone()) {
            None => None,
            Some(email) => Some(
                validation::normalize_email(&email)
                    .ok_or_else(|| ApiError::invalid("email", "Email Invalid email"))?,
            ),
        };
    }
    if let Some(phone) = &params.phone_number {
        contact.phone_number = blank_to_none(phone.clone());
        if contact.phone_number.as_deref().is_some_and(|p| !valid_phone(p)) {
            return Err(ApiError::invalid(
                "phone_number",
                "Phone number should be in e164 format",
            ));
        }
    }
    if let Some(identifier) = &params.identifier {
        contact.identifier = blank_to_none(identifier.clone());
    }
    if let Some(blocked) = params.blocked {
        contact.blocked = blocked;
    }
    if let Some(additional) = &params.additional_attributes {
        contact.additional_attributes.extend(additional.clone());
    }
    if let Some(custom) = &params.custom_attributes {
        contact.custom_attributes.extend(custom.clone());
    }
    if let Some(field) = contacts::taken_field(conn, contact)? {
        let label = match field {
            "email" => "Email",
            "phone_number" => "Phone number",
            _ => "Identifier",
        };
        return Err(ApiError::invalid(
            field,
            format!("{label} has already been taken"),
        ));
    }
    Ok(())
}

/// The source id a new contact inbox gets in `inbox` (Chatwoot's ContactInboxBuilder): a UUID
/// for API and website inboxes, the contact's email for email inboxes.
pub fn generated_source_id(inbox: &Inbox, contact: &Contact) -> ApiResult<String> {
    match inbox.channel.channel_type.as_str() {
        "Channel::Email" => contact
            .email
            .clone()
            .ok_or_else(|| ApiError::ParamMissing("contact email".into())),
        _ => Ok(uuid::Uuid::new_v4().to_string()),
    }
}

/// Create the contact inbox of `contact` in `inbox` with `source_id` (or a generated one).
pub fn add_to_inbox(
    conn: &Connection,
    contact: &Contact,
    inbox: &Inbox,
    source_id: Option<String>,
    hmac_verified: bool,
) -> ApiResult<ContactInbox> {
    let source_id = match blank_to_none(source_id) {
        Some(id) => id,
        None => generated_source_id(inbox, contact)?,
    };
    if contacts::find_contact_inbox(conn, inbox.id, &source_id)?.is_some() {
        return Err(ApiError::Unprocessable("source_id should be unique".into()));
    }
    Ok(contacts::insert_contact_inbox(
        conn,
        contact.id,
        inbox.id,
        &source_id,
        hmac_verified,
    )?)
}

/// Validate a label list: non-empty strings (free tags, as in Chatwoot), trimmed, deduplicated.
pub fn label_list(value: Option<&Value>) -> ApiResult<Vec<String>> {
    let items = match value {
        None | Some(Value::Null) => return Err(ApiError::ParamMissing("labels".into())),
        Some(Value::Array(items)) => items,
        Some(_) => {
            return Err(ApiError::Unprocessable(
                "labels must be an array of strings".into(),
            ));
        }
    };
    let mut labels = Vec::new();
    for item in items {
        let text = item
            .as_str()
            .ok_or_else(|| ApiError::Unprocessable("labels must be an array of strings".into()))?;
        let label = text.trim().to_string();
        if label.is_empty() || label.chars().count() > 255 {
            return Err(ApiError::Unprocessable(format!(
                "Label '{text}' must be 1 to 255 characters"
            )));
        }
        if !labels.contains(&label) {
            labels.push(label);
        }
    }
    Ok(labels)
}

/// Merge `mergee` into `base`: conversations, contact inboxes, notes, labels and message
/// authorship move to `base`; base's non-blank attributes win; `mergee` is deleted.
pub fn merge(conn: &Connection, account_id: i64, base_id: i64, mergee_id: i64) -> ApiResult<Contact> {
    if base_id == mergee_id {
        return Err(ApiError::Unprocessable(
            "base_contact_id and mergee_contact_id must be different contacts".into(),
        ));
    }
    let mut base = contacts::find(conn, account_id, base_id)?.ok_or(ApiError::NotFound)?;
    let mergee = contacts::find(conn, account_id, mergee_id)?.ok_or(ApiError::NotFound)?;
    contacts::move_to(conn, account_id, base.id, mergee.id)?;
    contacts::delete(conn, account_id, mergee.id)?;
    if base.name.is_empty() {
        base.name = mergee.name;
    }
    base.email = base.email.or(mergee.email);
    base.phone_number = base.phone_number.or(mergee.phone_number);
    base.identifier = base.identifier.or(mergee.identifier);
    let mut additional = mergee.additional_attributes;
    additional.extend(base.additional_attributes);
    base.additional_attributes = additional;
    let mut custom = mergee.custom_attributes;
    custom.extend(base.custom_attributes);
    base.custom_attributes = custom;
    base.last_activity_at = base.last_activity_at.max(mergee.last_activity_at);
    let saved = contacts::save(conn, &base)?;
    // No column says "merged": noted for the before-commit step (`contact.merged` on /cable).
    crate::db::events::note_change(conn, "contact", "merged", saved.id, None)?;
    Ok(saved)
}

const ADJECTIVES: &[&str] = &[
    "autumn", "hidden", "bitter", "misty", "silent", "empty", "dry", "dark", "summer", "icy", "quiet",
    "white", "cool", "spring", "winter", "patient",
];
const NOUNS: &[&str] = &[
    "waterfall",
    "river",
    "breeze",
    "moon",
    "rain",
    "wind",
    "sea",
    "morning",
    "snow",
    "lake",
    "sunset",
    "pine",
    "shadow",
    "leaf",
    "dawn",
    "glitter",
];

/// A friendly random name for anonymous visitors (Chatwoot uses haikunator names).
pub fn visitor_name() -> String {
    let bytes = uuid::Uuid::new_v4().into_bytes();
    format!(
        "{}-{}-{}",
        ADJECTIVES[usize::from(bytes[0]) % ADJECTIVES.len()],
        NOUNS[usize::from(bytes[1]) % NOUNS.len()],
        u16::from_be_bytes([bytes[2], bytes[3]]) % 10_000
    )
}

/// Find the contact a visitor is: by identifier, then email (case-insensitive), then phone.
pub fn find_existing(
    conn: &Connection,
    account_id: i64,
    identifier: Option<&str>,
    email: Option<&str>,
    phone_number: Option<&str>,
) -> ApiResult<Option<Contact>> {
    let lookups = [
        (ContactKey::Identifier, identifier.map(str::to_string)),
        (ContactKey::Email, email.map(|e| e.trim().to_lowercase())),
        (ContactKey::PhoneNumber, phone_number.map(str::to_string)),
    ];
    for (column, value) in lookups {
        let Some(value) = value.filter(|v| !v.is_empty()) else {
            continue;
        };
        if let Some(contact) = contacts::find_by_key(conn, account_id, column, &value)? {
            return Ok(Some(contact));
        }
    }
    Ok(None)
}

/// Identity validation: required when the inbox makes it mandatory or a hash is sent; the hash
/// is hex(HMAC-SHA256(key = inbox hmac token, message = identifier)). `Ok(true)` when verified.
pub fn verify_identity(
    inbox: &Inbox,
    identifier: Option<&str>,
    identifier_hash: Option<&str>,
) -> ApiResult<bool> {
    use hmac::{Hmac, Mac};
    let mandatory = inbox.channel.setting("hmac_mandatory").as_bool().unwrap_or(false);
    let hash = identifier_hash.filter(|h| !h.is_empty());
    if hash.is_none() && !mandatory {
        return Ok(false);
    }
    let refuse = || ApiError::Unauthorized("HMAC failed: Invalid Identifier Hash Provided".into());
    let (Some(hash), Some(identifier), Some(key)) = (hash, identifier, inbox.channel.hmac_token.as_deref())
    else {
        return Err(refuse());
    };
    let expected = hex::decode(hash).map_err(|_| refuse())?;
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(key.as_bytes()).map_err(|_| refuse())?;
    mac.update(identifier.as_bytes());
    mac.verify_slice(&expected).map_err(|_| refuse())?;
    Ok(true)
}
