//! Field validation shared by several resources: emails, locales, enum names.

/// Devise's email check: something@something with no spaces. Returns the lowercased form.
pub fn normalize_email(email: &str) -> Option<String> {
    let email = email.trim().to_lowercase();
    let (local, domain) = email.split_once('@')?;
    let ok = !local.is_empty()
        && !domain.is_empty()
        && !domain.contains('@')
        && !email.chars().any(char::is_whitespace)
        && email.len() <= 255;
    ok.then_some(email)
}

/// Locales Chatwoot ships (config/initializers/languages.rb, ISO 639-1 plus regional variants).
pub const LOCALES: &[&str] = &[
    "en", "ar", "az", "bg", "ca", "cs", "da", "de", "el", "es", "et", "fa", "fi", "fr", "he", "hi", "hr",
    "hu", "hy", "id", "is", "it", "ja", "ka", "ko", "lt", "lv", "ml", "ms", "ne", "nl", "no", "pl", "pt",
    "pt_BR", "ro", "ru", "sh", "sk", "sl", "sq", "sr", "sv", "ta", "th", "tl", "tr", "uk", "ur", "ur_IN",
    "vi", "zh_CN", "zh_TW", "bn", "lv", "mr",
];

/// Whether `locale` is one Chatwoot accepts.
pub fn is_locale(locale: &str) -> bool {
    LOCALES.contains(&locale)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        assert_eq!(
            normalize_email(" Jo@Example.COM ").as_deref(),
            Some("jo@example.com")
        );
        for bad in ["", "jo", "@x", "jo@", "a b@c", "a@b@c"] {
            assert!(normalize_email(bad).is_none(), "{bad}");
        }
    }
}
