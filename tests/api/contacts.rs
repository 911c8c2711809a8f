//! Contacts, their labels, notes and contact inboxes.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{TestApp, denied, not_found, spawn_app, stable};

async fn create(app: &TestApp, account: i64, token: &str, body: Value) -> Value {
    let (status, created) = app
        .account_call(account, Method::POST, "/contacts", token, Some(body))
        .await;
    assert_eq!(status, 200, "{created}");
    created["payload"]["contact"].clone()
}

#[tokio::test]
async fn create_show_update_delete() {
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
    let (status, created) = app
        .account_call(a, Method::POST, "/contacts", &t.admin.token,
            Some(json!({"name": "Jo Doe", "email": "JO@Example.test", "phone_number": "+14155550100", "identifier": "crm-1",
                "additional_attributes": {"company_name": "Initech", "city": "Austin"}, "custom_attributes": {"plan": "pro"},
                "inbox_id": inbox["id"], "source_id": "jo-source"})))
        .await;
    assert_eq!(status, 200, "{created}");
    insta::assert_json_snapshot!("contact_created", stable(&created));
    let contact = &created["payload"]["contact"];
    assert_eq!(contact["email"], "jo@example.test");
    assert_eq!(contact["contact_inboxes"][0]["source_id"], "jo-source");
    assert!(contact.get("last_activity_at").is_none(), "omitted while null");

    let path = format!("/contacts/{}", contact["id"]);
    let (status, shown) = app.account_call(a, Method::GET, &path, &t.agent, None).await;
    assert_eq!((status, &shown["payload"]), (200, contact));
    let (status, updated) = app
        .account_call(a, Method::PUT, &path, &t.agent,
            Some(json!({"name": "Jo D", "custom_attributes": {"tier": "gold"}, "additional_attributes": {"city": "Paris"}})))
        .await;
    assert_eq!(status, 200, "{updated}");
    assert_eq!(
        updated["payload"]["custom_attributes"],
        json!({"plan": "pro", "tier": "gold"}),
        "merged"
    );
    assert_eq!(
        updated["payload"]["additional_attributes"],
        json!({"company_name": "Initech", "city": "Paris"})
    );
    let (_, trimmed) = app
        .account_call(
            a,
            Method::POST,
            &format!("{path}/destroy_custom_attributes"),
            &t.agent,
            Some(json!({"custom_attributes": ["plan"]})),
        )
        .await;
    assert_eq!(trimmed["payload"]["custom_attributes"], json!({"tier": "gold"}));

    let (status, body) = app.account_call(a, Method::DELETE, &path, &t.agent, None).await;
    assert_eq!((status, body), (401, denied()), "agents may not delete contacts");
    let (status, body) = app
        .account_call(a, Method::DELETE, &path, &t.admin.token, None)
        .await;
    assert_eq!((status, body), (200, Value::Null));
    let (status, body) = app.account_call(a, Method::GET, &path, &t.agent, None).await;
    assert_eq!((status, body), (404, not_found()));
    assert_eq!(app.count("contact_inboxes"), 0);
}

