//! Chatwoot's mobile app, replayed: the calls it makes from the server-URL check to a reply,
//! in its order, with only the three session headers it keeps (BEHAVIOR-clients §1). Every
//! answer must be 2xx with the shape the app reads, or the app shows an error toast.

use reqwest::Method;
use serde_json::{Value, json};

use crate::cable_client::{Cable, agent_identifier};
use crate::helpers::{TestApp, spawn_app};
use crate::live::{customer, public};
use crate::sign_in::{Session, sign_in};

/// `GET`/`POST` through the app's URL rewriting: relative paths go below the account.
async fn app_call(app: &TestApp, s: &Session, method: Method, path: &str, body: Option<Value>) -> Value {
    let account_id = s.body["data"]["account_id"].as_i64().expect("account_id");
    let full = if path.starts_with('/') {
        path.to_string()
    } else {
        format!("/api/v1/accounts/{account_id}/{path}")
    };
    let (status, answer) = s.call(app, method.clone(), &full, body).await;
    assert!(
        (200..300).contains(&status),
        "{method} {full} answered {status}: {answer} (the app would show an error toast)"
    );
    answer
}

fn semver(version: &str) -> (u64, u64, u64) {
    let mut parts = version
        .split('.')
        .map(|p| p.parse::<u64>().expect("numeric semver part"));
    let triple = (
        parts.next().expect("major"),
        parts.next().expect("minor"),
        parts.next().expect("patch"),
    );
    assert!(parts.next().is_none(), "three parts: {version}");
    triple
}

