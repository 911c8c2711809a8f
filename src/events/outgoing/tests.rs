//! The outgoing client against small receivers on loopback: refusals happen before any
//! connection, allowed deliveries arrive signed, redirects are checked hop by hop.

use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use super::*;

const BODY: &[u8] = br#"{"event":"message_created","id":1}"#;
const SECRET: &str = "whsec_test";
const TIMESTAMP: i64 = 1_700_000_000;

fn ip(text: &str) -> IpAddr {
    text.parse().expect("IP address")
}

fn loopback_only() -> AddressPolicy {
    AddressPolicy::PublicOr(vec![ip("127.0.0.1")])
}

fn client(policy: AddressPolicy) -> OutgoingClient {
    OutgoingClient::new(policy).expect("client builds")
}

fn delivery(url: &str) -> Delivery<'_> {
    Delivery {
        url,
        body: BODY,
        secret: Some(SECRET),
        delivery_id: "d-1",
        timestamp: TIMESTAMP,
    }
}

/// How a receiver answers every request.
#[derive(Clone)]
enum Answer {
    Status(u16),
    Redirect(String),
    Sleep,
}

/// One request as the receiver read it: header names lowercased.
struct Captured {
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Captured {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A minimal HTTP/1.1 receiver counting the connections it accepts.
struct Receiver {
    addr: SocketAddr,
    connections: Arc<AtomicUsize>,
    requests: Arc<Mutex<Vec<Captured>>>,
}

impl Receiver {
    /// None when the address cannot be bound (no IPv6 on this machine).
    async fn start(bind: &str, answer: Answer) -> Option<Self> {
        let listener = TcpListener::bind(bind).await.ok()?;
        let addr = listener.local_addr().ok()?;
        let connections = Arc::new(AtomicUsize::new(0));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let (count, seen) = (Arc::clone(&connections), Arc::clone(&requests));
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                count.fetch_add(1, Ordering::SeqCst);
                tokio::spawn(serve(stream, answer.clone(), Arc::clone(&seen)));
            }
        });
        Some(Self {
            addr,
            connections,
            requests,
        })
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

async fn serve(mut stream: TcpStream, answer: Answer, seen: Arc<Mutex<Vec<Captured>>>) {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(at) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let headers: Vec<(String, String)> = head
        .lines()
        .skip(1)
        .filter_map(|line| line.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let length = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse::<usize>().ok())
        .unwrap_or(0);
    while buf.len() < head_end + length {
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
    let body = buf[head_end..head_end + length].to_vec();
    seen.lock().expect("lock").push(Captured { headers, body });
    let response = match answer {
        Answer::Status(code) => {
            format!("HTTP/1.1 {code} X\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok")
        }
        Answer::Redirect(location) => format!(
            "HTTP/1.1 302 Found\r\nlocation: {location}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
        ),
        Answer::Sleep => {
            tokio::time::sleep(Duration::from_secs(10)).await;
            "HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n".to_owned()
        }
    };
    let _ = stream.write_all(response.as_bytes()).await;
}

fn assert_refused(outcome: &DeliveryOutcome, what: &str) {
    let error = outcome.error.as_deref().unwrap_or_default();
    assert!(
        error.starts_with("refused: ") && error.contains("is not a public address"),
        "{what}: {outcome:?}"
    );
    assert_eq!(outcome.status, None, "{what}");
    assert!(!outcome.succeeded(), "{what}");
}

#[test]
fn is_public_table() {
    let cases = [
        ("127.0.0.1", false),
        ("10.0.0.1", false),
        ("172.16.5.4", false),
        ("192.168.1.1", false),
        ("169.254.169.254", false),
        ("100.64.0.1", false),
        ("0.0.0.0", false),
        ("255.255.255.255", false),
        ("224.0.0.1", false),
        ("192.0.2.1", false),
        ("198.18.0.1", false),
        ("198.51.100.7", false),
        ("203.0.113.9", false),
        ("240.0.0.1", false),
        ("::", false),
        ("::1", false),
        ("fe80::1", false),
        ("fc00::1", false),
        ("fd12:3456::1", false),
        ("ff02::1", false),
        ("2001:db8::1", false),
        ("::ffff:127.0.0.1", false),
        ("::ffff:10.0.0.1", false),
        ("::ffff:169.254.169.254", false),
        ("::10.0.0.1", false),
        ("64:ff9b::a00:1", false),
        ("2002:7f00:1::1", false),
        ("8.8.8.8", true),
        ("1.1.1.1", true),
        ("172.32.0.1", true),
        ("100.128.0.1", true),
        ("2606:4700:4700::1111", true),
        ("::ffff:8.8.8.8", true),
        ("64:ff9b::808:808", true),
        ("2002:808:808::1", true),
    ];
    for (address, public) in cases {
        assert_eq!(is_public(ip(address)), public, "{address}");
    }
}

#[test]
fn policies() {
    let extra = loopback_only();
    assert!(extra.allows(ip("127.0.0.1")));
    assert!(extra.allows(ip("::ffff:127.0.0.1")));
    assert!(extra.allows(ip("8.8.8.8")));
    assert!(!extra.allows(ip("127.0.0.2")));
    assert!(!extra.allows(ip("::1")));
    assert!(!AddressPolicy::PublicOnly.allows(ip("127.0.0.1")));
    assert!(AddressPolicy::AllowPrivate.allows(ip("169.254.169.254")));
}

#[test]
fn signature_matches_known_vectors() {
    // python3: hmac.new(key, b"<timestamp>." + body, hashlib.sha256).hexdigest()
    assert_eq!(
        signature(SECRET, TIMESTAMP, BODY),
        "sha256=ba55871d2fd9eab97ecf99c4cb52f005f74b4d28e892450237808d85a43a3ea7"
    );
    assert_eq!(
        signature("", 0, b""),
        "sha256=b849d5a581847b281957065739df36df2463d1977ea8d6e1e4e6cf33fadc68c3"
    );
}

#[tokio::test]
async fn public_only_refuses_private_targets_before_connecting() {
    let receiver = Receiver::start("127.0.0.1:0", Answer::Status(200))
        .await
        .expect("receiver");
    let port = receiver.addr.port();
    let client = client(AddressPolicy::PublicOnly);
    for url in [
        format!("http://127.0.0.1:{port}/"),
        "http://10.0.0.1/".to_owned(),
        "http://169.254.169.254/latest/meta-data".to_owned(),
        format!("http://[::1]:{port}/"),
        format!("http://[::ffff:127.0.0.1]:{port}/"),
        format!("http://2130706433:{port}/"),
        format!("http://localhost:{port}/"),
    ] {
        let started = Instant::now();
        let outcome = client.post_json(&delivery(&url)).await;
        assert_refused(&outcome, &url);
        assert!(started.elapsed() < Duration::from_secs(2), "{url}: not a timeout");
    }
    let outcome = client
        .post_json(&delivery(&format!("http://localhost:{port}/")))
        .await;
    assert!(
        outcome.error.as_deref().unwrap_or_default().contains("localhost"),
        "names the host: {outcome:?}"
    );
    assert_eq!(receiver.connections(), 0);
}

#[tokio::test]
async fn only_http_and_https_urls() {
    let client = client(AddressPolicy::AllowPrivate);
    for url in ["ftp://127.0.0.1/", "file:///etc/passwd", "not a url"] {
        let outcome = client.post_json(&delivery(url)).await;
        assert_eq!(outcome.status, None, "{url}");
        assert!(outcome.error.is_some(), "{url}");
    }
    let outcome = client.post_json(&delivery("ftp://127.0.0.1/")).await;
    assert_eq!(
        outcome.error.as_deref(),
        Some("refused: only http and https URLs are allowed, not ftp")
    );
}

#[tokio::test]
async fn allowed_receiver_gets_signed_post() {
    let receiver = Receiver::start("127.0.0.1:0", Answer::Status(200))
        .await
        .expect("receiver");
    let outcome = client(loopback_only())
        .post_json(&delivery(&receiver.url("/hook")))
        .await;
    assert_eq!(outcome.status, Some(200), "{outcome:?}");
    assert!(outcome.succeeded());
    assert_eq!(outcome.error, None);
    let requests = receiver.requests.lock().expect("lock");
    let [request] = requests.as_slice() else {
        panic!("one request, got {}", requests.len());
    };
    assert_eq!(request.body, BODY);
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(request.header("accept"), Some("application/json"));
    assert_eq!(request.header("x-chatwoot-delivery"), Some("d-1"));
    assert_eq!(request.header("x-chatwoot-timestamp"), Some("1700000000"));
    let timestamp: i64 = request
        .header("x-chatwoot-timestamp")
        .and_then(|t| t.parse().ok())
        .expect("timestamp");
    let expected = signature(SECRET, timestamp, &request.body);
    assert_eq!(request.header("x-chatwoot-signature"), Some(expected.as_str()));
    let agent = request.header("user-agent").unwrap_or_default();
    assert_eq!(agent, format!("Parlor-Webhooks/{}", env!("CARGO_PKG_VERSION")));
}

#[tokio::test]
async fn unsigned_without_a_secret() {
    let receiver = Receiver::start("127.0.0.1:0", Answer::Status(204))
        .await
        .expect("receiver");
    let url = receiver.url("/");
    let request = Delivery {
        secret: None,
        ..delivery(&url)
    };
    let outcome = client(loopback_only()).post_json(&request).await;
    assert!(outcome.succeeded(), "{outcome:?}");
    let requests = receiver.requests.lock().expect("lock");
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].header("x-chatwoot-signature"), None);
    assert_eq!(requests[0].header("x-chatwoot-delivery"), Some("d-1"));
}

