//! `contacts`, their labels and their contact inboxes.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, Row, params};
use serde_json::{Map, Value};

use super::{CachedQuery, DbResult, json_column, now_ms};

/// One contact.
#[derive(Debug, Clone)]
pub struct Contact {
    pub id: i64,
    pub account_id: i64,
    pub name: String,
    pub email: Option<String>,
    pub phone_number: Option<String>,
    pub identifier: Option<String>,
    pub blocked: bool,
    pub additional_attributes: Map<String, Value>,
    pub custom_attributes: Map<String, Value>,
    pub last_activity_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// A contact inbox joined with its inbox summary.
#[derive(Debug, Clone)]
pub struct ContactInbox {
    pub id: i64,
    pub contact_id: i64,
    pub inbox_id: i64,
    pub source_id: String,
    pub hmac_verified: bool,
    pub pubsub_token: String,
    pub inbox_name: String,
    pub channel_id: i64,
    pub channel_type: String,
    pub created_at: i64,
    pub updated_at: i64,
}

/// Columns of `c` (contacts) in [`from_row`] order.
pub const COLUMNS: &str = "c.id, c.account_id, c.name, c.email, c.phone_number, c.identifier, c.blocked, \
    c.additional_attributes, c.custom_attributes, c.last_activity_at, c.created_at, c.updated_at";

/// How many columns [`COLUMNS`] selects (the index of a column appended after them).
const COLUMN_COUNT: usize = 12;

/// Index/search/filter only list contacts that can be reached or identified (Chatwoot's rule).
pub const LISTABLE: &str =
    "(COALESCE(c.email, '') != '' OR COALESCE(c.phone_number, '') != '' OR COALESCE(c.identifier, '') != '')";

fn object(text: &str) -> DbResult<Map<String, Value>> {
    Ok(match json_column(text)? {
        Value::Object(map) => map,
        _ => Map::new(),
    })
}

/// Read a contact from a row selected with [`COLUMNS`].
pub fn from_row(row: &Row) -> rusqlite::Result<(Contact, String, String)> {
    Ok((
        Contact {
            id: row.get(0)?,
            account_id: row.get(1)?,
            name: row.get(2)?,
            email: row.get(3)?,
            phone_number: row.get(4)?,
            identifier: row.get(5)?,
            blocked: row.get(6)?,
            additional_attributes: Map::new(),
            custom_attributes: Map::new(),
            last_activity_at: row.get(9)?,
            created_at: row.get(10)?,
            updated_at: row.get(11)?,
        },
        row.get(7)?,
        row.get(8)?,
    ))
}

/// Parse the JSON columns of a row read by [`from_row`].
pub fn hydrate((mut contact, additional, custom): (Contact, String, String)) -> DbResult<Contact> {
    contact.additional_attributes = object(&additional)?;
    contact.custom_attributes = object(&custom)?;
    Ok(contact)
}

/// Run a contact query and hydrate every row.
pub fn query(conn: &Connection, sql: &str, params: impl rusqlite::Params) -> DbResult<Vec<Contact>> {
    let mut stmt = conn.prepare_cached(sql)?;
    stmt.query_map(params, from_row)?
        .map(|raw| hydrate(raw?))
        .collect()
}

/// A contact by id, whatever its account (the event recorder).
pub fn find_by_id(conn: &Connection, id: i64) -> DbResult<Option<Contact>> {
    Ok(query(
        conn,
        &format!("SELECT {COLUMNS} FROM contacts c WHERE c.id = ?1"),
        [id],
    )?
    .into_iter()
    .next())
}

/// One contact of the account.
pub fn find(conn: &Connection, account_id: i64, id: i64) -> DbResult<Option<Contact>> {
    Ok(query(
        conn,
        &format!("SELECT {COLUMNS} FROM contacts c WHERE c.account_id = ?1 AND c.id = ?2"),
        params![account_id, id],
    )?
    .into_iter()
    .next())
}

/// A page of listable contacts, with the total.
pub fn page(
    conn: &Connection,
    account_id: i64,
    order: Option<&str>,
    page: i64,
    per_page: i64,
) -> DbResult<(Vec<Contact>, i64)> {
    let count = conn.query_row_cached(
        &format!("SELECT COUNT(*) FROM contacts c WHERE c.account_id = ?1 AND {LISTABLE}"),
        [account_id],
        |r| r.get(0),
    )?;
    let order = order.unwrap_or("c.id");
    let rows = query(
        conn,
        &format!(
            "SELECT {COLUMNS} FROM contacts c WHERE c.account_id = ?1 AND {LISTABLE} ORDER BY {order} LIMIT +?2 OFFSET +?3"
        ),
        params![account_id, per_page, (page - 1) * per_page],
    )?;
    Ok((rows, count))
}

/// Quote a search term for an FTS5 phrase (`"` doubled).
fn fts_phrase(q: &str) -> String {
    format!("\"{}\"", q.replace('"', "\"\""))
}

/// Listable contacts whose name, email, phone, identifier or company contains `q`
/// (case-insensitive). Terms of three or more characters use the trigram index.
pub fn search(
    conn: &Connection,
    account_id: i64,
    q: &str,
    order: Option<&str>,
    page: i64,
    per_page: i64,
) -> DbResult<(Vec<Contact>, i64)> {
    let order = order.unwrap_or("c.id");
    let (matching, param) = if q.chars().count() >= 3 {
        (
            "c.id IN (SELECT rowid FROM contacts_search WHERE contacts_search MATCH ?2)".to_string(),
            fts_phrase(q),
        )
    } else {
        let like = format!("%{}%", super::like_escape(q));
        (
            "(c.name LIKE ?2 ESCAPE '\\' OR c.email LIKE ?2 ESCAPE '\\' OR c.phone_number LIKE ?2 ESCAPE '\\' \
              OR c.identifier LIKE ?2 ESCAPE '\\' OR json_extract(c.additional_attributes, '$.company_name') LIKE ?2 ESCAPE '\\')"
                .to_string(),
            like,
        )
    };
    // One statement: the matching ids are computed once (the full-text match is the costly
    // part), then counted and paged.
    let wanted = format!("c.account_id = ?1 AND {LISTABLE} AND {matching}");
    let sql = format!(
        "WITH hits AS MATERIALIZED (SELECT c.id FROM contacts c WHERE {wanted}) \
         SELECT {COLUMNS}, (SELECT COUNT(*) FROM hits) FROM contacts c WHERE c.id IN hits \
         ORDER BY {order} LIMIT +?3 OFFSET +?4"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut count = None;
    let rows = stmt
        .query_map(
            params![account_id, param, per_page, (page - 1) * per_page],
            |row| Ok((from_row(row)?, row.get::<_, i64>(COLUMN_COUNT)?)),
        )?
        .map(|raw| {
            let (raw, total) = raw?;
            count = Some(total);
            hydrate(raw)
        })
        .collect::<DbResult<Vec<Contact>>>()?;
    let count = match count {
        Some(total) => total,
        None if page <= 1 => 0,
        None => conn.query_row_cached(
            &format!("SELECT COUNT(*) FROM contacts c WHERE {wanted}"),
            params![account_id, param],
            |r| r.get(0),
        )?,
    };
    Ok((rows, count))
}

/// Which of email / phone / identifier another contact of the account already uses.
pub fn taken_field(conn: &Connection, contact: &Contact) -> DbResult<Option<&'static str>> {
    let checks = [
        ("email", "email", contact.email.as_deref()),
        ("phone_number", "phone_number", contact.phone_number.as_deref()),
        ("identifier", "identifier", contact.identifier.as_deref()),
    ];
    for (field, column, value) in checks {
        let Some(value) = value else { continue };
        let taken = conn.exists_cached(
            &format!("SELECT 1 FROM contacts WHERE account_id = ?1 AND {column} = ?2 AND id != ?3"),
            params![contact.account_id, value, contact.id],
        )?;
        if taken {
            return Ok(Some(field));
        }
    }
    Ok(None)
}

/// Insert (id 0) or update; returns the stored contact.
pub fn save(conn: &Connection, contact: &Contact) -> DbResult<Contact> {
    let now = now_ms();
    let mut stored = contact.clone();
    if contact.id == 0 {
        conn.execute(
            "INSERT INTO contacts (account_id, created_at, updated_at) VALUES (?1, ?2, ?2)",
            params![contact.account_id, now],
        )?;
        stored.id = conn.last_insert_rowid();
        stored.created_at = now;
    }
    let lead = contact.email.is_some() || contact.phone_number.is_some() || contact.identifier.is_some();
    conn.execute(
        "UPDATE contacts SET name = ?3, email = ?4, phone_number = ?5, identifier = ?6, blocked = ?7, \
         contact_type = MAX(contact_type, ?8), additional_attributes = ?9, custom_attributes = ?10, \
         last_activity_at = ?11, updated_at = ?12 WHERE account_id = ?1 AND id = ?2",
        params![
            contact.account_id,
            stored.id,
            contact.name,
            contact.email,
            contact.phone_number,
            contact.identifier,
            contact.blocked,
            i64::from(lead),
            Value::Object(contact.additional_attributes.clone()).to_string(),
            Value::Object(contact.custom_attributes.clone()).to_string(),
            contact.last_activity_at,
            now,
        ],
    )?;
    stored.updated_at = now;
    Ok(stored)
}

/// Delete a contact (conversations, labels, notes and contact inboxes go with it).
pub fn delete(conn: &Connection, account_id: i64, id: i64) -> DbResult<()> {
    conn.execute(
        "DELETE FROM contacts WHERE account_id = ?1 AND id = ?2",
        params![account_id, id],
    )?;
    Ok(())
}

/// Labels of a contact, sorted.
pub fn labels(conn: &Connection, contact_id: i64) -> DbResult<Vec<String>> {
    let mut stmt =
        conn.prepare_cached("SELECT label FROM contact_labels WHERE contact_id = ?1 ORDER BY label")?;
    let rows = stmt
        .query_map([contact_id], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

/// Replace a contact's labels.
pub fn set_labels(conn: &Connection, contact_id: i64, labels: &[String]) -> DbResult<()> {
    conn.execute("DELETE FROM contact_labels WHERE contact_id = ?1", [contact_id])?;
    let mut stmt =
        conn.prepare_cached("INSERT OR IGNORE INTO contact_labels (contact_id, label) VALUES (?1, ?2)")?;
    for label in labels {
        stmt.execute(params![contact_id, label])?;
    }
    Ok(())
}

const CONTACT_INBOX_SELECT: &str = "SELECT ci.id, ci.contact_id, ci.inbox_id, ci.source_id, ci.hmac_verified, \
    ci.pubsub_token, i.name, i.channel_id, ch.channel_type, ci.created_at, ci.updated_at \
    FROM contact_inboxes ci JOIN inboxes i ON i.id = ci.inbox_id JOIN channels ch ON ch.id = i.channel_id";

fn contact_inbox_row(row: &Row) -> rusqlite::Result<ContactInbox> {
    Ok(ContactInbox {
        id: row.get(0)?,
        contact_id: row.get(1)?,
        inbox_id: row.get(2)?,
        source_id: row.get(3)?,
        hmac_verified: row.get(4)?,
        pubsub_token: row.get(5)?,
        inbox_name: row.get(6)?,
        channel_id: row.get(7)?,
        channel_type: row.get(8)?,
        created_at: row.get(9)?,
        updated_at: row.get(10)?,
    })
}

/// Contact inboxes of many contacts in one query, keyed by contact id.
pub fn contact_inboxes_for(
    conn: &Connection,
    contact_ids: &[i64],
) -> DbResult<HashMap<i64, Vec<ContactInbox>>> {
    let ids = Value::from(contact_ids.to_vec()).to_string();
    let mut stmt = conn.prepare_cached(&format!(
        "{CONTACT_INBOX_SELECT} WHERE ci.contact_id IN (SELECT value FROM json_each(?1)) ORDER BY ci.id"
    ))?;
    let mut map: HashMap<i64, Vec<ContactInbox>> = HashMap::new();
    for row in stmt.query_map([ids], contact_inbox_row)? {
        let row = row?;
        map.entry(row.contact_id).or_default().push(row);
    }
    Ok(map)
}

/// A contact inbox by inbox and source id.
pub fn find_contact_inbox(
    conn: &Connection,
    inbox_id: i64,
    source_id: &str,
) -> DbResult<Option<ContactInbox>> {
    Ok(conn
        .query_row_cached(
            &format!("{CONTACT_INBOX_SELECT} WHERE ci.inbox_id = ?1 AND ci.source_id = ?2"),
            params![inbox_id, source_id],
            contact_inbox_row,
        )
        .optional()?)
}

/// A contact inbox by id.
pub fn find_contact_inbox_by_id(conn: &Connection, id: i64) -> DbResult<Option<ContactInbox>> {
    Ok(conn
        .query_row_cached(
            &format!("{CONTACT_INBOX_SELECT} WHERE ci.id = ?1"),
            [id],
            contact_inbox_row,
        )
        .optional()?)
}

/// Contact inboxes by id (one query for a page of conversations).
pub fn find_contact_inboxes(conn: &Connection, ids: &[i64]) -> DbResult<HashMap<i64, ContactInbox>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{CONTACT_INBOX_SELECT} WHERE ci.id IN (SELECT value FROM json_each(?1))"
    ))?;
    let rows = stmt.query_map(
        [serde_json::to_string(ids).unwrap_or_default()],
        contact_inbox_row,
    )?;
    let mut found = HashMap::new();
    for row in rows {
        let ci = row?;
        found.insert(ci.id, ci);
    }
    Ok(found)
}

