//! Messages of a conversation.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{Team, TestApp, error, spawn_app, stable};

/// A conversation (display id 1) in a fresh inbox of `channel` with the agent as member.
async fn conversation_in(app: &TestApp, t: &Team, channel: Value) -> i64 {
    let a = t.admin.account_id;
    let (inbox, contact) = app.seed_inbox_and_contact(t, channel).await;
    let (_, conversation) = app
        .account_call(
            a,
            Method::POST,
            "/conversations",
            &t.agent,
            Some(json!({"inbox_id": inbox, "contact_id": contact})),
        )
        .await;
    conversation["id"].as_i64().expect("display id")
}

#[tokio::test]
async fn send_list_and_page_messages() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let a = t.admin.account_id;
    let id = conversation_in(&app, &t, json!({"type": "api"})).await;
    let path = format!("/conversations/{id}/messages");
    let (status, sent) = app
        .account_call(
            a,
            Method::POST,
            &path,
            &t.agent,
            Some(
                json!({"content": "Hi Jo", "echo_id": "tmp-1", "content_attributes": "{\"in_reply_to\": 5}"}),
            ),
        )
        .await;
    assert_eq!(status, 200, "{sent}");
    insta::assert_json_snapshot!("message_created", stable(&sent));
    assert_eq!(
        sent["content_attributes"],
        json!({"in_reply_to": 5}),
        "a JSON string is accepted"
    );
    let (_, note) = app
        .account_call(
            a,
            Method::POST,
            &path,
            &t.agent,
            Some(json!({"content": "internal", "private": true})),
        )
        .await;
    assert_eq!(note["private"], true);
    for i in 0..25 {
        app.account_call(
            a,
            Method::POST,
            &path,
            &t.agent,
            Some(json!({"message": {"content": format!("m{i}")}})),
        )
        .await;
    }
    let (status, page) = app.account_call(a, Method::GET, &path, &t.agent, None).await;
    assert_eq!(status, 200);
    let ids: Vec<i64> = page["payload"]
        .as_array()
        .expect("payload")
        .iter()
        .map(|m| m["id"].as_i64().expect("id"))
        .collect();
    assert_eq!(ids.len(), 20, "the latest 20");
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "ascending");
    assert_eq!(page["meta"]["contact"]["name"], "Jo");
    assert_eq!(page["meta"]["labels"], json!([]));
    let (_, older) = app
        .account_call(
            a,
            Method::GET,
            &format!("{path}?before={}", ids[0]),
            &t.agent,
            None,
        )
        .await;
    assert_eq!(older["payload"].as_array().map(Vec::len), Some(7));
    let (_, newer) = app
        .account_call(
            a,
            Method::GET,
            &format!("{path}?after={}", ids[17]),
            &t.agent,
            None,
        )
        .await;
    assert_eq!(newer["payload"].as_array().map(Vec::len), Some(2));
    let (_, public) = app
        .account_call(
            a,
            Method::GET,
            &format!("{path}?filter_internal_messages=true&before={}", ids[0]),
            &t.agent,
            None,
        )
        .await;
    assert!(
        public["payload"]
            .as_array()
            .expect("payload")
            .iter()
            .all(|m| m["private"] == false)
    );
}

#[tokio::test]
async fn incoming_messages_reopen_and_wait() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let a = t.admin.account_id;
    let id = conversation_in(&app, &t, json!({"type": "api"})).await;
    let path = format!("/conversations/{id}");
    app.account_call(
        a,
        Method::POST,
        &format!("{path}/messages"),
        &t.agent,
        Some(json!({"content": "First reply"})),
    )
    .await;
    app.account_call(
        a,
        Method::POST,
        &format!("{path}/toggle_status"),
        &t.agent,
        Some(json!({"status": "resolved"})),
    )
    .await;
    let (status, incoming) = app
        .account_call(
            a,
            Method::POST,
            &format!("{path}/messages"),
            &t.agent,
            Some(json!({"content": "I need more help", "message_type": "incoming"})),
        )
        .await;
    assert_eq!(status, 200, "{incoming}");
    assert_eq!(incoming["message_type"], 0);
    assert_eq!(incoming["sender"]["type"], "contact");
    let (_, conversation) = app.account_call(a, Method::GET, &path, &t.agent, None).await;
    assert_eq!(conversation["status"], "open");
    assert_ne!(conversation["waiting_since"], 0);
    assert_eq!(conversation["unread_count"], 1);
    assert!(
        conversation["meta"]["sender"].get("last_activity_at").is_some(),
        "the contact was active"
    );
    let (_, messages) = app
        .account_call(a, Method::GET, &format!("{path}/messages"), &t.agent, None)
        .await;
    let texts: Vec<&str> = messages["payload"]
        .as_array()
        .expect("payload")
        .iter()
        .filter(|m| m["message_type"] == 2)
        .map(|m| m["content"].as_str().expect("text"))
        .collect();
    assert_eq!(
        texts.last(),
        Some(&"System reopened the conversation due to a new incoming message.")
    );
    let (_, seen) = app
        .account_call(
            a,
            Method::POST,
            &format!("{path}/update_last_seen"),
            &t.agent,
            None,
        )
        .await;
    assert_eq!(seen["unread_count"], 0);
    let (_, unread) = app
        .account_call(a, Method::POST, &format!("{path}/unread"), &t.agent, None)
        .await;
    assert_eq!(unread["unread_count"], 1);
}

