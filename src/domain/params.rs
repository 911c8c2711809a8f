//! How request parameters read, shared by the API, the pages and the services that take
//! parsed parameters: nullable fields and page numbers as Rails and Kaminari read them.

use serde::Deserialize;

/// The highest page number honoured; deeper pages are empty anyway, and the clamp keeps
/// `(page - 1) * per_page` from overflowing.
pub const MAX_PAGE: i64 = 1_000_000;

/// A `page` query parameter as Rails' `to_i` then Kaminari read it: anything below 1 (or not a
/// number) is page 1; at most [`MAX_PAGE`].
pub fn page_number(raw: Option<&str>) -> i64 {
    raw.and_then(|p| p.trim().parse::<i64>().ok())
        .filter(|p| *p >= 1)
        .unwrap_or(1)
        .min(MAX_PAGE)
}

/// An integer `page` parameter, 1 ..= [`MAX_PAGE`].
pub fn clamp_page(page: Option<i64>) -> i64 {
    page.unwrap_or(1).clamp(1, MAX_PAGE)
}

/// For `Option<Option<T>>` fields: absent → `None`, `null` → `Some(None)`, value → `Some(Some)`.
pub fn nullable<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}
