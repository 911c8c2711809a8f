//! The survey page in headless Chromium through chromedriver (plain W3C WebDriver over HTTP),
//! with and without JavaScript. Screenshots go to `target/screenshots/`.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine;
use serde_json::{Value, json};

use crate::helpers::spawn_app;
use crate::survey_page::survey_path;

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

pub(crate) struct Driver {
    child: Child,
    base: String,
    session: String,
    client: reqwest::Client,
    _profile: tempfile::TempDir,
    /// One browser at a time: several Chromiums on two cores make every page wait slow.
    _turn: tokio::sync::OwnedMutexGuard<()>,
}

/// Whose turn it is to drive a browser (held by a [`Driver`] for its life).
static BROWSER_TURN: std::sync::LazyLock<std::sync::Arc<tokio::sync::Mutex<()>>> =
    std::sync::LazyLock::new(Default::default);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Start chromedriver and a session, or `None` when Chromium is not installed outside CI.
pub(crate) async fn driver(javascript: bool) -> Option<Driver> {
    driver_sized(javascript, None).await
}

/// [`driver`] with the viewport of a phone `width` CSS pixels wide (device emulation: headless
/// Chromium does not shrink a window below ~500 px).
pub(crate) async fn driver_sized(javascript: bool, width: Option<u32>) -> Option<Driver> {
    let installed = ["/usr/bin/chromium", "/usr/bin/chromedriver"]
        .iter()
        .all(|p| std::path::Path::new(p).exists());
    if !installed {
        assert!(
            std::env::var("CI").is_err(),
            "CI must run the browser tests: install chromium and chromium-driver"
        );
        eprintln!("skipping browser test: chromium/chromedriver not installed (.ci/run installs them)");
        return None;
    }
    let turn = std::sync::Arc::clone(&BROWSER_TURN).lock_owned().await;
    let port = TcpListener::bind("127.0.0.1:0")
        .expect("port")
        .local_addr()
        .expect("addr")
        .port();
    let child = Command::new("/usr/bin/chromedriver")
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver");
    let profile = tempfile::tempdir().expect("profile");
    parlor::events::outgoing::install_crypto_provider();
    // A WebDriver call that never answers (a click that submits under emulation) fails the
    // test instead of hanging it.
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(60))
        .build()
        .expect("client");
    let base = format!("http://127.0.0.1:{port}");
    let deadline = Instant::now() + Duration::from_secs(20);
    while client.get(format!("{base}/status")).send().await.is_err() {
        assert!(Instant::now() < deadline, "chromedriver did not start");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let mut prefs = json!({});
    if !javascript {
        prefs = json!({"profile.managed_default_content_settings.javascript": 2});
    }
    let caps = json!({"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:loggingPrefs": {"browser": "ALL"}, "goog:chromeOptions": {
        "binary": "/usr/bin/chromium",
        "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--window-size=360,800", format!("--user-data-dir={}", profile.path().display())],
        "prefs": prefs,
    }}}});
    let mut caps = caps;
    if let Some(width) = width {
        caps["capabilities"]["alwaysMatch"]["goog:chromeOptions"]["mobileEmulation"] =
            json!({"deviceMetrics": {"width": width, "height": 844, "pixelRatio": 1}});
    }
    let created: Value = client
        .post(format!("{base}/session"))
        .json(&caps)
        .send()
        .await
        .expect("session")
        .json()
        .await
        .expect("json");
    let session = created["value"]["sessionId"]
        .as_str()
        .unwrap_or_else(|| panic!("no session: {created}"))
        .to_string();
    Some(Driver {
        child,
        base,
        session,
        client,
        _profile: profile,
        _turn: turn,
    })
}

