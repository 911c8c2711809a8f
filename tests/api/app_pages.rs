//! The agent web app over plain HTTP: sign-in and its cookie, CSRF, SSO links, the account
//! gate, the visibility rule for conversations, and refused form input (a clear message,
//! nothing saved).

use std::collections::BTreeMap;

use reqwest::header::{HeaderMap, LOCATION, SET_COOKIE};
use reqwest::{Method, redirect};
use serde_json::json;

use crate::helpers::{PASSWORD, Team, TestApp, spawn_app, spawn_app_with};
use crate::live::customer;

/// A browser without JavaScript: keeps cookies, never follows redirects.
pub struct Visitor<'a> {
    pub app: &'a TestApp,
    client: reqwest::Client,
    pub cookies: BTreeMap<String, String>,
}

/// One answer: status, headers, body.
pub struct Page {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: String,
}

impl Page {
    pub fn location(&self) -> &str {
        self.headers
            .get(LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    pub fn set_cookie(&self, name: &str) -> Option<String> {
        self.headers
            .get_all(SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with(&format!("{name}=")))
            .map(str::to_string)
    }

    /// The value of the first hidden `_csrf` field.
    pub fn csrf(&self) -> String {
        let marker = "name=\"_csrf\" value=\"";
        let start = self.body.find(marker).expect("a csrf field") + marker.len();
        self.body[start..]
            .split('"')
            .next()
            .unwrap_or_default()
            .to_string()
    }
}

impl<'a> Visitor<'a> {
    pub fn new(app: &'a TestApp) -> Self {
        Visitor {
            app,
            client: reqwest::Client::builder()
                .redirect(redirect::Policy::none())
                .build()
                .expect("client"),
            cookies: BTreeMap::new(),
        }
    }

    async fn send(&mut self, builder: reqwest::RequestBuilder) -> Page {
        let cookie: Vec<String> = self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let response = builder
            .header("cookie", cookie.join("; "))
            .send()
            .await
            .expect("request");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        for value in headers.get_all(SET_COOKIE) {
            let text = value.to_str().unwrap_or_default();
            let pair = text.split(';').next().unwrap_or_default();
            if let Some((name, value)) = pair.split_once('=') {
                if value.is_empty() || text.contains("Max-Age=0") {
                    self.cookies.remove(name);
                } else {
                    self.cookies.insert(name.to_string(), value.to_string());
                }
            }
        }
        let body = response.text().await.unwrap_or_default();
        Page {
            status,
            headers,
            body,
        }
    }

    pub async fn get(&mut self, path: &str) -> Page {
        let builder = self.client.get(format!("{}{path}", self.app.address));
        self.send(builder).await
    }

    pub async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Page {
        let builder = self.client.post(format!("{}{path}", self.app.address)).form(form);
        self.send(builder).await
    }

    /// Sign in through the form; panics unless it worked.
    pub async fn sign_in(&mut self, email: &str) -> Page {
        let form = self.get("/app/login").await;
        assert_eq!(form.status, 200);
        let csrf = form.csrf();
        let done = self
            .post(
                "/app/login",
                &[("_csrf", &csrf), ("email", email), ("password", PASSWORD)],
            )
            .await;
        assert_eq!(done.status, 303, "{}", done.body);
        done
    }

    /// Try the sign-in form with the shared password; the status.
    pub async fn sign_in_attempt(&mut self, email: &str) -> u16 {
        let csrf = self.get("/app/login").await.csrf();
        self.post(
            "/app/login",
            &[("_csrf", &csrf), ("email", email), ("password", PASSWORD)],
        )
        .await
        .status
    }

    /// A page's CSRF token (any signed-in page carries it).
    pub async fn csrf_of(&mut self, path: &str) -> String {
        let page = self.get(path).await;
        assert_eq!(page.status, 200, "{path}: {}", page.body);
        page.csrf()
    }
}

fn agent_email(t: &Team) -> String {
    let _ = t;
    "agent@acme.test".to_string()
}

#[tokio::test]
async fn sign_in_sets_a_strict_session_cookie_and_opens_the_active_account() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let mut v = Visitor::new(&app);
    let login = v.get("/app/login").await;
    assert_eq!(login.status, 200);
    assert!(login.body.contains("type=\"password\""));
    let csp = login.headers["content-security-policy"].to_str().expect("csp");
    assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"));
    assert_eq!(login.headers["x-frame-options"], "DENY");
    let csrf_cookie = login.set_cookie("parlor_login_csrf").expect("login csrf cookie");
    assert!(csrf_cookie.contains("HttpOnly") && csrf_cookie.contains("SameSite=Lax"));
    let done = v.sign_in("admin@acme.test").await;
    assert_eq!(done.location(), "/app");
    let cookie = done.set_cookie("parlor_session").expect("session cookie");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(cookie.contains("Path=/app"), "{cookie}");
    assert!(!cookie.contains("Secure"), "plain http: {cookie}");
    assert_eq!(app.count("user_sessions"), 1);
    let home = v.get("/app").await;
    assert_eq!(home.status, 303);
    let list_path = format!("/app/accounts/{}/conversations", t.admin.account_id);
    assert_eq!(home.location(), list_path);
    let list = v.get(&list_path).await;
    assert_eq!(list.status, 200, "{}", list.body);
    assert!(list.body.contains("Conversations"));
    assert_eq!(list.headers["x-frame-options"], "DENY");
    assert!(!list.body.contains("<script>"), "no inline script");
    assert!(!list.body.contains("style="), "no inline style");
}

#[tokio::test]
async fn over_https_the_cookie_is_secure() {
    let app = spawn_app_with(|c| c.frontend_url = Some("https://parlor.example".into())).await;
    app.seed_team("Acme");
    let mut v = Visitor::new(&app);
    let done = v.sign_in("admin@acme.test").await;
    let cookie = done.set_cookie("parlor_session").expect("cookie");
    assert!(cookie.contains("Secure"), "{cookie}");
}

#[tokio::test]
async fn wrong_passwords_are_refused_then_limited() {
    let app = spawn_app_with(|c| c.auth_failure_limit = 3).await;
    app.seed_team("Acme");
    let mut v = Visitor::new(&app);
    let csrf = v.get("/app/login").await.csrf();
    for _ in 0..3 {
        let page = v
            .post(
                "/app/login",
                &[
                    ("_csrf", &csrf),
                    ("email", "admin@acme.test"),
                    ("password", "nope"),
                ],
            )
            .await;
        assert_eq!(page.status, 401);
        assert!(page.body.contains("Invalid e-mail or password."), "{}", page.body);
        assert!(
            page.body.contains("value=\"admin@acme.test\""),
            "the e-mail is kept"
        );
        assert!(page.set_cookie("parlor_session").is_none());
    }
    let limited = v
        .post(
            "/app/login",
            &[
                ("_csrf", &csrf),
                ("email", "admin@acme.test"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(limited.status, 429, "even the right password waits");
    assert!(limited.body.contains("Too many failed attempts"));
    assert_eq!(app.count("user_sessions"), 0);
}

#[tokio::test]
async fn sign_in_without_its_csrf_token_is_refused() {
    let app = spawn_app().await;
    app.seed_team("Acme");
    let mut v = Visitor::new(&app);
    v.get("/app/login").await;
    let page = v
        .post(
            "/app/login",
            &[("email", "admin@acme.test"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(page.status, 403);
    assert!(page.body.contains("This form has expired"));
    let forged = v
        .post(
            "/app/login",
            &[
                ("_csrf", "x".repeat(40).as_str()),
                ("email", "admin@acme.test"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(forged.status, 403);
    assert_eq!(app.count("user_sessions"), 0);
}

#[tokio::test]
async fn pages_send_people_to_sign_in_and_back() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let mut v = Visitor::new(&app);
    let path = format!("/app/accounts/{}/conversations?status=all", t.admin.account_id);
    let page = v.get(&path).await;
    assert_eq!(page.status, 303);
    assert!(
        page.location().starts_with("/app/login?next=/app/accounts/"),
        "{}",
        page.location()
    );
    let form = v.get(page.location()).await;
    assert!(
        form.body.contains("name=\"next\" value=\"/app/accounts/"),
        "{}",
        form.body
    );
    let csrf = form.csrf();
    let next = format!("/app/accounts/{}/conversations", t.admin.account_id);
    let done = v
        .post(
            "/app/login",
            &[
                ("_csrf", &csrf),
                ("email", "admin@acme.test"),
                ("password", PASSWORD),
                ("next", &next),
            ],
        )
        .await;
    assert_eq!(done.location(), next);
    let outside = v
        .post(
            "/app/login",
            &[
                ("_csrf", &csrf),
                ("email", "admin@acme.test"),
                ("password", PASSWORD),
                ("next", "https://evil.test/"),
            ],
        )
        .await;
    assert_eq!(
        outside.status, 403,
        "the login token was spent with the first sign-in"
    );
}

#[tokio::test]
async fn logout_ends_the_session() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let mut v = Visitor::new(&app);
    v.sign_in("admin@acme.test").await;
    let list = format!("/app/accounts/{}/conversations", t.admin.account_id);
    let saved = v.cookies.clone();
    let csrf = v.csrf_of(&list).await;
    let without = v.post("/app/logout", &[]).await;
    assert_eq!(without.status, 403, "sign-out needs the token too");
    assert_eq!(app.count("user_sessions"), 1);
    let out = v.post("/app/logout", &[("_csrf", &csrf)]).await;
    assert_eq!(out.status, 303);
    assert_eq!(out.location(), "/app/login");
    assert_eq!(app.count("user_sessions"), 0);
    v.cookies = saved;
    let page = v.get(&list).await;
    assert_eq!(page.status, 303, "the old cookie no longer works");
}

#[tokio::test]
async fn forgot_password_says_mail_is_not_configured() {
    let app = spawn_app().await;
    let mut v = Visitor::new(&app);
    let page = v.get("/app/forgot_password").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("no mail transport"), "{}", page.body);
}

#[tokio::test]
async fn the_sign_in_page_follows_the_browser_language() {
    let app = spawn_app().await;
    let client = reqwest::Client::new();
    for (accept, text) in [
        ("es-ES,es;q=0.9", "Iniciar sesión"),
        ("fr", "Se connecter"),
        ("de-DE", "Anmelden"),
        ("pt-BR", "Entrar"),
        ("en-US", "Sign in"),
    ] {
        let body = client
            .get(format!("{}/app/login", app.address))
            .header("accept-language", accept)
            .send()
            .await
            .expect("page")
            .text()
            .await
            .expect("body");
        assert!(body.contains(text), "{accept}: {body}");
    }
}

#[tokio::test]
async fn the_platform_sso_link_signs_in_once() {
    let app = spawn_app().await;
    let (_, platform_token) = app.seed_platform_app("Portal");
    let (status, account) = app
        .call(
            Method::POST,
            "/platform/api/v1/accounts",
            Some(&platform_token),
            Some(json!({"name": "Acme"})),
        )
        .await;
    assert_eq!(status, 200, "{account}");
    let account_id = account["id"].as_i64().expect("account");
    let (status, user) = app
        .call(
            Method::POST,
            "/platform/api/v1/users",
            Some(&platform_token),
            Some(json!({"name": "Sam", "email": "sam@acme.test", "password": "Passw0rd!xyz"})),
        )
        .await;
    assert_eq!(status, 200, "{user}");
    let id = user["id"].as_i64().expect("id");
    app.call(
        Method::POST,
        &format!("/platform/api/v1/accounts/{account_id}/account_users"),
        Some(&platform_token),
        Some(json!({"user_id": id, "role": "agent"})),
    )
    .await;
    let (status, link) = app
        .call(
            Method::GET,
            &format!("/platform/api/v1/users/{id}/login"),
            Some(&platform_token),
            None,
        )
        .await;
    assert_eq!(status, 200, "{link}");
    let url = link["url"].as_str().expect("url");
    let path = &url[url.find("/app/login").expect("login path")..];
    let mut v = Visitor::new(&app);
    let done = v.get(path).await;
    assert_eq!(done.status, 303, "{}", done.body);
    assert!(done.set_cookie("parlor_session").is_some());
    let home = v.get("/app").await;
    assert_eq!(
        home.location(),
        format!("/app/accounts/{account_id}/conversations")
    );
    let mut other = Visitor::new(&app);
    let again = other.get(path).await;
    assert_eq!(again.status, 401, "single use");
    assert!(again.body.contains("already used or has expired"));
    assert!(again.set_cookie("parlor_session").is_none());
    let forged = other
        .get(&path.replace("sso_auth_token=", "sso_auth_token=0"))
        .await;
    assert_eq!(forged.status, 401);
}

#[tokio::test]
async fn another_accounts_pages_are_not_found() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let other = app.seed_team("Globex");
    let mut v = Visitor::new(&app);
    v.sign_in("admin@acme.test").await;
    let page = v
        .get(&format!("/app/accounts/{}/conversations", other.admin.account_id))
        .await;
    assert_eq!(page.status, 404);
    assert!(page.body.contains("Not found"));
    let (_, id) = app.seed_conversation(&other).await;
    let page = v
        .get(&format!(
            "/app/accounts/{}/conversations/{id}",
            other.admin.account_id
        ))
        .await;
    assert_eq!(page.status, 404);
    let page = v
        .get(&format!(
            "/app/accounts/{}/conversations/{id}",
            t.admin.account_id
        ))
        .await;
    assert_eq!(page.status, 404, "display ids are per account");
}

/// Two API inboxes; the agent is a member of the first only.
async fn two_inboxes(app: &TestApp, t: &Team) -> (i64, i64) {
    let (_, mine) = app.seed_conversation(t).await;
    let (inbox, theirs) = app.seed_conversation(t).await;
    app.account_call(
        t.admin.account_id,
        Method::DELETE,
        "/inbox_members",
        &t.admin.token,
        Some(json!({"inbox_id": inbox, "user_ids": [t.agent_id]})),
    )
    .await;
    (mine, theirs)
}

#[tokio::test]
async fn an_agent_sees_only_the_conversations_of_their_inboxes() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let (mine, theirs) = two_inboxes(&app, &t).await;
    let a = t.admin.account_id;
    let mut v = Visitor::new(&app);
    v.sign_in(&agent_email(&t)).await;
    let list = v
        .get(&format!("/app/accounts/{a}/conversations?assignee=all"))
        .await;
    assert_eq!(list.status, 200);
    assert!(
        list.body.contains(&format!("/conversations/{mine}\"")),
        "{}",
        list.body
    );
    assert!(!list.body.contains(&format!("/conversations/{theirs}\"")));
    assert!(
        list.body.contains("data-count=\"all\">1<"),
        "the counts follow the rule too"
    );
    let page = v.get(&format!("/app/accounts/{a}/conversations/{theirs}")).await;
    assert_eq!(page.status, 404, "direct URL");
    let csrf = v
        .csrf_of(&format!("/app/accounts/{a}/conversations/{mine}"))
        .await;
    let before = app.count("messages");
    let posted = v
        .post(
            &format!("/app/accounts/{a}/conversations/{theirs}/messages"),
            &[("_csrf", &csrf), ("content", "sneaky")],
        )
        .await;
    assert_eq!(posted.status, 404);
    assert_eq!(app.count("messages"), before, "nothing saved");
    let mut admin = Visitor::new(&app);
    admin.sign_in("admin@acme.test").await;
    let page = admin
        .get(&format!("/app/accounts/{a}/conversations/{theirs}"))
        .await;
    assert_eq!(page.status, 200, "administrators see every inbox");
}

#[tokio::test]
async fn list_tabs_count_like_the_api() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let a = t.admin.account_id;
    let (_, first) = app.seed_conversation(&t).await;
    app.seed_conversation(&t).await;
    app.account_call(
        a,
        Method::POST,
        &format!("/conversations/{first}/assignments"),
        &t.admin.token,
        Some(json!({"assignee_id": t.admin.user_id})),
    )
    .await;
    let (_, meta) = app
        .account_call(a, Method::GET, "/conversations/meta", &t.admin.token, None)
        .await;
    let mut v = Visitor::new(&app);
    v.sign_in("admin@acme.test").await;
    let list = v.get(&format!("/app/accounts/{a}/conversations")).await;
    for (key, api) in [
        ("mine", "mine_count"),
        ("unassigned", "unassigned_count"),
        ("all", "all_count"),
    ] {
        let expected = meta["meta"][api].as_i64().expect("count");
        assert!(
            list.body.contains(&format!("data-count=\"{key}\">{expected}<")),
            "{key} = {expected}: {}",
            list.body
        );
    }
    assert!(list.body.contains("data-count=\"mine\">1<"));
    assert!(list.body.contains("data-count=\"all\">2<"));
    let resolved = v
        .get(&format!(
            "/app/accounts/{a}/conversations?status=resolved&assignee=all"
        ))
        .await;
    assert!(resolved.body.contains("No conversations here"), "empty state");
    let searched = v
        .get(&format!("/app/accounts/{a}/conversations?assignee=all&q=Hello"))
        .await;
    assert!(searched.body.contains(&format!("/conversations/{first}\"")));
    let missing = v
        .get(&format!("/app/accounts/{a}/conversations?assignee=all&q=zzzzzz"))
        .await;
    assert!(missing.body.contains("No conversations here"));
}

#[tokio::test]
async fn a_form_without_the_csrf_token_writes_nothing() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let (_, id) = app.seed_conversation(&t).await;
    let a = t.admin.account_id;
    let mut v = Visitor::new(&app);
    v.sign_in("admin@acme.test").await;
    let base = format!("/app/accounts/{a}/conversations/{id}");
    let before = app.count("messages");
    let missing = v.post(&format!("{base}/messages"), &[("content", "hi")]).await;
    assert_eq!(missing.status, 403);
    assert!(missing.body.contains("This form has expired"));
    let wrong = v
        .post(
            &format!("{base}/messages"),
            &[("_csrf", "0123456789"), ("content", "hi")],
        )
        .await;
    assert_eq!(wrong.status, 403);
    let status = v.post(&format!("{base}/status"), &[("status", "resolved")]).await;
    assert_eq!(status.status, 403);
    assert_eq!(app.count("messages"), before);
    let (_, c) = app
        .account_call(
            a,
            Method::GET,
            &format!("/conversations/{id}"),
            &t.admin.token,
            None,
        )
        .await;
    assert_eq!(c["status"], "open");
    let mut stranger = Visitor::new(&app);
    stranger.sign_in("agent@acme.test").await;
    let theirs = stranger
        .csrf_of(&format!("/app/accounts/{a}/conversations"))
        .await;
    let crossed = v
        .post(
            &format!("{base}/messages"),
            &[("_csrf", &theirs), ("content", "hi")],
        )
        .await;
    assert_eq!(crossed.status, 403, "tokens are per session");
}

#[tokio::test]
async fn replies_and_notes_go_through_the_message_service() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let customer = customer(&app, &t).await;
    customer.say(&app, "Where is my parcel?").await;
    let a = t.admin.account_id;
    let id = customer.conversation;
    let mut v = Visitor::new(&app);
    v.sign_in("agent@acme.test").await;
    let base = format!("/app/accounts/{a}/conversations/{id}");
    let page = v.get(&base).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("Where is my parcel?"));
    let csrf = page.csrf();
    let sent = v
        .post(
            &format!("{base}/messages"),
            &[("_csrf", &csrf), ("content", "On its way **today**")],
        )
        .await;
    assert_eq!(sent.status, 303, "{}", sent.body);
    assert_eq!(sent.location(), format!("{base}#reply"));
    let noted = v
        .post(
            &format!("{base}/messages"),
            &[("_csrf", &csrf), ("content", "VIP customer"), ("private", "1")],
        )
        .await;
    assert_eq!(noted.status, 303);
    let (_, list) = app
        .account_call(
            a,
            Method::GET,
            &format!("/conversations/{id}/messages"),
            &t.admin.token,
            None,
        )
        .await;
    let payload = list["payload"].as_array().expect("messages");
    let reply = payload
        .iter()
        .find(|m| m["content"] == "On its way **today**")
        .expect("reply");
    assert_eq!(reply["message_type"], 1);
    assert_eq!(reply["sender"]["id"], t.agent_id);
    assert_eq!(reply["private"], false);
    let note = payload
        .iter()
        .find(|m| m["content"] == "VIP customer")
        .expect("note");
    assert_eq!(note["private"], true);
    let (_, public) = app
        .call(
            Method::GET,
            &crate::live::public(
                &customer.identifier,
                &format!("/contacts/{}/conversations/{id}/messages", customer.source_id),
            ),
            None,
            None,
        )
        .await;
    let text = public.to_string();
    assert!(text.contains("On its way"), "{text}");
    assert!(!text.contains("VIP customer"), "a private note is not public");
    let page = v.get(&base).await;
    assert!(page.body.contains("<strong>today</strong>"), "markdown rendered");
    assert!(page.body.contains("class=\"msg note\""), "notes look different");
}

#[tokio::test]
async fn refused_input_says_why_and_saves_nothing() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let (_, id) = app.seed_conversation(&t).await;
    let a = t.admin.account_id;
    let mut v = Visitor::new(&app);
    v.sign_in("admin@acme.test").await;
    let base = format!("/app/accounts/{a}/conversations/{id}");
    let csrf = v.csrf_of(&base).await;
    let before = app.count("messages");
    let blank = v
        .post(
            &format!("{base}/messages"),
            &[("_csrf", &csrf), ("content", "   ")],
        )
        .await;
    assert_eq!(blank.status, 422);
    assert!(
        blank.body.contains("Content can&#39;t be blank") || blank.body.contains("Content can't be blank"),
        "{}",
        blank.body
    );
    let past = v
        .post(
            &format!("{base}/status"),
            &[
                ("_csrf", &csrf),
                ("status", "snoozed"),
                ("snoozed_until", "2001-01-01T10:00"),
            ],
        )
        .await;
    assert_eq!(past.status, 422);
    assert!(past.body.contains("must be in the future"));
    let garbage = v
        .post(
            &format!("{base}/status"),
            &[
                ("_csrf", &csrf),
                ("status", "snoozed"),
                ("snoozed_until", "tomorrow"),
            ],
        )
        .await;
    assert_eq!(garbage.status, 422);
    let status = v
        .post(
            &format!("{base}/status"),
            &[("_csrf", &csrf), ("status", "closed")],
        )
        .await;
    assert_eq!(status.status, 422);
    let priority = v
        .post(
            &format!("{base}/priority"),
            &[("_csrf", &csrf), ("priority", "extreme")],
        )
        .await;
    assert_eq!(priority.status, 422);
    let agent = v
        .post(
            &format!("{base}/assignee"),
            &[("_csrf", &csrf), ("assignee_id", "999999")],
        )
        .await;
    assert_eq!(agent.status, 422);
    let agent = v
        .post(
            &format!("{base}/assignee"),
            &[("_csrf", &csrf), ("assignee_id", "abc")],
        )
        .await;
    assert_eq!(agent.status, 422);
    let team = v
        .post(
            &format!("{base}/team"),
            &[("_csrf", &csrf), ("team_id", "999999")],
        )
        .await;
    assert_eq!(team.status, 422);
    assert_eq!(app.count("messages"), before, "no activity message either");
    let (_, c) = app
        .account_call(
            a,
            Method::GET,
            &format!("/conversations/{id}"),
            &t.admin.token,
            None,
        )
        .await;
    assert_eq!(c["status"], "open");
    assert_eq!(c["priority"], serde_json::Value::Null);
    assert_eq!(c["meta"]["assignee"], serde_json::Value::Null);
}

