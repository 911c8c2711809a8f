//! The agent app in headless Chromium at phone width (390 px): sign in, the list and its
//! counts, a reply and a private note sent with Ctrl+Enter, a customer's message appearing
//! live, resolve → CSAT survey, dark mode. Screenshots go to `target/screenshots/app-*.png`.

use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::{Value, json};

use crate::browser::{Driver, driver_sized};
use crate::helpers::{PASSWORD, Team, TestApp, spawn_app};
use crate::live::{Customer, customer, public};

async fn sign_in(driver: &Driver, app: &TestApp, email: &str) {
    driver.open(&format!("{}/app/login", app.address)).await;
    driver.type_into("#email", email).await;
    driver.type_into("#password", PASSWORD).await;
    driver.click("form.stack button[type=submit]").await;
    driver.wait_for_text("data-count=\"all\"").await;
}

async fn api_messages(app: &TestApp, t: &Team, id: i64) -> Vec<Value> {
    let (_, list) = app
        .account_call(
            t.admin.account_id,
            Method::GET,
            &format!("/conversations/{id}/messages"),
            &t.admin.token,
            None,
        )
        .await;
    list["payload"].as_array().cloned().unwrap_or_default()
}

async fn no_sideways_scroll(driver: &Driver, what: &str) {
    let width = driver
        .script("return document.documentElement.scrollWidth - window.innerWidth")
        .await;
    assert!(
        width.as_i64().is_some_and(|w| w <= 0),
        "{what} scrolls sideways by {width}px"
    );
}

async fn only_local_resources(driver: &Driver, app: &TestApp, what: &str) {
    let resources = driver
        .script("return performance.getEntriesByType('resource').map(e => e.name)")
        .await;
    for url in resources.as_array().cloned().unwrap_or_default() {
        let url = url.as_str().unwrap_or_default();
        assert!(
            url.starts_with(&app.address),
            "{what} loaded {url} from elsewhere"
        );
    }
}

/// Send keys to the focused element (WebDriver actions: Ctrl held around Enter).
async fn ctrl_enter(driver: &Driver) {
    let actions = json!({"actions": [{"type": "key", "id": "keyboard", "actions": [
        {"type": "keyDown", "value": "\u{E009}"},
        {"type": "keyDown", "value": "\u{E007}"},
        {"type": "keyUp", "value": "\u{E007}"},
        {"type": "keyUp", "value": "\u{E009}"},
    ]}]});
    driver.call(Method::POST, "/actions", Some(actions)).await;
}

async fn enable_csat(app: &TestApp, t: &Team, c: &Customer) {
    let (_, conversation) = app
        .account_call(
            t.admin.account_id,
            Method::GET,
            &format!("/conversations/{}", c.conversation),
            &t.admin.token,
            None,
        )
        .await;
    let inbox = conversation["inbox_id"].as_i64().expect("inbox");
    let (status, body) = app
        .account_call(
            t.admin.account_id,
            Method::PATCH,
            &format!("/inboxes/{inbox}"),
            &t.admin.token,
            Some(json!({"csat_survey_enabled": true})),
        )
        .await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test]