#[tokio::test]
async fn resolver_keeps_only_allowed_addresses() {
    // localhost may resolve to ::1 too: that address is dropped, 127.0.0.1 is used.
    let receiver = Receiver::start("127.0.0.1:0", Answer::Status(200))
        .await
        .expect("receiver");
    let url = format!("http://localhost:{}/", receiver.addr.port());
    let outcome = client(loopback_only()).post_json(&delivery(&url)).await;
    assert_eq!(outcome.status, Some(200), "{outcome:?}");
}

#[tokio::test]
async fn redirect_hops_to_refused_addresses_are_refused() {
    let target = Receiver::start("127.0.0.2:0", Answer::Status(200))
        .await
        .expect("receiver on 127.0.0.2");
    let v6 = Receiver::start("[::1]:0", Answer::Status(200)).await;
    let v6_port = v6.as_ref().map_or(target.addr.port(), |r| r.addr.port());
    let client = client(loopback_only());
    for location in [
        target.url("/"),
        format!("http://[::1]:{v6_port}/"),
        "http://169.254.169.254/latest/meta-data".to_owned(),
    ] {
        let redirecting = Receiver::start("127.0.0.1:0", Answer::Redirect(location.clone()))
            .await
            .expect("receiver");
        let outcome = client.post_json(&delivery(&redirecting.url("/"))).await;
        assert_refused(&outcome, &location);
        assert_eq!(redirecting.connections(), 1, "{location}");
    }
    assert_eq!(target.connections(), 0);
    assert_eq!(v6.map_or(0, |r| r.connections()), 0);
}

