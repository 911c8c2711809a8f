//! The event stream's tables: changes noted by triggers (`pending_changes`) and the events made
//! of them. Their deliveries to receivers outside the process are in `event_deliveries`.

use rusqlite::{Connection, params};

use super::{CachedQuery, DbResult, now_ms};

/// A change noted by a trigger, not yet turned into events.
#[derive(Debug, Clone)]
pub struct PendingChange {
    pub kind: String,
    pub op: String,
    pub row_id: i64,
    /// Changed columns before the update (JSON), or the label for label changes.
    pub old: Option<String>,
}

/// Take every noted change, oldest first (they are removed in the same transaction).
pub fn take_pending_changes(conn: &Connection) -> DbResult<Vec<PendingChange>> {
    let mut stmt = conn.prepare_cached("SELECT kind, op, row_id, old FROM pending_changes ORDER BY id")?;
    let changes = stmt
        .query_map([], |r| {
            Ok(PendingChange {
                kind: r.get(0)?,
                op: r.get(1)?,
                row_id: r.get(2)?,
                old: r.get(3)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    if !changes.is_empty() {
        conn.prepare_cached("DELETE FROM pending_changes")?.execute([])?;
    }
    Ok(changes)
}

/// Note who acts in this write transaction (a user id), for the consumers of its changes
/// (notifications skip self-assignment). Rolled back with the write like every change.
pub fn note_actor(conn: &Connection, user_id: i64) -> DbResult<()> {
    conn.prepare_cached("INSERT INTO pending_changes (kind, op, row_id) VALUES ('actor', 'note', ?1)")?
        .execute([user_id])?;
    Ok(())
}

/// An event to append.
#[derive(Debug, Clone, Default)]
pub struct NewEvent {
    pub account_id: i64,
    pub name: String,
    pub inbox_id: Option<i64>,
    pub conversation_id: Option<i64>,
    pub message_id: Option<i64>,
    pub contact_id: Option<i64>,
    pub changed: Option<String>,
    /// Facts no row keeps (JSON): who typed, the deleted contact.
    pub detail: Option<String>,
    pub by_automation: bool,
    pub payload: Option<String>,
    /// The user and notification of a `notification_*` event.
    pub user_id: Option<i64>,
    pub notification_id: Option<i64>,
}

/// Append an event; returns its id.
pub fn insert_event(conn: &Connection, event: &NewEvent) -> DbResult<i64> {
    conn.prepare_cached(
        "INSERT INTO events (account_id, name, inbox_id, conversation_id, message_id, contact_id, \
         changed, by_automation, payload, created_at, detail, user_id, notification_id) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    )?
    .execute(params![
        event.account_id,
        event.name,
        event.inbox_id,
        event.conversation_id,
        event.message_id,
        event.contact_id,
        event.changed,
        event.by_automation,
        event.payload,
        now_ms(),
        event.detail,
        event.user_id,
        event.notification_id,
    ])?;
    Ok(conn.last_insert_rowid())
}

/// A committed event as in-process subscribers read it.
#[derive(Debug, Clone)]
pub struct StoredEvent {
    pub id: i64,
    pub account_id: i64,
    pub name: String,
    pub inbox_id: Option<i64>,
    pub conversation_id: Option<i64>,
    pub message_id: Option<i64>,
    pub contact_id: Option<i64>,
    pub changed: Option<String>,
    pub detail: Option<String>,
    pub by_automation: bool,
    /// The user and notification of a `notification_*` event.
    pub user_id: Option<i64>,
    pub notification_id: Option<i64>,
}

pub(super) const STORED_EVENT_COLUMNS: &str = "e.id, e.account_id, e.name, e.inbox_id, e.conversation_id, e.message_id, e.contact_id, \
     e.changed, e.detail, e.by_automation, e.user_id, e.notification_id";

pub(super) fn stored_event(r: &rusqlite::Row<'_>) -> rusqlite::Result<StoredEvent> {
    Ok(StoredEvent {
        id: r.get(0)?,
        account_id: r.get(1)?,
        name: r.get(2)?,
        inbox_id: r.get(3)?,
        conversation_id: r.get(4)?,
        message_id: r.get(5)?,
        contact_id: r.get(6)?,
        changed: r.get(7)?,
        detail: r.get(8)?,
        by_automation: r.get(9)?,
        user_id: r.get(10)?,
        notification_id: r.get(11)?,
    })
}

/// Events after `after_id`, oldest first, at most `limit`.
pub fn events_after(conn: &Connection, after_id: i64, limit: i64) -> DbResult<Vec<StoredEvent>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {STORED_EVENT_COLUMNS} FROM events e WHERE e.id > ?1 ORDER BY e.id LIMIT +?2"
    ))?;
    let rows = stmt.query_map(params![after_id, limit], stored_event)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Note a change no trigger sees (typing, a merge) for the before-commit step, like a
/// trigger would.
pub fn note_change(conn: &Connection, kind: &str, op: &str, row_id: i64, old: Option<&str>) -> DbResult<()> {
    conn.prepare_cached("INSERT INTO pending_changes (kind, op, row_id, old) VALUES (?1, ?2, ?3, ?4)")?
        .execute(params![kind, op, row_id, old])?;
    Ok(())
}

/// The newest event id (0 when there is none).
pub fn last_event_id(conn: &Connection) -> DbResult<i64> {
    Ok(conn.query_row_cached("SELECT COALESCE(MAX(id), 0) FROM events", [], |r| r.get(0))?)
}

/// Delete events older than `before` whose deliveries are all finished (their deliveries go
/// with them); returns how many events went.
pub fn prune(conn: &Connection, before: i64) -> DbResult<usize> {
    Ok(conn.execute(
        "DELETE FROM events WHERE created_at < ?1 AND NOT EXISTS \
         (SELECT 1 FROM event_deliveries d WHERE d.event_id = events.id AND d.status = 'pending')",
        [before],
    )?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::SyncMode;
    use crate::db::Db;
    use crate::db::event_deliveries::{Receiver, insert_delivery};

    #[test]
    fn pruning_keeps_recent_events_and_unfinished_deliveries() {
        let dir = tempfile::tempdir().expect("dir");
        let db = Db::open(&dir.path().join("t.sqlite3"), SyncMode::Normal).expect("db");
        db.write_sync(|tx| -> DbResult<()> {
            let receiver = Receiver {
                target_type: "Webhook",
                target_id: 1,
                url: "https://example.test/".into(),
            };
            for (name, status) in [
                ("old_done", "delivered"),
                ("old_pending", "pending"),
                ("recent", "delivered"),
            ] {
                let id = insert_event(
                    tx,
                    &NewEvent {
                        account_id: 1,
                        name: name.into(),
                        ..NewEvent::default()
                    },
                )?;
                insert_delivery(tx, id, 1, &receiver)?;
                tx.execute(
                    "UPDATE event_deliveries SET status = ?2 WHERE event_id = ?1",
                    params![id, status],
                )?;
                if name != "recent" {
                    tx.execute("UPDATE events SET created_at = 1000 WHERE id = ?1", [id])?;
                }
            }
            let id = insert_event(
                tx,
                &NewEvent {
                    account_id: 1,
                    name: "old_unheard".into(),
                    ..NewEvent::default()
                },
            )?;
            tx.execute("UPDATE events SET created_at = 1000 WHERE id = ?1", [id])?;
            assert_eq!(
                prune(tx, 10_000)?,
                2,
                "the finished old event and the old one nobody heard"
            );
            let left: Vec<String> = tx
                .prepare("SELECT name FROM events ORDER BY id")?
                .query_map([], |r| r.get(0))?
                .collect::<Result<_, _>>()?;
            assert_eq!(left, ["old_pending", "recent"]);
            let deliveries: i64 = tx.query_row("SELECT count(*) FROM event_deliveries", [], |r| r.get(0))?;
            assert_eq!(deliveries, 2, "deliveries go with their event");
            Ok(())
        })
        .expect("test");
    }
}
