//! `conversations/{id}/participants`: agents following a conversation. Participants must be
//! agents who may be assigned in the conversation's inbox; a refused list writes nothing.

use parlor::db::account_users::Role;
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{assert_keys, denied, error, no_credentials, not_found, spawn_app};

const AGENT_KEYS: &[&str] = &[
    "id",
    "account_id",
    "availability_status",
    "auto_offline",
    "confirmed",
    "email",
    "provider",
    "available_name",
    "name",
    "role",
    "thumbnail",
    "custom_role_id",
];

fn ids(list: &Value) -> Vec<i64> {
    list.as_array()
        .expect("an array of agents")
        .iter()
        .map(|a| a["id"].as_i64().expect("id"))
        .collect()
}

#[tokio::test]
async fn add_replace_list_and_remove_participants() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let a = t.admin.account_id;
    let (_, id) = app.seed_conversation(&t).await;
    let (outsider_id, outsider) = app.seed_member(a, "outsider@acme.test", Role::Agent);
    let other = app.seed_team("Globex");
    let path = format!("/conversations/{id}/participants");
    let call = |method: Method, token: String, body: Option<Value>| {
        let (app, path) = (&app, path.clone());
        async move { app.account_call(a, method, &path, &token, body).await }
    };

    assert_eq!(call(Method::GET, t.agent.clone(), None).await, (200, json!([])));
    let (status, added) = call(
        Method::POST,
        t.agent.clone(),
        Some(json!({"user_ids": [t.agent_id]})),
    )
    .await;
    assert_eq!(status, 200, "{added}");
    assert_eq!(ids(&added), vec![t.agent_id]);
    assert_keys(&added[0], AGENT_KEYS);
    assert_eq!(added[0]["email"], "agent@acme.test");
    // Only the newly added come back; an administrator may always take part.
    let (status, added) = call(
        Method::POST,
        t.agent.clone(),
        Some(json!({"user_ids": [t.agent_id, t.admin.user_id.to_string()]})),
    )
    .await;
    assert_eq!((status, ids(&added)), (200, vec![t.admin.user_id]));
    let (_, all) = call(Method::GET, t.agent.clone(), None).await;
    let mut listed = ids(&all);
    listed.sort_unstable();
    let mut expected = vec![t.agent_id, t.admin.user_id];
    expected.sort_unstable();
    assert_eq!(listed, expected);

    // Agents outside the inbox and users of other accounts are refused, and nothing is written.
    let before = app.count("conversation_participants");
    for bad in [outsider_id, other.agent_id, 999_999] {
        for method in [Method::POST, Method::PATCH, Method::PUT] {
            let answer = call(
                method.clone(),
                t.admin.token.clone(),
                Some(json!({"user_ids": [t.agent_id, bad]})),
            )
            .await;
            assert_eq!(
                answer,
                (
                    422,
                    json!({"message": "User must have inbox access", "attributes": ["user"]})
                ),
                "{method} {bad}"
            );
        }
    }
    assert_eq!(app.count("conversation_participants"), before);
    for body in [
        json!({}),
        json!({"user_ids": "x"}),
        json!({"user_ids": [{"id": 1}]}),
    ] {
        let (status, answer) = call(Method::PATCH, t.admin.token.clone(), Some(body.clone())).await;
        assert_eq!(status, 422, "{body}: {answer}");
        assert!(answer["error"].is_string(), "{answer}");
    }
    assert_eq!(app.count("conversation_participants"), before);

    // PATCH replaces the set and answers all of it.
    let (status, now) = call(
        Method::PATCH,
        t.admin.token.clone(),
        Some(json!({"user_ids": [t.admin.user_id]})),
    )
    .await;
    assert_eq!((status, ids(&now)), (200, vec![t.admin.user_id]));
    let (status, now) = call(
        Method::PUT,
        t.admin.token.clone(),
        Some(json!({"user_ids": [t.agent_id]})),
    )
    .await;
    assert_eq!((status, ids(&now)), (200, vec![t.agent_id]));
    assert_eq!(app.count("conversation_participants"), 1);

    // DELETE removes the listed ones (unknown ids are ignored) and answers an empty 200.
    let answer = call(
        Method::DELETE,
        t.agent.clone(),
        Some(json!({"user_ids": [t.agent_id, 999_999]})),
    )
    .await;
    assert_eq!(answer, (200, Value::Null));
    assert_eq!(app.count("conversation_participants"), 0);

    // Refusals.
    let (status, body) = app
        .call(Method::GET, &format!("/api/v1/accounts/{a}{path}"), None, None)
        .await;
    assert_eq!((status, body), (401, no_credentials()));
    assert_eq!(call(Method::GET, outsider.clone(), None).await, (401, denied()));
    assert_eq!(
        call(Method::POST, outsider, Some(json!({"user_ids": [outsider_id]}))).await,
        (401, denied())
    );
    assert_eq!(
        call(Method::GET, other.admin.token.clone(), None).await,
        (401, error("You are not authorized to access this account"))
    );
    let (status, body) = app
        .account_call(a, Method::GET, "/conversations/999/participants", &t.agent, None)
        .await;
    assert_eq!((status, body), (404, not_found()));
    assert_eq!(app.count("conversation_participants"), 0);
}