#[tokio::test]
async fn redirects_are_limited() {
    let receiver = Receiver::start("127.0.0.1:0", Answer::Status(200))
        .await
        .expect("receiver");
    let scheme = Receiver::start("127.0.0.1:0", Answer::Redirect("ftp://8.8.8.8/".into()))
        .await
        .expect("receiver");
    let client = client(loopback_only());
    let outcome = client.post_json(&delivery(&scheme.url("/"))).await;
    assert_eq!(
        outcome.error.as_deref(),
        Some("refused: only http and https URLs are allowed, not ftp")
    );

    // Four redirects in a row: the fourth is not followed; three are.
    let mut next = receiver.url("/end");
    let mut chain = Vec::new();
    for _ in 0..4 {
        let hop = Receiver::start("127.0.0.1:0", Answer::Redirect(next))
            .await
            .expect("receiver");
        next = hop.url("/");
        chain.push(hop);
    }
    let outcome = client.post_json(&delivery(&next)).await;
    assert_eq!(
        outcome.error.as_deref(),
        Some("refused: more than 3 redirects"),
        "{outcome:?}"
    );
    assert_eq!(receiver.connections(), 0);
    let outcome = client.post_json(&delivery(&chain[2].url("/"))).await;
    assert_eq!(outcome.status, Some(200), "three redirects are followed");
}

#[tokio::test]
async fn server_error_is_a_failure_with_its_status() {
    let receiver = Receiver::start("127.0.0.1:0", Answer::Status(500))
        .await
        .expect("receiver");
    let outcome = client(loopback_only())
        .post_json(&delivery(&receiver.url("/")))
        .await;
    assert_eq!(outcome.status, Some(500));
    assert_eq!(outcome.error, None);
    assert!(!outcome.succeeded());
}

#[tokio::test]
async fn allow_private_reaches_local_receivers() {
    let receiver = Receiver::start("127.0.0.1:0", Answer::Status(200))
        .await
        .expect("receiver");
    let client = client(AddressPolicy::AllowPrivate);
    let port = receiver.addr.port();
    for url in [receiver.url("/"), format!("http://localhost:{port}/")] {
        let outcome = client.post_json(&delivery(&url)).await;
        assert_eq!(outcome.status, Some(200), "{url}: {outcome:?}");
    }
    assert_eq!(receiver.requests.lock().expect("lock").len(), 2);
}

#[tokio::test]
async fn slow_receiver_times_out() {
    let receiver = Receiver::start("127.0.0.1:0", Answer::Sleep)
        .await
        .expect("receiver");
    let started = Instant::now();
    let outcome = client(loopback_only())
        .post_json(&delivery(&receiver.url("/")))
        .await;
    let elapsed = started.elapsed();
    assert_eq!(outcome.status, None);
    assert_eq!(outcome.error.as_deref(), Some("timed out: no answer within 5 s"));
    assert!(elapsed >= Duration::from_millis(4500), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(8), "{elapsed:?}");
    assert!(outcome.duration_ms >= 4500 && outcome.duration_ms < 8000);
}
