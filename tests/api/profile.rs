//! `/api/v1/profile`

use parlor::db::account_users::Role;
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, assert_keys, error, no_credentials, spawn_app};

const PROFILE_KEYS: &[&str] = &[
    "access_token",
    "account_id",
    "available_name",
    "avatar_url",
    "confirmed",
    "display_name",
    "message_signature",
    "email",
    "id",
    "inviter_id",
    "name",
    "provider",
    "pubsub_token",
    "role",
    "ui_settings",
    "uid",
    "type",
    "accounts",
];
const ACCOUNT_ITEM_KEYS: &[&str] = &[
    "id",
    "name",
    "status",
    "active_at",
    "role",
    "permissions",
    "availability",
    "availability_status",
    "auto_offline",
    "custom_role_id",
    "custom_role",
];

#[tokio::test]
async fn show_profile() {
    let app = spawn_app().await;
    let seeded = app.seed_account("Acme", "admin@acme.test");
    let (status, profile) = app
        .call(Method::GET, "/api/v1/profile", Some(&seeded.token), None)
        .await;
    assert_eq!(status, 200);
    assert_keys(&profile, PROFILE_KEYS);
    assert_eq!(profile["access_token"], seeded.token.as_str());
    assert_eq!(profile["account_id"], seeded.account_id);
    assert_eq!(profile["role"], "administrator");
    assert_keys(&profile["accounts"][0], ACCOUNT_ITEM_KEYS);
    assert_eq!(profile["accounts"][0]["permissions"], json!(["administrator"]));
    assert_eq!(profile["accounts"][0]["name"], "Acme");
    // The dashed header spelling works too.
    let response = app
        .client
        .get(format!("{}/api/v1/profile", app.address))
        .header("Api-Access-Token", &seeded.token)
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn update_profile_fields() {
    let app = spawn_app().await;
    let seeded = app.seed_account("Acme", "admin@acme.test");
    let body = json!({"profile": {"name": "Ada L", "display_name": "Ada", "email": "ADA@acme.test",
        "message_signature": "-- Ada", "ui_settings": {"theme": "dark"}, "availability": "busy"}});
    for method in [Method::PUT, Method::PATCH] {
        let (status, profile) = app
            .call(method, "/api/v1/profile", Some(&seeded.token), Some(body.clone()))
            .await;
        assert_eq!(status, 200, "{profile}");
        assert_eq!(profile["name"], "Ada L");
        assert_eq!(profile["available_name"], "Ada");
        assert_eq!(profile["email"], "ada@acme.test");
        assert_eq!(profile["message_signature"], "-- Ada");
        assert_eq!(profile["ui_settings"], json!({"theme": "dark"}));
        assert_eq!(profile["accounts"][0]["availability"], "busy");
    }
    // Flat bodies are wrapped under `profile` like Rails does.
    let (status, profile) = app
        .call(
            Method::PUT,
            "/api/v1/profile",
            Some(&seeded.token),
            Some(json!({"name": "Flat"})),
        )
        .await;
    assert_eq!((status, profile["name"].clone()), (200, json!("Flat")));
}

#[tokio::test]
async fn change_password_needs_current_password() {
    let app = spawn_app().await;
    let seeded = app.seed_account("Acme", "admin@acme.test");
    let (status, body) = app
        .call(
            Method::PUT,
            "/api/v1/profile",
            Some(&seeded.token),
            Some(
                json!({"profile": {"password": "N3w-Passw0rd", "password_confirmation": "N3w-Passw0rd",
                "current_password": "wrong", "name": "Should not stick"}}),
            ),
        )
        .await;
    assert_eq!((status, body), (422, error("Invalid current password")));
    let (_, profile) = app
        .call(Method::GET, "/api/v1/profile", Some(&seeded.token), None)
        .await;
    assert_eq!(profile["name"], "Admin", "nothing half-written");

    let (status, body) = app
        .call(
            Method::PUT,
            "/api/v1/profile",
            Some(&seeded.token),
            Some(
                json!({"profile": {"password": "N3w-Passw0rd", "password_confirmation": "different",
                "current_password": PASSWORD}}),
            ),
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(body["attributes"], json!(["password_confirmation"]));

    let (status, body) = app
        .call(
            Method::PUT,
            "/api/v1/profile",
            Some(&seeded.token),
            Some(json!({"profile": {"password": "weak", "current_password": PASSWORD}})),
        )
        .await;
    assert_eq!((status, body["attributes"].clone()), (422, json!(["password"])));

    let (status, _) = app
        .call(
            Method::PUT,
            "/api/v1/profile",
            Some(&seeded.token),
            Some(
                json!({"profile": {"password": "N3w-Passw0rd", "password_confirmation": "N3w-Passw0rd",
                "current_password": PASSWORD}}),
            ),
        )
        .await;
    assert_eq!(status, 200);
    let stored = app
        .state
        .db
        .read_sync(|conn| {
            Ok(conn.query_row(
                "SELECT encrypted_password FROM users WHERE id = ?1",
                [seeded.user_id],
                |r| r.get::<_, String>(0),
            )?)
        })
        .expect("hash");
    assert!(parlor::domain::password::verify("N3w-Passw0rd", &stored));
}

#[tokio::test]
async fn auth_failures() {
    let app = spawn_app().await;
    let seeded = app.seed_account("Acme", "admin@acme.test");
    let (status, body) = app.call(Method::GET, "/api/v1/profile", None, None).await;
    assert_eq!((status, body), (401, no_credentials()));
    let (status, body) = app
        .call(Method::GET, "/api/v1/profile", Some("not-a-token"), None)
        .await;
    assert_eq!((status, body), (401, error("Invalid Access Token")));
    let (status, body) = app
        .call(
            Method::PUT,
            "/api/v1/profile",
            Some("not-a-token"),
            Some(json!({"name": "x"})),
        )
        .await;
    assert_eq!((status, body), (401, error("Invalid Access Token")));
    let (_, platform) = app.seed_platform_app("hub");
    let (status, body) = app
        .call(Method::GET, "/api/v1/profile", Some(&platform), None)
        .await;
    assert_eq!(
        (status, body),
        (401, error("Access to this endpoint is not authorized for bots"))
    );
    let (_, other) = app.seed_member(seeded.account_id, "agent@acme.test", Role::Agent);
    let (_, profile) = app.call(Method::GET, "/api/v1/profile", Some(&other), None).await;
    assert_eq!(
        profile["email"], "agent@acme.test",
        "each token sees only its own profile"
    );
}

#[tokio::test]
async fn bad_input() {
    let app = spawn_app().await;
    let seeded = app.seed_account("Acme", "admin@acme.test");
    app.seed_member(seeded.account_id, "taken@acme.test", Role::Agent);
    let cases = [
        (
            json!({}),
            json!({"error": "param is missing or the value is empty: profile"}),
        ),
        (
            json!({"profile": {"email": "taken@acme.test", "name": "X"}}),
            json!({"message": "Email has already been taken", "attributes": ["email"]}),
        ),
        (
            json!({"profile": {"email": "broken", "name": "X"}}),
            json!({"message": "Email is invalid", "attributes": ["email"]}),
        ),
        (
            json!({"profile": {"name": ""}}),
            json!({"message": "Name can't be blank", "attributes": ["name"]}),
        ),
    ];
    for (body, expected) in cases {
        let (status, response) = app
            .call(
                Method::PUT,
                "/api/v1/profile",
                Some(&seeded.token),
                Some(body.clone()),
            )
            .await;
        assert_eq!((status, response), (422, expected), "{body}");
    }
    for body in [
        json!({"profile": {"availability": "asleep"}}),
        json!({"profile": {"ui_settings": "dark"}}),
    ] {
        let (status, _) = app
            .call(
                Method::PUT,
                "/api/v1/profile",
                Some(&seeded.token),
                Some(body.clone()),
            )
            .await;
        assert_eq!(status, 422, "{body}");
    }
    let (_, profile) = app
        .call(Method::GET, "/api/v1/profile", Some(&seeded.token), None)
        .await;
    assert_eq!(
        (profile["name"].clone(), profile["email"].clone()),
        (json!("Admin"), json!("admin@acme.test"))
    );
    assert_eq!(profile["ui_settings"], Value::Object(Default::default()));
}

#[tokio::test]
async fn set_availability_per_account() {
    let app = spawn_app().await;
    let seeded = app.seed_account("Acme", "admin@acme.test");
    let body = json!({"profile": {"availability": "offline", "account_id": seeded.account_id}});
    let (status, profile) = app
        .call(
            Method::POST,
            "/api/v1/profile/availability",
            Some(&seeded.token),
            Some(body),
        )
        .await;
    assert_eq!(status, 200, "{profile}");
    assert_eq!(profile["accounts"][0]["availability"], "offline");
    let other = app.seed_account("Globex", "admin@globex.test");
    let cases = [
        (
            json!({"profile": {"availability": "offline", "account_id": other.account_id}}),
            404,
        ),
        (
            json!({"profile": {"availability": "sleeping", "account_id": seeded.account_id}}),
            422,
        ),
        (json!({"profile": {"availability": "busy"}}), 422),
        (json!({}), 422),
    ];
    for (body, expected) in cases {
        let (status, _) = app
            .call(
                Method::POST,
                "/api/v1/profile/availability",
                Some(&seeded.token),
                Some(body.clone()),
            )
            .await;
        assert_eq!(status, expected, "{body}");
    }
    let (status, _) = app
        .call(
            Method::POST,
            "/api/v1/profile/availability",
            None,
            Some(json!({})),
        )
        .await;
    assert_eq!(status, 401);
    let (_, profile) = app
        .call(Method::GET, "/api/v1/profile", Some(&other.token), None)
        .await;
    assert_eq!(
        profile["accounts"][0]["availability"], "online",
        "another user's account is untouched"
    );
}
