//! Attachment JSON (app/views/api/v1/models/_attachment / push_event_data).

use serde_json::{Value, json};

use crate::db::attachments::Attachment;
use crate::domain::attachments::FILE_TYPES;
use crate::domain::custom_attributes::enum_name;
use crate::domain::timestamps::secs;

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

/// An item of a conversation's attachment list: the attachment with its message's sender.
pub fn listed(a: &Attachment, base_url: &str, sender: Option<Value>) -> Value {
    let base = attachment(a, base_url);
    json!({
        "message_id": a.message_id,
        "thumb_url": base["thumb_url"],
        "data_url": base["data_url"],
        "file_size": a.byte_size,
        "file_type": base["file_type"],
        "extension": a.extension,
        "width": Value::Null,
        "height": Value::Null,
        "created_at": secs(a.created_at),
        "sender": sender,
    })
}

/// `{meta: {total_count}, payload}` of `GET …/conversations/{id}/attachments`.
pub fn list(total: i64, payload: Vec<Value>) -> Value {
    json!({"meta": {"total_count": total}, "payload": payload})
}
