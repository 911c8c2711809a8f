//! Reporting events written by conversation changes, read through
//! `GET conversations/{id}/reporting_events`.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{Team, TestApp, assert_keys, no_credentials, not_found, spawn_app};

/// An API inbox (agent is a member), a contact and conversation 1 between them.
async fn conversation(app: &TestApp, t: &Team, token: &str) -> i64 {
    let a = t.admin.account_id;
    let (inbox, contact) = app.seed_api_inbox_and_contact(t).await;
    let (status, body) = app
        .account_call(
            a,
            Method::POST,
            "/conversations",
            token,
            Some(json!({"inbox_id": inbox, "contact_id": contact})),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    inbox
}

async fn say(app: &TestApp, t: &Team, token: &str, body: Value) {
    let (status, reply) = app
        .account_call(
            t.admin.account_id,
            Method::POST,
            "/conversations/1/messages",
            token,
            Some(body),
        )
        .await;
    assert_eq!(status, 200, "{reply}");
}

async fn toggle(app: &TestApp, t: &Team, token: &str, status_name: &str) {
    let (status, body) = app
        .account_call(
            t.admin.account_id,
            Method::POST,
            "/conversations/1/toggle_status",
            token,
            Some(json!({"status": status_name})),
        )
        .await;
    assert_eq!(status, 200, "{body}");
}

async fn events(app: &TestApp, t: &Team) -> Vec<Value> {
    let (status, body) = app
        .account_call(
            t.admin.account_id,
            Method::GET,
            "/conversations/1/reporting_events",
            &t.admin.token,
            None,
        )
        .await;
    assert_eq!(status, 200, "{body}");
    body.as_array().expect("a bare array").clone()
}

fn names(events: &[Value]) -> Vec<&str> {
    events.iter().map(|e| e["name"].as_str().expect("name")).collect()
}

#[tokio::test]
async fn agent_replies_resolutions_and_reopening_are_measured() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let inbox = conversation(&app, &t, &t.admin.token).await;
    assert!(events(&app, &t).await.is_empty(), "creating writes nothing");

    say(
        &app,
        &t,
        &t.admin.token,
        json!({"content": "Hi", "message_type": "incoming"}),
    )
    .await;
    say(
        &app,
        &t,
        &t.admin.token,
        json!({"content": "a note", "private": true}),
    )
    .await;
    assert!(events(&app, &t).await.is_empty(), "private notes are not replies");
    say(&app, &t, &t.agent, json!({"content": "Hello, how can I help?"})).await;
    say(
        &app,
        &t,
        &t.admin.token,
        json!({"content": "My order", "message_type": "incoming"}),
    )
    .await;
    say(&app, &t, &t.agent, json!({"content": "On its way"})).await;
    say(&app, &t, &t.agent, json!({"content": "Anything else?"})).await;
    toggle(&app, &t, &t.agent, "resolved").await;
    // A new incoming message reopens the conversation.
    say(
        &app,
        &t,
        &t.admin.token,
        json!({"content": "One more thing", "message_type": "incoming"}),
    )
    .await;

    let list = events(&app, &t).await;
    assert_eq!(
        names(&list),
        [
            "first_response",
            "reply_time",
            "conversation_resolved",
            "conversation_opened"
        ],
        "a second reply without a new customer message measures nothing"
    );
    let first = &list[0];
    assert_keys(
        first,
        &[
            "id",
            "name",
            "value",
            "value_in_business_hours",
            "event_start_time",
            "event_end_time",
            "account_id",
            "inbox_id",
            "user_id",
            "conversation_id",
            "created_at",
            "updated_at",
        ],
    );
    assert_eq!(first["user_id"], t.agent_id, "the replying agent");
    assert_eq!(first["inbox_id"], inbox);
    assert_eq!(first["account_id"], t.admin.account_id);
    assert_eq!(first["value_in_business_hours"], 0.0, "working hours are off");
    for e in &list {
        let value = e["value"].as_f64().expect("seconds");
        assert!((0.0..60.0).contains(&value), "{e}");
        assert!(e["event_start_time"].as_str().expect("iso") <= e["event_end_time"].as_str().expect("iso"));
    }
    assert_eq!(
        list[2]["user_id"],
        Value::Null,
        "a resolution counts for the assignee; nobody was assigned"
    );

    assert!(
        list[0]["conversation_id"].is_i64(),
        "the internal conversation id"
    );
}