#[tokio::test]
async fn conversation_actions_change_the_conversation() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let (_, id) = app.seed_conversation(&t).await;
    let a = t.admin.account_id;
    app.account_call(
        a,
        Method::POST,
        "/labels",
        &t.admin.token,
        Some(json!({"title": "billing", "color": "#ff0000"})),
    )
    .await;
    let (_, team) = app
        .account_call(
            a,
            Method::POST,
            "/teams",
            &t.admin.token,
            Some(json!({"name": "Support"})),
        )
        .await;
    let mut v = Visitor::new(&app);
    v.sign_in("admin@acme.test").await;
    let base = format!("/app/accounts/{a}/conversations/{id}");
    let csrf = v.csrf_of(&base).await;
    let agent = t.agent_id.to_string();
    let team_id = team["id"].to_string();
    for (path, form) in [
        ("priority", vec![("priority", "high")]),
        ("team", vec![("team_id", team_id.as_str())]),
        ("assignee", vec![("assignee_id", agent.as_str())]),
        ("labels", vec![("labels", "billing")]),
        ("status", vec![("status", "pending")]),
    ] {
        let mut fields = vec![("_csrf", csrf.as_str())];
        fields.extend(form);
        let done = v.post(&format!("{base}/{path}"), &fields).await;
        assert_eq!(done.status, 303, "{path}: {}", done.body);
    }
    let (_, c) = app
        .account_call(
            a,
            Method::GET,
            &format!("/conversations/{id}"),
            &t.admin.token,
            None,
        )
        .await;
    assert_eq!(c["priority"], "high");
    assert_eq!(c["meta"]["assignee"]["id"], t.agent_id);
    assert_eq!(c["meta"]["team"]["id"], team["id"]);
    assert_eq!(c["labels"], json!(["billing"]));
    assert_eq!(c["status"], "pending");
    let page = v.get(&base).await;
    assert!(
        page.body.contains("Admin set the priority to high"),
        "activity lines shown: {}",
        page.body
    );
    let muted = v
        .post(&format!("{base}/mute"), &[("_csrf", &csrf), ("muted", "1")])
        .await;
    assert_eq!(muted.status, 303);
    let (_, c) = app
        .account_call(
            a,
            Method::GET,
            &format!("/conversations/{id}"),
            &t.admin.token,
            None,
        )
        .await;
    assert_eq!(c["status"], "resolved", "muting resolves");
    let page = v.get(&base).await;
    assert!(page.body.contains("Unmute"));
    let tomorrow = time::OffsetDateTime::now_utc() + time::Duration::days(1);
    let value = format!(
        "{:04}-{:02}-{:02}T10:00",
        tomorrow.year(),
        u8::from(tomorrow.month()),
        tomorrow.day()
    );
    let snoozed = v
        .post(
            &format!("{base}/status"),
            &[
                ("_csrf", &csrf),
                ("status", "snoozed"),
                ("snoozed_until", &value),
                ("tz_offset", "0"),
            ],
        )
        .await;
    assert_eq!(snoozed.status, 303, "{}", snoozed.body);
    let (_, c) = app
        .account_call(
            a,
            Method::GET,
            &format!("/conversations/{id}"),
            &t.admin.token,
            None,
        )
        .await;
    assert_eq!(c["status"], "snoozed");
    let until = c["snoozed_until"].as_str().unwrap_or_default();
    assert!(
        until.starts_with(&format!("{value}:00")),
        "{until} is {value} UTC"
    );
}

