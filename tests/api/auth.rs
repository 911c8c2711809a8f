//! Cross-cutting request handling: failed-auth rate limiting, body limits, unknown routes.

use reqwest::Method;
use serde_json::json;

use crate::helpers::{error, spawn_app, spawn_app_with};

#[tokio::test]
async fn repeated_bad_tokens_are_rate_limited_but_good_ones_are_not() {
    let app = spawn_app_with(|config| config.auth_failure_limit = 5).await;
    let seeded = app.seed_account("Acme", "admin@acme.test");
    // Legitimate traffic never counts towards the limit.
    for _ in 0..20 {
        let (status, _) = app
            .call(Method::GET, "/api/v1/profile", Some(&seeded.token), None)
            .await;
        assert_eq!(status, 200);
    }
    for attempt in 0..5 {
        let (status, body) = app
            .call(
                Method::GET,
                "/api/v1/profile",
                Some(&format!("guess-{attempt}")),
                None,
            )
            .await;
        assert_eq!((status, body), (401, error("Invalid Access Token")));
    }
    let response = app
        .request(Method::GET, "/api/v1/profile", Some("guess-6"))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 429);
    assert!(response.headers().contains_key("retry-after"));
    let (status, _) = app
        .call(Method::GET, "/platform/api/v1/agent_bots", Some("guess-7"), None)
        .await;
    assert_eq!(status, 429, "the limit covers every token-checked route");
}

#[tokio::test]
async fn a_locked_out_address_still_lets_valid_tokens_through() {
    // Behind a proxy without --trust-proxy every user shares one address: one integration with a
    // stale token must not lock out the team.
    let app = spawn_app_with(|config| config.auth_failure_limit = 3).await;
    let seeded = app.seed_account("Acme", "admin@acme.test");
    for attempt in 0..3 {
        let (status, _) = app
            .call(
                Method::GET,
                "/api/v1/profile",
                Some(&format!("stale-{attempt}")),
                None,
            )
            .await;
        assert_eq!(status, 401);
    }
    let (status, _) = app
        .call(Method::GET, "/api/v1/profile", Some("stale-again"), None)
        .await;
    assert_eq!(status, 429, "further wrong guesses are slowed");
    let account = format!("/api/v1/accounts/{}/conversations", seeded.account_id);
    for path in ["/api/v1/profile", account.as_str()] {
        let (status, body) = app.call(Method::GET, path, Some(&seeded.token), None).await;
        assert_eq!(status, 200, "{path}: {body}");
    }
    let (status, _) = app
        .call(Method::GET, "/api/v1/profile", Some("stale-still"), None)
        .await;
    assert_eq!(status, 429, "a valid token does not reset the guesses");
}

#[tokio::test]
async fn forwarded_requests_without_trust_proxy_warn_once() {
    let app = spawn_app().await;
    let seeded = app.seed_account("Acme", "admin@acme.test");
    let (status, _) = app
        .call(Method::GET, "/api/v1/profile", Some(&seeded.token), None)
        .await;
    assert_eq!(status, 200);
    assert!(
        !app.state.proxy_warning.has_warned(),
        "no proxy header, no warning"
    );
    let response = app
        .request(Method::GET, "/api/v1/profile", Some(&seeded.token))
        .header("X-Forwarded-For", "203.0.113.9")
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 200);
    assert!(
        app.state.proxy_warning.has_warned(),
        "loopback peer forwarding → warning"
    );

    let trusting = spawn_app_with(|config| config.trust_proxy = true).await;
    let seeded = trusting.seed_account("Acme", "admin@acme.test");
    let response = trusting
        .request(Method::GET, "/api/v1/profile", Some(&seeded.token))
        .header("X-Forwarded-For", "203.0.113.9")
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 200);
    assert!(
        !trusting.state.proxy_warning.has_warned(),
        "trusted proxy: nothing to warn about"
    );
}

#[tokio::test]
async fn wrong_current_passwords_are_rate_limited() {
    let app = spawn_app_with(|config| config.auth_failure_limit = 3).await;
    let seeded = app.seed_account("Acme", "admin@acme.test");
    let attempt = json!({"profile": {"password": "N3w-Passw0rd", "current_password": "guess"}});
    for _ in 0..3 {
        let (status, _) = app
            .call(
                Method::PUT,
                "/api/v1/profile",
                Some(&seeded.token),
                Some(attempt.clone()),
            )
            .await;
        assert_eq!(status, 422);
    }
    let (status, _) = app
        .call(Method::PUT, "/api/v1/profile", Some(&seeded.token), Some(attempt))
        .await;
    assert_eq!(status, 429);
}

#[tokio::test]
async fn oversized_bodies_get_413_and_write_nothing() {
    let app = spawn_app().await;
    let (_, token) = app.seed_platform_app("hub");
    let huge = "x".repeat(1024 * 1024 + 10);
    let (status, body) = app
        .call(
            Method::POST,
            "/platform/api/v1/accounts",
            Some(&token),
            Some(json!({"name": huge})),
        )
        .await;
    assert_eq!(status, 413);
    assert!(body["error"].is_string());
    assert_eq!(app.count("accounts"), 0);
}

#[tokio::test]
async fn non_object_json_is_a_400() {
    let app = spawn_app().await;
    let (_, token) = app.seed_platform_app("hub");
    let (status, body) = app
        .call(
            Method::POST,
            "/platform/api/v1/accounts",
            Some(&token),
            Some(json!(["name"])),
        )
        .await;
    assert_eq!(status, 400);
    assert!(body["error"].is_string());
}

#[tokio::test]
async fn unknown_routes_are_json_404s() {
    let app = spawn_app().await;
    let seeded = app.seed_account("Acme", "admin@acme.test");
    for path in ["/api/v1/nothing", "/platform/api/v1/inboxes", "/../../etc/passwd"] {
        let (status, body) = app.call(Method::GET, path, Some(&seeded.token), None).await;
        assert_eq!(
            (status, body),
            (404, error("Resource could not be found")),
            "{path}"
        );
    }
}
