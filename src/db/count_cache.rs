//! Memoized conversation counts. The mine/unassigned/all counts scan every conversation of the
//! filtered set; they only change when something is written, so they are kept per filter and
//! reused until the database generation moves.

use std::collections::HashMap;
use std::sync::Mutex;

/// Entries kept before the cache starts over (filters are few; this bounds memory).
const MAX_ENTRIES: usize = 4096;

/// `(all, mine, unassigned)`.
pub type Counts = (i64, i64, i64);

/// Counts per filter key, tagged with the generation they were computed at.
#[derive(Debug, Default)]
pub struct CountCache {
    entries: Mutex<HashMap<String, (u64, Counts)>>,
}

impl CountCache {
    /// Counts for `key` computed at `generation`, if still current.
    pub fn get(&self, key: &str, generation: u64) -> Option<Counts> {
        let entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        entries
            .get(key)
            .filter(|(at, _)| *at == generation)
            .map(|(_, counts)| *counts)
    }

    /// Remember counts for `key` at `generation`.
    pub fn put(&self, key: String, generation: u64, counts: Counts) {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if entries.len() >= MAX_ENTRIES {
            entries.retain(|_, (at, _)| *at == generation);
            if entries.len() >= MAX_ENTRIES {
                entries.clear();
            }
        }
        entries.insert(key, (generation, counts));
    }
}
