//! Shared by the benchmarks: a deterministic generator, an in-process load client and a `wrk`
//! runner (with a Lua script that rotates over many paths).

#![allow(dead_code)]

use std::time::{Duration, Instant};

/// Concurrent clients of every scenario.
pub const CONCURRENCY: usize = 64;

/// A number from the environment, or the default.
pub fn env_number(name: &str, default: f64) -> f64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// A small deterministic generator so runs are comparable.
pub struct Lcg(pub u64);

impl Lcg {
    pub fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

/// Run `total` requests from `CONCURRENCY` clients; print throughput and latency percentiles.
pub async fn scenario(name: &str, total: usize, urls: Vec<String>, token: &str) {
    parlor::events::outgoing::install_crypto_provider();
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(CONCURRENCY)
        .build()
        .expect("client");
    let started = Instant::now();
    let per_client = total / CONCURRENCY;
    let mut tasks = Vec::new();
    for worker in 0..CONCURRENCY {
        let client = client.clone();
        let urls = urls.clone();
        let token = token.to_string();
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::with_capacity(per_client);
            for i in 0..per_client {
                let url = &urls[(worker * per_client + i) % urls.len()];
                let t = Instant::now();
                let response = client
                    .get(url)
                    .header("api_access_token", &token)
                    .send()
                    .await
                    .expect("request");
                assert!(response.status().is_success(), "{url}: {}", response.status());
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
    let pct = |p: f64| all[((all.len() as f64 * p) as usize).min(all.len() - 1)].as_secs_f64() * 1000.0;
    println!(
        "{name:<40} {:>6} req  {:>7.0} req/s  p50 {:>6.1} ms  p95 {:>6.1} ms  p99 {:>6.1} ms",
        all.len(),
        all.len() as f64 / started.elapsed().as_secs_f64(),
        pct(0.50),
        pct(0.95),
        pct(0.99)
    );
}

/// When `wrk` is installed, measure with it: an efficient external client shows the server's
/// own latency without the in-process client competing for the two cores. `base` is
/// `http://host:port`; the requests rotate over `paths`.
pub async fn wrk(name: &str, base: &str, paths: &[String], token: &str) {
    let quoted: Vec<String> = paths.iter().map(|p| format!("{p:?}")).collect();
    let script = format!(
        "local paths = {{ {} }}\nlocal i = 0\nrequest = function()\n  i = i + 1\n  \
         return wrk.format(\"GET\", paths[(i % #paths) + 1])\nend\n",
        quoted.join(", ")
    );
    wrk_script(&format!("{name} ({} paths)", paths.len()), base, &script, token).await;
}

/// Run wrk with a Lua `script` of its own (for request sequences too long to list).
pub async fn wrk_script(name: &str, base: &str, script: &str, token: &str) {
    let file = std::env::temp_dir().join(format!("parlor-wrk-{}.lua", std::process::id()));
    if std::fs::write(&file, script).is_err() {
        println!("wrk: cannot write its script; skipped {name}");
        return;
    }
    let seconds = env_number("PARLOR_BENCH_WRK_SECONDS", 10.0) as u64;
    let args = vec![
        "-t2".to_string(),
        format!("-c{CONCURRENCY}"),
        format!("-d{seconds}s"),
        "--latency".to_string(),
        "-H".to_string(),
        format!("api_access_token: {token}"),
        "-s".to_string(),
        file.display().to_string(),
        base.to_string(),
    ];
    let output =
        tokio::task::spawn_blocking(move || std::process::Command::new("wrk").args(&args).output()).await;
    match output {
        Ok(Ok(out)) if out.status.success() => {
            println!("wrk {name}");
            let text = String::from_utf8_lossy(&out.stdout);
            for line in text.lines().filter(|l| {
                l.contains('%') || l.contains("Requests/sec") || l.contains("Non-2xx") || l.contains("errors")
            }) {
                println!("    {}", line.trim());
            }
        }
        _ => println!("wrk not available; skipped {name}"),
    }
    let _ = std::fs::remove_file(file);
}

/// Print this process's resident memory now and at its peak (Linux `/proc/self/status`); the
/// server runs in-process, so this is the server plus the in-process client.
pub fn print_memory(label: &str) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|kb| kb.parse::<f64>().ok())
            .map_or("?".to_string(), |kb| format!("{:.1} MiB", kb / 1024.0))
    };
    println!(
        "memory {label}: resident {}, peak {}",
        field("VmRSS:"),
        field("VmHWM:")
    );
}
