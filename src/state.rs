//! State shared by every request.

use std::sync::Arc;
use std::time::Duration;

use crate::config::Config;
use crate::db::Db;
use crate::db::memo::Memo;
use crate::rate_limit::{AuthLimiter, ProxyWarning};
use crate::web::portal::PortalLookup;
use crate::web::portal_home::HomeContent;
use crate::web::portal_search::{PortalCorpora, SearchPage};

/// Help-center result pages kept in memory (each a few kilobytes: hits share their article
/// with the search corpus and carry only a snippet).
const SEARCH_MEMO_ENTRIES: usize = 256;

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
    /// Which portal a help-center request resolves to, until the next write.
    pub portal_lookups: Arc<Memo<PortalLookup>>,
    /// Help-center search results, per portal content version.
    pub portal_searches: Arc<Memo<Arc<SearchPage>>>,
    /// What each portal locale's home page lists, per content version and minute.
    pub portal_homes: Arc<Memo<Arc<HomeContent>>>,
    /// What each portal locale's search reads, in memory per portal content version.
    pub portal_corpora: Arc<PortalCorpora>,
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
            db,
            config: Arc::new(config),
            limiter: Arc::new(limiter),
            public_limiter: Arc::new(public_limiter),
            proxy_warning: Arc::default(),
            portal_lookups: Arc::default(),
            portal_searches: Arc::new(Memo::with_capacity(SEARCH_MEMO_ENTRIES)),
            portal_corpora: Arc::default(),
            portal_homes: Arc::default(),
        }
    }
}
