//! Website widget shapes (`app/views/api/v1/widget/**`): what Parlor's own widget page reads,
//! kept as Chatwoot's so other widget clients work too.

use serde_json::{Map, Value, json};

use crate::db::agents::Agent;
use crate::db::contacts::Contact;
use crate::db::conversations::Conversation;
use crate::db::inboxes::Inbox;
use crate::db::messages::Message;
use crate::domain::conversations::STATUSES;
use crate::domain::custom_attributes::enum_name;
use crate::domain::inbox::REPLY_TIMES;
use crate::domain::timestamps::secs;
use crate::views::related::Related;

/// Languages the widget offers (`enabled_languages`): the ones Parlor's pages are written in.
pub const LANGUAGES: &[(&str, &str)] = &[
    ("English", "en"),
    ("Español", "es"),
    ("Français", "fr"),
    ("Deutsch", "de"),
    ("Português Brasileiro", "pt_BR"),
];

/// What the widget page and `POST config` say about the inbox.
#[derive(Debug, Clone)]
pub struct Channel<'a> {
    pub inbox: &'a Inbox,
    pub locale: &'a str,
    /// The connected agent bot's name.
    pub bot_name: Option<String>,
    /// `+HH:MM` of the inbox timezone now.
    pub utc_offset: String,
}

/// `chatwoot_website_channel` (configs/create.json.jbuilder; the page's `chatwootWebChannel`).
pub fn channel(c: &Channel<'_>) -> Value {
    let ch = &c.inbox.channel;
    json!({
        "avatar_url": "",
        "has_a_connected_agent_bot": c.bot_name,
        "locale": c.locale,
        "website_name": c.inbox.name,
        "website_token": ch.website_token,
        "welcome_tagline": ch.setting("welcome_tagline"),
        "welcome_title": ch.setting("welcome_title"),
        "widget_color": ch.setting("widget_color"),
        "enabled_features": ch.setting("selected_feature_flags"),
        "enabled_languages": LANGUAGES
            .iter()
            .map(|(name, iso)| json!({"name": name, "iso_639_1_code": iso}))
            .collect::<Vec<_>>(),
        "reply_time": enum_name(REPLY_TIMES, ch.setting("reply_time").as_i64().unwrap_or(0)),
        "pre_chat_form_enabled": ch.setting("pre_chat_form_enabled").as_bool().unwrap_or(false),
        "pre_chat_form_options": ch.setting("pre_chat_form_options"),
        "working_hours_enabled": c.inbox.working_hours_enabled,
        "csat_survey_enabled": c.inbox.csat_survey_enabled,
        "working_hours": c.inbox.working_hours,
        "out_of_office_message": c.inbox.out_of_office_message,
        "utc_off_set": c.utc_offset,
    })
}

/// `POST /api/v1/widget/config`; `pubsub_token` is null until the visitor has written.
pub fn config(c: &Channel<'_>, pubsub_token: Option<&str>, auth_token: &str) -> Value {
    json!({
        "chatwoot_website_channel": channel(c),
        "chatwoot_widget_defaults": {"use_inbox_avatar_for_bot": false},
        "contact": {"pubsub_token": pubsub_token},
        "auth_token": auth_token,
        "global_config": {},
    })
}

/// `GET contact`: what the widget needs to know about the visitor (all empty before they write).
pub fn contact(contact: Option<&Contact>) -> Value {
    let present = |v: Option<&String>| v.is_some_and(|s| !s.is_empty());
    json!({
        "id": contact.map(|c| c.id),
        "has_email": present(contact.and_then(|c| c.email.as_ref())),
        "has_name": contact.is_some_and(|c| !c.name.is_empty()),
        "has_phone_number": present(contact.and_then(|c| c.phone_number.as_ref())),
        "identifier": contact.and_then(|c| c.identifier.clone()),
    })
}

/// `PATCH contact/set_user`, with `widget_auth_token` when the visitor became another contact.
pub fn set_user(contact: &Contact, widget_auth_token: Option<&str>) -> Value {
    let mut body = json!({
        "id": contact.id,
        "name": contact.name,
        "email": contact.email,
        "phone_number": contact.phone_number,
    });
    if let (Some(token), Some(map)) = (widget_auth_token, body.as_object_mut()) {
        map.insert("widget_auth_token".into(), Value::from(token));
    }
    body
}

