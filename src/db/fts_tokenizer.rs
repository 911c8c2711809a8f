//! FTS5's `unicode61 remove_diacritics 2` tokenizer (the one `articles_fts` uses), reproduced
//! in Rust for the in-memory help-center search index and for turning what a reader typed into
//! index terms. Which code points are token characters and what each folds to is read from
//! SQLite's own FTS5 once, at first use, so Rust and the SQL index always split and fold text
//! the same way (unicode61 works one code point at a time: a token is a run of token
//! characters, each folded to one code point or dropped).

use std::ops::ControlFlow;
use std::sync::LazyLock;

use rusqlite::Connection;

/// Code points below this are read from FTS5; all of its case and diacritic folding is there.
const TABLE_END: u32 = 0x30000;
/// Table entry of a separator.
const SEPARATOR: u32 = u32::MAX;
/// Table entry of a token character that folds to nothing (a combining diacritic).
const DROPPED: u32 = u32::MAX - 1;
/// Code points per row while reading the table (one row per code point is slower).
const CHUNK: u32 = 4096;

/// Splits and folds text exactly as the `articles_fts` index does.
pub struct Tokenizer {
    /// Per code point below [`TABLE_END`]: its folded form, [`SEPARATOR`] or [`DROPPED`].
    table: Vec<u32>,
}

impl std::fmt::Debug for Tokenizer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Tokenizer(unicode61 remove_diacritics 2)")
    }
}

/// The tokenizer, its table read from FTS5 on first use (about 0.1 s).
pub static TOKENIZER: LazyLock<Tokenizer> = LazyLock::new(|| {
    // An in-memory database and the bundled FTS5: fails only if SQLite itself is broken.
    Tokenizer::from_fts5().expect("the bundled SQLite has FTS5")
});

impl Tokenizer {
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
        if table.len() != TABLE_END as usize {
            return Err(rusqlite::Error::InvalidQuery);
        }
        Ok(Tokenizer { table })
    }

    /// What unicode61 makes of one code point: `None` for a separator, `Some(None)` when it
    /// belongs to a token but is dropped, `Some(Some(c))` for its folded form. Above the table
    /// nothing folds and only the tag and variation-selector block separates.
    fn class(&self, c: char) -> Option<Option<char>> {
        let cp = u32::from(c);
        match self.table.get(cp as usize) {
            Some(&SEPARATOR) => None,
            Some(&DROPPED) => Some(None),
            Some(&folded) => Some(char::from_u32(folded)),
            None if (0xE0000..=0xE0FFF).contains(&cp) => None,
            None => Some(Some(c)),
        }
    }

    /// Call `f(start, end, term)` for every token of `text`: its byte range and folded form.
    pub fn for_each_token(&self, text: &str, mut f: impl FnMut(usize, usize, &str)) {
        self.visit_tokens(text, |s, e, term| {
            f(s, e, term);
            ControlFlow::Continue(())
        });
    }

    /// [`Self::for_each_token`] until `f` breaks. A token that folds to itself (most of them)
    /// is passed as a slice of `text`, without copying.
    pub fn visit_tokens(&self, text: &str, mut f: impl FnMut(usize, usize, &str) -> ControlFlow<()>) {
        let mut folded_term = String::new();
        // Start of the current token, and whether it differs from its text (then it is built
        // in `folded_term`).
        let mut start: Option<(usize, bool)> = None;
        for (i, c) in text.char_indices().chain(std::iter::once((text.len(), ' '))) {
            match self.class(c) {
                Some(folded) if i < text.len() => match &mut start {
                    Some((_, false)) if folded == Some(c) => {}
                    Some((s, copied @ false)) => {
                        folded_term.clear();
                        folded_term.push_str(&text[*s..i]);
                        folded_term.extend(folded);
                        *copied = true;
                    }
                    Some((_, true)) => folded_term.extend(folded),
                    None if folded == Some(c) => start = Some((i, false)),
                    None => {
                        folded_term.clear();
                        folded_term.extend(folded);
                        start = Some((i, true));
                    }
                },
                _ => {
                    if let Some((s, copied)) = start.take() {
                        let term = if copied { folded_term.as_str() } else { &text[s..i] };
                        if !term.is_empty() && f(s, i, term).is_break() {
                            return;
                        }
                    }
                }
            }
        }
    }

    /// The folded tokens of `text`, at most `max`.
    pub fn terms(&self, text: &str, max: usize) -> Vec<String> {
        let mut terms = Vec::new();
        self.for_each_token(text, |_, _, term| {
            if terms.len() < max {
                terms.push(term.to_string());
            }
        });
        terms
    }
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
