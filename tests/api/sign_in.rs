//! `/auth/*` in devise_token_auth's wire format, and the session headers on API routes.

use base64::Engine;
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, TestApp, no_credentials, read, spawn_app, spawn_app_with};

/// The three headers the mobile app keeps, plus the body.
#[derive(Debug, Clone)]
pub struct Session {
    pub access_token: String,
    pub client: String,
    pub uid: String,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
}

/// Sign in with e-mail and password; panics unless it succeeds.
pub async fn sign_in(app: &TestApp, email: &str) -> Session {
    let response = app
        .client
        .post(format!("{}/auth/sign_in", app.address))
        .json(&json!({"email": email, "password": PASSWORD}))
        .send()
        .await
        .expect("sent");
    let headers = response.headers().clone();
    let (status, body) = read(response).await;
    assert_eq!(status, 200, "{body}");
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_else(|| panic!("header {name}"))
            .to_string()
    };
    Session {
        access_token: header("access-token"),
        client: header("client"),
        uid: header("uid"),
        headers,
        body,
    }
}

impl Session {
    /// A request carrying the session headers (as the mobile app sends them).
    pub fn request(&self, app: &TestApp, method: Method, path: &str) -> reqwest::RequestBuilder {
        app.client
            .request(method, format!("{}{}", app.address, path))
            .header("access-token", &self.access_token)
            .header("client", &self.client)
            .header("uid", &self.uid)
    }

    pub async fn call(&self, app: &TestApp, method: Method, path: &str, body: Option<Value>) -> (u16, Value) {
        let mut builder = self.request(app, method, path);
        if let Some(body) = body {
            builder = builder.json(&body);
        }
        read(builder.send().await.expect("sent")).await
    }
}

async fn attempt(app: &TestApp, body: Value) -> (u16, Value) {
    read(
        app.client
            .post(format!("{}/auth/sign_in", app.address))
            .json(&body)
            .send()
            .await
            .expect("sent"),
    )
    .await
}

fn invalid_login() -> Value {
    json!({"success": false, "errors": ["Invalid login credentials. Please try again."]})
}

#[tokio::test]
async fn signing_in_returns_the_user_and_devise_headers() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let session = sign_in(&app, " Agent@Acme.test ").await;
    let user = &session.body["data"];
    assert_eq!(user["id"], t.agent_id);
    assert_eq!(user["email"], "agent@acme.test");
    assert_eq!(user["uid"], "agent@acme.test");
    assert_eq!(user["account_id"], t.admin.account_id);
    assert_eq!(user["access_token"], t.agent.as_str(), "the personal API token");
    assert!(user["pubsub_token"].as_str().is_some_and(|t| !t.is_empty()));
    let account = &user["accounts"][0];
    for key in [
        "id",
        "name",
        "role",
        "permissions",
        "availability",
        "availability_status",
        "auto_offline",
        "active_at",
        "status",
    ] {
        assert!(account.get(key).is_some(), "accounts[0].{key} in {account}");
    }
    assert_eq!(account["permissions"], json!(["agent"]));

    let header = |name: &str| {
        session
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    assert_eq!(header("token-type").as_deref(), Some("Bearer"));
    assert_eq!(session.uid, "agent@acme.test");
    let expiry: i64 = header("expiry").expect("expiry").parse().expect("unix seconds");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs() as i64;
    assert!((expiry - now - 61 * 86_400).abs() < 60, "two months: {expiry}");
    let authorization = header("authorization").expect("authorization");
    let encoded = authorization.strip_prefix("Bearer ").expect("Bearer");
    let decoded: Value = serde_json::from_slice(
        &base64::engine::general_purpose::STANDARD
            .decode(encoded)
            .expect("base64"),
    )
    .expect("json");
    assert_eq!(
        decoded,
        json!({"access-token": session.access_token, "token-type": "Bearer", "client": session.client,
               "expiry": expiry.to_string(), "uid": "agent@acme.test"})
    );

    // The headers authenticate API calls, and are not rotated per request.
    for _ in 0..2 {
        let (status, profile) = session.call(&app, Method::GET, "/api/v1/profile", None).await;
        assert_eq!(status, 200, "{profile}");
        assert_eq!(profile["id"], t.agent_id);
    }
    let (status, inboxes) = session
        .call(
            &app,
            Method::GET,
            &format!("/api/v1/accounts/{}/inboxes", t.admin.account_id),
            None,
        )
        .await;
    assert_eq!(status, 200, "{inboxes}");
    // devise 1.2's Authorization form works alike.
    let (status, _) = read(
        app.client
            .get(format!("{}/api/v1/profile", app.address))
            .header("authorization", &authorization)
            .send()
            .await
            .expect("sent"),
    )
    .await;
    assert_eq!(status, 200);

    // validate_token
    let (status, validated) = session
        .call(&app, Method::GET, "/auth/validate_token", None)
        .await;
    assert_eq!(status, 200);
    assert_eq!(validated["payload"]["success"], true);
    assert_eq!(validated["payload"]["data"]["id"], t.agent_id);
    assert!(validated["payload"]["data"]["created_at"].is_string());
}

