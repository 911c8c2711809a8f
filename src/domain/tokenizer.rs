//! FTS5's `unicode61 remove_diacritics 2` tokenizer (the one `articles_fts` uses), in Rust:
//! the in-memory help-center search index and the query terms use it. unicode61 works one code
//! point at a time (a token is a run of token characters, each folded to one code point or
//! dropped); which code points are token characters and what each folds to is a table that
//! `db::fts_tokenizer` reads from SQLite's own FTS5, so Rust and the SQL index always agree.

use std::ops::ControlFlow;

/// Code points below this come from the table; all of FTS5's case and diacritic folding is there.
pub const TABLE_END: u32 = 0x30000;
/// Table entry of a separator.
pub const SEPARATOR: u32 = u32::MAX;
/// Table entry of a token character that folds to nothing (a combining diacritic).
pub const DROPPED: u32 = u32::MAX - 1;

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

impl Tokenizer {
    /// A tokenizer over a table of [`TABLE_END`] entries; `None` for a table of another size.
    pub fn from_table(table: Vec<u32>) -> Option<Tokenizer> {
        (table.len() == TABLE_END as usize).then_some(Tokenizer { table })
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
