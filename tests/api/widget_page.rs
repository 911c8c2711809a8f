//! `/widget` (the iframe's page, without JavaScript) and `/packs/js/sdk.js`.

use reqwest::Method;
use serde_json::json;

use crate::helpers::spawn_app;
use crate::widget_api::{seed_widget, visitor_token, widget_call};

fn attribute<'a>(html: &'a str, name: &str) -> &'a str {
    let key = format!("{name}=\"");
    let start = html.find(&key).map(|i| i + key.len()).expect(name);
    let end = html[start..].find('"').expect("end") + start;
    &html[start..end]
}

#[tokio::test]
async fn the_page_renders_history_and_takes_messages_without_javascript() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let (_, website) = seed_widget(
        &app,
        &t,
        json!({"allowed_domains": "shop.test, *.shop.test", "pre_chat_form_enabled": true,
               "pre_chat_form_options": {"pre_chat_message": "Tell us who you are",
                 "pre_chat_fields": [{"name": "emailAddress", "enabled": true, "required": true, "label": "Email"},
                                     {"name": "fullName", "enabled": true, "required": false, "label": "Name"}]}}),
    )
    .await;
    let page = app
        .client
        .get(format!(
            "{}/widget?website_token={website}&locale=fr",
            app.address
        ))
        .send()
        .await
        .expect("page");
    assert_eq!(page.status(), 200);
    let csp = page.headers()["content-security-policy"]
        .to_str()
        .expect("csp")
        .to_string();
    assert!(csp.contains("frame-ancestors shop.test *.shop.test"), "{csp}");
    assert!(
        csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
        "{csp}"
    );
    assert!(page.headers().get("x-frame-options").is_none());
    let html = page.text().await.expect("html");
    assert!(
        html.contains("Hi there!") && html.contains("We reply fast"),
        "welcome texts"
    );
    assert!(
        html.contains("Répond généralement en quelques minutes"),
        "French reply time"
    );
    assert!(
        html.contains("Tell us who you are") && html.contains("name=\"email\""),
        "pre-chat form"
    );
    assert!(
        !html.contains("<script>") && !html.contains("style=\""),
        "no inline script or style"
    );
    let token = attribute(&html, "data-auth-token").to_string();
    assert_eq!(app.count("contacts"), 0, "a page view makes no contact");
    // The form posts back and redirects to the page with the visitor's token.
    let no_redirect = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let answer = no_redirect
        .post(format!("{}/widget", app.address))
        .form(&[
            ("website_token", website.as_str()),
            ("cw_conversation", token.as_str()),
            ("content", "Hello from a browser without JavaScript"),
            ("email", "nojs@example.test"),
            ("name", "No Script"),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(answer.status(), 303);
    let location = answer.headers()["location"]
        .to_str()
        .expect("location")
        .to_string();
    assert!(
        location.contains(&format!("cw_conversation={}", token)),
        "{location}"
    );
    let page = app
        .client
        .get(format!("{}{location}", app.address))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    assert!(page.contains("Hello from a browser without JavaScript"));
    assert!(
        !page.contains("Tell us who you are"),
        "no pre-chat form once a conversation exists"
    );
    assert!(
        attribute(&page, "data-pubsub-token").len() == 24,
        "the page carries the pubsub token"
    );
    let (_, me) = widget_call(&app, Method::GET, "/contact", &website, Some(&token), None).await;
    assert_eq!(me["has_email"], true);
    // An unknown website token is a 404; a forged visitor token gets a new identity.
    let missing = app
        .client
        .get(format!("{}/widget?website_token=nope", app.address))
        .send()
        .await
        .expect("page");
    assert_eq!(missing.status(), 404);
    let fresh = app
        .client
        .get(format!(
            "{}/widget?website_token={website}&cw_conversation=forged.token.here",
            app.address
        ))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    assert_ne!(attribute(&fresh, "data-auth-token"), token);
    assert!(!fresh.contains("Hello from a browser"));
}

#[tokio::test]
async fn an_inbox_without_allowed_domains_is_frameable_anywhere() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let (_, website) = seed_widget(&app, &t, json!({})).await;
    let token = visitor_token(&app, &website).await;
    let page = app
        .client
        .get(format!(
            "{}/widget?website_token={website}&cw_conversation={token}",
            app.address
        ))
        .send()
        .await
        .expect("page");
    let csp = page.headers()["content-security-policy"].to_str().expect("csp");
    assert!(csp.ends_with("frame-ancestors *"), "{csp}");
    let sdk = app
        .client
        .get(format!("{}/packs/js/sdk.js", app.address))
        .send()
        .await
        .expect("sdk");
    assert_eq!(sdk.status(), 200);
    assert!(
        sdk.headers()["content-type"]
            .to_str()
            .expect("type")
            .starts_with("application/javascript")
    );
    assert!(
        sdk.headers()["cache-control"]
            .to_str()
            .expect("cache")
            .contains("max-age")
    );
    let source = sdk.text().await.expect("js");
    assert!(source.contains("chatwootSDK"), "defines window.chatwootSDK");
}