#[tokio::test]
async fn wrong_passwords_are_refused_and_counted() {
    let app = spawn_app_with(|config| config.auth_failure_limit = 3).await;
    let _t = app.seed_team("Acme");
    for body in [
        json!({"email": "agent@acme.test", "password": "wrong"}),
        json!({"email": "nobody@acme.test", "password": PASSWORD}),
        json!({"email": "agent@acme.test"}),
    ] {
        assert_eq!(attempt(&app, body).await, (401, invalid_login()));
    }
    // The limit is reached: even the right password waits now.
    let (status, body) = attempt(&app, json!({"email": "agent@acme.test", "password": PASSWORD})).await;
    assert_eq!(status, 429, "{body}");
    let (status, _) = read(
        app.client
            .get(format!("{}/auth/validate_token", app.address))
            .send()
            .await
            .expect("sent"),
    )
    .await;
    assert_eq!(status, 401);
}

#[tokio::test]
async fn bad_or_ended_sessions_get_devise_refusals() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let session = sign_in(&app, "agent@acme.test").await;

    let forged = Session {
        access_token: "forged".into(),
        ..session.clone()
    };
    assert_eq!(
        forged.call(&app, Method::GET, "/api/v1/profile", None).await,
        (401, no_credentials())
    );
    let other_client = Session {
        client: "another-device".into(),
        ..session.clone()
    };
    assert_eq!(
        other_client
            .call(&app, Method::GET, "/api/v1/profile", None)
            .await
            .0,
        401
    );
    assert_eq!(
        forged.call(&app, Method::GET, "/auth/validate_token", None).await,
        (
            401,
            json!({"success": false, "errors": ["Invalid login credentials"]})
        )
    );

    // Sign-out ends this session only.
    let second = sign_in(&app, "agent@acme.test").await;
    assert_eq!(
        session.call(&app, Method::DELETE, "/auth/sign_out", None).await,
        (200, json!({"success": true}))
    );
    assert_eq!(
        session.call(&app, Method::GET, "/api/v1/profile", None).await.0,
        401
    );
    assert_eq!(
        session.call(&app, Method::DELETE, "/auth/sign_out", None).await,
        (
            404,
            json!({"success": false, "errors": ["User was not found or was not logged in."]})
        )
    );
    assert_eq!(
        second.call(&app, Method::GET, "/api/v1/profile", None).await.0,
        200
    );

    // An expired session is refused.
    app.state
        .db
        .write_sync(|tx| -> Result<(), parlor::db::DbError> {
            tx.execute("UPDATE user_sessions SET expires_at = 1", [])?;
            Ok(())
        })
        .expect("expire");
    assert_eq!(
        second.call(&app, Method::GET, "/api/v1/profile", None).await.0,
        401
    );
    let _ = t;
}

#[tokio::test]
async fn a_password_change_ends_other_sessions_and_rotates_the_pubsub_token() {
    let app = spawn_app().await;
    let _t = app.seed_team("Acme");
    let phone = sign_in(&app, "agent@acme.test").await;
    let laptop = sign_in(&app, "agent@acme.test").await;
    let before = phone.body["data"]["pubsub_token"].clone();
    let (status, body) = laptop
        .call(
            &app,
            Method::PUT,
            "/api/v1/profile",
            Some(
                json!({"profile": {"current_password": PASSWORD, "password": "N3w-Passw0rd!",
                                    "password_confirmation": "N3w-Passw0rd!"}}),
            ),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        phone.call(&app, Method::GET, "/api/v1/profile", None).await.0,
        401
    );
    let (status, profile) = laptop.call(&app, Method::GET, "/api/v1/profile", None).await;
    assert_eq!(status, 200);
    assert_ne!(profile["pubsub_token"], before, "the pubsub token rotates");
}

#[tokio::test]
async fn a_user_keeps_at_most_25_sessions() {
    let app = spawn_app().await;
    let _t = app.seed_team("Acme");
    let first = sign_in(&app, "agent@acme.test").await;
    for _ in 0..25 {
        sign_in(&app, "agent@acme.test").await;
    }
    assert_eq!(app.count("user_sessions"), 25);
    assert_eq!(
        first.call(&app, Method::GET, "/api/v1/profile", None).await.0,
        401,
        "the oldest went"
    );
}
