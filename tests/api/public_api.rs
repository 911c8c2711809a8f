//! Client (public) API: contacts, conversations and messages addressed by inbox identifier and
//! contact source id.

use hmac::{Hmac, Mac};
use reqwest::Method;
use serde_json::{Value, json};
use sha2::Sha256;

use crate::helpers::{Team, TestApp, error, spawn_app, spawn_app_with, stable};

/// An API inbox (agent is a member); returns (inbox id, identifier, hmac token).
async fn api_inbox(app: &TestApp, t: &Team, hmac_mandatory: bool) -> (i64, String, String) {
    let a = t.admin.account_id;
    let (_, inbox) = app
        .account_call(
            a,
            Method::POST,
            "/inboxes",
            &t.admin.token,
            Some(json!({"name": "Support", "channel": {"type": "api", "hmac_mandatory": hmac_mandatory}})),
        )
        .await;
    app.call(
        Method::POST,
        &format!("/api/v1/accounts/{a}/inbox_members"),
        Some(&t.admin.token),
        Some(json!({"inbox_id": inbox["id"], "user_ids": [t.agent_id]})),
    )
    .await;
    (
        inbox["id"].as_i64().expect("id"),
        inbox["inbox_identifier"].as_str().expect("identifier").into(),
        inbox["hmac_token"].as_str().expect("hmac").into(),
    )
}

fn public(identifier: &str, rest: &str) -> String {
    format!("/public/api/v1/inboxes/{identifier}{rest}")
}

#[tokio::test]
async fn a_customer_talks_to_an_api_inbox() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let a = t.admin.account_id;
    let (_, identifier, _) = api_inbox(&app, &t, false).await;

    let (status, info) = app.call(Method::GET, &public(&identifier, ""), None, None).await;
    assert_eq!(status, 200);
    assert_eq!(info["identifier"], identifier.as_str());
    assert_eq!(info["identity_validation_enabled"], false);
    assert_eq!(info["working_hours"].as_array().map(Vec::len), Some(7));

    let (status, contact) = app
        .call(
            Method::POST,
            &public(&identifier, "/contacts"),
            None,
            Some(json!({"name": "Jo", "email": "Jo@Example.test"})),
        )
        .await;
    assert_eq!(status, 200, "{contact}");
    insta::assert_json_snapshot!("public_contact_created", stable(&contact));
    let source = contact["source_id"].as_str().expect("source").to_string();
    let (_, shown) = app
        .call(
            Method::GET,
            &public(&identifier, &format!("/contacts/{source}")),
            None,
            None,
        )
        .await;
    assert_eq!(shown, contact);

    let base = format!("/contacts/{source}/conversations");
    let (status, conversation) = app
        .call(
            Method::POST,
            &public(&identifier, &base),
            None,
            Some(json!({"custom_attributes": {"plan": "pro"}})),
        )
        .await;
    assert_eq!(status, 200, "{conversation}");
    insta::assert_json_snapshot!("public_conversation_created", stable(&conversation));
    let id = conversation["id"].as_i64().expect("id");
    let messages = format!("{base}/{id}/messages");
    let (status, sent) = app
        .call(
            Method::POST,
            &public(&identifier, &messages),
            None,
            Some(json!({"content": "My order is late", "echo_id": "e-1"})),
        )
        .await;
    assert_eq!(status, 200, "{sent}");
    assert_eq!(
        (
            sent["message_type"].clone(),
            sent["echo_id"].clone(),
            sent["sender"]["type"].clone()
        ),
        (json!(0), json!("e-1"), json!("contact"))
    );

    // The agent sees it as an incoming message, replies, and leaves a private note.
    let (_, agent_view) = app
        .account_call(a, Method::GET, &format!("/conversations/{id}"), &t.agent, None)
        .await;
    assert_eq!(agent_view["messages"][0]["message_type"], 0);
    assert_ne!(agent_view["waiting_since"], 0);
    app.account_call(
        a,
        Method::POST,
        &format!("/conversations/{id}/messages"),
        &t.agent,
        Some(json!({"content": "Sorry! On its way."})),
    )
    .await;
    app.account_call(
        a,
        Method::POST,
        &format!("/conversations/{id}/messages"),
        &t.agent,
        Some(json!({"content": "internal", "private": true})),
    )
    .await;
    let (_, listed) = app
        .call(Method::GET, &public(&identifier, &messages), None, None)
        .await;
    let contents: Vec<&str> = listed
        .as_array()
        .expect("list")
        .iter()
        .map(|m| m["content"].as_str().expect("text"))
        .collect();
    assert_eq!(
        contents,
        ["My order is late", "Sorry! On its way."],
        "no private notes for customers"
    );
    assert_eq!(listed[1]["sender"]["type"], "user");

    let (status, body) = app
        .call(
            Method::POST,
            &public(&identifier, &format!("{base}/{id}/toggle_typing")),
            None,
            Some(json!({"typing_status": "on"})),
        )
        .await;
    assert_eq!((status, body), (200, Value::Null));
    let (status, _) = app
        .call(
            Method::POST,
            &public(&identifier, &format!("{base}/{id}/update_last_seen")),
            None,
            None,
        )
        .await;
    assert_eq!(status, 200);
    let (status, resolved) = app
        .call(
            Method::POST,
            &public(&identifier, &format!("{base}/{id}/toggle_status")),
            None,
            None,
        )
        .await;
    assert_eq!((status, resolved["status"].clone()), (200, json!("resolved")));
    assert_ne!(resolved["contact_last_seen_at"], 0);
    let (_, again) = app
        .call(
            Method::POST,
            &public(&identifier, &format!("{base}/{id}/toggle_status")),
            None,
            None,
        )
        .await;
    assert_eq!(again["status"], "resolved", "the contact can only resolve");
    let (_, agent_messages) = app
        .account_call(
            a,
            Method::GET,
            &format!("/conversations/{id}/messages"),
            &t.agent,
            None,
        )
        .await;
    let last = agent_messages["payload"]
        .as_array()
        .expect("payload")
        .last()
        .cloned()
        .expect("message");
    assert_eq!(last["content"], "Conversation was resolved by Jo");
    let (_, list) = app
        .call(Method::GET, &public(&identifier, &base), None, None)
        .await;
    assert_eq!(list.as_array().map(Vec::len), Some(1));

    let (status, updated) = app
        .call(
            Method::PATCH,
            &public(&identifier, &format!("/contacts/{source}")),
            None,
            Some(json!({"name": "Jo Doe", "identifier": "ignored", "custom_attributes": {"vip": true}})),
        )
        .await;
    assert_eq!(status, 200, "{updated}");
    assert_eq!(
        (updated["name"].clone(), updated["identifier"].clone()),
        (json!("Jo Doe"), Value::Null)
    );
    assert_eq!(updated["contact_type"], "lead");
}