#[tokio::test]
async fn list_search_sort_and_pages() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let a = t.admin.account_id;
    for i in 0..17 {
        create(
            &app,
            a,
            &t.agent,
            json!({"name": format!("Person {i:02}"), "email": format!("p{i}@example.test")}),
        )
        .await;
    }
    create(&app, a, &t.agent, json!({"name": "Zed", "phone_number": "+4930123456", "additional_attributes": {"company_name": "Globex"}})).await;
    create(&app, a, &t.agent, json!({"name": "Nobody"})).await;

    let (status, first) = app
        .account_call(a, Method::GET, "/contacts", &t.agent, None)
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        first["meta"],
        json!({"count": 18, "current_page": 1}),
        "contacts without email/phone/identifier are hidden"
    );
    assert_eq!(first["payload"].as_array().map(Vec::len), Some(15));
    let (_, second) = app
        .account_call(a, Method::GET, "/contacts?page=2&sort=-name", &t.agent, None)
        .await;
    assert_eq!(
        second["meta"]["current_page"], "2",
        "current_page echoes the raw parameter"
    );
    assert_eq!(second["payload"].as_array().map(Vec::len), Some(3));
    let (_, by_name) = app
        .account_call(a, Method::GET, "/contacts?sort=-name", &t.agent, None)
        .await;
    assert_eq!(by_name["payload"][0]["name"], "Zed");

    let (_, found) = app
        .account_call(a, Method::GET, "/contacts/search?q=glob", &t.agent, None)
        .await;
    assert_eq!(found["meta"]["count"], 1, "company names are searched");
    assert_eq!(found["payload"][0]["name"], "Zed");
    let (_, found) = app
        .account_call(a, Method::GET, "/contacts/search?q=ERSON%201", &t.agent, None)
        .await;
    assert_eq!(
        found["meta"]["count"], 7,
        "case-insensitive substring: Person 10..16"
    );
    let (_, paged) = app
        .account_call(a, Method::GET, "/contacts/search?q=person&page=2", &t.agent, None)
        .await;
    assert_eq!(paged["meta"]["count"], 17, "the count covers every page");
    assert_eq!(paged["payload"].as_array().map(Vec::len), Some(2));
    let (_, past_end) = app
        .account_call(a, Method::GET, "/contacts/search?q=person&page=9", &t.agent, None)
        .await;
    assert_eq!(past_end["meta"]["count"], 17, "still counted past the last page");
    assert_eq!(past_end["payload"], json!([]));
    let (_, found) = app
        .account_call(a, Method::GET, "/contacts/search?q=P1@EXAMPLE", &t.agent, None)
        .await;
    assert_eq!(found["meta"]["count"], 1);
    let (_, short) = app
        .account_call(a, Method::GET, "/contacts/search?q=30", &t.agent, None)
        .await;
    assert_eq!(short["meta"]["count"], 1, "short terms search too");
    let (_, hostile) = app
        .account_call(
            a,
            Method::GET,
            "/contacts/search?q=%22%27%29%3B%20DROP%20TABLE%20contacts%3B--",
            &t.agent,
            None,
        )
        .await;
    assert_eq!(hostile["meta"]["count"], 0);
    let (_, wildcard) = app
        .account_call(a, Method::GET, "/contacts/search?q=%25", &t.agent, None)
        .await;
    assert_eq!(wildcard["meta"]["count"], 0, "% is literal");
    let (_, no_inboxes) = app
        .account_call(
            a,
            Method::GET,
            "/contacts?include_contact_inboxes=false",
            &t.agent,
            None,
        )
        .await;
    assert!(no_inboxes["payload"][0].get("contact_inboxes").is_none());
    assert_eq!(app.count("contacts"), 19);
}

#[tokio::test]
async fn validation_and_isolation() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let other = app.seed_team("Globex");
    let a = t.admin.account_id;
    create(
        &app,
        a,
        &t.agent,
        json!({"name": "Jo", "email": "jo@example.test", "phone_number": "+14155550100", "identifier": "x1"}),
    )
    .await;
    let cases = [
        (json!({"email": "not-an-email"}), "Email Invalid email"),
        (
            json!({"email": "JO@example.test"}),
            "Email has already been taken",
        ),
        (
            json!({"phone_number": "4155550100"}),
            "Phone number should be in e164 format",
        ),
        (
            json!({"phone_number": "+14155550100"}),
            "Phone number has already been taken",
        ),
        (json!({"identifier": "x1"}), "Identifier has already been taken"),
    ];
    for (body, message) in cases {
        let (status, response) = app
            .account_call(a, Method::POST, "/contacts", &t.agent, Some(body.clone()))
            .await;
        assert_eq!(
            (status, response["message"].clone()),
            (422, json!(message)),
            "{body}"
        );
    }
    let (status, _) = app
        .account_call(
            a,
            Method::POST,
            "/contacts",
            &t.agent,
            Some(json!({"name": "X", "inbox_id": 999})),
        )
        .await;
    assert_eq!(status, 422);
    let (status, _) = app
        .account_call(
            a,
            Method::POST,
            "/contacts",
            &t.agent,
            Some(json!({"name": ["X"]})),
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(app.count("contacts"), 1, "nothing half-written");
    // The same email is free in another account, and its contacts are invisible here.
    let theirs = create(
        &app,
        other.admin.account_id,
        &other.agent,
        json!({"email": "jo@example.test"}),
    )
    .await;
    for method in [Method::GET, Method::PUT, Method::DELETE] {
        let (status, body) = app
            .account_call(
                a,
                method.clone(),
                &format!("/contacts/{}", theirs["id"]),
                &t.admin.token,
                Some(json!({"name": "x"})),
            )
            .await;
        assert_eq!((status, body), (404, not_found()), "{method}");
    }
}

