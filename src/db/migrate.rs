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
