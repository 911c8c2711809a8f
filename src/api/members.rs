//! `user_ids` bodies of the team and inbox member endpoints.

use rusqlite::Connection;
use serde_json::{Map, Value};

use crate::db::agents;
use crate::error::{ApiError, ApiResult};

/// Read `user_ids` (numbers or numeric strings); absent → `param is missing` (422).
pub fn user_ids(attrs: &Map<String, Value>) -> ApiResult<Vec<i64>> {
    let Some(raw) = attrs.get("user_ids") else {
        return Err(ApiError::ParamMissing("user_ids".into()));
    };
    let items = match raw {
        Value::Array(items) => items.clone(),
        single => vec![single.clone()],
    };
    let mut ids: Vec<i64> = items
        .iter()
        .map(|item| match item {
            Value::Number(n) => n.as_i64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        })
        .collect::<Option<_>>()
        .ok_or(ApiError::InvalidUserIds)?;
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

/// Every id must be a user of the account (Chatwoot answers 401 "Invalid User IDs").
pub fn ensure_account_users(conn: &Connection, account_id: i64, ids: &[i64]) -> ApiResult<()> {
    let found = agents::find_many(conn, account_id, ids)?;
    if found.len() == ids.len() {
        Ok(())
    } else {
        Err(ApiError::InvalidUserIds)
    }
}
