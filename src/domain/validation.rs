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

/// Chatwoot's label title rule: lowercased, starts with a letter or digit, then letters, digits,
/// `_` or `-`, at least two characters, no spaces.
pub fn label_title(title: &str) -> Result<String, String> {
    let title = title.trim().to_lowercase();
    if title.is_empty() {
        return Err("Title can't be blank".into());
    }
    let mut chars = title.chars();
    let first_ok = chars.next().is_some_and(char::is_alphanumeric);
    let rest_ok = chars.all(|c| c.is_alphanumeric() || c == '_' || c == '-');
    if !first_ok || !rest_ok || title.chars().count() < 2 || title.chars().count() > 255 {
        return Err("Title is invalid".into());
    }
    Ok(title)
}

/// A CSS hex colour (`#rgb` or `#rrggbb`), the only colours the dashboard renders.
pub fn hex_color(color: &str) -> Result<String, String> {
    let color = color.trim();
    let hex = color.strip_prefix('#').unwrap_or("");
    if (hex.len() == 3 || hex.len() == 6) && hex.chars().all(|c| c.is_ascii_hexdigit()) {
        Ok(color.to_string())
    } else {
        Err("Color must be a hex colour like #1f93ff".into())
    }
}

/// An absolute http(s) URL without spaces.
pub fn http_url(url: &str) -> bool {
    let url = url.trim();
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    rest.is_some_and(|rest| {
        !rest.is_empty() && !rest.starts_with('/') && !url.chars().any(char::is_whitespace)
    }) && url.len() <= 2048
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
