//! `macros`: visibility (global / personal to the creator), validation like automation actions,
//! and `execute`, which runs the actions as the executing user through the automation runner.

use parlor::db::account_users::Role;
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{assert_keys, denied, error, no_credentials, not_found, spawn_app};

fn ids(body: &Value) -> Vec<i64> {
    body["payload"]
        .as_array()
        .expect("payload")
        .iter()
        .map(|m| m["id"].as_i64().expect("id"))
        .collect()
}

#[tokio::test]
async fn visibility_and_validation() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let other = app.seed_team("Globex");
    let a = t.admin.account_id;
    let actions = json!([{"action_name": "add_label", "action_params": ["vip"]}]);

    // An agent's macro is personal even when they ask for global.
    let (status, mine) = app
        .account_call(
            a,
            Method::POST,
            "/macros",
            &t.agent,
            Some(json!({"name": "Tag VIP", "visibility": "global", "actions": actions})),
        )
        .await;
    assert_eq!(status, 200, "{mine}");
    let mine = mine["payload"].clone();
    assert_keys(
        &mine,
        &[
            "id",
            "name",
            "visibility",
            "created_by",
            "updated_by",
            "account_id",
            "actions",
        ],
    );
    assert_eq!(mine["visibility"], "personal");
    assert_eq!(mine["created_by"]["id"], t.agent_id);
    assert_eq!(mine["created_by"]["email"], "agent@acme.test");
    assert_eq!(mine["actions"], actions);
    let (_, global) = app
        .account_call(
            a,
            Method::POST,
            "/macros",
            &t.admin.token,
            Some(json!({"macro": {"name": "Close", "visibility": "global",
                "actions": [{"action_name": "resolve_conversation", "action_params": []}]}})),
        )
        .await;
    assert_eq!(global["payload"]["visibility"], "global", "{global}");
    let (_, admin_personal) = app
        .account_call(
            a,
            Method::POST,
            "/macros",
            &t.admin.token,
            Some(json!({"name": "Mine", "actions": []})),
        )
        .await;
    assert_eq!(admin_personal["payload"]["visibility"], "personal");
    let (mine_id, global_id, admin_id) = (
        mine["id"].as_i64().expect("id"),
        global["payload"]["id"].as_i64().expect("id"),
        admin_personal["payload"]["id"].as_i64().expect("id"),
    );

    // Each sees the global ones and their own personal ones, even administrators.
    let (_, list) = app.account_call(a, Method::GET, "/macros", &t.agent, None).await;
    assert_eq!(ids(&list), vec![mine_id, global_id]);
    let (_, list) = app
        .account_call(a, Method::GET, "/macros", &t.admin.token, None)
        .await;
    assert_eq!(ids(&list), vec![global_id, admin_id]);
    let shown = |id: i64, token: String| {
        let app = &app;
        async move {
            app.account_call(a, Method::GET, &format!("/macros/{id}"), &token, None)
                .await
        }
    };
    assert_eq!(shown(mine_id, t.admin.token.clone()).await, (401, denied()));
    assert_eq!(shown(admin_id, t.agent.clone()).await, (401, denied()));
    let (status, body) = shown(global_id, t.agent.clone()).await;
    assert_eq!((status, &body["payload"]["name"]), (200, &json!("Close")));
    assert_eq!(shown(999_999, t.agent.clone()).await, (404, not_found()));

    // A global macro is changed by administrators only; a personal one by its creator only.
    let rename = Some(json!({"name": "Renamed"}));
    let answer = app
        .account_call(
            a,
            Method::PATCH,
            &format!("/macros/{global_id}"),
            &t.agent,
            rename.clone(),
        )
        .await;
    assert_eq!(answer, (401, denied()));
    let (status, renamed) = app
        .account_call(
            a,
            Method::PUT,
            &format!("/macros/{global_id}"),
            &t.admin.token,
            rename.clone(),
        )
        .await;
    assert_eq!((status, &renamed["payload"]["name"]), (200, &json!("Renamed")));
    assert_eq!(renamed["payload"]["visibility"], "global", "kept");
    assert_eq!(
        app.account_call(
            a,
            Method::DELETE,
            &format!("/macros/{mine_id}"),
            &t.admin.token,
            None
        )
        .await,
        (401, denied())
    );
    assert_eq!(
        app.account_call(a, Method::DELETE, &format!("/macros/{global_id}"), &t.agent, None)
            .await,
        (401, denied())
    );

    // Validation: Chatwoot's errors hash; nothing written or changed.
    let before = app.count("macros");
    let cases = [
        (
            json!({"name": "X", "actions": [{"action_name": "explode", "action_params": []}]}),
            json!({"actions": ["Macro execution actions explode not supported."]}),
        ),
        (
            json!({"name": "X", "actions": [{"action_name": "send_webhook_event", "action_params": ["https://a.test"]}]}),
            json!({"actions": ["Macro execution actions send_webhook_event not supported."]}),
        ),
        (
            json!({"name": "", "actions": []}),
            json!({"name": ["can't be blank"]}),
        ),
        (json!({"name": "X"}), json!({"actions": ["must be an array"]})),
    ];
    for (body, errors) in cases {
        let answer = app
            .account_call(a, Method::POST, "/macros", &t.agent, Some(body.clone()))
            .await;
        assert_eq!(answer, (422, json!({"error": errors})), "{body}");
    }
    let answer = app
        .account_call(
            a,
            Method::PATCH,
            &format!("/macros/{mine_id}"),
            &t.agent,
            Some(json!({"actions": [{"action_name": "explode"}]})),
        )
        .await;
    assert_eq!(answer.0, 422);
    let (status, answer) = app
        .account_call(
            a,
            Method::POST,
            "/macros",
            &t.admin.token,
            Some(json!({"name": "X", "visibility": "public", "actions": []})),
        )
        .await;
    assert_eq!(status, 422);
    assert!(
        answer["error"]
            .as_str()
            .is_some_and(|e| e.contains("personal, global")),
        "{answer}"
    );
    assert_eq!(app.count("macros"), before);
    let (_, unchanged) = shown(mine_id, t.agent.clone()).await;
    assert_eq!(unchanged["payload"]["actions"], actions);

    assert_eq!(
        app.account_call(a, Method::DELETE, &format!("/macros/{mine_id}"), &t.agent, None)
            .await,
        (200, Value::Null)
    );
    assert_eq!(app.count("macros"), before - 1);
    let (status, body) = app
        .call(Method::GET, &format!("/api/v1/accounts/{a}/macros"), None, None)
        .await;
    assert_eq!((status, body), (401, no_credentials()));
    assert_eq!(
        app.account_call(
            a,
            Method::GET,
            &format!("/macros/{global_id}"),
            &other.admin.token,
            None
        )
        .await,
        (401, error("You are not authorized to access this account"))
    );
    assert_eq!(
        app.account_call(
            other.admin.account_id,
            Method::GET,
            &format!("/macros/{global_id}"),
            &other.admin.token,
            None
        )
        .await,
        (404, not_found())
    );
}

