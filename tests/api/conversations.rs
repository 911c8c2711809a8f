//! Conversations: creation, listing, status, priority, assignment, labels and their activities.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{Team, TestApp, denied, error, not_found, spawn_app, stable};

/// An API inbox with the agent as member, and a contact.
async fn setup(app: &TestApp, t: &Team) -> (i64, i64) {
    app.seed_api_inbox_and_contact(t).await
}

async fn open_conversation(app: &TestApp, t: &Team, inbox: i64, contact: i64) -> Value {
    let (status, conversation) = app
        .account_call(
            t.admin.account_id,
            Method::POST,
            "/conversations",
            &t.agent,
            Some(json!({"inbox_id": inbox, "contact_id": contact})),
        )
        .await;
    assert_eq!(status, 200, "{conversation}");
    conversation
}

fn activities(messages: &Value) -> Vec<String> {
    messages["payload"]
        .as_array()
        .expect("payload")
        .iter()
        .filter(|m| m["message_type"] == 2)
        .map(|m| m["content"].as_str().expect("text").to_string())
        .collect()
}

#[tokio::test]
async fn create_with_a_first_message() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let (inbox, contact) = setup(&app, &t).await;
    let (status, conversation) = app
        .account_call(t.admin.account_id, Method::POST, "/conversations", &t.agent,
            Some(json!({"inbox_id": inbox, "contact_id": contact, "additional_attributes": {"referer": "https://acme.test"},
                "message": {"content": "Hello Jo"}})))
        .await;
    assert_eq!(status, 200, "{conversation}");
    insta::assert_json_snapshot!("conversation_created", stable(&conversation));
    assert_eq!(conversation["id"], 1, "display ids start at 1 per account");
    assert_eq!(conversation["status"], "open");
    assert_eq!(conversation["messages"][0]["content"], "Hello Jo");
    assert_eq!(conversation["messages"][0]["message_type"], 1);
    assert_ne!(
        conversation["first_reply_created_at"], 0,
        "a human's public reply is the first reply"
    );
    assert_eq!(conversation["waiting_since"], 0, "…and clears waiting_since");
    let second = open_conversation(&app, &t, inbox, contact).await;
    assert_eq!(second["id"], 2);
    assert_ne!(second["waiting_since"], 0);

    let other = app.seed_team("Globex");
    let (oi, oc) = setup(&app, &other).await;
    let theirs = open_conversation(&app, &other, oi, oc).await;
    assert_eq!(theirs["id"], 1, "numbering is per account");
    let (status, body) = app
        .account_call(
            t.admin.account_id,
            Method::GET,
            "/conversations/3",
            &t.admin.token,
            None,
        )
        .await;
    assert_eq!((status, body), (404, not_found()));
}

