//! Canned responses render as raw ActiveRecord JSON.

use serde_json::{Value, json};

use crate::db::canned_responses::CannedResponse;
use crate::domain::timestamps::iso;

/// `{id,content,short_code,created_at,updated_at,account_id}`
pub fn canned_response(row: &CannedResponse) -> Value {
    json!({
        "id": row.id,
        "content": row.content,
        "short_code": row.short_code,
        "created_at": iso(row.created_at),
        "updated_at": iso(row.updated_at),
        "account_id": row.account_id,
    })
}
