//! Events with no row change of their own: typing, a contact reading a conversation, merged and
//! deleted contacts — over real WebSockets, and typing to a real local webhook receiver.

use std::time::Duration;

use reqwest::Method;
use serde_json::json;

use crate::cable_client::{Cable, agent_identifier, contact_identifier};
use crate::helpers::{Team, TestApp, spawn_app_with};
use crate::live::{Customer, agent_socket, customer, public, pubsub_token};
use crate::receiver::Receiver;

async fn admin_socket(app: &TestApp, t: &Team) -> Cable {
    let token = pubsub_token(app, &t.admin.token).await;
    let mut cable = Cable::open_welcomed(app).await;
    cable
        .subscribe_confirmed(&agent_identifier(&token, t.admin.account_id, t.admin.user_id))
        .await;
    cable
}

async fn contact_socket(app: &TestApp, c: &Customer) -> Cable {
    let mut cable = Cable::open_welcomed(app).await;
    cable
        .subscribe_confirmed(&contact_identifier(&c.pubsub_token))
        .await;
    cable
}

async fn agent_types(app: &TestApp, t: &Team, c: &Customer, body: serde_json::Value) -> u16 {
    let (status, _) = app
        .account_call(
            t.admin.account_id,
            Method::POST,
            &format!("/conversations/{}/toggle_typing_status", c.conversation),
            &t.agent,
            Some(body),
        )
        .await;
    status
}

fn typing_events(seen: &[serde_json::Value]) -> Vec<&serde_json::Value> {
    seen.iter()
        .filter(|m| {
            m["event"]
                .as_str()
                .is_some_and(|e| e.starts_with("conversation.typing"))
        })
        .collect()
}

#[tokio::test]
async fn typing_reaches_everyone_but_the_typer_and_private_typing_stays_with_agents() {
    let app = spawn_app_with(|config| config.allow_private_webhooks = true).await;
    let t = app.seed_team("Acme");
    let receiver = Receiver::start().await;
    let (status, _) = app
        .account_call(
            t.admin.account_id,
            Method::POST,
            "/webhooks",
            &t.admin.token,
            Some(json!({"url": receiver.url, "subscriptions": ["conversation_typing_on"]})),
        )
        .await;
    assert_eq!(status, 200);
    let c = customer(&app, &t).await;
    let mut typer = agent_socket(&app, &t).await;
    let mut admin = admin_socket(&app, &t).await;
    let mut contact = contact_socket(&app, &c).await;

    assert_eq!(
        agent_types(&app, &t, &c, json!({"typing_status": "on"})).await,
        200
    );
    let (on, _) = admin.until_event("conversation.typing_on").await;
    let data = &on["data"];
    assert_eq!(data["user"]["id"], t.agent_id);
    assert_eq!(data["user"]["type"], "user");
    assert_eq!(data["is_private"], false);
    assert_eq!(data["conversation"]["id"], c.conversation);
    assert_eq!(data["account_id"], t.admin.account_id);
    let (seen_by_contact, _) = contact.until_event("conversation.typing_on").await;
    assert_eq!(seen_by_contact["data"]["user"]["id"], t.agent_id);

    // The webhook gets Chatwoot's typing payload.
    let hook = receiver.event("conversation_typing_on").await.json();
    let keys: Vec<&str> = hook
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, ["event", "user", "conversation", "is_private"]);
    assert_eq!(
        hook["user"],
        json!({"id": t.agent_id, "name": hook["user"]["name"], "email": "agent@acme.test", "type": "user"})
    );
    assert_eq!(hook["conversation"]["id"], c.conversation);

    // Typing a private note: agents see it, the contact does not.
    assert_eq!(
        agent_types(&app, &t, &c, json!({"typing_status": "off"})).await,
        200
    );
    admin.until_event("conversation.typing_off").await;
    contact.until_event("conversation.typing_off").await;
    assert_eq!(
        agent_types(&app, &t, &c, json!({"typing_status": "on", "is_private": true})).await,
        200
    );
    let (private, _) = admin.until_event("conversation.typing_on").await;
    assert_eq!(private["data"]["is_private"], true);
    let later = contact.drain(Duration::from_millis(300)).await;
    assert!(
        typing_events(&later).is_empty(),
        "private typing reached the contact: {later:?}"
    );
    let own = typer.drain(Duration::from_millis(200)).await;
    assert!(
        typing_events(&own).is_empty(),
        "the typer saw their own typing: {own:?}"
    );

    // Bad values are refused and announce nothing.
    assert_eq!(
        agent_types(&app, &t, &c, json!({"typing_status": "loud"})).await,
        422
    );
    let after = admin.drain(Duration::from_millis(300)).await;
    assert!(typing_events(&after).is_empty(), "{after:?}");
}