#[tokio::test]
async fn list_counts_filters_and_visibility() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let a = t.admin.account_id;
    let (inbox, contact) = setup(&app, &t).await;
    for _ in 0..3 {
        open_conversation(&app, &t, inbox, contact).await;
    }
    app.account_call(
        a,
        Method::POST,
        "/conversations/1/assignments",
        &t.admin.token,
        Some(json!({"assignee_id": t.agent_id})),
    )
    .await;
    app.account_call(
        a,
        Method::POST,
        "/conversations/3/toggle_status",
        &t.admin.token,
        Some(json!({"status": "resolved"})),
    )
    .await;
    // An inbox the agent is not a member of.
    let (_, hidden) = app
        .account_call(
            a,
            Method::POST,
            "/inboxes",
            &t.admin.token,
            Some(json!({"name": "Hidden", "channel": {"type": "api"}})),
        )
        .await;
    app.account_call(
        a,
        Method::POST,
        "/conversations",
        &t.admin.token,
        Some(json!({"inbox_id": hidden["id"], "contact_id": contact})),
    )
    .await;

    let (status, list) = app
        .account_call(a, Method::GET, "/conversations", &t.agent, None)
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        list["data"]["meta"],
        json!({"mine_count": 1, "unassigned_count": 1, "all_count": 2, "assigned_count": 1})
    );
    let ids: Vec<i64> = list["data"]["payload"]
        .as_array()
        .expect("payload")
        .iter()
        .map(|c| c["id"].as_i64().expect("id"))
        .collect();
    assert_eq!(ids, [2, 1], "open ones the agent can see, latest activity first");
    let (_, admin) = app
        .account_call(a, Method::GET, "/conversations?status=all", &t.admin.token, None)
        .await;
    assert_eq!(admin["data"]["meta"]["all_count"], 4);
    let (_, mine) = app
        .account_call(a, Method::GET, "/conversations?assignee_type=me", &t.agent, None)
        .await;
    assert_eq!(mine["data"]["payload"].as_array().map(Vec::len), Some(1));
    let (_, resolved) = app
        .account_call(a, Method::GET, "/conversations?status=resolved", &t.agent, None)
        .await;
    assert_eq!(resolved["data"]["payload"][0]["id"], 3);
    let (_, meta) = app
        .account_call(a, Method::GET, "/conversations/meta", &t.agent, None)
        .await;
    assert_eq!(
        meta,
        json!({"meta": {"mine_count": 1, "unassigned_count": 1, "all_count": 2, "assigned_count": 1}})
    );
    let (status, body) = app
        .account_call(a, Method::GET, "/conversations/4", &t.agent, None)
        .await;
    assert_eq!((status, body), (401, denied()), "not a member of that inbox");

    app.account_call(
        a,
        Method::POST,
        "/conversations/2/labels",
        &t.agent,
        Some(json!({"labels": ["billing"]})),
    )
    .await;
    let (_, labelled) = app
        .account_call(a, Method::GET, "/conversations?labels[]=billing", &t.agent, None)
        .await;
    assert_eq!(labelled["data"]["payload"].as_array().map(Vec::len), Some(1));
    app.account_call(
        a,
        Method::POST,
        "/conversations/2/messages",
        &t.agent,
        Some(json!({"content": "Your invoice is attached"})),
    )
    .await;
    let (_, found) = app
        .account_call(a, Method::GET, "/conversations?q=INVOICE", &t.agent, None)
        .await;
    assert_eq!(
        found["data"]["payload"][0]["id"], 2,
        "q searches message text, case-insensitively"
    );
    let (status, _) = app
        .account_call(a, Method::GET, "/conversations?status=closed", &t.agent, None)
        .await;
    assert_eq!(status, 422);
    let (status, _) = app
        .account_call(a, Method::GET, "/conversations?team_id=77", &t.agent, None)
        .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn status_priority_assignment_labels_and_their_activities() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let a = t.admin.account_id;
    let (inbox, contact) = setup(&app, &t).await;
    open_conversation(&app, &t, inbox, contact).await;
    let path = "/conversations/1";

    let (status, toggled) = app
        .account_call(
            a,
            Method::POST,
            &format!("{path}/toggle_status"),
            &t.admin.token,
            None,
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        toggled,
        json!({"payload": {"success": true, "conversation_id": 1, "current_status": "resolved", "snoozed_until": null}})
    );
    let (_, snoozed) = app
        .account_call(
            a,
            Method::POST,
            &format!("{path}/toggle_status"),
            &t.admin.token,
            Some(json!({"status": "snoozed", "snoozed_until": 1_900_000_000})),
        )
        .await;
    assert_eq!(snoozed["payload"]["snoozed_until"], "2030-03-17T17:46:40.000Z");
    let (_, reopened) = app
        .account_call(
            a,
            Method::POST,
            &format!("{path}/toggle_status"),
            &t.agent,
            Some(json!({"status": "open"})),
        )
        .await;
    assert_eq!(reopened["payload"]["current_status"], "open");
    let (_, shown) = app.account_call(a, Method::GET, path, &t.agent, None).await;
    assert_eq!(
        shown["meta"]["assignee"]["id"], t.agent_id,
        "an agent reopening self-assigns"
    );
    assert_eq!(shown["snoozed_until"], Value::Null);

    let (status, body) = app
        .account_call(
            a,
            Method::POST,
            &format!("{path}/toggle_priority"),
            &t.agent,
            Some(json!({"priority": "high"})),
        )
        .await;
    assert_eq!((status, body), (200, Value::Null));
    let (_, patched) = app
        .account_call(
            a,
            Method::PATCH,
            path,
            &t.agent,
            Some(json!({"priority": "urgent"})),
        )
        .await;
    assert_eq!(patched["priority"], "urgent");
    let (_, cleared) = app
        .account_call(a, Method::PATCH, path, &t.agent, Some(json!({"priority": ""})))
        .await;
    assert_eq!(cleared["priority"], Value::Null);

    let (_, team) = app
        .account_call(
            a,
            Method::POST,
            "/teams",
            &t.admin.token,
            Some(json!({"name": "Billing"})),
        )
        .await;
    let (status, assigned) = app
        .account_call(
            a,
            Method::POST,
            &format!("{path}/assignments"),
            &t.admin.token,
            Some(json!({"assignee_id": t.admin.user_id})),
        )
        .await;
    assert_eq!((status, assigned["id"].clone()), (200, json!(t.admin.user_id)));
    let (_, team_body) = app
        .account_call(
            a,
            Method::POST,
            &format!("{path}/assignments"),
            &t.admin.token,
            Some(json!({"team_id": team["id"]})),
        )
        .await;
    assert_eq!(team_body["name"], "billing");
    let (_, shown) = app.account_call(a, Method::GET, path, &t.agent, None).await;
    assert_eq!(shown["meta"]["team"]["id"], team["id"]);
    assert!(
        shown["meta"].get("assignee").is_none(),
        "an assignee outside the team is dropped"
    );
    let (_, nobody) = app
        .account_call(
            a,
            Method::POST,
            &format!("{path}/assignments"),
            &t.admin.token,
            Some(json!({"assignee_id": null})),
        )
        .await;
    assert_eq!(nobody, Value::Null);

    let (_, labels) = app
        .account_call(
            a,
            Method::POST,
            &format!("{path}/labels"),
            &t.agent,
            Some(json!({"labels": ["vip", "billing"]})),
        )
        .await;
    assert_eq!(labels, json!({"payload": ["billing", "vip"]}));
    app.account_call(
        a,
        Method::POST,
        &format!("{path}/labels"),
        &t.agent,
        Some(json!({"labels": ["vip"]})),
    )
    .await;
    let (_, attrs) = app
        .account_call(
            a,
            Method::POST,
            &format!("{path}/custom_attributes"),
            &t.agent,
            Some(json!({"custom_attributes": {"order": 42}})),
        )
        .await;
    assert_eq!(attrs, json!({"custom_attributes": {"order": 42}}));

    let (_, messages) = app
        .account_call(a, Method::GET, &format!("{path}/messages"), &t.agent, None)
        .await;
    assert_eq!(
        activities(&messages),
        [
            "Conversation was marked resolved by Admin",
            "Conversation was snoozed by Admin",
            "Member self-assigned this conversation",
            "Conversation was reopened by Member",
            "Member set the priority to high",
            "Member changed the priority from high to urgent",
            "Member removed the priority",
            "Admin self-assigned this conversation",
            "Assigned to billing by Admin",
            "Member added billing, vip",
            "Member removed billing",
        ]
    );
}

