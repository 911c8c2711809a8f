//! Agents of an account.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{denied, error, not_found, spawn_app, spawn_app_with, stable};

#[tokio::test]
async fn invite_list_update_and_remove_agents() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let a = t.admin.account_id;
    let (status, agent) = app
        .account_call(a, Method::POST, "/agents", &t.admin.token,
            Some(json!({"agent": {"name": "Zed", "email": "Zed@Acme.test", "role": "agent", "availability": "busy", "auto_offline": false}})))
        .await;
    assert_eq!(status, 200, "{agent}");
    insta::assert_json_snapshot!("agent_created", stable(&agent));
    assert_eq!(agent["email"], "zed@acme.test");
    assert_eq!(agent["confirmed"], false, "invited, not yet confirmed");
    let hash: String = app
        .state
        .db
        .read_sync(|conn| {
            Ok(conn.query_row(
                "SELECT encrypted_password FROM users WHERE email = 'zed@acme.test'",
                [],
                |r| r.get(0),
            )?)
        })
        .expect("hash");
    assert!(
        hash.starts_with("$2"),
        "a random password nobody knows, bcrypt-hashed"
    );
    assert_eq!(agent["availability_status"], "busy");

    let (_, list) = app.account_call(a, Method::GET, "/agents", &t.agent, None).await;
    let names: Vec<&str> = list
        .as_array()
        .expect("array")
        .iter()
        .map(|a| a["name"].as_str().expect("name"))
        .collect();
    assert_eq!(names, ["Admin", "Member", "Zed"], "ordered by name");

    let path = format!("/agents/{}", agent["id"]);
    let (status, updated) = app
        .account_call(
            a,
            Method::PATCH,
            &path,
            &t.admin.token,
            Some(json!({"name": "Zed A", "role": "administrator", "availability": "offline"})),
        )
        .await;
    assert_eq!(status, 200, "{updated}");
    assert_eq!(
        (
            updated["name"].clone(),
            updated["role"].clone(),
            updated["availability_status"].clone()
        ),
        (json!("Zed A"), json!("administrator"), json!("offline"))
    );

    // Removal takes effect at once: the member's token no longer opens the account.
    let member_id = t.agent_id;
    let (_, team) = app
        .account_call(
            a,
            Method::POST,
            "/teams",
            &t.admin.token,
            Some(json!({"name": "crew"})),
        )
        .await;
    app.account_call(
        a,
        Method::POST,
        &format!("/teams/{}/team_members", team["id"]),
        &t.admin.token,
        Some(json!({"user_ids": [member_id]})),
    )
    .await;
    let (status, body) = app
        .account_call(
            a,
            Method::DELETE,
            &format!("/agents/{member_id}"),
            &t.admin.token,
            None,
        )
        .await;
    assert_eq!((status, body), (200, Value::Null));
    let (status, body) = app.account_call(a, Method::GET, "/agents", &t.agent, None).await;
    assert_eq!(
        (status, body),
        (401, error("Invalid Access Token")),
        "a user with no account left is deleted"
    );
    assert_eq!(app.count("team_members"), 0, "team seats go with the membership");
    let (status, body) = app
        .account_call(
            a,
            Method::DELETE,
            &format!("/agents/{member_id}"),
            &t.admin.token,
            None,
        )
        .await;
    assert_eq!((status, body), (404, not_found()));
}

