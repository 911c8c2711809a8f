//! Full-text search of articles. The `articles_fts` index (FTS5, kept by triggers) answers the
//! dashboard's searches; the public portal search ranks over an in-memory
//! [`SearchIndex`] of one portal locale's published articles, read here and split by the
//! same tokenizer, so both agree on what a query matches.

use rusqlite::{Connection, params};

use super::DbResult;
use super::articles::{Article, COLUMNS, from_row, hit_columns};
use super::fts_tokenizer::TOKENIZER;
use crate::domain::article_text::{Marks, match_excerpt};
use crate::domain::search_index::{Document, SearchIndex};

/// Query terms beyond this many are ignored.
const MAX_QUERY_TERMS: usize = 16;

/// Markers around matched words in a [`snippet`] (escaped later, then made `<mark>`).
pub const MATCH_START: char = '\u{2}';
/// See [`MATCH_START`].
pub const MATCH_END: char = '\u{3}';
/// Marker where a [`snippet`] cuts the text (the widget JSON says "...", the page "…").
pub const CUT: char = '\u{4}';

/// Characters of context either side of the first match in a [`snippet`].
const SNIPPET_RADIUS: usize = 110;

/// What a reader typed as index terms (split and folded as the index does), at most 16.
pub fn query_terms(text: &str) -> Vec<String> {
    TOKENIZER.terms(text, MAX_QUERY_TERMS)
}

/// Turn what a reader typed into an FTS5 query: every term must match, as a prefix; quotes and
/// operators in the input are plain text. `None` when nothing searchable remains.
pub fn fts_query(text: &str) -> Option<String> {
    let terms = query_terms(text);
    (!terms.is_empty()).then(|| {
        terms
            .iter()
            .map(|t| format!("\"{t}\"*"))
            .collect::<Vec<_>>()
            .join(" ")
    })
}

/// The published articles of a portal in one locale, without their markdown (`content` is
/// `None`; `content_text` holds the plain text), in id order.
pub fn published_articles(conn: &Connection, portal_id: i64, locale: &str) -> DbResult<Vec<Article>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {} FROM articles a WHERE a.portal_id = ?1 AND a.locale = ?2 AND a.status = 1 ORDER BY a.id",
        hit_columns()
    ))?;
    Ok(stmt
        .query_map(params![portal_id, locale], from_row)?
        .collect::<Result<_, _>>()?)
}

/// The search index of `articles` (title, description and plain text).
pub fn index_of(articles: &[Article]) -> SearchIndex {
    let documents = articles.iter().map(|a| Document {
        id: a.id,
        title: &a.title,
        description: a.description.as_deref().unwrap_or(""),
        text: &a.content_text,
    });
    SearchIndex::build(&TOKENIZER, documents)
}

/// A snippet of `text` around its first match of `terms`, matches marked with
/// [`MATCH_START`] … [`MATCH_END`], cuts with [`CUT`].
pub fn snippet(text: &str, terms: &[String]) -> String {
    let marks = Marks {
        open: MATCH_START,
        close: MATCH_END,
        cut: CUT,
    };
    match_excerpt(&TOKENIZER, text, terms, SNIPPET_RADIUS, marks)
}

/// Published articles of every portal of an account matching `query` (the dashboard's
/// `search/articles`), best first.
pub fn search_account(
    conn: &Connection,
    account_id: i64,
    query: &str,
    limit: i64,
    offset: i64,
) -> DbResult<Vec<Article>> {
    let Some(fts) = fts_query(query) else {
        return Ok(Vec::new());
    };
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM articles_fts f JOIN articles a ON a.id = f.rowid \
         WHERE articles_fts MATCH ?2 AND a.account_id = ?1 \
         ORDER BY bm25(articles_fts, 10.0, 5.0, 1.0), a.id LIMIT +?3 OFFSET +?4"
    ))?;
    Ok(stmt
        .query_map(params![account_id, fts, limit, offset], from_row)?
        .collect::<Result<_, _>>()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::search_index::best_page;

    /// With one portal's published articles as the whole table, the in-memory index finds
    /// and ranks exactly what FTS5's `bm25(articles_fts, 10, 5, 1)` does, scores included.
    #[test]
    fn the_memory_index_ranks_like_fts5() {
        let mut conn = Connection::open_in_memory().expect("db");
        super::super::migrate::run(&mut conn).expect("migrations");
        conn.execute_batch(
            "INSERT INTO accounts (name, created_at, updated_at) VALUES ('A', 0, 0);
             INSERT INTO portals (account_id, name, slug, created_at, updated_at) VALUES (1, 'P', 'p', 0, 0);",
        )
        .expect("portal");
        let words = [
            "refund", "refunds", "billing", "invoice", "card", "été", "Ecole", "shipping", "parcel",
            "account", "password", "reset", "the", "a", "order", "return", "policy", "naïve",
        ];
        for i in 0..60_usize {
            let pick = |n: usize, salt: usize| -> String {
                (0..n)
                    .map(|k| words[(i * 7 + k * salt + k * k) % words.len()])
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            conn.execute(
                "INSERT INTO articles (account_id, portal_id, title, description, slug, status, locale, \
                 content_text, summary, created_at, updated_at) VALUES (1, 1, ?1, ?2, ?3, 1, 'en', ?4, '', 0, 0)",
                params![pick(1 + i % 3, 3), pick(i % 4, 5), format!("a-{i}"), pick(5 + i % 40, 11)],
            )
            .expect("article");
        }
        let index = index_of(&published_articles(&conn, 1, "en").expect("articles"));
        assert_eq!(index.len(), 60);
        for query in [
            "refund",
            "re",
            "the",
            "ete policy",
            "ÉCOLE",
            "a card",
            "order return p",
            "zzz",
            "naive",
        ] {
            let fts = fts_query(query).expect("terms");
            let mut stmt = conn
                .prepare(
                    "SELECT bm25(articles_fts, 10.0, 5.0, 1.0), rowid FROM articles_fts \
                     WHERE articles_fts MATCH ?1 ORDER BY 1, 2",
                )
                .expect("prepare");
            let expected: Vec<(f64, i64)> = stmt
                .query_map([fts], |r| Ok((r.get(0)?, r.get(1)?)))
                .expect("query")
                .collect::<Result<_, _>>()
                .expect("rows");
            let got = best_page(index.search(&query_terms(query)), 0, 1000);
            assert_eq!(
                got.iter().map(|h| h.1).collect::<Vec<_>>(),
                expected.iter().map(|h| h.1).collect::<Vec<_>>(),
                "{query}"
            );
            for (g, e) in got.iter().zip(&expected) {
                assert!((g.0 - e.0).abs() < 1e-9, "{query}: {g:?} vs {e:?}");
            }
        }
    }
}
