//! Timestamp renderings. Stored values are unix milliseconds; Chatwoot emits integers (seconds),
//! ISO-8601 strings with milliseconds, or floats depending on the field.

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// `"2025-01-02T03:04:05.123Z"`, as Rails renders a datetime in JSON.
pub fn iso(ms: i64) -> String {
    let nanos = i128::from(ms) * 1_000_000;
    let Ok(at) = OffsetDateTime::from_unix_timestamp_nanos(nanos) else {
        return String::new();
    };
    let whole = at.replace_nanosecond(0).unwrap_or(at);
    let base = whole.format(&Rfc3339).unwrap_or_default();
    let millis = ms.rem_euclid(1000);
    // Rfc3339 renders "…:05Z" for whole seconds; splice the milliseconds in before the Z.
    match base.strip_suffix('Z') {
        Some(stem) => format!("{stem}.{millis:03}Z"),
        None => base,
    }
}

/// ISO string or JSON null.
pub fn iso_opt(ms: Option<i64>) -> serde_json::Value {
    ms.map_or(serde_json::Value::Null, |ms| serde_json::Value::String(iso(ms)))
}

/// Unix seconds; Chatwoot's integer timestamps.
pub fn secs(ms: i64) -> i64 {
    ms.div_euclid(1000)
}

/// `"2025-01-02 03:04:05"`, Rails' `:db` format (used by `GET /api`).
pub fn db_format(ms: i64) -> String {
    let iso = iso(ms);
    iso.get(..19).map(|s| s.replace('T', " ")).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_iso_with_millis() {
        assert_eq!(iso(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(iso(1_735_787_045_123), "2025-01-02T03:04:05.123Z");
        assert_eq!(db_format(1_735_787_045_123), "2025-01-02 03:04:05");
        assert_eq!(secs(1_735_787_045_999), 1_735_787_045);
    }
}
