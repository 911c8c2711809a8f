//! `POST conversations/filter` and `POST contacts/filter`.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{error, spawn_app};

fn cond(key: &str, op: &str, values: Value, q: Value) -> Value {
    json!({"attribute_key": key, "filter_operator": op, "values": values, "query_operator": q})
}

#[tokio::test]
async fn filter_conversations() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let a = t.admin.account_id;
    let (_, inbox) = app
        .account_call(
            a,
            Method::POST,
            "/inboxes",
            &t.admin.token,
            Some(json!({"name": "API", "channel": {"type": "api"}})),
        )
        .await;
    let (_, contact) = app
        .account_call(
            a,
            Method::POST,
            "/contacts",
            &t.admin.token,
            Some(json!({"name": "Jo", "email": "jo@example.test"})),
        )
        .await;
    app.account_call(a, Method::POST, "/custom_attribute_definitions", &t.admin.token,
        Some(json!({"attribute_display_name": "Seats", "attribute_key": "seats", "attribute_display_type": "number"}))).await;
    for seats in [1, 10, 50] {
        app.account_call(a, Method::POST, "/conversations", &t.admin.token,
            Some(json!({"inbox_id": inbox["id"], "contact_id": contact["payload"]["contact"]["id"], "custom_attributes": {"seats": seats}}))).await;
    }
    app.account_call(
        a,
        Method::POST,
        "/conversations/2/labels",
        &t.admin.token,
        Some(json!({"labels": ["vip"]})),
    )
    .await;
    app.account_call(
        a,
        Method::POST,
        "/conversations/3/toggle_status",
        &t.admin.token,
        Some(json!({"status": "pending"})),
    )
    .await;
    app.account_call(
        a,
        Method::POST,
        "/conversations/1/assignments",
        &t.admin.token,
        Some(json!({"assignee_id": t.admin.user_id})),
    )
    .await;

    let ids = |body: &Value| -> Vec<i64> {
        body["payload"]
            .as_array()
            .expect("payload")
            .iter()
            .map(|c| c["id"].as_i64().expect("id"))
            .collect()
    };
    let run = |payload: Value| {
        let app = &app;
        let token = t.admin.token.clone();
        async move {
            app.account_call(
                a,
                Method::POST,
                "/conversations/filter",
                &token,
                Some(json!({"page": 1, "payload": payload})),
            )
            .await
        }
    };
    let (status, body) = run(json!([cond("status", "equal_to", json!(["open"]), Value::Null)])).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["meta"],
        json!({"mine_count": 1, "unassigned_count": 1, "all_count": 2})
    );
    assert!(body.get("data").is_none());
    let (_, body) = run(json!([
        cond("seats", "is_greater_than", json!(["5"]), json!("AND")),
        cond("labels", "equal_to", json!(["vip"]), Value::Null)
    ]))
    .await;
    assert_eq!(ids(&body), [2]);
    let (_, body) = run(json!([
        cond("labels", "is_present", json!([]), json!("or")),
        cond("status", "equal_to", json!(["pending"]), Value::Null)
    ]))
    .await;
    let mut found = ids(&body);
    found.sort_unstable();
    assert_eq!(found, [2, 3], "OR across conditions");
    let (_, body) = run(json!([cond(
        "assignee_id",
        "is_not_present",
        Value::Null,
        Value::Null
    )]))
    .await;
    assert_eq!(ids(&body).len(), 2);

    let (status, body) = run(json!([cond("mood", "equal_to", json!(["happy"]), Value::Null)])).await;
    assert_eq!(status, 422);
    assert!(
        body["error"]
            .as_str()
            .expect("error")
            .starts_with("Invalid attribute key - [mood]."),
        "{body}"
    );
    let (status, body) = run(json!([cond("status", "contains", json!(["op"]), Value::Null)])).await;
    assert_eq!(
        (status, body),
        (
            422,
            error("Invalid operator. The allowed operators for status are [equal_to,not_equal_to].")
        )
    );
    let (status, body) = run(json!([
        cond("status", "equal_to", json!(["open"]), json!("NAND")),
        cond("status", "equal_to", json!(["open"]), Value::Null)
    ]))
    .await;
    assert_eq!(
        (status, body),
        (422, error("Query operator must be either \"AND\" or \"OR\"."))
    );
    let (status, body) = run(json!([cond(
        "priority",
        "equal_to",
        json!(["critical"]),
        Value::Null
    )]))
    .await;
    assert_eq!(
        (status, body),
        (
            422,
            error("Invalid value. The values provided for priority are invalid")
        )
    );
    let (status, _) = run(json!("status = open")).await;
    assert_eq!(status, 422);
}

#[tokio::test]
async fn filter_contacts() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let a = t.admin.account_id;
    for (name, email, city) in [
        ("Ann", "ann@acme.test", "Berlin"),
        ("Bob", "bob@globex.test", "Paris"),
        ("Cy", "cy@acme.test", "Paris"),
    ] {
        app.account_call(
            a,
            Method::POST,
            "/contacts",
            &t.agent,
            Some(json!({"name": name, "email": email, "additional_attributes": {"city": city}})),
        )
        .await;
    }
    let run = |payload: Value| {
        let app = &app;
        let token = t.agent.clone();
        async move {
            app.account_call(
                a,
                Method::POST,
                "/contacts/filter",
                &token,
                Some(json!({"payload": payload})),
            )
            .await
        }
    };
    let names = |body: &Value| -> Vec<String> {
        body["payload"]
            .as_array()
            .expect("payload")
            .iter()
            .map(|c| c["name"].as_str().expect("name").to_string())
            .collect()
    };
    let (status, body) = run(json!([
        cond("email", "contains", json!(["ACME"]), json!("and")),
        cond("city", "equal_to", json!(["paris"]), Value::Null)
    ]))
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(names(&body), ["Cy"]);
    assert_eq!(body["meta"], json!({"count": 1, "current_page": 1}));
    let (_, body) = run(json!([cond(
        "name",
        "does_not_contain",
        json!(["o"]),
        Value::Null
    )]))
    .await;
    assert_eq!(names(&body), ["Ann", "Cy"]);
    let (status, body) = run(json!([cond("status", "equal_to", json!(["open"]), Value::Null)])).await;
    assert_eq!(status, 422, "{body}");
    let (status, _) = run(json!([cond("email", "contains", json!(["%"]), Value::Null)])).await;
    assert_eq!(status, 200);
}
