//! The one outgoing HTTP client: webhooks and agent-bot events, signed as Chatwoot signs them, and
//! refused when the address they would reach is not public (the URLs come from account
//! administrators, so without the check they could probe the server's own network).
//!
//! The address is checked where it is known for sure: on the resolved addresses at connect time
//! (a custom resolver), and for IP-literal hosts, which skip resolution, before sending and on
//! every redirect hop.

use std::error::Error as StdError;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};

use hmac::{Hmac, Mac};
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use reqwest::header::{ACCEPT, CONTENT_TYPE};
use reqwest::{Url, redirect};
use sha2::Sha256;

#[cfg(test)]
mod tests;

/// Total time one delivery may take, answer included (Chatwoot's webhook timeout).
const TIMEOUT: Duration = Duration::from_secs(5);
/// Redirects followed before a delivery fails.
const MAX_REDIRECTS: usize = 3;
/// The most of an answer's body read before the connection is dropped.
const MAX_BODY: usize = 64 * 1024;
const USER_AGENT: &str = concat!("Parlor-Webhooks/", env!("CARGO_PKG_VERSION"));
/// How a refused address is explained, in the delivery log an administrator reads.
const ALLOW_HINT: &str = "start with --allow-private-webhooks to allow it";

/// Which addresses deliveries may reach: public ones only unless the operator allows private ones
/// (a receiver on the same host or network).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AddressPolicy {
    PublicOnly,
    AllowPrivate,
    /// Public addresses plus exactly these (tests reach a receiver on 127.0.0.1 this way).
    #[doc(hidden)]
    PublicOr(Vec<IpAddr>),
}

impl AddressPolicy {
    /// Whether a delivery may connect to `ip`.
    pub fn allows(&self, ip: IpAddr) -> bool {
        match self {
            Self::AllowPrivate => true,
            Self::PublicOnly => is_public(ip),
            Self::PublicOr(extra) => {
                is_public(ip) || extra.contains(&ip) || extra.contains(&ip.to_canonical())
            }
        }
    }
}

/// Whether `ip` is a globally reachable unicast address, IPv4 forms embedded in IPv6 judged as
/// the IPv4 address they lead to.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => is_public_v6(v6),
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    let refused = a == 0 // "this network", 0.0.0.0 included
        || a == 10
        || a == 127
        || (a == 100 && (b & 0xc0) == 64) // CGNAT 100.64/10
        || (a == 169 && b == 254) // link-local, cloud metadata 169.254.169.254
        || (a == 172 && (b & 0xf0) == 16)
        || (a == 192 && b == 168)
        || (a == 192 && b == 0 && (c == 0 || c == 2)) // protocol assignments, TEST-NET-1
        || (a == 198 && (b & 0xfe) == 18) // benchmarking 198.18/15
        || (a == 198 && b == 51 && c == 100) // TEST-NET-2
        || (a == 203 && b == 0 && c == 113) // TEST-NET-3
        || a >= 224; // multicast 224/4, reserved 240/4, broadcast
    !refused
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    if let Some(v4) = embedded_v4(ip) {
        return is_public_v4(v4);
    }
    let s = ip.segments();
    let refused = ip.is_unspecified()
        || ip.is_loopback()
        || (s[0] & 0xfe00) == 0xfc00 // unique local fc00::/7
        || (s[0] & 0xffc0) == 0xfe80 // link-local fe80::/10
        || (s[0] & 0xffc0) == 0xfec0 // old site-local fec0::/10
        || (s[0] & 0xff00) == 0xff00 // multicast
        || (s[0] == 0x0064 && s[1] == 0xff9b && s[2] == 0x0001) // local-use NAT64 64:ff9b:1::/48
        || (s[0] == 0x0100 && s[1..4] == [0, 0, 0]) // discard-only 100::/64
        || (s[0] == 0x2001 && s[1] == 0x0000) // Teredo: the IPv4 it leads to is hidden
        || (s[0] == 0x2001 && s[1] == 0x0db8); // documentation
    !refused
}

