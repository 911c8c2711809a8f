//! `/cable` over real WebSockets: ActionCable's handshake, subscriptions, presence and the
//! events agents and contacts receive.

use std::time::Duration;

use reqwest::Method;
use serde_json::{Value, json};

use crate::cable_client::{Cable, agent_identifier, contact_identifier};
use crate::helpers::{Team, TestApp, spawn_app};

/// A customer talking to an API inbox through the Client API.
pub struct Customer {
    pub identifier: String,
    pub source_id: String,
    pub pubsub_token: String,
    pub contact_id: i64,
    pub conversation: i64,
}

pub fn public(identifier: &str, rest: &str) -> String {
    format!("/public/api/v1/inboxes/{identifier}{rest}")
}

/// An API inbox (the team's agent a member), a contact and their conversation.
pub async fn customer(app: &TestApp, t: &Team) -> Customer {
    let a = t.admin.account_id;
    let (status, inbox) = app
        .account_call(
            a,
            Method::POST,
            "/inboxes",
            &t.admin.token,
            Some(json!({"name": "API", "channel": {"type": "api"}})),
        )
        .await;
    assert_eq!(status, 200, "{inbox}");
    app.call(
        Method::POST,
        &format!("/api/v1/accounts/{a}/inbox_members"),
        Some(&t.admin.token),
        Some(json!({"inbox_id": inbox["id"], "user_ids": [t.agent_id]})),
    )
    .await;
    let identifier = inbox["inbox_identifier"]
        .as_str()
        .expect("identifier")
        .to_string();
    let (status, contact) = app
        .call(
            Method::POST,
            &public(&identifier, "/contacts"),
            None,
            Some(json!({"name": "Jo"})),
        )
        .await;
    assert_eq!(status, 200, "{contact}");
    let source_id = contact["source_id"].as_str().expect("source").to_string();
    let (status, conversation) = app
        .call(
            Method::POST,
            &public(&identifier, &format!("/contacts/{source_id}/conversations")),
            None,
            Some(json!({})),
        )
        .await;
    assert_eq!(status, 200, "{conversation}");
    Customer {
        identifier,
        source_id,
        pubsub_token: contact["pubsub_token"].as_str().expect("pubsub").to_string(),
        contact_id: contact["id"].as_i64().expect("contact id"),
        conversation: conversation["id"].as_i64().expect("conversation id"),
    }
}

pub async fn pubsub_token(app: &TestApp, token: &str) -> String {
    let (_, profile) = app.call(Method::GET, "/api/v1/profile", Some(token), None).await;
    profile["pubsub_token"].as_str().expect("pubsub").to_string()
}

/// The team's agent subscribed to RoomChannel.
pub async fn agent_socket(app: &TestApp, t: &Team) -> Cable {
    let token = pubsub_token(app, &t.agent).await;
    let mut cable = Cable::open_welcomed(app).await;
    cable
        .subscribe_confirmed(&agent_identifier(&token, t.admin.account_id, t.agent_id))
        .await;
    cable
}

impl Customer {
    pub async fn say(&self, app: &TestApp, content: &str) -> Value {
        let (status, message) = app
            .call(
                Method::POST,
                &public(
                    &self.identifier,
                    &format!(
                        "/contacts/{}/conversations/{}/messages",
                        self.source_id, self.conversation
                    ),
                ),
                None,
                Some(json!({"content": content, "echo_id": "temp-1"})),
            )
            .await;
        assert_eq!(status, 200, "{message}");
        message
    }
}

#[tokio::test]
async fn the_handshake_selects_actioncable_json_welcomes_and_pings() {
    let app = spawn_app().await;
    let mut cable = Cable::open(&app, Some("actioncable-v1-json, actioncable-unsupported")).await;
    assert_eq!(cable.protocol.as_deref(), Some("actioncable-v1-json"));
    assert_eq!(cable.next_frame().await, json!({"type": "welcome"}));
    let ping = cable.next_frame().await;
    assert_eq!(ping["type"], "ping");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs() as i64;
    let sent = ping["message"].as_i64().expect("ping carries unix seconds");
    assert!((now - sent).abs() <= 5, "ping {sent} vs now {now}");

    // The Flutter SDK offers no subprotocol, and subscribes before the welcome.
    let mut bare = Cable::open(&app, None).await;
    assert_eq!(bare.protocol, None);
    assert_eq!(bare.next_frame().await, json!({"type": "welcome"}));
}

