//! The website widget's visitor token: a JWT signed with HS256, payload
//! `{source_id, inbox_id, iat, exp}` (Chatwoot's `Widget::TokenService`). The widget keeps it in
//! the `cw_conversation` cookie of the customer's site and sends it as `X-Auth-Token`.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

/// Chatwoot's default lifetime (`WIDGET_TOKEN_EXPIRY`): 180 days.
pub const LIFETIME_SECS: i64 = 180 * 86_400;

/// `{"alg":"HS256","typ":"JWT"}`, encoded.
const HEADER: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9";

/// What a visitor token says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    pub source_id: String,
    pub inbox_id: i64,
    pub iat: i64,
    pub exp: i64,
}

impl Claims {
    /// Claims for a visitor of `inbox_id`, issued at `now` (unix seconds).
    pub fn new(source_id: String, inbox_id: i64, now: i64) -> Self {
        Claims {
            source_id,
            inbox_id,
            iat: now,
            exp: now.saturating_add(LIFETIME_SECS),
        }
    }
}

fn mac(key: &[u8]) -> Hmac<Sha256> {
    // HMAC takes keys of any length; `new_from_slice` cannot fail for it.
    <Hmac<Sha256> as Mac>::new_from_slice(key).unwrap_or_else(|_| unreachable!("HMAC accepts any key length"))
}

/// Sign `claims` with `key`.
pub fn encode(key: &[u8], claims: &Claims) -> String {
    let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(claims).unwrap_or_default());
    let signing_input = format!("{HEADER}.{payload}");
    let mut mac = mac(key);
    mac.update(signing_input.as_bytes());
    let signature = URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
    format!("{signing_input}.{signature}")
}

/// The claims of a token signed with `key` (HS256 only) that has not expired at `now`.
pub fn decode(key: &[u8], token: &str, now: i64) -> Option<Claims> {
    let mut parts = token.trim().split('.');
    let (header, payload, signature) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let header: serde_json::Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(header).ok()?).ok()?;
    if header.get("alg").and_then(serde_json::Value::as_str) != Some("HS256") {
        return None;
    }
    let signature = URL_SAFE_NO_PAD.decode(signature).ok()?;
    let mut mac = mac(key);
    mac.update(header_and_payload(token)?.as_bytes());
    mac.verify_slice(&signature).ok()?;
    let claims: Claims = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).ok()?).ok()?;
    (claims.exp > now && !claims.source_id.is_empty()).then_some(claims)
}

fn header_and_payload(token: &str) -> Option<&str> {
    let token = token.trim();
    token.rfind('.').map(|end| &token[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &[u8] = b"0123456789abcdef0123456789abcdef";

    #[test]
    fn round_trip() {
        let claims = Claims::new("abc".into(), 7, 1_000);
        let token = encode(KEY, &claims);
        assert_eq!(decode(KEY, &token, 1_001), Some(claims));
    }

    #[test]
    fn refuses_forgeries_expiry_and_other_algorithms() {
        let claims = Claims::new("abc".into(), 7, 1_000);
        let token = encode(KEY, &claims);
        assert_eq!(decode(b"another key", &token, 1_001), None, "other key");
        assert_eq!(decode(KEY, &token, 1_000 + LIFETIME_SECS), None, "expired");
        let mut parts: Vec<String> = token.split('.').map(str::to_string).collect();
        let forged = Claims::new("someone-else".into(), 7, 1_000);
        parts[1] = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&forged).expect("json"));
        assert_eq!(decode(KEY, &parts.join("."), 1_001), None, "payload swapped");
        let none_alg = format!("{}.{}.", URL_SAFE_NO_PAD.encode(br#"{"alg":"none"}"#), parts[1]);
        assert_eq!(decode(KEY, &none_alg, 1_001), None, "alg none");
        assert_eq!(decode(KEY, "", 1_001), None);
        assert_eq!(decode(KEY, "a.b.c.d", 1_001), None);
    }

    #[test]
    fn reads_tokens_made_by_other_jwt_libraries() {
        // The same claims signed by Ruby's `JWT.encode(payload, key, 'HS256')` keep key order
        // from the hash; any order verifies, since the signature covers the bytes sent.
        let payload = URL_SAFE_NO_PAD.encode(br#"{"inbox_id":7,"source_id":"abc","iat":1000,"exp":99999}"#);
        let input = format!("{HEADER}.{payload}");
        let mut m = mac(KEY);
        m.update(input.as_bytes());
        let token = format!("{input}.{}", URL_SAFE_NO_PAD.encode(m.finalize().into_bytes()));
        assert_eq!(decode(KEY, &token, 1_001).map(|c| c.inbox_id), Some(7));
    }
}
