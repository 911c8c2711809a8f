//! Teams and team members.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{denied, error, not_found, spawn_app, stable};

fn ids(list: &Value) -> Vec<i64> {
    list.as_array()
        .expect("array")
        .iter()
        .map(|a| a["id"].as_i64().expect("id"))
        .collect()
}

#[tokio::test]
async fn teams_and_members() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let a = t.admin.account_id;
    let (status, team) = app
        .account_call(a, Method::POST, "/teams", &t.admin.token,
            Some(json!({"team": {"name": "Support Crew", "description": "Front line", "allow_auto_assign": false}})))
        .await;
    assert_eq!(status, 200, "{team}");
    insta::assert_json_snapshot!("team_created", stable(&team));
    assert_eq!(team["name"], "support crew");
    assert_eq!(team["is_member"], false);
    let team_path = format!("/teams/{}", team["id"]);
    let members = format!("{team_path}/team_members");

    let (status, added) = app
        .account_call(
            a,
            Method::POST,
            &members,
            &t.admin.token,
            Some(json!({"user_ids": [t.agent_id]})),
        )
        .await;
    assert_eq!((status, ids(&added)), (200, vec![t.agent_id]));
    insta::assert_json_snapshot!("team_member_added", stable(&added[0]));
    let (_, again) = app
        .account_call(
            a,
            Method::POST,
            &members,
            &t.admin.token,
            Some(json!({"user_ids": [t.agent_id, t.admin.user_id]})),
        )
        .await;
    assert_eq!(
        ids(&again),
        vec![t.admin.user_id],
        "POST returns only the newly added"
    );
    let (_, all) = app.account_call(a, Method::GET, &members, &t.agent, None).await;
    assert_eq!(all.as_array().expect("array").len(), 2);
    let (_, shown) = app.account_call(a, Method::GET, &team_path, &t.agent, None).await;
    assert_eq!(shown["is_member"], true, "the agent now sees itself as a member");

    let (status, replaced) = app
        .account_call(
            a,
            Method::PATCH,
            &members,
            &t.admin.token,
            Some(json!({"user_ids": [t.admin.user_id]})),
        )
        .await;
    assert_eq!(
        (status, ids(&replaced)),
        (200, vec![t.admin.user_id]),
        "PATCH replaces the set"
    );
    let (status, body) = app
        .account_call(
            a,
            Method::DELETE,
            &members,
            &t.admin.token,
            Some(json!({"user_ids": [t.admin.user_id]})),
        )
        .await;
    assert_eq!((status, body), (200, Value::Null));
    let (_, empty) = app
        .account_call(a, Method::GET, &members, &t.admin.token, None)
        .await;
    assert_eq!(empty, json!([]));

    let (status, updated) = app
        .account_call(
            a,
            Method::PATCH,
            &team_path,
            &t.admin.token,
            Some(json!({"name": "Tier 2"})),
        )
        .await;
    assert_eq!((status, updated["name"].clone()), (200, json!("tier 2")));
    let (_, list) = app.account_call(a, Method::GET, "/teams", &t.agent, None).await;
    assert_eq!(list.as_array().expect("array").len(), 1);
    let (status, _) = app
        .account_call(a, Method::DELETE, &team_path, &t.admin.token, None)
        .await;
    assert_eq!(status, 200);
    let (status, body) = app
        .account_call(a, Method::GET, &team_path, &t.admin.token, None)
        .await;
    assert_eq!((status, body), (404, not_found()));
}

#[tokio::test]
async fn agents_read_only_and_member_rules() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let outsider = app.seed_team("Globex");
    let a = t.admin.account_id;
    let (_, team) = app
        .account_call(
            a,
            Method::POST,
            "/teams",
            &t.admin.token,
            Some(json!({"name": "support"})),
        )
        .await;
    let team_path = format!("/teams/{}", team["id"]);
    let members = format!("{team_path}/team_members");
    for (method, path) in [
        (Method::POST, "/teams"),
        (Method::PATCH, team_path.as_str()),
        (Method::DELETE, team_path.as_str()),
        (Method::POST, members.as_str()),
        (Method::PATCH, members.as_str()),
        (Method::DELETE, members.as_str()),
    ] {
        let (status, body) = app
            .account_call(
                a,
                method.clone(),
                path,
                &t.agent,
                Some(json!({"name": "x", "user_ids": [t.agent_id]})),
            )
            .await;
        assert_eq!((status, body), (401, denied()), "{method} {path}");
    }
    let (status, body) = app
        .account_call(
            a,
            Method::POST,
            &members,
            &t.admin.token,
            Some(json!({"user_ids": [t.agent_id, outsider.agent_id]})),
        )
        .await;
    assert_eq!((status, body), (401, error("Invalid User IDs")));
    assert_eq!(
        app.count("team_members"),
        0,
        "nothing added when one id is foreign"
    );
    let (status, _) = app
        .account_call(a, Method::POST, &members, &t.admin.token, Some(json!({})))
        .await;
    assert_eq!(status, 422);
    for body in [
        json!({"name": ""}),
        json!({"name": "SUPPORT"}),
        json!({"name": "x", "allow_auto_assign": "maybe"}),
    ] {
        let (status, response) = app
            .account_call(a, Method::POST, "/teams", &t.admin.token, Some(body.clone()))
            .await;
        assert_eq!(status, 422, "{body} → {response}");
    }
    assert_eq!(app.count("teams"), 1);
    let (_, theirs) = app
        .account_call(
            outsider.admin.account_id,
            Method::POST,
            "/teams",
            &outsider.admin.token,
            Some(json!({"name": "support"})),
        )
        .await;
    let (status, _) = app
        .account_call(
            a,
            Method::GET,
            &format!("/teams/{}/team_members", theirs["id"]),
            &t.admin.token,
            None,
        )
        .await;
    assert_eq!(status, 404);
}
