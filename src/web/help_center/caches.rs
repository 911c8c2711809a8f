//! What the public help center keeps in memory between requests: portal lookups (until the
//! next write), search results and home-page lists (per content version), and the search
//! corpora. Registered as its own `web::Data`, apart from the application state.

use actix_web::{HttpRequest, web};

use crate::db::memo::Memo;
use crate::error::{ApiError, ApiResult};
use crate::web::help_center::PortalLookup;
use crate::web::help_center::home::HomeContent;
use crate::web::help_center::search::{PortalCorpora, SearchPage};

/// Help-center result pages kept in memory (each a few kilobytes: hits share their article
/// with the search corpus and carry only a snippet).
const SEARCH_MEMO_ENTRIES: usize = 256;

/// The help center's memoized lookups and search corpora.
pub struct PortalCaches {
    /// Which portal a help-center request resolves to, until the next write.
    pub lookups: Memo<PortalLookup>,
    /// Help-center search results, per portal content version.
    pub searches: Memo<std::sync::Arc<SearchPage>>,
    /// What each portal locale's home page lists, per content version and minute.
    pub homes: Memo<std::sync::Arc<HomeContent>>,
    /// What each portal locale's search reads, in memory per portal content version.
    pub corpora: PortalCorpora,
}

impl Default for PortalCaches {
    fn default() -> Self {
        PortalCaches {
            lookups: Memo::default(),
            searches: Memo::with_capacity(SEARCH_MEMO_ENTRIES),
            homes: Memo::default(),
            corpora: PortalCorpora::default(),
        }
    }
}

impl PortalCaches {
    /// The caches registered with the application serving `req`.
    pub fn of(req: &HttpRequest) -> ApiResult<&PortalCaches> {
        req.app_data::<web::Data<PortalCaches>>()
            .map(|data| data.get_ref())
            .ok_or_else(|| ApiError::Internal("help-center caches missing".into()))
    }
}
