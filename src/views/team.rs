//! Team JSON (app/views/api/v1/models/_team.json.jbuilder).

use serde_json::{Value, json};

use crate::db::teams::Team;

/// `{id,name,description,allow_auto_assign,account_id,is_member}`
pub fn team(team: &Team) -> Value {
    json!({
        "id": team.id,
        "name": team.name,
        "description": team.description,
        "allow_auto_assign": team.allow_auto_assign,
        "account_id": team.account_id,
        "is_member": team.is_member,
    })
}
