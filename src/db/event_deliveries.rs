//! Deliveries of events to receivers outside the process (`event_deliveries`): who receives,
//! the bodies built after commit, claims with a lease, attempts and retries, and the delivery
//! log administrators read.

use rusqlite::{Connection, OptionalExtension, params};

use super::events::{STORED_EVENT_COLUMNS, StoredEvent, stored_event};
use super::{CachedQuery, DbResult, now_ms};

/// Who receives an event outside the process.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receiver {
    /// `Webhook`, `Inbox` (an API inbox's webhook_url) or `AgentBot`.
    pub target_type: &'static str,
    pub target_id: i64,
    pub url: String,
}

/// Receivers of one kind from `sql`, whose rows are `(id, url)`.
fn receivers(
    conn: &Connection,
    target_type: &'static str,
    sql: &str,
    params: impl rusqlite::Params,
) -> DbResult<Vec<Receiver>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map(params, |r| {
        Ok(Receiver {
            target_type,
            target_id: r.get(0)?,
            url: r.get(1)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Account webhooks subscribed to `name` (the webhook's inbox is ignored, as in Chatwoot).
pub fn webhook_receivers(conn: &Connection, account_id: i64, name: &str) -> DbResult<Vec<Receiver>> {
    receivers(
        conn,
        "Webhook",
        "SELECT w.id, w.url FROM webhooks w WHERE w.account_id = ?1 \
         AND EXISTS (SELECT 1 FROM json_each(w.subscriptions) s WHERE s.value = ?2) ORDER BY w.id",
        params![account_id, name],
    )
}

/// The `webhook_url` of an API inbox, when set.
pub fn api_inbox_receiver(conn: &Connection, inbox_id: i64) -> DbResult<Option<Receiver>> {
    let url: Option<Option<String>> = conn
        .query_row_cached(
            "SELECT json_extract(c.settings, '$.webhook_url') FROM inboxes i \
             JOIN channels c ON c.id = i.channel_id WHERE i.id = ?1 AND c.channel_type = 'Channel::Api'",
            [inbox_id],
            |r| r.get(0),
        )
        .optional()?;
    Ok(url
        .flatten()
        .filter(|u| !u.trim().is_empty())
        .map(|url| Receiver {
            target_type: "Inbox",
            target_id: inbox_id,
            url,
        }))
}

/// The inbox's active agent bot and the conversation's bot assignee, with an outgoing URL.
pub fn bot_receivers(
    conn: &Connection,
    inbox_id: i64,
    conversation_bot: Option<i64>,
) -> DbResult<Vec<Receiver>> {
    receivers(
        conn,
        "AgentBot",
        "SELECT b.id, b.outgoing_url FROM agent_bots b WHERE (b.id IN \
         (SELECT agent_bot_id FROM agent_bot_inboxes WHERE inbox_id = ?1 AND status = 0) OR b.id = ?2) \
         AND COALESCE(trim(b.outgoing_url), '') <> '' ORDER BY b.id",
        params![inbox_id, conversation_bot],
    )
}

/// Queue one delivery of `event_id` to `receiver`, due now.
pub fn insert_delivery(
    conn: &Connection,
    event_id: i64,
    account_id: i64,
    receiver: &Receiver,
) -> DbResult<()> {
    let now = now_ms();
    conn.prepare_cached(
        "INSERT INTO event_deliveries (uuid, event_id, account_id, target_type, target_id, url, \
         next_attempt_at, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?7)",
    )?
    .execute(params![
        uuid::Uuid::new_v4().to_string(),
        event_id,
        account_id,
        receiver.target_type,
        receiver.target_id,
        receiver.url,
        now
    ])?;
    Ok(())
}

/// A delivery the dispatcher is about to send.
#[derive(Debug, Clone)]
pub struct DueDelivery {
    pub id: i64,
    pub uuid: String,
    pub url: String,
    pub attempts: i64,
    pub payload: String,
    /// The receiver's signing secret (webhooks and agent bots).
    pub secret: Option<String>,
    pub target_type: String,
    pub target_id: i64,
    pub event_name: String,
    pub message_id: Option<i64>,
    pub conversation_id: Option<i64>,
}

/// Claim up to `limit` due deliveries for `lease_ms` (another claim skips them until then; a
/// crash leaves them to be claimed again: at least once).
pub fn claim_due(conn: &Connection, now: i64, lease_ms: i64, limit: i64) -> DbResult<Vec<DueDelivery>> {
    let mut stmt = conn.prepare_cached(
        "SELECT d.id, d.uuid, d.url, d.attempts, COALESCE(e.payload, '{}'), \
         CASE d.target_type WHEN 'Webhook' THEN (SELECT secret FROM webhooks WHERE id = d.target_id) \
              WHEN 'AgentBot' THEN (SELECT secret FROM agent_bots WHERE id = d.target_id) END, \
         d.target_type, d.target_id, e.name, e.message_id, e.conversation_id \
         FROM event_deliveries d JOIN events e ON e.id = d.event_id \
         WHERE d.status = 'pending' AND d.next_attempt_at <= ?1 AND e.payload IS NOT NULL \
         AND (d.locked_until IS NULL OR d.locked_until <= ?1) ORDER BY d.next_attempt_at, d.id LIMIT +?2",
    )?;
    let due = stmt
        .query_map(params![now, limit], |r| {
            Ok(DueDelivery {
                id: r.get(0)?,
                uuid: r.get(1)?,
                url: r.get(2)?,
                attempts: r.get(3)?,
                payload: r.get(4)?,
                secret: r.get(5)?,
                target_type: r.get(6)?,
                target_id: r.get(7)?,
                event_name: r.get(8)?,
                message_id: r.get(9)?,
                conversation_id: r.get(10)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let mut lock = conn.prepare_cached("UPDATE event_deliveries SET locked_until = ?2 WHERE id = ?1")?;
    for delivery in &due {
        lock.execute(params![delivery.id, now + lease_ms])?;
    }
    Ok(due)
}

/// When the next pending delivery falls due, if any.
pub fn next_due_at(conn: &Connection) -> DbResult<Option<i64>> {
    Ok(conn.query_row_cached(
        "SELECT MIN(MAX(next_attempt_at, COALESCE(locked_until, 0))) FROM event_deliveries WHERE status = 'pending'",
        [],
        |r| r.get(0),
    )?)
}

/// What one attempt came to.
#[derive(Debug, Clone)]
pub struct AttemptResult {
    pub response_status: Option<u16>,
    pub error: Option<String>,
    /// `Some(at)`: try again at that time; `None`: final (delivered when `delivered`).
    pub retry_at: Option<i64>,
    pub delivered: bool,
}

/// Record an attempt and release the claim.
pub fn record_attempt(conn: &Connection, id: i64, result: &AttemptResult) -> DbResult<()> {
    let status = match (result.delivered, result.retry_at) {
        (true, _) => "delivered",
        (false, Some(_)) => "pending",
        (false, None) => "failed",
    };
    conn.prepare_cached(
        "UPDATE event_deliveries SET status = ?2, attempts = attempts + 1, response_status = ?3, \
         last_error = ?4, next_attempt_at = COALESCE(?5, next_attempt_at), locked_until = NULL, \
         updated_at = ?6 WHERE id = ?1",
    )?
    .execute(params![
        id,
        status,
        result.response_status,
        result.error,
        result.retry_at,
        now_ms()
    ])?;
    Ok(())
}

/// Forget claims left by a stopped process, so its deliveries go out again at start.
pub fn release_claims(conn: &Connection) -> DbResult<usize> {
    Ok(conn.execute(
        "UPDATE event_deliveries SET locked_until = NULL WHERE status = 'pending' AND locked_until IS NOT NULL",
        [],
    )?)
}

/// A delivery as administrators see it.
#[derive(Debug, Clone)]
pub struct DeliveryRow {
    pub id: i64,
    pub uuid: String,
    pub event: String,
    pub url: String,
    pub status: String,
    pub attempts: i64,
    pub response_status: Option<i64>,
    pub last_error: Option<String>,
    pub next_attempt_at: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

/// Delivery rows of one receiver (`?1` account, `?2` target type, `?3` target id).
const DELIVERY_SELECT: &str = "SELECT d.id, d.uuid, e.name, d.url, d.status, d.attempts, d.response_status, \
    d.last_error, d.next_attempt_at, d.created_at, d.updated_at FROM event_deliveries d \
    JOIN events e ON e.id = d.event_id WHERE d.account_id = ?1 AND d.target_type = ?2 AND d.target_id = ?3";

fn delivery_row(r: &rusqlite::Row) -> rusqlite::Result<DeliveryRow> {
    Ok(DeliveryRow {
        id: r.get(0)?,
        uuid: r.get(1)?,
        event: r.get(2)?,
        url: r.get(3)?,
        status: r.get(4)?,
        attempts: r.get(5)?,
        response_status: r.get(6)?,
        last_error: r.get(7)?,
        next_attempt_at: r.get(8)?,
        created_at: r.get(9)?,
        updated_at: r.get(10)?,
    })
}

/// Recent deliveries to one receiver, newest first.
pub fn deliveries_for(
    conn: &Connection,
    account_id: i64,
    target_type: &str,
    target_id: i64,
    limit: i64,
    offset: i64,
) -> DbResult<Vec<DeliveryRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{DELIVERY_SELECT} ORDER BY d.id DESC LIMIT +?4 OFFSET +?5"
    ))?;
    let rows = stmt.query_map(
        params![account_id, target_type, target_id, limit, offset],
        delivery_row,
    )?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// One delivery to a receiver.
pub fn find_delivery(
    conn: &Connection,
    account_id: i64,
    target_type: &str,
    target_id: i64,
    id: i64,
) -> DbResult<Option<DeliveryRow>> {
    let mut stmt = conn.prepare_cached(&format!("{DELIVERY_SELECT} AND d.id = ?4"))?;
    Ok(stmt
        .query_row(params![account_id, target_type, target_id, id], delivery_row)
        .optional()?)
}

/// Queue a delivery of the receiver's again, due now (same delivery id); false when unknown.
pub fn redeliver(
    conn: &Connection,
    account_id: i64,
    target_type: &str,
    target_id: i64,
    id: i64,
) -> DbResult<bool> {
    Ok(conn.execute(
        "UPDATE event_deliveries SET status = 'pending', next_attempt_at = ?5, locked_until = NULL, \
         updated_at = ?5 WHERE id = ?4 AND account_id = ?1 AND target_type = ?2 AND target_id = ?3",
        params![account_id, target_type, target_id, id, now_ms()],
    )? > 0)
}

/// Events with a delivery due by `now` whose payload is not built yet, oldest first. Driven
/// by the due deliveries (`CROSS JOIN` keeps them the outer loop): most events have no body
/// because nobody outside listens, so starting from `events` would scan them all.
pub fn unrendered_due(conn: &Connection, now: i64, limit: i64) -> DbResult<Vec<StoredEvent>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT DISTINCT {STORED_EVENT_COLUMNS} FROM event_deliveries d CROSS JOIN events e \
         ON e.id = d.event_id WHERE d.status = 'pending' AND d.next_attempt_at <= ?1 \
         AND e.payload IS NULL ORDER BY e.id LIMIT +?2"
    ))?;
    let rows = stmt.query_map(params![now, limit], stored_event)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Keep the payloads built for events (the first one built wins, so every attempt of a
/// delivery sends the same body). `None`: the event's record is gone; its pending
/// deliveries fail, as Chatwoot's job fails on a deleted record.
pub fn store_payloads(conn: &Connection, payloads: &[(i64, Option<String>)]) -> DbResult<()> {
    let mut keep = conn.prepare_cached("UPDATE events SET payload = ?2 WHERE id = ?1 AND payload IS NULL")?;
    let mut fail = conn.prepare_cached(
        "UPDATE event_deliveries SET status = 'failed', last_error = 'the record was deleted before delivery', \
         updated_at = ?2 WHERE event_id = ?1 AND status = 'pending'",
    )?;
    for (id, payload) in payloads {
        match payload {
            Some(body) => keep.execute(params![id, body])?,
            None => fail.execute(params![id, now_ms()])?,
        };
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::SyncMode;
    use crate::db::Db;
    use crate::db::events::{NewEvent, insert_event};

    #[test]
    fn bodies_are_built_once_and_a_vanished_record_fails_its_deliveries() {
        let dir = tempfile::tempdir().expect("dir");
        let db = Db::open(&dir.path().join("t.sqlite3"), SyncMode::Normal).expect("db");
        db.write_sync(|tx| -> DbResult<()> {
            let receiver = Receiver {
                target_type: "Webhook",
                target_id: 1,
                url: "https://example.test/".into(),
            };
            let mut ids = Vec::new();
            for name in ["kept", "gone"] {
                let id = insert_event(
                    tx,
                    &NewEvent {
                        account_id: 1,
                        name: name.into(),
                        ..NewEvent::default()
                    },
                )?;
                insert_delivery(tx, id, 1, &receiver)?;
                ids.push(id);
            }
            let now = now_ms() + 1;
            let unrendered: Vec<i64> = unrendered_due(tx, now, 10)?.iter().map(|e| e.id).collect();
            assert_eq!(unrendered, ids);
            assert!(
                claim_due(tx, now, 60_000, 10)?.is_empty(),
                "nothing goes out without a body"
            );

            store_payloads(tx, &[(ids[0], Some("{\"a\":1}".into())), (ids[1], None)])?;
            // A second build never replaces the first: retries send the same bytes.
            store_payloads(tx, &[(ids[0], Some("{\"a\":2}".into()))])?;
            assert!(unrendered_due(tx, now, 10)?.is_empty());
            let due = claim_due(tx, now, 60_000, 10)?;
            assert_eq!(due.len(), 1);
            assert_eq!(due[0].payload, "{\"a\":1}");
            let (status, error): (String, String) = tx.query_row(
                "SELECT status, last_error FROM event_deliveries WHERE event_id = ?1",
                [ids[1]],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            assert_eq!(status, "failed");
            assert!(error.contains("deleted"), "{error}");
            Ok(())
        })
        .expect("test");
    }
}