/// Every contact of the account that lists show (the CSV export), oldest first.
pub fn all_listable(conn: &Connection, account_id: i64) -> DbResult<Vec<Contact>> {
    query(
        conn,
        &format!("SELECT {COLUMNS} FROM contacts c WHERE c.account_id = ?1 AND {LISTABLE} ORDER BY c.id"),
        [account_id],
    )
}

/// Columns a contact can be found by when an import or the Client API names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContactKey {
    Email,
    PhoneNumber,
    Identifier,
}

/// The first contact of the account whose `key` column equals `value`.
pub fn find_by_key(
    conn: &Connection,
    account_id: i64,
    key: ContactKey,
    value: &str,
) -> DbResult<Option<Contact>> {
    let column = match key {
        ContactKey::Email => "email",
        ContactKey::PhoneNumber => "phone_number",
        ContactKey::Identifier => "identifier",
    };
    let sql = format!(
        "SELECT {COLUMNS} FROM contacts c WHERE c.account_id = ?1 AND c.{column} = ?2 ORDER BY c.id LIMIT 1"
    );
    Ok(query(conn, &sql, params![account_id, value])?.into_iter().next())
}

/// Mark a contact inbox as verified by the identity hash.
pub fn set_hmac_verified(conn: &Connection, contact_inbox_id: i64) -> DbResult<()> {
    conn.execute(
        "UPDATE contact_inboxes SET hmac_verified = 1 WHERE id = ?1",
        [contact_inbox_id],
    )?;
    Ok(())
}

