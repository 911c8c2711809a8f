//! Creating and updating an inbox's channel from the `channel` object of a request.

use rusqlite::Connection;
use serde_json::{Map, Value};

use crate::db::inboxes::Channel;
use crate::domain::inbox::{CHANNEL_TYPES, REPLY_TIMES, channel_class, web_widget_defaults};
use crate::domain::{tokens, validation};
use crate::error::{ApiError, ApiResult};

fn wrong_type(key: &str, expected: &str) -> ApiError {
    ApiError::invalid(key, format!("Channel {key} must be {expected}"))
}

/// Copy `key` into settings if present, checking its JSON type.
fn copy(
    settings: &mut Map<String, Value>,
    attrs: &Map<String, Value>,
    key: &str,
    check: fn(&Value) -> bool,
    expected: &str,
) -> ApiResult<()> {
    if let Some(value) = attrs.get(key) {
        if !(value.is_null() || check(value)) {
            return Err(wrong_type(key, expected));
        }
        settings.insert(key.to_string(), value.clone());
    }
    Ok(())
}

fn is_text(v: &Value) -> bool {
    v.is_string()
}

fn is_flag(v: &Value) -> bool {
    v.is_boolean()
}

/// A new channel of the requested type for `account_id`; unsupported types are a 422 naming the
/// supported ones.
pub fn build(
    conn: &Connection,
    account_id: i64,
    attrs: &Map<String, Value>,
    base_host: &str,
) -> ApiResult<Channel> {
    let kind = attrs.get("type").and_then(Value::as_str).unwrap_or("");
    let class = channel_class(kind).ok_or_else(|| {
        let supported: Vec<&str> = CHANNEL_TYPES.iter().map(|(name, _)| *name).collect();
        ApiError::invalid(
            "channel",
            format!(
                "Channel type '{kind}' is not supported; supported types: {}",
                supported.join(", ")
            ),
        )
    })?;
    let mut channel = Channel {
        id: 0,
        account_id,
        channel_type: class.to_string(),
        identifier: None,
        website_token: None,
        email: None,
        hmac_token: None,
        settings: Map::new(),
    };
    match class {
        "Channel::Api" => {
            channel.identifier = Some(tokens::base58(24));
            channel.hmac_token = Some(tokens::base58(24));
            channel
                .settings
                .insert("hmac_mandatory".into(), Value::Bool(false));
            channel
                .settings
                .insert("additional_attributes".into(), Value::Object(Map::new()));
        }
        "Channel::WebWidget" => {
            channel.website_token = Some(tokens::base58(24));
            channel.hmac_token = Some(tokens::base58(24));
            channel.settings.extend(web_widget_defaults());
        }
        _ => {
            channel.settings.insert(
                "forward_to_email".into(),
                Value::from(format!(
                    "{}@{base_host}",
                    tokens::hex_secret().get(..32).unwrap_or_default()
                )),
            );
        }
    }
    apply(conn, &mut channel, attrs)?;
    Ok(channel)
}

/// Apply type-specific attributes; validates required ones.
pub fn apply(conn: &Connection, channel: &mut Channel, attrs: &Map<String, Value>) -> ApiResult<()> {
    let settings = &mut channel.settings;
    match channel.channel_type.as_str() {
        "Channel::Api" => {
            if let Some(url) = attrs.get("webhook_url") {
                let url = url.as_str().filter(|u| !u.trim().is_empty());
                if let Some(url) = url
                    && !validation::http_url(url)
                {
                    return Err(ApiError::invalid(
                        "webhook_url",
                        "Webhook url must be a valid http(s) URL",
                    ));
                }
                settings.insert("webhook_url".into(), url.map_or(Value::Null, Value::from));
            }
            copy(settings, attrs, "hmac_mandatory", is_flag, "true or false")?;
            copy(
                settings,
                attrs,
                "additional_attributes",
                Value::is_object,
                "an object",
            )?;
        }
        "Channel::WebWidget" => {
            if let Some(url) = attrs.get("website_url") {
                let url = url.as_str().map(str::trim).unwrap_or_default();
                settings.insert("website_url".into(), Value::from(url));
            }
            if settings
                .get("website_url")
                .and_then(Value::as_str)
                .is_none_or(str::is_empty)
            {
                return Err(ApiError::invalid("website_url", "Website url can't be blank"));
            }
            if let Some(color) = attrs.get("widget_color") {
                let color = validation::hex_color(color.as_str().unwrap_or(""))
                    .map_err(|msg| ApiError::invalid("widget_color", msg))?;
                settings.insert("widget_color".into(), Value::from(color));
            }
            if let Some(reply_time) = attrs.get("reply_time") {
                let index = crate::domain::custom_attributes::parse_enum(REPLY_TIMES, reply_time)
                    .ok_or_else(|| {
                        ApiError::invalid(
                            "reply_time",
                            format!(
                                "Reply time is not included in the list ({})",
                                REPLY_TIMES.join(", ")
                            ),
                        )
                    })?;
                settings.insert("reply_time".into(), Value::from(index));
            }
            for key in ["welcome_title", "welcome_tagline", "allowed_domains"] {
                copy(settings, attrs, key, is_text, "a string")?;
            }
            for key in ["hmac_mandatory", "pre_chat_form_enabled", "continuity_via_email"] {
                copy(settings, attrs, key, is_flag, "true or false")?;
            }
            copy(
                settings,
                attrs,
                "pre_chat_form_options",
                Value::is_object,
                "an object",
            )?;
            copy(
                settings,
                attrs,
                "selected_feature_flags",
                Value::is_array,
                "an array",
            )?;
        }
        _ => {
            if let Some(email) = attrs.get("email") {
                let email = validation::normalize_email(email.as_str().unwrap_or(""))
                    .ok_or_else(|| ApiError::invalid("email", "Email is invalid"))?;
                if crate::db::inboxes::channel_email_taken(conn, &email, channel.id)? {
                    return Err(ApiError::invalid("email", "Email has already been taken"));
                }
                channel.email = Some(email);
            }
            if channel.email.is_none() {
                return Err(ApiError::invalid("email", "Email can't be blank"));
            }
            let settings = &mut channel.settings;
            for key in [
                "imap_login",
                "imap_password",
                "imap_address",
                "smtp_login",
                "smtp_password",
                "smtp_address",
                "smtp_domain",
                "smtp_openssl_verify_mode",
                "smtp_authentication",
            ] {
                copy(settings, attrs, key, is_text, "a string")?;
            }
            for key in ["imap_port", "smtp_port"] {
                copy(settings, attrs, key, Value::is_u64, "a port number")?;
            }
            for key in [
                "imap_enabled",
                "imap_enable_ssl",
                "smtp_enabled",
                "smtp_enable_ssl_tls",
                "smtp_enable_starttls_auto",
            ] {
                copy(settings, attrs, key, is_flag, "true or false")?;
            }
        }
    }
    Ok(())
}