#[tokio::test]
async fn status_updates_deletes_and_bad_input() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let a = t.admin.account_id;
    let id = conversation_in(&app, &t, json!({"type": "api"})).await;
    let path = format!("/conversations/{id}/messages");
    let (_, sent) = app
        .account_call(
            a,
            Method::POST,
            &path,
            &t.agent,
            Some(json!({"content": "Hello"})),
        )
        .await;
    let message_path = format!("{path}/{}", sent["id"]);
    let (status, failed) = app
        .account_call(
            a,
            Method::PATCH,
            &message_path,
            &t.agent,
            Some(json!({"status": "failed", "external_error": "bounced"})),
        )
        .await;
    assert_eq!(status, 200, "{failed}");
    assert_eq!(
        (
            failed["status"].clone(),
            failed["content_attributes"]["external_error"].clone()
        ),
        (json!("failed"), json!("bounced"))
    );
    let (_, read) = app
        .account_call(
            a,
            Method::PATCH,
            &message_path,
            &t.agent,
            Some(json!({"status": "read"})),
        )
        .await;
    assert_eq!(read["content_attributes"].get("external_error"), None);
    let (_, still_read) = app
        .account_call(
            a,
            Method::PATCH,
            &message_path,
            &t.agent,
            Some(json!({"status": "delivered"})),
        )
        .await;
    assert_eq!(still_read["status"], "read", "read never goes back to delivered");
    let (status, _) = app
        .account_call(
            a,
            Method::PATCH,
            &message_path,
            &t.agent,
            Some(json!({"status": "lost"})),
        )
        .await;
    assert_eq!(status, 422);

    let (status, deleted) = app
        .account_call(a, Method::DELETE, &message_path, &t.agent, None)
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        (deleted["content"].clone(), deleted["content_attributes"].clone()),
        (json!("This message was deleted"), json!({"deleted": true}))
    );

    for body in [
        json!({}),
        json!({"content": "   "}),
        json!({"content": "x", "message_type": "activity"}),
        json!({"content": "x", "content_type": "hologram"}),
        json!({"content": "x", "content_attributes": "not json"}),
        json!({"content": 5}),
    ] {
        let (status, response) = app
            .account_call(a, Method::POST, &path, &t.agent, Some(body.clone()))
            .await;
        assert_eq!(status, 422, "{body} → {response}");
    }
    let (status, _) = app
        .account_call(a, Method::DELETE, &format!("{path}/99999"), &t.agent, None)
        .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn website_inboxes_refuse_incoming_and_status_updates() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let a = t.admin.account_id;
    let id = conversation_in(
        &app,
        &t,
        json!({"type": "web_widget", "website_url": "https://acme.test"}),
    )
    .await;
    let path = format!("/conversations/{id}/messages");
    let (status, body) = app
        .account_call(
            a,
            Method::POST,
            &path,
            &t.agent,
            Some(json!({"content": "x", "message_type": "incoming"})),
        )
        .await;
    assert_eq!(
        (status, body),
        (422, error("Incoming messages are only allowed in Api inboxes"))
    );
    let (_, sent) = app
        .account_call(
            a,
            Method::POST,
            &path,
            &t.agent,
            Some(json!({"content": "Hello"})),
        )
        .await;
    let (status, body) = app
        .account_call(
            a,
            Method::PATCH,
            &format!("{path}/{}", sent["id"]),
            &t.agent,
            Some(json!({"status": "read"})),
        )
        .await;
    assert_eq!(
        (status, body),
        (
            403,
            error("Message status update is only allowed for API inboxes")
        )
    );
    assert_eq!(app.count("messages WHERE message_type = 0"), 0);
}

#[tokio::test]
async fn concurrent_messages_lose_nothing_and_keep_order() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let id = conversation_in(&app, &t, json!({"type": "api"})).await;
    let url = format!(
        "{}/api/v1/accounts/{}/conversations/{id}/messages",
        app.address, t.admin.account_id
    );
    let mut tasks = Vec::new();
    for i in 0..40 {
        let (client, url, token) = (app.client.clone(), url.clone(), t.agent.clone());
        tasks.push(tokio::spawn(async move {
            let response = client
                .post(url)
                .header("api_access_token", token)
                .json(&json!({"content": format!("n{i}")}))
                .send()
                .await
                .expect("sent");
            assert_eq!(response.status(), 200);
            let body: Value = response.json().await.expect("json");
            (
                body["id"].as_i64().expect("id"),
                body["created_at"].as_i64().expect("created_at"),
            )
        }));
    }
    let mut sent: Vec<(i64, i64)> = futures::future::join_all(tasks)
        .await
        .into_iter()
        .map(|r| r.expect("task"))
        .collect();
    sent.sort_unstable();
    assert_eq!(sent.len(), 40);
    assert!(
        sent.windows(2).all(|w| w[0].1 <= w[1].1),
        "ids follow creation time"
    );
    let (_, page) = app
        .account_call(
            t.admin.account_id,
            Method::GET,
            &format!("/conversations/{id}/messages?after=0"),
            &t.agent,
            None,
        )
        .await;
    let stored: Vec<i64> = page["payload"]
        .as_array()
        .expect("payload")
        .iter()
        .map(|m| m["id"].as_i64().expect("id"))
        .collect();
    assert_eq!(
        stored,
        sent.iter().map(|(id, _)| *id).collect::<Vec<_>>(),
        "every message stored once, in order"
    );
}
