//! Notifications, notification settings and push subscriptions (migration 13). Every query
//! names the account and the user: a user never reaches another's notifications.

use rusqlite::{Connection, OptionalExtension, Row, params};
use serde_json::{Map, Value};

use super::events::{self, NewEvent};
use super::{CachedQuery, DbResult, json_column, now_ms};

/// A row of `notifications`.
#[derive(Debug, Clone)]
pub struct Notification {
    pub id: i64,
    pub account_id: i64,
    pub user_id: i64,
    pub notification_type: i64,
    pub primary_actor_type: String,
    pub primary_actor_id: i64,
    pub secondary_actor_type: Option<String>,
    pub secondary_actor_id: Option<i64>,
    pub read_at: Option<i64>,
    pub snoozed_until: Option<i64>,
    pub meta: Map<String, Value>,
    pub last_activity_at: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

const COLUMNS: &str = "n.id, n.account_id, n.user_id, n.notification_type, n.primary_actor_type, \
    n.primary_actor_id, n.secondary_actor_type, n.secondary_actor_id, n.read_at, n.snoozed_until, n.meta, \
    n.last_activity_at, n.created_at, n.updated_at";

fn from_row(row: &Row) -> rusqlite::Result<(Notification, String)> {
    Ok((
        Notification {
            id: row.get(0)?,
            account_id: row.get(1)?,
            user_id: row.get(2)?,
            notification_type: row.get(3)?,
            primary_actor_type: row.get(4)?,
            primary_actor_id: row.get(5)?,
            secondary_actor_type: row.get(6)?,
            secondary_actor_id: row.get(7)?,
            read_at: row.get(8)?,
            snoozed_until: row.get(9)?,
            meta: Map::new(),
            last_activity_at: row.get(11)?,
            created_at: row.get(12)?,
            updated_at: row.get(13)?,
        },
        row.get(10)?,
    ))
}

fn hydrate((mut n, meta): (Notification, String)) -> DbResult<Notification> {
    if let Value::Object(map) = json_column(&meta)? {
        n.meta = map;
    }
    Ok(n)
}

/// What a new notification names.
#[derive(Debug, Clone)]
pub struct NewNotification {
    pub account_id: i64,
    pub user_id: i64,
    pub notification_type: i64,
    pub conversation_id: i64,
    /// `("Message", id)` or `("User", id)`.
    pub secondary_actor: Option<(&'static str, i64)>,
}

/// Insert a notification; returns its id.
pub fn insert(conn: &Connection, n: &NewNotification) -> DbResult<i64> {
    let now = now_ms();
    conn.prepare_cached(
        "INSERT INTO notifications (account_id, user_id, notification_type, primary_actor_type, \
         primary_actor_id, secondary_actor_type, secondary_actor_id, last_activity_at, created_at, updated_at) \
         VALUES (?1, ?2, ?3, 'Conversation', ?4, ?5, ?6, ?7, ?7, ?7)",
    )?
    .execute(params![
        n.account_id,
        n.user_id,
        n.notification_type,
        n.conversation_id,
        n.secondary_actor.map(|(kind, _)| kind),
        n.secondary_actor.map(|(_, id)| id),
        now
    ])?;
    Ok(conn.last_insert_rowid())
}

/// Delete the user's other notifications about the same conversation (Chatwoot's
/// `RemoveDuplicateNotificationJob` keeps the newest); returns the deleted ids.
pub fn delete_older_duplicates(
    conn: &Connection,
    user_id: i64,
    conversation_id: i64,
    keep: i64,
) -> DbResult<Vec<i64>> {
    let mut stmt = conn.prepare_cached(
        "DELETE FROM notifications WHERE user_id = ?1 AND primary_actor_id = ?2 AND id <> ?3 RETURNING id",
    )?;
    let rows = stmt.query_map(params![user_id, conversation_id, keep], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Whether the user already has a notification about this message (a mention of it).
pub fn notified_about_message(conn: &Connection, user_id: i64, message_id: i64) -> DbResult<bool> {
    Ok(conn.exists_cached(
        "SELECT 1 FROM notifications WHERE user_id = ?1 AND secondary_actor_type = 'Message' \
             AND secondary_actor_id = ?2",
        params![user_id, message_id],
    )?)
}

/// Which notifications a list shows (Chatwoot's `NotificationFinder`).
#[derive(Debug, Clone, Copy, Default)]
pub struct ListFilter {
    pub account_id: i64,
    pub user_id: i64,
    pub include_read: bool,
    pub include_snoozed: bool,
    pub ascending: bool,
}

fn filter_sql(f: &ListFilter) -> String {
    let mut sql = String::from("n.account_id = ?1 AND n.user_id = ?2");
    if !f.include_read {
        sql.push_str(" AND n.read_at IS NULL");
    }
    if !f.include_snoozed {
        sql.push_str(" AND n.snoozed_until IS NULL");
    }
    sql
}

/// One page of the list, `PER_PAGE` long, by last activity.
pub fn page(conn: &Connection, f: &ListFilter, page: i64, per_page: i64) -> DbResult<Vec<Notification>> {
    let order = if f.ascending { "ASC" } else { "DESC" };
    let sql = format!(
        "SELECT {COLUMNS} FROM notifications n WHERE {} ORDER BY n.last_activity_at {order}, n.id {order} \
         LIMIT +?3 OFFSET +?4",
        filter_sql(f)
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(
        params![f.account_id, f.user_id, per_page, (page - 1) * per_page],
        from_row,
    )?;
    rows.map(|r| hydrate(r?)).collect()
}

/// `(count, unread_count)` of the list.
pub fn counts(conn: &Connection, f: &ListFilter) -> DbResult<(i64, i64)> {
    let sql = format!(
        "SELECT COUNT(*), COUNT(*) FILTER (WHERE n.read_at IS NULL) FROM notifications n WHERE {}",
        filter_sql(f)
    );
    Ok(
        conn.query_row_cached(&sql, params![f.account_id, f.user_id], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?,
    )
}

/// One of the user's notifications in the account.
pub fn find(conn: &Connection, account_id: i64, user_id: i64, id: i64) -> DbResult<Option<Notification>> {
    conn.query_row_cached(
        &format!(
            "SELECT {COLUMNS} FROM notifications n WHERE n.id = ?1 AND n.account_id = ?2 AND n.user_id = ?3"
        ),
        params![id, account_id, user_id],
        from_row,
    )
    .optional()?
    .map(hydrate)
    .transpose()
}

/// A notification by id, whoever it belongs to (the live fan-out).
pub fn find_by_id(conn: &Connection, id: i64) -> DbResult<Option<Notification>> {
    conn.query_row_cached(
        &format!("SELECT {COLUMNS} FROM notifications n WHERE n.id = ?1"),
        [id],
        from_row,
    )
    .optional()?
    .map(hydrate)
    .transpose()
}

/// Set or clear `read_at`.
pub fn set_read_at(conn: &Connection, id: i64, read_at: Option<i64>) -> DbResult<()> {
    conn.prepare_cached("UPDATE notifications SET read_at = ?2, updated_at = ?3 WHERE id = ?1")?
        .execute(params![id, read_at, now_ms()])?;
    Ok(())
}

/// Set `snoozed_until` and `meta`.
pub fn snooze(conn: &Connection, id: i64, until: Option<i64>, meta: &Map<String, Value>) -> DbResult<()> {
    conn.prepare_cached(
        "UPDATE notifications SET snoozed_until = ?2, meta = ?3, updated_at = ?4 WHERE id = ?1",
    )?
    .execute(params![
        id,
        until,
        Value::Object(meta.clone()).to_string(),
        now_ms()
    ])?;
    Ok(())
}

/// Mark the user's unread notifications of the account read (of one conversation when given).
pub fn read_all(
    conn: &Connection,
    account_id: i64,
    user_id: i64,
    conversation_id: Option<i64>,
) -> DbResult<usize> {
    let now = now_ms();
    Ok(conn
        .prepare_cached(
            "UPDATE notifications SET read_at = ?3, updated_at = ?3 WHERE account_id = ?1 AND user_id = ?2 \
             AND read_at IS NULL AND (?4 IS NULL OR (primary_actor_type = 'Conversation' AND primary_actor_id = ?4))",
        )?
        .execute(params![account_id, user_id, now, conversation_id])?)
}

/// Delete one notification.
pub fn delete(conn: &Connection, id: i64) -> DbResult<()> {
    conn.prepare_cached("DELETE FROM notifications WHERE id = ?1")?
        .execute([id])?;
    Ok(())
}

/// Delete the user's notifications of the account (only read ones when asked); returns the ids.
pub fn delete_all(conn: &Connection, account_id: i64, user_id: i64, only_read: bool) -> DbResult<Vec<i64>> {
    let mut stmt = conn.prepare_cached(
        "DELETE FROM notifications WHERE account_id = ?1 AND user_id = ?2 AND (?3 = 0 OR read_at IS NOT NULL) \
         RETURNING id",
    )?;
    let rows = stmt.query_map(params![account_id, user_id, only_read], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Members of an inbox whose email or push flags include `bit` (conversation_creation).
pub fn subscribed_inbox_members(
    conn: &Connection,
    account_id: i64,
    inbox_id: i64,
    bit: i64,
) -> DbResult<Vec<i64>> {
    let mut stmt = conn.prepare_cached(
        "SELECT im.user_id FROM inbox_members im JOIN notification_settings ns \
         ON ns.user_id = im.user_id AND ns.account_id = ?1 \
         WHERE im.inbox_id = ?2 AND ((ns.email_flags | ns.push_flags) & ?3) <> 0 ORDER BY im.user_id",
    )?;
    let rows = stmt.query_map(params![account_id, inbox_id, bit], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Of the mentioned users and the members of the mentioned teams, those who may be mentioned in
/// the inbox: its members and the account's administrators.
pub fn mentionable(
    conn: &Connection,
    account_id: i64,
    inbox_id: i64,
    user_ids: &[i64],
    team_ids: &[i64],
) -> DbResult<Vec<i64>> {
    let mut stmt = conn.prepare_cached(
        "SELECT DISTINCT m.user_id FROM ( \
             SELECT value AS user_id FROM json_each(?3) \
             UNION SELECT tm.user_id FROM team_members tm JOIN teams t ON t.id = tm.team_id \
             WHERE t.account_id = ?1 AND tm.team_id IN (SELECT value FROM json_each(?4)) \
         ) m WHERE m.user_id IN (SELECT user_id FROM inbox_members WHERE inbox_id = ?2) \
            OR m.user_id IN (SELECT user_id FROM account_users WHERE account_id = ?1 AND role = 1) \
         ORDER BY m.user_id",
    )?;
    let rows = stmt.query_map(
        params![
            account_id,
            inbox_id,
            serde_json::to_string(user_ids).unwrap_or_default(),
            serde_json::to_string(team_ids).unwrap_or_default()
        ],
        |r| r.get(0),
    )?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// A row of `notification_settings`.
#[derive(Debug, Clone)]
pub struct Settings {
    pub id: i64,
    pub account_id: i64,
    pub user_id: i64,
    pub email_flags: i64,
    pub push_flags: i64,
}

/// The user's settings in the account, created with Chatwoot's defaults when missing.
pub fn settings(conn: &Connection, account_id: i64, user_id: i64) -> DbResult<Option<Settings>> {
    Ok(conn
        .query_row_cached(
            "SELECT id, account_id, user_id, email_flags, push_flags FROM notification_settings \
             WHERE account_id = ?1 AND user_id = ?2",
            params![account_id, user_id],
            |r| {
                Ok(Settings {
                    id: r.get(0)?,
                    account_id: r.get(1)?,
                    user_id: r.get(2)?,
                    email_flags: r.get(3)?,
                    push_flags: r.get(4)?,
                })
            },
        )
        .optional()?)
}

/// Write the user's flags (the row is created with `defaults` when missing).
pub fn save_settings(
    conn: &Connection,
    account_id: i64,
    user_id: i64,
    email_flags: i64,
    push_flags: i64,
) -> DbResult<()> {
    let now = now_ms();
    conn.prepare_cached(
        "INSERT INTO notification_settings (account_id, user_id, email_flags, push_flags, created_at, updated_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?5) ON CONFLICT (account_id, user_id) \
         DO UPDATE SET email_flags = excluded.email_flags, push_flags = excluded.push_flags, updated_at = ?5",
    )?
    .execute(params![account_id, user_id, email_flags, push_flags, now])?;
    Ok(())
}

/// A row of `notification_subscriptions`.
#[derive(Debug, Clone)]
pub struct Subscription {
    pub id: i64,
    pub user_id: i64,
    pub subscription_type: i64,
    pub subscription_attributes: Map<String, Value>,
    pub identifier: String,
    pub created_at: i64,
    pub updated_at: i64,
}

/// Create or take over the subscription of `identifier` (a device moves to whoever signed in
/// on it last, as Chatwoot's `NotificationSubscriptionBuilder`).
pub fn upsert_subscription(
    conn: &Connection,
    user_id: i64,
    subscription_type: i64,
    attributes: &Map<String, Value>,
    identifier: &str,
) -> DbResult<Subscription> {
    let now = now_ms();
    let (id, attrs, created_at, updated_at): (i64, String, i64, i64) = conn.query_row_cached(
        "INSERT INTO notification_subscriptions (user_id, subscription_type, subscription_attributes, \
         identifier, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?5) ON CONFLICT (identifier) DO UPDATE \
         SET user_id = excluded.user_id, subscription_type = excluded.subscription_type, \
         subscription_attributes = excluded.subscription_attributes, updated_at = ?5 \
         RETURNING id, subscription_attributes, created_at, updated_at",
        params![
            user_id,
            subscription_type,
            Value::Object(attributes.clone()).to_string(),
            identifier,
            now
        ],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
    )?;
    let subscription_attributes = match json_column(&attrs)? {
        Value::Object(map) => map,
        _ => Map::new(),
    };
    Ok(Subscription {
        id,
        user_id,
        subscription_type,
        subscription_attributes,
        identifier: identifier.to_string(),
        created_at,
        updated_at,
    })
}

/// Delete the user's subscription carrying `push_token`; returns whether one existed.
pub fn delete_subscription(conn: &Connection, user_id: i64, push_token: &str) -> DbResult<bool> {
    Ok(conn
        .prepare_cached(
            "DELETE FROM notification_subscriptions WHERE user_id = ?1 \
             AND json_extract(subscription_attributes, '$.push_token') = ?2",
        )?
        .execute(params![user_id, push_token])?
        > 0)
}

/// Number of the user's subscriptions (tests and the CLI).
pub fn subscription_count(conn: &Connection, user_id: i64) -> DbResult<i64> {
    Ok(conn.query_row_cached(
        "SELECT COUNT(*) FROM notification_subscriptions WHERE user_id = ?1",
        [user_id],
        |r| r.get(0),
    )?)
}

/// Append a `notification_created` / `_updated` / `_deleted` event for the live fan-out (no
/// webhook listens to these).
pub fn append_event(
    conn: &Connection,
    name: &str,
    account_id: i64,
    user_id: i64,
    notification_id: i64,
    conversation_id: Option<i64>,
) -> DbResult<()> {
    events::insert_event(
        conn,
        &NewEvent {
            account_id,
            name: name.to_string(),
            conversation_id,
            user_id: Some(user_id),
            notification_id: Some(notification_id),
            ..NewEvent::default()
        },
    )?;
    Ok(())
}

/// The account's conversations with these ids (the primary actors of a page).
pub fn conversations_by_ids(
    conn: &Connection,
    account_id: i64,
    ids: &[i64],
) -> DbResult<Vec<super::conversations::Conversation>> {
    super::conversations::query(
        conn,
        &format!(
            "SELECT {} FROM conversations v WHERE v.account_id = ?1 AND v.id IN (SELECT value FROM json_each(?2))",
            super::conversations::COLUMNS
        ),
        params![account_id, serde_json::to_string(ids).unwrap_or_default()],
    )
}
