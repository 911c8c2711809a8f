//! Notifications (`/api/v1/accounts/{id}/notifications`), their creation by assignment, mention
//! and new messages, live `notification.*` frames, notification settings, push subscriptions
//! and `profile/set_active_account`.

use reqwest::Method;
use serde_json::{Value, json};

use crate::cable_client::{Cable, agent_identifier};
use crate::helpers::{Team, TestApp, error, no_credentials, not_found, spawn_app};

/// An account with an API inbox (the agent is a member) and one conversation with Jo; returns
/// the conversation's display id.
async fn conversation(app: &TestApp, t: &Team) -> (i64, i64) {
    let (inbox, contact) = app.seed_api_inbox_and_contact(t).await;
    let (status, c) = app
        .account_call(
            t.admin.account_id,
            Method::POST,
            "/conversations",
            &t.admin.token,
            Some(json!({"inbox_id": inbox, "contact_id": contact})),
        )
        .await;
    assert_eq!(status, 200, "{c}");
    (c["id"].as_i64().expect("display id"), inbox)
}

async fn assign(app: &TestApp, t: &Team, token: &str, display: i64, user: i64) {
    let (status, body) = app
        .account_call(
            t.admin.account_id,
            Method::POST,
            &format!("/conversations/{display}/assignments"),
            token,
            Some(json!({"assignee_id": user})),
        )
        .await;
    assert_eq!(status, 200, "{body}");
}

async fn post_message(app: &TestApp, t: &Team, token: &str, display: i64, body: Value) {
    let (status, answer) = app
        .account_call(
            t.admin.account_id,
            Method::POST,
            &format!("/conversations/{display}/messages"),
            token,
            Some(body),
        )
        .await;
    assert_eq!(status, 200, "{answer}");
}

async fn list(app: &TestApp, t: &Team, token: &str, query: &str) -> Value {
    let (status, body) = app
        .account_call(
            t.admin.account_id,
            Method::GET,
            &format!("/notifications{query}"),
            token,
            None,
        )
        .await;
    assert_eq!(status, 200, "{body}");
    body
}

fn keys(value: &Value) -> Vec<&str> {
    value
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect()
}

#[tokio::test]
async fn assignment_notifies_the_assignee_in_chatwoots_shape() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let (display, inbox) = conversation(&app, &t).await;
    assert_eq!(app.count("notifications"), 0, "nobody subscribed to creations");
    assign(&app, &t, &t.admin.token, display, t.agent_id).await;

    let body = list(
        &app,
        &t,
        &t.agent,
        "?sort_order=desc&includes[]=snoozed&includes[]=read&page=1",
    )
    .await;
    assert_eq!(
        body["data"]["meta"],
        json!({"unread_count": 1, "count": 1, "current_page": "1"})
    );
    let n = &body["data"]["payload"][0];
    assert_eq!(
        keys(n),
        [
            "id",
            "notification_type",
            "push_message_title",
            "primary_actor_type",
            "primary_actor_id",
            "primary_actor",
            "read_at",
            "secondary_actor",
            "user",
            "created_at",
            "last_activity_at",
            "snoozed_until",
            "meta"
        ]
    );
    assert_eq!(n["notification_type"], "conversation_assignment");
    assert_eq!(
        n["push_message_title"],
        format!("A conversation (#{display}) has been assigned to you")
    );
    assert_eq!(n["primary_actor_type"], "Conversation");
    assert!(n["primary_actor_id"].is_i64());
    assert_eq!(n["primary_actor"]["id"], display);
    assert_eq!(n["primary_actor"]["inbox_id"], inbox);
    assert_eq!(n["primary_actor"]["meta"]["assignee"]["id"], t.agent_id);
    assert!(n["primary_actor"]["meta"]["sender"].is_object());
    assert_eq!(n["read_at"], Value::Null);
    assert_eq!(n["snoozed_until"], Value::Null);
    assert_eq!(n["meta"], json!({}));
    assert!(n["created_at"].is_i64() && n["last_activity_at"].is_i64());
    // The assigner is the secondary actor; the user is the one notified (push_event_data).
    assert_eq!(n["secondary_actor"]["id"], t.admin.user_id);
    assert_eq!(n["secondary_actor"]["type"], "user");
    assert_eq!(
        keys(&n["user"]),
        [
            "id",
            "name",
            "available_name",
            "avatar_url",
            "type",
            "availability_status",
            "thumbnail"
        ]
    );
    assert_eq!(n["user"]["id"], t.agent_id);

    // Without `page` the meta says page 1 (a number); the administrator has nothing.
    assert_eq!(
        list(&app, &t, &t.agent, "").await["data"]["meta"]["current_page"],
        1
    );
    let theirs = list(&app, &t, &t.admin.token, "").await;
    assert_eq!(theirs["data"]["payload"], json!([]));
    assert_eq!(theirs["data"]["meta"]["count"], 0);

    // Without credentials: devise's 401; another account's user: the account gate.
    let (status, body) = app
        .call(
            Method::GET,
            &format!("/api/v1/accounts/{}/notifications", t.admin.account_id),
            None,
            None,
        )
        .await;
    assert_eq!((status, body), (401, no_credentials()));
    let globex = app.seed_team("Globex");
    let (status, body) = app
        .account_call(
            t.admin.account_id,
            Method::GET,
            "/notifications",
            &globex.admin.token,
            None,
        )
        .await;
    assert_eq!(
        (status, body),
        (401, error("You are not authorized to access this account"))
    );
}

