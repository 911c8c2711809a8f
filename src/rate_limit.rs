//! Failed-authentication limiter: counts bad tokens and bad passwords per client IP in a fixed
//! window. Only failures count, so a client that authenticates correctly is never slowed down.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Per-IP failure counter.
#[derive(Debug)]
pub struct AuthLimiter {
    limit: u32,
    window: Duration,
    failures: Mutex<HashMap<IpAddr, (Instant, u32)>>,
}

/// Above this many tracked addresses, expired entries are swept on the next failure.
const SWEEP_THRESHOLD: usize = 10_000;

impl AuthLimiter {
    /// `limit` failures per `window` per IP.
    pub fn new(limit: u32, window: Duration) -> Self {
        AuthLimiter {
            limit,
            window,
            failures: Mutex::new(HashMap::new()),
        }
    }

    /// Whether `ip` has used up its failures for the current window.
    pub fn is_blocked(&self, ip: IpAddr) -> bool {
        let failures = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        failures
            .get(&ip)
            .is_some_and(|(start, count)| start.elapsed() < self.window && *count >= self.limit)
    }

    /// Count one failure from `ip`.
    pub fn record_failure(&self, ip: IpAddr) {
        let mut failures = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        if failures.len() > SWEEP_THRESHOLD {
            let window = self.window;
            failures.retain(|_, (start, _)| start.elapsed() < window);
        }
        let entry = failures.entry(ip).or_insert((Instant::now(), 0));
        if entry.0.elapsed() >= self.window {
            *entry = (Instant::now(), 0);
        }
        entry.1 = entry.1.saturating_add(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_after_limit_and_only_that_ip() {
        let limiter = AuthLimiter::new(3, Duration::from_secs(60));
        let a: IpAddr = [10, 0, 0, 1].into();
        let b: IpAddr = [10, 0, 0, 2].into();
        for _ in 0..3 {
            assert!(!limiter.is_blocked(a));
            limiter.record_failure(a);
        }
        assert!(limiter.is_blocked(a));
        assert!(!limiter.is_blocked(b));
    }

    #[test]
    fn window_expires() {
        let limiter = AuthLimiter::new(1, Duration::from_millis(20));
        let a: IpAddr = [10, 0, 0, 1].into();
        limiter.record_failure(a);
        assert!(limiter.is_blocked(a));
        std::thread::sleep(Duration::from_millis(30));
        assert!(!limiter.is_blocked(a));
    }
}
