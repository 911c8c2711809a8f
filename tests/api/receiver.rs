//! A real local HTTP receiver for webhook tests: records every request (headers and raw body)
//! and answers with the status the test chose, after an optional delay.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use serde_json::Value;

/// One request the receiver got.
#[derive(Debug, Clone)]
pub struct Received {
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Received {
    /// A header by (lower-case) name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The body as JSON.
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("JSON body")
    }
}

#[derive(Default)]
struct Shared {
    received: Vec<Received>,
    /// Statuses to answer, first to last; 200 once used up.
    statuses: Vec<u16>,
    delay: Duration,
}

/// A running receiver.
#[derive(Clone)]
pub struct Receiver {
    pub url: String,
    shared: Arc<Mutex<Shared>>,
}

async fn record(req: HttpRequest, body: web::Bytes, shared: web::Data<Arc<Mutex<Shared>>>) -> HttpResponse {
    let (status, delay) = {
        let mut shared = shared.lock().expect("lock");
        let status = if shared.statuses.is_empty() {
            200
        } else {
            shared.statuses.remove(0)
        };
        shared.received.push(Received {
            path: req.path().to_string(),
            headers: req
                .headers()
                .iter()
                .map(|(k, v)| (k.as_str().to_string(), v.to_str().unwrap_or_default().to_string()))
                .collect(),
            body: body.to_vec(),
        });
        (status, shared.delay)
    };
    tokio::time::sleep(delay).await;
    HttpResponse::build(actix_web::http::StatusCode::from_u16(status).expect("status")).finish()
}

impl Receiver {
    /// Start a receiver on 127.0.0.1 answering 200.
    pub async fn start() -> Receiver {
        let shared = Arc::new(Mutex::new(Shared::default()));
        let data = web::Data::new(Arc::clone(&shared));
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let server =
            HttpServer::new(move || App::new().app_data(data.clone()).default_service(web::to(record)))
                .workers(1)
                .listen(listener)
                .expect("listen")
                .run();
        tokio::spawn(server);
        Receiver {
            url: format!("http://127.0.0.1:{port}/hook"),
            shared,
        }
    }

    /// Answer the next requests with these statuses.
    pub fn answer(&self, statuses: &[u16]) {
        self.shared.lock().expect("lock").statuses = statuses.to_vec();
    }

    /// Wait this long before answering each request.
    pub fn delay(&self, delay: Duration) {
        self.shared.lock().expect("lock").delay = delay;
    }

    /// Everything received so far.
    pub fn received(&self) -> Vec<Received> {
        self.shared.lock().expect("lock").received.clone()
    }

    /// Wait (up to 10 s) until a request satisfies `wanted`; return it.
    pub async fn wait_for(&self, wanted: impl Fn(&Received) -> bool) -> Received {
        for _ in 0..200 {
            if let Some(found) = self.received().into_iter().find(|r| wanted(r)) {
                return found;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!(
            "the receiver never got the expected request; got {:?}",
            self.events()
        );
    }

    /// Wait for a request whose JSON `event` is `name`.
    pub async fn event(&self, name: &str) -> Received {
        self.wait_for(|r| serde_json::from_slice::<Value>(&r.body).is_ok_and(|b| b["event"] == name))
            .await
    }

    /// The `event` names received, in order.
    pub fn events(&self) -> Vec<String> {
        self.received()
            .iter()
            .map(|r| {
                serde_json::from_slice::<Value>(&r.body)
                    .map(|b| b["event"].as_str().unwrap_or_default().to_string())
                    .unwrap_or_default()
            })
            .collect()
    }
}