#[tokio::test]
async fn contacts_list_search_show_edit_and_notes() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let other = app.seed_team("Globex");
    let a = t.admin.account_id;
    let (_, id) = app.seed_conversation(&t).await;
    let (_, c) = app
        .account_call(
            a,
            Method::GET,
            &format!("/conversations/{id}"),
            &t.admin.token,
            None,
        )
        .await;
    let contact = c["meta"]["sender"]["id"].as_i64().expect("contact");
    app.account_call(
        a,
        Method::POST,
        "/contacts",
        &t.admin.token,
        Some(json!({"name": "Kim", "email": "kim@example.test"})),
    )
    .await;
    let (_, foreign) = app
        .account_call(
            other.admin.account_id,
            Method::POST,
            "/contacts",
            &other.admin.token,
            Some(json!({"name": "Lee", "email": "lee@example.test"})),
        )
        .await;
    let foreign = foreign["payload"]["contact"]["id"].as_i64().expect("id");
    let mut v = Visitor::new(&app);
    v.sign_in("agent@acme.test").await;
    let list = v.get(&format!("/app/accounts/{a}/contacts")).await;
    assert_eq!(list.status, 200);
    assert!(
        list.body.contains("Kim") && list.body.contains("Jo"),
        "{}",
        list.body
    );
    assert!(!list.body.contains("Lee"));
    let found = v.get(&format!("/app/accounts/{a}/contacts?q=kim")).await;
    assert!(found.body.contains("kim@example.test"));
    assert!(!found.body.contains(">Jo<"));
    let none = v.get(&format!("/app/accounts/{a}/contacts?q=nobody-here")).await;
    assert!(none.body.contains("No contacts found"));
    let base = format!("/app/accounts/{a}/contacts/{contact}");
    let page = v.get(&base).await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains(&format!("/conversations/{id}\"")),
        "their conversations"
    );
    let csrf = page.csrf();
    let bad = v
        .post(
            &base,
            &[("_csrf", &csrf), ("name", "Jo"), ("email", "not-an-email")],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("Invalid email"), "{}", bad.body);
    assert!(
        bad.body.contains("value=\"not-an-email\""),
        "what was typed is kept"
    );
    let taken = v
        .post(
            &base,
            &[("_csrf", &csrf), ("name", "Jo"), ("email", "kim@example.test")],
        )
        .await;
    assert_eq!(taken.status, 422);
    assert!(taken.body.contains("Email has already been taken"));
    let phone = v
        .post(&base, &[("_csrf", &csrf), ("name", "Jo"), ("phone_number", "12")])
        .await;
    assert_eq!(phone.status, 422);
    let (_, unchanged) = app
        .account_call(
            a,
            Method::GET,
            &format!("/contacts/{contact}"),
            &t.admin.token,
            None,
        )
        .await;
    assert_eq!(unchanged["payload"]["name"], "Jo", "nothing saved");
    assert_eq!(unchanged["payload"]["phone_number"], serde_json::Value::Null);
    let forged = v.post(&base, &[("name", "Evil")]).await;
    assert_eq!(forged.status, 403);
    let saved = v
        .post(
            &base,
            &[
                ("_csrf", &csrf),
                ("name", "Jo Park"),
                ("email", "jo.park@example.test"),
                ("phone_number", "+4915112345678"),
                ("company_name", "Parcel Co"),
            ],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let (_, changed) = app
        .account_call(
            a,
            Method::GET,
            &format!("/contacts/{contact}"),
            &t.admin.token,
            None,
        )
        .await;
    assert_eq!(changed["payload"]["name"], "Jo Park");
    assert_eq!(changed["payload"]["email"], "jo.park@example.test");
    assert_eq!(
        changed["payload"]["additional_attributes"]["company_name"],
        "Parcel Co"
    );
    let notes_before = app.count("notes");
    let blank = v
        .post(&format!("{base}/notes"), &[("_csrf", &csrf), ("content", "  ")])
        .await;
    assert_eq!(blank.status, 422);
    assert!(blank.body.contains("Content can"));
    assert_eq!(app.count("notes"), notes_before);
    let noted = v
        .post(
            &format!("{base}/notes"),
            &[("_csrf", &csrf), ("content", "Prefers e-mail")],
        )
        .await;
    assert_eq!(noted.status, 303);
    let page = v.get(&base).await;
    assert!(page.body.contains("Prefers e-mail"));
    let conversation = v.get(&format!("/app/accounts/{a}/conversations/{id}")).await;
    assert!(
        conversation.body.contains("Prefers e-mail"),
        "notes in the side panel"
    );
    let theirs = v.get(&format!("/app/accounts/{a}/contacts/{foreign}")).await;
    assert_eq!(theirs.status, 404);
    let posted = v
        .post(
            &format!("/app/accounts/{a}/contacts/{foreign}/notes"),
            &[("_csrf", &csrf), ("content", "x")],
        )
        .await;
    assert_eq!(posted.status, 404);
}

