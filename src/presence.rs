//! Who is online, as Chatwoot's `OnlineStatusTracker` keeps it: a user or contact counts as
//! online for 20 seconds after its last presence ping over `/cable`. In memory: presence is
//! worthless after a restart, and every socket pings again within 20 s.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long one presence ping counts (`PRESENCE_DURATION`).
pub const WINDOW: Duration = Duration::from_secs(20);

/// Last presence ping per account and user or contact.
#[derive(Debug, Default)]
pub struct Presence {
    users: Mutex<HashMap<i64, HashMap<i64, Instant>>>,
    contacts: Mutex<HashMap<i64, HashMap<i64, Instant>>>,
}

fn record(map: &Mutex<HashMap<i64, HashMap<i64, Instant>>>, account_id: i64, id: i64) {
    let mut map = map.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let now = Instant::now();
    let seen = map.entry(account_id).or_default();
    seen.retain(|_, at| now.duration_since(*at) < WINDOW);
    seen.insert(id, now);
}

fn online(map: &Mutex<HashMap<i64, HashMap<i64, Instant>>>, account_id: i64) -> Vec<i64> {
    let map = map.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let now = Instant::now();
    let mut ids: Vec<i64> = map
        .get(&account_id)
        .into_iter()
        .flatten()
        .filter(|(_, at)| now.duration_since(**at) < WINDOW)
        .map(|(id, _)| *id)
        .collect();
    ids.sort_unstable();
    ids
}

impl Presence {
    /// A user's socket pinged.
    pub fn user_seen(&self, account_id: i64, user_id: i64) {
        record(&self.users, account_id, user_id);
    }

    /// A contact's socket pinged.
    pub fn contact_seen(&self, account_id: i64, contact_id: i64) {
        record(&self.contacts, account_id, contact_id);
    }

    /// Users of the account seen within the window.
    pub fn online_users(&self, account_id: i64) -> Vec<i64> {
        online(&self.users, account_id)
    }

    /// Contacts of the account seen within the window.
    pub fn online_contacts(&self, account_id: i64) -> Vec<i64> {
        online(&self.contacts, account_id)
    }

    /// Whether the user was seen within the window.
    pub fn user_online(&self, account_id: i64, user_id: i64) -> bool {
        self.online_users(account_id).binary_search(&user_id).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presence_is_per_account() {
        let presence = Presence::default();
        presence.user_seen(1, 5);
        presence.contact_seen(1, 9);
        assert_eq!(presence.online_users(1), vec![5]);
        assert_eq!(presence.online_contacts(1), vec![9]);
        assert!(presence.online_users(2).is_empty());
        assert!(presence.user_online(1, 5) && !presence.user_online(1, 6));
    }
}