#[tokio::test]
async fn labels_notes_and_inboxes() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let a = t.admin.account_id;
    let contact = create(
        &app,
        a,
        &t.agent,
        json!({"name": "Jo", "email": "jo@example.test"}),
    )
    .await;
    let base = format!("/contacts/{}", contact["id"]);

    let (status, labels) = app
        .account_call(
            a,
            Method::POST,
            &format!("{base}/labels"),
            &t.agent,
            Some(json!({"labels": ["vip", "beta", "vip"]})),
        )
        .await;
    assert_eq!((status, labels), (200, json!({"payload": ["beta", "vip"]})));
    let (_, labels) = app
        .account_call(
            a,
            Method::POST,
            &format!("{base}/labels"),
            &t.agent,
            Some(json!({"labels": ["churn"]})),
        )
        .await;
    assert_eq!(labels, json!({"payload": ["churn"]}), "replaces the set");
    let (_, labels) = app
        .account_call(a, Method::GET, &format!("{base}/labels"), &t.agent, None)
        .await;
    assert_eq!(labels, json!({"payload": ["churn"]}));
    let (status, _) = app
        .account_call(
            a,
            Method::POST,
            &format!("{base}/labels"),
            &t.agent,
            Some(json!({"labels": "vip"})),
        )
        .await;
    assert_eq!(status, 422);

    let (status, note) = app
        .account_call(
            a,
            Method::POST,
            &format!("{base}/notes"),
            &t.agent,
            Some(json!({"note": {"content": "Prefers email"}})),
        )
        .await;
    assert_eq!(status, 200, "{note}");
    insta::assert_json_snapshot!("contact_note_created", stable(&note));
    app.account_call(
        a,
        Method::POST,
        &format!("{base}/notes"),
        &t.agent,
        Some(json!({"content": "Second"})),
    )
    .await;
    let (_, notes) = app
        .account_call(a, Method::GET, &format!("{base}/notes"), &t.agent, None)
        .await;
    assert_eq!(notes[0]["content"], "Second", "newest first");
    let note_path = format!("{base}/notes/{}", note["id"]);
    let (_, edited) = app
        .account_call(
            a,
            Method::PATCH,
            &note_path,
            &t.agent,
            Some(json!({"content": "Edited"})),
        )
        .await;
    assert_eq!(edited["content"], "Edited");
    let (status, _) = app
        .account_call(
            a,
            Method::POST,
            &format!("{base}/notes"),
            &t.agent,
            Some(json!({"content": " "})),
        )
        .await;
    assert_eq!(status, 422);
    let (status, _) = app
        .account_call(a, Method::DELETE, &note_path, &t.agent, None)
        .await;
    assert_eq!(status, 200);
    let (status, _) = app.account_call(a, Method::GET, &note_path, &t.agent, None).await;
    assert_eq!(status, 404);

    let (_, api) = app
        .account_call(
            a,
            Method::POST,
            "/inboxes",
            &t.admin.token,
            Some(json!({"name": "API", "channel": {"type": "api"}})),
        )
        .await;
    let (status, ci) = app
        .account_call(
            a,
            Method::POST,
            &format!("{base}/contact_inboxes"),
            &t.admin.token,
            Some(json!({"inbox_id": api["id"]})),
        )
        .await;
    assert_eq!(status, 200, "{ci}");
    assert_eq!(ci["inbox"]["id"], api["id"]);
    assert_eq!(
        ci["source_id"].as_str().map(str::len),
        Some(36),
        "a UUID for API inboxes"
    );
    let (status, dup) = app
        .account_call(
            a,
            Method::POST,
            &format!("{base}/contact_inboxes"),
            &t.admin.token,
            Some(json!({"inbox_id": api["id"], "source_id": ci["source_id"]})),
        )
        .await;
    assert_eq!(
        (status, dup),
        (422, json!({"error": "source_id should be unique"}))
    );
    let (_, reachable) = app
        .account_call(
            a,
            Method::GET,
            &format!("{base}/contactable_inboxes"),
            &t.admin.token,
            None,
        )
        .await;
    assert_eq!(reachable["payload"][0]["source_id"], ci["source_id"]);
}