#[tokio::test]
async fn profile_fields_password_availability_and_token() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let a = t.admin.account_id;
    let mut v = Visitor::new(&app);
    v.sign_in("agent@acme.test").await;
    let mut other_session = Visitor::new(&app);
    other_session.sign_in("agent@acme.test").await;
    let base = format!("/app/accounts/{a}/profile");
    let page = v.get(&base).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains(&t.agent), "the access token is shown");
    let csrf = page.csrf();
    let blank = v.post(&base, &[("_csrf", &csrf), ("name", "  ")]).await;
    assert_eq!(blank.status, 422);
    assert!(blank.body.contains("Name"), "{}", blank.body);
    let saved = v
        .post(
            &base,
            &[("_csrf", &csrf), ("name", "Mia Agent"), ("display_name", "Mia")],
        )
        .await;
    assert_eq!(saved.status, 303);
    let (_, profile) = app
        .call(Method::GET, "/api/v1/profile", Some(&t.agent), None)
        .await;
    assert_eq!(profile["name"], "Mia Agent");
    assert_eq!(profile["display_name"], "Mia");
    let bad = v
        .post(
            &format!("{base}/availability"),
            &[("_csrf", &csrf), ("availability", "asleep")],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("is not valid"));
    let busy = v
        .post(
            &format!("{base}/availability"),
            &[("_csrf", &csrf), ("availability", "busy")],
        )
        .await;
    assert_eq!(busy.status, 303);
    let (_, profile) = app
        .call(Method::GET, "/api/v1/profile", Some(&t.agent), None)
        .await;
    assert_eq!(profile["accounts"][0]["availability"], "busy", "{profile}");
    let wrong = v
        .post(
            &format!("{base}/password"),
            &[
                ("_csrf", &csrf),
                ("current_password", "nope"),
                ("password", "N3w-Passw0rd!"),
                ("password_confirmation", "N3w-Passw0rd!"),
            ],
        )
        .await;
    assert_eq!(wrong.status, 422);
    assert!(wrong.body.contains("Invalid current password"));
    let mismatch = v
        .post(
            &format!("{base}/password"),
            &[
                ("_csrf", &csrf),
                ("current_password", PASSWORD),
                ("password", "N3w-Passw0rd!"),
                ("password_confirmation", "other"),
            ],
        )
        .await;
    assert_eq!(mismatch.status, 422);
    assert!(
        mismatch.body.contains("doesn&#39;t match") || mismatch.body.contains("doesn't match"),
        "{}",
        mismatch.body
    );
    assert_eq!(app.count("user_sessions"), 2, "nothing changed yet");
    let changed = v
        .post(
            &format!("{base}/password"),
            &[
                ("_csrf", &csrf),
                ("current_password", PASSWORD),
                ("password", "N3w-Passw0rd!"),
                ("password_confirmation", "N3w-Passw0rd!"),
            ],
        )
        .await;
    assert_eq!(changed.status, 303, "{}", changed.body);
    let page = v.get(&format!("{base}?saved=password")).await;
    assert_eq!(page.status, 200, "this session stays signed in");
    assert!(page.body.contains("Password changed"));
    let gone = other_session.get(&base).await;
    assert_eq!(gone.status, 303, "the other session ended");
    let csrf = page.csrf();
    let reset = v.post(&format!("{base}/token"), &[("_csrf", &csrf)]).await;
    assert_eq!(reset.status, 303);
    let (status, _) = app
        .call(Method::GET, "/api/v1/profile", Some(&t.agent), None)
        .await;
    assert_eq!(status, 401, "the old token stopped working");
}

