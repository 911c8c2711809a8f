//! An in-memory full-text index of one portal locale's published articles, for the public
//! search. It answers what the `articles_fts` index would (every query term must start a token
//! of the title, description or text, tokens as unicode61 makes them) and ranks like FTS5's
//! `bm25(articles_fts, 10.0, 5.0, 1.0)`, but counts documents and lengths over this portal
//! locale's published articles only, so other portals, drafts and archived articles do not
//! move a portal's ranking. Built once per portal content version; a query costs a walk of
//! the postings of its terms, not a ranking query per request.

use rustc_hash::FxHashMap;

use crate::domain::tokenizer::Tokenizer;

/// Weight of a term found in the title, the description and the text (as the SQL index).
const COLUMN_WEIGHTS: [u32; 3] = [10, 5, 1];
/// BM25 parameters FTS5 uses.
const K1: f64 = 1.2;
const B: f64 = 0.75;

/// The searchable text of one article.
#[derive(Debug, Clone, Copy)]
pub struct Document<'a> {
    pub id: i64,
    pub title: &'a str,
    pub description: &'a str,
    pub text: &'a str,
}

/// One article containing a term: its number in the index and the term's weighted count
/// (title instances × 10 + description × 5 + text × 1).
#[derive(Debug, Clone, Copy)]
struct Posting {
    doc: u32,
    weight: u32,
}

/// Terms, postings and document lengths of a set of articles.
#[derive(Debug, Default)]
pub struct SearchIndex {
    /// Article id per document number.
    ids: Vec<i64>,
    /// Tokens per document, all columns.
    lengths: Vec<u32>,
    /// Mean of `lengths`.
    average_length: f64,
    /// Distinct terms in order, each with its range of `postings`.
    terms: Vec<(Box<str>, u32, u32)>,
    postings: Vec<Posting>,
}

/// A ranked hit: FTS5's bm25 value (lower is better) and the article id.
pub type Ranked = (f64, i64);

impl SearchIndex {
    /// Index `documents`, splitting their text with `tokenizer`. Each token is one lookup in
    /// a term dictionary; a document's (term, weight) pairs are sorted and merged into its
    /// postings, so no string is copied per token.
    pub fn build<'a>(
        tokenizer: &Tokenizer,
        documents: impl IntoIterator<Item = Document<'a>>,
    ) -> SearchIndex {
        let mut term_ids: FxHashMap<Box<str>, u32> = FxHashMap::default();
        let mut postings_by_term: Vec<Vec<Posting>> = Vec::new();
        let mut index = SearchIndex::default();
        let mut occurrences: Vec<(u32, u32)> = Vec::new();
        for document in documents {
            let doc = u32::try_from(index.ids.len()).unwrap_or(u32::MAX);
            occurrences.clear();
            for (column, weight) in [document.title, document.description, document.text]
                .into_iter()
                .zip(COLUMN_WEIGHTS)
            {
                tokenizer.for_each_token(column, |_, _, term| {
                    let id = match term_ids.get(term) {
                        Some(&id) => id,
                        None => {
                            let id = u32::try_from(postings_by_term.len()).unwrap_or(u32::MAX);
                            term_ids.insert(term.into(), id);
                            postings_by_term.push(Vec::new());
                            id
                        }
                    };
                    occurrences.push((id, weight));
                });
            }
            index
                .lengths
                .push(u32::try_from(occurrences.len()).unwrap_or(u32::MAX));
            occurrences.sort_unstable_by_key(|&(id, _)| id);
            for run in occurrences.chunk_by(|a, b| a.0 == b.0) {
                let weight = run.iter().map(|&(_, w)| w).sum();
                postings_by_term[run[0].0 as usize].push(Posting { doc, weight });
            }
            index.ids.push(document.id);
        }
        let total: u64 = index.lengths.iter().map(|&l| u64::from(l)).sum();
        index.average_length = if index.ids.is_empty() {
            0.0
        } else {
            total as f64 / index.ids.len() as f64
        };
        let mut terms: Vec<(Box<str>, u32)> = term_ids.into_iter().collect();
        terms.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        index
            .postings
            .reserve(postings_by_term.iter().map(Vec::len).sum());
        for (term, id) in terms {
            let start = u32::try_from(index.postings.len()).unwrap_or(u32::MAX);
            index.postings.append(&mut postings_by_term[id as usize]);
            let end = u32::try_from(index.postings.len()).unwrap_or(u32::MAX);
            index.terms.push((term, start, end));
        }
        index
    }

    /// Articles indexed.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Approximate heap bytes held (for memory budgets).
    pub fn heap_bytes(&self) -> usize {
        let terms: usize = self.terms.iter().map(|(t, _, _)| t.len() + 24).sum();
        self.ids.len() * 12 + terms + self.postings.len() * std::mem::size_of::<Posting>()
    }

    /// Whether no article is indexed.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The postings of every term starting with `prefix` (FTS5's `"prefix"*`).
    fn prefixed(&self, prefix: &str) -> impl Iterator<Item = &Posting> {
        let first = self.terms.partition_point(|(term, _, _)| &**term < prefix);
        self.terms[first..]
            .iter()
            .take_while(move |(term, _, _)| term.starts_with(prefix))
            .flat_map(|&(_, start, end)| &self.postings[start as usize..end as usize])
    }

    /// Articles in which every one of `terms` starts a token, with their bm25 value, in no
    /// particular order.
    pub fn search(&self, terms: &[String]) -> Vec<Ranked> {
        let count = self.ids.len();
        if terms.is_empty() || count == 0 {
            return Vec::new();
        }
        let mut score = vec![0.0_f64; count];
        // How many of the terms so far each document has matched.
        let mut matched = vec![0_usize; count];
        let mut weight = vec![0_u32; count];
        for (i, term) in terms.iter().enumerate() {
            weight.iter_mut().for_each(|w| *w = 0);
            for posting in self.prefixed(term) {
                weight[posting.doc as usize] += posting.weight;
            }
            let hits = weight.iter().filter(|&&w| w > 0).count();
            if hits == 0 {
                return Vec::new();
            }
            let idf = inverse_document_frequency(count, hits);
            for doc in 0..count {
                if weight[doc] > 0 && matched[doc] == i {
                    matched[doc] += 1;
                    let frequency = f64::from(weight[doc]);
                    let length = f64::from(self.lengths[doc]);
                    score[doc] += idf * (frequency * (K1 + 1.0))
                        / (frequency + K1 * (1.0 - B + B * length / self.average_length));
                }
            }
        }
        (0..count)
            .filter(|&doc| matched[doc] == terms.len())
            .map(|doc| (-score[doc], self.ids[doc]))
            .collect()
    }
}