#[tokio::test]
async fn popular_articles_and_the_out_of_office_message() {
    let app = spawn_app().await;
    let t = crate::help_center_pages::seed(&app).await;
    let closed: Vec<_> = (0..7)
        .map(|day| json!({"day_of_week": day, "closed_all_day": true, "open_all_day": false}))
        .collect();
    let (inbox_id, website) = seed_widget(&app, &t, json!({})).await;
    let (status, body) = app
        .account_call(
            t.admin.account_id,
            Method::PATCH,
            &format!("/inboxes/{inbox_id}"),
            &t.admin.token,
            Some(json!({"working_hours_enabled": true, "working_hours": closed,
                "out_of_office_message": "Back on Monday at 9"})),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = app
        .account_call(
            t.admin.account_id,
            Method::PATCH,
            "/portals/acme",
            &t.admin.token,
            Some(json!({"inbox_id": inbox_id})),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let html = app
        .client
        .get(format!("{}/widget?website_token={website}", app.address))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    assert!(html.contains("Back on Monday at 9"), "out-of-office message");
    assert!(html.contains("Popular articles"));
    assert!(
        html.contains("href=\"/hc/acme/articles/download-invoice\""),
        "published article"
    );
    assert!(!html.contains("Secret roadmap"), "drafts are not listed");
    let (_, config) =
        crate::widget_api::widget_call(&app, Method::POST, "/config", &website, None, None).await;
    assert_eq!(config["chatwoot_website_channel"]["working_hours_enabled"], true);
    assert_eq!(
        config["chatwoot_website_channel"]["out_of_office_message"],
        "Back on Monday at 9"
    );
}

#[tokio::test]
async fn a_visitor_sends_an_attachment() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let (_, website) = seed_widget(&app, &t, json!({})).await;
    let token = visitor_token(&app, &website).await;
    let form = reqwest::multipart::Form::new().part(
        "message[attachments][]",
        reqwest::multipart::Part::bytes(b"%PDF-1.4 receipt".to_vec())
            .file_name("receipt.pdf")
            .mime_str("application/pdf")
            .expect("mime"),
    );
    let response = app
        .client
        .post(format!(
            "{}/api/v1/widget/messages?website_token={website}",
            app.address
        ))
        .header("X-Auth-Token", &token)
        .multipart(form)
        .send()
        .await
        .expect("upload");
    let (status, message) = crate::helpers::read(response).await;
    assert_eq!(status, 200, "{message}");
    let files = message["attachments"].as_array().expect("attachments");
    assert_eq!(files.len(), 1);
    assert_eq!(files[0]["file_type"], "file");
    let url = files[0]["data_url"].as_str().expect("url");
    let download = app.client.get(url).send().await.expect("download");
    assert_eq!(download.status(), 200);
    assert_eq!(app.count("contacts"), 1);
}
