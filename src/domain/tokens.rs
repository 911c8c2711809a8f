//! Random secrets: access tokens (24-char base58 like Chatwoot's `has_secure_token`), pubsub
//! tokens, and SSO tokens; plus the digest used to look tokens up.

use rand::RngExt;
use sha2::{Digest, Sha256};

const BASE58: &[u8] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

/// A random base58 string of `len` characters.
pub fn base58(len: usize) -> String {
    let mut rng = rand::rng();
    (0..len)
        .map(|_| char::from(BASE58[rng.random_range(0..BASE58.len())]))
        .collect()
}

/// A new API access token.
pub fn access_token() -> String {
    base58(24)
}

/// A 64-character hex secret (SSO login links).
pub fn hex_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill(&mut bytes);
    hex::encode(bytes)
}

/// SHA-256 hex digest: the indexed lookup key of a token.
pub fn digest(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Constant-time equality of two secrets.
pub fn secrets_equal(a: &str, b: &str) -> bool {
    use subtle::ConstantTimeEq;
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_base58_of_expected_length() {
        let token = access_token();
        assert_eq!(token.len(), 24);
        assert!(token.bytes().all(|b| BASE58.contains(&b)));
        assert_ne!(token, access_token());
        assert_eq!(hex_secret().len(), 64);
    }

    #[test]
    fn digest_and_compare() {
        assert_eq!(digest("abc").len(), 64);
        assert!(secrets_equal("abc", "abc"));
        assert!(!secrets_equal("abc", "abd"));
        assert!(!secrets_equal("abc", "abcd"));
    }
}
