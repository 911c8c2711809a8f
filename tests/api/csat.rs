//! CSAT: survey on resolution, the public survey API and the account's ratings.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{Team, TestApp, denied, error, spawn_app};

/// A CSAT-enabled API inbox with a resolved conversation; returns the conversation uuid.
async fn resolved_conversation(app: &TestApp, t: &Team, csat_config: Value, email: &str) -> (String, i64) {
    let a = t.admin.account_id;
    let (_, inbox) = app
        .account_call(a, Method::POST, "/inboxes", &t.admin.token,
            Some(json!({"name": "Support", "csat_survey_enabled": true, "csat_config": csat_config, "channel": {"type": "api"}})))
        .await;
    let (_, contact) = app
        .account_call(
            a,
            Method::POST,
            "/contacts",
            &t.admin.token,
            Some(json!({"name": "Jo", "email": email})),
        )
        .await;
    let (_, conversation) = app
        .account_call(a, Method::POST, "/conversations", &t.admin.token,
            Some(json!({"inbox_id": inbox["id"], "contact_id": contact["payload"]["contact"]["id"], "assignee_id": t.agent_id})))
        .await;
    let id = conversation["id"].as_i64().expect("id");
    app.account_call(
        a,
        Method::POST,
        &format!("/conversations/{id}/toggle_status"),
        &t.admin.token,
        Some(json!({"status": "resolved"})),
    )
    .await;
    (conversation["uuid"].as_str().expect("uuid").to_string(), id)
}

fn surveys(messages: &Value) -> Vec<Value> {
    messages["payload"]
        .as_array()
        .expect("payload")
        .iter()
        .filter(|m| m["content_type"] == "input_csat")
        .cloned()
        .collect()
}