#[tokio::test]
async fn bad_input_and_roles() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let a = t.admin.account_id;
    let (inbox, contact) = setup(&app, &t).await;
    let cases = [
        (json!({"inbox_id": inbox, "contact_id": 999}), 404),
        (json!({"inbox_id": 999, "contact_id": contact}), 404),
        (json!({"source_id": "nope"}), 404),
        (
            json!({"inbox_id": inbox, "contact_id": contact, "status": "closed"}),
            422,
        ),
        (
            json!({"inbox_id": inbox, "contact_id": contact, "assignee_id": 4242}),
            422,
        ),
        (json!({"inbox_id": "x", "contact_id": contact}), 422),
    ];
    for (body, expected) in cases {
        let (status, response) = app
            .account_call(a, Method::POST, "/conversations", &t.agent, Some(body.clone()))
            .await;
        assert_eq!(status, expected, "{body} → {response}");
    }
    assert_eq!(app.count("conversations"), 0);
    open_conversation(&app, &t, inbox, contact).await;
    for (path, body) in [
        ("/conversations/1/toggle_status", json!({"status": "archived"})),
        (
            "/conversations/1/toggle_priority",
            json!({"priority": "critical"}),
        ),
        ("/conversations/1/labels", json!({"labels": [1, 2]})),
        (
            "/conversations/1/custom_attributes",
            json!({"custom_attributes": "x"}),
        ),
        (
            "/conversations/1/toggle_typing_status",
            json!({"typing_status": "maybe"}),
        ),
        ("/conversations/1/transcript", json!({})),
    ] {
        let (status, response) = app
            .account_call(a, Method::POST, path, &t.agent, Some(body.clone()))
            .await;
        assert_eq!(status, 422, "{path} {body} → {response}");
    }
    let (status, body) = app
        .account_call(
            a,
            Method::POST,
            "/conversations/1/transcript",
            &t.agent,
            Some(json!({})),
        )
        .await;
    assert_eq!((status, body), (422, error("email param missing")));
    let (status, body) = app
        .account_call(a, Method::DELETE, "/conversations/1", &t.agent, None)
        .await;
    assert_eq!((status, body), (401, denied()));
    let (status, _) = app
        .account_call(a, Method::DELETE, "/conversations/1", &t.admin.token, None)
        .await;
    assert_eq!(status, 200);
    assert_eq!(app.count("conversations"), 0);
}