#[tokio::test]
async fn merge_filter_active_and_conversations() {
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
    let base = create(
        &app,
        a,
        &t.admin.token,
        json!({"name": "Jo", "email": "jo@example.test", "custom_attributes": {"plan": "pro"}}),
    )
    .await;
    let (_, created) = app
        .account_call(a, Method::POST, "/contacts", &t.admin.token,
            Some(json!({"name": "Jo (phone)", "phone_number": "+14155550100", "custom_attributes": {"plan": "free", "seats": 3},
                "inbox_id": inbox["id"], "source_id": "phone-jo"})))
        .await;
    let mergee = created["payload"]["contact"].clone();
    app.account_call(
        a,
        Method::POST,
        &format!("/contacts/{}/labels", mergee["id"]),
        &t.admin.token,
        Some(json!({"labels": ["vip"]})),
    )
    .await;
    let (_, conversation) = app
        .account_call(
            a,
            Method::POST,
            "/conversations",
            &t.admin.token,
            Some(json!({"source_id": "phone-jo", "message": {"content": "Hi"}})),
        )
        .await;
    assert_eq!(conversation["meta"]["sender"]["id"], mergee["id"]);

    let (status, body) = app
        .account_call(
            a,
            Method::POST,
            "/contact_inboxes/filter",
            &t.admin.token,
            Some(json!({"inbox_id": inbox["id"], "source_id": "phone-jo"})),
        )
        .await;
    assert_eq!((status, body["id"].clone()), (200, mergee["id"].clone()));
    let (status, body) = app
        .account_call(
            a,
            Method::POST,
            "/contact_inboxes/filter",
            &t.admin.token,
            Some(json!({"inbox_id": inbox["id"], "source_id": "nobody"})),
        )
        .await;
    assert_eq!((status, body), (404, Value::Null));
    let (status, body) = app
        .account_call(
            a,
            Method::POST,
            "/contact_inboxes/filter",
            &t.admin.token,
            Some(json!({"inbox_id": 999_999, "source_id": "phone-jo"})),
        )
        .await;
    assert_eq!(
        (status, body),
        (404, json!({"error": "Resource could not be found"})),
        "an unknown inbox is Chatwoot's record-not-found"
    );

    let (status, merged) = app
        .account_call(
            a,
            Method::POST,
            "/actions/contact_merge",
            &t.agent,
            Some(json!({"base_contact_id": base["id"], "mergee_contact_id": mergee["id"]})),
        )
        .await;
    assert_eq!(status, 200, "{merged}");
    assert_eq!(merged["name"], "Jo", "base attributes win");
    assert_eq!(
        merged["phone_number"], "+14155550100",
        "blank base attributes are filled"
    );
    assert_eq!(merged["custom_attributes"], json!({"plan": "pro", "seats": 3}));
    assert_eq!(merged["contact_inboxes"][0]["source_id"], "phone-jo");
    let (status, _) = app
        .account_call(
            a,
            Method::GET,
            &format!("/contacts/{}", mergee["id"]),
            &t.agent,
            None,
        )
        .await;
    assert_eq!(status, 404, "the mergee is gone");
    let (_, labels) = app
        .account_call(
            a,
            Method::GET,
            &format!("/contacts/{}/labels", base["id"]),
            &t.agent,
            None,
        )
        .await;
    assert_eq!(labels, json!({"payload": ["vip"]}));
    let (_, conversations) = app
        .account_call(
            a,
            Method::GET,
            &format!("/contacts/{}/conversations", base["id"]),
            &t.admin.token,
            None,
        )
        .await;
    assert_eq!(conversations["payload"][0]["id"], conversation["id"]);
    let (_, hidden) = app
        .account_call(
            a,
            Method::GET,
            &format!("/contacts/{}/conversations", base["id"]),
            &t.agent,
            None,
        )
        .await;
    assert_eq!(
        hidden,
        json!({"payload": []}),
        "agents only see conversations of their inboxes"
    );
    let (status, _) = app
        .account_call(
            a,
            Method::POST,
            "/actions/contact_merge",
            &t.agent,
            Some(json!({"base_contact_id": base["id"], "mergee_contact_id": base["id"]})),
        )
        .await;
    assert_eq!(status, 422);
    let (status, _) = app
        .account_call(
            a,
            Method::POST,
            "/actions/contact_merge",
            &t.agent,
            Some(json!({"base_contact_id": base["id"]})),
        )
        .await;
    assert_eq!(status, 422);

    let (status, active) = app
        .account_call(a, Method::GET, "/contacts/active", &t.agent, None)
        .await;
    assert_eq!(
        (status, active),
        (
            200,
            json!({"meta": {"count": 0, "current_page": 1}, "payload": []})
        )
    );
    // A blank search counts zero (an integer, never null).
    let (status, blank) = app
        .account_call(a, Method::GET, "/contacts/search?q=%20", &t.agent, None)
        .await;
    assert_eq!(
        (status, blank),
        (
            200,
            json!({"meta": {"count": 0, "current_page": 1}, "payload": []})
        )
    );
}