/// The IPv4 address an IPv6 address stands for: mapped (::ffff:a.b.c.d), translated
/// (::ffff:0:a.b.c.d), compatible (::a.b.c.d), NAT64 (64:ff9b::a.b.c.d) or 6to4 (2002:AABB:CCDD::).
fn embedded_v4(ip: Ipv6Addr) -> Option<Ipv4Addr> {
    let s = ip.segments();
    let low = |hi: u16, lo: u16| Ipv4Addr::from((u32::from(hi) << 16) | u32::from(lo));
    match s {
        [0, 0, 0, 0, 0, 0xffff, hi, lo]
        | [0, 0, 0, 0, 0xffff, 0, hi, lo]
        | [0, 0, 0, 0, 0, 0, hi, lo]
        | [0x0064, 0xff9b, 0, 0, 0, 0, hi, lo] => Some(low(hi, lo)),
        [0x2002, hi, lo, ..] => Some(low(hi, lo)),
        _ => None,
    }
}

/// Why a delivery was not attempted; its text goes to the delivery log as it is.
#[derive(Debug, thiserror::Error)]
enum Refusal {
    #[error("refused: {0} is not a public address ({ALLOW_HINT})")]
    Address(IpAddr),
    #[error("refused: {host} ({ip}) is not a public address ({ALLOW_HINT})")]
    Host { host: String, ip: IpAddr },
    #[error("could not resolve {host}: no address")]
    Unresolved { host: String },
    #[error("refused: only http and https URLs are allowed, not {0}")]
    Scheme(String),
    #[error("refused: the URL has no host")]
    NoHost,
    #[error("refused: more than {MAX_REDIRECTS} redirects")]
    TooManyRedirects,
}

/// The scheme, and the host when it is an IP literal (which no resolver sees).
fn check_url(url: &Url, policy: &AddressPolicy) -> Result<(), Refusal> {
    if !matches!(url.scheme(), "http" | "https") {
        return Err(Refusal::Scheme(url.scheme().to_owned()));
    }
    let host = url.host_str().ok_or(Refusal::NoHost)?;
    // The URL parser writes every IPv4 form (0x7f.1, 2130706433) dotted, IPv6 in brackets.
    let literal = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    match literal.parse::<IpAddr>() {
        Ok(ip) if !policy.allows(ip) => Err(Refusal::Address(ip)),
        _ => Ok(()),
    }
}

/// Resolves host names with the system resolver and keeps only the addresses the policy allows,
/// so the connection goes to an address that was checked (no second lookup to rebind).
struct PolicyResolver {
    policy: Arc<AddressPolicy>,
}

impl Resolve for PolicyResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let policy = Arc::clone(&self.policy);
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let mut refused = None;
            let allowed: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0))
                .await?
                .filter(|addr| {
                    let ok = policy.allows(addr.ip());
                    if !ok && refused.is_none() {
                        refused = Some(addr.ip());
                    }
                    ok
                })
                .collect();
            if allowed.is_empty() {
                let refusal = match refused {
                    Some(ip) => Refusal::Host { host, ip },
                    None => Refusal::Unresolved { host },
                };
                return Err(refusal.into());
            }
            let addrs: Addrs = Box::new(allowed.into_iter());
            Ok(addrs)
        })
    }
}

/// Building the client failed (its TLS configuration).
#[derive(Debug, thiserror::Error)]
#[error("could not build the outgoing HTTP client: {0}")]
pub struct OutgoingError(#[from] reqwest::Error);

/// The HTTP client for webhooks and agent-bot events; clones share one connection pool.
#[derive(Debug, Clone)]
pub struct OutgoingClient {
    http: reqwest::Client,
    policy: Arc<AddressPolicy>,
}

/// One POST to make: the body is sent as it is, so the signature covers the exact bytes.
pub struct Delivery<'a> {
    pub url: &'a str,
    pub body: &'a [u8],
    /// Signs the delivery when set (the webhook's or the bot's secret).
    pub secret: Option<&'a str>,
    pub delivery_id: &'a str,
    /// Unix seconds, sent and signed so receivers can refuse replays.
    pub timestamp: i64,
}

/// What happened to one delivery, for the delivery log and retry decisions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryOutcome {
    /// The receiver's status code, when it answered.
    pub status: Option<u16>,
    /// Why there is no answer (refused, connection failed, timed out).
    pub error: Option<String>,
    pub duration_ms: u64,
}

impl DeliveryOutcome {
    /// The receiver answered 2xx.
    pub fn succeeded(&self) -> bool {
        matches!(self.status, Some(200..=299))
    }
}

