//! Help-center benchmark: a portal of 500 published markdown articles in 10 categories, created
//! through the real API, then the public article page and the search JSON under 64 concurrent
//! clients, next to a plain actix-web JSON endpoint measured in the same run on the same cores.
//!
//! Run: `cargo bench --bench help_center` (PARLOR_BENCH_REQUESTS sets requests per in-process
//! scenario, PARLOR_BENCH_WRK_SECONDS the length of each wrk run).

use actix_web::{App, HttpResponse, HttpServer, web};
use parlor::config::Config;
use parlor::db::access_tokens::{self, OwnerType};
use parlor::db::account_users::{self, Role};
use parlor::db::accounts;
use parlor::error::ApiError;
use parlor::services::users::{NewUser, create};
use parlor::startup::Application;
use parlor::state::AppState;
use serde_json::{Value, json};

mod support;
use support::{Lcg, env_number, print_memory, scenario, wrk, wrk_script};

/// Same allocator as the `parlor` binary, so the numbers match production.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const ARTICLES: usize = 500;
const CATEGORIES: usize = 10;
const TOPICS: &[&str] = &[
    "invoice",
    "refund",
    "password",
    "shipping",
    "export",
    "webhook",
    "billing",
    "account",
    "mobile",
    "integration",
    "security",
    "report",
    "inbox",
    "widget",
    "language",
    "team",
];
const FILLER: &[&str] = &[
    "the", "settings", "page", "open", "click", "then", "choose", "your", "and", "save", "changes", "you",
    "can", "also", "from", "menu", "select", "option", "when", "done",
];

/// A realistic article: about 700 words with headings, lists, a table, code and links.
fn article_markdown(rng: &mut Lcg, topic: &str) -> String {
    let mut text = String::new();
    for section in 0..6 {
        text.push_str(&format!("## {} step {section}\n\n", topic));
        for sentence_number in 0..3 {
            let sentence: Vec<&str> = (0..30).map(|_| rng.pick(FILLER)).collect();
            // Each article is about its topic and mentions one other topic per section.
            let other = if sentence_number == 0 {
                rng.pick(TOPICS)
            } else {
                topic
            };
            text.push_str(&format!("{} about {topic} and {other}.\n\n", sentence.join(" ")));
        }
        text.push_str(
            "- first **bold** item\n- second `code` item\n- a [link](https://example.com/docs)\n\n",
        );
    }
    text.push_str("| plan | price |\n|---|---|\n| basic | 10 |\n| pro | 20 |\n\n```\ncurl -X POST https://example.com\n```\n");
    text
}

/// Account, admin and the portal content through the HTTP API; returns the article slugs and
/// ids and the admin's token.
async fn generate(state: &AppState, base: &str) -> (Vec<String>, Vec<i64>, String) {
    let token = state
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
    parlor::events::outgoing::install_crypto_provider();
    let client = reqwest::Client::new();
    let post = |path: String, body: Value| {
        let request = client
            .post(format!("{base}/api/v1/accounts/1{path}"))
            .header("api_access_token", &token)
            .json(&body);
        async move {
            let response = request.send().await.expect("request");
            assert!(response.status().is_success(), "{path}: {}", response.status());
            response.json::<Value>().await.expect("json")
        }
    };
    post("/portals".into(), json!({"name": "Bench Help", "slug": "bench"})).await;
    let mut categories = Vec::new();
    for c in 0..CATEGORIES {
        let body = json!({"name": format!("Category {c}"), "slug": format!("category-{c}"), "position": c});
        let created = post("/portals/bench/categories".into(), body).await;
        categories.push(created["payload"]["id"].as_i64().expect("category id"));
    }
    let mut rng = Lcg(11);
    let (mut slugs, mut ids) = (Vec::new(), Vec::new());
    for i in 0..ARTICLES {
        let topic = TOPICS[i % TOPICS.len()];
        let slug = format!("how-to-{topic}-{i}");
        let body = json!({"title": format!("How to manage {topic} {i}"), "slug": slug,
            "description": format!("Everything about {topic}"), "status": "published",
            "category_id": categories[i % CATEGORIES], "content": article_markdown(&mut rng, topic)});
        let created = post("/portals/bench/articles".into(), body).await;
        ids.push(created["payload"]["id"].as_i64().expect("article id"));
        slugs.push(slug);
    }
    (slugs, ids, token)
}

/// Articles of the large portal, and the words its articles draw from.
const LARGE_ARTICLES: usize = 5_000;
const LARGE_VOCABULARY: usize = 5_000;