/// Messages of a conversation, oldest first.
async fn messages(app: &crate::helpers::TestApp, a: i64, id: i64, token: &str) -> Vec<Value> {
    let (_, page) = app
        .account_call(
            a,
            Method::GET,
            &format!("/conversations/{id}/messages"),
            token,
            None,
        )
        .await;
    page["payload"].as_array().cloned().unwrap_or_default()
}

#[tokio::test]
async fn execute_runs_the_actions_as_the_user() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let a = t.admin.account_id;
    let (_, id) = app.seed_conversation(&t).await;
    // A conversation in an inbox the agent is not a member of.
    let (hidden_inbox, contact) = {
        let (_, inbox) = app
            .account_call(
                a,
                Method::POST,
                "/inboxes",
                &t.admin.token,
                Some(json!({"name": "Private", "channel": {"type": "api"}})),
            )
            .await;
        let (_, contact) = app
            .account_call(
                a,
                Method::POST,
                "/contacts",
                &t.admin.token,
                Some(json!({"name": "Kim", "email": "kim@example.test"})),
            )
            .await;
        (inbox["id"].clone(), contact["payload"]["contact"]["id"].clone())
    };
    let (_, hidden) = app
        .account_call(
            a,
            Method::POST,
            "/conversations",
            &t.admin.token,
            Some(json!({"inbox_id": hidden_inbox, "contact_id": contact})),
        )
        .await;
    let hidden = hidden["id"].as_i64().expect("display id");
    let (_, created) = app
        .account_call(
            a,
            Method::POST,
            "/macros",
            &t.agent,
            Some(json!({"name": "Wrap up", "actions": [
                {"action_name": "add_label", "action_params": ["vip"]},
                {"action_name": "assign_agent", "action_params": ["self"]},
                {"action_name": "change_priority", "action_params": ["high"]},
                {"action_name": "send_message", "action_params": ["Thanks, closing now"]},
                {"action_name": "add_private_note", "action_params": ["closed by macro"]},
                {"action_name": "resolve_conversation", "action_params": []},
                {"action_name": "send_attachment", "action_params": [1]},
            ]})),
        )
        .await;
    let macro_id = created["payload"]["id"].as_i64().expect("macro");
    let hidden_before = messages(&app, a, hidden, &t.admin.token).await.len();

    let answer = app
        .account_call(
            a,
            Method::POST,
            &format!("/macros/{macro_id}/execute"),
            &t.agent,
            Some(json!({"conversation_ids": [id, hidden, 999_999]})),
        )
        .await;
    assert_eq!(answer, (200, Value::Null));

    let (_, c) = app
        .account_call(a, Method::GET, &format!("/conversations/{id}"), &t.agent, None)
        .await;
    assert_eq!(c["status"], "resolved", "{c}");
    assert_eq!(c["priority"], "high");
    assert_eq!(c["labels"], json!(["vip"]));
    assert_eq!(c["meta"]["assignee"]["id"], t.agent_id);
    let list = messages(&app, a, id, &t.agent).await;
    let reply = list
        .iter()
        .find(|m| m["content"] == "Thanks, closing now")
        .expect("reply sent");
    assert_eq!(reply["message_type"], 1);
    assert_eq!(reply["private"], false);
    assert_eq!(reply["sender"]["id"], t.agent_id, "sent as the user: {reply}");
    let note = list
        .iter()
        .find(|m| m["content"] == "closed by macro")
        .expect("note");
    assert_eq!(note["private"], true);
    let activities: Vec<&str> = list
        .iter()
        .filter(|m| m["message_type"] == 2)
        .filter_map(|m| m["content"].as_str())
        .collect();
    for text in [
        "Member added vip",
        "Member self-assigned this conversation",
        "Member set the priority to high",
        "Conversation was marked resolved by Member",
    ] {
        assert!(activities.contains(&text), "{text} in {activities:?}");
    }
    // The conversation the agent cannot see was skipped.
    assert_eq!(
        messages(&app, a, hidden, &t.admin.token).await.len(),
        hidden_before
    );
    let (_, h) = app
        .account_call(
            a,
            Method::GET,
            &format!("/conversations/{hidden}"),
            &t.admin.token,
            None,
        )
        .await;
    assert_eq!(h["labels"], json!([]));
    assert_ne!(h["status"], "resolved");

    // Someone else's personal macro cannot be run; nor can outsiders run anything.
    let (_, other_agent) = app.seed_member(a, "other@acme.test", Role::Agent);
    let body = Some(json!({"conversation_ids": [id]}));
    assert_eq!(
        app.account_call(
            a,
            Method::POST,
            &format!("/macros/{macro_id}/execute"),
            &other_agent,
            body.clone()
        )
        .await,
        (401, denied())
    );
    assert_eq!(
        app.account_call(a, Method::POST, "/macros/999999/execute", &t.agent, body.clone())
            .await,
        (404, not_found())
    );
    let (status, answer) = app
        .call(
            Method::POST,
            &format!("/api/v1/accounts/{a}/macros/{macro_id}/execute"),
            None,
            body,
        )
        .await;
    assert_eq!((status, answer), (401, no_credentials()));
}
