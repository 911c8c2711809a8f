//! Account webhooks.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{denied, not_found, spawn_app, stable};

#[tokio::test]
async fn create_list_update_delete() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let a = t.admin.account_id;
    let (status, created) = app
        .account_call(a, Method::POST, "/webhooks", &t.admin.token,
            Some(json!({"webhook": {"url": "https://hooks.test/in", "name": "CRM", "subscriptions": ["message_created", "inbox_created"]}})))
        .await;
    assert_eq!(status, 200, "{created}");
    insta::assert_json_snapshot!("webhook_created", stable(&created));
    let hook = &created["payload"]["webhook"];
    let (_, defaulted) = app
        .account_call(
            a,
            Method::POST,
            "/webhooks",
            &t.admin.token,
            Some(json!({"url": "http://hooks.test/b"})),
        )
        .await;
    assert_eq!(
        defaulted["payload"]["webhook"]["subscriptions"]
            .as_array()
            .map(Vec::len),
        Some(8),
        "Chatwoot's default set"
    );

    let (status, list) = app
        .account_call(a, Method::GET, "/webhooks", &t.admin.token, None)
        .await;
    assert_eq!(status, 200);
    assert_eq!(list["payload"]["webhooks"].as_array().map(Vec::len), Some(2));

    let (_, inbox) = app
        .account_call(
            a,
            Method::POST,
            "/inboxes",
            &t.admin.token,
            Some(json!({"name": "API", "channel": {"type": "api"}})),
        )
        .await;
    let path = format!("/webhooks/{}", hook["id"]);
    let (status, updated) = app
        .account_call(
            a,
            Method::PATCH,
            &path,
            &t.admin.token,
            Some(json!({"subscriptions": ["contact_created"], "inbox_id": inbox["id"]})),
        )
        .await;
    assert_eq!(status, 200, "{updated}");
    assert_eq!(
        updated["payload"]["webhook"]["subscriptions"],
        json!(["contact_created"])
    );
    assert_eq!(
        updated["payload"]["webhook"]["inbox"],
        json!({"id": inbox["id"], "name": "API"})
    );
    let (status, body) = app
        .account_call(a, Method::DELETE, &path, &t.admin.token, None)
        .await;
    assert_eq!((status, body), (200, Value::Null));
    let (status, body) = app
        .account_call(a, Method::DELETE, &path, &t.admin.token, None)
        .await;
    assert_eq!((status, body), (404, not_found()));
}

#[tokio::test]
async fn webhook_rules() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let a = t.admin.account_id;
    app.account_call(
        a,
        Method::POST,
        "/webhooks",
        &t.admin.token,
        Some(json!({"url": "https://hooks.test/in"})),
    )
    .await;
    for (method, path) in [(Method::GET, "/webhooks"), (Method::POST, "/webhooks")] {
        let (status, body) = app
            .account_call(a, method, path, &t.agent, Some(json!({"url": "https://x.test"})))
            .await;
        assert_eq!((status, body), (401, denied()));
    }
    let cases = [
        (json!({"url": "ftp://hooks.test"}), "Url is invalid"),
        (
            json!({"url": "https://hooks.test/in"}),
            "Url has already been taken",
        ),
        (
            json!({"url": "https://hooks.test/2", "subscriptions": ["message_exploded"]}),
            "Subscriptions Invalid events",
        ),
        (
            json!({"url": "https://hooks.test/3", "subscriptions": []}),
            "Subscriptions Invalid events",
        ),
        (
            json!({"url": "https://hooks.test/4", "inbox_id": 4242}),
            "Inbox must exist",
        ),
    ];
    for (body, message) in cases {
        let (status, response) = app
            .account_call(a, Method::POST, "/webhooks", &t.admin.token, Some(body.clone()))
            .await;
        assert_eq!(
            (status, response["message"].clone()),
            (422, json!(message)),
            "{body}"
        );
    }
    let (status, _) = app
        .account_call(a, Method::POST, "/webhooks", &t.admin.token, Some(json!({})))
        .await;
    assert_eq!(status, 422);
    assert_eq!(app.count("webhooks"), 1);
}
