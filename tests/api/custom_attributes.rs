//! Custom attribute definitions.

use reqwest::Method;
use serde_json::json;

use crate::helpers::{not_found, spawn_app, stable};

#[tokio::test]
async fn define_list_update_delete() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let a = t.admin.account_id;
    let body = json!({"custom_attribute_definition": {"attribute_display_name": "Plan", "attribute_key": "plan",
        "attribute_display_type": "list", "attribute_values": ["free", "pro"], "attribute_model": "contact_attribute",
        "attribute_description": "Billing plan", "default_value": "free"}});
    let (status, created) = app
        .account_call(
            a,
            Method::POST,
            "/custom_attribute_definitions",
            &t.agent,
            Some(body),
        )
        .await;
    assert_eq!(status, 200, "{created}");
    insta::assert_json_snapshot!("custom_attribute_created", stable(&created));
    let (_, conv) = app
        .account_call(a, Method::POST, "/custom_attribute_definitions", &t.admin.token,
            Some(json!({"attribute_display_name": "Order", "attribute_key": "order_id", "attribute_display_type": 1})))
        .await;
    assert_eq!(conv["attribute_model"], "conversation_attribute");
    assert_eq!(conv["attribute_display_type"], "number");

    let (_, all) = app
        .account_call(a, Method::GET, "/custom_attribute_definitions", &t.agent, None)
        .await;
    assert_eq!(all.as_array().expect("array").len(), 2);
    let (_, contacts) = app
        .account_call(
            a,
            Method::GET,
            "/custom_attribute_definitions?attribute_model=contact_attribute",
            &t.agent,
            None,
        )
        .await;
    assert_eq!(contacts.as_array().expect("array").len(), 1);
    assert_eq!(contacts[0]["attribute_key"], "plan");

    let path = format!("/custom_attribute_definitions/{}", created["id"]);
    let (status, shown) = app.account_call(a, Method::GET, &path, &t.agent, None).await;
    assert_eq!((status, &shown), (200, &created));
    let (status, updated) = app
        .account_call(
            a,
            Method::PATCH,
            &path,
            &t.agent,
            Some(json!({"attribute_display_name": "Tier"})),
        )
        .await;
    assert_eq!(
        (status, updated["attribute_display_name"].clone()),
        (200, json!("Tier"))
    );
    let (status, body) = app.account_call(a, Method::DELETE, &path, &t.agent, None).await;
    assert_eq!((status, body), (204, serde_json::Value::Null));
    let (status, body) = app.account_call(a, Method::GET, &path, &t.agent, None).await;
    assert_eq!((status, body), (404, not_found()));
}

#[tokio::test]
async fn definition_validation() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let a = t.admin.account_id;
    let base = |key: &str| json!({"attribute_display_name": "X", "attribute_key": key, "attribute_display_type": "text"});
    app.account_call(
        a,
        Method::POST,
        "/custom_attribute_definitions",
        &t.agent,
        Some(base("plan")),
    )
    .await;
    let mut bad_type = base("ok");
    bad_type["attribute_display_type"] = json!("emoji");
    let mut bad_model = base("ok");
    bad_model["attribute_model"] = json!("order_attribute");
    let cases = [
        (base("plan"), "Attribute key has already been taken"),
        (
            base("status"),
            "Attribute key The provided key is not allowed as it might conflict with default attributes.",
        ),
        (
            base("has space"),
            "Attribute key is invalid (use letters, digits, underscores and hyphens)",
        ),
        (
            base("x'); DROP TABLE labels;--"),
            "Attribute key is invalid (use letters, digits, underscores and hyphens)",
        ),
        (base(""), "Attribute key can't be blank"),
        (
            bad_type,
            "Attribute display type is not included in the list (text, number, currency, percent, link, date, list, checkbox)",
        ),
        (
            bad_model,
            "Attribute model is not included in the list (conversation_attribute, contact_attribute)",
        ),
    ];
    for (body, message) in cases {
        let (status, response) = app
            .account_call(
                a,
                Method::POST,
                "/custom_attribute_definitions",
                &t.agent,
                Some(body.clone()),
            )
            .await;
        assert_eq!(
            (status, response["message"].clone()),
            (422, json!(message)),
            "{body}"
        );
    }
    // `status` is reserved for conversations only; contacts may use it.
    let mut contact_status = base("status");
    contact_status["attribute_model"] = json!("contact_attribute");
    let (status, _) = app
        .account_call(
            a,
            Method::POST,
            "/custom_attribute_definitions",
            &t.agent,
            Some(contact_status),
        )
        .await;
    assert_eq!(status, 200);
    let (status, _) = app
        .account_call(
            a,
            Method::GET,
            "/custom_attribute_definitions?attribute_model=bogus",
            &t.agent,
            None,
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(app.count("custom_attribute_definitions"), 2);
}
