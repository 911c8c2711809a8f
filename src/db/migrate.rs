//! Embedded, numbered SQL migrations applied in order and tracked in `PRAGMA user_version`.

use rusqlite::Connection;
use rust_embed::RustEmbed;

#[derive(RustEmbed)]
#[folder = "migrations/"]
struct MigrationFiles;

/// Why the schema could not be brought up to date.
#[derive(Debug, thiserror::Error)]
pub enum MigrationError {
    #[error(
        "the database is at schema version {found}, newer than this Parlor knows ({known}); \
         run a newer Parlor or restore a backup (the database was not modified)"
    )]
    NewerDatabase { found: u32, known: u32 },
    #[error("migration {name} failed: {source}")]
    Failed { name: String, source: rusqlite::Error },
    #[error("migration file {0} is not UTF-8")]
    NotUtf8(String),
    #[error("reading the schema version: {0}")]
    Version(#[from] rusqlite::Error),
}

/// `(name, sql)` of every `NN-name/up.sql`, in name order.
fn embedded() -> Result<Vec<(String, String)>, MigrationError> {
    let mut names: Vec<String> = MigrationFiles::iter()
        .filter(|path| path.ends_with("/up.sql"))
        .map(|path| path.into_owned())
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|name| {
            let file = MigrationFiles::get(&name).ok_or_else(|| MigrationError::NotUtf8(name.clone()))?;
            let sql = String::from_utf8(file.data.into_owned())
                .map_err(|_| MigrationError::NotUtf8(name.clone()))?;
            Ok((name, sql))
        })
        .collect()
}

/// Apply every migration past the stored version, each in its own transaction.
pub fn run(conn: &mut Connection) -> Result<(), MigrationError> {
    let migrations = embedded()?;
    let known = u32::try_from(migrations.len()).unwrap_or(u32::MAX);
    let found: u32 = conn.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    if found > known {
        return Err(MigrationError::NewerDatabase { found, known });
    }
    for (index, (name, sql)) in migrations.iter().enumerate().skip(found as usize) {
        let version = index + 1;
        let tx = conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(|source| MigrationError::Failed {
                name: name.clone(),
                source,
            })?;
        // Another process may have migrated while we waited for the lock.
        let current: u32 = tx.query_row("PRAGMA user_version", [], |row| row.get(0))?;
        if current as usize >= version {
            continue;
        }
        tx.execute_batch(sql)
            .and_then(|()| tx.execute_batch(&format!("PRAGMA user_version = {version}")))
            .and_then(|()| tx.commit())
            .map_err(|source| MigrationError::Failed {
                name: name.clone(),
                source,
            })?;
        tracing::info!(migration = %name, "applied migration");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Migration 08 rebuilds the message index from existing messages, keyed by conversation.
    #[test]
    fn message_search_rebuild_names_conversations() {
        let mut conn = Connection::open_in_memory().expect("db");
        run(&mut conn).expect("migrations");
        conn.execute_batch(
            "INSERT INTO accounts (name, created_at, updated_at) VALUES ('A', 0, 0);
             INSERT INTO channels (account_id, channel_type, identifier, created_at, updated_at)
                 VALUES (1, 'Channel::Api', 'x', 0, 0);
             INSERT INTO inboxes (account_id, channel_id, name, created_at, updated_at) VALUES (1, 1, 'I', 0, 0);
             INSERT INTO contacts (account_id, name, contact_type, created_at, updated_at) VALUES (1, 'C', 1, 0, 0);
             INSERT INTO conversations (account_id, inbox_id, contact_id, display_id, uuid, status,
                 last_activity_at, created_at, updated_at) VALUES (1, 1, 1, 1, 'u1', 0, 0, 0, 0),
                 (1, 1, 1, 2, 'u2', 0, 0, 0, 0);
             INSERT INTO messages (account_id, inbox_id, conversation_id, message_type, content, created_at, updated_at)
                 VALUES (1, 1, 1, 0, 'hello there', 0, 0), (1, 1, 2, 1, 'refund approved', 0, 0),
                        (1, 1, 2, 2, 'refund activity is not indexed', 0, 0);",
        )
        .expect("rows");
        let found = |conn: &Connection| -> Vec<i64> {
            let mut stmt = conn
                .prepare("SELECT rowid >> 32 FROM messages_search WHERE messages_search MATCH '\"refund\"'")
                .expect("query");
            stmt.query_map([], |r| r.get(0))
                .expect("rows")
                .collect::<Result<_, _>>()
                .expect("ids")
        };
        assert_eq!(found(&conn), [2], "written by the trigger");
        let rebuild = embedded()
            .expect("embedded")
            .into_iter()
            .find(|(name, _)| name.starts_with("08-"))
            .expect("migration 08");
        conn.execute_batch(&rebuild.1).expect("rebuild");
        assert_eq!(found(&conn), [2], "rebuilt from the messages");
        conn.execute(
            "UPDATE messages SET content = 'deleted' WHERE conversation_id = 2",
            [],
        )
        .expect("edit");
        assert!(found(&conn).is_empty(), "edits leave the index");
    }
}