#[tokio::test]
async fn bots_hand_off_and_resolve_on_their_own() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let a = t.admin.account_id;
    let (_, bot) = app
        .account_call(
            a,
            Method::POST,
            "/agent_bots",
            &t.admin.token,
            Some(json!({"name": "Helper"})),
        )
        .await;
    let bot_token = bot["access_token"].as_str().expect("bot token").to_string();
    let inbox = conversation(&app, &t, &bot_token).await;
    let (status, _) = app
        .account_call(
            a,
            Method::POST,
            &format!("/inboxes/{inbox}/set_agent_bot"),
            &t.admin.token,
            Some(json!({"agent_bot": bot["id"]})),
        )
        .await;
    assert_eq!(status, 200);
    // Working hours around the clock: business time equals wall time.
    let week: Vec<Value> = (0..7)
        .map(|day| json!({"day_of_week": day, "open_all_day": true, "closed_all_day": false}))
        .collect();
    let (status, body) = app
        .account_call(
            a,
            Method::PATCH,
            &format!("/inboxes/{inbox}"),
            &t.admin.token,
            Some(json!({"working_hours_enabled": true, "working_hours": week, "timezone": "Europe/Berlin"})),
        )
        .await;
    assert_eq!(status, 200, "{body}");

    say(&app, &t, &bot_token, json!({"content": "I am a bot"})).await;
    toggle(&app, &t, &bot_token, "resolved").await;
    toggle(&app, &t, &bot_token, "pending").await;
    toggle(&app, &t, &bot_token, "open").await; // hand-off to the agents
    toggle(&app, &t, &bot_token, "pending").await;
    toggle(&app, &t, &bot_token, "open").await; // a second hand-off is not counted
    say(&app, &t, &t.agent, json!({"content": "A human here"})).await;
    toggle(&app, &t, &t.agent, "resolved").await;

    let list = events(&app, &t).await;
    assert_eq!(
        names(&list),
        [
            "conversation_resolved",
            "conversation_bot_resolved",
            "conversation_bot_handoff",
            "conversation_opened",
            "conversation_opened",
            "first_response",
            "conversation_resolved",
        ],
        "bot replies are not first responses; after a human reply a resolution is not the bot's"
    );
    for e in &list {
        assert_eq!(e["value_in_business_hours"], e["value"], "{e}");
    }
    let handoff_end = list[2]["event_end_time"].as_str().expect("iso").to_string();
    assert!(
        list[5]["event_start_time"].as_str().expect("iso") >= handoff_end.as_str(),
        "the first response is measured from the last hand-over"
    );
}

#[tokio::test]
async fn events_are_for_those_who_see_the_conversation() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    conversation(&app, &t, &t.admin.token).await;
    let path = format!(
        "/api/v1/accounts/{}/conversations/1/reporting_events",
        t.admin.account_id
    );
    assert_eq!(
        app.call(Method::GET, &path, None, None).await,
        (401, no_credentials())
    );
    let other = app.seed_team("Other");
    let (status, _) = app.call(Method::GET, &path, Some(&other.admin.token), None).await;
    assert_eq!(status, 401, "not a member of the account");
    let (status, body) = app
        .account_call(
            t.admin.account_id,
            Method::GET,
            "/conversations/99/reporting_events",
            &t.admin.token,
            None,
        )
        .await;
    assert_eq!((status, body), (404, not_found()));
    let (status, _) = app
        .account_call(
            t.admin.account_id,
            Method::GET,
            "/conversations/1/reporting_events",
            &t.agent,
            None,
        )
        .await;
    assert_eq!(status, 200, "an agent of the inbox");
}

