//! The envelopes Chatwoot's jbuilder views wrap around resources: `{payload: …}` and the list
//! forms with a `meta` block before or after the rows.

use serde::Serialize;
use serde_json::{Value, json};

/// `{"payload": body}`: jbuilder's `json.payload`, the most common wrapper.
pub fn payload(body: impl Serialize) -> Value {
    json!({ "payload": body })
}

/// `{"payload": rows, "meta": meta}`: lists whose jbuilder writes the rows first.
pub fn payload_meta(rows: impl Serialize, meta: Value) -> Value {
    json!({ "payload": rows, "meta": meta })
}

/// `{"meta": meta, "payload": rows}`: lists whose jbuilder writes the meta block first.
pub fn meta_payload(meta: Value, rows: impl Serialize) -> Value {
    json!({ "meta": meta, "payload": rows })
}

/// `{"meta": meta}` alone (a list's counts without its rows).
pub fn meta(meta: Value) -> Value {
    json!({ "meta": meta })
}

/// `{"success": ok}` (bulk actions refusing a type).
pub fn success(ok: bool) -> Value {
    json!({ "success": ok })
}
