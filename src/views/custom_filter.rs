//! Custom filter JSON.

use serde_json::{Value, json};

use crate::db::custom_filters::{CustomFilter, FILTER_TYPES};
use crate::domain::custom_attributes::enum_name;
use crate::domain::timestamps::iso;

/// `{id,name,filter_type,query,created_at,updated_at}`
pub fn custom_filter(filter: &CustomFilter) -> Value {
    json!({
        "id": filter.id,
        "name": filter.name,
        "filter_type": enum_name(FILTER_TYPES, filter.filter_type),
        "query": filter.query,
        "created_at": iso(filter.created_at),
        "updated_at": iso(filter.updated_at),
    })
}