#[tokio::test]
async fn contacts_only_reach_their_own_conversations() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let (_, identifier, _) = api_inbox(&app, &t, false).await;
    let (_, other_identifier, _) = api_inbox(&app, &t, false).await;
    let (_, jo) = app
        .call(
            Method::POST,
            &public(&identifier, "/contacts"),
            None,
            Some(json!({"name": "Jo"})),
        )
        .await;
    let (_, bo) = app
        .call(
            Method::POST,
            &public(&identifier, "/contacts"),
            None,
            Some(json!({"name": "Bo"})),
        )
        .await;
    let jo_base = format!(
        "/contacts/{}/conversations",
        jo["source_id"].as_str().expect("source")
    );
    let bo_base = format!(
        "/contacts/{}/conversations",
        bo["source_id"].as_str().expect("source")
    );
    let (_, conversation) = app
        .call(Method::POST, &public(&identifier, &jo_base), None, None)
        .await;
    let id = conversation["id"].clone();
    for (method, path) in [
        (Method::GET, format!("{bo_base}/{id}")),
        (Method::GET, format!("{bo_base}/{id}/messages")),
        (Method::POST, format!("{bo_base}/{id}/messages")),
        (Method::POST, format!("{bo_base}/{id}/toggle_status")),
    ] {
        let (status, body) = app
            .call(
                method,
                &public(&identifier, &path),
                None,
                Some(json!({"content": "peek"})),
            )
            .await;
        assert_eq!(
            (status, body),
            (404, error("Resource could not be found")),
            "{path}"
        );
    }
    let (status, _) = app
        .call(
            Method::GET,
            &public(&other_identifier, &format!("{jo_base}/{id}")),
            None,
            None,
        )
        .await;
    assert_eq!(status, 404, "a source id only exists in its own inbox");
    let (status, _) = app
        .call(Method::GET, &public("not-an-inbox", ""), None, None)
        .await;
    assert_eq!(status, 404);
    let (status, _) = app
        .call(
            Method::GET,
            &public(&identifier, "/contacts/not-a-source"),
            None,
            None,
        )
        .await;
    assert_eq!(status, 404);
    let (_, bo_list) = app
        .call(Method::GET, &public(&identifier, &bo_base), None, None)
        .await;
    assert_eq!(bo_list, json!([]));
    assert_eq!(app.count("messages"), 0);
    let (status, _) = app
        .call(
            Method::POST,
            &public(&identifier, &format!("{jo_base}/{id}/messages")),
            None,
            Some(json!({"content": "x".repeat(150_001)})),
        )
        .await;
    assert_eq!(status, 422);
    let (status, _) = app
        .call(
            Method::POST,
            &public(&identifier, &format!("{jo_base}/{id}/toggle_typing")),
            None,
            Some(json!({"typing_status": "maybe"})),
        )
        .await;
    assert_eq!(status, 422);
}