async fn the_agent_app_end_to_end_at_phone_width() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let c = customer(&app, &t).await;
    c.say(&app, "Where is my parcel?").await;
    app.seed_conversation(&t).await;
    enable_csat(&app, &t, &c).await;
    let Some(driver) = driver_sized(true, Some(390)).await else {
        return;
    };
    let a = t.admin.account_id;
    for theme in ["light", "dark"] {
        driver
            .open(&format!("{}/app/login?theme={theme}", app.address))
            .await;
        driver.wait_for_text("type=\"password\"").await;
        driver.screenshot(&format!("app-390-{theme}-login")).await;
        no_sideways_scroll(&driver, "login").await;
    }
    driver
        .open(&format!("{}/app/login?theme=system", app.address))
        .await;
    sign_in(&driver, &app, "agent@acme.test").await;
    let width = driver.script("return window.innerWidth").await;
    assert_eq!(width, 390, "phone width");
    driver
        .open(&format!(
            "{}/app/accounts/{a}/conversations?assignee=all",
            app.address
        ))
        .await;
    let source = driver.wait_for_text("Where is my parcel?").await;
    assert!(
        source.contains("data-count=\"all\">2<"),
        "both seeded conversations counted"
    );
    assert!(source.contains("data-count=\"mine\">0<"));
    assert!(source.contains("data-count=\"unassigned\">2<"));
    driver.screenshot("app-390-light-list").await;
    // A new message from the customer moves the list without a reload.
    driver
        .script("document.body.setAttribute('data-list-not-reloaded', '1'); return 1")
        .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    c.say(&app, "Also, one more thing").await;
    let started = Instant::now();
    loop {
        let source = driver
            .call(Method::GET, "/source", None)
            .await
            .as_str()
            .unwrap_or_default()
            .to_string();
        if source.contains("Also, one more thing") {
            assert!(source.contains("data-list-not-reloaded"), "no reload");
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "the list updated live"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    no_sideways_scroll(&driver, "list").await;
    only_local_resources(&driver, &app, "list").await;

    driver
        .click(&format!("li[data-conversation='{}'] a", c.conversation))
        .await;
    driver.wait_for_text("id=\"thread\"").await;
    let mut contact_socket = crate::cable_client::Cable::open_welcomed(&app).await;
    contact_socket
        .subscribe_confirmed(&crate::cable_client::contact_identifier(&c.pubsub_token))
        .await;
    driver.type_into("#content", "On its way today").await;
    let (typing_frame, _) = contact_socket.until_event("conversation.typing_on").await;
    assert_eq!(
        typing_frame["data"]["user"]["id"], t.agent_id,
        "the contact sees the agent typing"
    );
    ctrl_enter(&driver).await;
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let sent = api_messages(&app, &t, c.conversation)
            .await
            .iter()
            .any(|m| m["content"] == "On its way today" && m["message_type"] == 1);
        if sent {
            break;
        }
        assert!(Instant::now() < deadline, "the reply reached the API's list");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    driver.wait_for_text("On its way today</p>").await;
    let cleared = driver
        .script("return document.getElementById('content').value")
        .await;
    assert_eq!(cleared, "", "sent in place: the box is emptied");

    driver.click("input[name=private][value='1']").await;
    driver.type_into("#content", "Customer is a VIP").await;
    ctrl_enter(&driver).await;
    driver.wait_for_text("Customer is a VIP").await;
    let (_, public_list) = app
        .call(
            Method::GET,
            &public(
                &c.identifier,
                &format!(
                    "/contacts/{}/conversations/{}/messages",
                    c.source_id, c.conversation
                ),
            ),
            None,
            None,
        )
        .await;
    assert!(public_list.to_string().contains("On its way today"));
    assert!(
        !public_list.to_string().contains("Customer is a VIP"),
        "notes stay private"
    );

    // A customer's message shows up without a reload, within a second.
    driver
        .script("document.body.setAttribute('data-not-reloaded', '1'); return 1")
        .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    c.say(&app, "Thanks, see you").await;
    let started = Instant::now();
    loop {
        let source = driver
            .call(Method::GET, "/source", None)
            .await
            .as_str()
            .unwrap_or_default()
            .to_string();
        if source.contains("Thanks, see you") {
            assert!(source.contains("data-not-reloaded"), "no reload");
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(1),
            "the customer's message appeared live within a second"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // The customer typing shows in the open conversation, and stops.
    let typing = |status: &'static str| {
        let path = public(
            &c.identifier,
            &format!(
                "/contacts/{}/conversations/{}/toggle_typing",
                c.source_id, c.conversation
            ),
        );
        let app = &app;
        async move {
            let (code, _) = app
                .call(Method::POST, &path, None, Some(json!({"typing_status": status})))
                .await;
            assert_eq!(code, 200);
        }
    };
    typing("on").await;
    let started = Instant::now();
    while driver
        .script("return document.getElementById('typing').hidden")
        .await
        != false
    {
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "the contact's typing shows"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let who = driver
        .script("return document.getElementById('typing').textContent")
        .await;
    assert!(who.as_str().unwrap_or_default().contains("Jo"), "{who}");
    driver.screenshot("app-390-light-conversation-typing").await;
    typing("off").await;
    let started = Instant::now();
    while driver
        .script("return document.getElementById('typing').hidden")
        .await
        != true
    {
        assert!(started.elapsed() < Duration::from_secs(2), "and stops");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    driver.screenshot("app-390-light-conversation").await;
    no_sideways_scroll(&driver, "conversation").await;

    driver
        .open(&format!(
            "{}/app/accounts/{a}/contacts/{}",
            app.address, c.contact_id
        ))
        .await;
    driver.wait_for_text("name=\"phone_number\"").await;
    driver.screenshot("app-390-light-contact").await;
    no_sideways_scroll(&driver, "contact").await;
    driver
        .open(&format!("{}/app/accounts/{a}/profile", app.address))
        .await;
    driver.wait_for_text("name=\"current_password\"").await;
    driver.screenshot("app-390-light-profile").await;
    no_sideways_scroll(&driver, "profile").await;
    driver
        .open(&format!("{}/app/accounts/{a}/contacts", app.address))
        .await;
    driver.wait_for_text("data-key=\"search\"").await;
    driver.screenshot("app-390-light-contacts").await;
    no_sideways_scroll(&driver, "contacts").await;
    driver
        .open(&format!(
            "{}/app/accounts/{a}/conversations/{}",
            app.address, c.conversation
        ))
        .await;
    driver.click("[data-key=resolve]").await;
    driver.wait_for_text("status-resolved").await;
    let messages = api_messages(&app, &t, c.conversation).await;
    assert!(
        messages.iter().any(|m| m["content_type"] == "input_csat"),
        "resolving sent the CSAT survey: {messages:?}"
    );

    driver
        .open(&format!(
            "{}/app/accounts/{a}/conversations/{}?theme=dark",
            app.address, c.conversation
        ))
        .await;
    driver.wait_for_text("theme-dark").await;
    let background = driver
        .script("return getComputedStyle(document.body).backgroundColor")
        .await;
    assert_eq!(background, "rgb(13, 17, 23)", "dark theme");
    driver.screenshot("app-390-dark-conversation").await;
    driver
        .open(&format!(
            "{}/app/accounts/{a}/conversations?assignee=all",
            app.address
        ))
        .await;
    driver.wait_for_text("data-count").await;
    driver.screenshot("app-390-dark-list").await;
    driver.click("[data-key=search]").await;
    driver.script("document.activeElement.blur(); return 1").await;
    let help = json!({"actions": [{"type": "key", "id": "keyboard", "actions": [
        {"type": "keyDown", "value": "?"}, {"type": "keyUp", "value": "?"}]}]});
    driver.call(Method::POST, "/actions", Some(help)).await;
    let shown = driver
        .script("return !document.getElementById('shortcuts').hidden")
        .await;
    assert_eq!(shown, true, "? opens the shortcuts");
    driver.screenshot("app-390-dark-shortcuts").await;
    assert_eq!(
        driver.console_errors().await,
        Vec::<String>::new(),
        "no console errors"
    );
    driver.quit().await;
}

#[tokio::test]
async fn sign_in_and_pages_work_without_javascript() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let (_, id) = app.seed_conversation(&t).await;
    // No device emulation here: chromedriver's emulated taps never finish a form navigation
    // when JavaScript is off (the 390 px screenshots are taken with JavaScript on).
    let Some(driver) = driver_sized(false, None).await else {
        return;
    };
    sign_in(&driver, &app, "admin@acme.test").await;
    let a = t.admin.account_id;
    driver
        .open(&format!("{}/app/accounts/{a}/conversations/{id}", app.address))
        .await;
    driver.wait_for_text("id=\"thread\"").await;
    driver.type_into("#content", "Replied without JavaScript").await;
    driver.click("#reply button[type=submit]").await;
    driver.wait_for_text("Replied without JavaScript</p>").await;
    let messages = api_messages(&app, &t, id).await;
    assert!(
        messages
            .iter()
            .any(|m| m["content"] == "Replied without JavaScript")
    );
    app.account_call(
        a,
        Method::POST,
        "/inboxes",
        &t.admin.token,
        Some(json!({"name": "Website", "channel": {"type": "web_widget", "website_url": "https://acme.example"}})),
    )
    .await;
    driver
        .open(&format!("{}/app/accounts/{a}/settings/inboxes", app.address))
        .await;
    driver.wait_for_text("sdk.js").await;
    driver.screenshot("app-nojs-settings-inboxes").await;
    assert_eq!(
        driver.console_errors().await,
        Vec::<String>::new(),
        "no console errors"
    );
    driver.quit().await;
}

#[tokio::test]
async fn write_preview_publish_an_article_in_the_browser() {
    let app = spawn_app().await;
    crate::help_center_pages::seed(&app).await;
    let Some(driver) = driver_sized(true, Some(390)).await else {
        return;
    };
    sign_in(&driver, &app, "admin@acme.test").await;
    let a = 1;
    driver
        .open(&format!(
            "{}/app/accounts/{a}/portals/acme/articles/new",
            app.address
        ))
        .await;
    driver.type_into("#a-title", "Refund policy").await;
    driver.type_into("#a-slug", "refund-policy").await;
    driver
        .type_into("#a-content", "## Within 30 days\n\nWrite to **billing**.")
        .await;
    driver.click("button[value=preview]").await;
    driver.wait_for_text("nothing has been saved").await;
    driver.screenshot("app-390-light-article-preview").await;
    no_sideways_scroll(&driver, "article editor").await;
    driver.click("button[value=publish]").await;
    driver.wait_for_text("View public page").await;
    driver.click("a[href='/hc/acme/articles/refund-policy']").await;
    let source = driver.wait_for_text("Within 30 days").await;
    assert!(source.contains("<strong>billing</strong>"));
    driver.screenshot("app-390-public-article").await;
    assert_eq!(
        driver.console_errors().await,
        Vec::<String>::new(),
        "no console errors"
    );
    driver.quit().await;
}