#[tokio::test]
async fn settings_are_for_administrators_and_validate_like_the_api() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let a = t.admin.account_id;
    let (status, inbox) = app
        .account_call(
            a,
            Method::POST,
            "/inboxes",
            &t.admin.token,
            Some(json!({"name": "Website", "channel": {"type": "web_widget", "website_url": "https://acme.example"}})),
        )
        .await;
    assert_eq!(status, 200, "{inbox}");
    let mut agent = Visitor::new(&app);
    agent.sign_in("agent@acme.test").await;
    let page = agent.get(&format!("/app/accounts/{a}/settings/labels")).await;
    assert_eq!(page.status, 404, "agents have no settings");
    let csrf = agent.csrf_of(&format!("/app/accounts/{a}/conversations")).await;
    let posted = agent
        .post(
            &format!("/app/accounts/{a}/settings/labels"),
            &[("_csrf", &csrf), ("title", "vip"), ("color", "#ff0000")],
        )
        .await;
    assert_eq!(posted.status, 404);
    assert_eq!(app.count("labels"), 0);
    let mut v = Visitor::new(&app);
    v.sign_in("admin@acme.test").await;
    let inboxes = v.get(&format!("/app/accounts/{a}/settings/inboxes")).await;
    assert_eq!(inboxes.status, 200);
    let token = inboxes_token(&inbox);
    assert!(
        inboxes.body.contains(&token),
        "the embed code names the website token"
    );
    assert!(inboxes.body.contains("/packs/js/sdk.js"));
    let base = format!("/app/accounts/{a}/settings");
    let csrf = v.csrf_of(&format!("{base}/labels")).await;
    let audits = app.count("audit_logs");
    let bad = v
        .post(
            &format!("{base}/labels"),
            &[("_csrf", &csrf), ("title", "vip"), ("color", "red")],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("value=\"vip\""), "typed values kept");
    let spaces = v
        .post(
            &format!("{base}/labels"),
            &[("_csrf", &csrf), ("title", "has space"), ("color", "#ff0000")],
        )
        .await;
    assert_eq!(spaces.status, 422);
    assert_eq!(app.count("labels"), 0);
    let ok = v
        .post(
            &format!("{base}/labels"),
            &[("_csrf", &csrf), ("title", "vip"), ("color", "#ff0000")],
        )
        .await;
    assert_eq!(ok.status, 303, "{}", ok.body);
    let dup = v
        .post(
            &format!("{base}/labels"),
            &[("_csrf", &csrf), ("title", "vip"), ("color", "#00ff00")],
        )
        .await;
    assert_eq!(dup.status, 422);
    assert!(dup.body.contains("already been taken"));
    assert_eq!(app.count("labels"), 1);
    assert_eq!(app.count("audit_logs"), audits + 1, "the creation is audited");
    let (_, labels) = app
        .account_call(a, Method::GET, "/labels", &t.admin.token, None)
        .await;
    let id = labels["payload"][0]["id"].as_i64().expect("label");
    let blank = v
        .post(
            &format!("{base}/canned_responses"),
            &[("_csrf", &csrf), ("short_code", "hi"), ("content", " ")],
        )
        .await;
    assert_eq!(blank.status, 422);
    assert!(blank.body.contains("Content can"));
    let canned = v
        .post(
            &format!("{base}/canned_responses"),
            &[
                ("_csrf", &csrf),
                ("short_code", "hi"),
                ("content", "Hello there!"),
            ],
        )
        .await;
    assert_eq!(canned.status, 303);
    let dup = v
        .post(
            &format!("{base}/canned_responses"),
            &[("_csrf", &csrf), ("short_code", "hi"), ("content", "x")],
        )
        .await;
    assert_eq!(dup.status, 422);
    assert_eq!(app.count("canned_responses"), 1);
    let forged = v.post(&format!("{base}/labels/{id}/delete"), &[]).await;
    assert_eq!(forged.status, 403);
    let deleted = v
        .post(&format!("{base}/labels/{id}/delete"), &[("_csrf", &csrf)])
        .await;
    assert_eq!(deleted.status, 303);
    assert_eq!(app.count("labels"), 0);
    let (_, id) = app.seed_conversation(&t).await;
    let page = v.get(&format!("/app/accounts/{a}/conversations/{id}")).await;
    assert!(
        page.body.contains("data-code=\"hi\""),
        "canned responses offered in the reply box"
    );
}

