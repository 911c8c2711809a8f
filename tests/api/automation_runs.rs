//! Automation rules that run: conditions over the conversation, contact and message, actions
//! through the same services as the API, one transaction per rule, no rule loops.

use std::time::Duration;

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{Team, TestApp, spawn_app_with};
use crate::receiver::Receiver;

async fn rule(app: &TestApp, t: &Team, body: Value) -> Value {
    let (status, created) = app
        .account_call(
            t.admin.account_id,
            Method::POST,
            "/automation_rules",
            &t.admin.token,
            Some(body),
        )
        .await;
    assert_eq!(status, 200, "{created}");
    created
}

async fn conversation(app: &TestApp, t: &Team, display_id: i64) -> Value {
    app.account_call(
        t.admin.account_id,
        Method::GET,
        &format!("/conversations/{display_id}"),
        &t.admin.token,
        None,
    )
    .await
    .1
}

async fn messages(app: &TestApp, t: &Team, display_id: i64) -> Vec<Value> {
    let (_, body) = app
        .account_call(
            t.admin.account_id,
            Method::GET,
            &format!("/conversations/{display_id}/messages"),
            &t.admin.token,
            None,
        )
        .await;
    body["payload"].as_array().cloned().unwrap_or_default()
}

/// Poll (up to 5 s) until `check` holds.
async fn eventually<F: std::future::Future<Output = bool>>(mut check: impl FnMut() -> F) -> bool {
    for _ in 0..100 {
        if check().await {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    false
}

#[tokio::test]
async fn a_matching_message_runs_every_action_once() {
    let app = spawn_app_with(|config| config.allow_private_webhooks = true).await;
    let t = app.seed_team("Acme");
    let receiver = Receiver::start().await;
    let (inbox, contact) = app.seed_api_inbox_and_contact(&t).await;
    let created = rule(&app, &t, json!({"name": "Refunds", "event_name": "message_created",
        "conditions": [
            {"attribute_key": "content", "filter_operator": "contains", "values": ["refund"], "query_operator": "and"},
            {"attribute_key": "message_type", "filter_operator": "equal_to", "values": ["incoming"], "query_operator": null}],
        "actions": [
            {"action_name": "add_label", "action_params": ["billing"]},
            {"action_name": "send_message", "action_params": ["We got your refund request"]},
            {"action_name": "change_priority", "action_params": ["high"]},
            {"action_name": "send_webhook_event", "action_params": [receiver.url]}]})).await;
    let (_, c) = app
        .account_call(
            t.admin.account_id,
            Method::POST,
            "/conversations",
            &t.admin.token,
            Some(json!({"inbox_id": inbox, "contact_id": contact})),
        )
        .await;
    let id = c["id"].as_i64().expect("display id");
    let path = format!("/conversations/{id}/messages");
    // Not matching: outgoing, and no "refund".
    for body in [
        json!({"content": "refund policy", "message_type": "outgoing"}),
        json!({"content": "hello", "message_type": "incoming"}),
    ] {
        app.account_call(
            t.admin.account_id,
            Method::POST,
            &path,
            &t.admin.token,
            Some(body),
        )
        .await;
    }
    app.account_call(
        t.admin.account_id,
        Method::POST,
        &path,
        &t.admin.token,
        Some(json!({"content": "I want a REFUND", "message_type": "incoming"})),
    )
    .await;

    assert!(eventually(|| async { conversation(&app, &t, id).await["labels"] == json!(["billing"]) }).await);
    assert!(eventually(|| async { conversation(&app, &t, id).await["priority"] == "high" }).await);
    let hook = receiver.event("automation_event.message_created").await;
    assert_eq!(hook.json()["id"], id);
    assert_eq!(
        hook.json()["labels"],
        json!(["billing"]),
        "sent after the earlier actions"
    );
    let automated: Vec<Value> = messages(&app, &t, id)
        .await
        .into_iter()
        .filter(|m| m["content_attributes"]["automation_rule_id"] == created["id"])
        .collect();
    assert_eq!(automated.len(), 1, "{automated:?}");
    assert_eq!(automated[0]["content"], "We got your refund request");
    assert_eq!(automated[0]["message_type"], 1);
    let activity = messages(&app, &t, id).await;
    assert!(
        activity.iter().any(|m| m["content"]
            .as_str()
            .is_some_and(|c| c.contains("Automation System"))),
        "activities name the automation: {activity:?}"
    );
}

#[tokio::test]
async fn rule_actions_never_trigger_rules_again() {
    let app = spawn_app_with(|_| {}).await;
    let t = app.seed_team("Acme");
    let (inbox, contact) = app.seed_api_inbox_and_contact(&t).await;
    // Its own message matches its condition: without loop protection it would run forever.
    rule(&app, &t, json!({"name": "Echo", "event_name": "message_created",
        "conditions": [{"attribute_key": "content", "filter_operator": "contains", "values": ["ping"], "query_operator": null}],
        "actions": [{"action_name": "send_message", "action_params": ["ping back"]}]})).await;
    let (_, c) = app
        .account_call(
            t.admin.account_id,
            Method::POST,
            "/conversations",
            &t.admin.token,
            Some(json!({"inbox_id": inbox, "contact_id": contact, "message": {"content": "ping"}})),
        )
        .await;
    let id = c["id"].as_i64().expect("display id");
    assert!(
        eventually(|| async {
            messages(&app, &t, id)
                .await
                .iter()
                .any(|m| m["content"] == "ping back")
        })
        .await
    );
    tokio::time::sleep(Duration::from_millis(500)).await;
    let echoes = messages(&app, &t, id)
        .await
        .iter()
        .filter(|m| m["content"] == "ping back")
        .count();
    assert_eq!(echoes, 1);
}

#[tokio::test]
async fn status_rules_read_what_changed() {
    let app = spawn_app_with(|_| {}).await;
    let t = app.seed_team("Acme");
    let (inbox, contact) = app.seed_api_inbox_and_contact(&t).await;
    rule(
        &app,
        &t,
        json!({"name": "Closed", "event_name": "conversation_updated",
        "conditions": [{"attribute_key": "status", "filter_operator": "attribute_changed",
            "values": {"from": ["open"], "to": ["resolved"]}, "query_operator": null}],
        "actions": [{"action_name": "add_label", "action_params": ["closed"]}]}),
    )
    .await;
    rule(&app, &t, json!({"name": "Triage", "event_name": "conversation_created",
        "conditions": [{"attribute_key": "inbox_id", "filter_operator": "equal_to", "values": [inbox], "query_operator": null}],
        "actions": [{"action_name": "assign_agent", "action_params": [t.agent_id]}]})).await;
    let (_, c) = app
        .account_call(
            t.admin.account_id,
            Method::POST,
            "/conversations",
            &t.admin.token,
            Some(json!({"inbox_id": inbox, "contact_id": contact})),
        )
        .await;
    let id = c["id"].as_i64().expect("display id");
    assert!(
        eventually(|| async { conversation(&app, &t, id).await["meta"]["assignee"]["id"] == t.agent_id })
            .await
    );
    let path = format!("/conversations/{id}/toggle_status");
    app.account_call(
        t.admin.account_id,
        Method::POST,
        &path,
        &t.admin.token,
        Some(json!({"status": "pending"})),
    )
    .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        conversation(&app, &t, id).await["labels"],
        json!([]),
        "open → pending is not the change"
    );
    app.account_call(
        t.admin.account_id,
        Method::POST,
        &path,
        &t.admin.token,
        Some(json!({"status": "open"})),
    )
    .await;
    app.account_call(
        t.admin.account_id,
        Method::POST,
        &path,
        &t.admin.token,
        Some(json!({"status": "resolved"})),
    )
    .await;
    assert!(eventually(|| async { conversation(&app, &t, id).await["labels"] == json!(["closed"]) }).await);
}