#[tokio::test]
async fn the_account_list_filters_and_pages() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let a = t.admin.account_id;
    let inbox = conversation(&app, &t, &t.admin.token).await;
    say(
        &app,
        &t,
        &t.admin.token,
        json!({"content": "Hi", "message_type": "incoming"}),
    )
    .await;
    say(&app, &t, &t.agent, json!({"content": "Hello"})).await;
    toggle(&app, &t, &t.agent, "resolved").await;
    toggle(&app, &t, &t.agent, "open").await;

    let list = |query: &'static str| {
        let app = &app;
        let token = t.admin.token.clone();
        async move {
            app.account_call(a, Method::GET, &format!("/reporting_events{query}"), &token, None)
                .await
        }
    };
    let (status, all) = list("").await;
    assert_eq!(status, 200, "{all}");
    assert_eq!(
        all["meta"],
        json!({"count": 3, "current_page": 1, "total_pages": 1})
    );
    let names: Vec<&str> = all["payload"]
        .as_array()
        .expect("payload")
        .iter()
        .map(|e| e["name"].as_str().expect("name"))
        .collect();
    assert_eq!(
        names,
        ["conversation_opened", "conversation_resolved", "first_response"],
        "newest first"
    );

    let (_, first) = list("?name=first_response").await;
    assert_eq!(first["meta"]["count"], 1);
    let (_, by_inbox) = app
        .account_call(
            a,
            Method::GET,
            &format!("/reporting_events?inbox_id={inbox}"),
            &t.admin.token,
            None,
        )
        .await;
    assert_eq!(by_inbox["meta"]["count"], 3);
    let (_, other_inbox) = list("?inbox_id=999").await;
    assert_eq!(other_inbox["meta"]["count"], 0);
    let (_, by_agent) = app
        .account_call(
            a,
            Method::GET,
            &format!("/reporting_events?user_id={}", t.agent_id),
            &t.admin.token,
            None,
        )
        .await;
    assert_eq!(
        by_agent["meta"]["count"], 2,
        "the agent's reply, and the reopening after self-assignment; the resolution was unassigned"
    );
    let (_, future) = list("?since=4102444800").await;
    assert_eq!(future["meta"]["count"], 0);
    let (_, past) = list("?until=946684800").await;
    assert_eq!(past["meta"]["count"], 0);
    let (_, beyond) = list("?page=2").await;
    assert_eq!(beyond["payload"], json!([]));
    assert_eq!(beyond["meta"]["current_page"], 2);

    for bad in [
        "?name=resolution",
        "?since=yesterday",
        "?inbox_id=1%20OR%201=1",
        "?until=NaN",
    ] {
        let (status, body) = list(bad).await;
        assert_eq!(status, 422, "{bad}: {body}");
    }
    let (status, body) = app
        .account_call(a, Method::GET, "/reporting_events", &t.agent, None)
        .await;
    assert_eq!(
        (status, body),
        (401, crate::helpers::denied()),
        "administrators only"
    );
    let path = format!("/api/v1/accounts/{a}/reporting_events");
    assert_eq!(
        app.call(Method::GET, &path, None, None).await,
        (401, no_credentials())
    );
}

#[tokio::test]
async fn muting_resolves_once() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    conversation(&app, &t, &t.admin.token).await;
    for _ in 0..2 {
        let (status, _) = app
            .account_call(
                t.admin.account_id,
                Method::POST,
                "/conversations/1/mute",
                &t.agent,
                None,
            )
            .await;
        assert_eq!(status, 200);
    }
    assert_eq!(
        names(&events(&app, &t).await),
        ["conversation_resolved"],
        "muting resolves; muting again changes nothing"
    );
}
