//! The in-process hub: which socket subscription listens to which stream. Publishing a
//! message costs one map lookup per stream and one channel push per subscriber; a socket whose
//! queue is full is dropped (told to close), never waited for.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

use tokio::sync::{Notify, mpsc};

/// What a broadcast goes to: Chatwoot streams by pubsub token and `account_{id}`; Parlor keys
/// the same streams by id so a rotated token never leaves a stale stream behind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Stream {
    /// One agent (their pubsub token's stream).
    User(i64),
    /// Every agent of an account (`account_{id}`).
    Account(i64),
    /// One contact inbox (the widget's or a Client API contact's token).
    ContactInbox(i64),
}

/// Frames queued for one socket before it counts as too slow.
pub const SOCKET_QUEUE: usize = 256;

/// A frame queued for a socket: the subscription's quoted identifier and the shared message.
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub identifier: Arc<str>,
    pub message: Arc<str>,
}

/// The hub's handle on one socket: its queue and the signal that it fell behind.
#[derive(Debug, Clone)]
pub struct SocketHandle {
    pub id: u64,
    queue: mpsc::Sender<Outgoing>,
    dropped: Arc<Notify>,
}

/// The socket's side of its handle.
#[derive(Debug)]
pub struct SocketInbox {
    pub frames: mpsc::Receiver<Outgoing>,
    /// Notified when the hub dropped the socket for falling behind.
    pub dropped: Arc<Notify>,
}

#[derive(Debug, Clone)]
struct Subscriber {
    socket: SocketHandle,
    identifier: Arc<str>,
    account_id: i64,
}

#[derive(Debug, Default)]
struct Inner {
    streams: HashMap<Stream, Vec<Subscriber>>,
    /// Subscriptions per account: events of an account nobody listens to are skipped early.
    per_account: HashMap<i64, usize>,
}

/// The registry of live subscriptions.
#[derive(Debug, Default)]
pub struct Hub {
    inner: RwLock<Inner>,
    next_socket: AtomicU64,
}

impl Hub {
    /// A new empty hub.
    pub fn new() -> Arc<Hub> {
        Arc::new(Hub::default())
    }

    /// Register a socket; the hub keeps only its handle.
    pub fn connect(&self) -> (SocketHandle, SocketInbox) {
        let (queue, frames) = mpsc::channel(SOCKET_QUEUE);
        let dropped = Arc::new(Notify::new());
        let id = self.next_socket.fetch_add(1, Ordering::Relaxed);
        (
            SocketHandle {
                id,
                queue,
                dropped: dropped.clone(),
            },
            SocketInbox { frames, dropped },
        )
    }

    /// Add a subscription of `socket` (with its quoted identifier) to `streams`.
    pub fn subscribe(
        &self,
        socket: &SocketHandle,
        identifier: Arc<str>,
        account_id: i64,
        streams: &[Stream],
    ) {
        let mut inner = self.write();
        for stream in streams {
            inner.streams.entry(*stream).or_default().push(Subscriber {
                socket: socket.clone(),
                identifier: identifier.clone(),
                account_id,
            });
            *inner.per_account.entry(account_id).or_default() += 1;
        }
    }

    /// Remove one subscription of a socket (`None`: all of them, when it closes).
    pub fn unsubscribe(&self, socket_id: u64, identifier: Option<&str>) {
        let mut inner = self.write();
        let Inner { streams, per_account } = &mut *inner;
        streams.retain(|_, subscribers| {
            subscribers.retain(|s| {
                let matches = s.socket.id == socket_id && identifier.is_none_or(|id| *s.identifier == *id);
                if matches && let Some(count) = per_account.get_mut(&s.account_id) {
                    *count = count.saturating_sub(1);
                }
                !matches
            });
            !subscribers.is_empty()
        });
        per_account.retain(|_, count| *count > 0);
    }

    /// Whether anyone listens to events of `account_id`.
    pub fn listens_to(&self, account_id: i64) -> bool {
        self.read().per_account.contains_key(&account_id)
    }

    /// Subscriptions in total (metrics, tests).
    pub fn subscription_count(&self) -> usize {
        self.read().streams.values().map(Vec::len).sum()
    }

    /// Queue `message` for every subscription of `streams`; sockets that cannot keep up are
    /// dropped. Returns how many frames were queued.
    pub fn publish(&self, streams: &[Stream], message: &Arc<str>) -> usize {
        let mut slow: Vec<SocketHandle> = Vec::new();
        let mut sent = 0;
        {
            let inner = self.read();
            for stream in streams {
                for subscriber in inner.streams.get(stream).into_iter().flatten() {
                    let frame = Outgoing {
                        identifier: subscriber.identifier.clone(),
                        message: message.clone(),
                    };
                    match subscriber.socket.queue.try_send(frame) {
                        Ok(()) => sent += 1,
                        Err(mpsc::error::TrySendError::Full(_)) => slow.push(subscriber.socket.clone()),
                        Err(mpsc::error::TrySendError::Closed(_)) => {}
                    }
                }
            }
        }
        for socket in slow {
            tracing::info!(socket = socket.id, "dropping a live socket that fell behind");
            self.unsubscribe(socket.id, None);
            socket.dropped.notify_one();
        }
        sent
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Inner> {
        self.inner
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Inner> {
        self.inner
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn publishes_to_subscribers_of_the_stream_only() {
        let hub = Hub::new();
        let (agent, mut agent_inbox) = hub.connect();
        let (contact, mut contact_inbox) = hub.connect();
        hub.subscribe(
            &agent,
            Arc::from("\"a\""),
            1,
            &[Stream::User(7), Stream::Account(1)],
        );
        hub.subscribe(&contact, Arc::from("\"c\""), 1, &[Stream::ContactInbox(3)]);
        assert!(hub.listens_to(1) && !hub.listens_to(2));
        let message: Arc<str> = Arc::from("{}");
        assert_eq!(hub.publish(&[Stream::User(7)], &message), 1);
        assert_eq!(
            &*agent_inbox.frames.try_recv().expect("frame").identifier,
            "\"a\""
        );
        assert!(contact_inbox.frames.try_recv().is_err());
        hub.unsubscribe(agent.id, None);
        hub.unsubscribe(contact.id, Some("\"c\""));
        assert!(!hub.listens_to(1));
        assert_eq!(hub.subscription_count(), 0);
    }

    #[test]
    fn a_full_socket_is_dropped_not_waited_for() {
        let hub = Hub::new();
        let (slow, inbox) = hub.connect();
        hub.subscribe(&slow, Arc::from("\"s\""), 1, &[Stream::Account(1)]);
        let message: Arc<str> = Arc::from("{}");
        for _ in 0..SOCKET_QUEUE {
            hub.publish(&[Stream::Account(1)], &message);
        }
        assert_eq!(hub.publish(&[Stream::Account(1)], &message), 0);
        assert_eq!(hub.subscription_count(), 0, "the slow socket left the hub");
        // The socket is told (a stored permit, so it is seen even if it waits later).
        let notified = inbox.dropped.notified();
        futures_util::FutureExt::now_or_never(notified).expect("notified");
    }
}
