//! `/api/v1/widget/*`: the visitor token, lazy contact creation, each route's shape and its
//! refusals (no token, a forged token, another inbox's token).

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{Team, TestApp, poll, read, spawn_app};

/// A website inbox of the team's account with the agent as a member; `(inbox id, website token)`.
pub async fn seed_widget(app: &TestApp, t: &Team, extra: Value) -> (i64, String) {
    let mut channel = json!({"type": "web_widget", "website_url": "https://shop.test",
        "welcome_title": "Hi there!", "welcome_tagline": "We reply fast", "widget_color": "#1f93ff"});
    if let (Some(map), Value::Object(more)) = (channel.as_object_mut(), extra) {
        map.extend(more);
    }
    let (status, inbox) = app
        .account_call(
            t.admin.account_id,
            Method::POST,
            "/inboxes",
            &t.admin.token,
            Some(json!({"name": "Shop", "channel": channel})),
        )
        .await;
    assert_eq!(status, 200, "{inbox}");
    app.account_call(
        t.admin.account_id,
        Method::POST,
        "/inbox_members",
        &t.admin.token,
        Some(json!({"inbox_id": inbox["id"], "user_ids": [t.agent_id]})),
    )
    .await;
    (
        inbox["id"].as_i64().expect("id"),
        inbox["website_token"].as_str().expect("token").to_string(),
    )
}

/// A widget call: `?website_token=` plus the visitor token header.
pub async fn widget_call(
    app: &TestApp,
    method: Method,
    path: &str,
    website_token: &str,
    auth: Option<&str>,
    body: Option<Value>,
) -> (u16, Value) {
    let sep = if path.contains('?') { '&' } else { '?' };
    let url = format!(
        "{}/api/v1/widget{path}{sep}website_token={website_token}",
        app.address
    );
    let mut request = app.client.request(method, url);
    if let Some(auth) = auth {
        request = request.header("X-Auth-Token", auth);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    read(request.send().await.expect("request")).await
}

/// A fresh visitor token from `POST config`.
pub async fn visitor_token(app: &TestApp, website_token: &str) -> String {
    let (status, body) = widget_call(app, Method::POST, "/config", website_token, None, None).await;
    assert_eq!(status, 200, "{body}");
    body["auth_token"].as_str().expect("auth_token").to_string()
}

#[tokio::test]
async fn config_mints_a_token_and_page_views_make_no_contacts() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let (inbox_id, website) = seed_widget(&app, &t, json!({})).await;
    let (status, body) = widget_call(&app, Method::POST, "/config", &website, None, None).await;
    assert_eq!(status, 200, "{body}");
    let channel = &body["chatwoot_website_channel"];
    assert_eq!(channel["website_name"], "Shop");
    assert_eq!(channel["welcome_title"], "Hi there!");
    assert_eq!(channel["widget_color"], "#1f93ff");
    assert_eq!(channel["reply_time"], "in_a_few_minutes");
    assert_eq!(channel["locale"], "en");
    assert!(
        channel["utc_off_set"]
            .as_str()
            .is_some_and(|s| s.starts_with('+'))
    );
    assert_eq!(body["contact"]["pubsub_token"], Value::Null, "no contact yet");
    let token = body["auth_token"].as_str().expect("token");
    // The token is a JWT naming the inbox.
    let payload = token.split('.').nth(1).expect("payload");
    use base64::Engine;
    let claims: Value = serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(payload)
            .expect("base64"),
    )
    .expect("json");
    assert_eq!(claims["inbox_id"], inbox_id);
    assert!(claims["source_id"].as_str().is_some_and(|s| s.len() == 36));
    // A valid token is kept.
    let (_, again) = widget_call(&app, Method::POST, "/config", &website, Some(token), None).await;
    assert_eq!(again["auth_token"], token);
    // Ten page views (page, config, contact, conversations, messages), no message: nothing stored.
    for _ in 0..10 {
        let page = app
            .client
            .get(format!("{}/widget?website_token={website}", app.address))
            .send()
            .await
            .expect("page");
        assert_eq!(page.status(), 200);
        let token = visitor_token(&app, &website).await;
        for path in ["/contact", "/conversations", "/messages"] {
            let (status, _) = widget_call(&app, Method::GET, path, &website, Some(&token), None).await;
            assert_eq!(status, 200, "{path}");
        }
    }
    assert_eq!(app.count("contacts"), 0);
    assert_eq!(app.count("contact_inboxes"), 0);
}