#[tokio::test]
async fn self_assignment_notifies_nobody() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let (display, _) = conversation(&app, &t).await;
    assign(&app, &t, &t.agent, display, t.agent_id).await;
    assert_eq!(app.count("notifications"), 0, "the agent assigned themselves");
    // Resolving and reopening as an agent self-assigns too: still nothing.
    assign(&app, &t, &t.admin.token, display, t.admin.user_id).await;
    let (status, _) = app
        .account_call(
            t.admin.account_id,
            Method::POST,
            &format!("/conversations/{display}/toggle_status"),
            &t.agent,
            Some(json!({"status": "open"})),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(app.count("notifications"), 0);
    // Assigned by someone else: notified.
    assign(&app, &t, &t.agent, display, t.admin.user_id).await;
    let body = list(&app, &t, &t.admin.token, "").await;
    assert_eq!(
        body["data"]["payload"][0]["notification_type"],
        "conversation_assignment"
    );
}

#[tokio::test]
async fn a_mention_in_a_private_note_notifies_who_can_see_the_inbox() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let globex = app.seed_team("Globex");
    let (display, _) = conversation(&app, &t).await;
    let content = format!(
        "Can you look? [@Member](mention://user/{}/Member) [@Stranger](mention://user/{}/Stranger)",
        t.agent_id, globex.agent_id
    );
    post_message(
        &app,
        &t,
        &t.admin.token,
        display,
        json!({"content": content, "private": true}),
    )
    .await;
    let body = list(&app, &t, &t.agent, "").await;
    let n = &body["data"]["payload"][0];
    assert_eq!(n["notification_type"], "conversation_mention");
    assert_eq!(
        n["push_message_title"],
        format!("You have been mentioned in conversation (#{display})")
    );
    assert_eq!(n["secondary_actor"]["content"], content.as_str());
    assert_eq!(n["secondary_actor"]["private"], true);
    assert_eq!(app.count("notifications"), 1, "only the member of the inbox");

    // The same text as a public reply mentions nobody.
    post_message(&app, &t, &t.admin.token, display, json!({"content": content})).await;
    assert_eq!(app.count("notifications"), 1);
}