fn inboxes_token(inbox: &serde_json::Value) -> String {
    inbox["website_token"]
        .as_str()
        .expect("website token")
        .to_string()
}

#[tokio::test]
async fn help_center_editor_writes_previews_and_publishes() {
    let app = spawn_app().await;
    let t = crate::help_center_pages::seed(&app).await;
    let a = t.admin.account_id;
    let mut agent = Visitor::new(&app);
    agent.sign_in("agent@acme.test").await;
    assert_eq!(agent.get(&format!("/app/accounts/{a}/portals")).await.status, 404);
    let mut v = Visitor::new(&app);
    v.sign_in("admin@acme.test").await;
    let list = v.get(&format!("/app/accounts/{a}/portals")).await;
    assert_eq!(list.status, 200);
    assert!(list.body.contains("Download your invoice"), "{}", list.body);
    let base = format!("/app/accounts/{a}/portals/acme/articles");
    let form = v.get(&format!("{base}/new")).await;
    assert_eq!(form.status, 200);
    let csrf = form.csrf();
    let before = app.count("articles");
    let preview = v
        .post(
            &base,
            &[
                ("_csrf", &csrf),
                ("intent", "preview"),
                ("title", "Refunds"),
                ("content", "## How\n\nWrite to **us**."),
            ],
        )
        .await;
    assert_eq!(preview.status, 200);
    assert!(preview.body.contains("<strong>us</strong>"), "{}", preview.body);
    assert!(preview.body.contains("nothing has been saved"));
    assert_eq!(app.count("articles"), before, "a preview saves nothing");
    let blank = v
        .post(
            &base,
            &[
                ("_csrf", &csrf),
                ("intent", "publish"),
                ("title", " "),
                ("content", "x"),
            ],
        )
        .await;
    assert_eq!(blank.status, 422);
    assert!(blank.body.contains("Title can"));
    let empty = v
        .post(
            &base,
            &[
                ("_csrf", &csrf),
                ("intent", "publish"),
                ("title", "Refunds"),
                ("content", ""),
            ],
        )
        .await;
    assert_eq!(empty.status, 422);
    assert!(empty.body.contains("Content can"));
    let slug = v
        .post(
            &base,
            &[
                ("_csrf", &csrf),
                ("intent", "publish"),
                ("title", "Refunds"),
                ("slug", "a b"),
                ("content", "x"),
            ],
        )
        .await;
    assert_eq!(slug.status, 422);
    assert!(slug.body.contains("Slug is invalid"));
    assert_eq!(app.count("articles"), before, "nothing saved");
    let draft = v
        .post(
            &base,
            &[
                ("_csrf", &csrf),
                ("intent", "draft"),
                ("title", "Refunds"),
                ("slug", "refunds"),
                ("content", "## How\n\nWrite to **us**."),
            ],
        )
        .await;
    assert_eq!(draft.status, 303, "{}", draft.body);
    let edit = draft.location().to_string();
    let public = Visitor::new(&app).get("/hc/acme/articles/refunds").await;
    assert_eq!(public.status, 404, "drafts are not public");
    let published = v
        .post(
            &edit,
            &[
                ("_csrf", &csrf),
                ("intent", "publish"),
                ("title", "Refunds"),
                ("slug", "refunds"),
                ("content", "## How\n\nWrite to **us**."),
            ],
        )
        .await;
    assert_eq!(published.status, 303);
    let page = v.get(&edit).await;
    assert!(
        page.body.contains("/hc/acme/articles/refunds"),
        "links the public page"
    );
    let public = Visitor::new(&app).get("/hc/acme/articles/refunds").await;
    assert_eq!(public.status, 200);
    assert!(public.body.contains("Write to <strong>us</strong>"));
    let (_, audit) = app
        .account_call(a, Method::GET, "/audit_logs", &t.admin.token, None)
        .await;
    assert!(audit.to_string().contains("Article"), "audited");
    let forged = v
        .post(&edit, &[("intent", "archive"), ("title", "Refunds")])
        .await;
    assert_eq!(forged.status, 403);
}