#[tokio::test]
async fn a_visitor_writes_and_reads_the_answer() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let (inbox_id, website) = seed_widget(&app, &t, json!({})).await;
    let token = visitor_token(&app, &website).await;
    let (_, contact) = widget_call(&app, Method::GET, "/contact", &website, Some(&token), None).await;
    assert_eq!(
        contact,
        json!({"id": null, "has_email": false, "has_name": false, "has_phone_number": false, "identifier": null})
    );
    let (_, none) = widget_call(&app, Method::GET, "/conversations", &website, Some(&token), None).await;
    assert_eq!(none, json!({}));
    let (status, sent) = widget_call(
        &app,
        Method::POST,
        "/messages",
        &website,
        Some(&token),
        Some(
            json!({"message": {"content": "Hello, is anyone there?", "echo_id": "e1",
            "referer_url": "https://shop.test/cart", "timestamp": "now"}}),
        ),
    )
    .await;
    assert_eq!(status, 200, "{sent}");
    assert_eq!(sent["content"], "Hello, is anyone there?");
    assert_eq!(sent["message_type"], 0);
    assert_eq!(sent["echo_id"], "e1");
    assert_eq!(sent["inbox_id"], inbox_id);
    assert_eq!(sent["sender"]["type"], "contact");
    assert_eq!(app.count("contacts"), 1);
    let display_id = sent["conversation_id"].as_i64().expect("conversation");
    // The agent sees it through the API, with the page it came from.
    let (_, conversation) = app
        .account_call(
            t.admin.account_id,
            Method::GET,
            &format!("/conversations/{display_id}"),
            &t.agent,
            None,
        )
        .await;
    assert_eq!(conversation["inbox_id"], inbox_id);
    assert_eq!(conversation["status"], "open");
    assert_eq!(
        conversation["additional_attributes"]["referer"],
        "https://shop.test/cart"
    );
    // The conversation is the visitor's current one; a second message joins it.
    let (_, current) = widget_call(&app, Method::GET, "/conversations", &website, Some(&token), None).await;
    assert_eq!(current["id"], display_id);
    assert_eq!(current["status"], "open");
    let (_, second) = widget_call(
        &app,
        Method::POST,
        "/messages",
        &website,
        Some(&token),
        Some(json!({"message": {"content": "Second"}})),
    )
    .await;
    assert_eq!(second["conversation_id"], display_id);
    // The agent answers; a private note stays private.
    for (content, private) in [("We are here!", false), ("internal", true)] {
        let (status, _) = app
            .account_call(
                t.admin.account_id,
                Method::POST,
                &format!("/conversations/{display_id}/messages"),
                &t.agent,
                Some(json!({"content": content, "private": private})),
            )
            .await;
        assert_eq!(status, 200);
    }
    let (_, list) = widget_call(&app, Method::GET, "/messages", &website, Some(&token), None).await;
    let contents: Vec<&str> = list["payload"]
        .as_array()
        .expect("payload")
        .iter()
        .filter_map(|m| m["content"].as_str())
        .collect();
    assert_eq!(contents, ["Hello, is anyone there?", "Second", "We are here!"]);
    assert_eq!(list["payload"][2]["sender"]["type"], "user");
    assert!(
        list["payload"][2]["sender"].get("email").is_none(),
        "no agent email"
    );
    assert!(list["meta"]["contact_last_seen_at"].is_number());
    // before / after page by message id.
    let first_id = list["payload"][0]["id"].as_i64().expect("id");
    let (_, after) = widget_call(
        &app,
        Method::GET,
        &format!("/messages?after={first_id}"),
        &website,
        Some(&token),
        None,
    )
    .await;
    assert_eq!(after["payload"].as_array().map(Vec::len), Some(2));
    let last_id = list["payload"][2]["id"].as_i64().expect("id");
    let (_, before) = widget_call(
        &app,
        Method::GET,
        &format!("/messages?before={last_id}"),
        &website,
        Some(&token),
        None,
    )
    .await;
    assert_eq!(before["payload"].as_array().map(Vec::len), Some(2));
    // Last seen, typing, then the visitor ends the conversation.
    let (status, _) = widget_call(
        &app,
        Method::POST,
        "/conversations/update_last_seen",
        &website,
        Some(&token),
        None,
    )
    .await;
    assert_eq!(status, 200);
    let (status, _) = widget_call(
        &app,
        Method::POST,
        "/conversations/toggle_typing",
        &website,
        Some(&token),
        Some(json!({"typing_status": "on"})),
    )
    .await;
    assert_eq!(status, 200);
    let (status, _) = widget_call(
        &app,
        Method::GET,
        "/conversations/toggle_status",
        &website,
        Some(&token),
        None,
    )
    .await;
    assert_eq!(status, 200);
    let (_, current) = widget_call(&app, Method::GET, "/conversations", &website, Some(&token), None).await;
    assert_eq!(current["status"], "resolved");
    let (status, body) = widget_call(
        &app,
        Method::POST,
        "/conversations/transcript",
        &website,
        Some(&token),
        None,
    )
    .await;
    assert_eq!(status, 422, "{body}");
}