/// The first contact inbox with `source_id` among the account's inboxes.
pub fn find_contact_inbox_by_source(
    conn: &Connection,
    account_id: i64,
    source_id: &str,
) -> DbResult<Option<ContactInbox>> {
    let id: Option<i64> = conn
        .query_row_cached(
            "SELECT ci.id FROM contact_inboxes ci JOIN inboxes i ON i.id = ci.inbox_id \
             WHERE i.account_id = ?1 AND ci.source_id = ?2 ORDER BY ci.id LIMIT 1",
            params![account_id, source_id],
            |r| r.get(0),
        )
        .optional()?;
    match id {
        Some(id) => find_contact_inbox_by_id(conn, id),
        None => Ok(None),
    }
}

/// Move everything of `mergee` (conversations, contact inboxes, notes, sent messages, labels)
/// to `base`; the caller deletes the mergee.
pub fn move_to(conn: &Connection, account_id: i64, base_id: i64, mergee_id: i64) -> DbResult<()> {
    for (table, column) in [
        ("conversations", "contact_id"),
        ("contact_inboxes", "contact_id"),
        ("notes", "contact_id"),
    ] {
        conn.execute(
            &format!("UPDATE {table} SET {column} = ?1 WHERE {column} = ?2"),
            params![base_id, mergee_id],
        )?;
    }
    conn.execute(
        "UPDATE messages SET sender_id = ?1 WHERE account_id = ?3 AND sender_type = 'Contact' AND sender_id = ?2",
        params![base_id, mergee_id, account_id],
    )?;
    conn.execute(
        "INSERT OR IGNORE INTO contact_labels (contact_id, label) SELECT ?1, label FROM contact_labels WHERE contact_id = ?2",
        params![base_id, mergee_id],
    )?;
    Ok(())
}