#[tokio::test]
async fn an_invited_agent_sets_a_password_through_a_one_time_link() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let other = app.seed_team("Globex");
    let a = t.admin.account_id;
    let mut v = Visitor::new(&app);
    v.sign_in("admin@acme.test").await;
    let base = format!("/app/accounts/{a}/settings/agents");
    let csrf = v.csrf_of(&base).await;
    let bad = v
        .post(&base, &[("_csrf", &csrf), ("name", "Nia"), ("email", "not-mail")])
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("Email is invalid"));
    let users = app.count("users");
    let role = v
        .post(
            &base,
            &[
                ("_csrf", &csrf),
                ("name", "Nia"),
                ("email", "nia@acme.test"),
                ("role", "owner"),
            ],
        )
        .await;
    assert_eq!(role.status, 422);
    assert_eq!(app.count("users"), users, "nothing saved");
    let invited = v
        .post(
            &base,
            &[
                ("_csrf", &csrf),
                ("name", "Nia"),
                ("email", "nia@acme.test"),
                ("role", "agent"),
            ],
        )
        .await;
    assert_eq!(invited.status, 200, "{}", invited.body);
    let marker = "id=\"set-password-link\">";
    let start = invited.body.find(marker).expect("a link is shown") + marker.len();
    let link = invited.body[start..]
        .split('<')
        .next()
        .unwrap_or_default()
        .replace("&amp;", "&");
    let path = &link[link.find("/app/password").expect("path")..];
    let mut nia = Visitor::new(&app);
    let refused = nia.sign_in_attempt("nia@acme.test").await;
    assert_eq!(refused, 401, "no usable password yet");
    let form = nia.get(path).await;
    assert_eq!(form.status, 200);
    let ncsrf = form.csrf();
    let email = "nia@acme.test";
    let token = path.split("token=").nth(1).expect("token").to_string();
    let weak = nia
        .post(
            "/app/password",
            &[
                ("_csrf", &ncsrf),
                ("email", email),
                ("token", &token),
                ("password", "short"),
                ("password_confirmation", "short"),
            ],
        )
        .await;
    assert_eq!(weak.status, 422, "{}", weak.body);
    let set = nia
        .post(
            "/app/password",
            &[
                ("_csrf", &ncsrf),
                ("email", email),
                ("token", &token),
                ("password", PASSWORD),
                ("password_confirmation", PASSWORD),
            ],
        )
        .await;
    assert_eq!(set.status, 303, "{}", set.body);
    assert!(set.set_cookie("parlor_session").is_some(), "signed in");
    let again = Visitor::new(&app)
        .post(
            "/app/password",
            &[
                ("email", email),
                ("token", &token),
                ("password", PASSWORD),
                ("password_confirmation", PASSWORD),
            ],
        )
        .await;
    assert_eq!(again.status, 403, "the form's own token is needed");
    let mut reuse = Visitor::new(&app);
    let rcsrf = reuse.get(path).await.csrf();
    let spent = reuse
        .post(
            "/app/password",
            &[
                ("_csrf", &rcsrf),
                ("email", email),
                ("token", &token),
                ("password", "An0ther-pass!"),
                ("password_confirmation", "An0ther-pass!"),
            ],
        )
        .await;
    assert_eq!(spent.status, 401, "single use");
    let mut fresh = Visitor::new(&app);
    fresh.sign_in("nia@acme.test").await;
    let mut globex = Visitor::new(&app);
    globex.sign_in("admin@globex.test").await;
    let gbase = format!("/app/accounts/{}/settings/agents", other.admin.account_id);
    let gcsrf = globex.csrf_of(&gbase).await;
    let existing = globex
        .post(
            &gbase,
            &[
                ("_csrf", &gcsrf),
                ("name", "Admin"),
                ("email", "admin@acme.test"),
                ("role", "agent"),
            ],
        )
        .await;
    assert_eq!(existing.status, 200);
    assert!(
        !existing.body.contains("set-password-link"),
        "no link for someone who has a password"
    );
    let (_, list) = app
        .account_call(
            other.admin.account_id,
            Method::GET,
            "/agents",
            &other.admin.token,
            None,
        )
        .await;
    let acme_admin = list
        .as_array()
        .expect("agents")
        .iter()
        .find(|x| x["email"] == "admin@acme.test")
        .expect("added")["id"]
        .as_i64()
        .expect("id");
    let link = globex
        .post(&format!("{gbase}/{acme_admin}/link"), &[("_csrf", &gcsrf)])
        .await;
    assert_eq!(link.status, 404, "no takeover link for a confirmed user");
}

