//! `GET assignable_agents?inbox_ids[]=…`: members of every given inbox plus administrators.

use parlor::db::account_users::Role;
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{denied, no_credentials, not_found, spawn_app};

fn ids(body: &Value) -> Vec<i64> {
    let mut ids: Vec<i64> = body["payload"]
        .as_array()
        .expect("payload")
        .iter()
        .map(|a| a["id"].as_i64().expect("id"))
        .collect();
    ids.sort_unstable();
    ids
}

#[tokio::test]
async fn members_of_every_inbox_plus_administrators() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let a = t.admin.account_id;
    let (first, _) = app.seed_conversation(&t).await;
    let (second, _) = app.seed_conversation(&t).await;
    let (second_only, second_token) = app.seed_member(a, "second@acme.test", Role::Agent);
    let (_, nobody) = app.seed_member(a, "nobody@acme.test", Role::Agent);
    app.account_call(
        a,
        Method::POST,
        "/inbox_members",
        &t.admin.token,
        Some(json!({"inbox_id": second, "user_ids": [t.agent_id, second_only]})),
    )
    .await;
    let get = |query: String, token: String| {
        let app = &app;
        async move {
            app.account_call(
                a,
                Method::GET,
                &format!("/assignable_agents{query}"),
                &token,
                None,
            )
            .await
        }
    };
    let mut admin_and_agent = vec![t.admin.user_id, t.agent_id];
    admin_and_agent.sort_unstable();

    let (status, body) = get(format!("?inbox_ids[]={first}"), t.agent.clone()).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(ids(&body), admin_and_agent);
    assert!(body["payload"][0]["role"].as_str().is_some(), "agent JSON");
    let (_, body) = get(format!("?inbox_ids[]={second}"), t.admin.token.clone()).await;
    let mut all_three = vec![t.admin.user_id, t.agent_id, second_only];
    all_three.sort_unstable();
    assert_eq!(ids(&body), all_three);
    // Several inboxes: only agents in all of them (plus administrators).
    let (_, body) = get(
        format!("?inbox_ids[]={first}&inbox_ids[]={second}"),
        t.agent.clone(),
    )
    .await;
    assert_eq!(ids(&body), admin_and_agent);

    // An inbox the caller cannot see is Chatwoot's policy denial; an unknown one 404.
    assert_eq!(
        get(format!("?inbox_ids[]={first}"), nobody.clone()).await,
        (401, denied())
    );
    assert_eq!(
        get(format!("?inbox_ids[]={first}&inbox_ids[]={second}"), second_token).await,
        (401, denied())
    );
    assert_eq!(
        get(
            format!("?inbox_ids[]={first}&inbox_ids[]=999999"),
            t.admin.token.clone()
        )
        .await,
        (404, not_found())
    );
    assert_eq!(
        get(String::new(), t.admin.token.clone()).await,
        (404, not_found())
    );
    let (status, body) = app
        .call(
            Method::GET,
            &format!("/api/v1/accounts/{a}/assignable_agents?inbox_ids[]={first}"),
            None,
            None,
        )
        .await;
    assert_eq!((status, body), (401, no_credentials()));
}