#[tokio::test]
async fn new_messages_notify_the_assignee_unless_they_wrote_them() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let (display, _) = conversation(&app, &t).await;
    assign(&app, &t, &t.admin.token, display, t.agent_id).await;

    post_message(
        &app,
        &t,
        &t.admin.token,
        display,
        json!({"content": "Hello from the customer", "message_type": "incoming"}),
    )
    .await;
    let body = list(&app, &t, &t.agent, "").await;
    let payload = body["data"]["payload"].as_array().expect("list");
    assert_eq!(
        payload.len(),
        1,
        "the older notification of the conversation is replaced"
    );
    let n = &payload[0];
    assert_eq!(n["notification_type"], "assigned_conversation_new_message");
    assert_eq!(
        n["push_message_title"],
        format!("A new message is created in conversation (#{display})")
    );
    assert_eq!(n["secondary_actor"]["content"], "Hello from the customer");
    assert_eq!(n["secondary_actor"]["message_type"], 0);
    let first = n["id"].clone();

    // Another agent's public reply notifies; the assignee's own reply and private notes do not.
    post_message(&app, &t, &t.admin.token, display, json!({"content": "On it"})).await;
    let second = list(&app, &t, &t.agent, "").await["data"]["payload"][0]["id"].clone();
    assert_ne!(second, first);
    post_message(&app, &t, &t.agent, display, json!({"content": "Done"})).await;
    post_message(
        &app,
        &t,
        &t.admin.token,
        display,
        json!({"content": "internal", "private": true}),
    )
    .await;
    let after = list(&app, &t, &t.agent, "").await;
    assert_eq!(after["data"]["payload"][0]["id"], second);
    assert_eq!(after["data"]["meta"]["count"], 1);
}

#[tokio::test]
async fn participants_hear_of_new_messages_they_did_not_write() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let (display, _) = conversation(&app, &t).await;
    let (status, _) = app
        .account_call(
            t.admin.account_id,
            Method::POST,
            &format!("/conversations/{display}/participants"),
            &t.admin.token,
            Some(json!({"user_ids": [t.agent_id, t.admin.user_id]})),
        )
        .await;
    assert_eq!(status, 200);
    post_message(
        &app,
        &t,
        &t.admin.token,
        display,
        json!({"content": "Any update?", "message_type": "incoming"}),
    )
    .await;
    for token in [&t.agent, &t.admin.token] {
        let n = &list(&app, &t, token, "").await["data"]["payload"][0];
        assert_eq!(
            n["notification_type"], "participating_conversation_new_message",
            "{n}"
        );
        assert_eq!(n["secondary_actor"]["content"], "Any update?");
    }
    // The participant who writes a reply is not told of it; the other one is.
    post_message(&app, &t, &t.agent, display, json!({"content": "Looking"})).await;
    let mine = list(&app, &t, &t.agent, "").await;
    assert_eq!(
        mine["data"]["payload"][0]["secondary_actor"]["content"],
        "Any update?"
    );
    let theirs = list(&app, &t, &t.admin.token, "").await;
    assert_eq!(
        theirs["data"]["payload"][0]["secondary_actor"]["content"],
        "Looking"
    );
}

/// The agent's one notification (an assignment) and its id.
async fn notified(app: &TestApp, t: &Team) -> i64 {
    let (display, _) = conversation(app, t).await;
    assign(app, t, &t.admin.token, display, t.agent_id).await;
    list(app, t, &t.agent, "").await["data"]["payload"][0]["id"]
        .as_i64()
        .expect("id")
}

async fn unread_count(app: &TestApp, t: &Team, token: &str) -> Value {
    let (status, body) = app
        .account_call(
            t.admin.account_id,
            Method::GET,
            "/notifications/unread_count",
            token,
            None,
        )
        .await;
    assert_eq!(status, 200);
    body
}

