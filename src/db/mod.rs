//! SQLite access: the pool with its pragmas, migrations, and the read/write helpers every handler
//! goes through. Table groups live in submodules as plain `fn(&Connection, …) -> Result<T>`.

pub mod access_tokens;
pub mod account_users;
pub mod accounts;
pub mod agent_bots;
pub mod agents;
pub mod article_search;
pub mod articles;
pub mod attachments;
pub mod audit_logs;
pub mod automation_rules;
pub mod canned_responses;
pub mod categories;
pub mod contacts;
pub mod conversation_list;
pub mod conversations;
pub mod csat;
pub mod custom_attribute_definitions;
pub mod custom_filters;
pub mod dashboard_apps;
pub mod event_deliveries;
pub mod events;
pub mod fts_tokenizer;
pub mod inboxes;
pub mod integrations_hooks;
pub mod labels;
pub mod live;
pub mod macros;
pub mod memo;
pub mod messages;
mod migrate;
pub mod notes;
pub mod notifications;
pub mod participants;
pub mod platform;
pub mod portals;
pub mod reporting_events;
pub mod search;
pub mod secrets;
pub mod sessions;
pub mod teams;
pub mod users;
pub mod webhooks;

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use r2d2_sqlite::SqliteConnectionManager;
use rusqlite::{Connection, OpenFlags, TransactionBehavior};

use crate::config::SyncMode;

pub use migrate::MigrationError;

