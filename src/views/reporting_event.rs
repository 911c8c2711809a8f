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