#[tokio::test]
async fn the_mobile_app_signs_in_lists_opens_replies_and_sees_new_messages_live() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let c = customer(&app, &t).await;
    c.say(&app, "Where is my parcel?").await;

    // Server discovery: `GET /api` with a semver version the app accepts (>= 4.1.0).
    let (status, api) = app.call(Method::GET, "/api", None, None).await;
    assert_eq!(status, 200);
    let version = api["version"].as_str().expect("version");
    assert!(semver(version) >= (4, 1, 0), "{version}");

    // Login: the app keeps `data` and three headers.
    let s = sign_in(&app, "agent@acme.test").await;
    let user = &s.body["data"];
    for key in [
        "id",
        "account_id",
        "accounts",
        "pubsub_token",
        "name",
        "email",
        "avatar_url",
        "available_name",
        "role",
        "type",
    ] {
        assert!(user.get(key).is_some(), "sign-in user lacks {key}: {user}");
    }
    // Chatwoot's user partial has availability per account, not at the top.
    let account = &user["accounts"][0];
    assert_eq!(account["availability_status"], "online", "{account}");
    assert_eq!(account["id"], t.admin.account_id);
    assert!(
        account["permissions"]
            .as_array()
            .is_some_and(|p| p.iter().any(|x| x == "agent" || x == "administrator")),
        "the Inbox and Conversations tabs need a permission: {account}"
    );

    // Start-up (AppTabs): profile, push registration, lists.
    let profile = app_call(&app, &s, Method::GET, "/api/v1/profile", None).await;
    assert_eq!(profile["id"], user["id"]);
    let subscription = app_call(
        &app,
        &s,
        Method::POST,
        "/api/v1/notification_subscriptions",
        Some(json!({"subscription_type": "fcm", "subscription_attributes": {
            "push_token": "fcm-token-1", "device_id": "device-1", "deviceName": "Pixel",
            "devicePlatform": "android", "apiLevel": "34", "brandName": "Google", "buildNumber": "1"}})),
    )
    .await;
    assert!(subscription.is_object(), "{subscription}");
    let inboxes = app_call(&app, &s, Method::GET, "inboxes", None).await;
    assert!(
        inboxes["payload"].as_array().is_some_and(|l| !l.is_empty()),
        "{inboxes}"
    );
    let labels = app_call(&app, &s, Method::GET, "labels", None).await;
    assert!(labels["payload"].is_array(), "{labels}");
    let dashboard_apps = app_call(&app, &s, Method::GET, "dashboard_apps", None).await;
    assert!(dashboard_apps.is_array(), "{dashboard_apps}");
    let attributes = app_call(&app, &s, Method::GET, "custom_attribute_definitions", None).await;
    assert!(attributes.is_array(), "{attributes}");
    let notifications = app_call(
        &app,
        &s,
        Method::GET,
        "notifications?sort_order=desc&includes[]=snoozed&includes[]=read&page=1",
        None,
    )
    .await;
    let meta = &notifications["data"]["meta"];
    assert!(
        meta["unread_count"].is_i64() && meta["count"].is_i64(),
        "{notifications}"
    );
    assert!(notifications["data"]["payload"].is_array());
    let settings = app_call(&app, &s, Method::GET, "notification_settings", None).await;
    assert!(settings["selected_push_flags"].is_array(), "{settings}");

    // The live socket, as the app subscribes.
    let mut cable = Cable::open(&app, Some("actioncable-v1-json, actioncable-unsupported")).await;
    assert_eq!(cable.next_frame().await, json!({"type": "welcome"}));
    let identifier = agent_identifier(
        user["pubsub_token"].as_str().expect("pubsub"),
        t.admin.account_id,
        user["id"].as_i64().expect("id"),
    );
    cable.subscribe_confirmed(&identifier).await;

    // Conversations tab.
    let list = app_call(
        &app,
        &s,
        Method::GET,
        "conversations?assignee_type=all&status=open&page=1&sort_by=latest",
        None,
    )
    .await;
    let meta = &list["data"]["meta"];
    for key in ["mine_count", "unassigned_count", "all_count"] {
        assert!(meta[key].is_i64(), "conversation meta lacks {key}: {meta}");
    }
    let first = &list["data"]["payload"][0];
    assert_eq!(first["id"], c.conversation, "{list}");
    let id = c.conversation;

    // The chat screen.
    let conversation = app_call(&app, &s, Method::GET, &format!("conversations/{id}"), None).await;
    assert_eq!(conversation["id"], id);
    let messages = app_call(
        &app,
        &s,
        Method::GET,
        &format!("conversations/{id}/messages"),
        None,
    )
    .await;
    assert!(messages["meta"].is_object(), "{messages}");
    assert_eq!(messages["payload"][0]["content"], "Where is my parcel?");
    let seen = app_call(
        &app,
        &s,
        Method::POST,
        &format!("conversations/{id}/update_last_seen"),
        None,
    )
    .await;
    let _ = seen;
    let participants = app_call(
        &app,
        &s,
        Method::GET,
        &format!("conversations/{id}/participants"),
        None,
    )
    .await;
    assert!(participants.is_array(), "{participants}");
    let macros = app_call(&app, &s, Method::GET, "macros", None).await;
    assert!(macros["payload"].is_array(), "{macros}");
    let inbox_id = conversation["inbox_id"].as_i64().expect("inbox id");
    let assignable = app_call(
        &app,
        &s,
        Method::GET,
        &format!("assignable_agents?inbox_ids[]={inbox_id}"),
        None,
    )
    .await;
    assert!(
        assignable["payload"]
            .as_array()
            .is_some_and(|agents| agents.iter().any(|a| a["id"] == user["id"])),
        "{assignable}"
    );
    let canned = app_call(&app, &s, Method::GET, "canned_responses", None).await;
    assert!(canned.is_array(), "{canned}");
    app_call(
        &app,
        &s,
        Method::POST,
        &format!("conversations/{id}/toggle_typing_status"),
        Some(json!({"typing_status": "on"})),
    )
    .await;

    // Reply with an echo id: the answer and the broadcast carry it.
    let reply = app_call(
        &app,
        &s,
        Method::POST,
        &format!("conversations/{id}/messages"),
        Some(json!({"content": "It ships today.", "private": false, "echo_id": "tmp-42"})),
    )
    .await;
    assert_eq!(reply["echo_id"], "tmp-42");
    assert_eq!(reply["content"], "It ships today.");
    let (created, _) = cable.until_event("message.created").await;
    assert_eq!(created["data"]["echo_id"], "tmp-42");
    assert_eq!(created["data"]["account_id"], t.admin.account_id);

    // A new customer message arrives live, with what the app's store needs.
    let (status, _) = app
        .call(
            Method::POST,
            &public(
                &c.identifier,
                &format!("/contacts/{}/conversations/{}/messages", c.source_id, id),
            ),
            None,
            Some(json!({"content": "Thanks!"})),
        )
        .await;
    assert_eq!(status, 200);
    let (incoming, _) = cable.until_event("message.created").await;
    let data = &incoming["data"];
    assert_eq!(data["content"], "Thanks!");
    assert_eq!(data["conversation_id"], id);
    assert!(data["conversation"]["unread_count"].is_i64(), "{data}");
    assert!(data["conversation"]["last_activity_at"].is_i64(), "{data}");

    // Actions from the chat header; then logout removes the push registration.
    app_call(
        &app,
        &s,
        Method::POST,
        &format!("conversations/{id}/toggle_status"),
        Some(json!({"status": "resolved"})),
    )
    .await;
    let (changed, _) = cable.until_event("conversation.status_changed").await;
    assert_eq!(changed["data"]["status"], "resolved");
    app_call(
        &app,
        &s,
        Method::DELETE,
        "/api/v1/notification_subscriptions",
        Some(json!({"push_token": "fcm-token-1"})),
    )
    .await;
}