/// Installs ring as the process's rustls crypto provider, which reqwest's TLS needs; harmless when
/// one is installed already.
pub fn install_crypto_provider() {
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        // Losing a race with another installer leaves a provider installed all the same.
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
}

impl OutgoingClient {
    /// A client enforcing `policy`, trusting Mozilla's root certificates (compiled in, so the
    /// binary needs no system certificate store).
    pub fn new(policy: AddressPolicy) -> Result<Self, OutgoingError> {
        install_crypto_provider();
        let policy = Arc::new(policy);
        let roots = webpki_root_certs::TLS_SERVER_ROOT_CERTS
            .iter()
            .map(|cert| reqwest::Certificate::from_der(cert.as_ref()))
            .collect::<Result<Vec<_>, _>>()?;
        let redirect_policy = {
            let policy = Arc::clone(&policy);
            redirect::Policy::custom(move |attempt| {
                if attempt.previous().len() > MAX_REDIRECTS {
                    return attempt.error(Refusal::TooManyRedirects);
                }
                match check_url(attempt.url(), &policy) {
                    Ok(()) => attempt.follow(),
                    Err(refusal) => attempt.error(refusal),
                }
            })
        };
        let http = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .timeout(TIMEOUT)
            .connect_timeout(TIMEOUT)
            .redirect(redirect_policy)
            // A proxy would resolve the host itself, out of the resolver's sight.
            .no_proxy()
            .dns_resolver(Arc::new(PolicyResolver {
                policy: Arc::clone(&policy),
            }))
            .tls_certs_only(roots)
            .build()?;
        Ok(Self { http, policy })
    }

    /// POSTs a JSON delivery with Chatwoot's headers; never fails, the outcome says what happened.
    pub async fn post_json(&self, request: &Delivery<'_>) -> DeliveryOutcome {
        let started = Instant::now();
        let result = self.send(request).await;
        let duration_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        match result {
            Ok(status) => DeliveryOutcome {
                status: Some(status),
                error: None,
                duration_ms,
            },
            Err(error) => DeliveryOutcome {
                status: None,
                error: Some(error),
                duration_ms,
            },
        }
    }

    async fn send(&self, request: &Delivery<'_>) -> Result<u16, String> {
        let url = Url::parse(request.url).map_err(|e| format!("invalid URL: {e}"))?;
        check_url(&url, &self.policy).map_err(|refusal| refusal.to_string())?;
        let mut builder = self
            .http
            .post(url)
            .header(CONTENT_TYPE, "application/json")
            .header(ACCEPT, "application/json")
            .header("X-Chatwoot-Delivery", request.delivery_id)
            .header("X-Chatwoot-Timestamp", request.timestamp.to_string())
            .body(request.body.to_vec());
        if let Some(secret) = request.secret {
            let value = signature(secret, request.timestamp, request.body);
            builder = builder.header("X-Chatwoot-Signature", value);
        }
        let mut response = builder.send().await.map_err(|e| describe(&e))?;
        let status = response.status().as_u16();
        // Read a little of the answer so a well-behaved receiver is not cut off mid-write, then drop it.
        let mut read = 0;
        while read < MAX_BODY {
            match response.chunk().await {
                Ok(Some(chunk)) => read += chunk.len(),
                Ok(None) | Err(_) => break,
            }
        }
        Ok(status)
    }
}

/// A failed request in words: the refusal when there is one, else the error and its causes.
fn describe(error: &reqwest::Error) -> String {
    let mut source: Option<&(dyn StdError + 'static)> = Some(error);
    while let Some(current) = source {
        if let Some(refusal) = current.downcast_ref::<Refusal>() {
            return refusal.to_string();
        }
        source = current.source();
    }
    if error.is_timeout() {
        return format!("timed out: no answer within {} s", TIMEOUT.as_secs());
    }
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(current) = source {
        let part = current.to_string();
        if !text.contains(&part) {
            text.push_str(": ");
            text.push_str(&part);
        }
        source = current.source();
    }
    text
}

/// The `X-Chatwoot-Signature` value: `sha256=` and the lowercase hex HMAC-SHA256 of
/// `"<timestamp>.<body>"` under the secret, as Chatwoot signs (receivers check it).
pub fn signature(secret: &str, timestamp: i64, body: &[u8]) -> String {
    // HMAC takes a key of any length, so this never fails.
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else {
        return String::new();
    };
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}
