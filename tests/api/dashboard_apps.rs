//! `dashboard_apps` CRUD: frames validated as Chatwoot's JSON schema, per account, list bare.

use reqwest::Method;
use serde_json::json;

use crate::helpers::{assert_keys, error, no_credentials, not_found, spawn_app};

#[tokio::test]
async fn create_list_update_and_delete() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let other = app.seed_team("Globex");
    let a = t.admin.account_id;

    assert_eq!(
        app.account_call(a, Method::GET, "/dashboard_apps", &t.agent, None)
            .await,
        (200, json!([]))
    );
    let frames = json!([{"type": "frame", "url": "https://crm.example.com/panel", "ignored": true}]);
    let (status, created) = app
        .account_call(
            a,
            Method::POST,
            "/dashboard_apps",
            &t.agent,
            Some(json!({"dashboard_app": {"title": "CRM", "content": frames}})),
        )
        .await;
    assert_eq!(status, 200, "{created}");
    assert_keys(&created, &["id", "title", "content", "created_at"]);
    assert_eq!(created["title"], "CRM");
    assert_eq!(
        created["content"],
        json!([{"type": "frame", "url": "https://crm.example.com/panel"}])
    );
    assert!(
        created["created_at"].as_str().is_some_and(|s| s.ends_with('Z')),
        "{created}"
    );
    let id = created["id"].as_i64().expect("id");

    let (status, list) = app
        .account_call(a, Method::GET, "/dashboard_apps", &t.admin.token, None)
        .await;
    assert_eq!((status, list), (200, json!([created.clone()])));
    let (status, shown) = app
        .account_call(a, Method::GET, &format!("/dashboard_apps/{id}"), &t.agent, None)
        .await;
    assert_eq!((status, shown), (200, created.clone()));

    // Bad content or a blank title: Chatwoot's record-invalid answer, nothing written or changed.
    let bad = [
        json!({"title": "X", "content": []}),
        json!({"title": "X", "content": [{"type": "frame", "url": "javascript:alert(1)"}]}),
        json!({"title": "X", "content": [{"type": "link", "url": "https://a.test"}]}),
        json!({"title": "X", "content": {"type": "frame", "url": "https://a.test"}}),
        json!({"title": "X"}),
    ];
    for body in &bad {
        let answer = app
            .account_call(a, Method::POST, "/dashboard_apps", &t.agent, Some(body.clone()))
            .await;
        assert_eq!(
            answer,
            (
                422,
                json!({"message": "Content : Invalid data", "attributes": ["content"]})
            ),
            "{body}"
        );
        if body.get("content").is_some() {
            let answer = app
                .account_call(
                    a,
                    Method::PATCH,
                    &format!("/dashboard_apps/{id}"),
                    &t.agent,
                    Some(body.clone()),
                )
                .await;
            assert_eq!(answer.0, 422, "{body}");
        }
    }
    let answer = app
        .account_call(
            a,
            Method::POST,
            "/dashboard_apps",
            &t.agent,
            Some(json!({"title": " ", "content": frames})),
        )
        .await;
    assert_eq!(
        answer,
        (
            422,
            json!({"message": "Title can't be blank", "attributes": ["title"]})
        )
    );
    assert_eq!(app.count("dashboard_apps"), 1);
    let (_, unchanged) = app
        .account_call(a, Method::GET, &format!("/dashboard_apps/{id}"), &t.agent, None)
        .await;
    assert_eq!(unchanged, created);

    let (status, updated) = app
        .account_call(
            a,
            Method::PUT,
            &format!("/dashboard_apps/{id}"),
            &t.agent,
            Some(json!({"title": "CRM 2"})),
        )
        .await;
    assert_eq!(status, 200, "{updated}");
    assert_eq!(updated["title"], "CRM 2");
    assert_eq!(updated["content"], created["content"], "content kept");

    // Another account sees nothing of it.
    assert_eq!(
        app.account_call(
            other.admin.account_id,
            Method::GET,
            "/dashboard_apps",
            &other.admin.token,
            None
        )
        .await,
        (200, json!([]))
    );
    assert_eq!(
        app.account_call(
            a,
            Method::GET,
            &format!("/dashboard_apps/{id}"),
            &other.admin.token,
            None
        )
        .await,
        (401, error("You are not authorized to access this account"))
    );
    assert_eq!(
        app.account_call(
            other.admin.account_id,
            Method::DELETE,
            &format!("/dashboard_apps/{id}"),
            &other.admin.token,
            None
        )
        .await,
        (404, not_found())
    );
    let (status, body) = app
        .call(
            Method::GET,
            &format!("/api/v1/accounts/{a}/dashboard_apps"),
            None,
            None,
        )
        .await;
    assert_eq!((status, body), (401, no_credentials()));

    let (status, _) = app
        .account_call(
            a,
            Method::DELETE,
            &format!("/dashboard_apps/{id}"),
            &t.agent,
            None,
        )
        .await;
    assert_eq!(status, 204);
    assert_eq!(app.count("dashboard_apps"), 0);
    assert_eq!(
        app.account_call(a, Method::GET, &format!("/dashboard_apps/{id}"), &t.agent, None)
            .await,
        (404, not_found())
    );
}