#[tokio::test]
async fn import_and_export_csv() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let a = t.admin.account_id;
    create(
        &app,
        a,
        &t.admin.token,
        json!({"name": "Old Name", "email": "ann@acme.test"}),
    )
    .await;
    let csv = "name,email,phone_number,company,plan\nAnn,ANN@acme.test,,Initech,pro\nBob,bob@acme.test,+14155550101,,\nBad,not-an-email,,,\n\"Quote, Inc\",q@acme.test,,\"=cmd|' /C calc'!A0\",\n";
    let url = format!("{}/api/v1/accounts/{a}/contacts/import", app.address);
    let form = || {
        reqwest::multipart::Form::new().part(
            "import_file",
            reqwest::multipart::Part::bytes(csv.as_bytes().to_vec()).file_name("c.csv"),
        )
    };
    let response = app
        .client
        .post(&url)
        .header("api_access_token", &t.agent)
        .multipart(form())
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 401, "administrators only");
    let response = app
        .client
        .post(&url)
        .header("api_access_token", &t.admin.token)
        .multipart(form())
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 200);
    assert_eq!(
        app.count("contacts"),
        3,
        "Ann updated in place, Bob and Quote created, the bad row skipped"
    );
    let (_, found) = app
        .account_call(a, Method::GET, "/contacts/search?q=ann@", &t.agent, None)
        .await;
    assert_eq!(found["payload"][0]["name"], "Ann");
    assert_eq!(found["payload"][0]["custom_attributes"], json!({"plan": "pro"}));

    let broken = reqwest::multipart::Form::new().part(
        "import_file",
        reqwest::multipart::Part::bytes(b"name,email\n\"unterminated,x\n".to_vec()).file_name("c.csv"),
    );
    let response = app
        .client
        .post(&url)
        .header("api_access_token", &t.admin.token)
        .multipart(broken)
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 422);
    let response = app
        .client
        .post(&url)
        .header("api_access_token", &t.admin.token)
        .multipart(reqwest::multipart::Form::new().text("x", "y"))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 422, "import_file is required");
    assert_eq!(app.count("contacts"), 3);

    let export = app
        .client
        .post(format!("{}/api/v1/accounts/{a}/contacts/export", app.address))
        .header("api_access_token", &t.admin.token)
        .json(&json!({"column_names": ["name", "email", "company"]}))
        .send()
        .await
        .expect("sent");
    assert_eq!(export.status(), 200);
    assert!(
        export.headers()["content-type"]
            .to_str()
            .expect("type")
            .starts_with("text/csv")
    );
    let text = export.text().await.expect("body");
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("name,email,company"));
    assert_eq!(lines.next(), Some("Ann,ann@acme.test,Initech"));
    assert!(
        text.contains("\"Quote, Inc\",q@acme.test,'=cmd|"),
        "formula cells are neutralized: {text}"
    );
    let (status, _) = app
        .account_call(a, Method::POST, "/contacts/export", &t.agent, Some(json!({})))
        .await;
    assert_eq!(status, 401);
}
