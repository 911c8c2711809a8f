//! A webhook delivery as administrators see it (Parlor's delivery log; Chatwoot has none).

use serde_json::{Value, json};

use crate::db::event_deliveries::DeliveryRow;
use crate::domain::timestamps::iso;

/// `{id, delivery_id, event, url, status, attempts, response_status, error, next_attempt_at,
/// created_at, updated_at}`; `next_attempt_at` is null once the delivery is finished.
pub fn delivery(row: &DeliveryRow) -> Value {
    json!({
        "id": row.id,
        "delivery_id": row.uuid,
        "event": row.event,
        "url": row.url,
        "status": row.status,
        "attempts": row.attempts,
        "response_status": row.response_status,
        "error": row.last_error,
        "next_attempt_at": (row.status == "pending").then(|| iso(row.next_attempt_at)),
        "created_at": iso(row.created_at),
        "updated_at": iso(row.updated_at),
    })
}

/// `{"payload": [...], "meta": {"current_page"}}`
pub fn page(rows: &[DeliveryRow], current_page: i64) -> Value {
    json!({
        "payload": rows.iter().map(delivery).collect::<Vec<_>>(),
        "meta": {"current_page": current_page},
    })
}