/// FTS5's idf: never zero or negative, so a term in most articles still counts a little.
fn inverse_document_frequency(rows: usize, hits: usize) -> f64 {
    let (rows, hits) = (rows as f64, hits as f64);
    let idf = ((rows - hits + 0.5) / (hits + 0.5)).ln();
    if idf <= 0.0 { 1e-6 } else { idf }
}

/// The `offset..offset + limit` best of `hits` (lowest bm25 first, ties by id).
pub fn best_page(mut hits: Vec<Ranked>, offset: usize, limit: usize) -> Vec<Ranked> {
    if offset >= hits.len() || limit == 0 {
        return Vec::new();
    }
    let by_rank = |a: &Ranked, b: &Ranked| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1));
    let end = offset.saturating_add(limit).min(hits.len());
    if end < hits.len() {
        hits.select_nth_unstable_by(end, by_rank);
        hits.truncate(end);
    }
    hits.sort_unstable_by(by_rank);
    hits.drain(..offset);
    hits
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::fts_tokenizer::TOKENIZER;

    fn doc<'a>(id: i64, title: &'a str, text: &'a str) -> Document<'a> {
        Document {
            id,
            title,
            description: "",
            text,
        }
    }

    fn ids(hits: &[Ranked]) -> Vec<i64> {
        hits.iter().map(|h| h.1).collect()
    }

    #[test]
    fn every_term_must_start_a_token_and_titles_rank_first() {
        let index = SearchIndex::build(
            &TOKENIZER,
            [
                doc(1, "Billing", "How refunds are paid."),
                doc(2, "Refunds", "Money back on a card."),
                doc(3, "Shipping", "Parcels and refunding."),
            ],
        );
        let terms = |q: &str| TOKENIZER.terms(q, 16);
        // The title match first; then the shorter article.
        assert_eq!(ids(&best_page(index.search(&terms("refund")), 0, 10)), [2, 3, 1]);
        assert_eq!(ids(&index.search(&terms("refund card"))), [2]);
        assert!(index.search(&terms("efund")).is_empty(), "prefixes only");
        assert!(index.search(&terms("refund nothing")).is_empty());
        assert_eq!(ids(&best_page(index.search(&terms("REFUND")), 1, 1)), [3]);
        assert!(best_page(index.search(&terms("refund")), 3, 10).is_empty());
    }
}