#[tokio::test]
async fn resolve_survey_rate_and_report() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let a = t.admin.account_id;
    let (uuid, id) = resolved_conversation(
        &app,
        &t,
        json!({"display_type": "star", "message": "How did we do?"}),
        "jo@example.test",
    )
    .await;
    let (_, messages) = app
        .account_call(
            a,
            Method::GET,
            &format!("/conversations/{id}/messages"),
            &t.admin.token,
            None,
        )
        .await;
    let sent = surveys(&messages);
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0]["message_type"], 3);
    assert_eq!(
        sent[0]["content"],
        format!("How did we do? {}/survey/responses/{uuid}", app.address)
    );
    assert_eq!(sent[0]["content_attributes"], json!({"display_type": "star"}));

    // Reopen and resolve again: one survey per conversation.
    app.account_call(
        a,
        Method::POST,
        &format!("/conversations/{id}/toggle_status"),
        &t.admin.token,
        Some(json!({"status": "open"})),
    )
    .await;
    app.account_call(
        a,
        Method::POST,
        &format!("/conversations/{id}/toggle_status"),
        &t.admin.token,
        Some(json!({"status": "resolved"})),
    )
    .await;
    let (_, messages) = app
        .account_call(
            a,
            Method::GET,
            &format!("/conversations/{id}/messages"),
            &t.admin.token,
            None,
        )
        .await;
    assert_eq!(surveys(&messages).len(), 1);

    let path = format!("/public/api/v1/csat_survey/{uuid}");
    let (status, survey) = app.call(Method::GET, &path, None, None).await;
    assert_eq!(status, 200, "{survey}");
    assert_eq!(survey["csat_survey_response"], Value::Null);
    assert_eq!(
        (
            survey["display_type"].clone(),
            survey["content"].clone(),
            survey["inbox_name"].clone(),
            survey["locale"].clone()
        ),
        (
            json!("star"),
            json!("How did we do?"),
            json!("Support"),
            json!("en")
        )
    );
    let rate = |rating: Value, feedback: &str| json!({"message": {"submitted_values": {"csat_survey_response": {"rating": rating, "feedback_message": feedback}}}});
    let (status, rated) = app.call(Method::PUT, &path, None, Some(rate(json!(4), ""))).await;
    assert_eq!(status, 200, "{rated}");
    assert_eq!(
        rated["csat_survey_response"]["rating"], 4,
        "stored before the reply"
    );
    let (_, rated) = app
        .call(Method::PATCH, &path, None, Some(rate(json!(5), "Quick and kind")))
        .await;
    assert_eq!(
        (
            rated["csat_survey_response"]["rating"].clone(),
            rated["csat_survey_response"]["feedback_message"].clone()
        ),
        (json!(5), json!("Quick and kind"))
    );
    for bad in [json!(0), json!(6), json!("great")] {
        let (status, _) = app
            .call(Method::PUT, &path, None, Some(rate(bad.clone(), "")))
            .await;
        assert_eq!(status, 422, "{bad}");
    }
    assert_eq!(app.count("csat_survey_responses"), 1);

    let (status, list) = app
        .account_call(a, Method::GET, "/csat_survey_responses", &t.admin.token, None)
        .await;
    assert_eq!(status, 200, "{list}");
    let item = &list[0];
    assert_eq!(
        (item["rating"].clone(), item["conversation_id"].clone()),
        (json!(5), json!(id))
    );
    assert_eq!(item["assigned_agent"]["id"], t.agent_id);
    assert_eq!(item["contact"]["name"], "Jo");
    let (_, metrics) = app
        .account_call(
            a,
            Method::GET,
            "/csat_survey_responses/metrics",
            &t.admin.token,
            None,
        )
        .await;
    assert_eq!(
        metrics,
        json!({"total_count": 1, "ratings_count": {"5": 1}, "total_sent_messages_count": 1})
    );
    let (_, filtered) = app
        .account_call(
            a,
            Method::GET,
            "/csat_survey_responses?rating=1",
            &t.admin.token,
            None,
        )
        .await;
    assert_eq!(filtered, json!([]));

    let (status, noted) = app
        .account_call(
            a,
            Method::PATCH,
            &format!("/csat_survey_responses/{}", item["id"]),
            &t.admin.token,
            Some(json!({"csat_review_notes": "Coach on tone"})),
        )
        .await;
    assert_eq!(status, 200, "{noted}");
    assert_eq!(noted["csat_review_notes"], "Coach on tone");
    assert_eq!(noted["review_notes_updated_by"]["id"], t.admin.user_id);
    let (_, public_view) = app.call(Method::GET, &path, None, None).await;
    assert!(
        public_view["csat_survey_response"]
            .get("csat_review_notes")
            .is_none(),
        "internal notes stay internal"
    );

    let response = app
        .request(
            Method::GET,
            &format!("/api/v1/accounts/{a}/csat_survey_responses/download?since=0&until=4102444800"),
            Some(&t.admin.token),
        )
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 200);
    let csv = response.text().await.expect("csv");
    assert!(csv.starts_with("Agent Name,Rating,Feedback"), "{csv}");
    assert!(
        csv.contains("Member (agent@acme.test),5,Quick and kind,Jo,jo@example.test"),
        "{csv}"
    );
    let (status, _) = app
        .account_call(
            a,
            Method::GET,
            "/csat_survey_responses/download",
            &t.admin.token,
            None,
        )
        .await;
    assert_eq!(status, 422, "the period is required");
    for path in ["/csat_survey_responses", "/csat_survey_responses/metrics"] {
        let (status, body) = app.account_call(a, Method::GET, path, &t.agent, None).await;
        assert_eq!((status, body), (401, denied()), "{path}");
    }
}

#[tokio::test]
async fn surveys_lock_after_14_days_and_follow_rules() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let (uuid, _) = resolved_conversation(&app, &t, json!({}), "jo@example.test").await;
    let old = parlor::db::now_ms() - 15 * 86_400_000;
    app.state
        .db
        .write_sync(|tx| -> Result<(), parlor::error::ApiError> {
            tx.execute(
                "UPDATE messages SET created_at = ?1 WHERE content_type = 9",
                [old],
            )?;
            Ok(())
        })
        .expect("age the survey");
    let body = json!({"message": {"submitted_values": {"csat_survey_response": {"rating": 5}}}});
    let (status, response) = app
        .call(
            Method::PUT,
            &format!("/public/api/v1/csat_survey/{uuid}"),
            None,
            Some(body),
        )
        .await;
    assert_eq!(
        (status, response),
        (422, error("You cannot update the CSAT survey after 14 days"))
    );
    let (status, _) = app
        .call(
            Method::GET,
            "/public/api/v1/csat_survey/00000000-0000-4000-8000-000000000000",
            None,
            None,
        )
        .await;
    assert_eq!(status, 404);

    // Survey rules: only conversations labelled "vip" are surveyed.
    let (_, _) = resolved_conversation(
        &app,
        &t,
        json!({"survey_rules": {"operator": "contains", "values": ["vip"]}}),
        "bo@example.test",
    )
    .await;
    assert_eq!(
        app.count("messages WHERE content_type = 9"),
        1,
        "no survey without the label"
    );
}

