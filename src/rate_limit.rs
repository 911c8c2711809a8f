//! Failed-authentication limiter: counts bad tokens and bad passwords per client IP in a fixed
//! window. Only failures count, so a client that authenticates correctly is never slowed down.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
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

/// Warns once when a reverse proxy seems to sit in front of Parlor while `--trust-proxy` is off:
/// every client then shares the proxy's address, and so do the per-client limits.
#[derive(Debug, Default)]
pub struct ProxyWarning {
    warned: AtomicBool,
}

impl ProxyWarning {
    /// Look at one request: `forwarded` is whether it carries `X-Forwarded-For`.
    pub fn observe(&self, peer: IpAddr, forwarded: bool, trust_proxy: bool) {
        if trust_proxy || !forwarded || !is_proxy_address(peer) {
            return;
        }
        if !self.warned.swap(true, Ordering::Relaxed) {
            tracing::warn!(
                %peer,
                "requests carry X-Forwarded-For from a local proxy but --trust-proxy is off: \
                 per-client limits see the proxy's address, so all clients share them"
            );
        }
    }

    /// Whether the warning was logged.
    pub fn has_warned(&self) -> bool {
        self.warned.load(Ordering::Relaxed)
    }
}

/// Loopback or private addresses: where a reverse proxy on the same host or network connects from.
fn is_proxy_address(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.is_loopback() || v4.is_private() || v4.is_link_local(),
        IpAddr::V6(v6) => {
            v6.is_loopback()
                || v6.is_unique_local()
                || v6.is_unicast_link_local()
                || v6
                    .to_ipv4_mapped()
                    .is_some_and(|v4| is_proxy_address(IpAddr::V4(v4)))
        }
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
    fn proxy_warning_only_for_forwarded_requests_from_local_peers() {
        let public: IpAddr = [203, 0, 113, 7].into();
        let local: IpAddr = [10, 1, 2, 3].into();
        let warning = ProxyWarning::default();
        warning.observe(local, false, false);
        warning.observe(public, true, false);
        warning.observe(local, true, true);
        assert!(!warning.has_warned());
        warning.observe("::1".parse().expect("ip"), true, false);
        assert!(warning.has_warned());
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
