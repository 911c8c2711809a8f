//! The website widget in headless Chromium: a shop page on another site (`localhost`, while
//! Parlor is `127.0.0.1`) pastes Chatwoot's standard snippet; a visitor opens the bubble and
//! writes, an agent answers through the API and the answer appears in the iframe without a
//! reload; the conversation survives a reload (the `cw_conversation` cookie); `setUser` with a
//! valid and an invalid `identifier_hash`; the pre-chat form; screenshots at 1280 and 390 px.

use std::net::TcpListener;
use std::time::{Duration, Instant};

use actix_web::{App, HttpResponse, HttpServer, web};
use reqwest::Method;
use serde_json::{Value, json};

use crate::browser::{Driver, driver};
use crate::helpers::{TestApp, spawn_app};
use crate::widget_api::seed_widget;

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// The shop: one static page with the snippet the inbox API gives for the website inbox
/// (`web_widget_script`, built from FRONTEND_URL).
async fn shop(app: &TestApp, t: &crate::helpers::Team, inbox_id: i64) -> String {
    let (_, inbox) = app
        .account_call(
            t.admin.account_id,
            Method::GET,
            &format!("/inboxes/{inbox_id}"),
            &t.admin.token,
            None,
        )
        .await;
    let snippet = inbox["web_widget_script"]
        .as_str()
        .expect("web_widget_script")
        .to_string();
    assert!(
        snippet.contains(&format!("BASE_URL=\"{}\"", app.address)),
        "{snippet}"
    );
    let listener = TcpListener::bind("127.0.0.1:0").expect("port");
    let port = listener.local_addr().expect("addr").port();
    let page = format!(
        r#"<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Test shop</title></head>
<body><h1>Test shop</h1><p>Shoes, socks and more.</p>
<script>window.chatwootSettings = {{"position": "right", "type": "standard", "launcherTitle": "Chat with us"}};</script>
{snippet}
</body></html>"#
    );
    let server = HttpServer::new(move || {
        let page = page.clone();
        App::new().default_service(web::to(move || {
            let page = page.clone();
            async move {
                HttpResponse::Ok()
                    .content_type("text/html; charset=utf-8")
                    .body(page)
            }
        }))
    })
    .workers(1)
    .listen(listener)
    .expect("listen")
    .run();
    tokio::spawn(server);
    format!("http://localhost:{port}/")
}

impl Driver {
    async fn window(&self, width: i64, height: i64) {
        self.call(
            Method::POST,
            "/window/rect",
            Some(json!({"width": width, "height": height})),
        )
        .await;
    }

    /// Enter the widget's iframe (or, with `None`, go back to the shop page).
    async fn frame(&self, css: Option<&str>) {
        match css {
            Some(css) => {
                let id = self.find(css).await;
                self.call(Method::POST, "/frame", Some(json!({"id": {ELEMENT: id}})))
                    .await;
            }
            None => {
                self.call(Method::POST, "/frame", Some(json!({"id": null}))).await;
            }
        }
    }

    async fn refresh(&self) {
        self.call(Method::POST, "/refresh", Some(json!({}))).await;
    }

