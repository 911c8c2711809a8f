//! Load benchmark: generates an account with 100k contacts, 100k conversations and 1M messages
//! (scale with PARLOR_BENCH_SCALE, e.g. 0.1), serves it from the real server on loopback and
//! measures list-conversations and contact-search latency at 64 concurrent clients.
//!
//! Run: `cargo bench --bench load` (PARLOR_BENCH_REQUESTS sets requests per scenario).

use std::time::{Duration, Instant};

use parlor::config::Config;
use parlor::db::access_tokens::{self, OwnerType};
use parlor::db::account_users::{self, Role};
use parlor::db::accounts;
use parlor::error::ApiError;
use parlor::services::users::{NewUser, create};
use parlor::startup::Application;
use rusqlite::params;

mod support;
use support::{CONCURRENCY, Lcg, env_number, print_memory, scenario, wrk};

/// Same allocator as the `parlor` binary, so the numbers match production.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const FIRST_NAMES: &[&str] = &[
    "ada", "bob", "cyd", "dee", "eve", "fay", "gus", "hal", "ida", "jon", "kai", "lea",
];
const WORDS: &[&str] = &[
    "refund", "invoice", "shipping", "login", "password", "upgrade", "cancel", "thanks", "broken", "urgent",
];

/// Fill the database; returns the admin token.
fn generate(app: &Application, scale: f64) -> String {
    let contacts = (100_000.0 * scale) as i64;
    let conversations = (100_000.0 * scale) as i64;
    let messages_per_conversation = 10;
    let started = Instant::now();
    let token = app
        .state
        .db
        .write_sync(|tx| -> Result<String, ApiError> {
            let account = accounts::insert(tx, &accounts::new_account("Bench"))?;
            let user = create(tx, NewUser { name: "Admin".into(), email: "admin@bench.test".into(), ..NewUser::default() })?;
            account_users::upsert(tx, account.id, user.id, Role::Administrator, None)?;
            for i in 0..5 {
                tx.execute(
                    "INSERT INTO channels (account_id, channel_type, identifier, created_at, updated_at) VALUES (?1, 'Channel::Api', ?2, 0, 0)",
                    params![account.id, format!("bench-inbox-{i}")],
                )?;
                tx.execute(
                    "INSERT INTO inboxes (account_id, channel_id, name, created_at, updated_at) VALUES (?1, ?2, ?3, 0, 0)",
                    params![account.id, tx.last_insert_rowid(), format!("Inbox {i}")],
                )?;
            }
            Ok(access_tokens::token_of(tx, OwnerType::User, user.id)?.unwrap_or_default())
        })
        .expect("account");
    let mut rng = Lcg(42);
    app.state
        .db
        .write_sync(|tx| -> Result<(), ApiError> {
            let mut contact = tx.prepare("INSERT INTO contacts (account_id, name, email, phone_number, contact_type, created_at, updated_at) VALUES (1, ?1, ?2, ?3, 1, ?4, ?4)")?;
            for i in 0..contacts {
                let name = format!("{} {}{}", rng.pick(FIRST_NAMES), rng.pick(FIRST_NAMES), i);
                contact.execute(params![name, format!("user{i}@example{}.test", i % 97), format!("+1415{:07}", i), i * 1000])?;
            }
            let mut conversation = tx.prepare(
                "INSERT INTO conversations (account_id, inbox_id, contact_id, display_id, uuid, status, assignee_id, last_activity_at, created_at, updated_at) \
                 VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?7)",
            )?;
            let mut message = tx.prepare(
                "INSERT INTO messages (account_id, inbox_id, conversation_id, message_type, content, sender_type, sender_id, created_at, updated_at) \
                 VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
            )?;
            for i in 0..conversations {
                let inbox = 1 + (i % 5);
                let contact_id = 1 + (i % contacts.max(1));
                let status = [0, 0, 0, 1, 1, 2][(rng.next() % 6) as usize];
                let assignee = (rng.next() % 3 == 0).then_some(1);
                conversation.execute(params![inbox, contact_id, i + 1, format!("00000000-0000-4000-8000-{i:012}"), status, assignee, i * 1000])?;
                let conversation_id = tx.last_insert_rowid();
                for m in 0..messages_per_conversation {
                    let incoming = m % 2 == 0;
                    let text = format!("{} {} about order {}", rng.pick(WORDS), rng.pick(WORDS), rng.next() % 100_000);
                    let (sender_type, sender_id) = if incoming { ("Contact", contact_id) } else { ("User", 1) };
                    message.execute(params![inbox, conversation_id, i64::from(!incoming), text, sender_type, sender_id, i * 1000 + m])?;
                }
            }
            tx.execute("UPDATE accounts SET last_display_id = ?1 WHERE id = 1", [conversations])?;
            // Generated history, not live changes: nothing to announce.
            tx.execute("DELETE FROM pending_changes", [])?;
            Ok(())
        })
        .expect("data");
    app.state
        .db
        .read_sync(|conn| Ok(conn.execute_batch("ANALYZE")?))
        .expect("analyze");
    println!(
        "generated {contacts} contacts, {conversations} conversations, {} messages in {:.1}s",
        conversations * messages_per_conversation,
        started.elapsed().as_secs_f64()
    );
    token
}