/// The latest contact inbox of a contact in an inbox.
pub fn contact_inbox_of(conn: &Connection, contact_id: i64, inbox_id: i64) -> DbResult<Option<ContactInbox>> {
    Ok(conn
        .query_row_cached(
            &format!("{CONTACT_INBOX_SELECT} WHERE ci.contact_id = ?1 AND ci.inbox_id = ?2 ORDER BY ci.id DESC LIMIT 1"),
            params![contact_id, inbox_id],
            contact_inbox_row,
        )
        .optional()?)
}

/// Create a contact inbox; returns it.
pub fn insert_contact_inbox(
    conn: &Connection,
    contact_id: i64,
    inbox_id: i64,
    source_id: &str,
    hmac_verified: bool,
) -> DbResult<ContactInbox> {
    let now = now_ms();
    conn.execute(
        "INSERT INTO contact_inboxes (contact_id, inbox_id, source_id, hmac_verified, pubsub_token, created_at, updated_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
        params![contact_id, inbox_id, source_id, hmac_verified, crate::domain::tokens::base58(24), now],
    )?;
    let id = conn.last_insert_rowid();
    find_contact_inbox_by_id(conn, id)?.ok_or(super::DbError::Sqlite(rusqlite::Error::QueryReturnedNoRows))
}