#[tokio::test]
async fn the_messages_api_answers_a_survey_too() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let (_, id) = resolved_conversation(&app, &t, json!({}), "jo@example.test").await;
    let (identifier, source_id, message_id): (String, String, i64) = app
        .state
        .db
        .read_sync(|c| {
            Ok(c.query_row(
                "SELECT ch.identifier, ci.source_id, m.id FROM messages m JOIN conversations v ON v.id = m.conversation_id \
                 JOIN contact_inboxes ci ON ci.id = v.contact_inbox_id JOIN inboxes i ON i.id = v.inbox_id \
                 JOIN channels ch ON ch.id = i.channel_id WHERE m.content_type = 9",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )?)
        })
        .expect("survey message");
    let path = format!(
        "/public/api/v1/inboxes/{identifier}/contacts/{source_id}/conversations/{id}/messages/{message_id}"
    );
    let body =
        json!({"submitted_values": {"csat_survey_response": {"rating": 2, "feedback_message": "slow"}}});
    let (status, message) = app.call(Method::PATCH, &path, None, Some(body)).await;
    assert_eq!(status, 200, "{message}");
    assert_eq!(message["content_type"], "input_csat");
    let rating: i64 = app
        .state
        .db
        .read_sync(|c| Ok(c.query_row("SELECT rating FROM csat_survey_responses", [], |r| r.get(0))?))
        .expect("row");
    assert_eq!(rating, 2);
}

#[tokio::test]
async fn a_new_survey_on_every_resolution_when_configured() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let a = t.admin.account_id;
    let (_, id) = resolved_conversation(
        &app,
        &t,
        json!({"survey_every_resolution": true}),
        "jo@example.test",
    )
    .await;
    for status in ["open", "resolved", "open", "resolved"] {
        app.account_call(
            a,
            Method::POST,
            &format!("/conversations/{id}/toggle_status"),
            &t.admin.token,
            Some(json!({"status": status})),
        )
        .await;
    }
    assert_eq!(app.count("messages WHERE content_type = 9"), 3);
}

#[tokio::test]
async fn a_contact_resolving_through_the_client_api_gets_the_survey() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let a = t.admin.account_id;
    let (_, inbox) = app
        .account_call(
            a,
            Method::POST,
            "/inboxes",
            &t.admin.token,
            Some(json!({"name": "Support", "csat_survey_enabled": true, "channel": {"type": "api"}})),
        )
        .await;
    let identifier = inbox["inbox_identifier"]
        .as_str()
        .expect("identifier")
        .to_string();
    let public = |rest: &str| format!("/public/api/v1/inboxes/{identifier}{rest}");
    let (_, contact) = app
        .call(
            Method::POST,
            &public("/contacts"),
            None,
            Some(json!({"name": "Jo", "email": "jo@example.test"})),
        )
        .await;
    let source = contact["source_id"].as_str().expect("source").to_string();
    let (status, conversation) = app
        .call(
            Method::POST,
            &public(&format!("/contacts/{source}/conversations")),
            None,
            Some(json!({})),
        )
        .await;
    assert_eq!(status, 200, "{conversation}");
    let id = conversation["id"].as_i64().expect("id");
    let (status, _) = app
        .call(
            Method::POST,
            &public(&format!("/contacts/{source}/conversations/{id}/toggle_status")),
            None,
            None,
        )
        .await;
    assert_eq!(status, 200);
    let (_, messages) = app
        .account_call(
            a,
            Method::GET,
            &format!("/conversations/{id}/messages"),
            &t.admin.token,
            None,
        )
        .await;
    assert_eq!(surveys(&messages).len(), 1, "{messages}");
}
