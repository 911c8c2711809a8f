//! Inboxes, their members and their agent bot.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{TestApp, denied, error, not_found, spawn_app, stable};

async fn api_inbox(app: &TestApp, account: i64, token: &str, name: &str) -> Value {
    let (status, inbox) = app
        .account_call(
            account,
            Method::POST,
            "/inboxes",
            token,
            Some(
                json!({"name": name, "channel": {"type": "api", "webhook_url": "https://example.test/hook"}}),
            ),
        )
        .await;
    assert_eq!(status, 200, "{inbox}");
    inbox
}

#[tokio::test]
async fn create_each_channel_type() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let a = t.admin.account_id;
    let api = api_inbox(&app, a, &t.admin.token, "API").await;
    insta::assert_json_snapshot!("inbox_api_created", stable(&api));
    assert_eq!(api["channel_type"], "Channel::Api");
    assert_eq!(api["inbox_identifier"].as_str().expect("identifier").len(), 24);
    assert!(api["hmac_token"].is_string(), "administrators see the hmac token");

    let (status, widget) = app
        .account_call(a, Method::POST, "/inboxes", &t.admin.token,
            Some(json!({"name": "Website", "greeting_enabled": true, "greeting_message": "Hi",
                "channel": {"type": "web_widget", "website_url": "https://acme.test", "widget_color": "#ff0000",
                    "welcome_title": "Hello", "reply_time": "in_a_few_hours"}})))
        .await;
    assert_eq!(status, 200, "{widget}");
    insta::assert_json_snapshot!("inbox_web_widget_created", stable(&widget));
    assert!(
        widget["web_widget_script"]
            .as_str()
            .expect("script")
            .contains(widget["website_token"].as_str().expect("token"))
    );

    let (status, email) = app
        .account_call(a, Method::POST, "/inboxes", &t.admin.token,
            Some(json!({"name": "Mail", "channel": {"type": "email", "email": "Support@Acme.test", "imap_password": "secret"}})))
        .await;
    assert_eq!(status, 200, "{email}");
    insta::assert_json_snapshot!("inbox_email_created", stable(&email));

    // Agents see no secrets.
    app.call(
        Method::POST,
        &format!("/api/v1/accounts/{a}/inbox_members"),
        Some(&t.admin.token),
        Some(json!({"inbox_id": email["id"], "user_ids": [t.agent_id]})),
    )
    .await;
    let (_, seen) = app
        .account_call(
            a,
            Method::GET,
            &format!("/inboxes/{}", email["id"]),
            &t.agent,
            None,
        )
        .await;
    assert!(seen.get("imap_password").is_none());
    assert_eq!(seen["email"], "support@acme.test");

    let (status, body) = app
        .account_call(
            a,
            Method::POST,
            "/inboxes",
            &t.admin.token,
            Some(json!({"name": "Fb", "channel": {"type": "facebook_page"}})),
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(
        body["message"],
        "Channel type 'facebook_page' is not supported; supported types: api, web_widget, email"
    );
    assert_eq!(app.count("inboxes"), 3);
    assert_eq!(
        app.count("channels"),
        3,
        "no orphan channel from the refused inbox"
    );
}

#[tokio::test]
async fn update_settings_and_working_hours() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let a = t.admin.account_id;
    let inbox = api_inbox(&app, a, &t.admin.token, "API").await;
    assert_eq!(inbox["working_hours"].as_array().expect("week").len(), 7);
    let path = format!("/inboxes/{}", inbox["id"]);
    let (status, updated) = app
        .account_call(a, Method::PATCH, &path, &t.admin.token,
            Some(json!({"name": "Renamed", "csat_survey_enabled": true, "timezone": "Europe/Berlin",
                "lock_to_single_conversation": true, "sender_name_type": "professional", "working_hours_enabled": true,
                "working_hours": [{"day_of_week": 6, "open_hour": 10, "open_minutes": 30, "close_hour": 14, "close_minutes": 0}],
                "channel": {"webhook_url": "https://example.test/new", "hmac_mandatory": true}})))
        .await;
    assert_eq!(status, 200, "{updated}");
    assert_eq!(updated["name"], "Renamed");
    assert_eq!(updated["csat_survey_enabled"], true);
    assert_eq!(updated["timezone"], "Europe/Berlin");
    assert_eq!(updated["sender_name_type"], "professional");
    assert_eq!(updated["working_hours"][6]["open_hour"], 10);
    assert_eq!(updated["working_hours"][6]["closed_all_day"], false);
    assert_eq!(updated["webhook_url"], "https://example.test/new");
    assert_eq!(updated["hmac_mandatory"], true);
    assert_eq!(
        updated["inbox_identifier"], inbox["inbox_identifier"],
        "identifier never changes"
    );

    for body in [
        json!({"name": ""}),
        json!({"timezone": "Mars/Olympus Mons"}),
        json!({"sender_name_type": "robotic"}),
        json!({"working_hours": [{"day_of_week": 9, "closed_all_day": true}]}),
        json!({"channel": {"webhook_url": "javascript:alert(1)"}}),
        json!({"greeting_enabled": "yes"}),
    ] {
        let (status, response) = app
            .account_call(a, Method::PATCH, &path, &t.admin.token, Some(body.clone()))
            .await;
        assert_eq!(status, 422, "{body} → {response}");
    }
    let (_, unchanged) = app
        .account_call(a, Method::GET, &path, &t.admin.token, None)
        .await;
    assert_eq!(unchanged, updated);
}

