//! Automation rules (storage and validation; execution comes with events).

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{denied, not_found, spawn_app, stable};

fn rule() -> Value {
    json!({"name": "Tag help", "description": "Label help requests", "event_name": "message_created",
        "conditions": [{"attribute_key": "content", "filter_operator": "contains", "values": ["help"], "query_operator": null}],
        "actions": [{"action_name": "add_label", "action_params": ["support"]}]})
}

#[tokio::test]
async fn crud_and_clone() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let a = t.admin.account_id;
    let (status, created) = app
        .account_call(a, Method::POST, "/automation_rules", &t.admin.token, Some(rule()))
        .await;
    assert_eq!(status, 200, "{created}");
    insta::assert_json_snapshot!("automation_rule_created", stable(&created));
    assert_eq!(created["active"], true);
    assert!(created.get("payload").is_none(), "create answers the bare rule");

    let path = format!("/automation_rules/{}", created["id"]);
    let (status, shown) = app
        .account_call(a, Method::GET, &path, &t.admin.token, None)
        .await;
    assert_eq!((status, &shown["payload"]), (200, &created));
    let (status, updated) = app
        .account_call(
            a,
            Method::PATCH,
            &path,
            &t.admin.token,
            Some(json!({"active": false, "name": "Off"})),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        (
            updated["payload"]["active"].clone(),
            updated["payload"]["name"].clone()
        ),
        (json!(false), json!("Off"))
    );
    let (status, copy) = app
        .account_call(a, Method::POST, &format!("{path}/clone"), &t.admin.token, None)
        .await;
    assert_eq!(status, 200);
    assert_ne!(copy["payload"]["id"], created["id"]);
    assert_eq!(copy["payload"]["conditions"], created["conditions"]);
    let (_, list) = app
        .account_call(a, Method::GET, "/automation_rules", &t.admin.token, None)
        .await;
    assert_eq!(list["payload"].as_array().map(Vec::len), Some(2));
    let (status, body) = app
        .account_call(a, Method::DELETE, &path, &t.admin.token, None)
        .await;
    assert_eq!((status, body), (200, Value::Null));
    let (status, body) = app
        .account_call(a, Method::GET, &path, &t.admin.token, None)
        .await;
    assert_eq!((status, body), (404, not_found()));
}

#[tokio::test]
async fn validation_and_roles() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let a = t.admin.account_id;
    let (status, body) = app
        .account_call(a, Method::GET, "/automation_rules", &t.agent, None)
        .await;
    assert_eq!((status, body), (401, denied()));
    let (status, body) = app
        .account_call(a, Method::POST, "/automation_rules", &t.agent, Some(rule()))
        .await;
    assert_eq!((status, body), (401, denied()));
    let mut unknown_key = rule();
    unknown_key["conditions"][0]["attribute_key"] = json!("foo");
    let (status, body) = app
        .account_call(
            a,
            Method::POST,
            "/automation_rules",
            &t.admin.token,
            Some(unknown_key),
        )
        .await;
    assert_eq!(
        (status, body),
        (
            422,
            json!({"error": {"conditions": ["Automation conditions foo not supported."]}})
        )
    );
    let mut other_event = rule();
    other_event["event_name"] = json!("contact_created");
    let (status, stored) = app
        .account_call(
            a,
            Method::POST,
            "/automation_rules",
            &t.admin.token,
            Some(other_event),
        )
        .await;
    assert_eq!(
        (status, &stored["event_name"]),
        (200, &json!("contact_created")),
        "Chatwoot stores any event name"
    );
    let mut bad_event = rule();
    bad_event["event_name"] = json!("");
    let mut bad_action = rule();
    bad_action["actions"] = json!([{"action_name": "launch_rockets"}]);
    let mut no_name = rule();
    no_name["name"] = json!("");
    for body in [bad_event, bad_action, no_name, json!({"name": "x"})] {
        let (status, response) = app
            .account_call(
                a,
                Method::POST,
                "/automation_rules",
                &t.admin.token,
                Some(body.clone()),
            )
            .await;
        assert_eq!(status, 422, "{body} → {response}");
        assert!(response["error"].is_object(), "{response}");
    }
    // A custom attribute key becomes a valid condition once defined.
    let mut custom = rule();
    custom["conditions"][0]["attribute_key"] = json!("plan");
    let (status, _) = app
        .account_call(
            a,
            Method::POST,
            "/automation_rules",
            &t.admin.token,
            Some(custom.clone()),
        )
        .await;
    assert_eq!(status, 422);
    app.account_call(a, Method::POST, "/custom_attribute_definitions", &t.admin.token,
        Some(json!({"attribute_display_name": "Plan", "attribute_key": "plan", "attribute_display_type": "text"}))).await;
    let (status, _) = app
        .account_call(a, Method::POST, "/automation_rules", &t.admin.token, Some(custom))
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        app.count("automation_rules"),
        2,
        "the contact_created rule and this one"
    );
}
