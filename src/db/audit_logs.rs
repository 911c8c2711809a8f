//! Reading `audit_logs` (written by services::audit).

use rusqlite::{Connection, Row, params};
use serde_json::Value;

use super::{CachedQuery, DbResult, json_column};

/// One audit entry.
#[derive(Debug, Clone)]
pub struct AuditLog {
    pub id: i64,
    pub account_id: i64,
    pub auditable_type: String,
    pub auditable_id: i64,
    pub auditable: Value,
    pub associated_type: Option<String>,
    pub associated_id: Option<i64>,
    pub user_id: Option<i64>,
    pub user_type: Option<String>,
    pub username: Option<String>,
    pub action: String,
    pub audited_changes: Value,
    pub version: i64,
    pub comment: Option<String>,
    pub remote_address: Option<String>,
    pub request_uuid: Option<String>,
    pub created_at: i64,
}

fn from_row(row: &Row) -> rusqlite::Result<(AuditLog, Option<String>, String)> {
    Ok((
        AuditLog {
            id: row.get(0)?,
            account_id: row.get(1)?,
            auditable_type: row.get(2)?,
            auditable_id: row.get(3)?,
            auditable: Value::Null,
            associated_type: row.get(5)?,
            associated_id: row.get(6)?,
            user_id: row.get(7)?,
            user_type: row.get(8)?,
            username: row.get(9)?,
            action: row.get(10)?,
            audited_changes: Value::Null,
            version: row.get(12)?,
            comment: row.get(13)?,
            remote_address: row.get(14)?,
            request_uuid: row.get(15)?,
            created_at: row.get(16)?,
        },
        row.get(4)?,
        row.get(11)?,
    ))
}

/// One page of the account's entries, newest first, and the total count.
pub fn page(conn: &Connection, account_id: i64, page: i64, per_page: i64) -> DbResult<(Vec<AuditLog>, i64)> {
    let total: i64 = conn.query_row_cached(
        "SELECT COUNT(*) FROM audit_logs WHERE account_id = ?1",
        [account_id],
        |r| r.get(0),
    )?;
    let mut stmt = conn.prepare_cached(
        "SELECT id, account_id, auditable_type, auditable_id, auditable, associated_type, associated_id, user_id, \
         user_type, username, action, audited_changes, version, comment, remote_address, request_uuid, created_at \
         FROM audit_logs WHERE account_id = ?1 ORDER BY id DESC LIMIT +?2 OFFSET +?3",
    )?;
    let rows = stmt
        .query_map(
            params![account_id, per_page, (page - 1).saturating_mul(per_page)],
            from_row,
        )?
        .map(|raw| {
            let (mut log, auditable, changes) = raw?;
            log.auditable = auditable
                .as_deref()
                .map(json_column)
                .transpose()?
                .unwrap_or(Value::Null);
            log.audited_changes = json_column(&changes)?;
            Ok(log)
        })
        .collect::<DbResult<Vec<_>>>()?;
    Ok((rows, total))
}

/// An audit entry to append; its version follows the object's previous entries.
#[derive(Debug)]
pub struct NewAuditLog<'a> {
    pub account_id: i64,
    pub auditable_type: &'a str,
    pub auditable_id: i64,
    pub auditable: Option<String>,
    pub user_id: i64,
    pub username: &'a str,
    pub action: &'a str,
    pub audited_changes: String,
    pub remote_address: &'a str,
    pub request_uuid: &'a str,
}

/// Append an audit entry, numbering it after the object's previous ones.
pub fn insert(conn: &Connection, entry: &NewAuditLog<'_>) -> DbResult<()> {
    let version: i64 = conn.query_row_cached(
        "SELECT COALESCE(MAX(version), 0) + 1 FROM audit_logs WHERE auditable_type = ?1 AND auditable_id = ?2",
        params![entry.auditable_type, entry.auditable_id],
        |row| row.get(0),
    )?;
    conn.execute(
        "INSERT INTO audit_logs (account_id, auditable_type, auditable_id, auditable, associated_type, \
         associated_id, user_id, user_type, username, action, audited_changes, version, remote_address, \
         request_uuid, created_at) \
         VALUES (?1, ?2, ?3, ?4, 'Account', ?1, ?5, 'User', ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![
            entry.account_id,
            entry.auditable_type,
            entry.auditable_id,
            entry.auditable,
            entry.user_id,
            entry.username,
            entry.action,
            entry.audited_changes,
            version,
            entry.remote_address,
            entry.request_uuid,
            super::now_ms(),
        ],
    )?;
    Ok(())
}
