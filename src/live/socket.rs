//! `GET /cable`: one task per WebSocket speaking ActionCable to one client. It answers
//! commands, forwards the hub's frames and pings every 3 s; anything unexpected from the
//! client is ignored (malformed commands) or closes the socket (oversized or broken frames).

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use actix_web::http::header::{HeaderValue, SEC_WEBSOCKET_PROTOCOL};
use actix_web::{HttpRequest, HttpResponse, web};
use actix_ws::{AggregatedMessage, Session};
use serde_json::{Map, Value};

use crate::db::live::{self, ContactSubscriber};
use crate::error::ApiResult;
use crate::live::hub::{Hub, SocketHandle, Stream};
use crate::live::protocol::{self, Command, RoomIdentifier};
use crate::presence::Presence;
use crate::state::AppState;

/// Subscriptions one socket may hold (a client has one or two).
const MAX_SUBSCRIPTIONS: usize = 16;
/// Queued frames sent in one turn at most (the rest wait for the next turn, so pings and
/// commands are never starved).
const DRAIN: usize = 32;

/// Upgrade to a WebSocket, choosing `actioncable-v1-json` when the client offers it (JS
/// clients close the socket otherwise; the Flutter SDK offers none). Any origin is accepted:
/// authorization happens per subscription, as in Chatwoot.
pub async fn cable(
    req: HttpRequest,
    body: web::Payload,
    state: web::Data<AppState>,
    hub: web::Data<Hub>,
) -> actix_web::Result<HttpResponse> {
    let offers_json = req
        .headers()
        .get_all(SEC_WEBSOCKET_PROTOCOL)
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .any(|name| name.trim() == protocol::SUBPROTOCOL);
    let (mut response, session, stream) = actix_ws::handle(&req, body)?;
    if offers_json {
        response.headers_mut().insert(
            SEC_WEBSOCKET_PROTOCOL,
            HeaderValue::from_static(protocol::SUBPROTOCOL),
        );
    }
    let stream = stream
        .max_frame_size(protocol::MAX_COMMAND_BYTES)
        .aggregate_continuations()
        .max_continuation_size(protocol::MAX_COMMAND_BYTES);
    let connection = Connection {
        state: state.get_ref().clone(),
        hub: hub.into_inner(),
        session,
        subscriptions: HashMap::new(),
    };
    actix_web::rt::spawn(connection.run(stream));
    Ok(response)
}

/// Who one subscription is.
#[derive(Debug, Clone, Copy)]
enum Subscriber {
    Agent { account_id: i64, user_id: i64 },
    Contact(ContactSubscriber),
}

struct Connection {
    state: AppState,
    hub: Arc<Hub>,
    session: Session,
    /// Subscribed identifiers (as sent) → who they are.
    subscriptions: HashMap<String, Subscriber>,
}

/// Why a socket ends.
enum End {
    ClientGone,
    Slow,
}

impl Connection {
    async fn run(mut self, mut stream: actix_ws::AggregatedMessageStream) {
        let (handle, mut inbox) = self.hub.connect();
        let mut beat = tokio::time::interval(Duration::from_secs(protocol::BEAT_SECONDS));
        beat.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        beat.tick().await;
        let end = if self.session.text(protocol::welcome()).await.is_err() {
            End::ClientGone
        } else {
            loop {
                tokio::select! {
                    incoming = stream.recv() => {
                        let keep_going = match incoming {
                            Some(Ok(AggregatedMessage::Text(text))) => self.command(&handle, &text).await,
                            Some(Ok(AggregatedMessage::Ping(bytes))) => self.session.pong(&bytes).await.is_ok(),
                            Some(Ok(AggregatedMessage::Binary(_) | AggregatedMessage::Pong(_))) => true,
                            Some(Ok(AggregatedMessage::Close(_)) | Err(_)) | None => false,
                        };
                        if !keep_going {
                            break End::ClientGone;
                        }
                    }
                    Some(frame) = inbox.frames.recv() => {
                        // Send what else is queued in the same turn: the frames leave in one
                        // write instead of one wake-up and one write each.
                        let mut next = Some(frame);
                        let mut sent = 0;
                        let mut gone = false;
                        while let Some(frame) = next.take() {
                            let text = protocol::broadcast(&frame.identifier, &frame.message);
                            if self.session.text(text).await.is_err() {
                                gone = true;
                                break;
                            }
                            sent += 1;
                            if sent < DRAIN {
                                next = inbox.frames.try_recv().ok();
                            }
                        }
                        if gone {
                            break End::ClientGone;
                        }
                    }
                    _ = beat.tick() => {
                        if self.session.text(protocol::ping(unix_seconds())).await.is_err() {
                            break End::ClientGone;
                        }
                    }
                    () = inbox.dropped.notified() => break End::Slow,
                }
            }
        };
        self.hub.unsubscribe(handle.id, None);
        if let End::Slow = end {
            let _ = self.session.text(protocol::disconnect("remote", true)).await;
        }
        let _ = self.session.close(None).await;
    }