#[tokio::test]
async fn identity_validation_with_hmac() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let (_, identifier, key) = api_inbox(&app, &t, true).await;
    let mut mac = Hmac::<Sha256>::new_from_slice(key.as_bytes()).expect("key");
    mac.update(b"crm-42");
    let hash = hex::encode(mac.finalize().into_bytes());
    let refused = error("HMAC failed: Invalid Identifier Hash Provided");
    let (status, body) = app
        .call(
            Method::POST,
            &public(&identifier, "/contacts"),
            None,
            Some(json!({"identifier": "crm-42"})),
        )
        .await;
    assert_eq!(
        (status, body),
        (401, refused.clone()),
        "mandatory when the inbox says so"
    );
    let (status, body) = app
        .call(
            Method::POST,
            &public(&identifier, "/contacts"),
            None,
            Some(json!({"identifier": "crm-42", "identifier_hash": "00ff"})),
        )
        .await;
    assert_eq!((status, body), (401, refused.clone()));
    assert_eq!(app.count("contacts"), 0);
    let (status, contact) = app
        .call(
            Method::POST,
            &public(&identifier, "/contacts"),
            None,
            Some(json!({"identifier": "crm-42", "identifier_hash": hash, "email": "v@x.test"})),
        )
        .await;
    assert_eq!(status, 200, "{contact}");
    let source = contact["source_id"].as_str().expect("source");
    let (status, _) = app
        .call(
            Method::GET,
            &public(&identifier, &format!("/contacts/{source}?identifier_hash={hash}")),
            None,
            None,
        )
        .await;
    assert_eq!(status, 200);
    let (status, _) = app
        .call(
            Method::GET,
            &public(&identifier, &format!("/contacts/{source}")),
            None,
            None,
        )
        .await;
    assert_eq!(status, 401);
}

#[tokio::test]
async fn input_messages_take_submitted_values_and_requests_are_limited() {
    let app = spawn_app_with(|config| config.public_rate_limit = 12).await;
    let t = app.seed_team("Acme");
    let a = t.admin.account_id;
    let (_, identifier, _) = api_inbox(&app, &t, false).await;
    let (_, contact) = app
        .call(
            Method::POST,
            &public(&identifier, "/contacts"),
            None,
            Some(json!({"name": "Jo"})),
        )
        .await;
    let base = format!(
        "/contacts/{}/conversations",
        contact["source_id"].as_str().expect("source")
    );
    let (_, conversation) = app
        .call(Method::POST, &public(&identifier, &base), None, None)
        .await;
    let id = conversation["id"].clone();
    let (_, question) = app
        .account_call(a, Method::POST, &format!("/conversations/{id}/messages"), &t.agent,
            Some(json!({"content": "Pick one", "content_type": "input_select", "content_attributes": {"items": [{"title": "A", "value": "a"}]}})))
        .await;
    let path = public(&identifier, &format!("{base}/{id}/messages/{}", question["id"]));
    let (status, answered) = app
        .call(
            Method::PATCH,
            &path,
            None,
            Some(json!({"message": {"submitted_values": [{"title": "A", "value": "a"}]}})),
        )
        .await;
    assert_eq!(status, 200, "{answered}");
    assert_eq!(
        answered["content_attributes"]["submitted_values"],
        json!([{"title": "A", "value": "a"}])
    );
    let (status, _) = app
        .call(Method::PATCH, &path, None, Some(json!({"submitted_values": "a"})))
        .await;
    assert_eq!(status, 422);
    let mut statuses = Vec::new();
    for _ in 0..10 {
        statuses.push(
            app.call(Method::GET, &public(&identifier, ""), None, None)
                .await
                .0,
        );
    }
    assert_eq!(statuses.last(), Some(&429), "{statuses:?}");
}