#[tokio::test]
async fn read_unread_snooze_and_delete_touch_only_ones_own() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let id = notified(&app, &t).await;
    assert_eq!(unread_count(&app, &t, &t.agent).await, 1);
    let a = t.admin.account_id;
    let at = |rest: &str| format!("/notifications/{id}{rest}");

    // Another user of the account: 404 on every action, and nothing changes.
    for (method, rest) in [
        (Method::PATCH, ""),
        (Method::POST, "/unread"),
        (Method::POST, "/snooze"),
        (Method::DELETE, ""),
    ] {
        let (status, body) = app
            .account_call(
                a,
                method.clone(),
                &at(rest),
                &t.admin.token,
                Some(json!({"snoozed_until": 2_000_000_000})),
            )
            .await;
        assert_eq!((status, body), (404, not_found()), "{method} {rest}");
    }
    assert_eq!(unread_count(&app, &t, &t.agent).await, 1);
    let (_, untouched) = app
        .account_call(
            a,
            Method::GET,
            "/notifications?includes[]=snoozed",
            &t.agent,
            None,
        )
        .await;
    assert_eq!(untouched["data"]["payload"][0]["snoozed_until"], Value::Null);

    // Read: the model's JSON; the default list hides read notifications.
    let (status, read) = app.account_call(a, Method::PATCH, &at(""), &t.agent, None).await;
    assert_eq!(status, 200, "{read}");
    assert_eq!(
        keys(&read),
        [
            "id",
            "account_id",
            "user_id",
            "notification_type",
            "primary_actor_type",
            "primary_actor_id",
            "secondary_actor_type",
            "secondary_actor_id",
            "read_at",
            "created_at",
            "updated_at",
            "snoozed_until",
            "last_activity_at",
            "meta"
        ]
    );
    assert_eq!(read["user_id"], t.agent_id);
    assert_eq!(read["secondary_actor_type"], "User");
    assert!(read["read_at"].as_str().is_some_and(|s| s.ends_with('Z')));
    assert_eq!(unread_count(&app, &t, &t.agent).await, 0);
    assert_eq!(list(&app, &t, &t.agent, "").await["data"]["payload"], json!([]));
    let with_read = list(&app, &t, &t.agent, "?includes[]=read").await;
    assert_eq!(
        with_read["data"]["meta"],
        json!({"unread_count": 0, "count": 1, "current_page": 1})
    );

    // Unread again, then snoozed: hidden unless snoozed ones are included.
    let (status, unread) = app
        .account_call(a, Method::POST, &at("/unread"), &t.agent, None)
        .await;
    assert_eq!((status, &unread["read_at"]), (200, &Value::Null));
    let (status, bad) = app
        .account_call(
            a,
            Method::POST,
            &at("/snooze"),
            &t.agent,
            Some(json!({"snoozed_until": "tomorrow"})),
        )
        .await;
    assert_eq!(status, 422, "{bad}");
    assert_eq!(list(&app, &t, &t.agent, "").await["data"]["meta"]["count"], 1);
    let (status, snoozed) = app
        .account_call(
            a,
            Method::POST,
            &at("/snooze"),
            &t.agent,
            Some(json!({"snoozed_until": 2_000_000_000})),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(snoozed["snoozed_until"], "2033-05-18T03:33:20.000Z");
    assert_eq!(snoozed["meta"], json!({"last_snoozed_at": null}));
    assert_eq!(list(&app, &t, &t.agent, "").await["data"]["meta"]["count"], 0);
    assert_eq!(
        unread_count(&app, &t, &t.agent).await,
        0,
        "snoozed is not counted"
    );
    let (_, with_snoozed) = app
        .account_call(
            a,
            Method::GET,
            "/notifications/unread_count?includes[]=snoozed",
            &t.agent,
            None,
        )
        .await;
    assert_eq!(with_snoozed, 1);
    let shown = list(&app, &t, &t.agent, "?includes[]=snoozed").await;
    assert_eq!(
        shown["data"]["payload"][0]["snoozed_until"],
        "2033-05-18T03:33:20.000Z"
    );

    // read_all: a bad id is refused with nothing written; then everything is read.
    let (status, _) = app
        .account_call(
            a,
            Method::POST,
            "/notifications/read_all",
            &t.agent,
            Some(json!({"primary_actor_type": "Conversation", "primary_actor_id": "x"})),
        )
        .await;
    assert_eq!(status, 422);
    let counts = list(&app, &t, &t.agent, "?includes[]=snoozed").await;
    assert_eq!(counts["data"]["meta"]["unread_count"], 1);
    let (status, body) = app
        .account_call(a, Method::POST, "/notifications/read_all", &t.agent, None)
        .await;
    assert_eq!((status, body), (200, Value::Null));
    let counts = list(&app, &t, &t.agent, "?includes[]=snoozed&includes[]=read").await;
    assert_eq!(counts["data"]["meta"]["unread_count"], 0);

    // Delete: gone for the agent.
    let (status, body) = app.account_call(a, Method::DELETE, &at(""), &t.agent, None).await;
    assert_eq!((status, body), (200, Value::Null));
    assert_eq!(app.count("notifications"), 0);
    let (status, _) = app.account_call(a, Method::PATCH, &at(""), &t.agent, None).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn read_all_of_one_conversation_and_destroy_all() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let (first, inbox) = conversation(&app, &t).await;
    assign(&app, &t, &t.admin.token, first, t.agent_id).await;
    let (_, contact) = app
        .account_call(
            t.admin.account_id,
            Method::POST,
            "/contacts",
            &t.admin.token,
            Some(json!({"name": "Al", "email": "al@example.test"})),
        )
        .await;
    let (_, c) = app
        .account_call(
            t.admin.account_id,
            Method::POST,
            "/conversations",
            &t.admin.token,
            Some(json!({"inbox_id": inbox, "contact_id": contact["payload"]["contact"]["id"]})),
        )
        .await;
    let second = c["id"].as_i64().expect("display id");
    assign(&app, &t, &t.admin.token, second, t.agent_id).await;
    let body = list(&app, &t, &t.agent, "").await;
    assert_eq!(body["data"]["meta"]["count"], 2);
    let target = body["data"]["payload"]
        .as_array()
        .expect("list")
        .iter()
        .find(|n| n["primary_actor"]["id"] == first)
        .expect("the first conversation's notification")["primary_actor_id"]
        .clone();
    let (status, _) = app
        .account_call(
            t.admin.account_id,
            Method::POST,
            "/notifications/read_all",
            &t.agent,
            Some(json!({"primary_actor_type": "Conversation", "primary_actor_id": target})),
        )
        .await;
    assert_eq!(status, 200);
    let left = list(&app, &t, &t.agent, "").await;
    assert_eq!(left["data"]["meta"]["count"], 1);
    assert_eq!(left["data"]["payload"][0]["primary_actor"]["id"], second);

    let (status, _) = app
        .account_call(
            t.admin.account_id,
            Method::POST,
            "/notifications/destroy_all",
            &t.agent,
            Some(json!({"type": "read"})),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(app.count("notifications"), 1, "only the read one went");
    let (status, _) = app
        .account_call(
            t.admin.account_id,
            Method::POST,
            "/notifications/destroy_all",
            &t.agent,
            None,
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(app.count("notifications"), 0);
}

#[tokio::test]
async fn notification_frames_arrive_over_a_real_websocket() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let (display, _) = conversation(&app, &t).await;
    let (_, profile) = app
        .call(Method::GET, "/api/v1/profile", Some(&t.agent), None)
        .await;
    let pubsub = profile["pubsub_token"].as_str().expect("pubsub").to_string();
    let mut cable = Cable::open_welcomed(&app).await;
    cable
        .subscribe_confirmed(&agent_identifier(&pubsub, t.admin.account_id, t.agent_id))
        .await;

    assign(&app, &t, &t.admin.token, display, t.agent_id).await;
    let (created, _) = cable.until_event("notification.created").await;
    let data = &created["data"];
    assert_eq!(data["account_id"], t.admin.account_id);
    assert_eq!(data["unread_count"], 1);
    assert_eq!(data["count"], 1);
    let n = &data["notification"];
    assert_eq!(n["notification_type"], "conversation_assignment");
    assert_eq!(n["account_id"], t.admin.account_id);
    assert_eq!(n["primary_actor"]["id"], display);
    assert_eq!(n["user"]["id"], t.agent_id);
    assert_eq!(
        n["push_message_title"],
        format!("A conversation (#{display}) has been assigned to you")
    );
    let id = n["id"].as_i64().expect("id");

    let (status, _) = app
        .account_call(
            t.admin.account_id,
            Method::DELETE,
            &format!("/notifications/{id}"),
            &t.agent,
            None,
        )
        .await;
    assert_eq!(status, 200);
    let (deleted, _) = cable.until_event("notification.deleted").await;
    assert_eq!(
        deleted["data"],
        json!({"notification": {"id": id}, "unread_count": 0, "count": 0,
               "account_id": t.admin.account_id})
    );
}

#[tokio::test]
async fn settings_round_trip_and_gate_conversation_creation() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let (_, inbox) = conversation(&app, &t).await;
    let a = t.admin.account_id;
    let (status, settings) = app
        .account_call(a, Method::GET, "/notification_settings", &t.agent, None)
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        keys(&settings),
        [
            "id",
            "user_id",
            "account_id",
            "all_email_flags",
            "selected_email_flags",
            "all_push_flags",
            "selected_push_flags"
        ]
    );
    assert_eq!(settings["user_id"], t.agent_id);
    assert_eq!(settings["account_id"], a);
    assert_eq!(
        settings["selected_email_flags"],
        json!(["email_conversation_assignment"])
    );
    assert_eq!(
        settings["selected_push_flags"],
        json!(["push_conversation_assignment"])
    );
    assert_eq!(settings["all_push_flags"][0], "push_conversation_creation");
    assert_eq!(settings["all_email_flags"].as_array().map(Vec::len), Some(8));

    // A wrong flag or a missing body changes nothing.
    let (status, _) = app
        .account_call(
            a,
            Method::PUT,
            "/notification_settings",
            &t.agent,
            Some(json!({"notification_settings": {"selected_push_flags": ["push_everything"]}})),
        )
        .await;
    assert_eq!(status, 422);
    let (status, body) = app
        .account_call(a, Method::PUT, "/notification_settings", &t.agent, None)
        .await;
    assert_eq!(
        (status, body),
        (
            422,
            error("param is missing or the value is empty: notification_settings")
        )
    );
    let (_, same) = app
        .account_call(a, Method::GET, "/notification_settings", &t.agent, None)
        .await;
    assert_eq!(same, settings);

    let (status, updated) = app
        .account_call(
            a,
            Method::PUT,
            "/notification_settings",
            &t.agent,
            Some(json!({"notification_settings": {
                "selected_email_flags": [],
                "selected_push_flags": ["push_conversation_mention", "push_conversation_creation"]}})),
        )
        .await;
    assert_eq!(status, 200, "{updated}");
    assert_eq!(updated["id"], settings["id"]);
    assert_eq!(updated["selected_email_flags"], json!([]));
    assert_eq!(
        updated["selected_push_flags"],
        json!(["push_conversation_creation", "push_conversation_mention"])
    );
    let (_, again) = app
        .account_call(a, Method::GET, "/notification_settings", &t.agent, None)
        .await;
    assert_eq!(again, updated);

    // Subscribed to creations: a new conversation in the inbox notifies the agent.
    let (_, contact) = app
        .account_call(
            a,
            Method::POST,
            "/contacts",
            &t.admin.token,
            Some(json!({"name": "Al", "email": "al@example.test"})),
        )
        .await;
    let (status, c) = app
        .account_call(
            a,
            Method::POST,
            "/conversations",
            &t.admin.token,
            Some(json!({"inbox_id": inbox, "contact_id": contact["payload"]["contact"]["id"]})),
        )
        .await;
    assert_eq!(status, 200, "{c}");
    let n = &list(&app, &t, &t.agent, "").await["data"]["payload"][0];
    assert_eq!(n["notification_type"], "conversation_creation");
    assert_eq!(
        n["push_message_title"],
        format!("A conversation (#{}) has been created in API", c["id"])
    );
    assert_eq!(
        app.count("notifications"),
        1,
        "the administrator is not an inbox member"
    );
}