#[tokio::test]
async fn agent_bots_use_the_whitelisted_endpoints() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let a = t.admin.account_id;
    let (inbox, contact) = setup(&app, &t).await;
    let (_, bot) = app
        .account_call(
            a,
            Method::POST,
            "/agent_bots",
            &t.admin.token,
            Some(json!({"name": "Helper"})),
        )
        .await;
    let token = bot["access_token"].as_str().expect("bot token");
    let (status, conversation) = app
        .account_call(
            a,
            Method::POST,
            "/conversations",
            token,
            Some(json!({"inbox_id": inbox, "contact_id": contact, "message": {"content": "Hi, I am a bot"}})),
        )
        .await;
    assert_eq!(status, 200, "{conversation}");
    assert_eq!(conversation["messages"][0]["sender"]["type"], "agent_bot");
    assert_eq!(
        conversation["first_reply_created_at"], 0,
        "a bot reply is not a first reply"
    );
    let (status, _) = app
        .account_call(
            a,
            Method::POST,
            "/conversations/1/messages",
            token,
            Some(json!({"content": "More"})),
        )
        .await;
    assert_eq!(status, 200);
    let (status, toggled) = app
        .account_call(
            a,
            Method::POST,
            "/conversations/1/toggle_status",
            token,
            Some(json!({"status": "pending"})),
        )
        .await;
    assert_eq!(
        (status, toggled["payload"]["current_status"].clone()),
        (200, json!("pending"))
    );
    let (_, handoff) = app
        .account_call(
            a,
            Method::POST,
            "/conversations/1/toggle_status",
            token,
            Some(json!({"status": "open"})),
        )
        .await;
    assert_eq!(
        handoff["payload"]["success"],
        Value::Null,
        "a bot opening a pending conversation hands it off"
    );
    for (method, path) in [
        (Method::GET, "/conversations"),
        (Method::GET, "/conversations/1"),
        (Method::GET, "/conversations/1/messages"),
    ] {
        let (status, body) = app.account_call(a, method, path, token, None).await;
        assert_eq!(
            (status, body),
            (401, error("Access to this endpoint is not authorized for bots")),
            "{path}"
        );
    }
}