#[tokio::test]
async fn subscriptions_are_confirmed_verbatim_and_bad_tokens_rejected() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let other = app.seed_team("Other");
    let a = t.admin.account_id;
    let token = pubsub_token(&app, &t.agent).await;
    let mut cable = Cable::open_welcomed(&app).await;

    // Hostile and malformed frames are ignored; the socket stays usable.
    for junk in [
        "not json",
        "[]",
        r#"{"command":"eval","identifier":"x"}"#,
        r#"{"command":"message","identifier":"never-subscribed","data":"{\"action\":\"update_presence\"}"}"#,
    ] {
        cable.send_text(junk).await;
    }

    let identifier = agent_identifier(&token, a, t.agent_id);
    let presence = cable.subscribe_confirmed(&identifier).await;
    assert_eq!(presence["identifier"], identifier.as_str());
    let data = &presence["message"]["data"];
    assert_eq!(data["account_id"], a);
    assert_eq!(data["users"][t.agent_id.to_string()], "online", "{data}");
    assert!(data["contacts"].is_object(), "agents see contacts: {data}");

    let rejected = |identifier: String| json!({"identifier": identifier, "type": "reject_subscription"});
    for bad in [
        agent_identifier("wrong-token", a, t.agent_id),
        // Right token, someone else's user id.
        agent_identifier(&token, a, t.admin.user_id),
        // An account the agent is not a member of.
        agent_identifier(&token, other.admin.account_id, t.agent_id),
        contact_identifier("no-such-contact-token"),
        json!({"channel": "NotificationChannel", "pubsub_token": token}).to_string(),
    ] {
        assert_eq!(cable.subscribe(&bad).await, rejected(bad.clone()), "{bad}");
    }

    // The first subscription still receives.
    let c = customer(&app, &t).await;
    c.say(&app, "hello").await;
    let (message, _) = cable.until_event("message.created").await;
    assert_eq!(message["data"]["content"], "hello");
}

#[tokio::test]
async fn an_agent_sees_client_api_messages_and_conversations_live() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let a = t.admin.account_id;
    let mut agent = agent_socket(&app, &t).await;
    let c = customer(&app, &t).await;

    let (created, _) = agent.until_event("conversation.created").await;
    assert_eq!(created["data"]["id"], c.conversation);
    assert_eq!(created["data"]["account_id"], a);
    assert!(created.get("action").is_none());

    c.say(&app, "my order is late").await;
    let (message, _) = agent.until_event("message.created").await;
    let data = &message["data"];
    assert_eq!(data["content"], "my order is late");
    assert_eq!(data["account_id"], a);
    assert_eq!(data["conversation_id"], c.conversation, "display id");
    assert_eq!(data["message_type"], 0);
    assert_eq!(data["echo_id"], "temp-1");
    assert_eq!(data["sender"]["type"], "contact");
    assert!(data["conversation"]["unread_count"].is_i64(), "{data}");
    assert!(data["created_at"].is_i64());

    // Status changes reach the agent as conversation.status_changed.
    let (status, _) = app
        .account_call(
            a,
            Method::POST,
            &format!("/conversations/{}/toggle_status", c.conversation),
            &t.agent,
            Some(json!({"status": "resolved"})),
        )
        .await;
    assert_eq!(status, 200);
    let (changed, _) = agent.until_event("conversation.status_changed").await;
    assert_eq!(changed["data"]["status"], "resolved");

    // Assignment: conversation.updated and assignee.changed.
    let (status, _) = app
        .account_call(
            a,
            Method::POST,
            &format!("/conversations/{}/assignments", c.conversation),
            &t.admin.token,
            Some(json!({"assignee_id": t.agent_id})),
        )
        .await;
    assert_eq!(status, 200);
    let (assigned, _) = agent.until_event("assignee.changed").await;
    assert_eq!(assigned["data"]["meta"]["assignee"]["id"], t.agent_id);
}

