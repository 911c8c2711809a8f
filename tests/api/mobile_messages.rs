//! What the mobile app's reply box relies on: `echo_id` comes back on the created message, in
//! the REST answer and in the `message.created` broadcast (JSON and multipart), so the app can
//! replace its optimistic bubble; `translate` answers a clear 422 (no provider).

use reqwest::Method;
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

use crate::cable_client::{Cable, agent_identifier};
use crate::helpers::{Team, TestApp, denied, error, no_credentials, not_found, read, spawn_app};

/// The admin's socket, subscribed to their RoomChannel.
async fn admin_socket(app: &TestApp, t: &Team) -> Cable {
    let (_, profile) = app
        .call(Method::GET, "/api/v1/profile", Some(&t.admin.token), None)
        .await;
    let token = profile["pubsub_token"].as_str().expect("pubsub").to_string();
    let mut cable = Cable::open_welcomed(app).await;
    cable
        .subscribe_confirmed(&agent_identifier(&token, t.admin.account_id, t.admin.user_id))
        .await;
    cable
}

/// The next `message.created` whose content is `content`.
async fn created_with(cable: &mut Cable, content: &str) -> Value {
    loop {
        let (message, _) = cable.until_event("message.created").await;
        if message["data"]["content"] == content {
            return message["data"].clone();
        }
    }
}

#[tokio::test]
async fn echo_id_comes_back_in_the_answer_and_the_broadcast() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let (_, id) = app.seed_conversation(&t).await;
    let mut cable = admin_socket(&app, &t).await;
    let path = format!("/conversations/{id}/messages");

    let (status, sent) = app
        .account_call(
            t.admin.account_id,
            Method::POST,
            &path,
            &t.agent,
            Some(json!({"content": "On it", "echo_id": "temp-42", "private": false})),
        )
        .await;
    assert_eq!(status, 200, "{sent}");
    assert_eq!(sent["echo_id"], "temp-42");
    let pushed = created_with(&mut cable, "On it").await;
    assert_eq!(pushed["echo_id"], "temp-42", "{pushed}");
    assert_eq!(pushed["id"], sent["id"]);
    assert_eq!(pushed["conversation_id"], id);
    assert_eq!(pushed["account_id"], t.admin.account_id);
    assert!(pushed["conversation"]["unread_count"].is_i64(), "{pushed}");
    assert!(pushed["conversation"]["last_activity_at"].is_i64(), "{pushed}");

    // Multipart, as the app sends attachments: echo_id is a form field.
    let form = Form::new()
        .text("content", "Photo")
        .text("echo_id", "temp-43")
        .part(
            "attachments[]",
            Part::bytes(b"\x89PNG\r\n\x1a\n".to_vec())
                .file_name("shot.png")
                .mime_str("image/png")
                .expect("mime"),
        );
    let response = app
        .client
        .post(format!(
            "{}/api/v1/accounts/{}{path}",
            app.address, t.admin.account_id
        ))
        .header("api_access_token", &t.agent)
        .multipart(form)
        .send()
        .await
        .expect("sent");
    let (status, sent) = read(response).await;
    assert_eq!(status, 200, "{sent}");
    assert_eq!(sent["echo_id"], "temp-43");
    assert_eq!(sent["attachments"].as_array().map(Vec::len), Some(1));
    let pushed = created_with(&mut cable, "Photo").await;
    assert_eq!(pushed["echo_id"], "temp-43", "{pushed}");
    assert_eq!(pushed["attachments"].as_array().map(Vec::len), Some(1));

    // Without one, the key is absent (Chatwoot merges it only when set).
    let (_, plain) = app
        .account_call(
            t.admin.account_id,
            Method::POST,
            &path,
            &t.agent,
            Some(json!({"content": "Plain"})),
        )
        .await;
    assert!(plain.get("echo_id").is_none(), "{plain}");
    let pushed = created_with(&mut cable, "Plain").await;
    assert!(pushed.get("echo_id").is_none(), "{pushed}");
}

#[tokio::test]
async fn translate_says_no_provider_is_configured() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let a = t.admin.account_id;
    let (_, id) = app.seed_conversation(&t).await;
    let (_, page) = app
        .account_call(
            a,
            Method::GET,
            &format!("/conversations/{id}/messages"),
            &t.agent,
            None,
        )
        .await;
    let message = page["payload"][0]["id"].as_i64().expect("message");
    let path = format!("/conversations/{id}/messages/{message}/translate");
    let body = Some(json!({"target_language": "fr"}));

    let (status, answer) = app
        .account_call(a, Method::POST, &path, &t.agent, body.clone())
        .await;
    assert_eq!(status, 422);
    assert_eq!(
        answer,
        error("Message translation is not available: no translation provider is configured on this server")
    );
    let (status, answer) = app
        .account_call(
            a,
            Method::POST,
            &format!("/conversations/{id}/messages/999999/translate"),
            &t.agent,
            body.clone(),
        )
        .await;
    assert_eq!((status, answer), (404, not_found()));
    let (status, answer) = app
        .call(
            Method::POST,
            &format!("/api/v1/accounts/{a}{path}"),
            None,
            body.clone(),
        )
        .await;
    assert_eq!((status, answer), (401, no_credentials()));
    let (_, outsider) = app.seed_member(a, "outsider@acme.test", parlor::db::account_users::Role::Agent);
    let (status, answer) = app.account_call(a, Method::POST, &path, &outsider, body).await;
    assert_eq!((status, answer), (401, denied()));
}
