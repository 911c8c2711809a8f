//! Platform API: users and the SSO login link.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{assert_keys, error, spawn_app};

const USER_KEYS: &[&str] = &[
    "access_token",
    "account_id",
    "available_name",
    "avatar_url",
    "confirmed",
    "display_name",
    "message_signature",
    "email",
    "id",
    "name",
    "provider",
    "pubsub_token",
    "role",
    "ui_settings",
    "uid",
    "accounts",
];

fn new_user() -> Value {
    json!({"name": "Daniel", "display_name": "Dan", "email": "Daniel@Acme.inc", "password": "Passw0rd!",
           "custom_attributes": {"tier": "gold"}})
}

#[tokio::test]
async fn create_show_update_delete_user() {
    let app = spawn_app().await;
    let (_, token) = app.seed_platform_app("hub");
    let (status, user) = app
        .call(
            Method::POST,
            "/platform/api/v1/users",
            Some(&token),
            Some(new_user()),
        )
        .await;
    assert_eq!(status, 200, "{user}");
    let mut keys = USER_KEYS.to_vec();
    keys.push("custom_attributes");
    assert_keys(&user, &keys);
    assert_eq!(user["email"], "daniel@acme.inc");
    assert_eq!(user["uid"], "daniel@acme.inc");
    assert_eq!(user["available_name"], "Dan");
    assert_eq!(user["confirmed"], true);
    assert_eq!(user["accounts"], json!([]));
    assert_eq!(user["access_token"].as_str().expect("token").len(), 24);
    let path = format!("/platform/api/v1/users/{}", user["id"]);

    let (status, shown) = app.call(Method::GET, &path, Some(&token), None).await;
    assert_eq!((status, &shown), (200, &user));

    // The user's own token works on the Application API.
    let user_token = user["access_token"].as_str().expect("token");
    let (status, profile) = app
        .call(Method::GET, "/api/v1/profile", Some(user_token), None)
        .await;
    assert_eq!((status, profile["id"].clone()), (200, user["id"].clone()));

    let (status, updated) = app
        .call(Method::PATCH, &path, Some(&token),
            Some(json!({"name": "Daniel R", "custom_attributes": {"team": "blue"}, "password": "N3w-Passw0rd"})))
        .await;
    assert_eq!(status, 200, "{updated}");
    assert_eq!(updated["name"], "Daniel R");
    assert_eq!(
        updated["custom_attributes"],
        json!({"tier": "gold", "team": "blue"}),
        "merged"
    );

    let (status, body) = app.call(Method::DELETE, &path, Some(&token), None).await;
    assert_eq!((status, body), (200, Value::Null));
    let (status, _) = app.call(Method::GET, &path, Some(&token), None).await;
    assert_eq!(status, 404);
    let (status, _) = app
        .call(Method::GET, "/api/v1/profile", Some(user_token), None)
        .await;
    assert_eq!(status, 401, "a deleted user's token is dead");
}

#[tokio::test]
async fn existing_email_is_adopted_not_duplicated() {
    let app = spawn_app().await;
    let (_, first) = app.seed_platform_app("first");
    let (_, second) = app.seed_platform_app("second");
    let (_, created) = app
        .call(
            Method::POST,
            "/platform/api/v1/users",
            Some(&first),
            Some(new_user()),
        )
        .await;
    let (status, adopted) = app
        .call(
            Method::POST,
            "/platform/api/v1/users",
            Some(&second),
            Some(json!({"name": "Other", "email": "daniel@acme.inc"})),
        )
        .await;
    assert_eq!(status, 200, "{adopted}");
    assert_eq!(adopted["id"], created["id"]);
    assert_eq!(
        adopted["name"], "Daniel",
        "attributes of the existing user are kept"
    );
    assert_eq!(app.count("users"), 1);
    let (status, _) = app
        .call(
            Method::GET,
            &format!("/platform/api/v1/users/{}", created["id"]),
            Some(&second),
            None,
        )
        .await;
    assert_eq!(status, 200, "the adopting app may now manage the user");
}

