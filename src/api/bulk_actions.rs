//! `POST /api/v1/accounts/{account_id}/bulk_actions` (Chatwoot's `BulkActionsController` and
//! `BulkActionsJob`): `{type: "Conversation", ids, fields: {status, assignee_id, team_id},
//! labels: {add, remove}, snoozed_until}` applied to every listed conversation the caller can
//! see, through the same services as the single-conversation endpoints (activity messages by
//! the caller). Chatwoot queues a job; Parlor applies each conversation in its own
//! transaction before answering 200 with an empty body.

use actix_web::HttpResponse;
use serde_json::{Map, Value};

use crate::api::body::JsonBody;
use crate::api::{Reply, State, head_ok};
use crate::auth::{AccountMember, ConversationCaller};
use crate::db::{agents, conversations, teams};
use crate::error::{ApiError, ApiResult};
use crate::services::conversations::{self as ops, can_view, parse_status};

/// What to do to each conversation, checked before anything is written.
#[derive(Debug, Clone, Default)]
struct Plan {
    ids: Vec<i64>,
    status: Option<i64>,
    snoozed_until: Option<i64>,
    assignee_id: Option<i64>,
    /// `Some(None)` removes the team (Chatwoot's dashboard sends 0).
    team_id: Option<Option<i64>>,
    add: Vec<String>,
    remove: Vec<String>,
}

fn int(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn strings(value: Option<&Value>) -> Vec<String> {
    value
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(Value::as_str)
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// Read the body; unknown statuses, assignees and teams are refused as Chatwoot's
/// `validate_assignment_targets` refuses them (422 `{"error": "Invalid assignee_id"}`).
fn plan(conn: &rusqlite::Connection, account_id: i64, body: &Map<String, Value>) -> ApiResult<Plan> {
    let fields = body
        .get("fields")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let labels = body
        .get("labels")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let mut plan = Plan {
        ids: body
            .get("ids")
            .and_then(Value::as_array)
            .map(|l| l.iter().filter_map(int).collect())
            .unwrap_or_default(),
        add: strings(labels.get("add")),
        remove: strings(labels.get("remove")),
        snoozed_until: body.get("snoozed_until").and_then(int),
        ..Plan::default()
    };
    match fields.get("status") {
        None | Some(Value::Null) => {}
        Some(Value::String(name)) => plan.status = Some(parse_status(name)?),
        Some(other) => return Err(ApiError::Unprocessable(format!("Invalid status {other}"))),
    }
    match fields.get("assignee_id") {
        None | Some(Value::Null) => {}
        Some(value) => match int(value) {
            Some(id) if agents::is_member(conn, account_id, id)? => plan.assignee_id = Some(id),
            _ => return Err(ApiError::Unprocessable("Invalid assignee_id".into())),
        },
    }
    match fields.get("team_id") {
        None | Some(Value::Null) => {}
        Some(value) => match int(value) {
            Some(0) => plan.team_id = Some(None),
            Some(id) if teams::find(conn, account_id, 0, id)?.is_some() => plan.team_id = Some(Some(id)),
            _ => return Err(ApiError::Unprocessable("Invalid team_id".into())),
        },
    }
    Ok(plan)
}

/// Apply the plan to one visible conversation (inside its transaction).
fn apply(
    tx: &rusqlite::Connection,
    caller: &ConversationCaller,
    display_id: i64,
    plan: &Plan,
) -> ApiResult<()> {
    let account_id = caller.account_id();
    let Some(c) = conversations::find(tx, account_id, display_id)? else {
        return Ok(());
    };
    if !can_view(tx, caller, &c)? {
        return Ok(());
    }
    if !plan.add.is_empty() || !plan.remove.is_empty() {
        let mut labels = conversations::labels(tx, c.id)?;
        labels.retain(|l| !plan.remove.contains(l));
        labels.extend(plan.add.iter().cloned());
        labels.sort();
        labels.dedup();
        ops::set_labels(tx, caller, &c, &labels)?;
    }
    let fresh = |tx: &rusqlite::Connection| -> ApiResult<_> {
        conversations::find(tx, account_id, display_id)?.ok_or(ApiError::NotFound)
    };
    if let Some(status) = plan.status {
        let c = fresh(tx)?;
        if c.status != status {
            let base_url = caller.viewer().base_url;
            ops::set_status(tx, caller, c, status, plan.snoozed_until, &base_url)?;
        }
    }
    if let Some(team_id) = plan.team_id {
        let body = Map::from_iter([("team_id".to_string(), Value::from(team_id))]);
        ops::assign(tx, caller, fresh(tx)?, &body)?;
    }
    if let Some(assignee_id) = plan.assignee_id {
        let body = Map::from_iter([("assignee_id".to_string(), Value::from(assignee_id))]);
        ops::assign(tx, caller, fresh(tx)?, &body)?;
    }
    Ok(())
}

/// `POST …/bulk_actions`
pub async fn create(state: State, member: AccountMember, body: JsonBody) -> Reply {
    let kind = body.0.get("type").and_then(Value::as_str).unwrap_or("");
    if !kind.eq_ignore_ascii_case("conversation") {
        return Ok(HttpResponse::UnprocessableEntity().json(crate::views::envelope::success(false)));
    }
    let account_id = member.account_id();
    let attrs = body.0.clone();
    let plan = state.db.read(move |conn| plan(conn, account_id, &attrs)).await?;
    let caller = ConversationCaller::from(member);
    for display_id in plan.ids.clone() {
        let (caller, plan) = (caller.clone(), plan.clone());
        let result = state
            .db
            .write(move |tx| apply(tx, &caller, display_id, &plan))
            .await;
        if let Err(err) = result {
            tracing::warn!(display_id, error = %err, "bulk action failed; the conversation was left unchanged");
        }
    }
    Ok(head_ok())
}