#[tokio::test]
async fn removed_member_of_two_accounts_keeps_the_other() {
    let app = spawn_app().await;
    let acme = app.seed_team("Acme");
    let globex = app.seed_team("Globex");
    let (_, added) = app
        .account_call(
            globex.admin.account_id,
            Method::POST,
            "/agents",
            &globex.admin.token,
            Some(json!({"name": "Member", "email": "agent@acme.test"})),
        )
        .await;
    assert_eq!(
        added["id"], acme.agent_id,
        "an existing user is added, not duplicated"
    );
    app.account_call(
        acme.admin.account_id,
        Method::DELETE,
        &format!("/agents/{}", acme.agent_id),
        &acme.admin.token,
        None,
    )
    .await;
    let (status, body) = app
        .account_call(acme.admin.account_id, Method::GET, "/agents", &acme.agent, None)
        .await;
    assert_eq!(
        (status, body),
        (401, error("You are not authorized to access this account"))
    );
    let (status, _) = app
        .account_call(globex.admin.account_id, Method::GET, "/agents", &acme.agent, None)
        .await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn bulk_create_skips_bad_and_existing() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let a = t.admin.account_id;
    let (status, body) = app
        .account_call(
            a,
            Method::POST,
            "/agents/bulk_create",
            &t.admin.token,
            Some(json!({"emails": ["new1@acme.test", "not-an-email", "agent@acme.test", "new2@acme.test"]})),
        )
        .await;
    assert_eq!((status, body), (200, Value::Null));
    let (_, list) = app
        .account_call(a, Method::GET, "/agents", &t.admin.token, None)
        .await;
    assert_eq!(list.as_array().expect("array").len(), 4);
    let (status, _) = app
        .account_call(
            a,
            Method::POST,
            "/agents/bulk_create",
            &t.admin.token,
            Some(json!({})),
        )
        .await;
    assert_eq!(status, 422);
}

#[tokio::test]
async fn agent_rules_and_validation() {
    let app = spawn_app_with(|_| {}).await;
    let t = app.seed_team("Acme");
    let other = app.seed_team("Globex");
    let a = t.admin.account_id;
    for (method, path) in [
        (Method::POST, "/agents".to_string()),
        (Method::POST, "/agents/bulk_create".to_string()),
        (Method::PATCH, format!("/agents/{}", t.admin.user_id)),
        (Method::DELETE, format!("/agents/{}", t.admin.user_id)),
    ] {
        let (status, body) = app
            .account_call(
                a,
                method.clone(),
                &path,
                &t.agent,
                Some(json!({"name": "x", "email": "x@y.z", "emails": ["q@w.e"], "role": "agent"})),
            )
            .await;
        assert_eq!((status, body), (401, denied()), "{method} {path}");
    }
    for body in [
        json!({"name": "", "email": "a@b.c"}),
        json!({"name": "A", "email": "nope"}),
        json!({"name": "A"}),
        json!({"name": "A", "email": "agent@acme.test"}),
        json!({"name": "A", "email": "a@b.c", "role": "owner"}),
        json!({"name": "A", "email": "a@b.c", "availability": "asleep"}),
    ] {
        let (status, response) = app
            .account_call(a, Method::POST, "/agents", &t.admin.token, Some(body.clone()))
            .await;
        assert_eq!(status, 422, "{body} → {response}");
    }
    assert_eq!(app.count("users"), 4);
    let (status, _) = app
        .account_call(
            a,
            Method::PATCH,
            &format!("/agents/{}", other.agent_id),
            &t.admin.token,
            Some(json!({"role": "agent"})),
        )
        .await;
    assert_eq!(status, 404, "another account's agent");
}

#[tokio::test]
async fn agent_limit_is_a_402() {
    let app = spawn_app().await;
    let (_, platform) = app.seed_platform_app("hub");
    let (_, account) = app
        .call(
            Method::POST,
            "/platform/api/v1/accounts",
            Some(&platform),
            Some(json!({"name": "Small", "limits": {"agents": 1}})),
        )
        .await;
    let (_, user) = app
        .call(
            Method::POST,
            "/platform/api/v1/users",
            Some(&platform),
            Some(json!({"name": "Boss", "email": "boss@small.test", "password": "Passw0rd!"})),
        )
        .await;
    app.call(
        Method::POST,
        &format!("/platform/api/v1/accounts/{}/account_users", account["id"]),
        Some(&platform),
        Some(json!({"user_id": user["id"], "role": "administrator"})),
    )
    .await;
    let token = user["access_token"].as_str().expect("token");
    let (status, body) = app
        .account_call(
            account["id"].as_i64().expect("id"),
            Method::POST,
            "/agents",
            token,
            Some(json!({"name": "Two", "email": "two@small.test"})),
        )
        .await;
    assert_eq!(status, 402, "{body}");
    assert_eq!(app.count("users"), 1);
}
