//! Values memoized until a version moves: each entry is tagged with the version it was read at
//! and served only while that version is current. The database generation (bumped by every
//! committed write) versions conversation counts (the mine/unassigned/all counts scan every
//! conversation of the filtered set) and the portal lookup every public help-center page starts
//! with; a portal's `content_updated_at` versions its search results and search corpora
//! ([`SizedMemo`], bounded by bytes).
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

/// A memo bounded by the bytes its values hold rather than by their number: when a new value
/// pushes the total over the budget, the least recently used others go first. A value larger
/// than the whole budget is still kept (alone), so the caller never reads it twice in a row.
#[derive(Debug)]
pub struct SizedMemo<V> {
    state: Mutex<SizedEntries<V>>,
    budget: usize,
}

#[derive(Debug)]
struct SizedEntries<V> {
    /// Key → (version, value, bytes, last use).
    entries: HashMap<String, (u64, V, usize, u64)>,
    bytes: usize,
    clock: u64,
}

impl<V: Clone> SizedMemo<V> {
    /// A memo holding about `budget` bytes of values.
    pub fn with_budget(budget: usize) -> Self {
        SizedMemo {
            state: Mutex::new(SizedEntries {
                entries: HashMap::new(),
                bytes: 0,
                clock: 0,
            }),
            budget,
        }
    }

    /// The value for `key` read at `version`, if still current.
    pub fn get(&self, key: &str, version: u64) -> Option<V> {
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        state.clock += 1;
        let now = state.clock;
        let (at, value, _, used) = state.entries.get_mut(key)?;
        (*at == version).then(|| {
            *used = now;
            value.clone()
        })
    }

    /// Remember `value` (holding `bytes`) for `key` at `version`, evicting as needed.
    pub fn put(&self, key: String, version: u64, value: V, bytes: usize) {
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        state.clock += 1;
        let now = state.clock;
        if let Some((_, _, old, _)) = state.entries.remove(&key) {
            state.bytes -= old;
        }
        while state.bytes + bytes > self.budget {
            let Some(oldest) = state
                .entries
                .iter()
                .min_by_key(|(_, (_, _, _, used))| *used)
                .map(|(k, _)| k.clone())
            else {
                break;
            };
            if let Some((_, _, freed, _)) = state.entries.remove(&oldest) {
                state.bytes -= freed;
            }
        }
        state.bytes += bytes;
        state.entries.insert(key, (version, value, bytes, now));
    }

    /// Bytes held now.
    pub fn bytes(&self) -> usize {
        self.state.lock().unwrap_or_else(|p| p.into_inner()).bytes
    }
}

#[cfg(test)]
mod tests {
    use super::SizedMemo;

    #[test]
    fn sized_memo_evicts_the_least_recently_used() {
        let memo = SizedMemo::with_budget(100);
        memo.put("a".into(), 1, 'a', 40);
        memo.put("b".into(), 1, 'b', 40);
        assert_eq!(memo.get("a", 1), Some('a'), "a is now the most recently used");
        memo.put("c".into(), 1, 'c', 40);
        assert_eq!(memo.get("b", 1), None, "b was the least recently used");
        assert_eq!((memo.get("a", 1), memo.get("c", 1)), (Some('a'), Some('c')));
        assert_eq!(memo.get("a", 2), None, "another version is a miss");
        memo.put("a".into(), 2, 'A', 10);
        assert_eq!(memo.bytes(), 50, "a replaced, not added");
        memo.put("huge".into(), 1, 'h', 500);
        assert_eq!(
            memo.get("huge", 1),
            Some('h'),
            "kept alone when larger than the budget"
        );
        assert_eq!(memo.bytes(), 500);
    }
}
