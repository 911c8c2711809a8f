//! Values memoized until a version moves: each entry is tagged with the version it was read at
//! and served only while that version is current. The database generation (bumped by every
//! committed write) versions conversation counts (the mine/unassigned/all counts scan every
//! conversation of the filtered set) and the portal lookup every public help-center page starts
//! with; a portal's `content_updated_at` versions its search results.
//!
//! Read the generation *before* reading the value, so a write that lands in between makes the
//! entry stale rather than wrong.

use std::collections::HashMap;
use std::sync::Mutex;

/// Entries a default memo keeps before it starts over (keys are few; this bounds memory).
const MAX_ENTRIES: usize = 4096;

/// `(all, mine, unassigned)`.
pub type Counts = (i64, i64, i64);

/// Conversation counts per filter key.
pub type CountCache = Memo<Counts>;

/// Values per key, tagged with the generation they were read at.
#[derive(Debug)]
pub struct Memo<V> {
    entries: Mutex<HashMap<String, (u64, V)>>,
    capacity: usize,
}

impl<V> Default for Memo<V> {
    fn default() -> Self {
        Memo::with_capacity(MAX_ENTRIES)
    }
}

impl<V> Memo<V> {
    /// A memo that starts over once it holds `capacity` entries.
    pub fn with_capacity(capacity: usize) -> Self {
        Memo {
            entries: Mutex::default(),
            capacity,
        }
    }
}

impl<V: Clone> Memo<V> {
    /// The value for `key` read at `generation`, if still current.
    pub fn get(&self, key: &str, generation: u64) -> Option<V> {
        let entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        entries
            .get(key)
            .filter(|(at, _)| *at == generation)
            .map(|(_, value)| value.clone())
    }

    /// Remember `value` for `key` at `generation`.
    pub fn put(&self, key: String, generation: u64, value: V) {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if entries.len() >= self.capacity {
            entries.retain(|_, (at, _)| *at == generation);
            if entries.len() >= self.capacity {
                entries.clear();
            }
        }
        entries.insert(key, (generation, value));
    }
}
