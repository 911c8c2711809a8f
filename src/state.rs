//! State shared by every request.

use std::sync::Arc;
use std::time::Duration;

use crate::config::Config;
use crate::db::Db;
use crate::events::stream::EventStream;
use crate::presence::Presence;
use crate::rate_limit::{AuthLimiter, ProxyWarning};

/// Database handle, settings and the failed-auth limiter; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub config: Arc<Config>,
    pub limiter: Arc<AuthLimiter>,
    /// Requests per IP per minute on the public (Client) API.
    pub public_limiter: Arc<AuthLimiter>,
    /// Logs once that a proxy forwards requests while `--trust-proxy` is off.
    pub proxy_warning: Arc<ProxyWarning>,
    /// Committed events, for in-process consumers.
    pub events: EventStream,
    /// Who pinged `/cable` lately.
    pub presence: Arc<Presence>,
}

impl AppState {
    /// Build the state for an opened database.
    pub fn new(db: Db, config: Config) -> Self {
        let limiter = AuthLimiter::new(
            config.auth_failure_limit,
            Duration::from_secs(config.auth_failure_window_secs),
        );
        let public_limiter = AuthLimiter::new(config.public_rate_limit, Duration::from_secs(60));
        AppState {
            events: EventStream::start(db.clone()),
            db,
            config: Arc::new(config),
            limiter: Arc::new(limiter),
            public_limiter: Arc::new(public_limiter),
            proxy_warning: Arc::default(),
            presence: Arc::default(),
        }
    }
}
