//! Integration apps and hooks.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{denied, not_found, spawn_app, stable};

#[tokio::test]
async fn apps_and_hooks() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let a = t.admin.account_id;
    let (status, apps) = app
        .account_call(a, Method::GET, "/integrations/apps", &t.agent, None)
        .await;
    assert_eq!(status, 200);
    let ids: Vec<&str> = apps["payload"]
        .as_array()
        .expect("payload")
        .iter()
        .map(|x| x["id"].as_str().expect("id"))
        .collect();
    assert_eq!(
        ids,
        ["webhook", "dialogflow", "google_translate", "openai", "dyte"]
    );
    assert!(
        apps["payload"]
            .as_array()
            .expect("payload")
            .iter()
            .all(|x| x["enabled"] == false)
    );

    let (status, hook) = app
        .account_call(
            a,
            Method::POST,
            "/integrations/hooks",
            &t.admin.token,
            Some(json!({"app_id": "openai", "settings": {"api_key": "sk-secret", "label_suggestion": true}})),
        )
        .await;
    assert_eq!(status, 200, "{hook}");
    insta::assert_json_snapshot!("integration_hook_created", stable(&hook));
    assert!(
        hook["settings"].get("api_key").is_none(),
        "secrets are never echoed"
    );

    let (_, openai) = app
        .account_call(a, Method::GET, "/integrations/apps/openai", &t.agent, None)
        .await;
    assert_eq!(openai["enabled"], true);
    assert_eq!(openai["hooks"][0]["id"], hook["id"]);
    assert!(
        openai["hooks"][0].get("settings").is_none(),
        "agents do not see settings"
    );
    app.account_call(
        a,
        Method::POST,
        "/webhooks",
        &t.admin.token,
        Some(json!({"url": "https://h.test"})),
    )
    .await;
    let (_, webhook_app) = app
        .account_call(a, Method::GET, "/integrations/apps/webhook", &t.agent, None)
        .await;
    assert_eq!(
        webhook_app["enabled"], true,
        "the webhook app is enabled by webhooks"
    );

    let path = format!("/integrations/hooks/{}", hook["id"]);
    let (status, updated) = app
        .account_call(
            a,
            Method::PATCH,
            &path,
            &t.admin.token,
            Some(json!({"status": 0})),
        )
        .await;
    assert_eq!((status, updated["status"].clone()), (200, json!(false)));
    let (status, shown) = app
        .account_call(a, Method::GET, &path, &t.admin.token, None)
        .await;
    assert_eq!((status, &shown), (200, &updated));
    let (status, body) = app
        .account_call(a, Method::DELETE, &path, &t.admin.token, None)
        .await;
    assert_eq!((status, body), (200, Value::Null));
    let (status, body) = app
        .account_call(a, Method::GET, &path, &t.admin.token, None)
        .await;
    assert_eq!((status, body), (404, not_found()));
    let (status, _) = app
        .account_call(a, Method::GET, "/integrations/apps/slack", &t.agent, None)
        .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn inbox_hooks_and_validation() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let a = t.admin.account_id;
    let (_, inbox) = app
        .account_call(
            a,
            Method::POST,
            "/inboxes",
            &t.admin.token,
            Some(json!({"name": "API", "channel": {"type": "api"}})),
        )
        .await;
    let (status, hook) = app
        .account_call(a, Method::POST, "/integrations/hooks", &t.admin.token,
            Some(json!({"app_id": "dialogflow", "inbox_id": inbox["id"], "settings": {"project_id": "p", "credentials": {"k": 1}}})))
        .await;
    assert_eq!(status, 200, "{hook}");
    assert_eq!(hook["hook_type"], "inbox");
    assert_eq!(hook["inbox"], json!({"id": inbox["id"], "name": "API"}));
    app.account_call(
        a,
        Method::POST,
        "/integrations/hooks",
        &t.admin.token,
        Some(json!({"app_id": "dyte", "settings": {"api_key": "k", "organization_id": "o"}})),
    )
    .await;
    let cases = [
        json!({"app_id": "nope", "settings": {}}),
        json!({"app_id": "webhook", "settings": {}}),
        json!({"app_id": "dialogflow", "settings": {"project_id": "p", "credentials": "c"}}),
        json!({"app_id": "dialogflow", "inbox_id": inbox["id"], "settings": {"project_id": "p"}}),
        json!({"app_id": "dyte", "settings": {"api_key": "k", "organization_id": "o"}}),
        json!({"app_id": "openai", "settings": {"api_key": "k"}, "status": "sometimes"}),
    ];
    for body in cases {
        let (status, response) = app
            .account_call(
                a,
                Method::POST,
                "/integrations/hooks",
                &t.admin.token,
                Some(body.clone()),
            )
            .await;
        assert_eq!(status, 422, "{body} → {response}");
    }
    let (status, body) = app
        .account_call(
            a,
            Method::POST,
            "/integrations/hooks",
            &t.agent,
            Some(json!({"app_id": "openai", "settings": {"api_key": "k"}})),
        )
        .await;
    assert_eq!((status, body), (401, denied()));
    let path = format!("/integrations/hooks/{}", hook["id"]);
    for method in [Method::PATCH, Method::DELETE] {
        let (status, body) = app
            .account_call(a, method, &path, &t.agent, Some(json!({"status": 0})))
            .await;
        assert_eq!((status, body), (401, denied()));
    }
    assert_eq!(app.count("integrations_hooks"), 2);
}
