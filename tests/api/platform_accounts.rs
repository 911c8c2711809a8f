//! Platform API: accounts.

use reqwest::Method;
use serde_json::json;

use crate::helpers::{assert_keys, error, spawn_app};

const ACCOUNT_KEYS: &[&str] = &[
    "id",
    "name",
    "locale",
    "domain",
    "support_email",
    "features",
    "custom_attributes",
    "limits",
    "status",
];

#[tokio::test]
async fn create_show_update_delete_account() {
    let app = spawn_app().await;
    let (_, token) = app.seed_platform_app("hub");
    let body = json!({"name": "Acme", "locale": "fr", "domain": "acme.test", "support_email": "Help@Acme.test",
        "limits": {"agents": 5}, "custom_attributes": {"plan": "pro"}, "features": {"sla": true, "macros": false}});
    let (status, created) = app
        .call(
            Method::POST,
            "/platform/api/v1/accounts",
            Some(&token),
            Some(body),
        )
        .await;
    assert_eq!(status, 200, "{created}");
    assert_keys(&created, ACCOUNT_KEYS);
    assert_eq!(created["name"], "Acme");
    assert_eq!(created["locale"], "fr");
    assert_eq!(created["support_email"], "help@acme.test");
    assert_eq!(created["status"], "active");
    assert_eq!(created["limits"], json!({"agents": 5}));
    assert_eq!(created["features"]["sla"], true);
    assert!(
        created["features"].get("macros").is_none(),
        "disabled feature is not listed"
    );
    assert_eq!(created["features"]["help_center"], true, "defaults stay enabled");
    let id = created["id"].as_i64().expect("id");
    let path = format!("/platform/api/v1/accounts/{id}");

    let (status, shown) = app.call(Method::GET, &path, Some(&token), None).await;
    assert_eq!((status, &shown), (200, &created));

    let (status, updated) = app
        .call(
            Method::PATCH,
            &path,
            Some(&token),
            Some(json!({"name": "Acme 2", "status": "suspended"})),
        )
        .await;
    assert_eq!(status, 200, "{updated}");
    assert_eq!(updated["name"], "Acme 2");
    assert_eq!(updated["status"], "suspended");
    assert_eq!(updated["locale"], "fr", "unchanged fields stay");

    let (status, body) = app.call(Method::DELETE, &path, Some(&token), None).await;
    assert_eq!((status, body), (200, serde_json::Value::Null));
    let (status, body) = app.call(Method::GET, &path, Some(&token), None).await;
    assert_eq!((status, body), (404, error("Resource could not be found")));
    assert_eq!(
        app.count("platform_app_permissibles"),
        0,
        "the permissible row went with the account"
    );
}

#[tokio::test]
async fn nested_body_is_accepted() {
    let app = spawn_app().await;
    let (_, token) = app.seed_platform_app("hub");
    let (status, created) = app
        .call(
            Method::POST,
            "/platform/api/v1/accounts",
            Some(&token),
            Some(json!({"account": {"name": "Nested"}})),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(created["name"], "Nested");
}

#[tokio::test]
async fn platform_token_is_required() {
    let app = spawn_app().await;
    let seeded = app.seed_account("Acme", "admin@acme.test");
    let invalid = error("Invalid access_token");
    for token in [None, Some("nope"), Some(seeded.token.as_str())] {
        let (status, body) = app
            .call(
                Method::POST,
                "/platform/api/v1/accounts",
                token,
                Some(json!({"name": "X"})),
            )
            .await;
        assert_eq!((status, &body), (401, &invalid), "token {token:?}");
        let path = format!("/platform/api/v1/accounts/{}", seeded.account_id);
        let (status, body) = app.call(Method::GET, &path, token, None).await;
        assert_eq!((status, &body), (401, &invalid));
    }
    assert_eq!(app.count("accounts"), 1);
}

#[tokio::test]
async fn apps_only_see_their_own_accounts() {
    let app = spawn_app().await;
    let (_, mine) = app.seed_platform_app("mine");
    let (_, other) = app.seed_platform_app("other");
    let seeded = app.seed_account("Made by setup", "admin@acme.test");
    let (_, created) = app
        .call(
            Method::POST,
            "/platform/api/v1/accounts",
            Some(&mine),
            Some(json!({"name": "Mine"})),
        )
        .await;
    let denied = error("Non permissible resource");
    for id in [created["id"].as_i64().expect("id"), seeded.account_id] {
        let path = format!("/platform/api/v1/accounts/{id}");
        for method in [Method::GET, Method::PATCH, Method::DELETE] {
            let (status, body) = app
                .call(
                    method.clone(),
                    &path,
                    Some(&other),
                    Some(json!({"name": "Stolen"})),
                )
                .await;
            assert_eq!((status, &body), (401, &denied), "{method} {path}");
        }
    }
    let (_, shown) = app
        .call(
            Method::GET,
            &format!("/platform/api/v1/accounts/{}", created["id"]),
            Some(&mine),
            None,
        )
        .await;
    assert_eq!(shown["name"], "Mine", "nothing was changed by the other app");
}

#[tokio::test]
async fn bad_input_is_rejected_without_writing() {
    let app = spawn_app().await;
    let (_, token) = app.seed_platform_app("hub");
    let cases = [
        (json!({}), 422),
        (json!({"name": ""}), 422),
        (json!({"name": 42}), 422),
        (json!({"name": "X", "status": "frozen"}), 422),
        (json!({"name": "X", "locale": "xx"}), 422),
        (json!({"name": "X", "features": {"no_such_feature": true}}), 422),
        (json!({"name": "X", "limits": "lots"}), 422),
        (json!({"name": "X", "support_email": "not-an-email"}), 422),
    ];
    for (body, expected) in cases {
        let (status, response) = app
            .call(
                Method::POST,
                "/platform/api/v1/accounts",
                Some(&token),
                Some(body.clone()),
            )
            .await;
        assert_eq!(status, expected, "{body} → {response}");
        assert!(
            response.get("message").is_some() || response.get("error").is_some(),
            "{response}"
        );
    }
    let (status, body) = app
        .call(Method::GET, "/platform/api/v1/accounts/99999", Some(&token), None)
        .await;
    assert_eq!((status, body), (404, error("Resource could not be found")));
    let (status, _) = app
        .call(Method::GET, "/platform/api/v1/accounts/abc", Some(&token), None)
        .await;
    assert_eq!(status, 404);
    let response = app
        .request(Method::POST, "/platform/api/v1/accounts", Some(&token))
        .header("content-type", "application/json")
        .body("{\"name\": ")
        .send()
        .await
        .expect("sent");
    let (status, body) = crate::helpers::read(response).await;
    assert_eq!(status, 400);
    assert!(
        body["error"]
            .as_str()
            .expect("error text")
            .contains("Malformed JSON")
    );
    assert_eq!(app.count("accounts"), 0);
    assert_eq!(app.count("platform_app_permissibles"), 0);
}

#[tokio::test]
async fn sql_looking_text_is_stored_verbatim() {
    let app = spawn_app().await;
    let (_, token) = app.seed_platform_app("hub");
    let name = "Robert'); DROP TABLE accounts;--";
    let (status, created) = app
        .call(
            Method::POST,
            "/platform/api/v1/accounts",
            Some(&token),
            Some(json!({"name": name})),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(created["name"], name);
    assert_eq!(app.count("accounts"), 1);
}