#[tokio::test]
async fn pre_chat_conversation_with_contact_details() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let (_, website) = seed_widget(&app, &t, json!({})).await;
    let token = visitor_token(&app, &website).await;
    let (status, created) = widget_call(
        &app,
        Method::POST,
        "/conversations",
        &website,
        Some(&token),
        Some(json!({"contact": {"name": "Ada Lovelace", "email": "Ada@Example.test", "phone_number": "not a phone"},
            "message": {"content": "I need help", "referer_url": "https://shop.test/"},
            "custom_attributes": {"plan": "pro"}})),
    )
    .await;
    assert_eq!(status, 200, "{created}");
    assert_eq!(created["status"], "open");
    assert_eq!(created["custom_attributes"], json!({"plan": "pro"}));
    assert_eq!(created["messages"][0]["content"], "I need help");
    assert_eq!(created["contact"]["name"], "Ada Lovelace");
    assert_eq!(created["contact"]["email"], "ada@example.test");
    assert_eq!(
        created["contact"]["phone_number"],
        Value::Null,
        "invalid values are dropped"
    );
    let (_, me) = widget_call(&app, Method::GET, "/contact", &website, Some(&token), None).await;
    assert_eq!(me["has_email"], true);
    assert_eq!(me["has_name"], true);
    // config now carries the contact inbox's pubsub token.
    let (_, config) = widget_call(&app, Method::POST, "/config", &website, Some(&token), None).await;
    assert!(
        config["contact"]["pubsub_token"]
            .as_str()
            .is_some_and(|t| t.len() == 24)
    );
}

#[tokio::test]
async fn set_user_verifies_the_identifier_hash() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let (inbox_id, website) = seed_widget(&app, &t, json!({})).await;
    let (_, inbox) = app
        .account_call(
            t.admin.account_id,
            Method::GET,
            &format!("/inboxes/{inbox_id}"),
            &t.admin.token,
            None,
        )
        .await;
    let secret = inbox["hmac_token"].as_str().expect("hmac token").to_string();
    let hash = |identifier: &str| {
        use hmac::{Hmac, Mac};
        let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).expect("key");
        mac.update(identifier.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    };
    let token = visitor_token(&app, &website).await;
    let (status, body) = widget_call(
        &app,
        Method::PATCH,
        "/contact/set_user",
        &website,
        Some(&token),
        Some(json!({"identifier": "user-42", "identifier_hash": "00ff", "email": "u42@example.test"})),
    )
    .await;
    assert_eq!(status, 401, "{body}");
    assert_eq!(
        body,
        json!({"error": "HMAC failed: Invalid Identifier Hash Provided"})
    );
    assert_eq!(app.count("contacts"), 0, "a refused setUser stores nothing");
    let (status, body) = widget_call(
        &app,
        Method::PATCH,
        "/contact/set_user",
        &website,
        Some(&token),
        Some(
            json!({"identifier": "user-42", "identifier_hash": hash("user-42"),
            "email": "u42@example.test", "name": "Grace", "custom_attributes": {"tier": "gold"}}),
        ),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["name"], "Grace");
    assert_eq!(body["email"], "u42@example.test");
    assert!(body.get("widget_auth_token").is_none());
    let verified: bool = app
        .state
        .db
        .read_sync(|c| Ok(c.query_row("SELECT hmac_verified FROM contact_inboxes", [], |r| r.get(0))?))
        .expect("row");
    assert!(verified);
    // Another browser of the same user (a new token) becomes the same contact.
    let other = visitor_token(&app, &website).await;
    let (_, again) = widget_call(
        &app,
        Method::PATCH,
        "/contact/set_user",
        &website,
        Some(&other),
        Some(json!({"identifier": "user-42", "identifier_hash": hash("user-42")})),
    )
    .await;
    assert_eq!(again["id"], body["id"]);
    assert_eq!(app.count("contacts"), 1);
    // A different user in the first browser: a new contact and a new token.
    let (_, switched) = widget_call(
        &app,
        Method::PATCH,
        "/contact/set_user",
        &website,
        Some(&token),
        Some(json!({"identifier": "user-43", "identifier_hash": hash("user-43")})),
    )
    .await;
    assert_ne!(switched["id"], body["id"]);
    assert!(switched["widget_auth_token"].as_str().is_some());
    // PATCH contact merges attributes; destroy_custom_attributes removes them.
    let (status, updated) = widget_call(
        &app,
        Method::PATCH,
        "/contact",
        &website,
        Some(&other),
        Some(json!({"custom_attributes": {"color": "blue"}})),
    )
    .await;
    assert_eq!(status, 200, "{updated}");
    assert_eq!(
        updated["custom_attributes"],
        json!({"tier": "gold", "color": "blue"})
    );
    let (_, trimmed) = widget_call(
        &app,
        Method::POST,
        "/contact/destroy_custom_attributes",
        &website,
        Some(&other),
        Some(json!({"custom_attributes": ["tier"]})),
    )
    .await;
    assert_eq!(trimmed["custom_attributes"], json!({"color": "blue"}));
}

