//! `GET search`, `search/conversations`, `search/contacts`, `search/messages`: Chatwoot's
//! shapes, pages of 15, agents limited to their inboxes.

use parlor::db::account_users::Role;
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{assert_keys, error, no_credentials, spawn_app};

fn list<'a>(body: &'a Value, key: &str) -> &'a Vec<Value> {
    body["payload"][key].as_array().expect("a list")
}

#[tokio::test]
async fn search_contacts_conversations_and_messages() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let a = t.admin.account_id;
    let (inbox, id) = app.seed_conversation(&t).await;
    let (_, nobody) = app.seed_member(a, "nobody@acme.test", Role::Agent);
    let path = format!("/conversations/{id}/messages");
    app.account_call(
        a,
        Method::POST,
        &path,
        &t.agent,
        Some(json!({"content": "The parcel left the warehouse"})),
    )
    .await;
    let get = |rest: String, token: String| {
        let app = &app;
        async move { app.account_call(a, Method::GET, &rest, &token, None).await }
    };

    // Messages: through the trigram index (long and multi-word queries) or LIKE (short ones).
    for q in ["parcel", "PARCEL LEFT", "pa"] {
        let (status, body) = get(
            format!("/search/messages?q={}", q.replace(' ', "+")),
            t.agent.clone(),
        )
        .await;
        assert_eq!(status, 200, "{body}");
        let found = list(&body, "messages");
        assert_eq!(found.len(), 1, "{q}: {body}");
        let m = &found[0];
        assert_keys(
            m,
            &[
                "id",
                "content",
                "message_type",
                "content_type",
                "source_id",
                "inbox_id",
                "conversation_id",
                "created_at",
                "sender",
                "inbox",
            ],
        );
        assert_eq!(m["conversation_id"], id);
        assert_eq!(m["message_type"], 1);
        assert_eq!(m["sender"]["id"], t.agent_id);
        assert_eq!(m["sender"]["type"], "user");
        assert_keys(&m["inbox"], &["id", "channel_id", "name", "channel_type"]);
        assert_eq!(m["inbox"]["id"], inbox);
        assert_eq!(m["inbox"]["channel_type"], "Channel::Api");
    }
    let (_, body) = get("/search/messages?q=parcel&page=2".into(), t.agent.clone()).await;
    assert_eq!(list(&body, "messages").len(), 0);

    // Conversations: by contact name/email or display id.
    for q in ["Jo".to_string(), format!("jo-{inbox}@exa"), id.to_string()] {
        let (status, body) = get(format!("/search/conversations?q={q}"), t.agent.clone()).await;
        assert_eq!(status, 200);
        let found = list(&body, "conversations");
        assert_eq!(found.len(), 1, "{q}: {body}");
        let c = &found[0];
        assert_keys(
            c,
            &[
                "id",
                "account_id",
                "created_at",
                "message",
                "contact",
                "inbox",
                "agent",
                "additional_attributes",
            ],
        );
        assert_eq!(c["id"], id);
        assert_eq!(c["message"]["content"], "Hello", "the first message");
        assert_keys(
            &c["contact"],
            &[
                "email",
                "id",
                "name",
                "phone_number",
                "identifier",
                "additional_attributes",
                "last_activity_at",
            ],
        );
        assert_eq!(c["contact"]["name"], "Jo");
        assert_eq!(c["inbox"]["id"], inbox);
        assert_eq!(c["agent"], json!({}), "unassigned");
    }

    // Contacts: account-wide.
    let (_, body) = get("/search/contacts?q=example.test".into(), nobody.clone()).await;
    let found = list(&body, "contacts");
    assert_eq!(found.len(), 1, "{body}");
    assert_eq!(found[0]["email"], format!("jo-{inbox}@example.test"));

    // Everything at once.
    let (status, body) = get("/search?q=Jo".into(), t.admin.token.clone()).await;
    assert_eq!(status, 200);
    assert_keys(&body["payload"], &["conversations", "contacts", "messages"]);
    assert_eq!(list(&body, "conversations").len(), 1);
    assert_eq!(list(&body, "contacts").len(), 1);

    // A blank query finds nothing.
    let (_, body) = get("/search?q=+".into(), t.admin.token.clone()).await;
    assert_eq!(
        body,
        json!({"payload": {"conversations": [], "contacts": [], "messages": []}})
    );

    // An agent outside the inbox finds neither its conversations nor its messages.
    let (_, body) = get("/search?q=parcel".into(), nobody.clone()).await;
    assert_eq!(list(&body, "messages").len(), 0, "{body}");
    let (_, body) = get("/search/conversations?q=Jo".into(), nobody.clone()).await;
    assert_eq!(list(&body, "conversations").len(), 0, "{body}");

    let (status, body) = app
        .call(
            Method::GET,
            &format!("/api/v1/accounts/{a}/search/messages?q=parcel"),
            None,
            None,
        )
        .await;
    assert_eq!((status, body), (401, no_credentials()));
    let other = app.seed_team("Globex");
    assert_eq!(
        get("/search/contacts?q=jo".into(), other.admin.token.clone()).await,
        (401, error("You are not authorized to access this account"))
    );
    let (_, body) = app
        .account_call(
            other.admin.account_id,
            Method::GET,
            "/search?q=parcel",
            &other.admin.token,
            None,
        )
        .await;
    assert_eq!(
        body,
        json!({"payload": {"conversations": [], "contacts": [], "messages": []}})
    );
}

#[tokio::test]
async fn message_search_pages_by_fifteen_newest_first() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let a = t.admin.account_id;
    let (_, id) = app.seed_conversation(&t).await;
    for i in 0..16 {
        app.account_call(
            a,
            Method::POST,
            &format!("/conversations/{id}/messages"),
            &t.agent,
            Some(json!({"content": format!("widget number {i}")})),
        )
        .await;
    }
    let (_, first) = app
        .account_call(a, Method::GET, "/search/messages?q=widget", &t.agent, None)
        .await;
    let page: Vec<&str> = list(&first, "messages")
        .iter()
        .filter_map(|m| m["content"].as_str())
        .collect();
    assert_eq!(page.len(), 15);
    assert_eq!(page[0], "widget number 15", "newest first");
    let (_, second) = app
        .account_call(a, Method::GET, "/search/messages?q=widget&page=2", &t.agent, None)
        .await;
    let rest: Vec<&str> = list(&second, "messages")
        .iter()
        .filter_map(|m| m["content"].as_str())
        .collect();
    assert_eq!(rest, vec!["widget number 0"]);
}
