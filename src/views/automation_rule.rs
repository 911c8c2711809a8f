//! Automation rule JSON (app/views/api/v1/accounts/automation_rules/_automation_rule.json.jbuilder).

use serde_json::{Value, json};

use crate::db::automation_rules::AutomationRule;
use crate::domain::timestamps::secs;

/// `{id,account_id,name,description,event_name,conditions,actions,created_on,active}`
pub fn automation_rule(rule: &AutomationRule) -> Value {
    json!({
        "id": rule.id,
        "account_id": rule.account_id,
        "name": rule.name,
        "description": rule.description,
        "event_name": rule.event_name,
        "conditions": rule.conditions,
        "actions": rule.actions,
        "created_on": secs(rule.created_at),
        "active": rule.active,
    })
}
