//! Labels.

use reqwest::Method;
use serde_json::json;

use crate::helpers::{denied, not_found, spawn_app, stable};

#[tokio::test]
async fn admin_manages_labels_and_agents_list_them() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let a = t.admin.account_id;
    let (status, label) = app
        .account_call(
            a,
            Method::POST,
            "/labels",
            &t.admin.token,
            Some(json!({"label": {"title": "VIP", "description": "Big", "show_on_sidebar": true}})),
        )
        .await;
    assert_eq!(status, 200, "{label}");
    insta::assert_json_snapshot!("label_created", stable(&label));
    assert_eq!(label["title"], "vip", "titles are lowercased");
    assert_eq!(label["color"], "#1f93ff");
    app.account_call(
        a,
        Method::POST,
        "/labels",
        &t.admin.token,
        Some(json!({"title": "billing", "color": "#abc"})),
    )
    .await;

    let (status, list) = app.account_call(a, Method::GET, "/labels", &t.agent, None).await;
    assert_eq!(status, 200);
    let titles: Vec<&str> = list["payload"]
        .as_array()
        .expect("payload")
        .iter()
        .map(|l| l["title"].as_str().expect("title"))
        .collect();
    assert_eq!(titles, ["billing", "vip"], "ordered by title");

    let path = format!("/labels/{}", label["id"]);
    let (status, shown) = app
        .account_call(a, Method::GET, &path, &t.admin.token, None)
        .await;
    assert_eq!((status, &shown), (200, &label));
    let (status, updated) = app
        .account_call(
            a,
            Method::PATCH,
            &path,
            &t.admin.token,
            Some(json!({"color": "#000000", "title": "gold"})),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        (updated["title"].clone(), updated["color"].clone()),
        (json!("gold"), json!("#000000"))
    );
    let (status, _) = app
        .account_call(a, Method::DELETE, &path, &t.admin.token, None)
        .await;
    assert_eq!(status, 200);
    let (status, body) = app
        .account_call(a, Method::GET, &path, &t.admin.token, None)
        .await;
    assert_eq!((status, body), (404, not_found()));
}

#[tokio::test]
async fn agents_cannot_change_labels() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let a = t.admin.account_id;
    let (_, label) = app
        .account_call(
            a,
            Method::POST,
            "/labels",
            &t.admin.token,
            Some(json!({"title": "vip"})),
        )
        .await;
    let path = format!("/labels/{}", label["id"]);
    for (method, path) in [
        (Method::POST, "/labels"),
        (Method::GET, path.as_str()),
        (Method::PATCH, path.as_str()),
        (Method::DELETE, path.as_str()),
    ] {
        let (status, body) = app
            .account_call(
                a,
                method.clone(),
                path,
                &t.agent,
                Some(json!({"title": "hacked"})),
            )
            .await;
        assert_eq!((status, body), (401, denied()), "{method} {path}");
    }
    assert_eq!(app.count("labels"), 1);
}

#[tokio::test]
async fn label_validation() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let other = app.seed_team("Globex");
    let a = t.admin.account_id;
    app.account_call(
        a,
        Method::POST,
        "/labels",
        &t.admin.token,
        Some(json!({"title": "vip"})),
    )
    .await;
    let cases = [
        (
            json!({}),
            json!({"error": "param is missing or the value is empty: label"}),
        ),
        (
            json!({"title": ""}),
            json!({"message": "Title can't be blank", "attributes": ["title"]}),
        ),
        (
            json!({"title": "two words"}),
            json!({"message": "Title is invalid", "attributes": ["title"]}),
        ),
        (
            json!({"title": "x"}),
            json!({"message": "Title is invalid", "attributes": ["title"]}),
        ),
        (
            json!({"title": "VIP"}),
            json!({"message": "Title has already been taken", "attributes": ["title"]}),
        ),
        (
            json!({"title": "ok-1", "color": "red; background:url(x)"}),
            json!({"message": "Color must be a hex colour like #1f93ff", "attributes": ["color"]}),
        ),
        (
            json!({"title": "<script>"}),
            json!({"message": "Title is invalid", "attributes": ["title"]}),
        ),
    ];
    for (body, expected) in cases {
        let (status, response) = app
            .account_call(a, Method::POST, "/labels", &t.admin.token, Some(body.clone()))
            .await;
        assert_eq!((status, response), (422, expected), "{body}");
    }
    assert_eq!(app.count("labels"), 1);
    // The same title in another account is fine; its ids are invisible here.
    let (status, theirs) = app
        .account_call(
            other.admin.account_id,
            Method::POST,
            "/labels",
            &other.admin.token,
            Some(json!({"title": "vip"})),
        )
        .await;
    assert_eq!(status, 200);
    let (status, body) = app
        .account_call(
            a,
            Method::GET,
            &format!("/labels/{}", theirs["id"]),
            &t.admin.token,
            None,
        )
        .await;
    assert_eq!((status, body), (404, not_found()));
    let (status, _) = app
        .account_call(
            a,
            Method::DELETE,
            &format!("/labels/{}", theirs["id"]),
            &t.admin.token,
            None,
        )
        .await;
    assert_eq!(status, 404);
    assert_eq!(app.count("labels"), 2);
}
