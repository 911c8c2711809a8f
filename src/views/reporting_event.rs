//! Reporting event JSON (`ReportingEvent#as_json`: columns, times as ISO strings).

use serde_json::{Value, json};

use crate::db::reporting_events::ReportingEvent;
use crate::domain::timestamps::iso;

/// One event.
pub fn reporting_event(e: &ReportingEvent) -> Value {
    json!({
        "id": e.id,
        "name": e.name,
        "value": e.value,
        "value_in_business_hours": e.value_in_business_hours,
        "event_start_time": iso(e.event_start_time),
        "event_end_time": iso(e.event_end_time),
        "account_id": e.account_id,
        "inbox_id": e.inbox_id,
        "user_id": e.user_id,
        "conversation_id": e.conversation_id,
        "created_at": iso(e.created_at),
        "updated_at": iso(e.updated_at),
    })
}

/// `{payload: [event], meta: {count, current_page, total_pages}}` of the account-wide list.
pub fn page(events: &[ReportingEvent], count: i64, current_page: i64, per_page: i64) -> Value {
    json!({
        "payload": events.iter().map(reporting_event).collect::<Vec<_>>(),
        "meta": {"count": count, "current_page": current_page, "total_pages": (count + per_page - 1) / per_page},
    })
}
