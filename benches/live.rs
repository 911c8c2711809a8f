//! Live benchmark (issue #14): 2,000 agent sockets subscribed to one account on `/cable` while
//! 64 clients post incoming messages through the Client API. The server runs as its own
//! process (the built `parlor` binary) so its resident memory is its own.
//!
//! Reports, all from the same run:
//! - the POST rate and p99 with no socket connected (the baseline) and with 2,000 sockets,
//!   and their ratio;
//! - delivery latency from the POST being sent to `message.created` arriving on a socket
//!   (p50 / p99, measured on 16 of the sockets, which parse every frame), first at a paced
//!   offered load (PARLOR_BENCH_PACED_RATE messages/s, default 25: 50,000 frames/s to 2,000
//!   sockets), then with the 64 clients posting as fast as they are answered (saturation:
//!   there latency is queueing);
//! - frames delivered to the 2,000 sockets against the frames expected (nothing dropped);
//! - the server's resident memory before the sockets, with the sockets idle (per socket), and
//!   at its peak under load.
//!
//! Run: `cargo bench --bench live` (PARLOR_BENCH_SOCKETS, PARLOR_BENCH_MESSAGES to change sizes).

use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;

mod support;
use support::{CONCURRENCY, env_number};

/// Sockets that parse every frame and time deliveries; the rest only count them.
const MEASURING: usize = 16;

struct Server {
    child: Child,
    base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn resident_kib(pid: u32) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse().ok())
        .unwrap_or(0.0)
}

