//! Platform API: agent bots.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{assert_keys, error, spawn_app};

const BOT_KEYS: &[&str] = &[
    "id",
    "name",
    "description",
    "outgoing_url",
    "account_id",
    "access_token",
    // The signing secret, for the app that owns the bot (newer Chatwoot releases).
    "secret",
];

#[tokio::test]
async fn create_list_show_update_delete_bot() {
    let app = spawn_app().await;
    let (_, token) = app.seed_platform_app("hub");
    let (_, account) = app
        .call(
            Method::POST,
            "/platform/api/v1/accounts",
            Some(&token),
            Some(json!({"name": "Acme"})),
        )
        .await;
    let body = json!({"name": "Helper", "description": "answers", "outgoing_url": "https://bots.test/hook", "account_id": account["id"]});
    let (status, bot) = app
        .call(
            Method::POST,
            "/platform/api/v1/agent_bots",
            Some(&token),
            Some(body),
        )
        .await;
    assert_eq!(status, 200, "{bot}");
    assert_keys(&bot, BOT_KEYS);
    assert_eq!(bot["account_id"], account["id"]);
    assert_eq!(
        bot["outgoing_url"], "Helper",
        "Chatwoot's platform view renders the name here"
    );
    assert_eq!(bot["access_token"].as_str().expect("token").len(), 24);
    let path = format!("/platform/api/v1/agent_bots/{}", bot["id"]);

    let (status, list) = app
        .call(Method::GET, "/platform/api/v1/agent_bots", Some(&token), None)
        .await;
    assert_eq!((status, list), (200, json!([bot.clone()])));
    let (status, shown) = app.call(Method::GET, &path, Some(&token), None).await;
    assert_eq!((status, &shown), (200, &bot));

    let (status, updated) = app
        .call(
            Method::PATCH,
            &path,
            Some(&token),
            Some(json!({"name": "Helper 2", "account_id": null})),
        )
        .await;
    assert_eq!(status, 200, "{updated}");
    assert_eq!(updated["name"], "Helper 2");
    assert_eq!(updated["account_id"], Value::Null);
    assert_eq!(updated["description"], "answers");

    let (status, body) = app.call(Method::DELETE, &path, Some(&token), None).await;
    assert_eq!((status, body), (200, Value::Null));
    let (status, _) = app.call(Method::GET, &path, Some(&token), None).await;
    assert_eq!(status, 404);
    assert_eq!(app.count("access_tokens WHERE owner_type = 'AgentBot'"), 0);
}

#[tokio::test]
async fn requires_token_and_ownership() {
    let app = spawn_app().await;
    let (_, mine) = app.seed_platform_app("mine");
    let (_, other) = app.seed_platform_app("other");
    let (_, bot) = app
        .call(
            Method::POST,
            "/platform/api/v1/agent_bots",
            Some(&mine),
            Some(json!({"name": "Mine"})),
        )
        .await;
    let (status, list) = app
        .call(Method::GET, "/platform/api/v1/agent_bots", Some(&other), None)
        .await;
    assert_eq!((status, list), (200, json!([])), "another app lists none of mine");
    let (status, body) = app
        .call(Method::GET, "/platform/api/v1/agent_bots", None, None)
        .await;
    assert_eq!((status, body), (401, error("Invalid access_token")));
    let path = format!("/platform/api/v1/agent_bots/{}", bot["id"]);
    for method in [Method::GET, Method::PATCH, Method::DELETE] {
        let (status, body) = app
            .call(
                method.clone(),
                &path,
                Some(&other),
                Some(json!({"name": "Stolen"})),
            )
            .await;
        assert_eq!(
            (status, body),
            (401, error("Non permissible resource")),
            "{method}"
        );
        let (status, body) = app.call(method.clone(), &path, None, None).await;
        assert_eq!((status, body), (401, error("Invalid access_token")));
    }
    // Attaching a bot to an account the app does not own is refused.
    let seeded = app.seed_account("Setup", "admin@acme.test");
    let (status, body) = app
        .call(
            Method::POST,
            "/platform/api/v1/agent_bots",
            Some(&mine),
            Some(json!({"name": "Spy", "account_id": seeded.account_id})),
        )
        .await;
    assert_eq!((status, body), (401, error("Non permissible resource")));
    assert_eq!(app.count("agent_bots"), 1);
}

#[tokio::test]
async fn bad_input() {
    let app = spawn_app().await;
    let (_, token) = app.seed_platform_app("hub");
    for body in [
        json!({}),
        json!({"name": ""}),
        json!({"name": "B", "outgoing_url": "javascript:alert(1)"}),
        json!({"name": "B", "account_id": 987}),
        json!({"name": "B", "account_id": "one"}),
    ] {
        let (status, response) = app
            .call(
                Method::POST,
                "/platform/api/v1/agent_bots",
                Some(&token),
                Some(body.clone()),
            )
            .await;
        assert_eq!(status, 422, "{body} → {response}");
    }
    assert_eq!(app.count("agent_bots"), 0);
    assert_eq!(app.count("access_tokens"), 1, "only the platform app's own token");
}