#[tokio::test]
async fn a_contact_typing_and_reading_reaches_the_agents() {
    let app = spawn_app_with(|_| {}).await;
    let t = app.seed_team("Acme");
    let c = customer(&app, &t).await;
    let (_, before) = app
        .account_call(
            t.admin.account_id,
            Method::GET,
            "/contacts/active",
            &t.agent,
            None,
        )
        .await;
    assert_eq!(before["meta"]["count"], 0, "{before}");
    let mut agent = agent_socket(&app, &t).await;
    let mut contact = contact_socket(&app, &c).await;
    let conversation = format!("/contacts/{}/conversations/{}", c.source_id, c.conversation);

    // Subscribing counts as presence: the contact is active for the account only.
    let (status, active) = app
        .account_call(
            t.admin.account_id,
            Method::GET,
            "/contacts/active",
            &t.agent,
            None,
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(active["meta"], json!({"count": 1, "current_page": 1}), "{active}");
    assert_eq!(active["payload"][0]["id"], c.contact_id);
    let other = app.seed_team("Other");
    let (_, elsewhere) = app
        .account_call(
            other.admin.account_id,
            Method::GET,
            "/contacts/active",
            &other.agent,
            None,
        )
        .await;
    assert_eq!(elsewhere["meta"]["count"], 0, "{elsewhere}");

    let (status, _) = app
        .call(
            Method::POST,
            &public(&c.identifier, &format!("{conversation}/toggle_typing")),
            None,
            Some(json!({"typing_status": "on"})),
        )
        .await;
    assert_eq!(status, 200);
    let (on, _) = agent.until_event("conversation.typing_on").await;
    assert_eq!(on["data"]["user"]["type"], "contact");
    assert_eq!(on["data"]["user"]["id"], c.contact_id);
    let own = contact.drain(Duration::from_millis(300)).await;
    assert!(
        typing_events(&own).is_empty(),
        "the contact saw their own typing: {own:?}"
    );

    let (status, _) = app
        .call(
            Method::POST,
            &public(&c.identifier, &format!("{conversation}/update_last_seen")),
            None,
            None,
        )
        .await;
    assert_eq!(status, 200);
    let (read, _) = agent.until_event("conversation.read").await;
    assert_eq!(read["data"]["id"], c.conversation);
    assert!(
        read["data"]["contact_last_seen_at"].as_i64().unwrap_or(0) > 0,
        "{read}"
    );
    let seen = contact.drain(Duration::from_millis(300)).await;
    assert!(
        seen.iter().all(|m| m["event"] != "conversation.read"),
        "conversation.read is for agents: {seen:?}"
    );
}

#[tokio::test]
async fn merged_and_deleted_contacts_reach_the_account_stream() {
    let app = spawn_app_with(|_| {}).await;
    let t = app.seed_team("Acme");
    let a = t.admin.account_id;
    let mut agent = agent_socket(&app, &t).await;
    let mut ids = Vec::new();
    for (name, email) in [("Kim", "kim@example.test"), ("Kim B", "kimb@example.test")] {
        let (status, body) = app
            .account_call(
                a,
                Method::POST,
                "/contacts",
                &t.admin.token,
                Some(json!({"name": name, "email": email})),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        ids.push(body["payload"]["contact"]["id"].as_i64().expect("id"));
    }
    let (status, _) = app
        .account_call(
            a,
            Method::POST,
            "/actions/contact_merge",
            &t.admin.token,
            Some(json!({"base_contact_id": ids[0], "mergee_contact_id": ids[1]})),
        )
        .await;
    assert_eq!(status, 200);
    // The mergee's deletion and the merge, in commit order.
    let (merged, before) = agent.until_event("contact.merged").await;
    assert_eq!(merged["data"]["id"], ids[0]);
    assert_eq!(merged["data"]["account_id"], a);
    let deleted = before
        .iter()
        .find(|m| m["event"] == "contact.deleted")
        .unwrap_or_else(|| panic!("no contact.deleted before contact.merged: {before:?}"));
    assert_eq!(deleted["data"]["id"], ids[1]);
    assert_eq!(deleted["data"]["name"], "Kim B");
    assert_eq!(deleted["data"]["blocked"], false);
    assert_eq!(deleted["data"]["account_id"], a);

    let (status, _) = app
        .account_call(
            a,
            Method::DELETE,
            &format!("/contacts/{}", ids[0]),
            &t.admin.token,
            None,
        )
        .await;
    assert_eq!(status, 200);
    let (deleted, _) = agent.until_event("contact.deleted").await;
    assert_eq!(deleted["data"]["id"], ids[0]);
    assert_eq!(deleted["data"]["type"], "contact");
}
