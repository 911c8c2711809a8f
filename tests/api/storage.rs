//! Durability and concurrency against the real binary and the real database file.

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::json;

use crate::cable_client::{Cable, agent_identifier};
use crate::cli::{parlor, setup, stdout_json};
use crate::helpers::spawn_app;

/// A `parlor serve` child process on a free port.
struct Served {
    child: Child,
    base: String,
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

async fn serve(data_dir: &Path) -> Served {
    serve_with(data_dir, &[]).await
}

/// [`serve`] with extra environment settings.
async fn serve_with(data_dir: &Path, env: &[(&str, &str)]) -> Served {
    serve_on(data_dir, free_port(), env).await
}

/// [`serve_with`] on a given port (a restart keeps its address).
async fn serve_on(data_dir: &Path, port: u16, env: &[(&str, &str)]) -> Served {
    parlor::events::outgoing::install_crypto_provider();
    let child = Command::new(env!("CARGO_BIN_EXE_parlor"))
        .envs(env.iter().copied())
        .arg("--data-dir")
        .arg(data_dir)
        .args(["--bind", &format!("127.0.0.1:{port}"), "serve"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn parlor");
    let served = Served {
        child,
        base: format!("http://127.0.0.1:{port}"),
    };
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if reqwest::get(format!("{}/health", served.base))
            .await
            .is_ok_and(|r| r.status() == 200)
        {
            return served;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("parlor did not come up on {}", served.base);
}

impl Drop for Served {
    /// Never leave a server behind, even when an assertion fails.
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[tokio::test]
async fn data_survives_kill_9_and_cli_works_while_serving() {
    let dir = tempfile::tempdir().expect("dir");
    let mut server = serve(dir.path()).await;
    // Administrative commands run against the live data dir.
    let admin = stdout_json(&setup(dir.path(), "ada@acme.test", "Passw0rd!"));
    let app = stdout_json(&parlor(dir.path(), &["platform-app", "create", "--name", "Hub"]));
    parlor::events::outgoing::install_crypto_provider();
    let client = reqwest::Client::new();
    let platform_token = app["access_token"].as_str().expect("token");
    let created: serde_json::Value = client
        .post(format!("{}/platform/api/v1/accounts", server.base))
        .header("api_access_token", platform_token)
        .json(&json!({"name": "Written before the crash"}))
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("json");
    server.child.kill().expect("SIGKILL");
    server.child.wait().expect("reaped");

    let mut server = serve(dir.path()).await;
    let shown: serde_json::Value = client
        .get(format!(
            "{}/platform/api/v1/accounts/{}",
            server.base, created["id"]
        ))
        .header("api_access_token", platform_token)
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("json");
    assert_eq!(shown["name"], "Written before the crash");
    let profile = client
        .get(format!("{}/api/v1/profile", server.base))
        .header("api_access_token", admin["access_token"].as_str().expect("token"))
        .send()
        .await
        .expect("sent");
    assert_eq!(profile.status(), 200);
    server.child.kill().expect("kill");
    server.child.wait().expect("reaped");
}

#[tokio::test]
async fn sigterm_shuts_down_cleanly_and_checkpoints() {
    let dir = tempfile::tempdir().expect("dir");
    let mut server = serve(dir.path()).await;
    setup(dir.path(), "ada@acme.test", "Passw0rd!");
    let status = Command::new("kill")
        .args(["-TERM", &server.child.id().to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(20);
    let exit = loop {
        if let Some(exit) = server.child.try_wait().expect("wait") {
            break exit;
        }
        assert!(Instant::now() < deadline, "server did not stop on SIGTERM");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(exit.success(), "graceful exit, got {exit:?}");
    let wal = dir.path().join("parlor.sqlite3-wal");
    let wal_len = std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0);
    assert_eq!(wal_len, 0, "WAL checkpointed into the main file");
}

#[test]
fn a_newer_database_is_refused_untouched() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("parlor.sqlite3");
    {
        let conn = rusqlite::Connection::open(&path).expect("open");
        conn.execute_batch("PRAGMA user_version = 999; CREATE TABLE future (x);")
            .expect("prepare");
    }
    let output = parlor(dir.path(), &["platform-app", "create", "--name", "Hub"]);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("newer than this Parlor"), "{stderr}");
    let conn = rusqlite::Connection::open(&path).expect("open");
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .expect("version");
    let tables: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'",
            [],
            |r| r.get(0),
        )
        .expect("tables");
    assert_eq!((version, tables), (999, 1));
}

#[tokio::test]
async fn concurrent_writes_all_succeed() {
    let app = spawn_app().await;
    let seeded = app.seed_account("Acme", "admin@acme.test");
    let (_, platform) = app.seed_platform_app("hub");
    let mut tasks = Vec::new();
    for i in 0..60 {
        let client = app.client.clone();
        let base = app.address.clone();
        let (path, token, body) = if i % 2 == 0 {
            (
                "/platform/api/v1/accounts".to_string(),
                platform.clone(),
                json!({"name": format!("Account {i}")}),
            )
        } else {
            (
                "/api/v1/profile".to_string(),
                seeded.token.clone(),
                json!({"profile": {"message_signature": format!("sig {i}")}}),
            )
        };
        let method = if i % 2 == 0 { Method::POST } else { Method::PUT };
        tasks.push(tokio::spawn(async move {
            client
                .request(method, format!("{base}{path}"))
                .header("api_access_token", token)
                .json(&body)
                .send()
                .await
                .expect("sent")
                .status()
                .as_u16()
        }));
    }
    let statuses: Vec<u16> = futures::future::join_all(tasks)
        .await
        .into_iter()
        .map(|r| r.expect("task"))
        .collect();
    assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
    assert_eq!(app.count("accounts"), 31);
}

#[tokio::test]
async fn an_event_in_flight_at_kill_9_is_delivered_after_restart_with_the_same_id() {
    let dir = tempfile::tempdir().expect("dir");
    let admin = stdout_json(&setup(dir.path(), "ada@acme.test", "Passw0rd!"));
    let token = admin["access_token"].as_str().expect("token").to_string();
    let account = admin["account_id"].as_i64().expect("account");
    let receiver = crate::receiver::Receiver::start().await;
    receiver.delay(Duration::from_secs(30));
    let private = [("PARLOR_ALLOW_PRIVATE_WEBHOOKS", "true")];
    let mut server = serve_with(dir.path(), &private).await;
    parlor::events::outgoing::install_crypto_provider();
    let client = reqwest::Client::new();
    let post = |base: &str, rest: &str, body: serde_json::Value| {
        client
            .post(format!("{base}/api/v1/accounts/{account}{rest}"))
            .header("api_access_token", &token)
            .json(&body)
            .send()
    };
    let created = post(
        &server.base,
        "/webhooks",
        json!({"url": receiver.url, "subscriptions": ["contact_created"]}),
    )
    .await
    .expect("webhook");
    assert_eq!(created.status(), 200);
    let contact = post(
        &server.base,
        "/contacts",
        json!({"name": "Jo", "email": "jo@x.test"}),
    )
    .await
    .expect("contact");
    assert_eq!(contact.status(), 200);
    // The receiver has the request and has not answered: the delivery is in flight.
    let first = receiver.event("contact_created").await;
    server.child.kill().expect("kill -9");
    server.child.wait().expect("reaped");
    receiver.delay(Duration::ZERO);

    let _restarted = serve_with(dir.path(), &private).await;
    let mut same = 0;
    for _ in 0..200 {
        same = receiver
            .received()
            .iter()
            .filter(|r| r.header("x-chatwoot-delivery") == first.header("x-chatwoot-delivery"))
            .count();
        if same >= 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(same, 2, "delivered again after the restart, with the same id");
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        receiver.received().len(),
        2,
        "and not a third time once acknowledged"
    );
}

#[tokio::test]
async fn live_sockets_subscribe_again_after_a_restart() {
    let dir = tempfile::tempdir().expect("dir");
    let port = free_port();
    let server = serve_on(dir.path(), port, &[]).await;
    let admin = stdout_json(&setup(dir.path(), "ada@acme.test", "Passw0rd!"));
    let token = admin["access_token"].as_str().expect("token").to_string();
    let (account_id, user_id) = (
        admin["account_id"].as_i64().expect("account"),
        admin["user_id"].as_i64().expect("user"),
    );
    let client = reqwest::Client::new();
    let base = server.base.clone();
    let call = |method: Method, path: String, body: serde_json::Value| {
        let request = client
            .request(method, format!("{base}{path}"))
            .header("api_access_token", &token)
            .json(&body);
        async move {
            let response = request.send().await.expect("sent");
            assert!(response.status().is_success(), "{}", response.status());
            response.json::<serde_json::Value>().await.expect("json")
        }
    };
    let inbox = call(
        Method::POST,
        format!("/api/v1/accounts/{account_id}/inboxes"),
        json!({"name": "API", "channel": {"type": "api"}}),
    )
    .await;
    let public = format!(
        "/public/api/v1/inboxes/{}",
        inbox["inbox_identifier"].as_str().expect("identifier")
    );
    let contact = call(Method::POST, format!("{public}/contacts"), json!({"name": "Jo"})).await;
    let source = contact["source_id"].as_str().expect("source").to_string();
    let conversation = call(
        Method::POST,
        format!("{public}/contacts/{source}/conversations"),
        json!({}),
    )
    .await;
    let messages = format!(
        "{public}/contacts/{source}/conversations/{}/messages",
        conversation["id"]
    );
    let profile = call(Method::GET, "/api/v1/profile".into(), json!(null)).await;
    let identifier = agent_identifier(
        profile["pubsub_token"].as_str().expect("pubsub"),
        account_id,
        user_id,
    );
    let protocols = Some("actioncable-v1-json, actioncable-unsupported");
    let mut cable = Cable::open_at(&server.base, protocols).await;
    assert_eq!(cable.next_frame().await, json!({"type": "welcome"}));
    cable.subscribe_confirmed(&identifier).await;

    drop(server);
    // The socket ends with the process; the client then reconnects, as ActionCable's monitor does.
    loop {
        let frame = cable.next_frame().await;
        if frame.is_null() {
            break;
        }
    }
    let server = serve_on(dir.path(), port, &[]).await;
    let mut again = Cable::open_at(&server.base, protocols).await;
    assert_eq!(again.next_frame().await, json!({"type": "welcome"}));
    again.subscribe_confirmed(&identifier).await;
    call(Method::POST, messages, json!({"content": "still there?"})).await;
    let (message, _) = again.until_event("message.created").await;
    assert_eq!(message["data"]["content"], "still there?");
    drop(server);
}
