//! Contact rules: phone format, sort keys, type.

/// E.164: `+` then 2–15 digits, not starting with 0.
pub fn valid_phone(phone: &str) -> bool {
    let Some(digits) = phone.strip_prefix('+') else {
        return false;
    };
    (2..=15).contains(&digits.len()) && digits.chars().all(|c| c.is_ascii_digit()) && !digits.starts_with('0')
}

/// `ORDER BY` for a Sift `sort` value (`name`, `-name`, …). Unknown keys → `None` (no ordering).
/// Every branch is a fixed string: nothing from the request reaches the SQL text.
pub fn order_by(sort: &str) -> Option<&'static str> {
    let (key, desc) = match sort.strip_prefix('-') {
        Some(key) => (key, true),
        None => (sort, false),
    };
    Some(match (key, desc) {
        ("name", false) => {
            "CASE WHEN substr(c.name, 1, 1) GLOB '[0-9+]' THEN 'z' ELSE lower(c.name) END ASC, c.id"
        }
        ("name", true) => {
            "CASE WHEN substr(c.name, 1, 1) GLOB '[0-9+]' THEN 'z' ELSE lower(c.name) END DESC, c.id"
        }
        ("email", false) => "c.email ASC, c.id",
        ("email", true) => "c.email DESC, c.id",
        ("phone_number", false) => "c.phone_number ASC, c.id",
        ("phone_number", true) => "c.phone_number DESC, c.id",
        ("last_activity_at", false) => "c.last_activity_at IS NULL, c.last_activity_at ASC, c.id",
        ("last_activity_at", true) => "c.last_activity_at IS NULL, c.last_activity_at DESC, c.id",
        ("created_at", false) => "c.created_at ASC, c.id",
        ("created_at", true) => "c.created_at DESC, c.id",
        ("company", false) => {
            "json_extract(c.additional_attributes, '$.company_name') IS NULL, json_extract(c.additional_attributes, '$.company_name') ASC, c.id"
        }
        ("company", true) => {
            "json_extract(c.additional_attributes, '$.company_name') IS NULL, json_extract(c.additional_attributes, '$.company_name') DESC, c.id"
        }
        ("city", false) => {
            "json_extract(c.additional_attributes, '$.city') IS NULL, json_extract(c.additional_attributes, '$.city') ASC, c.id"
        }
        ("city", true) => {
            "json_extract(c.additional_attributes, '$.city') IS NULL, json_extract(c.additional_attributes, '$.city') DESC, c.id"
        }
        ("country", false) => {
            "json_extract(c.additional_attributes, '$.country') IS NULL, json_extract(c.additional_attributes, '$.country') ASC, c.id"
        }
        ("country", true) => {
            "json_extract(c.additional_attributes, '$.country') IS NULL, json_extract(c.additional_attributes, '$.country') DESC, c.id"
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones() {
        for ok in ["+14155552671", "+4930123456", "+12"] {
            assert!(valid_phone(ok), "{ok}");
        }
        for bad in [
            "14155552671",
            "+0123",
            "+1",
            "+1234567890123456",
            "+1 415",
            "+1-415",
        ] {
            assert!(!valid_phone(bad), "{bad}");
        }
    }

    #[test]
    fn sort_keys() {
        assert!(order_by("-name").is_some_and(|o| o.contains("DESC")));
        assert!(order_by("name; DROP TABLE contacts").is_none());
    }
}