#[tokio::test]
async fn sso_login_link() {
    let app = spawn_app().await;
    let (_, token) = app.seed_platform_app("hub");
    let (_, user) = app
        .call(
            Method::POST,
            "/platform/api/v1/users",
            Some(&token),
            Some(new_user()),
        )
        .await;
    let (status, body) = app
        .call(
            Method::GET,
            &format!("/platform/api/v1/users/{}/login", user["id"]),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(status, 200);
    assert_keys(&body, &["url"]);
    let url = body["url"].as_str().expect("url");
    let prefix = format!(
        "{}/app/login?email=daniel%40acme.inc&sso_auth_token=",
        app.address
    );
    assert!(url.starts_with(&prefix), "{url}");
    assert_eq!(url.len() - prefix.len(), 64);
    assert_eq!(app.count("sso_auth_tokens"), 1);
}

#[tokio::test]
async fn requires_token_and_ownership() {
    let app = spawn_app().await;
    let (_, mine) = app.seed_platform_app("mine");
    let (_, other) = app.seed_platform_app("other");
    let seeded = app.seed_account("Setup", "admin@acme.test");
    let (_, user) = app
        .call(
            Method::POST,
            "/platform/api/v1/users",
            Some(&mine),
            Some(new_user()),
        )
        .await;
    let (status, body) = app
        .call(Method::POST, "/platform/api/v1/users", None, Some(new_user()))
        .await;
    assert_eq!((status, body), (401, error("Invalid access_token")));
    for id in [user["id"].as_i64().expect("id"), seeded.user_id] {
        for (method, suffix) in [
            (Method::GET, ""),
            (Method::PATCH, ""),
            (Method::DELETE, ""),
            (Method::GET, "/login"),
        ] {
            let path = format!("/platform/api/v1/users/{id}{suffix}");
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
                "{method} {path}"
            );
            let (status, body) = app.call(method.clone(), &path, Some("wrong"), None).await;
            assert_eq!((status, body), (401, error("Invalid access_token")));
        }
    }
    let (_, shown) = app
        .call(
            Method::GET,
            &format!("/platform/api/v1/users/{}", user["id"]),
            Some(&mine),
            None,
        )
        .await;
    assert_eq!(shown["name"], "Daniel");
    assert_eq!(app.count("sso_auth_tokens"), 0);
}

#[tokio::test]
async fn bad_input() {
    let app = spawn_app().await;
    let (_, token) = app.seed_platform_app("hub");
    let cases = [
        json!({"email": "a@b.c", "password": "Passw0rd!"}),
        json!({"name": "A", "password": "Passw0rd!"}),
        json!({"name": "A", "email": "nope", "password": "Passw0rd!"}),
        json!({"name": "A", "email": "a@b.c"}),
        json!({"name": "A", "email": "a@b.c", "password": "password"}),
        json!({"name": ["A"], "email": "a@b.c", "password": "Passw0rd!"}),
    ];
    for body in cases {
        let (status, response) = app
            .call(
                Method::POST,
                "/platform/api/v1/users",
                Some(&token),
                Some(body.clone()),
            )
            .await;
        assert_eq!(status, 422, "{body} → {response}");
    }
    assert_eq!(app.count("users"), 0);
    let (_, a) = app
        .call(
            Method::POST,
            "/platform/api/v1/users",
            Some(&token),
            Some(new_user()),
        )
        .await;
    let (_, b) = app
        .call(
            Method::POST,
            "/platform/api/v1/users",
            Some(&token),
            Some(json!({"name": "B", "email": "b@acme.inc", "password": "Passw0rd!"})),
        )
        .await;
    let (status, response) = app
        .call(
            Method::PATCH,
            &format!("/platform/api/v1/users/{}", b["id"]),
            Some(&token),
            Some(json!({"email": "DANIEL@acme.inc", "name": "Changed"})),
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(
        response,
        json!({"message": "Email has already been taken", "attributes": ["email"]})
    );
    let (_, shown) = app
        .call(
            Method::GET,
            &format!("/platform/api/v1/users/{}", b["id"]),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(shown["name"], "B", "nothing half-written");
    assert_ne!(a["id"], b["id"]);
    let (status, _) = app
        .call(Method::GET, "/platform/api/v1/users/31337", Some(&token), None)
        .await;
    assert_eq!(status, 404);
}