impl Driver {
    pub(crate) async fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let url = format!("{}/session/{}{path}", self.base, self.session);
        let mut request = self.client.request(method, url);
        if let Some(body) = body {
            request = request.json(&body);
        }
        request
            .send()
            .await
            .expect("webdriver")
            .json::<Value>()
            .await
            .expect("json")["value"]
            .clone()
    }

    pub(crate) async fn open(&self, url: &str) {
        self.call(reqwest::Method::POST, "/url", Some(json!({"url": url})))
            .await;
    }

    /// Whether `css` matches an element now (no waiting).
    pub(crate) async fn exists(&self, css: &str) -> bool {
        let found = self
            .call(
                reqwest::Method::POST,
                "/element",
                Some(json!({"using": "css selector", "value": css})),
            )
            .await;
        found[ELEMENT].is_string()
    }

    pub(crate) async fn find(&self, css: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let found = self
                .call(
                    reqwest::Method::POST,
                    "/element",
                    Some(json!({"using": "css selector", "value": css})),
                )
                .await;
            if let Some(id) = found[ELEMENT].as_str() {
                return id.to_string();
            }
            assert!(Instant::now() < deadline, "no element {css}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub(crate) async fn click(&self, css: &str) {
        let id = self.find(css).await;
        self.call(
            reqwest::Method::POST,
            &format!("/element/{id}/click"),
            Some(json!({})),
        )
        .await;
    }

    pub(crate) async fn type_into(&self, css: &str, text: &str) {
        let id = self.find(css).await;
        self.call(
            reqwest::Method::POST,
            &format!("/element/{id}/value"),
            Some(json!({"text": text})),
        )
        .await;
    }

    pub(crate) async fn wait_for_text(&self, text: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let source = self
                .call(reqwest::Method::GET, "/source", None)
                .await
                .as_str()
                .unwrap_or_default()
                .to_string();
            if source.contains(text) {
                return source;
            }
            assert!(Instant::now() < deadline, "page never showed {text:?}: {source}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub(crate) async fn screenshot(&self, name: &str) {
        let png = self.call(reqwest::Method::GET, "/screenshot", None).await;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(png.as_str().expect("png"))
            .expect("base64");
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
        std::fs::create_dir_all(&dir).expect("dir");
        std::fs::write(dir.join(format!("{name}.png")), bytes).expect("write");
    }

    /// End the WebDriver session so chromedriver closes Chromium (killing chromedriver alone
    /// would leave the browser processes running).
    pub(crate) async fn quit(self) {
        let url = format!("{}/session/{}", self.base, self.session);
        let _ = self.client.delete(url).send().await;
    }

    pub(crate) async fn console_errors(&self) -> Vec<String> {
        let logs = self
            .call(reqwest::Method::POST, "/se/log", Some(json!({"type": "browser"})))
            .await;
        logs.as_array()
            .cloned()
            .unwrap_or_default()
            .iter()
            .filter(|l| l["level"] == "SEVERE")
            .map(|l| l["message"].as_str().unwrap_or_default().to_string())
            .collect()
    }
}

async fn rate_in_browser(javascript: bool) {
    let app = spawn_app().await;
    let t = app.seed_team("Acme");
    let path = survey_path(&app, &t, json!({"message": "How did **we** do?"})).await;
    let Some(driver) = driver(javascript).await else {
        return;
    };
    let url = format!("{}{path}", app.address);
    driver.open(&url).await;
    driver.wait_for_text("Rate your conversation").await;
    let mode = if javascript { "js" } else { "nojs" };
    driver.screenshot(&format!("survey-{mode}-1-rate")).await;
    driver.click("button[name=rating][value='5']").await;
    driver.wait_for_text("Thank you for submitting the rating").await;
    driver.type_into("#feedback", "Lovely service").await;
    driver.click("button.send").await;
    let source = driver.wait_for_text("Thank you for your feedback").await;
    assert!(source.contains("Lovely service"));
    driver.screenshot(&format!("survey-{mode}-2-done")).await;
    assert_eq!(
        driver.console_errors().await,
        Vec::<String>::new(),
        "no console errors"
    );
    driver.quit().await;
    let stored: (i64, String) = app
        .state
        .db
        .read_sync(|c| {
            Ok(c.query_row(
                "SELECT rating, feedback_message FROM csat_survey_responses",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?)
        })
        .expect("row");
    assert_eq!(stored, (5, "Lovely service".to_string()));
}

#[tokio::test]
async fn survey_with_javascript() {
    rate_in_browser(true).await;
}

#[tokio::test]
async fn survey_without_javascript() {
    rate_in_browser(false).await;
}

impl Driver {
    /// Run a script in the page and return its value.
    pub(crate) async fn script(&self, source: &str) -> Value {
        self.call(
            reqwest::Method::POST,
            "/execute/sync",
            Some(json!({"script": source, "args": []})),
        )
        .await
    }
}

/// Home, category, article and search pages of the help center in both themes at phone width:
/// no console errors, nothing loaded from elsewhere, nothing wider than the window (headless
/// Chromium keeps a minimum window width near 500 px, so the 360 px check is still to do).
#[tokio::test]
async fn help_center_in_the_browser() {
    let app = spawn_app().await;
    crate::help_center_pages::seed(&app).await;
    let Some(driver) = driver(true).await else {
        return;
    };
    let pages = [
        ("home", "/hc/acme/en", "How can we help?"),
        (
            "category",
            "/hc/acme/en/categories/billing",
            "Invoices and payments",
        ),
        (
            "article",
            "/hc/acme/articles/download-invoice",
            "Where to find it",
        ),
        (
            "search",
            "/hc/acme/en/search?query=invoice",
            "Download your invoice",
        ),
    ];
    for theme in ["light", "dark"] {
        for (name, path, text) in pages {
            let sep = if path.contains('?') { '&' } else { '?' };
            driver
                .open(&format!("{}{path}{sep}theme={theme}", app.address))
                .await;
            driver.wait_for_text(text).await;
            driver.screenshot(&format!("portal-{theme}-{name}")).await;
            let background = driver
                .script("return getComputedStyle(document.body).backgroundColor")
                .await;
            let dark = background == "rgb(13, 17, 23)";
            assert_eq!(dark, theme == "dark", "{name} in {theme}: {background}");
            let resources = driver
                .script("return performance.getEntriesByType('resource').map(e => e.name)")
                .await;
            for url in resources.as_array().cloned().unwrap_or_default() {
                let url = url.as_str().unwrap_or_default();
                assert!(
                    url.starts_with(&app.address),
                    "{name} loaded {url} from elsewhere"
                );
            }
            let width = driver
                .script("return document.documentElement.scrollWidth - window.innerWidth")
                .await;
            assert!(
                width.as_i64().is_some_and(|w| w <= 0),
                "{name} scrolls sideways by {width}px"
            );
        }
    }
    driver
        .open(&format!("{}/hc/acme/articles/download-invoice", app.address))
        .await;
    driver.click("button[name=helpful][value=true]").await;
    driver.wait_for_text("Thank you for your feedback").await;
    assert_eq!(
        driver.console_errors().await,
        Vec::<String>::new(),
        "no console errors"
    );
    driver.quit().await;
}
