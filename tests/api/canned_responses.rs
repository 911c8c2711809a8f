//! Canned responses.

use reqwest::Method;
use serde_json::json;

use crate::helpers::{not_found, spawn_app, stable};

#[tokio::test]
async fn any_member_manages_canned_responses() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let a = t.admin.account_id;
    let (status, created) = app
        .account_call(
            a,
            Method::POST,
            "/canned_responses",
            &t.agent,
            Some(json!({"canned_response": {"short_code": "greet", "content": "Hello there"}})),
        )
        .await;
    assert_eq!(status, 200, "{created}");
    insta::assert_json_snapshot!("canned_response_created", stable(&created));
    for (code, content) in [
        ("thanks", "Thanks for the greeting"),
        ("bye", "Goodbye"),
        ("agreet", "Another"),
    ] {
        app.account_call(
            a,
            Method::POST,
            "/canned_responses",
            &t.admin.token,
            Some(json!({"short_code": code, "content": content})),
        )
        .await;
    }
    let (_, all) = app
        .account_call(a, Method::GET, "/canned_responses", &t.agent, None)
        .await;
    assert_eq!(all.as_array().expect("array").len(), 4);
    let (_, found) = app
        .account_call(a, Method::GET, "/canned_responses?search=greet", &t.agent, None)
        .await;
    let codes: Vec<&str> = found
        .as_array()
        .expect("array")
        .iter()
        .map(|c| c["short_code"].as_str().expect("code"))
        .collect();
    assert_eq!(
        codes,
        ["greet", "agreet", "thanks"],
        "prefix, then short code contains, then content contains"
    );
    let (_, none) = app
        .account_call(a, Method::GET, "/canned_responses?search=%25", &t.agent, None)
        .await;
    assert_eq!(none, json!([]), "LIKE wildcards are literal");

    let path = format!("/canned_responses/{}", created["id"]);
    let (status, updated) = app
        .account_call(a, Method::PATCH, &path, &t.agent, Some(json!({"content": "Hi!"})))
        .await;
    assert_eq!((status, updated["content"].clone()), (200, json!("Hi!")));
    let (status, _) = app.account_call(a, Method::DELETE, &path, &t.agent, None).await;
    assert_eq!(status, 200);
    let (status, body) = app.account_call(a, Method::DELETE, &path, &t.agent, None).await;
    assert_eq!((status, body), (404, not_found()));
}

#[tokio::test]
async fn canned_response_validation() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let other = app.seed_team("Globex");
    let a = t.admin.account_id;
    app.account_call(
        a,
        Method::POST,
        "/canned_responses",
        &t.agent,
        Some(json!({"short_code": "hi", "content": "Hello"})),
    )
    .await;
    for (body, attribute) in [
        (json!({"short_code": "", "content": "x"}), "short_code"),
        (json!({"short_code": "new", "content": " "}), "content"),
        (json!({"short_code": "hi", "content": "dup"}), "short_code"),
    ] {
        let (status, response) = app
            .account_call(a, Method::POST, "/canned_responses", &t.agent, Some(body.clone()))
            .await;
        assert_eq!(
            (status, response["attributes"].clone()),
            (422, json!([attribute])),
            "{body}"
        );
    }
    let (status, _) = app
        .account_call(
            a,
            Method::POST,
            "/canned_responses",
            &t.agent,
            Some(json!({"short_code": 5, "content": "x"})),
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(app.count("canned_responses"), 1);
    let (_, theirs) = app
        .account_call(
            other.admin.account_id,
            Method::POST,
            "/canned_responses",
            &other.agent,
            Some(json!({"short_code": "x", "content": "y"})),
        )
        .await;
    let (status, _) = app
        .account_call(
            a,
            Method::PATCH,
            &format!("/canned_responses/{}", theirs["id"]),
            &t.agent,
            Some(json!({"content": "pwned"})),
        )
        .await;
    assert_eq!(status, 404);
}
