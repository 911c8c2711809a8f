//! Working time between two instants under an inbox's weekly working hours and timezone (the
//! `value_in_business_hours` of reporting events).

use jiff::civil::{Date, Time};
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan, Zoned};
use serde_json::Value;

/// Longest span walked day by day; longer ones are capped (a year of working days).
const MAX_DAYS: i64 = 370;

/// One day's opening, as minutes after midnight `[open, close)`.
fn opening(week: &Value, weekday: i64) -> Option<(i64, i64)> {
    let entry = week
        .as_array()?
        .iter()
        .find(|e| e.get("day_of_week").and_then(Value::as_i64) == Some(weekday))?;
    let flag = |key: &str| entry.get(key).and_then(Value::as_bool).unwrap_or(false);
    if flag("closed_all_day") {
        return None;
    }
    if flag("open_all_day") {
        return Some((0, 24 * 60));
    }
    let number = |key: &str| entry.get(key).and_then(Value::as_i64);
    let open = number("open_hour")? * 60 + number("open_minutes").unwrap_or(0);
    let close = number("close_hour")? * 60 + number("close_minutes").unwrap_or(0);
    (close > open).then_some((open, close))
}

/// Seconds of `[start_ms, end_ms)` that fall inside the working hours of `week` (Chatwoot's
/// entries, `day_of_week` 0 = Sunday) in `timezone`. An unknown zone counts as UTC.
pub fn working_seconds(week: &Value, timezone: &str, start_ms: i64, end_ms: i64) -> f64 {
    if end_ms <= start_ms {
        return 0.0;
    }
    let zone = TimeZone::get(timezone).unwrap_or(TimeZone::UTC);
    let (Ok(start), Ok(end)) = (
        Timestamp::from_millisecond(start_ms),
        Timestamp::from_millisecond(end_ms),
    ) else {
        return 0.0;
    };
    let mut day: Date = start.to_zoned(zone.clone()).date();
    let last: Date = end.to_zoned(zone.clone()).date();
    let mut total_ms: i64 = 0;
    for _ in 0..MAX_DAYS {
        let weekday = i64::from(day.weekday().to_sunday_zero_offset());
        if let Some((open, close)) = opening(week, weekday) {
            let at = |minutes: i64| -> Option<Zoned> {
                if minutes >= 24 * 60 {
                    return day.checked_add(1.day()).ok()?.to_zoned(zone.clone()).ok();
                }
                let time = Time::new((minutes / 60) as i8, (minutes % 60) as i8, 0, 0).ok()?;
                day.to_datetime(time).to_zoned(zone.clone()).ok()
            };
            if let (Some(open_at), Some(close_at)) = (at(open), at(close)) {
                let from = open_at.timestamp().as_millisecond().max(start_ms);
                let to = close_at.timestamp().as_millisecond().min(end_ms);
                total_ms += (to - from).max(0);
            }
        }
        if day >= last {
            break;
        }
        match day.tomorrow() {
            Ok(next) => day = next,
            Err(_) => break,
        }
    }
    total_ms as f64 / 1000.0
}

/// The zone's offset from UTC at `now_ms` as `+HH:MM` (Rails' `formatted_offset`); an
/// unknown zone is UTC.
pub fn utc_offset(timezone: &str, now_ms: i64) -> String {
    let zone = TimeZone::get(timezone).unwrap_or(TimeZone::UTC);
    let seconds = Timestamp::from_millisecond(now_ms)
        .map(|t| zone.to_offset(t).seconds())
        .unwrap_or(0);
    let sign = if seconds < 0 { '-' } else { '+' };
    let minutes = seconds.unsigned_abs() / 60;
    format!("{sign}{:02}:{:02}", minutes / 60, minutes % 60)
}

/// Whether `now_ms` falls inside the working hours of `week` in `timezone` (the widget's
/// "we are away" notice).
pub fn is_open(week: &Value, timezone: &str, now_ms: i64) -> bool {
    working_seconds(week, timezone, now_ms, now_ms + 1000) > 0.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::inbox::default_working_hours;

    fn ms(text: &str) -> i64 {
        text.parse::<Timestamp>().expect("time").as_millisecond()
    }

    #[test]
    fn counts_only_open_hours() {
        let week = default_working_hours(); // Mon–Fri 9–17
        // Monday 2026-11-30, 08:00 → 10:30 UTC: 1.5 working hours.
        let value = working_seconds(
            &week,
            "UTC",
            ms("2026-11-30T08:00:00Z"),
            ms("2026-11-30T10:30:00Z"),
        );
        assert_eq!(value, 5400.0);
        // Friday 16:00 → Monday 10:00: one hour on Friday, one on Monday.
        let value = working_seconds(
            &week,
            "UTC",
            ms("2026-11-27T16:00:00Z"),
            ms("2026-11-30T10:00:00Z"),
        );
        assert_eq!(value, 7200.0);
        // A weekend only: nothing.
        let value = working_seconds(
            &week,
            "UTC",
            ms("2026-11-28T09:00:00Z"),
            ms("2026-11-29T18:00:00Z"),
        );
        assert_eq!(value, 0.0);
    }

    #[test]
    fn follows_the_inbox_timezone() {
        let week = default_working_hours();
        // 14:00–16:00 UTC on a Monday is 09:00–11:00 in New York (EST, UTC−5).
        let value = working_seconds(
            &week,
            "America/New_York",
            ms("2026-11-30T13:00:00Z"),
            ms("2026-11-30T16:00:00Z"),
        );
        assert_eq!(value, 7200.0);
    }
}
