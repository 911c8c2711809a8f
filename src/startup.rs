//! Building the server: open the data directory and database, bind, serve. Shared by `main` and
//! the integration tests (which bind port 0).

use std::net::TcpListener;
use std::sync::Arc;

use actix_web::dev::Server;
use actix_web::middleware::{Compress, DefaultHeaders, NormalizePath, TrailingSlash};
use actix_web::{App, HttpServer, web};
use tracing_actix_web::TracingLogger;

use crate::config::Config;
use crate::db::Db;
use crate::state::AppState;

/// Errors that stop the server from starting.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("data directory {path}: {source}")]
    DataDir { path: String, source: std::io::Error },
    #[error("database: {0}")]
    Database(#[from] crate::db::DbError),
    #[error("binding {addr}: {source}")]
    Bind { addr: String, source: std::io::Error },
    #[error("invalid configuration: {0}")]
    Config(String),
    #[error("outgoing HTTP client: {0}")]
    Outgoing(#[from] crate::events::outgoing::OutgoingError),
}

/// Create the data directory (and its uploads folder) and open the migrated database.
pub fn open_database(config: &Config) -> Result<Db, StartupError> {
    config.validate().map_err(StartupError::Config)?;
    for dir in [config.data_dir.clone(), config.data_dir.join("uploads")] {
        std::fs::create_dir_all(&dir).map_err(|source| StartupError::DataDir {
            path: dir.display().to_string(),
            source,
        })?;
    }
    Ok(Db::open(&config.database_path(), config.sync_mode)?)
}

/// A running-to-be server plus where it listens.
pub struct Application {
    pub port: u16,
    pub state: AppState,
    server: Server,
}

impl Application {
    /// Open storage and bind `config.bind` (port 0 picks a free port).
    pub fn build(mut config: Config) -> Result<Self, StartupError> {
        let db = open_database(&config)?;
        // The search tokenizer's table takes ~0.1 s to read from FTS5: read it now, off the
        // request path, rather than in the first search.
        std::thread::spawn(|| std::sync::LazyLock::force(&crate::db::fts_tokenizer::TOKENIZER));
        let listener = TcpListener::bind(config.bind).map_err(|source| StartupError::Bind {
            addr: config.bind.to_string(),
            source,
        })?;
        let bound = listener.local_addr().map_err(|source| StartupError::Bind {
            addr: config.bind.to_string(),
            source,
        })?;
        // With port 0 the real port is known only now; default links must use it.
        config.bind = bound;
        let port = bound.port();
        start_events(&db, &config)?;
        let state = AppState::new(db, config);
        crate::events::automation::spawn(state.db.clone(), &state.events, state.config.frontend_url());
        let hub = crate::live::hub::Hub::new();
        crate::live::fanout::spawn(
            state.db.clone(),
            &state.events,
            hub.clone(),
            state.config.frontend_url(),
        );
        let server = serve(listener, state.clone(), hub).map_err(|source| StartupError::Bind {
            addr: format!("port {port}"),
            source,
        })?;
        Ok(Application { port, state, server })
    }

    /// Serve until SIGINT/SIGTERM (actix stops accepting, finishes in-flight requests), then
    /// checkpoint the WAL.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let result = self.server.await;
        if let Err(err) = self.state.db.checkpoint() {
            tracing::warn!(error = %err, "WAL checkpoint at shutdown failed");
        }
        result
    }
}

/// Record events with every write and deliver them in the background.
fn start_events(db: &Db, config: &Config) -> Result<(), StartupError> {
    use crate::events::{dispatcher::Dispatcher, outgoing};
    let base_url = config.frontend_url();
    db.set_before_commit(Box::new(crate::events::recorder::record_pending_changes));
    let policy = if config.allow_private_webhooks {
        outgoing::AddressPolicy::AllowPrivate
    } else {
        outgoing::AddressPolicy::PublicOnly
    };
    let client = outgoing::OutgoingClient::new(policy)?;
    let retention = std::time::Duration::from_secs(config.event_retention_days.saturating_mul(86_400));
    tokio::spawn(Dispatcher::new(db.clone(), client, retention, base_url).run());
    Ok(())
}

fn serve(listener: TcpListener, state: AppState, hub: Arc<crate::live::hub::Hub>) -> std::io::Result<Server> {
    let data = web::Data::new(state);
    let hub = web::Data::from(hub);
    let portal_caches = web::Data::new(crate::web::help_center::caches::PortalCaches::default());
    let server = HttpServer::new(move || {
        App::new()
            // Rails routes ignore a trailing slash (`POST /platform/api/v1/users/`), and
            // generated clients send one: trimmed once, here, for every route.
            .wrap(NormalizePath::new(TrailingSlash::Trim))
            .wrap(Compress::default())
            .wrap(DefaultHeaders::new().add(("X-Content-Type-Options", "nosniff")))
            .wrap(TracingLogger::default())
            .app_data(data.clone())
            .app_data(portal_caches.clone())
            .app_data(hub.clone())
            .configure(crate::routes::configure)
    })
    .shutdown_timeout(30)
    .listen(listener)?
    .run();
    Ok(server)
}