/// Contacts of the account among `ids`, keyed by id (one query).
pub fn find_many(conn: &Connection, account_id: i64, ids: &[i64]) -> DbResult<HashMap<i64, Contact>> {
    let rows = query(
        conn,
        &format!(
            "SELECT {COLUMNS} FROM contacts c WHERE c.account_id = ?1 AND c.id IN (SELECT value FROM json_each(?2))"
        ),
        params![account_id, Value::from(ids.to_vec()).to_string()],
    )?;
    Ok(rows.into_iter().map(|c| (c.id, c)).collect())
}

/// Source ids of contact inboxes by id (one query).
pub fn source_ids(conn: &Connection, contact_inbox_ids: &[i64]) -> DbResult<HashMap<i64, String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, source_id FROM contact_inboxes WHERE id IN (SELECT value FROM json_each(?1))",
    )?;
    let rows = stmt
        .query_map([Value::from(contact_inbox_ids.to_vec()).to_string()], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

/// A page of listable contacts matching a compiled filter, with the total.
pub fn filtered(
    conn: &Connection,
    account_id: i64,
    condition: &crate::domain::filters::Compiled,
    page: i64,
    per_page: i64,
) -> DbResult<(Vec<Contact>, i64)> {
    use rusqlite::types::Value as Sql;
    let mut params = vec![Sql::Integer(account_id)];
    params.extend(condition.params.iter().map(super::conversation_list::bound));
    let clause = &condition.sql;
    let count = conn.query_row_cached(
        &format!("SELECT COUNT(*) FROM contacts c WHERE c.account_id = ? AND {LISTABLE} AND {clause}"),
        rusqlite::params_from_iter(params.iter()),
        |r| r.get(0),
    )?;
    params.push(Sql::Integer(per_page));
    params.push(Sql::Integer((page - 1).saturating_mul(per_page)));
    let rows = query(
        conn,
        &format!(
            "SELECT {COLUMNS} FROM contacts c WHERE c.account_id = ? AND {LISTABLE} AND {clause} ORDER BY c.id LIMIT +? OFFSET +?"
        ),
        rusqlite::params_from_iter(params.iter()),
    )?;
    Ok((rows, count))
}

#[cfg(test)]
mod tests {
    use super::{COLUMN_COUNT, COLUMNS};

    #[test]
    fn column_count_matches_the_column_list() {
        assert_eq!(COLUMNS.split(',').count(), COLUMN_COUNT);
    }
}