fn main() {
    let scale = env_number("PARLOR_BENCH_SCALE", 1.0);
    let requests = env_number("PARLOR_BENCH_REQUESTS", 3200.0) as usize;
    let dir = tempfile::tempdir().expect("temp dir");
    // PARLOR_BENCH_KEEP=1 keeps the generated data directory for inspection.
    let (data_dir, _guard) = if std::env::var("PARLOR_BENCH_KEEP").is_ok() {
        let kept = dir.keep();
        println!("data kept in {}", kept.display());
        (kept, None)
    } else {
        (dir.path().to_path_buf(), Some(dir))
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async move {
        let mut config = Config::for_data_dir(data_dir);
        config.auth_failure_limit = 1_000_000;
        let app = Application::build(config).expect("server");
        let token = generate(&app, scale);
        let port = app.port;
        let base = format!("http://127.0.0.1:{port}/api/v1/accounts/1");
        tokio::spawn(app.run_until_stopped());
        if let Ok(seconds) = std::env::var("PARLOR_BENCH_HOLD") {
            // Keep serving for external tools (profilers, wrk scripts).
            println!("serving {base} with token {token} for {seconds}s");
            tokio::time::sleep(Duration::from_secs(seconds.parse().unwrap_or(60))).await;
            return;
        }
        let pages: Vec<String> = (1..=20)
            .map(|p| format!("{base}/conversations?page={p}"))
            .collect();
        scenario("warm-up", CONCURRENCY * 4, pages.clone(), &token).await;
        scenario("GET conversations (open, pages 1-20)", requests, pages, &token).await;
        let assigned: Vec<String> = (1..=20)
            .map(|p| format!("{base}/conversations?assignee_type=me&status=all&page={p}"))
            .collect();
        scenario("GET conversations (mine, all status)", requests, assigned, &token).await;
        let mut rng = Lcg(7);
        let searches: Vec<String> = (0..200)
            .map(|i| match i % 3 {
                0 => format!(
                    "{base}/contacts/search?q={}{}",
                    rng.pick(FIRST_NAMES),
                    rng.pick(FIRST_NAMES)
                ),
                1 => format!("{base}/contacts/search?q=user{}@", rng.next() % 100_000),
                _ => format!("{base}/contacts/search?q=1415{:04}", rng.next() % 10_000),
            })
            .collect();
        scenario("GET contacts/search", requests, searches, &token).await;
        let orders: Vec<String> = (0..200)
            .map(|_| format!("{base}/conversations/search?q=order%20{}", rng.next() % 100_000))
            .collect();
        scenario("GET conversations/search (order no.)", requests, orders, &token).await;
        let origin = format!("http://127.0.0.1:{port}");
        let prefix = "/api/v1/accounts/1";
        wrk(
            "conversations?page=3",
            &origin,
            &[format!("{prefix}/conversations?page=3")],
            &token,
        )
        .await;
        let pages: Vec<String> = (1..=20)
            .map(|p| format!("{prefix}/conversations?page={p}"))
            .collect();
        wrk("conversations pages 1-20", &origin, &pages, &token).await;
        let searches: Vec<String> = (0..200)
            .map(|i| match i % 3 {
                0 => format!(
                    "{prefix}/contacts/search?q={}{}",
                    rng.pick(FIRST_NAMES),
                    rng.pick(FIRST_NAMES)
                ),
                1 => format!("{prefix}/contacts/search?q=user{}", rng.next() % 100_000),
                _ => format!("{prefix}/contacts/search?q=1415{:04}", rng.next() % 10_000),
            })
            .collect();
        wrk("contacts/search mixed", &origin, &searches, &token).await;
        print_memory("after every run");
    });
}
