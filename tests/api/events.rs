//! The event stream end to end: a real local receiver gets what Chatwoot would send, signed
//! with the documented recipe, retried after failures with the same delivery id, never to a
//! private address unless the operator allows it, and a slow receiver delays nobody else.

use std::time::{Duration, Instant};

use hmac::{Hmac, Mac};
use reqwest::Method;
use serde_json::{Value, json};
use sha2::Sha256;

use crate::helpers::{Team, TestApp, poll, spawn_app_with, stable};
use crate::receiver::{Received, Receiver};

async fn app_allowing_private() -> TestApp {
    spawn_app_with(|config| config.allow_private_webhooks = true).await
}

/// Create an account webhook; returns its JSON.
async fn webhook(app: &TestApp, t: &Team, url: &str, subscriptions: &[&str]) -> Value {
    let (status, body) = app
        .account_call(
            t.admin.account_id,
            Method::POST,
            "/webhooks",
            &t.admin.token,
            Some(json!({"url": url, "subscriptions": subscriptions})),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    body["payload"]["webhook"].clone()
}

/// The documented recipe: `sha256=` + hex HMAC-SHA256(secret, "<timestamp>.<raw body>").
fn verify(received: &Received, secret: &str) {
    let timestamp = received.header("x-chatwoot-timestamp").expect("timestamp header");
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("key");
    mac.update(timestamp.as_bytes());
    mac.update(b".");
    mac.update(&received.body);
    let expected = format!("sha256={}", hex::encode(mac.finalize().into_bytes()));
    assert_eq!(received.header("x-chatwoot-signature"), Some(expected.as_str()));
}

/// One text column of the (single) delivery row, if there is one.
fn delivery(app: &TestApp, sql: &str) -> Option<String> {
    app.state
        .db
        .read_sync(|conn| {
            Ok(conn
                .query_row(sql, [], |r| r.get::<_, Option<String>>(0))
                .ok()
                .flatten())
        })
        .expect("read")
}

/// A payload for a snapshot: run-specific values replaced, times inside changed_attributes too.
fn snapshot(body: &Value) -> Value {
    let mut body = stable(body);
    if let Some(changes) = body.get_mut("changed_attributes").and_then(Value::as_array_mut) {
        for change in changes {
            for key in ["updated_at", "waiting_since", "first_reply_created_at"] {
                if let Some(times) = change.get_mut(key) {
                    *times = json!("[time change]");
                }
            }
        }
    }
    body
}

async fn start_conversation(app: &TestApp, t: &Team, inbox: i64, contact: i64) -> Value {
    let (status, conversation) = app
        .account_call(
            t.admin.account_id,
            Method::POST,
            "/conversations",
            &t.admin.token,
            Some(json!({"inbox_id": inbox, "contact_id": contact, "message": {"content": "Hello there"}})),
        )
        .await;
    assert_eq!(status, 200, "{conversation}");
    conversation
}

#[tokio::test]
async fn webhooks_receive_signed_events_as_chatwoot_sends_them() {
    let app = app_allowing_private().await;
    let t = app.seed_team("Acme");
    let receiver = Receiver::start().await;
    let hook = webhook(
        &app,
        &t,
        &receiver.url,
        &[
            "conversation_created",
            "message_created",
            "conversation_updated",
            "conversation_status_changed",
            "contact_created",
            "contact_updated",
        ],
    )
    .await;
    let secret = hook["secret"]
        .as_str()
        .expect("administrators see the secret")
        .to_string();
    assert_eq!(secret.len(), 48);
    let (inbox, contact) = app.seed_api_inbox_and_contact(&t).await;
    let conversation = start_conversation(&app, &t, inbox, contact).await;

    let created = receiver.event("contact_created").await;
    assert_eq!(created.json()["id"], contact);
    assert_eq!(created.json()["account"]["id"], t.admin.account_id);
    let opened = receiver.event("conversation_created").await;
    verify(&opened, &secret);
    assert_eq!(opened.path, "/hook", "posted to the webhook's own URL");
    let body = opened.json();
    assert_eq!(body["id"], conversation["id"], "the display id");
    assert_eq!(body["inbox_id"], inbox);
    assert_eq!(body["status"], "open");
    assert_eq!(body["meta"]["sender"]["id"], contact);
    assert_eq!(body["contact_inbox"]["inbox_id"], inbox);

    let message = receiver.event("message_created").await;
    verify(&message, &secret);
    let body = message.json();
    assert_eq!(body["content"], "Hello there");
    assert_eq!(body["message_type"], "outgoing", "webhooks name the type");
    assert_eq!(body["sender"]["type"], "user");
    assert_eq!(body["sender"]["id"], t.admin.user_id);
    assert_eq!(body["conversation"]["id"], conversation["id"]);
    assert_eq!(body["inbox"], json!({"id": inbox, "name": "API"}));
    assert!(
        body["created_at"].as_str().is_some_and(|s| s.ends_with('Z')),
        "ISO time: {body}"
    );
    let delivery = message.header("x-chatwoot-delivery").expect("delivery id");
    assert_eq!(delivery.len(), 36);
    assert_eq!(message.header("content-type"), Some("application/json"));

    let path = format!("/conversations/{}/toggle_status", conversation["id"]);
    let (status, _) = app
        .account_call(
            t.admin.account_id,
            Method::POST,
            &path,
            &t.admin.token,
            Some(json!({"status": "resolved"})),
        )
        .await;
    assert_eq!(status, 200);
    let changed = receiver.event("conversation_status_changed").await;
    assert_eq!(changed.json()["status"], "resolved");
    let updated = receiver.event("conversation_updated").await;
    let attributes = updated.json()["changed_attributes"].clone();
    assert!(
        attributes
            .as_array()
            .expect("list")
            .iter()
            .any(|c| c["status"] == json!({"previous_value": "open", "current_value": "resolved"})),
        "{attributes}"
    );

    let (status, _) = app
        .account_call(
            t.admin.account_id,
            Method::PATCH,
            &format!("/contacts/{contact}"),
            &t.admin.token,
            Some(json!({"name": "Jo Renamed"})),
        )
        .await;
    assert_eq!(status, 200);
    let renamed = receiver.event("contact_updated").await;
    assert_eq!(renamed.json()["name"], "Jo Renamed");
    assert!(
        renamed.json()["changed_attributes"]
            .as_array()
            .expect("list")
            .iter()
            .any(|c| c["name"] == json!({"previous_value": "Jo", "current_value": "Jo Renamed"}))
    );
    for name in [
        "contact_created",
        "conversation_created",
        "message_created",
        "conversation_status_changed",
        "conversation_updated",
        "contact_updated",
    ] {
        let body = receiver.event(name).await.json();
        insta::assert_json_snapshot!(format!("webhook_{name}"), snapshot(&body));
    }
    assert!(
        !receiver
            .events()
            .iter()
            .any(|e| e == "message_updated" || e == "inbox_created"),
        "only subscribed events: {:?}",
        receiver.events()
    );
}

#[tokio::test]
async fn api_inboxes_and_agent_bots_receive_their_events() {
    let app = app_allowing_private().await;
    let t = app.seed_team("Acme");
    let inbox_receiver = Receiver::start().await;
    let bot_receiver = Receiver::start().await;
    let a = t.admin.account_id;
    let (status, inbox) = app
        .account_call(
            a,
            Method::POST,
            "/inboxes",
            &t.admin.token,
            Some(json!({"name": "API", "channel": {"type": "api", "webhook_url": inbox_receiver.url}})),
        )
        .await;
    assert_eq!(status, 200, "{inbox}");
    let (_, bot) = app
        .account_call(
            a,
            Method::POST,
            "/agent_bots",
            &t.admin.token,
            Some(json!({"name": "Helper", "outgoing_url": bot_receiver.url})),
        )
        .await;
    let (status, _) = app
        .account_call(
            a,
            Method::POST,
            &format!("/inboxes/{}/set_agent_bot", inbox["id"]),
            &t.admin.token,
            Some(json!({"agent_bot": bot["id"]})),
        )
        .await;
    assert_eq!(status, 200);
    let (_, contact) = app
        .account_call(
            a,
            Method::POST,
            "/contacts",
            &t.admin.token,
            Some(json!({"name": "Jo", "email": "jo@x.test"})),
        )
        .await;
    let contact = contact["payload"]["contact"]["id"].as_i64().expect("contact");
    start_conversation(&app, &t, inbox["id"].as_i64().expect("inbox"), contact).await;

    inbox_receiver.event("conversation_created").await;
    let to_inbox = inbox_receiver.event("message_created").await;
    assert_eq!(
        to_inbox.header("x-chatwoot-signature"),
        None,
        "API inboxes have no secret"
    );
    let to_bot = bot_receiver.event("message_created").await;
    assert_eq!(to_bot.json()["content"], "Hello there");
    assert!(
        to_bot
            .header("x-chatwoot-signature")
            .is_some_and(|s| s.starts_with("sha256="))
    );
    assert!(
        !bot_receiver
            .events()
            .contains(&"conversation_created".to_string()),
        "bots get only their events: {:?}",
        bot_receiver.events()
    );
    assert!(
        !inbox_receiver.events().contains(&"contact_created".to_string()),
        "no contact events for inboxes"
    );
}

#[tokio::test]
async fn failed_deliveries_are_retried_with_the_same_delivery_id() {
    let app = app_allowing_private().await;
    let t = app.seed_team("Acme");
    let receiver = Receiver::start().await;
    receiver.answer(&[500]);
    webhook(&app, &t, &receiver.url, &["contact_created"]).await;
    app.account_call(
        t.admin.account_id,
        Method::POST,
        "/contacts",
        &t.admin.token,
        Some(json!({"name": "Jo", "email": "jo@x.test"})),
    )
    .await;
    let first = receiver.event("contact_created").await;
    // The failure is recorded with its status, and the retry is scheduled (~30 s later).
    let row = poll(
        || {
            delivery(
                &app,
                "SELECT status || ' ' || attempts || ' ' || response_status FROM event_deliveries",
            )
        },
        |row| row.as_deref() == Some("pending 1 500"),
    )
    .await;
    assert_eq!(row.as_deref(), Some("pending 1 500"));
    // Bring the retry forward rather than wait for it; any write wakes the dispatcher.
    app.state
        .db
        .write_sync(|tx| -> Result<(), parlor::db::DbError> {
            tx.execute("UPDATE event_deliveries SET next_attempt_at = 0", [])?;
            Ok(())
        })
        .expect("fast-forward");
    let received = poll(|| receiver.received(), |r| r.len() == 2).await;
    assert_eq!(received.len(), 2, "one failure, one retry");
    assert_eq!(
        received[1].header("x-chatwoot-delivery"),
        first.header("x-chatwoot-delivery")
    );
    assert_eq!(received[1].body, first.body, "the same payload");
    let status = poll(
        || delivery(&app, "SELECT status FROM event_deliveries"),
        |s| s.as_deref() == Some("delivered"),
    )
    .await;
    assert_eq!(status.as_deref(), Some("delivered"), "the retry is recorded");
}

#[tokio::test]
async fn private_addresses_are_refused_unless_allowed() {
    let app = spawn_app_with(|_| {}).await;
    let t = app.seed_team("Acme");
    let receiver = Receiver::start().await;
    webhook(&app, &t, &receiver.url, &["contact_created"]).await;
    app.account_call(
        t.admin.account_id,
        Method::POST,
        "/contacts",
        &t.admin.token,
        Some(json!({"name": "Jo", "email": "jo@x.test"})),
    )
    .await;
    let error = poll(
        || delivery(&app, "SELECT last_error FROM event_deliveries"),
        Option::is_some,
    )
    .await;
    let error = error.expect("the attempt was recorded");
    assert!(error.contains("not a public address"), "{error}");
    assert!(
        receiver.received().is_empty(),
        "nothing reached the loopback receiver"
    );
}

#[tokio::test]
async fn a_slow_receiver_delays_nobody_else() {
    let app = app_allowing_private().await;
    let t = app.seed_team("Acme");
    let slow = Receiver::start().await;
    slow.delay(Duration::from_secs(4));
    let fast = Receiver::start().await;
    webhook(&app, &t, &slow.url, &["contact_created"]).await;
    webhook(&app, &t, &fast.url, &["contact_created"]).await;
    let started = Instant::now();
    for i in 0..6 {
        app.account_call(
            t.admin.account_id,
            Method::POST,
            "/contacts",
            &t.admin.token,
            Some(json!({"name": format!("C{i}"), "email": format!("c{i}@x.test")})),
        )
        .await;
    }
    let fast_got = poll(|| fast.received().len(), |n| *n == 6).await;
    assert_eq!(fast_got, 6, "every event reached the fast receiver");
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    assert!(
        slow.received().len() <= 4,
        "the slow receiver gets at most four at once"
    );
}

#[tokio::test]
async fn in_process_subscribers_get_every_committed_event_once_in_order() {
    let app = spawn_app_with(|_| {}).await;
    let t = app.seed_team("Acme");
    let mut stream = app.state.events.subscribe();
    let (inbox, contact) = app.seed_api_inbox_and_contact(&t).await;
    start_conversation(&app, &t, inbox, contact).await;
    let mut names = Vec::new();
    while names.len() < 4 {
        let event = tokio::time::timeout(Duration::from_secs(5), stream.recv())
            .await
            .expect("an event within 5 s")
            .expect("not lagged");
        assert_eq!(event.account_id, t.admin.account_id);
        names.push(event.name.clone());
    }
    assert_eq!(
        names,
        [
            "inbox_created",
            "contact_created",
            "conversation_created",
            "message_created"
        ],
        "nobody subscribed, yet the events exist for in-process consumers"
    );
    let refused = app
        .account_call(
            t.admin.account_id,
            Method::POST,
            "/conversations",
            &t.admin.token,
            Some(json!({"inbox_id": inbox, "contact_id": 999_999})),
        )
        .await;
    assert_eq!(refused.0, 404);
    app.account_call(
        t.admin.account_id,
        Method::POST,
        "/labels",
        &t.admin.token,
        Some(json!({"title": "x"})),
    )
    .await;
    assert!(
        tokio::time::timeout(Duration::from_millis(300), stream.recv())
            .await
            .is_err(),
        "a rolled-back write and an unannounced change record nothing"
    );
}

#[tokio::test]
async fn failed_deliveries_have_chatwoots_side_effects() {
    let app = app_allowing_private().await;
    let t = app.seed_team("Acme");
    let a = t.admin.account_id;
    let inbox_receiver = Receiver::start().await;
    inbox_receiver.answer(&[500, 500, 500, 500]);
    let bot_receiver = Receiver::start().await;
    bot_receiver.answer(&[503, 503, 503, 503]);
    let (_, inbox) = app
        .account_call(
            a,
            Method::POST,
            "/inboxes",
            &t.admin.token,
            Some(json!({"name": "API", "channel": {"type": "api", "webhook_url": inbox_receiver.url}})),
        )
        .await;
    let (_, bot) = app
        .account_call(
            a,
            Method::POST,
            "/agent_bots",
            &t.admin.token,
            Some(json!({"name": "Helper", "outgoing_url": bot_receiver.url})),
        )
        .await;
    app.account_call(
        a,
        Method::POST,
        &format!("/inboxes/{}/set_agent_bot", inbox["id"]),
        &t.admin.token,
        Some(json!({"agent_bot": bot["id"]})),
    )
    .await;
    let (_, contact) = app
        .account_call(
            a,
            Method::POST,
            "/contacts",
            &t.admin.token,
            Some(json!({"name": "Jo", "email": "jo@x.test"})),
        )
        .await;
    let conversation = start_conversation(
        &app,
        &t,
        inbox["id"].as_i64().expect("inbox"),
        contact["payload"]["contact"]["id"].as_i64().expect("contact"),
    )
    .await;
    assert_eq!(conversation["status"], "pending", "a bot inbox starts pending");
    let id = conversation["id"].as_i64().expect("id");
    let path = format!("/conversations/{id}/messages");
    let mut outcome = (Value::Null, Value::Null, false);
    for _ in 0..100 {
        let (_, list) = app
            .account_call(a, Method::GET, &path, &t.admin.token, None)
            .await;
        let messages = list["payload"].as_array().cloned().unwrap_or_default();
        let hello = messages
            .iter()
            .find(|m| m["content"] == "Hello there")
            .cloned()
            .unwrap_or_default();
        let opened = messages.iter().any(|m| {
            m["content"] == "Conversation was marked open by system due to an error with the agent bot."
        });
        outcome = (
            hello["status"].clone(),
            hello["content_attributes"]["external_error"].clone(),
            opened,
        );
        if outcome.0 == "failed" && outcome.2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(outcome, (json!("failed"), json!("HTTP 500"), true));
    let (_, shown) = app
        .account_call(
            a,
            Method::GET,
            &format!("/conversations/{id}"),
            &t.admin.token,
            None,
        )
        .await;
    assert_eq!(shown["status"], "open", "handed to humans");
}

#[tokio::test]
async fn administrators_see_deliveries_and_redeliver() {
    let app = app_allowing_private().await;
    let t = app.seed_team("Acme");
    let other = app.seed_team("Globex");
    let a = t.admin.account_id;
    let receiver = Receiver::start().await;
    receiver.answer(&[500]);
    let hook = webhook(&app, &t, &receiver.url, &["contact_created"]).await;
    let other_hook = webhook(&app, &other, &receiver.url, &["contact_created"]).await;
    app.account_call(
        a,
        Method::POST,
        "/contacts",
        &t.admin.token,
        Some(json!({"name": "Jo", "email": "jo@x.test"})),
    )
    .await;
    let first = receiver.event("contact_created").await;
    let path = format!("/webhooks/{}/deliveries", hook["id"]);
    let mut page = Value::Null;
    for _ in 0..100 {
        page = app
            .account_call(a, Method::GET, &path, &t.admin.token, None)
            .await
            .1;
        if page["payload"][0]["attempts"] == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let row = page["payload"][0].clone();
    assert_eq!(row["delivery_id"].as_str(), first.header("x-chatwoot-delivery"));
    assert_eq!(
        (
            &row["event"],
            &row["status"],
            &row["attempts"],
            &row["response_status"],
            &row["error"]
        ),
        (
            &json!("contact_created"),
            &json!("pending"),
            &json!(1),
            &json!(500),
            &json!("HTTP 500")
        )
    );
    assert!(row["next_attempt_at"].is_string(), "the retry time: {row}");
    assert_eq!(page["meta"]["current_page"], 1);

    let (status, body) = app.account_call(a, Method::GET, &path, &t.agent, None).await;
    assert_eq!(
        (status, body),
        (401, crate::helpers::denied()),
        "administrators only"
    );
    let foreign = format!("/webhooks/{}/deliveries", other_hook["id"]);
    let (status, _) = app
        .account_call(a, Method::GET, &foreign, &t.admin.token, None)
        .await;
    assert_eq!(status, 404, "another account's webhook");
    let (status, _) = app
        .account_call(
            a,
            Method::POST,
            &format!("{path}/999999/redeliver"),
            &t.admin.token,
            None,
        )
        .await;
    assert_eq!(status, 404);

    let redeliver = format!("{path}/{}/redeliver", row["id"]);
    let (status, again) = app
        .account_call(a, Method::POST, &redeliver, &t.admin.token, None)
        .await;
    assert_eq!((status, &again["status"]), (200, &json!("pending")), "{again}");
    let received = poll(|| receiver.received(), |r| r.len() == 2).await;
    assert_eq!(received.len(), 2, "sent again at once");
    assert_eq!(
        received[1].header("x-chatwoot-delivery"),
        first.header("x-chatwoot-delivery")
    );
    let status = poll(
        || {
            delivery(
                &app,
                &format!("SELECT status FROM event_deliveries WHERE account_id = {a}"),
            )
        },
        |s| s.as_deref() == Some("delivered"),
    )
    .await;
    assert_eq!(status.as_deref(), Some("delivered"));
}
