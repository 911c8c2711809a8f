//! The task between the event stream and the hub: for each committed event of an account
//! someone listens to, one read builds its broadcasts and the hub queues them.

use std::sync::Arc;

use tokio::sync::broadcast::error::RecvError;

use crate::db::Db;
use crate::events::stream::EventStream;
use crate::live::broadcasts;
use crate::live::hub::Hub;

/// Follow `events` for as long as the process runs.
pub fn spawn(db: Db, events: &EventStream, hub: Arc<Hub>, base_url: String) {
    let mut committed = events.subscribe();
    tokio::spawn(async move {
        loop {
            let event = match committed.recv().await {
                Ok(event) => event,
                Err(RecvError::Lagged(missed)) => {
                    tracing::warn!(missed, "live updates fell behind the event stream");
                    continue;
                }
                Err(RecvError::Closed) => break,
            };
            if !hub.listens_to(event.account_id) {
                continue;
            }
            let base = base_url.clone();
            let planned = db
                .read(move |conn| broadcasts::for_event(conn, &event, &base))
                .await;
            match planned {
                Ok(list) => {
                    for item in list {
                        hub.publish(&item.streams, &item.message);
                    }
                }
                Err(err) => tracing::warn!(error = %err, "building a live update failed"),
            }
        }
    });
}