async fn start_server(dir: &std::path::Path) -> Server {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    let child = Command::new(env!("CARGO_BIN_EXE_parlor"))
        .arg("--data-dir")
        .arg(dir)
        .args([
            "--bind",
            &format!("127.0.0.1:{port}"),
            "--public-rate-limit",
            "100000000",
            "--bcrypt-cost",
            "4",
            "serve",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn parlor (cargo bench builds it)");
    let server = Server {
        child,
        base: format!("http://127.0.0.1:{port}"),
    };
    for _ in 0..400 {
        if reqwest::get(format!("{}/health", server.base))
            .await
            .is_ok_and(|r| r.status() == 200)
        {
            return server;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("parlor did not start");
}

/// Seed an account, an administrator and a token straight into the database before the
/// server process opens it.
fn seed(dir: &std::path::Path) -> String {
    use parlor::db::access_tokens::{self, OwnerType};
    use parlor::db::account_users::{self, Role};
    use parlor::db::accounts;
    use parlor::services::users::{NewUser, create};
    let config = parlor::config::Config::for_data_dir(dir.to_path_buf());
    let db = parlor::startup::open_database(&config).expect("database");
    db.write_sync(|tx| -> Result<String, parlor::error::ApiError> {
        let account = accounts::insert(tx, &accounts::new_account("Bench"))?;
        let user = create(
            tx,
            NewUser {
                name: "Admin".into(),
                email: "admin@bench.test".into(),
                ..NewUser::default()
            },
        )?;
        account_users::upsert(tx, account.id, user.id, Role::Administrator, None)?;
        Ok(access_tokens::token_of(tx, OwnerType::User, user.id)?.unwrap_or_default())
    })
    .expect("seed")
}

fn micros_since(origin: Instant) -> u64 {
    u64::try_from(origin.elapsed().as_micros()).unwrap_or(u64::MAX)
}

/// POST `per_client` messages from each of `CONCURRENCY` contacts as fast as they are
/// answered; returns (rate, p99 ms).
async fn post_all(
    client: &reqwest::Client,
    paths: &[String],
    per_client: usize,
    origin: Instant,
) -> (f64, f64) {
    post_paced(client, paths, per_client, origin, None).await
}

/// [`post_all`], each client waiting `gap` between its messages when given (an offered load
/// below saturation, where delivery latency is not queueing).
async fn post_paced(
    client: &reqwest::Client,
    paths: &[String],
    per_client: usize,
    origin: Instant,
    gap: Option<Duration>,
) -> (f64, f64) {
    let started = Instant::now();
    let mut tasks = Vec::new();
    for (n, path) in paths.iter().enumerate() {
        let (client, path) = (client.clone(), path.clone());
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::with_capacity(per_client);
            if let Some(gap) = gap {
                // Spread the clients over one gap so the offered load is even.
                tokio::time::sleep(gap.mul_f64(n as f64 / CONCURRENCY as f64)).await;
            }
            for _ in 0..per_client {
                if let Some(gap) = gap {
                    tokio::time::sleep(gap).await;
                }
                let t = Instant::now();
                let content = format!("t={}", micros_since(origin));
                let response = client
                    .post(&path)
                    .json(&json!({"content": content}))
                    .send()
                    .await
                    .expect("post");
                assert!(response.status().is_success(), "{}", response.status());
                response.bytes().await.expect("body");
                latencies.push(t.elapsed());
            }
            latencies
        }));
    }
    let mut all = Vec::new();
    for task in tasks {
        all.extend(task.await.expect("client"));
    }
    all.sort();
    let p99 = all[((all.len() as f64 * 0.99) as usize).min(all.len() - 1)].as_secs_f64() * 1000.0;
    (all.len() as f64 / started.elapsed().as_secs_f64(), p99)
}

fn percentile(sorted: &[u64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[((sorted.len() as f64 * p) as usize).min(sorted.len() - 1)] as f64 / 1000.0
}

fn main() {
    let sockets = env_number("PARLOR_BENCH_SOCKETS", 2000.0) as usize;
    let per_client = env_number("PARLOR_BENCH_MESSAGES", 20.0) as usize;
    let dir = tempfile::tempdir().expect("temp dir");
    let token = seed(dir.path());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async move {
        parlor::events::outgoing::install_crypto_provider();
        let server = start_server(dir.path()).await;
        let pid = server.child.id();
        let client = reqwest::Client::builder()
            .pool_max_idle_per_host(CONCURRENCY)
            .build()
            .expect("client");
        let api = format!("{}/api/v1/accounts/1", server.base);
        let inbox: Value = client
            .post(format!("{api}/inboxes"))
            .header("api_access_token", &token)
            .json(&json!({"name": "API", "channel": {"type": "api"}}))
            .send()
            .await
            .expect("inbox")
            .json()
            .await
            .expect("json");
        let identifier = inbox["inbox_identifier"].as_str().expect("identifier").to_string();
        let public = format!("{}/public/api/v1/inboxes/{identifier}", server.base);
        let mut paths = Vec::new();
        for n in 0..CONCURRENCY {
            let contact: Value = client
                .post(format!("{public}/contacts"))
                .json(&json!({"name": format!("Visitor {n}")}))
                .send()
                .await
                .expect("contact")
                .json()
                .await
                .expect("json");
            let source = contact["source_id"].as_str().expect("source").to_string();
            let conversation: Value = client
                .post(format!("{public}/contacts/{source}/conversations"))
                .json(&json!({}))
                .send()
                .await
                .expect("conversation")
                .json()
                .await
                .expect("json");
            paths.push(format!(
                "{public}/contacts/{source}/conversations/{}/messages",
                conversation["id"]
            ));
        }
        let profile: Value = client
            .get(format!("{}/api/v1/profile", server.base))
            .header("api_access_token", &token)
            .send()
            .await
            .expect("profile")
            .json()
            .await
            .expect("json");
        let identifier = json!({"channel": "RoomChannel", "pubsub_token": profile["pubsub_token"],
                                "account_id": 1, "user_id": profile["id"]})
        .to_string();

        let origin = Instant::now();
        post_all(&client, &paths, 4, origin).await; // warm-up
        let (base_rate, base_p99) = post_all(&client, &paths, per_client, origin).await;
        tokio::time::sleep(Duration::from_secs(1)).await;
        let rss_before = resident_kib(pid);

        // Connect the sockets and wait for every confirmation.
        let ws_url = format!("{}/cable", server.base.replacen("http://", "ws://", 1));
        let received = Arc::new(AtomicU64::new(0));
        let latencies = Arc::new(std::sync::Mutex::new(Vec::<u64>::new()));
        let (confirmed_tx, mut confirmed_rx) = tokio::sync::mpsc::channel::<()>(sockets);
        let connect_started = Instant::now();
        for n in 0..sockets {
            let (url, identifier) = (ws_url.clone(), identifier.clone());
            let (received, latencies, confirmed) = (received.clone(), latencies.clone(), confirmed_tx.clone());
            let measuring = n < MEASURING;
            tokio::spawn(async move {
                let (mut ws, _) = tokio_tungstenite::connect_async(url.as_str()).await.expect("socket");
                ws.send(Message::text(json!({"command": "subscribe", "identifier": identifier}).to_string()))
                    .await
                    .expect("subscribe");
                while let Some(Ok(frame)) = ws.next().await {
                    let Message::Text(text) = frame else { continue };
                    if text.contains("confirm_subscription") {
                        let _ = confirmed.send(()).await;
                        continue;
                    }
                    if !text.contains("message.created") {
                        continue;
                    }
                    received.fetch_add(1, Ordering::Relaxed);
                    if measuring {
                        let value: Value = serde_json::from_str(text.as_str()).expect("json");
                        let sent = value["message"]["data"]["content"]
                            .as_str()
                            .and_then(|c| c.strip_prefix("t="))
                            .and_then(|t| t.parse::<u64>().ok());
                        if let Some(sent) = sent {
                            let now = micros_since(origin);
                            latencies
                                .lock()
                                .expect("latencies")
                                .push(now.saturating_sub(sent));
                        }
                    }
                }
            });
        }
        for _ in 0..sockets {
            confirmed_rx.recv().await.expect("confirmation");
        }
        println!(
            "{sockets} sockets connected and subscribed in {:.1} s",
            connect_started.elapsed().as_secs_f64()
        );
        tokio::time::sleep(Duration::from_secs(4)).await;
        let rss_idle = resident_kib(pid);

        let peak = Arc::new(AtomicU64::new(0));
        let sampler = {
            let peak = peak.clone();
            tokio::spawn(async move {
                loop {
                    peak.fetch_max(resident_kib(pid) as u64, Ordering::Relaxed);
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            })
        };
        // Paced first (latency at an offered load the machine sustains), then saturated.
        let paced_rate = env_number("PARLOR_BENCH_PACED_RATE", 25.0);
        let gap = Duration::from_secs_f64(CONCURRENCY as f64 / paced_rate);
        let paced_per_client = env_number("PARLOR_BENCH_PACED_MESSAGES", 10.0) as usize;
        let before = received.load(Ordering::Relaxed);
        post_paced(&client, &paths, paced_per_client, origin, Some(gap)).await;
        let paced_expected = (CONCURRENCY * paced_per_client * sockets) as u64;
        let deadline = Instant::now() + Duration::from_secs(30);
        while received.load(Ordering::Relaxed) - before < paced_expected && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let paced_delivered = received.load(Ordering::Relaxed) - before;
        let mut paced = std::mem::take(&mut *latencies.lock().expect("latencies"));
        paced.sort_unstable();

        let before = received.load(Ordering::Relaxed);
        let (live_rate, live_p99) = post_all(&client, &paths, per_client, origin).await;
        let expected = (CONCURRENCY * per_client * sockets) as u64;
        let deadline = Instant::now() + Duration::from_secs(30);
        while received.load(Ordering::Relaxed) - before < expected && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        sampler.abort();
        let delivered = received.load(Ordering::Relaxed) - before;
        let mut sorted = latencies.lock().expect("latencies").clone();
        sorted.sort_unstable();
        println!(
            "paced {paced_rate:.0} msg/s ({:.0} frames/s): delivery p50 {:.1} ms  p99 {:.1} ms  max {:.1} ms ({} samples); frames delivered {paced_delivered} of {paced_expected}",
            paced_rate * sockets as f64,
            percentile(&paced, 0.50),
            percentile(&paced, 0.99),
            percentile(&paced, 1.0),
            paced.len()
        );

        let messages = CONCURRENCY * per_client;
        println!("POST incoming messages, no socket     {messages:>6} msg  {base_rate:>7.0} msg/s  p99 {base_p99:>6.1} ms");
        println!("POST incoming messages, {sockets} sockets {messages:>6} msg  {live_rate:>7.0} msg/s  p99 {live_p99:>6.1} ms");
        println!("throughput with sockets / without: {:.2}", live_rate / base_rate);
        println!(
            "saturated: delivery POST → socket ({} samples on {MEASURING} sockets): p50 {:.1} ms  p99 {:.1} ms  max {:.1} ms",
            sorted.len(),
            percentile(&sorted, 0.50),
            percentile(&sorted, 0.99),
            percentile(&sorted, 1.0)
        );
        println!(
            "frames delivered {delivered} of {expected} ({:.0} frames/s to sockets)",
            delivered as f64 / (messages as f64 / live_rate)
        );
        println!(
            "server memory: {:.1} MiB before sockets, {:.1} MiB with {sockets} idle ({:.1} KiB per socket), peak under load {:.1} MiB",
            rss_before / 1024.0,
            rss_idle / 1024.0,
            (rss_idle - rss_before) / sockets as f64,
            peak.load(Ordering::Relaxed) as f64 / 1024.0
        );
    });
}
