//! Help-center rules with no I/O: article status names, slugs, portal config normalisation and
//! custom-domain parsing (app/models/{portal,article,category}.rb).

use serde_json::{Map, Value, json};

use super::validation::is_locale;

/// `articles.status`: Chatwoot's integer enum, exposed as its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArticleStatus {
    Draft = 0,
    Published = 1,
    Archived = 2,
}

impl ArticleStatus {
    /// The stored integer.
    pub fn code(self) -> i64 {
        self as i64
    }

    /// The JSON name.
    pub fn as_str(self) -> &'static str {
        match self {
            ArticleStatus::Draft => "draft",
            ArticleStatus::Published => "published",
            ArticleStatus::Archived => "archived",
        }
    }

    /// From the stored integer (unknown values read as draft, the safe choice for the public).
    pub fn from_code(code: i64) -> Self {
        match code {
            1 => ArticleStatus::Published,
            2 => ArticleStatus::Archived,
            _ => ArticleStatus::Draft,
        }
    }

    /// From a JSON value: the name, or the integer Rails also casts.
    pub fn parse(value: &Value) -> Option<Self> {
        match value {
            Value::String(name) => match name.as_str() {
                "draft" | "0" => Some(ArticleStatus::Draft),
                "published" | "1" => Some(ArticleStatus::Published),
                "archived" | "2" => Some(ArticleStatus::Archived),
                _ => None,
            },
            Value::Number(n) => match n.as_i64() {
                Some(0) => Some(ArticleStatus::Draft),
                Some(1) => Some(ArticleStatus::Published),
                Some(2) => Some(ArticleStatus::Archived),
                _ => None,
            },
            _ => None,
        }
    }
}

/// Article slugs that would shadow public routes.
pub const RESERVED_ARTICLE_SLUGS: &[&str] = &["search", "articles", "categories"];

/// The portal colour when none is set.
pub const DEFAULT_PORTAL_COLOR: &str = "#1f93ff";

/// Rails' `parameterize`: lowercase ASCII words joined by `-`; other characters dropped.
pub fn parameterize(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    let mut pending_dash = false;
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            if pending_dash && !slug.is_empty() {
                slug.push('-');
            }
            pending_dash = false;
            slug.push(c.to_ascii_lowercase());
        } else {
            pending_dash = true;
        }
    }
    slug
}

/// The slug an article gets when none is given: `<unix seconds>-<parameterized title>`.
pub fn default_article_slug(title: &str, now_seconds: i64) -> String {
    let words = parameterize(title);
    if words.is_empty() {
        now_seconds.to_string()
    } else {
        format!("{now_seconds}-{words}")
    }
}

/// A slug usable in a URL path segment: non-empty, no `/`, `?`, `#`, whitespace or dot-only
/// names. Chatwoot has no check; Parlor refuses what would break its own links.
pub fn valid_slug(slug: &str) -> bool {
    !slug.is_empty()
        && slug.len() <= 255
        && slug != "."
        && slug != ".."
        && !slug
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '/' | '\\' | '?' | '#' | '%'))
}

/// Reduce what a user typed as a custom domain (`https://help.example.com/x`) to its host;
/// blank → `None`.
pub fn custom_domain_host(input: &str) -> Option<String> {
    let text = input.trim();
    if text.is_empty() {
        return None;
    }
    let without_scheme = text.split_once("://").map_or(text, |(_, rest)| rest);
    let host_port = without_scheme.split(['/', '?', '#']).next().unwrap_or_default();
    let host = host_port.rsplit('@').next().unwrap_or_default();
    let host = host.split(':').next().unwrap_or_default().to_ascii_lowercase();
    (!host.is_empty()).then_some(host)
}

/// Keys a portal's `config` may hold.
const CONFIG_KEYS: &[&str] = &[
    "allowed_locales",
    "default_locale",
    "draft_locales",
    "layout",
    "social_profiles",
    "locale_translations",
    "website_token",
];

