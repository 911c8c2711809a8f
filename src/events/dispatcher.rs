//! Delivers queued events to webhooks, API inboxes and agent bots after their transaction
//! commits: at least once (a claim expires if the process dies mid-delivery), signed, retried
//! with backoff, at most a few requests in flight per receiver so a slow one delays nobody else.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{Semaphore, mpsc};

use crate::db::event_deliveries::{self as deliveries, AttemptResult, DueDelivery};
use crate::db::events;
use crate::db::{Db, DbResult, now_ms};
use crate::domain::events::{MAX_ATTEMPTS, retry_delay_secs};
use crate::error::ApiResult;
use crate::events::outgoing::{Delivery, OutgoingClient};
use crate::events::payloads;
use crate::services::{conversations, messages};

/// Chatwoot's side effects of a failed delivery (on the first failure; retries go on): an API
/// inbox refusing a message event marks the message failed; an unreachable agent bot hands a
/// pending conversation to humans.
fn failure_side_effects(
    tx: &rusqlite::Connection,
    delivery: &DueDelivery,
    error: &str,
    base_url: &str,
) -> ApiResult<()> {
    match (
        delivery.target_type.as_str(),
        delivery.message_id,
        delivery.conversation_id,
    ) {
        ("Inbox", Some(message_id), _) if delivery.event_name.starts_with("message_") => {
            messages::mark_delivery_failed(tx, message_id, error)
        }
        ("AgentBot", _, Some(conversation_id)) => {
            conversations::open_after_bot_error(tx, conversation_id, base_url)
        }
        _ => Ok(()),
    }
}

/// Requests in flight to one receiver at most.
const PER_RECEIVER: usize = 4;
/// Requests in flight overall at most.
const IN_FLIGHT: usize = 64;
/// How long a claimed delivery stays reserved (well above the 5 s request timeout).
const LEASE_MS: i64 = 60_000;
/// Deliveries claimed per round.
const BATCH: i64 = 64;
/// How long a round waits after a commit for more commits to join it.
const GATHER: Duration = Duration::from_millis(10);
/// Longest sleep between rounds when nothing is due (retries, pruning).
const IDLE: Duration = Duration::from_secs(30);

/// The delivery loop's shared parts.
pub struct Dispatcher {
    db: Db,
    client: OutgoingClient,
    receivers: Mutex<HashMap<(String, i64), Arc<Semaphore>>>,
    in_flight: Arc<Semaphore>,
    retention_ms: i64,
    /// Public base URL (CSAT links when a failure resolves or opens a conversation).
    base_url: String,
    /// Finished attempts, written in batches by one task (a transaction per batch, not per
    /// request: the writer lock is shared with every API write).
    attempts: mpsc::UnboundedSender<(DueDelivery, AttemptResult)>,
    pending_attempts: Mutex<Option<mpsc::UnboundedReceiver<(DueDelivery, AttemptResult)>>>,
}

/// Attempts written per transaction at most.
const ATTEMPT_BATCH: usize = 256;

impl Dispatcher {
    /// A dispatcher over `db`, sending with `client`, keeping finished events `retention`.
    pub fn new(db: Db, client: OutgoingClient, retention: Duration, base_url: String) -> Arc<Self> {
        let (attempts, pending_attempts) = mpsc::unbounded_channel();
        Arc::new(Dispatcher {
            attempts,
            pending_attempts: Mutex::new(Some(pending_attempts)),
            db,
            client,
            receivers: Mutex::default(),
            in_flight: Arc::new(Semaphore::new(IN_FLIGHT)),
            retention_ms: i64::try_from(retention.as_millis()).unwrap_or(i64::MAX),
            base_url,
        })
    }

    /// Run until the process stops: release claims of a previous run, then deliver whatever
    /// falls due, waking on every commit.
    pub async fn run(self: Arc<Self>) {
        if let Err(err) = self.db.write(|tx| deliveries::release_claims(tx)).await {
            tracing::warn!(error = %err, "releasing delivery claims failed");
        }
        let finished = self
            .pending_attempts
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take();
        if let Some(finished) = finished {
            tokio::spawn(Arc::clone(&self).record_attempts(finished));
        }
        let mut commits = self.db.subscribe_commits();
        let mut last_prune = 0;
        loop {
            let now = now_ms();
            if now - last_prune > 3_600_000 {
                last_prune = now;
                self.prune(now).await;
            }
            let wait = match self.round().await {
                Ok(wait) => wait,
                Err(err) => {
                    tracing::warn!(error = %err, "webhook dispatch round failed");
                    IDLE
                }
            };
            tokio::select! {
                changed = commits.changed() => {
                    if changed.is_err() {
                        return;
                    }
                    // Let a burst of commits gather: one claim (a write) per burst, not per
                    // commit, keeps the writer lock for the API.
                    tokio::time::sleep(GATHER).await;
                }
                () = tokio::time::sleep(wait) => {}
            }
        }
    }