#[tokio::test]
async fn settings_teams_are_validated_and_audited() {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let a = t.admin.account_id;
    let mut v = Visitor::new(&app);
    v.sign_in("admin@acme.test").await;
    let base = format!("/app/accounts/{a}/settings/teams");
    let csrf = v.csrf_of(&base).await;
    let blank = v.post(&base, &[("_csrf", &csrf), ("name", "  ")]).await;
    assert_eq!(blank.status, 422);
    assert!(blank.body.contains("Name can"));
    let audits = app.count("audit_logs");
    let ok = v
        .post(
            &base,
            &[
                ("_csrf", &csrf),
                ("name", "Support"),
                ("description", "Front line"),
            ],
        )
        .await;
    assert_eq!(ok.status, 303);
    let dup = v.post(&base, &[("_csrf", &csrf), ("name", "SUPPORT")]).await;
    assert_eq!(dup.status, 422, "names are compared lower-cased");
    assert_eq!(app.count("teams"), 1);
    assert_eq!(app.count("audit_logs"), audits + 1);
    let (_, teams) = app
        .account_call(a, Method::GET, "/teams", &t.admin.token, None)
        .await;
    assert_eq!(teams[0]["name"], "support");
    let id = teams[0]["id"].as_i64().expect("id");
    let deleted = v.post(&format!("{base}/{id}/delete"), &[("_csrf", &csrf)]).await;
    assert_eq!(deleted.status, 303);
    assert_eq!(app.count("teams"), 0);
}
