//! Inbox JSON (app/views/api/v1/models/_inbox.json.jbuilder). Secrets (hmac tokens, mail
//! passwords) are shown to administrators only.

use serde_json::{Map, Value, json};

use crate::db::inboxes::Inbox;
use crate::domain::custom_attributes::enum_name;
use crate::domain::inbox::{REPLY_TIMES, SENDER_NAME_TYPES, web_widget_script};

/// Settings keys of an email channel shown to administrators.
const MAIL_SETTINGS: &[&str] = &[
    "imap_login",
    "imap_password",
    "imap_address",
    "imap_port",
    "imap_enabled",
    "imap_enable_ssl",
    "smtp_login",
    "smtp_password",
    "smtp_address",
    "smtp_port",
    "smtp_enabled",
    "smtp_domain",
    "smtp_enable_ssl_tls",
    "smtp_enable_starttls_auto",
    "smtp_openssl_verify_mode",
    "smtp_authentication",
];

/// Full inbox JSON; `admin` reveals secrets; `base_url` builds the widget script.
pub fn inbox(inbox: &Inbox, admin: bool, base_url: &str) -> Value {
    let channel = &inbox.channel;
    let is_widget = channel.channel_type == "Channel::WebWidget";
    let widget = |key: &str| {
        if is_widget {
            channel.setting(key)
        } else {
            Value::Null
        }
    };
    let mut body = json!({
        "id": inbox.id,
        "avatar_url": "",
        "channel_id": channel.id,
        "name": inbox.name,
        "channel_type": channel.channel_type,
        "greeting_enabled": inbox.greeting_enabled,
        "greeting_message": inbox.greeting_message,
        "working_hours_enabled": inbox.working_hours_enabled,
        "enable_email_collect": inbox.enable_email_collect,
        "csat_survey_enabled": inbox.csat_survey_enabled,
        "csat_config": inbox.csat_config,
        "enable_auto_assignment": inbox.enable_auto_assignment,
        "auto_assignment_config": inbox.auto_assignment_config,
        "out_of_office_message": inbox.out_of_office_message,
        "working_hours": inbox.working_hours,
        "timezone": inbox.timezone,
        "callback_webhook_url": Value::Null,
        "allow_messages_after_resolved": inbox.allow_messages_after_resolved,
        "lock_to_single_conversation": inbox.lock_to_single_conversation,
        "sender_name_type": enum_name(SENDER_NAME_TYPES, inbox.sender_name_type),
        "business_name": inbox.business_name,
        "widget_color": widget("widget_color"),
        "website_url": widget("website_url"),
        "hmac_mandatory": if is_widget || channel.channel_type == "Channel::Api" {
            Value::Bool(channel.setting("hmac_mandatory").as_bool().unwrap_or(false))
        } else { Value::Null },
        "welcome_title": widget("welcome_title"),
        "welcome_tagline": widget("welcome_tagline"),
        "web_widget_script": channel.website_token.as_deref().map(|token| web_widget_script(base_url, token)),
        "website_token": channel.website_token,
        "selected_feature_flags": widget("selected_feature_flags"),
        "reply_time": if is_widget {
            Value::from(enum_name(REPLY_TIMES, channel.setting("reply_time").as_i64().unwrap_or(0)))
        } else { Value::Null },
        "allowed_domains": widget("allowed_domains"),
        "messaging_service_sid": Value::Null,
        "phone_number": Value::Null,
        "provider": Value::Null,
    });
    let Some(map) = body.as_object_mut() else {
        return body;
    };
    match channel.channel_type.as_str() {
        "Channel::WebWidget" => {
            if admin {
                map.insert("hmac_token".into(), json!(channel.hmac_token));
            }
            for key in [
                "pre_chat_form_enabled",
                "pre_chat_form_options",
                "continuity_via_email",
            ] {
                map.insert(key.into(), channel.setting(key));
            }
        }
        "Channel::Email" => {
            map.insert("forward_to_email".into(), channel.setting("forward_to_email"));
            map.insert("email".into(), json!(channel.email));
            if admin {
                insert_settings(map, &channel.settings, MAIL_SETTINGS);
            }
        }
        "Channel::Api" => {
            if admin {
                map.insert("hmac_token".into(), json!(channel.hmac_token));
            }
            map.insert("webhook_url".into(), channel.setting("webhook_url"));
            map.insert("inbox_identifier".into(), json!(channel.identifier));
            map.insert(
                "additional_attributes".into(),
                match channel.setting("additional_attributes") {
                    Value::Null => json!({}),
                    other => other,
                },
            );
        }
        _ => {}
    }
    body
}

fn insert_settings(map: &mut Map<String, Value>, settings: &Map<String, Value>, keys: &[&str]) {
    for key in keys {
        map.insert((*key).into(), settings.get(*key).cloned().unwrap_or(Value::Null));
    }
}

/// Raw ActiveRecord JSON of an inbox row (used by contact create's `contact_inbox.inbox`).
pub fn raw(inbox: &Inbox) -> Value {
    use crate::domain::timestamps::iso;
    json!({
        "id": inbox.id,
        "channel_id": inbox.channel.id,
        "account_id": inbox.account_id,
        "name": inbox.name,
        "created_at": iso(inbox.created_at),
        "updated_at": iso(inbox.updated_at),
        "channel_type": inbox.channel.channel_type,
        "enable_auto_assignment": inbox.enable_auto_assignment,
        "greeting_enabled": inbox.greeting_enabled,
        "greeting_message": inbox.greeting_message,
        "email_address": Value::Null,
        "working_hours_enabled": inbox.working_hours_enabled,
        "out_of_office_message": inbox.out_of_office_message,
        "timezone": inbox.timezone,
        "enable_email_collect": inbox.enable_email_collect,
        "csat_survey_enabled": inbox.csat_survey_enabled,
        "allow_messages_after_resolved": inbox.allow_messages_after_resolved,
        "auto_assignment_config": inbox.auto_assignment_config,
        "lock_to_single_conversation": inbox.lock_to_single_conversation,
        "portal_id": Value::Null,
        "sender_name_type": enum_name(SENDER_NAME_TYPES, inbox.sender_name_type),
        "business_name": inbox.business_name,
        "csat_config": inbox.csat_config,
    })
}

/// `DELETE …/inboxes/{id}`: Chatwoot deletes in a job and answers this message at once.
pub fn deletion_queued() -> Value {
    json!({"message": "Your inbox deletion request will be processed in some time."})
}
