//! Agent JSON (app/views/api/v1/models/_agent.json.jbuilder).

use serde_json::{Value, json};

use crate::db::agents::Agent;

/// `{id,account_id,availability_status,auto_offline,confirmed,email,provider,available_name,
/// custom_attributes?,name,role,thumbnail,custom_role_id}`
pub fn agent(agent: &Agent) -> Value {
    let mut body = json!({
        "id": agent.id,
        "account_id": agent.account_id,
        "availability_status": agent.availability.as_str(),
        "auto_offline": agent.auto_offline,
        "confirmed": agent.confirmed,
        "email": agent.email,
        "provider": agent.provider,
        "available_name": agent.available_name(),
        "name": agent.name,
        "role": agent.role.as_str(),
        "thumbnail": "",
        "custom_role_id": Value::Null,
    });
    if !agent.custom_attributes.is_empty()
        && let Some(map) = body.as_object_mut()
    {
        map.insert(
            "custom_attributes".into(),
            Value::Object(agent.custom_attributes.clone()),
        );
    }
    body
}

/// A list of agents.
pub fn agents(agents: &[Agent]) -> Value {
    Value::Array(agents.iter().map(agent).collect())
}

/// The agent's push form (`push_event_data`): a message's `sender`, the messages list's
/// `meta.assignee`, the typer on `/cable`.
pub fn push(agent: &Agent) -> Value {
    json!({
        "id": agent.id,
        "name": agent.name,
        "available_name": agent.available_name(),
        "avatar_url": "",
        "type": "user",
        "availability_status": agent.availability.as_str(),
        "thumbnail": "",
    })
}
