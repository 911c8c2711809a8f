//! Audit log JSON (enterprise/app/views/api/v1/accounts/audit_logs/index.json.jbuilder).

use serde_json::{Value, json};

use crate::db::audit_logs::AuditLog;
use crate::domain::timestamps::secs;

/// One entry.
pub fn audit_log(log: &AuditLog) -> Value {
    json!({
        "id": log.id,
        "auditable_id": log.auditable_id,
        "auditable_type": log.auditable_type,
        "auditable": log.auditable,
        "associated_id": log.associated_id,
        "associated_type": log.associated_type,
        "user_id": log.user_id,
        "user_type": log.user_type,
        "username": log.username,
        "action": log.action,
        "audited_changes": log.audited_changes,
        "version": log.version,
        "comment": log.comment,
        "request_uuid": log.request_uuid,
        "created_at": secs(log.created_at),
        "remote_address": log.remote_address,
    })
}

/// `{per_page, total_entries, current_page, audit_logs}` (the enterprise index, newest first).
pub fn page(rows: &[AuditLog], per_page: i64, total: i64, current_page: i64) -> Value {
    json!({
        "per_page": per_page,
        "total_entries": total,
        "current_page": current_page,
        "audit_logs": rows.iter().map(audit_log).collect::<Vec<_>>(),
    })
}
