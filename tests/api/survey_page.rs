//! The CSAT survey page over plain HTTP (the no-JavaScript path): states, errors, escaping.

use reqwest::Method;
use serde_json::json;

use crate::helpers::{Team, TestApp, spawn_app};

/// A resolved conversation in a CSAT inbox; returns its survey page path.
pub async fn survey_path(app: &TestApp, t: &Team, csat_config: serde_json::Value) -> String {
    let a = t.admin.account_id;
    let (_, inbox) = app
        .account_call(a, Method::POST, "/inboxes", &t.admin.token,
            Some(json!({"name": "Acme Support", "csat_survey_enabled": true, "csat_config": csat_config, "channel": {"type": "api"}})))
        .await;
    let (_, contact) = app
        .account_call(
            a,
            Method::POST,
            "/contacts",
            &t.admin.token,
            Some(json!({"name": "Jo", "email": "jo@example.test"})),
        )
        .await;
    let (_, conversation) = app
        .account_call(
            a,
            Method::POST,
            "/conversations",
            &t.admin.token,
            Some(json!({"inbox_id": inbox["id"], "contact_id": contact["payload"]["contact"]["id"]})),
        )
        .await;
    app.account_call(
        a,
        Method::POST,
        &format!("/conversations/{}/toggle_status", conversation["id"]),
        &t.admin.token,
        Some(json!({"status": "resolved"})),
    )
    .await;
    format!(
        "/survey/responses/{}",
        conversation["uuid"].as_str().expect("uuid")
    )
}

async fn page(app: &TestApp, path: &str) -> (u16, String, reqwest::header::HeaderMap) {
    let response = app
        .client
        .get(format!("{}{path}", app.address))
        .send()
        .await
        .expect("sent");
    let (status, headers) = (response.status().as_u16(), response.headers().clone());
    (status, response.text().await.expect("html"), headers)
}

fn no_redirects() -> reqwest::Client {
    parlor::events::outgoing::install_crypto_provider();
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

#[tokio::test]
async fn rate_then_give_feedback_without_javascript() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let path = survey_path(
        &app,
        &t,
        json!({"message": "**How did we do?** <script>alert(1)</script>"}),
    )
    .await;
    let (status, html, headers) = page(&app, &path).await;
    assert_eq!(status, 200);
    assert!(
        headers["content-security-policy"]
            .to_str()
            .expect("csp")
            .contains("default-src 'none'")
    );
    assert!(
        html.contains("<strong>How did we do?</strong>"),
        "markdown rendered"
    );
    assert!(!html.contains("<script>alert"), "script in markdown is dropped");
    assert_eq!(html.matches("name=\"rating\"").count(), 5);
    assert!(html.contains("Acme Support"));

    let url = format!("{}{path}", app.address);
    let response = no_redirects()
        .post(&url)
        .form(&[("rating", "4")])
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], path.as_str());
    let (_, html, _) = page(&app, &path).await;
    assert!(html.contains("Thank you for submitting the rating"), "{html}");
    assert!(html.contains("<textarea"));
    let response = no_redirects()
        .post(&url)
        .form(&[("rating", "4"), ("feedback_message", "Fast <b>help</b>")])
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 303);
    let (_, html, _) = page(&app, &path).await;
    assert!(html.contains("Thank you for your feedback"));
    assert!(
        html.contains("Fast &lt;b&gt;help&lt;/b&gt;") || html.contains("Fast &#60;b&#62;help"),
        "feedback is escaped: {html}"
    );
    let stored: (i64, String) = app
        .state
        .db
        .read_sync(|c| {
            Ok(c.query_row(
                "SELECT rating, feedback_message FROM csat_survey_responses",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?)
        })
        .expect("row");
    assert_eq!(stored, (4, "Fast <b>help</b>".to_string()));
    let (_, metrics) = app
        .account_call(
            t.admin.account_id,
            Method::GET,
            "/csat_survey_responses/metrics",
            &t.admin.token,
            None,
        )
        .await;
    assert_eq!(
        metrics,
        json!({"total_count": 1, "ratings_count": {"4": 1}, "total_sent_messages_count": 1}),
        "the page's answer is in the reports"
    );

    let bad = no_redirects()
        .post(&url)
        .form(&[("rating", "9")])
        .send()
        .await
        .expect("sent");
    assert_eq!(bad.status(), 422);
    assert!(
        bad.text()
            .await
            .expect("html")
            .contains("Rating must be between 1 and 5")
    );
}

#[tokio::test]
async fn unknown_expired_and_localized_pages() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let (status, html, _) = page(&app, "/survey/responses/00000000-0000-4000-8000-000000000000").await;
    assert_eq!(status, 404);
    assert!(html.contains("Survey not found"));
    let (status, _, _) = page(&app, "/survey/responses/..%2F..%2Fetc%2Fpasswd").await;
    assert_eq!(status, 404);

    app.account_call(
        t.admin.account_id,
        Method::PATCH,
        "",
        &t.admin.token,
        Some(json!({"locale": "pt_BR"})),
    )
    .await;
    let path = survey_path(&app, &t, json!({"display_type": "star"})).await;
    let (_, html, _) = page(&app, &path).await;
    assert!(
        html.contains("lang=\"pt-BR\"") && html.contains("Avalie sua conversa"),
        "{html}"
    );
    assert!(html.contains("★★★★★"), "stars when configured");
    let old = parlor::db::now_ms() - 20 * 86_400_000;
    app.state
        .db
        .write_sync(|tx| -> Result<(), parlor::error::ApiError> {
            Ok(tx
                .execute(
                    "UPDATE messages SET created_at = ?1 WHERE content_type = 9",
                    [old],
                )
                .map(|_| ())?)
        })
        .expect("age");
    let (status, html, _) = page(&app, &path).await;
    assert_eq!(status, 200);
    assert!(html.contains("Esta pesquisa expirou") && !html.contains("name=\"rating\""));

    let (status, css, _) = page(&app, "/static/survey.css").await;
    assert_eq!(status, 200);
    assert!(css.contains("--brand"));
    let (status, _, _) = page(&app, "/brand/zzzzzz.css").await;
    assert_eq!(status, 404);
}
