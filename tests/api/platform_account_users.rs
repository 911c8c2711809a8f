//! Platform API: account users.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{assert_keys, error, spawn_app};

const ROW_KEYS: &[&str] = &[
    "id",
    "account_id",
    "user_id",
    "role",
    "inviter_id",
    "created_at",
    "updated_at",
    "active_at",
    "availability",
    "auto_offline",
    "custom_role_id",
];

#[tokio::test]
async fn add_list_change_and_remove_members() {
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
    let (_, user) = app
        .call(
            Method::POST,
            "/platform/api/v1/users",
            Some(&token),
            Some(json!({"name": "Bo", "email": "bo@acme.test", "password": "Passw0rd!"})),
        )
        .await;
    let path = format!("/platform/api/v1/accounts/{}/account_users", account["id"]);

    let (status, row) = app
        .call(
            Method::POST,
            &path,
            Some(&token),
            Some(json!({"user_id": user["id"], "role": "administrator"})),
        )
        .await;
    assert_eq!(status, 200, "{row}");
    assert_keys(&row, ROW_KEYS);
    assert_eq!(row["role"], "administrator");
    assert_eq!(row["user_id"], user["id"]);
    assert!(row["created_at"].as_str().expect("iso").ends_with('Z'));

    let (status, row) = app
        .call(
            Method::POST,
            &path,
            Some(&token),
            Some(json!({"user_id": user["id"], "role": "agent"})),
        )
        .await;
    assert_eq!(
        (status, row["role"].clone()),
        (200, json!("agent")),
        "role changed in place"
    );

    let (status, list) = app.call(Method::GET, &path, Some(&token), None).await;
    assert_eq!(status, 200);
    let list = list.as_array().expect("array");
    assert_eq!(list.len(), 1);
    assert_keys(&list[0], ROW_KEYS);

    let (_, shown) = app
        .call(
            Method::GET,
            &format!("/platform/api/v1/users/{}", user["id"]),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(shown["accounts"][0]["id"], account["id"]);
    assert_eq!(shown["role"], "agent");

    let (status, body) = app
        .call(
            Method::DELETE,
            &path,
            Some(&token),
            Some(json!({"user_id": user["id"]})),
        )
        .await;
    assert_eq!((status, body), (200, Value::Null));
    let (_, list) = app.call(Method::GET, &path, Some(&token), None).await;
    assert_eq!(list, json!([]));
}

#[tokio::test]
async fn requires_token_and_ownership() {
    let app = spawn_app().await;
    let (_, mine) = app.seed_platform_app("mine");
    let (_, other) = app.seed_platform_app("other");
    let seeded = app.seed_account("Setup", "admin@acme.test");
    let (_, account) = app
        .call(
            Method::POST,
            "/platform/api/v1/accounts",
            Some(&mine),
            Some(json!({"name": "Acme"})),
        )
        .await;
    let path = format!("/platform/api/v1/accounts/{}/account_users", account["id"]);
    for method in [Method::GET, Method::POST, Method::DELETE] {
        let body = Some(json!({"user_id": seeded.user_id, "role": "administrator"}));
        let (status, response) = app.call(method.clone(), &path, None, body.clone()).await;
        assert_eq!((status, response), (401, error("Invalid access_token")));
        let (status, response) = app
            .call(method.clone(), &path, Some(&seeded.token), body.clone())
            .await;
        assert_eq!(
            (status, response),
            (401, error("Invalid access_token")),
            "a user token is not a platform token"
        );
        let (status, response) = app.call(method.clone(), &path, Some(&other), body).await;
        assert_eq!(
            (status, response),
            (401, error("Non permissible resource")),
            "{method}"
        );
    }
    let setup_path = format!("/platform/api/v1/accounts/{}/account_users", seeded.account_id);
    let (status, _) = app.call(Method::GET, &setup_path, Some(&mine), None).await;
    assert_eq!(status, 401, "accounts made outside the app are not its own");
    let (status, _) = app
        .call(
            Method::GET,
            "/platform/api/v1/accounts/9999/account_users",
            Some(&mine),
            None,
        )
        .await;
    assert_eq!(status, 404);
    assert_eq!(app.count("account_users"), 1, "only the seeded admin");
}

#[tokio::test]
async fn bad_input() {
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
    let (_, user) = app
        .call(
            Method::POST,
            "/platform/api/v1/users",
            Some(&token),
            Some(json!({"name": "Bo", "email": "bo@acme.test", "password": "Passw0rd!"})),
        )
        .await;
    let path = format!("/platform/api/v1/accounts/{}/account_users", account["id"]);
    for body in [
        json!({}),
        json!({"user_id": 424242}),
        json!({"user_id": "x"}),
        json!({"user_id": user["id"], "role": "owner"}),
    ] {
        let (status, response) = app
            .call(Method::POST, &path, Some(&token), Some(body.clone()))
            .await;
        assert_eq!(status, 422, "{body} → {response}");
        assert!(response["message"].is_string(), "{response}");
    }
    assert_eq!(app.count("account_users"), 0);
}
