//! Audit trail of administrative changes.

use reqwest::Method;
use serde_json::json;

use crate::helpers::{denied, spawn_app, stable};

#[tokio::test]
async fn changes_are_audited_and_paged() {
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
    app.account_call(
        a,
        Method::PATCH,
        &format!("/labels/{}", label["id"]),
        &t.admin.token,
        Some(json!({"color": "#000000"})),
    )
    .await;
    app.account_call(
        a,
        Method::PATCH,
        "",
        &t.admin.token,
        Some(json!({"name": "Acme Inc"})),
    )
    .await;
    app.call(
        Method::PUT,
        "/api/v1/profile",
        Some(&t.admin.token),
        Some(json!({"profile": {"display_name": "Boss"}})),
    )
    .await;
    app.account_call(
        a,
        Method::DELETE,
        &format!("/labels/{}", label["id"]),
        &t.admin.token,
        None,
    )
    .await;

    let (status, page) = app
        .account_call(a, Method::GET, "/audit_logs", &t.admin.token, None)
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        (
            page["per_page"].clone(),
            page["total_entries"].clone(),
            page["current_page"].clone()
        ),
        (json!(15), json!(5), json!(1))
    );
    let logs = page["audit_logs"].as_array().expect("logs");
    let actions: Vec<(&str, &str)> = logs
        .iter()
        .map(|l| {
            (
                l["auditable_type"].as_str().expect("type"),
                l["action"].as_str().expect("action"),
            )
        })
        .collect();
    assert_eq!(
        actions,
        [
            ("Label", "destroy"),
            ("User", "update"),
            ("Account", "update"),
            ("Label", "update"),
            ("Label", "create")
        ]
    );
    assert_eq!(
        logs[3]["audited_changes"],
        json!({"color": ["#1f93ff", "#000000"]})
    );
    assert_eq!(logs[3]["version"], 2);
    assert_eq!(logs[0]["username"], "admin@acme.test");
    assert_eq!(logs[0]["remote_address"], "127.0.0.1");
    assert!(!logs[0]["request_uuid"].as_str().expect("request id").is_empty());
    insta::assert_json_snapshot!("audit_log_entry", stable(&logs[3]));

    for i in 0..20 {
        app.account_call(
            a,
            Method::POST,
            "/labels",
            &t.admin.token,
            Some(json!({"title": format!("l{i}")})),
        )
        .await;
    }
    let (_, second) = app
        .account_call(a, Method::GET, "/audit_logs?page=2", &t.admin.token, None)
        .await;
    assert_eq!(
        (
            second["current_page"].clone(),
            second["audit_logs"].as_array().map(Vec::len)
        ),
        (json!(2), Some(10))
    );
    let (_, junk) = app
        .account_call(a, Method::GET, "/audit_logs?page=abc", &t.admin.token, None)
        .await;
    assert_eq!(junk["current_page"], 1);
}

#[tokio::test]
async fn only_admins_read_audit_logs_and_failures_are_not_logged() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let a = t.admin.account_id;
    let (status, body) = app
        .account_call(a, Method::GET, "/audit_logs", &t.agent, None)
        .await;
    assert_eq!((status, body), (401, denied()));
    app.account_call(
        a,
        Method::POST,
        "/labels",
        &t.admin.token,
        Some(json!({"title": ""})),
    )
    .await;
    app.account_call(a, Method::POST, "/labels", &t.agent, Some(json!({"title": "ok"})))
        .await;
    assert_eq!(app.count("audit_logs"), 0);
}
