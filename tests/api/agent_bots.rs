//! Account agent bots.

use reqwest::Method;
use serde_json::json;

use crate::helpers::{denied, error, not_found, spawn_app, stable};

#[tokio::test]
async fn bots_of_the_account_and_system_bots() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let a = t.admin.account_id;
    let (_, platform) = app.seed_platform_app("hub");
    let (_, system) = app
        .call(
            Method::POST,
            "/platform/api/v1/agent_bots",
            Some(&platform),
            Some(json!({"name": "Global"})),
        )
        .await;

    let (status, bot) = app
        .account_call(a, Method::POST, "/agent_bots", &t.admin.token,
            Some(json!({"name": "Helper", "description": "d", "outgoing_url": "https://bot.test/hook", "bot_config": {"lang": "en"}})))
        .await;
    assert_eq!(status, 200, "{bot}");
    insta::assert_json_snapshot!("agent_bot_created", stable(&bot));
    assert_eq!(bot["access_token"].as_str().expect("token").len(), 24);
    assert_eq!(
        bot["secret"].as_str().map(str::len),
        Some(48),
        "administrators see the signing secret"
    );

    let (_, list) = app
        .account_call(a, Method::GET, "/agent_bots", &t.agent, None)
        .await;
    let list = list.as_array().expect("array");
    assert_eq!(list.len(), 2);
    let global = list
        .iter()
        .find(|b| b["id"] == system["id"])
        .expect("system bot listed");
    assert_eq!(global["system_bot"], true);
    assert_eq!(
        global["access_token"],
        serde_json::Value::Null,
        "never another owner's token"
    );
    assert!(global.get("outgoing_url").is_none());

    let own = list.iter().find(|b| b["id"] == bot["id"]).expect("own bot");
    assert_eq!(
        own["access_token"],
        serde_json::Value::Null,
        "an agent never reads a bot token (it acts in every inbox)"
    );
    let (_, admin_list) = app
        .account_call(a, Method::GET, "/agent_bots", &t.admin.token, None)
        .await;
    let own = admin_list
        .as_array()
        .and_then(|l| l.iter().find(|b| b["id"] == bot["id"]))
        .expect("own bot");
    assert_eq!(own["access_token"], bot["access_token"], "administrators do");
    assert_eq!(
        own["secret"], bot["secret"],
        "and the signing secret, in the list too"
    );
    let agent_own = list.iter().find(|b| b["id"] == bot["id"]).expect("own bot");
    assert!(agent_own.get("secret").is_none(), "agents never see it");
    let global = admin_list
        .as_array()
        .and_then(|l| l.iter().find(|b| b["id"] == system["id"]))
        .expect("system bot");
    assert!(global.get("secret").is_none(), "another owner's secret: {global}");

    // The platform app that made the system bot holds its secret.
    let (status, platform_bot) = app
        .call(
            Method::GET,
            &format!("/platform/api/v1/agent_bots/{}", system["id"]),
            Some(&platform),
            None,
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(platform_bot["secret"].as_str().map(str::len), Some(48));
    assert_eq!(platform_bot["secret"], system["secret"]);
    let (_, platform_list) = app
        .call(Method::GET, "/platform/api/v1/agent_bots", Some(&platform), None)
        .await;
    assert_eq!(platform_list[0]["secret"], system["secret"], "{platform_list}");

    let path = format!("/agent_bots/{}", bot["id"]);
    let (status, shown) = app
        .account_call(a, Method::GET, &path, &t.admin.token, None)
        .await;
    assert_eq!((status, &shown), (200, &bot));
    let (status, shown) = app.account_call(a, Method::GET, &path, &t.agent, None).await;
    let mut without_token = bot.clone();
    without_token["access_token"] = serde_json::Value::Null;
    without_token.as_object_mut().expect("object").remove("secret");
    assert_eq!((status, &shown), (200, &without_token));
    let (status, _) = app
        .account_call(
            a,
            Method::PATCH,
            &format!("/agent_bots/{}", system["id"]),
            &t.admin.token,
            Some(json!({"name": "Mine now"})),
        )
        .await;
    assert_eq!(status, 404, "system bots are read-only here");

    let old_token = bot["access_token"].as_str().expect("token").to_string();
    let (status, reset) = app
        .account_call(
            a,
            Method::POST,
            &format!("{path}/reset_access_token"),
            &t.admin.token,
            None,
        )
        .await;
    assert_eq!(status, 200);
    assert_ne!(reset["access_token"], old_token.as_str());
    let (status, body) = app
        .call(Method::GET, "/api/v1/profile", Some(&old_token), None)
        .await;
    assert_eq!(
        (status, body),
        (401, error("Invalid Access Token")),
        "the old token is dead"
    );

    let (status, updated) = app
        .account_call(
            a,
            Method::PATCH,
            &path,
            &t.admin.token,
            Some(json!({"outgoing_url": null})),
        )
        .await;
    assert_eq!(
        (status, updated["outgoing_url"].clone()),
        (200, serde_json::Value::Null)
    );
    let (status, _) = app
        .account_call(a, Method::DELETE, &path, &t.admin.token, None)
        .await;
    assert_eq!(status, 200);
    let (status, body) = app.account_call(a, Method::GET, &path, &t.agent, None).await;
    assert_eq!((status, body), (404, not_found()));
}

#[tokio::test]
async fn agents_cannot_manage_bots_and_input_is_checked() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let other = app.seed_team("Globex");
    let a = t.admin.account_id;
    let (_, bot) = app
        .account_call(
            a,
            Method::POST,
            "/agent_bots",
            &t.admin.token,
            Some(json!({"name": "B"})),
        )
        .await;
    let path = format!("/agent_bots/{}", bot["id"]);
    for (method, path) in [
        (Method::POST, "/agent_bots".to_string()),
        (Method::PATCH, path.clone()),
        (Method::DELETE, path.clone()),
        (Method::POST, format!("{path}/reset_access_token")),
    ] {
        let (status, body) = app
            .account_call(a, method.clone(), &path, &t.agent, Some(json!({"name": "x"})))
            .await;
        assert_eq!((status, body), (401, denied()), "{method} {path}");
    }
    for body in [
        json!({}),
        json!({"name": ""}),
        json!({"name": "x", "outgoing_url": "ftp://x"}),
        json!({"name": "x", "bot_type": "csml"}),
    ] {
        let (status, response) = app
            .account_call(a, Method::POST, "/agent_bots", &t.admin.token, Some(body.clone()))
            .await;
        assert_eq!(status, 422, "{body} → {response}");
    }
    assert_eq!(app.count("agent_bots"), 1);
    let (status, _) = app
        .account_call(
            other.admin.account_id,
            Method::GET,
            &path,
            &other.admin.token,
            None,
        )
        .await;
    assert_eq!(status, 404, "another account cannot see this account's bot");
}