#[tokio::test]
async fn agents_see_only_their_inboxes() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let a = t.admin.account_id;
    let first = api_inbox(&app, a, &t.admin.token, "b-first").await;
    let second = api_inbox(&app, a, &t.admin.token, "A-second").await;
    let (_, admin_list) = app
        .account_call(a, Method::GET, "/inboxes", &t.admin.token, None)
        .await;
    let names: Vec<&str> = admin_list["payload"]
        .as_array()
        .expect("payload")
        .iter()
        .map(|i| i["name"].as_str().expect("name"))
        .collect();
    assert_eq!(names, ["A-second", "b-first"], "ordered by lower(name)");
    let (_, agent_list) = app.account_call(a, Method::GET, "/inboxes", &t.agent, None).await;
    assert_eq!(agent_list, json!({"payload": []}));
    let (status, body) = app
        .account_call(
            a,
            Method::GET,
            &format!("/inboxes/{}", first["id"]),
            &t.agent,
            None,
        )
        .await;
    assert_eq!((status, body), (401, denied()));

    let members = format!("/api/v1/accounts/{a}/inbox_members");
    let (status, added) = app
        .call(
            Method::POST,
            &members,
            Some(&t.admin.token),
            Some(json!({"inbox_id": first["id"], "user_ids": [t.agent_id]})),
        )
        .await;
    assert_eq!(status, 200, "{added}");
    assert_eq!(added["payload"][0]["id"], t.agent_id);
    let (_, agent_list) = app.account_call(a, Method::GET, "/inboxes", &t.agent, None).await;
    assert_eq!(agent_list["payload"].as_array().expect("payload").len(), 1);
    assert!(
        agent_list["payload"][0].get("hmac_token").is_none(),
        "agents never see the hmac token"
    );
    let (status, shown) = app
        .account_call(
            a,
            Method::GET,
            &format!("/inbox_members/{}", first["id"]),
            &t.agent,
            None,
        )
        .await;
    assert_eq!(
        (status, shown["payload"].as_array().map(Vec::len)),
        (200, Some(1))
    );
    let (status, _) = app
        .account_call(
            a,
            Method::GET,
            &format!("/inbox_members/{}", second["id"]),
            &t.agent,
            None,
        )
        .await;
    assert_eq!(status, 401);

    let assignable_path = format!("/inboxes/{}/assignable_agents", second["id"]);
    let (status, body) = app
        .account_call(a, Method::GET, &assignable_path, &t.agent, None)
        .await;
    assert_eq!((status, body), (401, denied()), "not the agent's inbox");
    let (_, assignable) = app
        .account_call(a, Method::GET, &assignable_path, &t.admin.token, None)
        .await;
    let ids: Vec<i64> = assignable["payload"]
        .as_array()
        .expect("payload")
        .iter()
        .map(|x| x["id"].as_i64().expect("id"))
        .collect();
    assert_eq!(ids, vec![t.admin.user_id], "administrators are always assignable");

    let (status, replaced) = app
        .call(
            Method::PATCH,
            &members,
            Some(&t.admin.token),
            Some(json!({"inbox_id": first["id"].to_string(), "user_ids": [t.admin.user_id]})),
        )
        .await;
    assert_eq!(status, 200);
    let ids: Vec<i64> = replaced["payload"]
        .as_array()
        .expect("payload")
        .iter()
        .map(|x| x["id"].as_i64().expect("id"))
        .collect();
    assert_eq!(ids, vec![t.admin.user_id]);
    let (status, body) = app
        .call(
            Method::DELETE,
            &members,
            Some(&t.admin.token),
            Some(json!({"inbox_id": first["id"], "user_ids": [t.admin.user_id]})),
        )
        .await;
    assert_eq!((status, body), (200, Value::Null));
    assert_eq!(app.count("inbox_members"), 0);

    for (method, body) in [
        (
            Method::POST,
            json!({"inbox_id": first["id"], "user_ids": [t.agent_id]}),
        ),
        (Method::PATCH, json!({"inbox_id": first["id"], "user_ids": []})),
    ] {
        let (status, response) = app.call(method, &members, Some(&t.agent), Some(body)).await;
        assert_eq!((status, response), (401, denied()));
    }
    let outsider = app.seed_team("Globex");
    let (status, response) = app
        .call(
            Method::POST,
            &members,
            Some(&t.admin.token),
            Some(json!({"inbox_id": first["id"], "user_ids": [outsider.agent_id]})),
        )
        .await;
    assert_eq!((status, response), (401, error("Invalid User IDs")));
    let (status, _) = app
        .call(
            Method::POST,
            &members,
            Some(&t.admin.token),
            Some(json!({"user_ids": [t.agent_id]})),
        )
        .await;
    assert_eq!(status, 422, "inbox_id is required");
    let (status, _) = app
        .call(
            Method::POST,
            &members,
            Some(&t.admin.token),
            Some(json!({"inbox_id": 98765, "user_ids": [t.agent_id]})),
        )
        .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn agent_bot_of_an_inbox() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let other = app.seed_team("Globex");
    let a = t.admin.account_id;
    let inbox = api_inbox(&app, a, &t.admin.token, "API").await;
    let bot_path = format!("/inboxes/{}/agent_bot", inbox["id"]);
    let set_path = format!("/inboxes/{}/set_agent_bot", inbox["id"]);
    let (status, none) = app
        .account_call(a, Method::GET, &bot_path, &t.admin.token, None)
        .await;
    assert_eq!((status, none), (200, json!({})));
    let (_, bot) = app
        .account_call(
            a,
            Method::POST,
            "/agent_bots",
            &t.admin.token,
            Some(json!({"name": "Helper"})),
        )
        .await;
    let (status, body) = app
        .account_call(
            a,
            Method::POST,
            &set_path,
            &t.admin.token,
            Some(json!({"agent_bot": bot["id"]})),
        )
        .await;
    assert_eq!((status, body), (200, Value::Null));
    let (_, connected) = app
        .account_call(a, Method::GET, &bot_path, &t.admin.token, None)
        .await;
    assert_eq!(connected["agent_bot"]["id"], bot["id"]);
    let (status, body) = app
        .account_call(
            a,
            Method::POST,
            &set_path,
            &t.agent,
            Some(json!({"agent_bot": null})),
        )
        .await;
    assert_eq!((status, body), (401, denied()));
    let (_, foreign) = app
        .account_call(
            other.admin.account_id,
            Method::POST,
            "/agent_bots",
            &other.admin.token,
            Some(json!({"name": "Theirs"})),
        )
        .await;
    let (status, body) = app
        .account_call(
            a,
            Method::POST,
            &set_path,
            &t.admin.token,
            Some(json!({"agent_bot": foreign["id"]})),
        )
        .await;
    assert_eq!((status, body), (404, not_found()));
    let (status, _) = app
        .account_call(
            a,
            Method::POST,
            &set_path,
            &t.admin.token,
            Some(json!({"agent_bot": null})),
        )
        .await;
    assert_eq!(status, 200);
    let (_, none) = app
        .account_call(a, Method::GET, &bot_path, &t.admin.token, None)
        .await;
    assert_eq!(none, json!({}));
}

#[tokio::test]
async fn delete_and_role_denials() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let a = t.admin.account_id;
    let inbox = api_inbox(&app, a, &t.admin.token, "API").await;
    let path = format!("/inboxes/{}", inbox["id"]);
    for (method, path) in [
        (Method::POST, "/inboxes"),
        (Method::PATCH, path.as_str()),
        (Method::DELETE, path.as_str()),
    ] {
        let (status, body) = app
            .account_call(
                a,
                method.clone(),
                path,
                &t.agent,
                Some(json!({"name": "x", "channel": {"type": "api"}})),
            )
            .await;
        assert_eq!((status, body), (401, denied()), "{method} {path}");
    }
    let (status, body) = app
        .account_call(a, Method::DELETE, &path, &t.admin.token, None)
        .await;
    assert_eq!(
        (status, body),
        (
            200,
            json!({"message": "Your inbox deletion request will be processed in some time."})
        )
    );
    let (status, _) = app
        .account_call(a, Method::GET, &path, &t.admin.token, None)
        .await;
    assert_eq!(status, 404);
    assert_eq!(app.count("channels"), 0);
}
