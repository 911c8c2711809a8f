//! Committed events for in-process consumers (the live `/cable` hub, automation rules): one
//! reader follows the `events` table after each commit and broadcasts each new event once;
//! subscribers filter by account or inbox in memory, so no query runs per subscriber.

use std::sync::Arc;

use tokio::sync::broadcast;

use crate::db::Db;
use crate::db::events::{self, StoredEvent};

/// Events a slow subscriber may fall behind by before it misses some (it is told how many).
const CAPACITY: usize = 4096;
/// Events read per query while catching up.
const BATCH: i64 = 500;

/// The broadcast of committed events.
#[derive(Clone)]
pub struct EventStream {
    sender: broadcast::Sender<Arc<StoredEvent>>,
}

impl EventStream {
    /// Start following the events committed from now on.
    pub fn start(db: Db) -> EventStream {
        let (sender, _) = broadcast::channel(CAPACITY);
        let stream = EventStream { sender };
        let follower = stream.clone();
        tokio::spawn(async move { follower.follow(db).await });
        stream
    }

    /// Every event committed after this call, in commit order.
    pub fn subscribe(&self) -> broadcast::Receiver<Arc<StoredEvent>> {
        self.sender.subscribe()
    }

    async fn follow(self, db: Db) {
        let mut commits = db.subscribe_commits();
        let mut cursor = match db.read(events::last_event_id).await {
            Ok(id) => id,
            Err(err) => {
                tracing::warn!(error = %err, "the event stream could not start");
                return;
            }
        };
        while commits.changed().await.is_ok() {
            if self.sender.receiver_count() == 0 {
                // Nobody listens: skip ahead without reading what was missed.
                if let Ok(id) = db.read(events::last_event_id).await {
                    cursor = id;
                }
                continue;
            }
            loop {
                let after = cursor;
                let batch = match db
                    .read(move |conn| events::events_after(conn, after, BATCH))
                    .await
                {
                    Ok(batch) => batch,
                    Err(err) => {
                        tracing::warn!(error = %err, "reading committed events failed");
                        break;
                    }
                };
                let full = i64::try_from(batch.len()).unwrap_or(0) == BATCH;
                for event in batch {
                    cursor = event.id;
                    let _ = self.sender.send(Arc::new(event));
                }
                if !full {
                    break;
                }
            }
        }
    }
}
