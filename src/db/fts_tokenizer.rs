//! Reads the table of FTS5's `unicode61 remove_diacritics 2` tokenizer from SQLite itself, so
//! the Rust [`Tokenizer`] (in `domain::tokenizer`) splits and folds text exactly as the
//! `articles_fts` index does.

use std::sync::LazyLock;

use rusqlite::Connection;

pub use crate::domain::tokenizer::Tokenizer;
use crate::domain::tokenizer::{DROPPED, SEPARATOR, TABLE_END};

/// Code points per row while reading the table (one row per code point is slower).
const CHUNK: u32 = 4096;

/// The tokenizer, its table read from FTS5 on first use (about 0.1 s).
pub static TOKENIZER: LazyLock<Tokenizer> = LazyLock::new(|| {
    // An in-memory database and the bundled FTS5: fails only if SQLite itself is broken.
    from_fts5().expect("the bundled SQLite has FTS5")
});

/// Read the table by indexing every code point between two ASCII letters ("q" c "z"):
/// one token "q" + fold(c) + "z" for a token character, two tokens for a separator.
fn from_fts5() -> rusqlite::Result<Tokenizer> {
    let conn = Connection::open_in_memory()?;
    conn.execute_batch(
        "CREATE VIRTUAL TABLE t USING fts5 (x, tokenize = 'unicode61 remove_diacritics 2');
         CREATE VIRTUAL TABLE v USING fts5vocab (t, instance);
         BEGIN;",
    )?;
    let mut insert = conn.prepare("INSERT INTO t (rowid, x) VALUES (?1, ?2)")?;
    for chunk in 0..TABLE_END / CHUNK {
        let text: String = (chunk * CHUNK..(chunk + 1) * CHUNK)
            .map(|cp| char::from_u32(cp).map_or_else(|| "q z ".to_string(), |c| format!("q{c}z ")))
            .collect();
        insert.execute(rusqlite::params![chunk, text])?;
    }
    conn.execute_batch("COMMIT")?;
    let mut table = Vec::with_capacity(TABLE_END as usize);
    let mut terms = conn.prepare("SELECT term FROM v ORDER BY doc, \"offset\"")?;
    let mut rows = terms.query([])?;
    while let Some(row) = rows.next()? {
        let term: String = row.get(0)?;
        let mut chars = term.chars();
        match (chars.next(), chars.next_back(), chars.next(), chars.next()) {
            (Some('q'), None, None, None) => table.push(SEPARATOR), // its "z" follows
            (Some('q'), Some('z'), None, None) => table.push(DROPPED),
            (Some('q'), Some('z'), Some(folded), None) => table.push(u32::from(folded)),
            (Some('z'), None, None, None) => {}
            _ => return Err(rusqlite::Error::InvalidQuery),
        }
    }
    Tokenizer::from_table(table).ok_or(rusqlite::Error::InvalidQuery)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rust's tokens equal the index's own for text in several scripts, with diacritics,
    /// combining marks, digits, punctuation, emoji and unassigned code points.
    #[test]
    fn tokens_match_the_fts5_index() {
        let samples = [
            "Hello, World! Refund-policy_v2 don't 3.14 e-mail",
            "Été à l'école: ÇA VA? naïve Ærøskøbing straße İstanbul",
            "e\u{301}te\u{301} combining ́ alone \u{345} iota \u{378} x",
            "Привет, мир! Ёлка й Ελληνικά ΣΊΣΥΦΟΣ עברית العربية",
            "日本語のテキスト 中文 한국어 emoji 😀👍🏽 tag\u{E0041}x ZWJ\u{200D}join",
            "𝐁𝐨𝐥𝐝 math 𝟙𝟚 plane2 𠀀𠀁 nbsp\u{a0}x tab\tnew\nline",
            "plane3 \u{30001}\u{31350} pua\u{F0001}x vs\u{E0100}y \u{10FFFD}",
        ];
        let conn = Connection::open_in_memory().expect("db");
        conn.execute_batch(
            "CREATE VIRTUAL TABLE t USING fts5 (x, tokenize = 'unicode61 remove_diacritics 2');
             CREATE VIRTUAL TABLE v USING fts5vocab (t, instance);",
        )
        .expect("schema");
        for (i, text) in (0_i64..).zip(samples) {
            conn.execute(
                "INSERT INTO t (rowid, x) VALUES (?1, ?2)",
                rusqlite::params![i, text],
            )
            .expect("insert");
            let fts5: Vec<String> = conn
                .prepare("SELECT term FROM v WHERE doc = ?1 ORDER BY \"offset\"")
                .expect("prepare")
                .query_map([i], |r| r.get(0))
                .expect("query")
                .collect::<Result<_, _>>()
                .expect("rows");
            assert_eq!(TOKENIZER.terms(text, usize::MAX), fts5, "{text}");
        }
    }

    #[test]
    fn spans_cover_the_original_text() {
        let text = "Un Été chaud";
        let mut spans = Vec::new();
        TOKENIZER.for_each_token(text, |s, e, term| spans.push((&text[s..e], term.to_string())));
        assert_eq!(
            spans,
            [
                ("Un", "un".into()),
                ("Été", "ete".into()),
                ("chaud", "chaud".into())
            ]
        );
    }
}