#[tokio::test]
async fn a_contact_gets_public_replies_but_never_private_notes() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let a = t.admin.account_id;
    let c = customer(&app, &t).await;
    let mut contact = Cable::open(&app, None).await;
    let identifier = contact_identifier(&c.pubsub_token);
    // Like the Flutter SDK: subscribe before reading the welcome.
    contact
        .send(json!({"command": "subscribe", "identifier": identifier}))
        .await;
    assert_eq!(contact.next_frame().await, json!({"type": "welcome"}));
    assert_eq!(
        contact.next_non_ping().await,
        json!({"identifier": identifier, "type": "confirm_subscription"})
    );
    let presence = contact.next_non_ping().await;
    assert_eq!(presence["message"]["event"], "presence.update");
    assert!(
        presence["message"]["data"].get("contacts").is_none(),
        "contacts see no contacts"
    );
    let mut agent = agent_socket(&app, &t).await;

    let post = |content: &'static str, private: bool| {
        let app = &app;
        let token = t.agent.clone();
        let path = format!("/conversations/{}/messages", c.conversation);
        async move {
            let (status, body) = app
                .account_call(
                    a,
                    Method::POST,
                    &path,
                    &token,
                    Some(json!({"content": content, "private": private})),
                )
                .await;
            assert_eq!(status, 200, "{body}");
        }
    };
    post("internal: refund approved?", true).await;
    post("We are on it!", false).await;

    let (reply, before) = contact.until_event("message.created").await;
    assert_eq!(reply["data"]["content"], "We are on it!");
    assert_eq!(reply["data"]["message_type"], 1);
    assert!(
        before.iter().all(|m| m["event"] != "message.created"),
        "{before:?}"
    );
    let later = contact.drain(Duration::from_millis(300)).await;
    assert!(
        later.iter().all(|m| m["data"]["private"] != true),
        "a private note reached the contact: {later:?}"
    );

    // The agent sees both, the note first.
    let (note, _) = agent.until_event("message.created").await;
    assert_eq!(note["data"]["private"], true);
    let (public_reply, _) = agent.until_event("message.created").await;
    assert_eq!(public_reply["data"]["content"], "We are on it!");
    let _ = c.contact_id;
}

#[tokio::test]
async fn presence_pings_show_who_is_online() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let a = t.admin.account_id;
    let c = customer(&app, &t).await;
    let mut contact = Cable::open_welcomed(&app).await;
    contact
        .subscribe_confirmed(&contact_identifier(&c.pubsub_token))
        .await;

    let token = pubsub_token(&app, &t.agent).await;
    let identifier = agent_identifier(&token, a, t.agent_id);
    let mut agent = Cable::open_welcomed(&app).await;
    agent.subscribe_confirmed(&identifier).await;
    agent
        .send(json!({"command": "message", "identifier": identifier, "data": "{\"action\":\"update_presence\"}"}))
        .await;
    let update = agent.next_non_ping().await;
    assert_eq!(update["identifier"], identifier.as_str());
    let data = &update["message"]["data"];
    assert_eq!(update["message"]["event"], "presence.update");
    assert_eq!(data["contacts"][c.contact_id.to_string()], "online", "{data}");
    assert_eq!(data["users"][t.agent_id.to_string()], "online");
    assert!(
        data["users"].get(t.admin.user_id.to_string()).is_none(),
        "the admin never connected: {data}"
    );
}

#[tokio::test]
async fn contact_changes_go_to_the_account_stream() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let other = app.seed_team("Other");
    let mut agent = agent_socket(&app, &t).await;
    let mut outsider = agent_socket(&app, &other).await;
    let (status, _) = app
        .account_call(
            t.admin.account_id,
            Method::POST,
            "/contacts",
            &t.admin.token,
            Some(json!({"name": "Kim", "email": "kim@example.test"})),
        )
        .await;
    assert_eq!(status, 200);
    let (created, _) = agent.until_event("contact.created").await;
    assert_eq!(created["data"]["name"], "Kim");
    assert_eq!(created["data"]["type"], "contact");
    assert_eq!(created["data"]["account_id"], t.admin.account_id);
    let seen = outsider.drain(Duration::from_millis(300)).await;
    assert!(seen.is_empty(), "another account's agent saw {seen:?}");
}

#[tokio::test]
async fn oversized_frames_close_the_socket() {
    let app = spawn_app().await;
    let mut cable = Cable::open_welcomed(&app).await;
    let huge = format!(
        "{{\"command\":\"subscribe\",\"identifier\":\"{}\"}}",
        "x".repeat(100_000)
    );
    cable.send_text(&huge).await;
    loop {
        let frame = cable.next_frame().await;
        if frame.is_null() {
            break;
        }
        assert_eq!(frame["type"], "ping", "only pings before the close: {frame}");
    }
}
