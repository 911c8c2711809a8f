//! `POST bulk_actions`: status, assignee, team and labels on many conversations at once, as the
//! caller, skipping conversations they cannot see; bad targets refused before anything changes.

use parlor::db::account_users::Role;
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{TestApp, error, no_credentials, spawn_app};

async fn conversation(app: &TestApp, a: i64, id: i64, token: &str) -> Value {
    app.account_call(a, Method::GET, &format!("/conversations/{id}"), token, None)
        .await
        .1
}

#[tokio::test]
async fn applies_fields_and_labels_to_visible_conversations() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let a = t.admin.account_id;
    let (_, first) = app.seed_conversation(&t).await;
    let (_, second) = app.seed_conversation(&t).await;
    let (_, team) = app
        .account_call(
            a,
            Method::POST,
            "/teams",
            &t.admin.token,
            Some(json!({"name": "Billing"})),
        )
        .await;
    let team_id = team["id"].as_i64().expect("team");
    app.account_call(
        a,
        Method::POST,
        &format!("/conversations/{first}/labels"),
        &t.agent,
        Some(json!({"labels": ["old", "keep"]})),
    )
    .await;
    // A conversation the agent cannot see (the agent leaves its inbox).
    let (hidden_inbox, hidden) = {
        let (inbox, id) = app.seed_conversation(&t).await;
        app.account_call(
            a,
            Method::PATCH,
            "/inbox_members",
            &t.admin.token,
            Some(json!({"inbox_id": inbox, "user_ids": []})),
        )
        .await;
        (inbox, id)
    };
    let hidden_before = conversation(&app, a, hidden, &t.admin.token).await;

    // Refused targets: nothing changes anywhere.
    let messages_before = app.count("messages");
    let refusals = [
        (
            json!({"type": "Conversation", "ids": [first], "fields": {"assignee_id": 999_999}}),
            error("Invalid assignee_id"),
        ),
        (
            json!({"type": "Conversation", "ids": [first], "fields": {"team_id": 999_999}}),
            error("Invalid team_id"),
        ),
        (
            json!({"type": "Conversation", "ids": [first], "fields": {"status": "closed"}}),
            error("Invalid status 'closed'. Allowed: open, resolved, pending, snoozed"),
        ),
        (
            json!({"type": "Inbox", "ids": [first]}),
            json!({"success": false}),
        ),
    ];
    for (body, expected) in refusals {
        let answer = app
            .account_call(a, Method::POST, "/bulk_actions", &t.agent, Some(body.clone()))
            .await;
        assert_eq!(answer, (422, expected), "{body}");
    }
    assert_eq!(app.count("messages"), messages_before);
    assert_eq!(
        conversation(&app, a, first, &t.agent).await["labels"],
        json!(["keep", "old"])
    );

    let body = json!({"type": "Conversation", "ids": [first, second, hidden, 999_999],
        "fields": {"status": "resolved", "assignee_id": t.admin.user_id, "team_id": team_id},
        "labels": {"add": ["vip"], "remove": ["old"]}});
    let answer = app
        .account_call(a, Method::POST, "/bulk_actions", &t.agent, Some(body))
        .await;
    assert_eq!(answer, (200, Value::Null));
    for (id, labels) in [(first, json!(["keep", "vip"])), (second, json!(["vip"]))] {
        let c = conversation(&app, a, id, &t.admin.token).await;
        assert_eq!(c["status"], "resolved", "{c}");
        assert_eq!(c["labels"], labels);
        assert_eq!(c["meta"]["assignee"]["id"], t.admin.user_id);
        assert_eq!(c["meta"]["team"]["id"], team_id);
    }
    let (_, page) = app
        .account_call(
            a,
            Method::GET,
            &format!("/conversations/{first}/messages"),
            &t.admin.token,
            None,
        )
        .await;
    let activities: Vec<String> = page["payload"]
        .as_array()
        .expect("messages")
        .iter()
        .filter(|m| m["message_type"] == 2)
        .filter_map(|m| m["content"].as_str().map(str::to_string))
        .collect();
    for text in [
        "Member added vip",
        "Member removed old",
        "Conversation was marked resolved by Member",
        "Assigned to billing by Member",
        "Assigned to Admin by Member",
    ] {
        assert!(activities.iter().any(|a| a == text), "{text} in {activities:?}");
    }
    assert_eq!(
        conversation(&app, a, hidden, &t.admin.token).await["labels"],
        hidden_before["labels"]
    );
    assert_eq!(
        conversation(&app, a, hidden, &t.admin.token).await["status"],
        hidden_before["status"]
    );
    let _ = hidden_inbox;

    // Reopening is a plain status change: the agent is not assigned (toggle_status would).
    let answer = app
        .account_call(
            a,
            Method::POST,
            "/bulk_actions",
            &t.agent,
            Some(json!({"type": "Conversation", "ids": [first], "fields": {"status": "open"}})),
        )
        .await;
    assert_eq!(answer.0, 200);
    let c = conversation(&app, a, first, &t.agent).await;
    assert_eq!(
        (&c["status"], &c["meta"]["assignee"]["id"]),
        (&json!("open"), &json!(t.admin.user_id))
    );

    // Team 0 removes the team.
    let answer = app
        .account_call(
            a,
            Method::POST,
            "/bulk_actions",
            &t.admin.token,
            Some(json!({"type": "Conversation", "ids": [second], "fields": {"team_id": 0}})),
        )
        .await;
    assert_eq!(answer.0, 200);
    assert!(
        conversation(&app, a, second, &t.admin.token).await["meta"]
            .get("team")
            .is_none()
    );

    let (status, body) = app
        .call(
            Method::POST,
            &format!("/api/v1/accounts/{a}/bulk_actions"),
            None,
            Some(json!({"type": "Conversation", "ids": [first]})),
        )
        .await;
    assert_eq!((status, body), (401, no_credentials()));
    let other = app.seed_team("Globex");
    let answer = app
        .account_call(
            a,
            Method::POST,
            "/bulk_actions",
            &other.admin.token,
            Some(json!({"type": "Conversation", "ids": [first], "fields": {"status": "open"}})),
        )
        .await;
    assert_eq!(
        answer,
        (401, error("You are not authorized to access this account"))
    );
    // Another account's member cannot reach these conversations through their own account.
    let (_, outsider) = app.seed_member(other.admin.account_id, "x@globex.test", Role::Administrator);
    app.account_call(
        other.admin.account_id,
        Method::POST,
        "/bulk_actions",
        &outsider,
        Some(json!({"type": "Conversation", "ids": [first], "fields": {"status": "resolved"}})),
    )
    .await;
    assert_eq!(
        conversation(&app, a, first, &t.admin.token).await["status"],
        "open"
    );
}
