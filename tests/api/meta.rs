//! `GET /api` and `GET /health`.

use reqwest::Method;

use crate::helpers::{assert_keys, spawn_app};

#[tokio::test]
async fn version_info() {
    let app = spawn_app().await;
    let (status, body) = app.call(Method::GET, "/api", None, None).await;
    assert_eq!(status, 200);
    assert_keys(
        &body,
        &[
            "version",
            "timestamp",
            "queue_services",
            "data_services",
            "parlor_version",
        ],
    );
    assert_eq!(body["data_services"], "ok");
    assert_eq!(body["timestamp"].as_str().expect("timestamp").len(), 19);
}

#[tokio::test]
async fn health() {
    let app = spawn_app().await;
    let (status, body) = app.call(Method::GET, "/health", None, None).await;
    assert_eq!((status, body), (200, serde_json::json!({"status": "woot"})));
}
