//! Label JSON (app/views/api/v1/models/_label.json.jbuilder).

use serde_json::{Value, json};

use crate::db::labels::Label;

/// `{id,title,description,color,show_on_sidebar}`
pub fn label(label: &Label) -> Value {
    json!({
        "id": label.id,
        "title": label.title,
        "description": label.description,
        "color": label.color,
        "show_on_sidebar": label.show_on_sidebar,
    })
}
