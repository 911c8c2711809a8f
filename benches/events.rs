//! Event benchmark: message creation at 64 concurrent clients with no webhook, then with three
//! webhooks subscribed to `message_created` (a local receiver answering 200), in ABBA order so
//! drift on this shared machine and the growing database hit both alike. The target: with webhooks, at least 80%
//! of the throughput without.
//!
//! Run: `cargo bench --bench events` (PARLOR_BENCH_REQUESTS sets messages per round).

use std::time::{Duration, Instant};

use actix_web::{App, HttpResponse, HttpServer, web};
use parlor::config::Config;
use parlor::db::access_tokens::{self, OwnerType};
use parlor::db::account_users::{self, Role};
use parlor::db::accounts;
use parlor::error::ApiError;
use parlor::services::users::{NewUser, create};
use parlor::startup::Application;
use serde_json::{Value, json};

mod support;
use support::{CONCURRENCY, env_number, print_memory};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Conversations the messages rotate over (Chatwoot's flood limit is 200 per conversation
/// per minute).
const CONVERSATIONS: usize = 512;

/// POST `total` messages from `CONCURRENCY` clients; returns requests per second and p99 ms.
async fn post_messages(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    ids: &[i64],
    total: usize,
) -> (f64, f64) {
    let started = Instant::now();
    let per_client = total / CONCURRENCY;
    let mut tasks = Vec::new();
    for worker in 0..CONCURRENCY {
        let (client, base, token, ids) = (client.clone(), base.to_string(), token.to_string(), ids.to_vec());
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::with_capacity(per_client);
            for i in 0..per_client {
                let id = ids[(worker * per_client + i) % ids.len()];
                let t = Instant::now();
                let response = client
                    .post(format!("{base}/conversations/{id}/messages"))
                    .header("api_access_token", &token)
                    .json(&json!({"content": format!("reply {worker}-{i}"), "message_type": "outgoing"}))
                    .send()
                    .await
                    .expect("request");
                assert!(response.status().is_success(), "{}", response.status());
                response.bytes().await.expect("body");
                latencies.push(t.elapsed());
            }
            latencies
        }));
    }
    let mut all: Vec<Duration> = Vec::new();
    for task in tasks {
        all.extend(task.await.expect("worker"));
    }
    all.sort();
    let p99 = all[((all.len() as f64 * 0.99) as usize).min(all.len() - 1)].as_secs_f64() * 1000.0;
    (all.len() as f64 / started.elapsed().as_secs_f64(), p99)
}

fn main() {
    let requests = env_number("PARLOR_BENCH_REQUESTS", 3200.0) as usize;
    let dir = tempfile::tempdir().expect("temp dir");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async move {
        let mut config = Config::for_data_dir(dir.path().to_path_buf());
        config.allow_private_webhooks = true;
        let app = Application::build(config).expect("server");
        let token = app
            .state
            .db
            .write_sync(|tx| -> Result<String, ApiError> {
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
            .expect("account");
        let base = format!("http://127.0.0.1:{}/api/v1/accounts/1", app.port);
        tokio::spawn(app.run_until_stopped());
        parlor::events::outgoing::install_crypto_provider();
        let client = reqwest::Client::builder()
            .pool_max_idle_per_host(CONCURRENCY)
            .build()
            .expect("client");
        let post = |path: &str, body: Value| {
            let request = client
                .post(format!("{base}{path}"))
                .header("api_access_token", &token)
                .json(&body);
            async move {
                request
                    .send()
                    .await
                    .expect("setup request")
                    .json::<Value>()
                    .await
                    .expect("json")
            }
        };
        let inbox = post("/inboxes", json!({"name": "API", "channel": {"type": "api"}})).await;
        let contact = post("/contacts", json!({"name": "Jo", "email": "jo@bench.test"})).await;
        let mut ids = Vec::new();
        for _ in 0..CONVERSATIONS {
            let conversation = post(
                "/conversations",
                json!({"inbox_id": inbox["id"],
                "contact_id": contact["payload"]["contact"]["id"], "source_id": null}),
            )
            .await;
            ids.push(conversation["id"].as_i64().expect("conversation id"));
        }

        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let receiver = format!(
            "http://127.0.0.1:{}/",
            listener.local_addr().expect("addr").port()
        );
        let server = HttpServer::new(|| App::new().default_service(web::to(HttpResponse::Ok)))
            .workers(1)
            .listen(listener)
            .expect("listen")
            .run();
        tokio::spawn(server);

        post_messages(&client, &base, &token, &ids, CONCURRENCY * 8).await; // warm-up
        let mut without = Vec::new();
        let mut with = Vec::new();
        let mut hooks: Vec<i64> = Vec::new();
        // ABBA order (none, webhooks, webhooks, none): the database grows with every round,
        // so a plain alternation would hand the later, slower slots to one side.
        for round in 0..4 {
            let subscribed = round == 1 || round == 2;
            if subscribed && hooks.is_empty() {
                for n in 0..3 {
                    let hook = post(
                        "/webhooks",
                        json!({"url": format!("{receiver}{n}"), "subscriptions": ["message_created"]}),
                    )
                    .await;
                    hooks.push(hook["payload"]["webhook"]["id"].as_i64().expect("webhook"));
                }
            } else if !subscribed && !hooks.is_empty() {
                for id in hooks.drain(..) {
                    client
                        .delete(format!("{base}/webhooks/{id}"))
                        .header("api_access_token", &token)
                        .send()
                        .await
                        .expect("delete");
                }
            }
            let (rate, p99) = post_messages(&client, &base, &token, &ids, requests).await;
            let label = if subscribed { "3 webhooks" } else { "no webhook" };
            println!("POST messages, {label:<11} {requests:>6} req  {rate:>7.0} req/s  p99 {p99:>6.1} ms");
            if subscribed {
                with.push(rate)
            } else {
                without.push(rate)
            }
        }
        let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
        println!(
            "throughput with 3 webhooks / without: {:.2}",
            mean(&with) / mean(&without)
        );
        // Let the dispatcher finish, then count what it delivered.
        tokio::time::sleep(Duration::from_secs(3)).await;
        print_memory("after the rounds");
    });
}