    /// Handle one text frame; false when the socket should close.
    async fn command(&mut self, handle: &SocketHandle, text: &str) -> bool {
        let command = match protocol::parse_command(text) {
            Ok(command) => command,
            Err(err) => {
                tracing::debug!(error = %err, "ignoring a malformed ActionCable command");
                return true;
            }
        };
        match command {
            Command::Subscribe { identifier } => self.subscribe(handle, identifier).await,
            Command::Unsubscribe { identifier } => {
                if self.subscriptions.remove(&identifier).is_some() {
                    self.hub
                        .unsubscribe(handle.id, Some(&protocol::quoted(&identifier)));
                }
                true
            }
            Command::Message { identifier, data } => {
                let Some(subscriber) = self.subscriptions.get(&identifier).copied() else {
                    return true;
                };
                // RoomChannel defines one action; others (the Flutter SDK's typing) are ignored.
                if protocol::action(&data).as_deref() == Some("update_presence") {
                    return self.presence(subscriber, &identifier).await;
                }
                true
            }
        }
    }

    async fn subscribe(&mut self, handle: &SocketHandle, identifier: String) -> bool {
        let quoted = protocol::quoted(&identifier);
        if let Some(subscriber) = self.subscriptions.get(&identifier).copied() {
            // Clients resend subscriptions until confirmed; confirm again, subscribe once.
            return self.send(protocol::confirm(&quoted)).await
                && self.presence(subscriber, &identifier).await;
        }
        let subscriber = match protocol::room_identifier(&identifier) {
            Some(room) if self.subscriptions.len() < MAX_SUBSCRIPTIONS => self.authorize(room).await,
            _ => None,
        };
        let Some(subscriber) = subscriber else {
            return self.send(protocol::reject(&quoted)).await;
        };
        let (account_id, streams) = match subscriber {
            Subscriber::Agent { account_id, user_id } => (
                account_id,
                vec![Stream::User(user_id), Stream::Account(account_id)],
            ),
            Subscriber::Contact(contact) => (
                contact.account_id,
                vec![Stream::ContactInbox(contact.contact_inbox_id)],
            ),
        };
        self.hub
            .subscribe(handle, Arc::from(quoted.as_str()), account_id, &streams);
        self.subscriptions.insert(identifier.clone(), subscriber);
        self.send(protocol::confirm(&quoted)).await && self.presence(subscriber, &identifier).await
    }

    async fn authorize(&self, room: RoomIdentifier) -> Option<Subscriber> {
        let found = self
            .state
            .db
            .read(move |conn| -> ApiResult<Option<Subscriber>> {
                Ok(match room {
                    RoomIdentifier::Agent {
                        pubsub_token,
                        account_id,
                        user_id,
                    } => live::agent_may_subscribe(conn, &pubsub_token, user_id, account_id)?
                        .then_some(Subscriber::Agent { account_id, user_id }),
                    RoomIdentifier::Contact { pubsub_token } => {
                        live::contact_subscriber(conn, &pubsub_token)?.map(Subscriber::Contact)
                    }
                })
            })
            .await;
        found.unwrap_or_else(|err| {
            tracing::warn!(error = %err, "a live subscription could not be checked");
            None
        })
    }

    /// Record presence and answer `presence.update` to this subscription only.
    async fn presence(&mut self, subscriber: Subscriber, identifier: &str) -> bool {
        let presence: &Presence = &self.state.presence;
        let account_id = match subscriber {
            Subscriber::Agent { account_id, user_id } => {
                presence.user_seen(account_id, user_id);
                account_id
            }
            Subscriber::Contact(contact) => {
                presence.contact_seen(contact.account_id, contact.contact_id);
                contact.account_id
            }
        };
        let roster = match self
            .state
            .db
            .read(move |conn| -> ApiResult<_> { Ok(live::roster(conn, account_id)?) })
            .await
        {
            Ok(roster) => roster,
            Err(err) => {
                tracing::warn!(error = %err, "reading presence failed");
                return true;
            }
        };
        let online = presence.online_users(account_id);
        let mut users = Map::new();
        for (user_id, availability, auto_offline) in roster {
            if online.binary_search(&user_id).is_ok() || !auto_offline {
                users.insert(user_id.to_string(), Value::from(availability.as_str()));
            }
        }
        let mut data = Map::new();
        data.insert("account_id".into(), Value::from(account_id));
        data.insert("users".into(), Value::Object(users));
        if let Subscriber::Agent { .. } = subscriber {
            let contacts: Map<String, Value> = presence
                .online_contacts(account_id)
                .into_iter()
                .map(|id| (id.to_string(), Value::from("online")))
                .collect();
            data.insert("contacts".into(), Value::Object(contacts));
        }
        let message = protocol::message("presence.update", &Value::Object(data));
        self.send(protocol::broadcast(&protocol::quoted(identifier), &message))
            .await
    }

    async fn send(&mut self, text: String) -> bool {
        self.session.text(text).await.is_ok()
    }
}

fn unix_seconds() -> i64 {
    crate::db::now_ms() / 1000
}