/// Errors of the storage layer. Anything here is unexpected from the client's point of view.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("sqlite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("connection pool: {0}")]
    Pool(#[from] r2d2::Error),
    #[error("json column: {0}")]
    Json(#[from] serde_json::Error),
    #[error("migrations: {0}")]
    Migration(#[from] MigrationError),
    #[error("recording events: {0}")]
    Events(String),
    #[error("blocking task failed: {0}")]
    Blocking(String),
}

/// Result of storage calls.
pub type DbResult<T> = Result<T, DbError>;

/// How long a connection waits for another process's write lock before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// Shared handle to the database: a pool for concurrent readers and a process-wide writer lock,
/// so that writers queue here instead of racing for SQLite's lock.
#[derive(Clone)]
pub struct Db {
    pool: r2d2::Pool<SqliteConnectionManager>,
    writer: Arc<Mutex<()>>,
    generation: Arc<std::sync::atomic::AtomicU64>,
    /// Conversation counts, valid until the next write.
    pub counts: Arc<memo::CountCache>,
    /// Admits async reads to the blocking pool in arrival order, a few at a time: with more
    /// queries in flight than cores they only share the CPU and every one finishes late.
    read_gate: Arc<tokio::sync::Semaphore>,
    /// Runs inside every write transaction just before it commits (the event recorder).
    before_commit: Arc<std::sync::OnceLock<Box<BeforeCommit>>>,
    /// Moves after every commit; event consumers wait on it.
    commits: Arc<tokio::sync::watch::Sender<u64>>,
}

/// A step run inside each write transaction before it commits; an error rolls the write back.
pub type BeforeCommit = dyn Fn(&Connection) -> DbResult<()> + Send + Sync;

impl Db {
    /// Open (creating if needed) the database file and apply pending migrations.
    pub fn open(path: &Path, sync: SyncMode) -> DbResult<Self> {
        let synchronous = match sync {
            SyncMode::Normal => "NORMAL",
            SyncMode::Full => "FULL",
        };
        let manager = SqliteConnectionManager::file(path)
            .with_flags(
                OpenFlags::SQLITE_OPEN_READ_WRITE
                    | OpenFlags::SQLITE_OPEN_CREATE
                    | OpenFlags::SQLITE_OPEN_NO_MUTEX
                    | OpenFlags::SQLITE_OPEN_URI,
            )
            .with_init(move |conn| configure_connection(conn, synchronous));
        let pool = r2d2::Pool::builder()
            .max_size(8)
            // A SQLite connection does not go stale; checking each checkout costs a statement.
            .test_on_check_out(false)
            .connection_timeout(Duration::from_secs(30))
            .build(manager)?;
        let db = Db {
            pool,
            writer: Arc::new(Mutex::new(())),
            generation: Arc::default(),
            counts: Arc::default(),
            read_gate: Arc::new(tokio::sync::Semaphore::new(read_parallelism())),
            before_commit: Arc::default(),
            commits: Arc::new(tokio::sync::watch::channel(0).0),
        };
        {
            let mut conn = db.pool.get()?;
            migrate::run(&mut conn)?;
        }
        Ok(db)
    }

    /// Run a read-only closure on a pooled connection, synchronously.
    pub fn read_sync<T>(&self, f: impl FnOnce(&Connection) -> DbResult<T>) -> DbResult<T> {
        let conn = self.pool.get()?;
        f(&conn)
    }

    /// Run `f` inside one `BEGIN IMMEDIATE` transaction, synchronously. Commits when `f` returns
    /// `Ok`, rolls back otherwise, so an error leaves nothing half-written.
    pub fn write_sync<T, E>(&self, f: impl FnOnce(&rusqlite::Transaction) -> Result<T, E>) -> Result<T, E>
    where
        E: From<DbError>,
    {
        let _guard = self
            .writer
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let mut conn = self.pool.get().map_err(DbError::from)?;
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(DbError::from)?;
        let value = f(&tx)?;
        if let Some(hook) = self.before_commit.get() {
            hook(&tx)?;
        }
        tx.commit().map_err(DbError::from)?;
        let generation = self.generation.fetch_add(1, std::sync::atomic::Ordering::Release) + 1;
        self.commits.send_replace(generation);
        Ok(value)
    }

    /// Install the step every write runs before committing (once, at start-up).
    pub fn set_before_commit(&self, hook: Box<BeforeCommit>) {
        if self.before_commit.set(hook).is_err() {
            tracing::warn!("the before-commit step was already installed");
        }
    }

    /// A receiver that sees every commit of this process.
    pub fn subscribe_commits(&self) -> tokio::sync::watch::Receiver<u64> {
        self.commits.subscribe()
    }

    /// A number that changes after every committed write of this process (cache invalidation).
    pub fn generation(&self) -> u64 {
        self.generation.load(std::sync::atomic::Ordering::Acquire)
    }

    /// [`Db::read_sync`] on the blocking thread pool, for async handlers.
    pub async fn read<T, E, F>(&self, f: F) -> Result<T, E>
    where
        F: FnOnce(&Connection) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
    {
        let db = self.clone();
        let _permit = self
            .read_gate
            .acquire()
            .await
            .map_err(|err| DbError::Blocking(err.to_string()))?;
        run_blocking(move || {
            let conn = db.pool.get().map_err(DbError::from)?;
            f(&conn)
        })
        .await
    }

    /// [`Db::write_sync`] on the blocking thread pool, for async handlers.
    pub async fn write<T, E, F>(&self, f: F) -> Result<T, E>
    where
        F: FnOnce(&rusqlite::Transaction) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
    {
        let db = self.clone();
        run_blocking(move || db.write_sync(f)).await
    }

    /// Fold the WAL back into the main file; called on shutdown.
    pub fn checkpoint(&self) -> DbResult<()> {
        let conn = self.pool.get()?;
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        Ok(())
    }
}

/// How many async reads run at once: one per core plus one, so a core never idles while a
/// read waits on the disk.
fn read_parallelism() -> usize {
    std::thread::available_parallelism().map_or(2, usize::from) + 1
}

/// `query_row` through the connection's statement cache: the plain rusqlite call parses and
/// plans its SQL again on every call, which is a large share of a small query's cost.
pub trait CachedQuery {
    /// [`Connection::query_row`] on a cached statement.
    fn query_row_cached<T, P, F>(&self, sql: &str, params: P, f: F) -> rusqlite::Result<T>
    where
        P: rusqlite::Params,
        F: FnOnce(&rusqlite::Row<'_>) -> rusqlite::Result<T>;

    /// Whether `sql` (a `SELECT 1 …`) finds a row, on a cached statement: the shape of every
    /// "is this name taken" and "is this user a member" check.
    fn exists_cached<P: rusqlite::Params>(&self, sql: &str, params: P) -> rusqlite::Result<bool>;
}

impl CachedQuery for Connection {
    fn query_row_cached<T, P, F>(&self, sql: &str, params: P, f: F) -> rusqlite::Result<T>
    where
        P: rusqlite::Params,
        F: FnOnce(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    {
        self.prepare_cached(sql)?.query_row(params, f)
    }

    fn exists_cached<P: rusqlite::Params>(&self, sql: &str, params: P) -> rusqlite::Result<bool> {
        self.prepare_cached(sql)?.exists(params)
    }
}

pub use crate::domain::text::like_escape;

/// Whether the database answers (the health checks).
pub fn ping(conn: &Connection) -> DbResult<()> {
    conn.query_row("SELECT 1", [], |_| Ok(()))?;
    Ok(())
}

/// Run blocking work off the async workers.
pub async fn run_blocking<T, E>(f: impl FnOnce() -> Result<T, E> + Send + 'static) -> Result<T, E>
where
    T: Send + 'static,
    E: From<DbError> + Send + 'static,
{
    match tokio::task::spawn_blocking(f).await {
        Ok(result) => result,
        Err(join) => Err(DbError::Blocking(join.to_string()).into()),
    }
}

/// Pragmas set once per pooled connection.
fn configure_connection(conn: &mut Connection, synchronous: &str) -> rusqlite::Result<()> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    // The app has far more distinct statements than the default cache of 16 holds.
    conn.set_prepared_statement_cache_capacity(256);
    conn.execute_batch(&format!(
        "PRAGMA journal_mode = WAL;
         PRAGMA synchronous = {synchronous};
         PRAGMA foreign_keys = ON;
         PRAGMA temp_store = MEMORY;
         PRAGMA cache_size = -16000;
         PRAGMA mmap_size = 268435456;"
    ))
}

/// Current time in unix milliseconds, the unit of every stored timestamp.
pub fn now_ms() -> i64 {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    i64::try_from(now.as_millis()).unwrap_or(i64::MAX)
}

/// Parse a JSON text column, tolerating an empty string as `{}`.
pub fn json_column(text: &str) -> DbResult<serde_json::Value> {
    if text.is_empty() {
        return Ok(serde_json::Value::Object(Default::default()));
    }
    Ok(serde_json::from_str(text)?)
}

#[cfg(test)]
mod tests {
    use rusqlite::{Connection, StatementStatus};

    /// SQLite 3.53 re-prepares a statement on every run when `LIMIT`/`OFFSET` is a bare
    /// parameter (the planner looks at its value); `LIMIT +?` keeps the cached plan.
    #[test]
    fn unary_plus_limits_keep_the_prepared_plan() {
        let conn = Connection::open_in_memory().expect("db");
        conn.execute_batch("CREATE TABLE t (id INTEGER PRIMARY KEY); INSERT INTO t VALUES (1), (2);")
            .expect("schema");
        let reprepares = |sql: &str| {
            let mut stmt = conn.prepare(sql).expect("prepare");
            for limit in [1, 2, 1] {
                stmt.query_map([limit], |_| Ok(())).expect("query").for_each(drop);
            }
            stmt.get_status(StatementStatus::RePrepare)
        };
        let bare = format!("SELECT id FROM t LIMIT {}1", '?');
        assert!(reprepares(&bare) > 0, "the cost this rule avoids");
        assert_eq!(reprepares("SELECT id FROM t LIMIT +?1"), 0);
    }

    /// The bundled SQLite is built without STAT4 (`.cargo/config.toml`): after ANALYZE, a
    /// statement comparing a parameter with an indexed column keeps its plan across runs.
    #[test]
    fn analyzed_statements_keep_their_plan() {
        let conn = Connection::open_in_memory().expect("db");
        conn.execute_batch(
            "CREATE TABLE t (id INTEGER PRIMARY KEY, a INT, b INT); CREATE INDEX ta ON t (a, b);
             WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 2000)
             INSERT INTO t SELECT x, x % 7, x FROM n; ANALYZE;",
        )
        .expect("schema");
        let mut stmt = conn
            .prepare("SELECT id FROM t WHERE a = ?1 ORDER BY b DESC LIMIT 25")
            .expect("prepare");
        for a in [1, 2, 3] {
            stmt.query_map([a], |_| Ok(())).expect("query").for_each(drop);
        }
        assert_eq!(stmt.get_status(StatementStatus::RePrepare), 0);
    }

    /// Tidy: no SQL in `src/` binds a bare LIMIT or OFFSET parameter (see above).
    #[test]
    fn no_bare_limit_parameters() {
        fn walk(dir: &std::path::Path, found: &mut Vec<String>) {
            for entry in std::fs::read_dir(dir).expect("src").flatten() {
                let path = entry.path();
                if path.is_dir() {
                    walk(&path, found);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let text = std::fs::read_to_string(&path).expect("read");
                    for (n, line) in text.lines().enumerate() {
                        let bad = ["LIMIT", "OFFSET"].map(|word| format!("{word} {}", '?'));
                        if bad.iter().any(|bad| line.contains(bad.as_str())) {
                            found.push(format!("{}:{}", path.display(), n + 1));
                        }
                    }
                }
            }
        }
        let mut found = Vec::new();
        walk(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
            &mut found,
        );
        assert!(found.is_empty(), "use LIMIT +? / OFFSET +?: {found:?}");
    }
}
