//! Shared pieces of the filter endpoints: paging and the account's custom attribute kinds.

use std::collections::HashMap;

use serde_json::Value;

use crate::api::body::JsonBody;
use crate::db::custom_attribute_definitions as definitions;
use crate::domain::custom_attributes::{DISPLAY_TYPES, enum_name};
use crate::domain::filters::CustomKind;
use crate::error::ApiResult;

/// `page` of a filter body (number or numeric string; 1 when absent or invalid).
pub fn page_of(body: &JsonBody) -> i64 {
    let raw = match body.0.get("page") {
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::String(s)) => s.clone(),
        _ => String::new(),
    };
    crate::api::page_number(Some(&raw))
}

/// Custom attribute keys of one model (0 conversation, 1 contact) with how they compare.
pub fn custom_kinds(
    conn: &rusqlite::Connection,
    account_id: i64,
    model: i64,
) -> ApiResult<HashMap<String, CustomKind>> {
    Ok(definitions::list(conn, account_id, Some(model))?
        .into_iter()
        .map(|d| {
            (
                d.attribute_key,
                CustomKind::from_display_type(enum_name(DISPLAY_TYPES, d.attribute_display_type)),
            )
        })
        .collect())
}
