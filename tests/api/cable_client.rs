//! A WebSocket client speaking ActionCable to the spawned server (tokio-tungstenite).

use std::time::Duration;

use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use crate::helpers::TestApp;

/// One open `/cable` socket.
pub struct Cable {
    ws: WebSocketStream<MaybeTlsStream<TcpStream>>,
    /// The subprotocol the server selected, if any.
    pub protocol: Option<String>,
}

/// Agent identifier, keys in the mobile app's order.
pub fn agent_identifier(token: &str, account_id: i64, user_id: i64) -> String {
    json!({"channel": "RoomChannel", "pubsub_token": token, "account_id": account_id, "user_id": user_id})
        .to_string()
}

/// Contact identifier (widget, Client API).
pub fn contact_identifier(token: &str) -> String {
    json!({"channel": "RoomChannel", "pubsub_token": token}).to_string()
}

impl Cable {
    /// Open `/cable`, offering `protocols` (comma separated) when given.
    pub async fn open(app: &TestApp, protocols: Option<&str>) -> Cable {
        Cable::open_at(&app.address, protocols).await
    }

    /// [`Cable::open`] on the server at `address` (`http://host:port`).
    pub async fn open_at(address: &str, protocols: Option<&str>) -> Cable {
        let url = format!("{}/cable", address.replacen("http://", "ws://", 1));
        let mut request = url.into_client_request().expect("request");
        if let Some(protocols) = protocols {
            request.headers_mut().insert(
                "Sec-WebSocket-Protocol",
                HeaderValue::from_str(protocols).expect("header"),
            );
        }
        request
            .headers_mut()
            .insert("Origin", HeaderValue::from_static("https://customer.example"));
        let (ws, response) = tokio_tungstenite::connect_async(request)
            .await
            .expect("websocket opens");
        let protocol = response
            .headers()
            .get("sec-websocket-protocol")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        Cable { ws, protocol }
    }

    /// Open with the JS clients' offer and read the welcome.
    pub async fn open_welcomed(app: &TestApp) -> Cable {
        let mut cable = Cable::open(app, Some("actioncable-v1-json, actioncable-unsupported")).await;
        assert_eq!(cable.next_frame().await, json!({"type": "welcome"}));
        cable
    }

    /// Send a raw text frame.
    pub async fn send_text(&mut self, text: &str) {
        self.ws.send(Message::text(text)).await.expect("send");
    }

    /// Send a command.
    pub async fn send(&mut self, command: Value) {
        self.send_text(&command.to_string()).await;
    }

    /// The next text frame within 5 s, pings included; `Value::Null` when the socket closed.
    pub async fn next_frame(&mut self) -> Value {
        self.next_frame_within(Duration::from_secs(5))
            .await
            .expect("a frame within 5 s")
    }

    /// The next text frame within `wait` (`None` on timeout; `Null` when closed).
    pub async fn next_frame_within(&mut self, wait: Duration) -> Option<Value> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            let next = tokio::time::timeout_at(deadline, self.ws.next()).await.ok()?;
            match next {
                Some(Ok(Message::Text(text))) => {
                    return Some(serde_json::from_str(text.as_str()).expect("frames are JSON"));
                }
                Some(Ok(Message::Close(_))) | None | Some(Err(_)) => return Some(Value::Null),
                Some(Ok(_)) => continue,
            }
        }
    }

    /// The next frame that is not a ping.
    pub async fn next_non_ping(&mut self) -> Value {
        loop {
            let frame = self.next_frame().await;
            if frame["type"] != "ping" {
                return frame;
            }
        }
    }

    /// Subscribe and return the server's answer (confirm or reject).
    pub async fn subscribe(&mut self, identifier: &str) -> Value {
        self.send(json!({"command": "subscribe", "identifier": identifier}))
            .await;
        self.next_non_ping().await
    }

    /// Subscribe, assert the confirmation and read the presence update that follows.
    pub async fn subscribe_confirmed(&mut self, identifier: &str) -> Value {
        let answer = self.subscribe(identifier).await;
        assert_eq!(
            answer,
            json!({"identifier": identifier, "type": "confirm_subscription"}),
            "confirmation echoes the identifier"
        );
        let presence = self.next_non_ping().await;
        assert_eq!(presence["message"]["event"], "presence.update", "{presence}");
        presence
    }

    /// Broadcast messages (`{event, data}`) until one named `event` arrives (within 5 s);
    /// returns it with every message seen before it.
    pub async fn until_event(&mut self, event: &str) -> (Value, Vec<Value>) {
        let mut seen = Vec::new();
        loop {
            let frame = self.next_non_ping().await;
            assert!(
                !frame.is_null(),
                "socket closed while waiting for {event}; saw {seen:?}"
            );
            let message = frame["message"].clone();
            if message["event"] == event {
                return (message, seen);
            }
            seen.push(message);
        }
    }

    /// Every broadcast message arriving within `wait`.
    pub async fn drain(&mut self, wait: Duration) -> Vec<Value> {
        let mut seen = Vec::new();
        let deadline = tokio::time::Instant::now() + wait;
        while let Some(frame) = self
            .next_frame_within(deadline.saturating_duration_since(tokio::time::Instant::now()))
            .await
        {
            if frame.is_null() {
                break;
            }
            if frame["type"] != "ping" {
                seen.push(frame["message"].clone());
            }
        }
        seen
    }
}