/// `GET conversations`: the current conversation's attributes, or `{}`.
pub fn conversation_attributes(c: Option<&Conversation>) -> Value {
    match c {
        None => Value::Object(Map::new()),
        Some(c) => json!({
            "id": c.display_id,
            "inbox_id": c.inbox_id,
            "contact_last_seen_at": c.contact_last_seen_at.map_or(0, secs),
            "status": enum_name(STATUSES, c.status),
        }),
    }
}

/// `POST conversations`: the new conversation with its messages and raw contact.
pub fn conversation_created(
    c: &Conversation,
    contact: &Contact,
    messages: &[Message],
    related: &Related,
) -> Value {
    json!({
        "id": c.display_id,
        "inbox_id": c.inbox_id,
        "contact_last_seen_at": c.contact_last_seen_at.map_or(0, secs),
        "status": enum_name(STATUSES, c.status),
        "messages": messages.iter().map(|m| message(m, c.display_id, related)).collect::<Vec<_>>(),
        "custom_attributes": c.custom_attributes,
        "contact": crate::views::public::raw_contact(contact),
    })
}

/// A message as the widget lists it (the Client API's public message shape).
pub fn message(m: &Message, display_id: i64, related: &Related) -> Value {
    crate::views::public::message(m, display_id, related)
}

/// `GET messages`: `{payload, meta: {contact_last_seen_at}}`.
pub fn messages(list: &[Message], c: Option<&Conversation>, related: &Related) -> Value {
    let display_id = c.map_or(0, |c| c.display_id);
    let meta = match c {
        Some(c) => json!({"contact_last_seen_at": c.contact_last_seen_at.map_or(0, secs)}),
        None => json!({}),
    };
    json!({
        "payload": list.iter().map(|m| message(m, display_id, related)).collect::<Vec<_>>(),
        "meta": meta,
    })
}

/// `POST messages` (messages/create.json.jbuilder).
pub fn message_created(m: &Message, display_id: i64, related: &Related) -> Value {
    let mut body = json!({
        "id": m.id,
        "content": m.content,
        "inbox_id": m.inbox_id,
        "conversation_id": display_id,
        "message_type": m.message_type,
        "created_at": secs(m.created_at),
        "private": m.private,
        "source_id": m.source_id,
    });
    let full = message(m, display_id, related);
    if let Some(map) = body.as_object_mut() {
        for key in ["echo_id", "attachments", "sender"] {
            if let Some(value) = full.get(key) {
                map.insert(key.into(), value.clone());
            }
        }
    }
    body
}

/// `GET inbox_members`: `{payload: [{id, name, avatar_url, availability_status}]}`.
pub fn inbox_members(agents: &[Agent], online: &dyn Fn(&Agent) -> &'static str) -> Value {
    json!({
        "payload": agents
            .iter()
            .map(|a| json!({
                "id": a.id,
                "name": a.available_name(),
                "avatar_url": "",
                "availability_status": online(a),
            }))
            .collect::<Vec<_>>(),
    })
}

/// A widget conversation's `additional_attributes`: the browser, the page and when it began.
pub fn start_attributes(referer: Value, timestamp: Value, user_agent: &str) -> Map<String, Value> {
    let mut additional = Map::new();
    additional.insert("browser".into(), json!({"user_agent": user_agent}));
    additional.insert("referer".into(), referer);
    additional.insert("initiated_at".into(), json!({"timestamp": timestamp}));
    additional
}

/// `webwidget_triggered`'s `event_info`: what the widget sent plus the widget and browser
/// languages and the browser.
pub fn event_info(
    mut sent: Map<String, Value>,
    widget_language: Option<String>,
    browser_language: Option<String>,
    user_agent: &str,
) -> Value {
    sent.insert("widget_language".into(), json!(widget_language));
    sent.insert("browser_language".into(), json!(browser_language));
    sent.insert("browser".into(), json!({"user_agent": user_agent}));
    Value::Object(sent)
}