/// A second portal, `large`: 5,000 published articles of ~700 words drawn evenly from 5,000
/// made-up words (so most words of an article are distinct: more postings than real text).
/// Returns the article ids.
async fn large_portal(origin: &str, token: &str) -> Vec<i64> {
    const SYLLABLES: &[&str] = &[
        "ka", "lo", "mi", "re", "su", "ta", "ne", "vo", "pi", "de", "go", "ra",
    ];
    let mut rng = Lcg(23);
    let vocabulary: Vec<String> = (0..LARGE_VOCABULARY)
        .map(|_| (0..2 + rng.next() % 3).map(|_| rng.pick(SYLLABLES)).collect())
        .collect();
    parlor::events::outgoing::install_crypto_provider();
    let client = reqwest::Client::new();
    let post = |path: &str, body: Value| {
        client
            .post(format!("{origin}/api/v1/accounts/1{path}"))
            .header("api_access_token", token)
            .json(&body)
            .send()
    };
    let created = post("/portals", json!({"name": "Large Help", "slug": "large"}))
        .await
        .expect("portal");
    assert!(created.status().is_success());
    let mut ids = Vec::with_capacity(LARGE_ARTICLES);
    for i in 0..LARGE_ARTICLES {
        let words: Vec<&str> = (0..700)
            .map(|_| vocabulary[(rng.next() % LARGE_VOCABULARY as u64) as usize].as_str())
            .collect();
        let body = json!({"title": format!("{} {i}", words[..4].join(" ")), "slug": format!("large-{i}"),
            "status": "published", "content": words.chunks(25).map(|s| s.join(" ")).collect::<Vec<_>>().join(".\n\n")});
        let created: Value = post("/portals/large/articles", body)
            .await
            .expect("article")
            .json()
            .await
            .expect("json");
        ids.push(created["payload"]["id"].as_i64().expect("article id"));
    }
    ids
}