#[tokio::test]
async fn labels_inbox_members_and_the_csat_input() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let (_, website) = seed_widget(&app, &t, json!({})).await;
    app.account_call(
        t.admin.account_id,
        Method::POST,
        "/labels",
        &t.admin.token,
        Some(json!({"title": "vip"})),
    )
    .await;
    let token = visitor_token(&app, &website).await;
    // Labels without a conversation change nothing.
    let (status, _) = widget_call(
        &app,
        Method::POST,
        "/labels",
        &website,
        Some(&token),
        Some(json!({"label": "vip"})),
    )
    .await;
    assert_eq!(status, 204);
    let (_, sent) = widget_call(
        &app,
        Method::POST,
        "/messages",
        &website,
        Some(&token),
        Some(json!({"message": {"content": "hi"}})),
    )
    .await;
    let display_id = sent["conversation_id"].as_i64().expect("id");
    for label in ["vip", "undefined-label"] {
        let (status, _) = widget_call(
            &app,
            Method::POST,
            "/labels",
            &website,
            Some(&token),
            Some(json!({"label": label})),
        )
        .await;
        assert_eq!(status, 204);
    }
    let labels = |app: &TestApp| {
        app.state
            .db
            .read_sync(|c| {
                let mut stmt = c.prepare("SELECT label FROM conversation_labels ORDER BY label")?;
                Ok(stmt
                    .query_map([], |r| r.get::<_, String>(0))?
                    .collect::<Result<Vec<_>, _>>()?)
            })
            .unwrap_or_default()
    };
    assert_eq!(labels(&app), ["vip"]);
    let (status, _) = widget_call(&app, Method::DELETE, "/labels/vip", &website, Some(&token), None).await;
    assert_eq!(status, 204);
    assert!(labels(&app).is_empty());
    let (status, members) = widget_call(&app, Method::GET, "/inbox_members", &website, None, None).await;
    assert_eq!(status, 200);
    let list = members["payload"].as_array().expect("payload");
    assert_eq!(list.len(), 1);
    assert_eq!(
        list[0].as_object().map(|o| o.keys().cloned().collect::<Vec<_>>()),
        Some(vec![
            "id".into(),
            "name".into(),
            "avatar_url".into(),
            "availability_status".into()
        ])
    );
    // Resolving with CSAT on sends the survey; the visitor rates inside the widget.
    app.account_call(
        t.admin.account_id,
        Method::PATCH,
        &format!("/inboxes/{}", sent["inbox_id"]),
        &t.admin.token,
        Some(json!({"csat_survey_enabled": true})),
    )
    .await;
    app.account_call(
        t.admin.account_id,
        Method::POST,
        &format!("/conversations/{display_id}/toggle_status"),
        &t.admin.token,
        Some(json!({"status": "resolved"})),
    )
    .await;
    let (_, list) = widget_call(&app, Method::GET, "/messages", &website, Some(&token), None).await;
    let survey = list["payload"]
        .as_array()
        .expect("payload")
        .iter()
        .find(|m| m["content_type"] == "input_csat")
        .cloned()
        .expect("survey message");
    let (status, rated) = widget_call(
        &app,
        Method::PATCH,
        &format!("/messages/{}", survey["id"]),
        &website,
        Some(&token),
        Some(json!({"message": {"submitted_values": {"csat_survey_response": {"rating": 5, "feedback_message": "Great"}}}})),
    )
    .await;
    assert_eq!(status, 200, "{rated}");
    assert_eq!(
        rated["content_attributes"]["submitted_values"]["csat_survey_response"]["rating"],
        5
    );
    assert_eq!(app.count("csat_survey_responses"), 1);
}

