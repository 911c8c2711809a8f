//! `GET /api` and `GET /health`.

use reqwest::Method;

use crate::helpers::{assert_keys, spawn_app};

#[tokio::test]
async fn version_info() {
    let app = spawn_app().await;
    let (status, body) = app.call(Method::GET, "/api", None, None).await;
    assert_eq!(status, 200);
    assert_keys(
        &body,
        &[
            "version",
            "timestamp",
            "queue_services",
            "data_services",
            "parlor_version",
        ],
    );
    assert_eq!(body["data_services"], "ok");
    assert_eq!(body["timestamp"].as_str().expect("timestamp").len(), 19);
}

#[tokio::test]
async fn health() {
    let app = spawn_app().await;
    let (status, body) = app.call(Method::GET, "/health", None, None).await;
    assert_eq!((status, body), (200, serde_json::json!({"status": "woot"})));
}

#[tokio::test]
async fn a_trailing_slash_reaches_the_same_route() {
    let app = crate::helpers::spawn_app().await;
    let t = app.seed_team("Acme");
    let a = t.admin.account_id;
    // Generated clients post to `…/inboxes/`; Rails routes ignore the slash.
    let (status, inbox) = app
        .call(
            reqwest::Method::POST,
            &format!("/api/v1/accounts/{a}/inboxes/"),
            Some(&t.admin.token),
            Some(serde_json::json!({"name": "API", "channel": {"type": "api"}})),
        )
        .await;
    assert_eq!(status, 200, "{inbox}");
    let (status, list) = app
        .call(
            reqwest::Method::GET,
            &format!("/api/v1/accounts/{a}/inboxes/"),
            Some(&t.admin.token),
            None,
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(list["payload"][0]["id"], inbox["id"]);
    let (_, platform) = app.seed_platform_app("hub");
    let (status, user) = app
        .call(
            reqwest::Method::POST,
            "/platform/api/v1/users/",
            Some(&platform),
            Some(serde_json::json!({"name": "Sam", "email": "sam@example.test", "password": "Passw0rd!x"})),
        )
        .await;
    assert_eq!(status, 200, "{user}");
    let (status, _) = app.call(reqwest::Method::GET, "/api/", None, None).await;
    assert_eq!(status, 200);
}