#[tokio::test]
async fn push_subscriptions_are_stored_and_removed() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let path = "/api/v1/notification_subscriptions";
    let attributes = json!({"push_token": "fcm-token-1", "device_id": "device-1", "deviceName": "Pixel",
        "devicePlatform": "android", "apiLevel": "34", "brandName": "google", "buildNumber": "77"});
    let (status, created) = app
        .call(
            Method::POST,
            path,
            Some(&t.agent),
            Some(json!({"subscription_type": "fcm", "subscription_attributes": attributes})),
        )
        .await;
    assert_eq!(status, 200, "{created}");
    assert_eq!(
        keys(&created),
        [
            "id",
            "user_id",
            "subscription_type",
            "subscription_attributes",
            "created_at",
            "updated_at",
            "identifier"
        ]
    );
    assert_eq!(created["subscription_type"], "fcm");
    assert_eq!(created["subscription_attributes"], attributes);
    assert_eq!(created["identifier"], "device-1");
    assert_eq!(created["user_id"], t.agent_id);

    // The same device again (Rails' wrapped form), now signed in as the administrator: moved.
    let (status, moved) = app
        .call(
            Method::POST,
            path,
            Some(&t.admin.token),
            Some(json!({"notification_subscription": {"subscription_type": "fcm",
                "subscription_attributes": {"push_token": "fcm-token-2", "device_id": "device-1"}}})),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(moved["id"], created["id"]);
    assert_eq!(moved["user_id"], t.admin.user_id);
    assert_eq!(app.count("notification_subscriptions"), 1);

    // Bad input writes nothing.
    for body in [
        json!({"subscription_type": "carrier_pigeon", "subscription_attributes": {"device_id": "d"}}),
        json!({"subscription_type": "fcm", "subscription_attributes": {"push_token": "t"}}),
        json!({}),
    ] {
        let (status, answer) = app.call(Method::POST, path, Some(&t.agent), Some(body)).await;
        assert_eq!(status, 422, "{answer}");
    }
    assert_eq!(app.count("notification_subscriptions"), 1);

    // Another user's token is not theirs to delete; the owner's is.
    let (status, _) = app
        .call(
            Method::DELETE,
            path,
            Some(&t.agent),
            Some(json!({"push_token": "fcm-token-2"})),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(app.count("notification_subscriptions"), 1);
    let (status, body) = app
        .call(
            Method::DELETE,
            path,
            Some(&t.admin.token),
            Some(json!({"push_token": "fcm-token-2"})),
        )
        .await;
    assert_eq!((status, body), (200, Value::Null));
    assert_eq!(app.count("notification_subscriptions"), 0);

    for method in [Method::POST, Method::DELETE] {
        let (status, body) = app.call(method, path, None, Some(json!({}))).await;
        assert_eq!((status, body), (401, no_credentials()));
    }
}

#[tokio::test]
async fn set_active_account_moves_the_users_account_id() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let other = app.seed_account("Other", "owner@other.test");
    let globex = app.seed_team("Globex");
    app.state
        .db
        .write_sync(|tx| {
            parlor::db::account_users::upsert(
                tx,
                other.account_id,
                t.agent_id,
                parlor::db::account_users::Role::Agent,
                None,
            )
        })
        .expect("second membership");
    let path = "/api/v1/profile/set_active_account";
    for account in [other.account_id, t.admin.account_id] {
        let (status, body) = app
            .call(
                Method::PUT,
                path,
                Some(&t.agent),
                Some(json!({"profile": {"account_id": account}})),
            )
            .await;
        assert_eq!((status, body), (200, Value::Null));
        let (_, profile) = app
            .call(Method::GET, "/api/v1/profile", Some(&t.agent), None)
            .await;
        assert_eq!(profile["account_id"], account);
    }
    // Not a member: 404 and the active account stays.
    let (status, body) = app
        .call(
            Method::PUT,
            path,
            Some(&t.agent),
            Some(json!({"profile": {"account_id": globex.admin.account_id}})),
        )
        .await;
    assert_eq!((status, body), (404, not_found()));
    let (status, _) = app.call(Method::PUT, path, Some(&t.agent), Some(json!({}))).await;
    assert_eq!(status, 422);
    let (_, profile) = app
        .call(Method::GET, "/api/v1/profile", Some(&t.agent), None)
        .await;
    assert_eq!(profile["account_id"], t.admin.account_id);
    let (status, body) = app
        .call(
            Method::PUT,
            path,
            None,
            Some(json!({"profile": {"account_id": 1}})),
        )
        .await;
    assert_eq!((status, body), (401, no_credentials()));
}
