//! Message attachments: multipart upload, storage, serving and limits.

use reqwest::Method;
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

use crate::helpers::{Team, TestApp, spawn_app, spawn_app_with};

async fn conversation(app: &TestApp, t: &Team) -> String {
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
    app.account_call(
        a,
        Method::POST,
        "/conversations",
        &t.admin.token,
        Some(json!({"inbox_id": inbox["id"], "contact_id": contact["payload"]["contact"]["id"]})),
    )
    .await;
    format!("{}/api/v1/accounts/{a}/conversations/1", app.address)
}

fn part(bytes: Vec<u8>, name: &str, mime: &str) -> Part {
    Part::bytes(bytes)
        .file_name(name.to_string())
        .mime_str(mime)
        .expect("mime")
}

fn uploads(app: &TestApp) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(app._data_dir.path().join("uploads"))
        .expect("uploads dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

const PNG: &[u8] = &[0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0];

#[tokio::test]
async fn upload_store_and_serve() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let url = conversation(&app, &t).await;
    let form = Form::new()
        .text("content", "See attached")
        .text("private", "false")
        .part(
            "attachments[]",
            part(PNG.to_vec(), "../../etc/passwd.png", "image/png"),
        )
        .part(
            "attachments[]",
            part(b"<script>alert(1)</script>".to_vec(), "page.html", "text/html"),
        )
        .part(
            "attachments[]",
            part(
                b"<svg onload='alert(1)'/>".to_vec(),
                "..\\evil.svg",
                "image/svg+xml",
            ),
        );
    let response = app
        .client
        .post(format!("{url}/messages"))
        .header("api_access_token", &t.admin.token)
        .multipart(form)
        .send()
        .await
        .expect("sent");
    let (status, message) = crate::helpers::read(response).await;
    assert_eq!(status, 200, "{message}");
    assert_eq!(message["content"], "See attached");
    let files = message["attachments"].as_array().expect("attachments");
    assert_eq!(files.len(), 3);
    assert_eq!(files[0]["file_type"], "image");
    assert_eq!(files[0]["extension"], "png");
    assert_eq!(files[0]["file_size"], PNG.len());
    assert_eq!(files[0]["thumb_url"], files[0]["data_url"]);
    let stored = uploads(&app);
    assert_eq!(stored.len(), 3);
    assert!(
        stored.iter().all(|n| !n.contains("passwd") && !n.contains("..")),
        "{stored:?}"
    );

    let png = app
        .client
        .get(files[0]["data_url"].as_str().expect("url"))
        .send()
        .await
        .expect("sent");
    assert_eq!(png.status(), 200);
    assert_eq!(png.headers()["content-type"], "image/png");
    assert!(
        png.headers()["content-disposition"]
            .to_str()
            .expect("header")
            .starts_with("inline")
    );
    assert_eq!(png.bytes().await.expect("bytes").as_ref(), PNG);
    for file in &files[1..] {
        let risky = app
            .client
            .get(file["data_url"].as_str().expect("url"))
            .send()
            .await
            .expect("sent");
        assert_eq!(
            risky.headers()["content-type"],
            "application/octet-stream",
            "{file}"
        );
        assert!(
            risky.headers()["content-disposition"]
                .to_str()
                .expect("header")
                .starts_with("attachment")
        );
        assert!(
            risky.headers()["content-security-policy"]
                .to_str()
                .expect("header")
                .contains("sandbox")
        );
    }
    for bad in [
        "../parlor.sqlite3",
        "..%2Fparlor.sqlite3",
        "0f8fad5b-d9cb-469f-a165-70867728950e.png",
    ] {
        let response = app
            .client
            .get(format!("{}/attachments/{bad}", app.address))
            .send()
            .await
            .expect("sent");
        assert_eq!(response.status(), 404, "{bad}");
    }

    let listing = app
        .client
        .get(format!("{url}/attachments"))
        .header("api_access_token", &t.admin.token)
        .send()
        .await
        .expect("sent");
    let (status, listing) = crate::helpers::read(listing).await;
    assert_eq!(status, 200);
    assert_eq!(listing["meta"]["total_count"], 3);
    assert_eq!(listing["payload"][0]["sender"]["type"], "user");

    let deleted = app
        .client
        .delete(format!("{url}/messages/{}", message["id"]))
        .header("api_access_token", &t.admin.token)
        .send()
        .await
        .expect("sent");
    assert_eq!(deleted.status(), 200);
    assert!(uploads(&app).is_empty(), "files go with a deleted message");
    let gone = app
        .client
        .get(files[0]["data_url"].as_str().expect("url"))
        .send()
        .await
        .expect("sent");
    assert_eq!(gone.status(), 404);
}

#[tokio::test]
async fn limits_leave_nothing_behind() {
    let app = spawn_app_with(|config| config.max_upload_mb = 1).await;
    let t = app.seed_team("Acme");
    let url = conversation(&app, &t).await;
    let big = Form::new().text("content", "big").part(
        "attachments[]",
        part(vec![7u8; 1024 * 1024 + 1], "big.bin", "application/octet-stream"),
    );
    let response = app
        .client
        .post(format!("{url}/messages"))
        .header("api_access_token", &t.admin.token)
        .multipart(big)
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 413);
    let mut many = Form::new().text("content", "many");
    for i in 0..16 {
        many = many.part(
            "attachments[]",
            part(PNG.to_vec(), &format!("{i}.png"), "image/png"),
        );
    }
    let response = app
        .client
        .post(format!("{url}/messages"))
        .header("api_access_token", &t.admin.token)
        .multipart(many)
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 422);
    let not_allowed = Form::new()
        .text("message_type", "activity")
        .part("attachments[]", part(PNG.to_vec(), "a.png", "image/png"));
    let response = app
        .client
        .post(format!("{url}/messages"))
        .header("api_access_token", &t.admin.token)
        .multipart(not_allowed)
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 422);
    assert!(uploads(&app).is_empty(), "refused uploads are removed");
    assert_eq!(app.count("attachments"), 0);
    assert_eq!(app.count("messages"), 0);
    let only_file = Form::new().part("attachments[]", part(PNG.to_vec(), "a.png", "image/png"));
    let response = app
        .client
        .post(format!("{url}/messages"))
        .header("api_access_token", &t.admin.token)
        .multipart(only_file)
        .send()
        .await
        .expect("sent");
    let (status, message) = crate::helpers::read(response).await;
    assert_eq!(
        (status, message["content"].clone()),
        (200, Value::Null),
        "a file alone is a message"
    );
}
