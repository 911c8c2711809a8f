//! `/api/v1/accounts/{account_id}`

use parlor::db::account_users::Role;
use reqwest::Method;
use serde_json::json;

use crate::helpers::{assert_keys, error, no_credentials, spawn_app};

const ACCOUNT_KEYS: &[&str] = &[
    "settings",
    "created_at",
    "domain",
    "features",
    "id",
    "locale",
    "name",
    "support_email",
    "status",
    "cache_keys",
    "latest_chatwoot_version",
];

#[tokio::test]
async fn members_see_the_account() {
    let app = spawn_app().await;
    let seeded = app.seed_account("Acme", "admin@acme.test");
    let (_, agent) = app.seed_member(seeded.account_id, "agent@acme.test", Role::Agent);
    let path = format!("/api/v1/accounts/{}", seeded.account_id);
    for token in [&seeded.token, &agent] {
        let (status, account) = app.call(Method::GET, &path, Some(token), None).await;
        assert_eq!(status, 200);
        assert_keys(&account, ACCOUNT_KEYS);
        assert_eq!(account["name"], "Acme");
        assert_eq!(account["features"]["help_center"], true);
        assert!(account["created_at"].as_str().expect("iso").ends_with('Z'));
    }
}

#[tokio::test]
async fn admins_update_the_account() {
    let app = spawn_app().await;
    let seeded = app.seed_account("Acme", "admin@acme.test");
    let path = format!("/api/v1/accounts/{}", seeded.account_id);
    let body = json!({"name": "Acme Inc", "locale": "de", "domain": "acme.test", "support_email": "help@acme.test",
        "auto_resolve_after": 1440, "auto_resolve_message": "Closing", "auto_resolve_ignore_waiting": true,
        "industry": "Retail", "company_size": "10-50", "timezone": "Europe/Berlin"});
    let (status, account) = app
        .call(Method::PATCH, &path, Some(&seeded.token), Some(body))
        .await;
    assert_eq!(status, 200, "{account}");
    let mut keys = ACCOUNT_KEYS.to_vec();
    keys.push("custom_attributes");
    assert_keys(&account, &keys);
    assert_eq!(account["name"], "Acme Inc");
    assert_eq!(account["locale"], "de");
    assert_eq!(
        account["settings"],
        json!({"auto_resolve_after": 1440, "auto_resolve_message": "Closing", "auto_resolve_ignore_waiting": true})
    );
    assert_eq!(
        account["custom_attributes"],
        json!({"industry": "Retail", "company_size": "10-50", "timezone": "Europe/Berlin"})
    );
    let (_, shown) = app.call(Method::GET, &path, Some(&seeded.token), None).await;
    assert_eq!(shown, account);
}

#[tokio::test]
async fn agents_may_not_update() {
    let app = spawn_app().await;
    let seeded = app.seed_account("Acme", "admin@acme.test");
    let (_, agent) = app.seed_member(seeded.account_id, "agent@acme.test", Role::Agent);
    let path = format!("/api/v1/accounts/{}", seeded.account_id);
    let (status, body) = app
        .call(
            Method::PATCH,
            &path,
            Some(&agent),
            Some(json!({"name": "Hijacked"})),
        )
        .await;
    assert_eq!(
        (status, body),
        (401, error("You are not authorized to do this action"))
    );
    let (_, account) = app.call(Method::GET, &path, Some(&seeded.token), None).await;
    assert_eq!(account["name"], "Acme");
}

#[tokio::test]
async fn outsiders_and_missing_tokens() {
    let app = spawn_app().await;
    let acme = app.seed_account("Acme", "admin@acme.test");
    let globex = app.seed_account("Globex", "admin@globex.test");
    let path = format!("/api/v1/accounts/{}", acme.account_id);
    for method in [Method::GET, Method::PATCH] {
        let (status, body) = app
            .call(method.clone(), &path, None, Some(json!({"name": "x"})))
            .await;
        assert_eq!((status, body), (401, no_credentials()));
        let (status, body) = app
            .call(method.clone(), &path, Some("bogus"), Some(json!({"name": "x"})))
            .await;
        assert_eq!((status, body), (401, error("Invalid Access Token")));
        let (status, body) = app
            .call(
                method.clone(),
                &path,
                Some(&globex.token),
                Some(json!({"name": "x"})),
            )
            .await;
        // Chatwoot finds the account among the user's own: another account's user gets 404.
        assert_eq!(
            (status, body),
            (404, error("Resource could not be found")),
            "{method}"
        );
    }
    let (status, body) = app
        .call(Method::GET, "/api/v1/accounts/4040", Some(&acme.token), None)
        .await;
    assert_eq!((status, body), (404, error("Resource could not be found")));
    let (_, account) = app.call(Method::GET, &path, Some(&acme.token), None).await;
    assert_eq!(account["name"], "Acme");
}

#[tokio::test]
async fn suspended_accounts_are_closed() {
    let app = spawn_app().await;
    let (_, platform) = app.seed_platform_app("hub");
    let (_, account) = app
        .call(
            Method::POST,
            "/platform/api/v1/accounts",
            Some(&platform),
            Some(json!({"name": "Acme"})),
        )
        .await;
    let (_, user) = app
        .call(
            Method::POST,
            "/platform/api/v1/users",
            Some(&platform),
            Some(json!({"name": "Bo", "email": "bo@acme.test", "password": "Passw0rd!"})),
        )
        .await;
    let members = format!("/platform/api/v1/accounts/{}/account_users", account["id"]);
    app.call(
        Method::POST,
        &members,
        Some(&platform),
        Some(json!({"user_id": user["id"], "role": "administrator"})),
    )
    .await;
    let token = user["access_token"].as_str().expect("token");
    let path = format!("/api/v1/accounts/{}", account["id"]);
    let (status, _) = app.call(Method::GET, &path, Some(token), None).await;
    assert_eq!(status, 200);
    app.call(
        Method::PATCH,
        &format!("/platform/api/v1/accounts/{}", account["id"]),
        Some(&platform),
        Some(json!({"status": "suspended"})),
    )
    .await;
    let (status, body) = app.call(Method::GET, &path, Some(token), None).await;
    assert_eq!((status, body), (401, error("Account is suspended")));
}

#[tokio::test]
async fn bad_input() {
    let app = spawn_app().await;
    let seeded = app.seed_account("Acme", "admin@acme.test");
    let path = format!("/api/v1/accounts/{}", seeded.account_id);
    for body in [
        json!({"name": ""}),
        json!({"locale": "klingon"}),
        json!({"auto_resolve_after": 5}),
        json!({"auto_resolve_after": "soon"}),
        json!({"support_email": "nope", "name": "Changed"}),
    ] {
        let (status, response) = app
            .call(Method::PATCH, &path, Some(&seeded.token), Some(body.clone()))
            .await;
        assert_eq!(status, 422, "{body} → {response}");
    }
    let (_, account) = app.call(Method::GET, &path, Some(&seeded.token), None).await;
    assert_eq!(account["name"], "Acme");
    assert_eq!(account["locale"], "en");
}
