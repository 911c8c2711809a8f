//! Custom filters: private to their owner.

use reqwest::Method;
use serde_json::json;

use crate::helpers::{not_found, spawn_app, stable};

fn query() -> serde_json::Value {
    json!({"payload": [{"attribute_key": "status", "filter_operator": "equal_to", "values": ["open"], "query_operator": null}]})
}

#[tokio::test]
async fn owners_manage_their_filters() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let a = t.admin.account_id;
    let (status, created) = app
        .account_call(
            a,
            Method::POST,
            "/custom_filters",
            &t.agent,
            Some(json!({"custom_filter": {"name": "Open ones", "type": "conversation", "query": query()}})),
        )
        .await;
    assert_eq!(status, 200, "{created}");
    insta::assert_json_snapshot!("custom_filter_created", stable(&created));
    assert_eq!(created["query"], query(), "stored as given");
    app.account_call(
        a,
        Method::POST,
        "/custom_filters",
        &t.agent,
        Some(json!({"name": "Contacts", "filter_type": "contact", "query": query()})),
    )
    .await;

    let (_, conversations) = app
        .account_call(a, Method::GET, "/custom_filters", &t.agent, None)
        .await;
    assert_eq!(
        conversations.as_array().expect("array").len(),
        1,
        "default filter_type is conversation"
    );
    let (_, contacts) = app
        .account_call(
            a,
            Method::GET,
            "/custom_filters?filter_type=contact",
            &t.agent,
            None,
        )
        .await;
    assert_eq!(contacts[0]["name"], "Contacts");
    let (_, admins) = app
        .account_call(a, Method::GET, "/custom_filters", &t.admin.token, None)
        .await;
    assert_eq!(
        admins,
        json!([]),
        "another user's filters are not listed, even for an administrator"
    );

    let path = format!("/custom_filters/{}", created["id"]);
    let (status, body) = app
        .account_call(a, Method::GET, &path, &t.admin.token, None)
        .await;
    assert_eq!((status, body), (404, not_found()));
    let (status, body) = app
        .account_call(
            a,
            Method::PATCH,
            &path,
            &t.admin.token,
            Some(json!({"name": "hijack"})),
        )
        .await;
    assert_eq!((status, body), (404, not_found()));
    let (status, updated) = app
        .account_call(
            a,
            Method::PATCH,
            &path,
            &t.agent,
            Some(json!({"name": "Renamed"})),
        )
        .await;
    assert_eq!((status, updated["name"].clone()), (200, json!("Renamed")));
    let (status, _) = app.account_call(a, Method::DELETE, &path, &t.agent, None).await;
    assert_eq!(status, 204);
}

#[tokio::test]
async fn filter_validation() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let a = t.admin.account_id;
    for body in [
        json!({}),
        json!({"name": "", "query": query()}),
        json!({"name": "x", "filter_type": "tickets", "query": query()}),
        json!({"name": "x", "query": "status=open"}),
        json!({"name": "x", "query": {}}),
    ] {
        let (status, response) = app
            .account_call(a, Method::POST, "/custom_filters", &t.agent, Some(body.clone()))
            .await;
        assert_eq!(status, 422, "{body} → {response}");
    }
    let (status, _) = app
        .account_call(
            a,
            Method::GET,
            "/custom_filters?filter_type=tickets",
            &t.agent,
            None,
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(app.count("custom_filters"), 0);
}
