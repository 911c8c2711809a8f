//! Macro JSON (app/views/api/v1/models/_macro.json.jbuilder): creator and last editor as agent
//! JSON when they are still members of the account.

use std::collections::HashMap;

use serde_json::{Value, json};

use crate::db::agents::Agent;
use crate::db::macros::Macro;
use crate::domain::custom_attributes::enum_name;
use crate::domain::macros::VISIBILITIES;

/// `{id, name, visibility, created_by?, updated_by?, account_id, actions}`
pub fn macro_json(m: &Macro, agents: &HashMap<i64, Agent>) -> Value {
    let mut body = json!({"id": m.id, "name": m.name, "visibility": enum_name(VISIBILITIES, m.visibility)});
    if let Some(map) = body.as_object_mut() {
        for (key, id) in [("created_by", m.created_by_id), ("updated_by", m.updated_by_id)] {
            if let Some(agent) = id.and_then(|id| agents.get(&id)) {
                map.insert(key.into(), crate::views::agent::agent(agent));
            }
        }
        map.insert("account_id".into(), Value::from(m.account_id));
        map.insert("actions".into(), m.actions.clone());
    }
    body
}