    /// Claim what is due and start sending it; returns how long to sleep if nothing commits.
    async fn round(self: &Arc<Self>) -> DbResult<Duration> {
        // A read first: most commits queue nothing, and claiming takes the writer lock.
        let next = self.db.read(deliveries::next_due_at).await?;
        match next {
            None => return Ok(IDLE),
            Some(at) if at > now_ms() => {
                return Ok(Duration::from_millis(u64::try_from(at - now_ms()).unwrap_or(0)).min(IDLE));
            }
            Some(_) => {}
        }
        // Bodies are built here, on a read connection, not in the write that recorded the
        // event: the writer lock is shared with every API write.
        let base_url = self.base_url.clone();
        let rendered = self
            .db
            .read(move |conn| -> ApiResult<Vec<(i64, Option<String>)>> {
                let mut bodies = Vec::new();
                for event in deliveries::unrendered_due(conn, now_ms(), BATCH)? {
                    let body = payloads::render(conn, &event, &base_url)?;
                    bodies.push((event.id, body.map(|b| b.to_string())));
                }
                Ok(bodies)
            })
            .await;
        let rendered = match rendered {
            Ok(bodies) => bodies,
            Err(err) => {
                tracing::warn!(error = %err, "building webhook bodies failed");
                Vec::new()
            }
        };
        let more_to_render = i64::try_from(rendered.len()).unwrap_or(0) == BATCH;
        let due = self
            .db
            .write(move |tx| -> DbResult<Vec<DueDelivery>> {
                deliveries::store_payloads(tx, &rendered)?;
                deliveries::claim_due(tx, now_ms(), LEASE_MS, BATCH)
            })
            .await?;
        let full = more_to_render || i64::try_from(due.len()).unwrap_or(0) == BATCH;
        for delivery in due {
            let this = Arc::clone(self);
            tokio::spawn(async move { this.deliver(delivery).await });
        }
        // A full batch may have left more due; otherwise the next commit or a retry wakes us.
        Ok(if full {
            Duration::ZERO
        } else {
            Duration::from_millis(200)
        })
    }

    fn receiver_gate(&self, delivery: &DueDelivery) -> Arc<Semaphore> {
        let mut gates = self.receivers.lock().unwrap_or_else(|p| p.into_inner());
        Arc::clone(
            gates
                .entry((delivery.target_type.clone(), delivery.target_id))
                .or_insert_with(|| Arc::new(Semaphore::new(PER_RECEIVER))),
        )
    }

    async fn deliver(self: Arc<Self>, delivery: DueDelivery) {
        let gate = self.receiver_gate(&delivery);
        let (Ok(_receiver), Ok(_overall)) = (gate.acquire().await, self.in_flight.acquire().await) else {
            return;
        };
        let outcome = self
            .client
            .post_json(&Delivery {
                url: &delivery.url,
                body: delivery.payload.as_bytes(),
                secret: delivery.secret.as_deref(),
                delivery_id: &delivery.uuid,
                timestamp: now_ms() / 1000,
            })
            .await;
        let attempt = delivery.attempts + 1;
        let delivered = outcome.succeeded();
        let retry_at = (!delivered && attempt < MAX_ATTEMPTS)
            .then(|| retry_delay_secs(attempt).map(|secs| now_ms() + secs * 1000))
            .flatten();
        if !delivered {
            tracing::info!(delivery = %delivery.uuid, url = %delivery.url, attempt,
                status = ?outcome.status, error = ?outcome.error, "webhook delivery failed");
        }
        let result = AttemptResult {
            response_status: outcome.status,
            error: outcome
                .error
                .or_else(|| outcome.status.filter(|_| !delivered).map(|s| format!("HTTP {s}"))),
            retry_at,
            delivered,
        };
        // The claim keeps the delivery reserved until this is written.
        let _ = self.attempts.send((delivery, result));
    }

    /// Write finished attempts (and their failure side effects) in batches.
    async fn record_attempts(
        self: Arc<Self>,
        mut finished: mpsc::UnboundedReceiver<(DueDelivery, AttemptResult)>,
    ) {
        while let Some(first) = finished.recv().await {
            // Attempts finishing together are written together (one write per burst).
            tokio::time::sleep(GATHER).await;
            let mut batch = vec![first];
            while batch.len() < ATTEMPT_BATCH {
                match finished.try_recv() {
                    Ok(next) => batch.push(next),
                    Err(_) => break,
                }
            }
            let base_url = self.base_url.clone();
            let recorded = self
                .db
                .write(move |tx| -> ApiResult<()> {
                    for (delivery, result) in &batch {
                        deliveries::record_attempt(tx, delivery.id, result)?;
                        if !result.delivered && delivery.attempts == 0 {
                            let error = result.error.as_deref().unwrap_or("delivery failed");
                            failure_side_effects(tx, delivery, error, &base_url)?;
                        }
                    }
                    Ok(())
                })
                .await;
            if let Err(err) = recorded {
                tracing::warn!(error = %err, "recording delivery attempts failed; they will be retried");
            }
        }
    }

    async fn prune(&self, now: i64) {
        let before = now.saturating_sub(self.retention_ms);
        match self.db.write(move |tx| events::prune(tx, before)).await {
            Ok(0) => {}
            Ok(pruned) => tracing::info!(pruned, "pruned old events"),
            Err(err) => tracing::warn!(error = %err, "pruning events failed"),
        }
    }
}
