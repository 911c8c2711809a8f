//! Attachment JSON (app/views/api/v1/models/_attachment / push_event_data).

use serde_json::{Value, json};

use crate::db::attachments::Attachment;
use crate::domain::attachments::FILE_TYPES;
use crate::domain::custom_attributes::enum_name;

/// The public URL of a stored file.
pub fn data_url(attachment: &Attachment, base_url: &str) -> Value {
    attachment.storage_key.as_ref().map_or(Value::Null, |key| {
        Value::from(format!("{base_url}/attachments/{key}"))
    })
}

/// `{id,message_id,file_type,account_id,extension,data_url,thumb_url,file_size,width,height}`
pub fn attachment(attachment: &Attachment, base_url: &str) -> Value {
    let url = data_url(attachment, base_url);
    let thumb = if attachment.file_type == 0 {
        url.clone()
    } else {
        Value::from("")
    };
    json!({
        "id": attachment.id,
        "message_id": attachment.message_id,
        "file_type": enum_name(FILE_TYPES, attachment.file_type),
        "account_id": attachment.account_id,
        "extension": attachment.extension,
        "data_url": url,
        "thumb_url": thumb,
        "file_size": attachment.byte_size,
        "width": Value::Null,
        "height": Value::Null,
    })
}