/// Merge `update` over the stored `config`, validate it and normalise it as Chatwoot does on
/// save. Errors are the 422 message.
pub fn normalize_portal_config(
    stored: &Map<String, Value>,
    update: Option<&Value>,
) -> Result<Map<String, Value>, String> {
    let mut config = stored.clone();
    match update {
        None | Some(Value::Null) => {}
        Some(Value::Object(changes)) => {
            for (key, value) in changes {
                if !CONFIG_KEYS.contains(&key.as_str()) {
                    return Err(format!("Config {key} is not supported."));
                }
                config.insert(key.clone(), value.clone());
            }
        }
        Some(_) => return Err("Config must be an object".into()),
    }
    let mut allowed = locale_list(config.get("allowed_locales"), "allowed_locales")?;
    let requested_default = match config.get("default_locale") {
        Some(Value::String(code)) if !code.is_empty() => Some(code.clone()),
        None | Some(Value::Null) | Some(Value::String(_)) => None,
        Some(_) => return Err("Config default_locale must be a locale code".into()),
    };
    if let Some(code) = &requested_default
        && !is_locale(code)
    {
        return Err(format!("Config default_locale {code} is not a supported locale"));
    }
    if allowed.is_empty() {
        allowed.push(requested_default.clone().unwrap_or_else(|| "en".into()));
    }
    let default_locale = requested_default
        .filter(|code| allowed.contains(code))
        .unwrap_or_else(|| allowed[0].clone());
    let drafts: Vec<String> = locale_list(config.get("draft_locales"), "draft_locales")?
        .into_iter()
        .filter(|code| allowed.contains(code))
        .collect();
    if drafts.contains(&default_locale) {
        return Err("Config default locale cannot be a draft locale".into());
    }
    let layout = match config.get("layout") {
        None | Some(Value::Null) => "classic".to_string(),
        Some(Value::String(l)) if l == "classic" || l == "documentation" => l.clone(),
        Some(_) => return Err("Config layout must be classic or documentation".into()),
    };
    for (key, expect) in [
        ("social_profiles", "social_profiles"),
        ("locale_translations", "locale_translations"),
    ] {
        if let Some(value) = config.get(key)
            && !(value.is_object() || value.is_null())
        {
            return Err(format!("Config {expect} must be an object"));
        }
    }
    config.insert("allowed_locales".into(), json!(allowed));
    config.insert("default_locale".into(), json!(default_locale));
    config.insert("draft_locales".into(), json!(drafts));
    config.insert("layout".into(), json!(layout));
    Ok(config)
}

/// A JSON list of locale codes, de-duplicated in order.
fn locale_list(value: Option<&Value>, key: &str) -> Result<Vec<String>, String> {
    let items = match value {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(items)) => items,
        Some(_) => return Err(format!("Config {key} must be a list of locale codes")),
    };
    let mut codes: Vec<String> = Vec::new();
    for item in items {
        let Some(code) = item.as_str() else {
            return Err(format!("Config {key} must be a list of locale codes"));
        };
        if !is_locale(code) {
            return Err(format!("Config {key} contains an unsupported locale: {code}"));
        }
        if !codes.iter().any(|c| c == code) {
            codes.push(code.to_string());
        }
    }
    Ok(codes)
}

/// The locales shown to the public: allowed minus drafts.
pub fn public_locales(config: &Map<String, Value>) -> Vec<String> {
    let drafts = string_list(config.get("draft_locales"));
    string_list(config.get("allowed_locales"))
        .into_iter()
        .filter(|code| !drafts.contains(code))
        .collect()
}

/// A JSON list of strings (anything else ignored).
pub fn string_list(value: Option<&Value>) -> Vec<String> {
    value
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameterize_matches_rails() {
        assert_eq!(parameterize("Hello, World! Ça va?"), "hello-world-a-va");
        assert_eq!(parameterize("  --Setup guide 2-- "), "setup-guide-2");
        assert_eq!(
            default_article_slug("Reset password", 1700000000),
            "1700000000-reset-password"
        );
        assert_eq!(default_article_slug("???", 5), "5");
    }

    #[test]
    fn custom_domain_reduced_to_host() {
        assert_eq!(
            custom_domain_host("https://Help.Example.com/docs?x=1").as_deref(),
            Some("help.example.com")
        );
        assert_eq!(
            custom_domain_host("help.example.com:8080").as_deref(),
            Some("help.example.com")
        );
        assert_eq!(custom_domain_host("   "), None);
    }

    #[test]
    fn slugs_refuse_path_tricks() {
        for bad in ["", "..", "a/b", "a b", "a?b", "%2e%2e"] {
            assert!(!valid_slug(bad), "{bad}");
        }
        assert!(valid_slug("getting-started"));
        assert!(valid_slug("démarrer"));
    }

    #[test]
    fn config_normalisation() {
        let stored = json!({"allowed_locales": ["en"]})
            .as_object()
            .cloned()
            .unwrap_or_default();
        let config = normalize_portal_config(
            &stored,
            Some(&json!({"allowed_locales": ["fr", "en", "fr"], "draft_locales": ["en", "de"]})),
        )
        .unwrap_or_default();
        assert_eq!(config["allowed_locales"], json!(["fr", "en"]));
        assert_eq!(config["default_locale"], json!("fr"));
        assert_eq!(config["draft_locales"], json!(["en"]));
        assert_eq!(public_locales(&config), vec!["fr".to_string()]);
        assert!(normalize_portal_config(&stored, Some(&json!({"colour": 1}))).is_err());
        assert!(normalize_portal_config(&stored, Some(&json!({"draft_locales": ["en"]}))).is_err());
        assert!(normalize_portal_config(&stored, Some(&json!({"allowed_locales": ["xx"]}))).is_err());
        let empty =
            normalize_portal_config(&stored, Some(&json!({"allowed_locales": []}))).unwrap_or_default();
        assert_eq!(empty["allowed_locales"], json!(["en"]));
    }

    #[test]
    fn status_parses_names_and_integers() {
        assert_eq!(
            ArticleStatus::parse(&json!("published")),
            Some(ArticleStatus::Published)
        );
        assert_eq!(ArticleStatus::parse(&json!(2)), Some(ArticleStatus::Archived));
        assert_eq!(ArticleStatus::parse(&json!("live")), None);
        assert_eq!(ArticleStatus::parse(&json!(7)), None);
    }
}