#[tokio::test]
async fn concurrent_creation_numbers_without_gaps() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let (inbox, contact) = setup(&app, &t).await;
    let mut tasks = Vec::new();
    for _ in 0..30 {
        let client = app.client.clone();
        let url = format!(
            "{}/api/v1/accounts/{}/conversations",
            app.address, t.admin.account_id
        );
        let token = t.agent.clone();
        tasks.push(tokio::spawn(async move {
            let response = client
                .post(url)
                .header("api_access_token", token)
                .json(&json!({"inbox_id": inbox, "contact_id": contact}))
                .send()
                .await
                .expect("sent");
            response.json::<Value>().await.expect("json")["id"]
                .as_i64()
                .expect("display id")
        }));
    }
    let mut ids: Vec<i64> = futures::future::join_all(tasks)
        .await
        .into_iter()
        .map(|r| r.expect("task"))
        .collect();
    ids.sort_unstable();
    assert_eq!(ids, (1..=30).collect::<Vec<_>>());
}

#[tokio::test]
async fn search_by_message_text() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let a = t.admin.account_id;
    let (inbox, contact) = setup(&app, &t).await;
    open_conversation(&app, &t, inbox, contact).await;
    open_conversation(&app, &t, inbox, contact).await;
    app.account_call(
        a,
        Method::POST,
        "/conversations/2/messages",
        &t.agent,
        Some(json!({"content": "Refund approved for order 1234"})),
    )
    .await;
    app.account_call(
        a,
        Method::POST,
        "/conversations/2/toggle_status",
        &t.agent,
        Some(json!({"status": "resolved"})),
    )
    .await;
    let (status, found) = app
        .account_call(a, Method::GET, "/conversations/search?q=refund", &t.agent, None)
        .await;
    assert_eq!(status, 200, "{found}");
    assert_eq!(
        found["meta"],
        json!({"mine_count": 0, "unassigned_count": 1, "all_count": 1}),
        "any status; no assigned_count"
    );
    insta::assert_json_snapshot!("conversation_search_result", stable(&found["payload"][0]));
    // Several words: the exact text, any case; the same words apart do not match.
    for (q, hits) in [
        ("approved%20for%20order", 1),
        ("REFUND%20APPROVED", 1),
        ("order%201234", 1),
        ("order%20approved", 0),
        ("approved%20for%20order%2099", 0),
    ] {
        let (status, found) = app
            .account_call(
                a,
                Method::GET,
                &format!("/conversations/search?q={q}"),
                &t.agent,
                None,
            )
            .await;
        assert_eq!(status, 200);
        assert_eq!(found["meta"]["all_count"], hits, "{q}");
    }
    let (_, none) = app
        .account_call(
            a,
            Method::GET,
            "/conversations/search?q=%22%3B%20DROP%20TABLE%20messages",
            &t.agent,
            None,
        )
        .await;
    assert_eq!(none["payload"], json!([]));
    let (status, _) = app
        .account_call(a, Method::GET, "/conversations/search", &t.agent, None)
        .await;
    assert_eq!(status, 422);
}

#[tokio::test]
async fn counts_follow_every_write() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let a = t.admin.account_id;
    let (inbox, contact) = setup(&app, &t).await;
    for expected in 1..=3 {
        open_conversation(&app, &t, inbox, contact).await;
        let (_, meta) = app
            .account_call(a, Method::GET, "/conversations/meta", &t.admin.token, None)
            .await;
        assert_eq!(
            meta["meta"]["all_count"], expected,
            "memoized counts are refreshed by writes"
        );
    }
    app.account_call(
        a,
        Method::POST,
        "/conversations/1/toggle_status",
        &t.admin.token,
        Some(json!({"status": "resolved"})),
    )
    .await;
    let (_, meta) = app
        .account_call(a, Method::GET, "/conversations/meta", &t.admin.token, None)
        .await;
    assert_eq!(meta["meta"]["all_count"], 2);
}

/// A snooze time far in the future (up to i64::MAX seconds) is stored, never overflowed.
#[tokio::test]
async fn create_snoozed_with_an_extreme_time() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let (inbox, contact) = setup(&app, &t).await;
    let (status, conversation) = app
        .account_call(
            t.admin.account_id,
            Method::POST,
            "/conversations",
            &t.agent,
            Some(
                json!({"inbox_id": inbox, "contact_id": contact, "status": "snoozed",
                "snoozed_until": i64::MAX}),
            ),
        )
        .await;
    assert_eq!(status, 200, "{conversation}");
    assert_eq!(conversation["status"], "snoozed");
}