#[tokio::test]
async fn webwidget_triggered_reaches_webhooks() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let (_, website) = seed_widget(&app, &t, json!({})).await;
    let token = visitor_token(&app, &website).await;
    // Nobody listens: opening the widget stores nothing.
    let (status, _) = widget_call(
        &app,
        Method::POST,
        "/events",
        &website,
        Some(&token),
        Some(json!({"name": "webwidget.triggered", "event_info": {"referer": "https://shop.test/"}})),
    )
    .await;
    assert_eq!(status, 204);
    assert_eq!(app.count("contacts"), 0);
    let (status, hook) = app
        .account_call(
            t.admin.account_id,
            Method::POST,
            "/webhooks",
            &t.admin.token,
            Some(json!({"url": "https://hooks.example.test/in", "subscriptions": ["webwidget_triggered"]})),
        )
        .await;
    assert_eq!(status, 200, "{hook}");
    let (status, _) = widget_call(
        &app,
        Method::POST,
        "/events?locale=fr",
        &website,
        Some(&token),
        Some(json!({"name": "webwidget.triggered", "event_info": {"referer": "https://shop.test/"}})),
    )
    .await;
    assert_eq!(status, 204);
    assert_eq!(app.count("contacts"), 1);
    let body = poll(
        || {
            app.state
                .db
                .read_sync(|c| {
                    Ok(c.query_row(
                        "SELECT payload FROM events WHERE name = 'webwidget_triggered'",
                        [],
                        |r| r.get::<_, Option<String>>(0),
                    )?)
                })
                .ok()
                .flatten()
        },
        Option::is_some,
    )
    .await
    .expect("payload rendered");
    let body: Value = serde_json::from_str(&body).expect("json");
    let keys: Vec<&str> = body
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "event",
            "id",
            "contact",
            "inbox",
            "account",
            "current_conversation",
            "source_id",
            "event_info"
        ]
    );
    assert_eq!(body["event"], "webwidget_triggered");
    assert_eq!(body["event_info"]["referer"], "https://shop.test/");
    assert_eq!(body["event_info"]["widget_language"], "fr");
    assert_eq!(body["inbox"]["name"], "Shop");
    assert_eq!(body["current_conversation"], Value::Null);
}

/// Every widget route with no token, a forged token, and a token of another inbox: 401, 401,
/// 404, never data; an unknown website token: 404.
#[tokio::test]
async fn widget_routes_refuse_strangers() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let (_, website) = seed_widget(&app, &t, json!({})).await;
    let (_, other_website) = seed_widget(&app, &t, json!({})).await;
    let mine = visitor_token(&app, &website).await;
    widget_call(
        &app,
        Method::POST,
        "/messages",
        &website,
        Some(&mine),
        Some(json!({"message": {"content": "secret"}})),
    )
    .await;
    let theirs = visitor_token(&app, &other_website).await;
    let mut forged: Vec<String> = mine.split('.').map(str::to_string).collect();
    forged[2] = "AAAA".into();
    let forged = forged.join(".");
    let routes = parlor::routes::routes_list();
    let widget_routes: Vec<(&str, String)> = routes
        .into_iter()
        .filter(|(_, path)| path.starts_with("/api/v1/widget/"))
        .collect();
    assert!(widget_routes.len() >= 20, "{widget_routes:?}");
    for (method, path) in &widget_routes {
        let rest = path
            .trim_start_matches("/api/v1/widget")
            .replace("{id}", "1")
            .replace("{label}", "vip");
        let method = Method::from_bytes(method.as_bytes()).expect("method");
        let body = Some(json!({"message": {"content": "x"}, "label": "vip"}));
        let public = rest == "/config" || rest == "/inbox_members";
        for (name, token, expected) in [
            ("no token", None, 401),
            ("forged", Some(forged.as_str()), 401),
            ("other inbox", Some(theirs.as_str()), 404),
        ] {
            if public {
                continue;
            }
            let (status, answer) =
                widget_call(&app, method.clone(), &rest, &website, token, body.clone()).await;
            assert_eq!(status, expected, "{method} {rest} with {name}: {answer}");
            assert!(!answer.to_string().contains("secret"), "{method} {rest} leaked");
        }
        let (status, _) = widget_call(&app, method.clone(), &rest, "nope", Some(&mine), body.clone()).await;
        assert_eq!(status, 404, "{method} {rest} with an unknown website token");
    }
    // config with another inbox's token mints a new one; nothing of the other visitor shows.
    let (_, config) = widget_call(&app, Method::POST, "/config", &website, Some(&theirs), None).await;
    assert_ne!(config["auth_token"], theirs.as_str());
    assert_eq!(config["contact"]["pubsub_token"], Value::Null);
}