/// One article of portal `slug` edited through the API, then a new search timed: the search
/// reads the portal's articles and builds its index again (what the first search after every
/// edit pays). Seven rounds.
async fn search_after_edit(origin: &str, token: &str, slug: &str, ids: &[i64]) {
    parlor::events::outgoing::install_crypto_provider();
    let client = reqwest::Client::new();
    let mut times = Vec::new();
    for (k, id) in ids.iter().take(7).enumerate() {
        let edited = client
            .patch(format!("{origin}/api/v1/accounts/1/portals/{slug}/articles/{id}"))
            .header("api_access_token", token)
            .json(&json!({"title": format!("Edited title {k}")}))
            .send()
            .await
            .expect("edit");
        assert!(edited.status().is_success(), "edit: {}", edited.status());
        let started = std::time::Instant::now();
        let found = client
            .get(format!("{origin}/hc/{slug}/en/articles.json?query=edited%20{k}"))
            .send()
            .await
            .expect("search");
        assert!(found.status().is_success());
        found.bytes().await.expect("body");
        times.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    println!(
        "first search after an edit ({} articles re-indexed): min {:.1} ms, median {:.1} ms, max {:.1} ms",
        ids.len(),
        times[0],
        times[times.len() / 2],
        times[times.len() - 1]
    );
}

/// A bare actix-web server answering a small JSON document: the ceiling for this machine.
fn plain_server() -> (actix_web::dev::Server, u16) {
    let server = HttpServer::new(|| {
        App::new().route(
            "/plain",
            web::get().to(|| async { HttpResponse::Ok().json(json!({"status": "ok"})) }),
        )
    })
    .bind(("127.0.0.1", 0))
    .expect("bind");
    let port = server.addrs()[0].port();
    (server.run(), port)
}

fn main() {
    let requests = env_number("PARLOR_BENCH_REQUESTS", 6400.0) as usize;
    let dir = tempfile::tempdir().expect("temp dir");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async move {
        let app = Application::build(Config::for_data_dir(dir.path().to_path_buf())).expect("server");
        let origin = format!("http://127.0.0.1:{}", app.port);
        let state = app.state.clone();
        tokio::spawn(app.run_until_stopped());
        let started = std::time::Instant::now();
        let (slugs, ids, token) = generate(&state, &origin).await;
        println!(
            "created {ARTICLES} articles through the API in {:.1}s",
            started.elapsed().as_secs_f64()
        );
        if let Ok(seconds) = std::env::var("PARLOR_BENCH_HOLD") {
            // Keep serving for external tools (profilers, wrk scripts).
            println!("serving {origin}/hc/bench for {seconds}s");
            tokio::time::sleep(std::time::Duration::from_secs(seconds.parse().unwrap_or(60))).await;
            return;
        }
        print_memory("after creating the portal");
        let (plain, plain_port) = plain_server();
        tokio::spawn(plain);
        let plain_origin = format!("http://127.0.0.1:{plain_port}");

        let article_paths: Vec<String> = slugs.iter().map(|s| format!("/hc/bench/articles/{s}")).collect();
        let mut rng = Lcg(5);
        // Popular searches repeat (whole words and the prefixes typed on the way), so most are
        // answered from the memo of ranked results.
        let search_paths: Vec<String> = (0..200)
            .map(|i| {
                let topic = rng.pick(TOPICS);
                let typed = &topic[..(3 + i % 4).min(topic.len())];
                format!("/hc/bench/en/articles.json?query={typed}")
            })
            .collect();
        // Every request distinct (query words × page size): each one is ranked afresh.
        let cold_paths: Vec<String> = TOPICS
            .iter()
            .flat_map(|t| FILLER.iter().map(move |f| format!("{t}%20{f}")))
            .flat_map(|q| {
                (1..=100).map(move |n| format!("/hc/bench/en/articles.json?query={q}&per_page={n}"))
            })
            .collect();
        let full =
            |paths: &[String], origin: &str| paths.iter().map(|p| format!("{origin}{p}")).collect::<Vec<_>>();
        scenario("warm-up", 2048, full(&article_paths, &origin), "").await;
        let plain_url = vec![format!("{plain_origin}/plain")];
        scenario("plain actix JSON", requests, plain_url, "").await;
        scenario(
            "article page (500 articles)",
            requests,
            full(&article_paths, &origin),
            "",
        )
        .await;
        scenario(
            "articles.json?query= (popular)",
            requests,
            full(&search_paths, &origin),
            "",
        )
        .await;
        let cold = full(&cold_paths[..requests.min(cold_paths.len())], &origin);
        scenario("articles.json?query= (all distinct)", cold.len(), cold, "").await;
        scenario("home page", requests, vec![format!("{origin}/hc/bench/en")], "").await;
        wrk("plain actix JSON", &plain_origin, &["/plain".to_string()], "").await;
        wrk("article page", &origin, &article_paths, "").await;
        wrk("articles.json?query= popular", &origin, &search_paths, "").await;
        // Never-asked queries: three words (a topic and two common words, so most articles
        // match) and a page size, a different request every time on both wrk threads.
        wrk_script(
            "articles.json?query= every request distinct (3 words, per_page 1-100)",
            &origin,
            &distinct_search_script(),
            "",
        )
        .await;
        let html: Vec<String> = search_paths
            .iter()
            .map(|p| p.replace("articles.json", "search"))
            .collect();
        wrk("search page (HTML, popular)", &origin, &html, "").await;
        wrk("home page", &origin, &["/hc/bench/en".to_string()], "").await;
        search_after_edit(&origin, &token, "bench", &ids).await;
        print_memory("after every run (the search corpus of 500 articles in memory)");
        let started = std::time::Instant::now();
        let large = large_portal(&origin, &token).await;
        println!(
            "created {LARGE_ARTICLES} more articles (portal `large`) in {:.1}s",
            started.elapsed().as_secs_f64()
        );
        search_after_edit(&origin, &token, "large", &large).await;
        print_memory("with the 5,000-article corpus in memory too");
    });
}

/// A wrk script whose every request is a search nobody asked before: topic × word × word ×
/// page size (640,000 combinations), each wrk thread counting from its own offset.
fn distinct_search_script() -> String {
    let list = |words: &[&str]| {
        words
            .iter()
            .map(|w| format!("{w:?}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    format!(
        "local topics = {{ {} }}\nlocal words = {{ {} }}\nlocal threads = 0\n\
         setup = function(thread)\n  thread:set(\"first\", threads * 320000)\n  threads = threads + 1\nend\n\
         local i = nil\n\
         request = function()\n  i = (i or first) + 1\n\
         local n = (i % 100) + 1\n\
         local t = topics[(math.floor(i / 100) % #topics) + 1]\n\
         local a = words[(math.floor(i / (100 * #topics)) % #words) + 1]\n\
         local b = words[(math.floor(i / (100 * #topics * #words)) % #words) + 1]\n\
         return wrk.format(\"GET\", \"/hc/bench/en/articles.json?query=\" .. t .. \"%20\" .. a .. \"%20\" .. b .. \"&per_page=\" .. n)\nend\n",
        list(TOPICS),
        list(FILLER)
    )
}
