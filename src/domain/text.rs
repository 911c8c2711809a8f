//! Small text rules shared by the filter DSL and the queries that search.

/// `text` with LIKE's wildcards escaped, for `LIKE ? ESCAPE '\\'` patterns.
pub fn like_escape(text: &str) -> String {
    text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}
