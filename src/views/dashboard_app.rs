//! Dashboard app JSON (app/views/api/v1/models/_dashboard_app.json.jbuilder).

use serde_json::{Value, json};

use crate::db::dashboard_apps::DashboardApp;
use crate::domain::timestamps::iso;

/// `{id, title, content, created_at}`
pub fn dashboard_app(app: &DashboardApp) -> Value {
    json!({
        "id": app.id,
        "title": app.title,
        "content": app.content,
        "created_at": iso(app.created_at),
    })
}
