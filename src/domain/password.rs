//! Chatwoot's password policy (devise-secure_password: 6..128 characters with an upper-case and a
//! lower-case letter, a digit and a special character) and bcrypt hashing.

/// Check a new password; the error is the Rails full message.
pub fn validate(password: &str) -> Result<(), String> {
    let length = password.chars().count();
    if length < 6 {
        return Err("Password is too short (minimum is 6 characters)".into());
    }
    if length > 128 {
        return Err("Password is too long (maximum is 128 characters)".into());
    }
    type CharTest = fn(char) -> bool;
    let checks: [(CharTest, &str); 4] = [
        (char::is_uppercase, "upper-case letter"),
        (char::is_lowercase, "lower-case letter"),
        (|c: char| c.is_ascii_digit(), "digit"),
        (
            |c: char| !c.is_alphanumeric() && !c.is_whitespace(),
            "special character",
        ),
    ];
    for (present, what) in checks {
        if !password.chars().any(present) {
            return Err(format!("Password must contain at least one {what}"));
        }
    }
    Ok(())
}

/// bcrypt hash at the given cost. Slow on purpose: call it off the async workers.
pub fn hash(password: &str, cost: u32) -> Result<String, String> {
    bcrypt::hash(password, cost).map_err(|err| err.to_string())
}

/// Verify against a stored bcrypt hash (Chatwoot's `$2a$11$…` hashes verify as-is).
pub fn verify(password: &str, hash: &str) -> bool {
    !hash.is_empty() && bcrypt::verify(password, hash).unwrap_or(false)
}

/// Verify a sign-in attempt; when there is no such user, spend the same bcrypt time anyway
/// (hashing at `cost`), so the answer time does not tell which e-mails exist.
pub fn verify_sign_in(password: &str, stored: Option<&str>, cost: u32) -> bool {
    match stored {
        Some(hash) => verify(password, hash),
        None => {
            let _ = bcrypt::hash(password, cost);
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_table() {
        let cases = [
            ("Passw0rd!", true),
            ("Pa0!", false),
            ("password1!", false),
            ("PASSWORD1!", false),
            ("Password!", false),
            ("Password1", false),
            ("Pässw0rd?", true),
        ];
        for (password, ok) in cases {
            assert_eq!(validate(password).is_ok(), ok, "{password}");
        }
    }

    #[test]
    fn hash_roundtrip() {
        let hashed = hash("Passw0rd!", 4).expect("hash");
        assert!(verify("Passw0rd!", &hashed));
        assert!(!verify("passw0rd!", &hashed));
        assert!(!verify("x", ""));
    }
}