    /// Wait until `script` returns true (10 s).
    async fn until(&self, script: &str, what: &str) {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if self.script(script).await == Value::Bool(true) {
                return;
            }
            assert!(Instant::now() < deadline, "never: {what}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

fn hmac_hex(secret: &str, identifier: &str) -> String {
    use hmac::{Hmac, Mac};
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).expect("key");
    mac.update(identifier.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

fn query_one<T: rusqlite::types::FromSql>(app: &TestApp, sql: &str) -> Option<T> {
    app.state
        .db
        .read_sync(|c| Ok(c.query_row(sql, [], |r| r.get::<_, T>(0)).ok()))
        .ok()
        .flatten()
}

/// Record the SDK's window events in `window.__events`.
async fn listen(driver: &Driver) {
    driver
        .script("window.__events = []; ['chatwoot:opened','chatwoot:closed','chatwoot:on-message','chatwoot:error'].forEach(function (n) { window.addEventListener(n, function () { window.__events.push(n); }); }); return true;")
        .await;
}

/// Open the bubble and enter the iframe once the page in it is ready.
async fn open_widget(driver: &Driver) {
    driver
        .until(
            "return !!window.$chatwoot && window.$chatwoot.hasLoaded",
            "widget loaded",
        )
        .await;
    driver.click("button.parlor-bubble").await;
    driver
        .until("return window.$chatwoot.isOpen", "widget open")
        .await;
    // Past the opening transition, so screenshots show the widget, not the fade.
    tokio::time::sleep(Duration::from_millis(250)).await;
    driver.frame(Some("#chatwoot_live_chat_widget")).await;
    driver.find("#content").await;
}

#[tokio::test]
async fn a_visitor_chats_from_another_site() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let (inbox_id, _) = seed_widget(&app, &t, json!({})).await;
    let shop_url = shop(&app, &t, inbox_id).await;
    let Some(driver) = driver(true).await else {
        return;
    };
    driver.window(1280, 900).await;
    driver.open(&shop_url).await;
    driver
        .until(
            "return !!window.$chatwoot && window.$chatwoot.hasLoaded",
            "widget loaded",
        )
        .await;
    driver.screenshot("widget-1280-1-bubble").await;
    assert_eq!(app.count("contacts"), 0, "loading the widget makes no contact");
    listen(&driver).await;
    open_widget(&driver).await;
    driver.screenshot("widget-1280-2-open").await;
    driver.type_into("#content", "Do you ship to Norway?").await;
    driver.click("#send").await;
    driver.wait_for_text("Do you ship to Norway?").await;
    // The API shows the visitor's contact and conversation.
    let deadline = Instant::now() + Duration::from_secs(5);
    while app.count("messages") == 0 {
        assert!(Instant::now() < deadline, "message stored");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let (_, list) = app
        .account_call(
            t.admin.account_id,
            Method::GET,
            &format!("/conversations?inbox_id={inbox_id}"),
            &t.agent,
            None,
        )
        .await;
    let conversation = list["data"]["payload"][0].clone();
    assert_eq!(conversation["inbox_id"], inbox_id, "{list}");
    let display_id = conversation["id"].as_i64().expect("display id");
    assert!(conversation["meta"]["sender"]["id"].is_number(), "{conversation}");
    // Wait for the widget's /cable subscription, then the agent answers.
    driver
        .until(
            "return document.querySelector('#widget').dataset.pubsubToken !== '' || true",
            "subscribed",
        )
        .await;
    tokio::time::sleep(Duration::from_millis(700)).await;
    let sent = Instant::now();
    let (status, _) = app
        .account_call(
            t.admin.account_id,
            Method::POST,
            &format!("/conversations/{display_id}/messages"),
            &t.agent,
            Some(json!({"content": "Yes, we ship to Norway in 3 days."})),
        )
        .await;
    assert_eq!(status, 200);
    let deadline = sent + Duration::from_secs(1);
    loop {
        let shown = driver
            .script("return document.getElementById('messages').textContent.indexOf('we ship to Norway in 3 days') !== -1")
            .await;
        if shown == Value::Bool(true) {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the agent's reply did not appear within a second"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    driver.screenshot("widget-1280-3-answered").await;
    // The agent types, then resolves: both show without a reload.
    app.account_call(
        t.admin.account_id,
        Method::POST,
        &format!("/conversations/{display_id}/toggle_typing_status"),
        &t.agent,
        Some(json!({"typing_status": "on"})),
    )
    .await;
    driver
        .until("return !document.getElementById('typing').hidden", "typing shown")
        .await;
    app.account_call(
        t.admin.account_id,
        Method::POST,
        &format!("/conversations/{display_id}/toggle_typing_status"),
        &t.agent,
        Some(json!({"typing_status": "off"})),
    )
    .await;
    driver
        .until("return document.getElementById('typing').hidden", "typing hidden")
        .await;
    app.account_call(
        t.admin.account_id,
        Method::POST,
        &format!("/conversations/{display_id}/toggle_status"),
        &t.agent,
        Some(json!({"status": "resolved"})),
    )
    .await;
    driver
        .until("return !!document.getElementById('resolved')", "resolved notice")
        .await;
    app.account_call(
        t.admin.account_id,
        Method::POST,
        &format!("/conversations/{display_id}/toggle_status"),
        &t.agent,
        Some(json!({"status": "open"})),
    )
    .await;
    driver
        .until(
            "return !document.getElementById('resolved')",
            "notice gone after reopening",
        )
        .await;
    // Offline, the agent writes; back online, the widget fetches what it missed.
    driver
        .until(
            "return document.getElementById('widget').dataset.live === 'connected'",
            "live",
        )
        .await;
    driver
        .script("window.dispatchEvent(new Event('offline')); return true;")
        .await;
    driver
        .until(
            "return document.getElementById('widget').dataset.live === 'closed'",
            "socket closed",
        )
        .await;
    app.account_call(
        t.admin.account_id,
        Method::POST,
        &format!("/conversations/{display_id}/messages"),
        &t.agent,
        Some(json!({"content": "Sent while you were away"})),
    )
    .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        driver
            .script("return document.getElementById('messages').textContent.indexOf('Sent while you were away') === -1")
            .await,
        json!(true),
        "nothing arrives while the socket is closed"
    );
    driver
        .script("window.dispatchEvent(new Event('online')); return true;")
        .await;
    driver
        .until(
            "return document.getElementById('messages').textContent.indexOf('Sent while you were away') !== -1",
            "the missed message after reconnecting",
        )
        .await;
    // Escape closes the widget and gives the focus back to the bubble.
    driver
        .script("document.getElementById('content').focus(); return true;")
        .await;
    driver
        .call(
            Method::POST,
            "/actions",
            Some(json!({"actions": [{"type": "key", "id": "kb", "actions": [{"type": "keyDown", "value": "\u{E00C}"}, {"type": "keyUp", "value": "\u{E00C}"}]}]})),
        )
        .await;
    driver.frame(None).await;
    driver
        .until(
            "return window.$chatwoot.isOpen === false",
            "Escape closed the widget",
        )
        .await;
    assert_eq!(
        driver.script("return document.activeElement.className").await,
        json!("parlor-bubble parlor-bubble--right")
    );
    let events = driver.script("return window.__events").await;
    for name in ["chatwoot:opened", "chatwoot:on-message", "chatwoot:closed"] {
        assert!(
            events.as_array().is_some_and(|e| e.iter().any(|n| n == name)),
            "{name}: {events}"
        );
    }
    // Reload: the cookie keeps the conversation.
    driver.refresh().await;
    listen(&driver).await;
    open_widget(&driver).await;
    let source = driver.wait_for_text("we ship to Norway in 3 days").await;
    assert!(source.contains("Do you ship to Norway?"));
    assert_eq!(app.count("contacts"), 1, "the reload kept the visitor");
    assert_eq!(app.count("conversations"), 1);
    // setUser with a valid hash identifies and verifies the visitor.
    let (_, inbox) = app
        .account_call(
            t.admin.account_id,
            Method::GET,
            &format!("/inboxes/{inbox_id}"),
            &t.admin.token,
            None,
        )
        .await;
    let secret = inbox["hmac_token"].as_str().expect("hmac").to_string();
    driver.frame(None).await;
    driver
        .script(&format!(
            "window.$chatwoot.setUser('user-7', {{email: 'seven@example.test', name: 'Seven', identifier_hash: '{}'}}); return true;",
            hmac_hex(&secret, "user-7")
        ))
        .await;
    let deadline = Instant::now() + Duration::from_secs(5);
    while query_one::<String>(&app, "SELECT identifier FROM contacts").as_deref() != Some("user-7") {
        assert!(Instant::now() < deadline, "setUser identified the visitor");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(
        query_one::<bool>(&app, "SELECT hmac_verified FROM contact_inboxes"),
        Some(true)
    );
    assert_eq!(
        query_one::<String>(&app, "SELECT name FROM contacts").as_deref(),
        Some("Seven")
    );
    assert_eq!(
        driver.console_errors().await,
        Vec::<String>::new(),
        "no console errors"
    );
    // An invalid hash changes nothing and fires chatwoot:error.
    driver
        .script("window.$chatwoot.setUser('user-8', {name: 'Mallory', identifier_hash: 'deadbeef'}); return true;")
        .await;
    driver
        .until(
            "return window.__events.indexOf('chatwoot:error') !== -1",
            "chatwoot:error",
        )
        .await;
    assert_eq!(
        query_one::<String>(&app, "SELECT name FROM contacts").as_deref(),
        Some("Seven")
    );
    assert_eq!(app.count("contacts"), 1);
    let errors = driver.console_errors().await;
    assert!(
        errors.iter().all(|e| e.contains("401")),
        "only the refused setUser is logged: {errors:?}"
    );
    // Phone width.
    driver.window(390, 844).await;
    let width = driver.script("return window.innerWidth").await;
    driver.screenshot("widget-390-1-open").await;
    let covers = driver
        .script("var r = document.getElementById('cw-widget-holder').getBoundingClientRect(); return Math.round(r.width) + 'x' + Math.round(r.left)")
        .await;
    if width.as_i64().is_some_and(|w| w <= 667) {
        assert_eq!(covers, json!(format!("{}x0", width)), "full width on a phone");
    }
    driver.frame(Some("#chatwoot_live_chat_widget")).await;
    let sideways = driver
        .script("return document.documentElement.scrollWidth - window.innerWidth")
        .await;
    assert!(
        sideways.as_i64().is_some_and(|w| w <= 0),
        "the widget scrolls sideways by {sideways}"
    );
    driver.quit().await;
}

#[tokio::test]
async fn the_pre_chat_form_in_the_browser() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let (inbox_id, _) = seed_widget(
        &app,
        &t,
        json!({"pre_chat_form_enabled": true, "pre_chat_form_options": {"pre_chat_message": "Tell us who you are",
            "pre_chat_fields": [{"name": "fullName", "enabled": true, "required": true, "label": "Your name"},
                                {"name": "emailAddress", "enabled": true, "required": true, "label": "Your email"}]}}),
    )
    .await;
    let shop_url = shop(&app, &t, inbox_id).await;
    let Some(driver) = driver(true).await else {
        return;
    };
    driver.window(390, 844).await;
    driver.open(&shop_url).await;
    open_widget(&driver).await;
    driver.wait_for_text("Tell us who you are").await;
    driver.screenshot("widget-390-2-pre-chat").await;
    driver.type_into("#pc-name", "Linus").await;
    driver.type_into("#pc-email", "linus@example.test").await;
    driver.type_into("#content", "Where is my order?").await;
    driver.click("#send").await;
    driver.wait_for_text("Where is my order?").await;
    driver
        .until(
            "return !document.getElementById('pre-chat')",
            "pre-chat form gone",
        )
        .await;
    driver.screenshot("widget-390-3-after-pre-chat").await;
    let deadline = Instant::now() + Duration::from_secs(5);
    while query_one::<String>(&app, "SELECT email FROM contacts").is_none() {
        assert!(Instant::now() < deadline, "contact stored");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(
        query_one::<String>(&app, "SELECT email FROM contacts").as_deref(),
        Some("linus@example.test")
    );
    assert_eq!(
        query_one::<String>(&app, "SELECT name FROM contacts").as_deref(),
        Some("Linus")
    );
    // The agent resolves with CSAT on: the survey is a rating input inside the widget.
    let display_id: i64 = query_one(&app, "SELECT display_id FROM conversations").expect("conversation");
    app.account_call(
        t.admin.account_id,
        Method::PATCH,
        &format!("/inboxes/{inbox_id}"),
        &t.admin.token,
        Some(json!({"csat_survey_enabled": true})),
    )
    .await;
    app.account_call(
        t.admin.account_id,
        Method::POST,
        &format!("/conversations/{display_id}/toggle_status"),
        &t.admin.token,
        Some(json!({"status": "resolved"})),
    )
    .await;
    // The survey arrives live; the page reloads itself to render it with its link, so the
    // test enters the (new) frame document again.
    // When it reloads is the page's business: enter the frame again until the rating shows.
    let deadline = std::time::Instant::now() + Duration::from_secs(15);
    loop {
        driver.frame(None).await;
        driver.frame(Some("#chatwoot_live_chat_widget")).await;
        if driver.exists("form.csat button[value='5']").await {
            break;
        }
        if std::time::Instant::now() >= deadline {
            let source = driver.call(reqwest::Method::GET, "/source", None).await;
            panic!("the CSAT rating never showed in the widget: {source}");
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    driver.screenshot("widget-390-4-csat").await;
    driver.click("form.csat button[value='5']").await;
    driver
        .until("return !!document.querySelector('.rated')", "rating thanked")
        .await;
    let deadline = Instant::now() + Duration::from_secs(5);
    while query_one::<i64>(&app, "SELECT rating FROM csat_survey_responses") != Some(5) {
        assert!(Instant::now() < deadline, "rating stored");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(
        driver.console_errors().await,
        Vec::<String>::new(),
        "no console errors"
    );
    // The same page in the dark scheme.
    let (_, inbox) = app
        .account_call(
            t.admin.account_id,
            Method::GET,
            &format!("/inboxes/{inbox_id}"),
            &t.admin.token,
            None,
        )
        .await;
    let website = inbox["website_token"].as_str().expect("token").to_string();
    driver.frame(None).await;
    let token = driver
        .script("return decodeURIComponent((document.cookie.split('; ').find(function (c) { return c.indexOf('cw_conversation=') === 0; }) || '').slice(16))")
        .await;
    let token = token.as_str().expect("cookie").to_string();
    assert!(
        !token.is_empty(),
        "the shop keeps the visitor token in its cookie"
    );
    driver
        .open(&format!(
            "{}/widget?website_token={website}&cw_conversation={token}&dark_mode=dark",
            app.address
        ))
        .await;
    driver.wait_for_text("Where is my order?").await;
    let background = driver
        .script("return getComputedStyle(document.querySelector('.body')).backgroundColor")
        .await;
    assert_eq!(background, json!("rgb(13, 17, 23)"));
    driver.screenshot("widget-390-5-dark").await;
    assert_eq!(
        driver.console_errors().await,
        Vec::<String>::new(),
        "no console errors"
    );
    driver.quit().await;
}
