//! The plain text of article markdown: stored beside the markdown for the full-text index,
//! search snippets and list excerpts, so no page parses markdown for a list.

use std::ops::ControlFlow;

use pulldown_cmark::{Event, Options, Parser};

use crate::domain::tokenizer::Tokenizer;

/// Markdown extensions the help center supports (CommonMark plus GFM tables, strikethrough,
/// task lists and footnotes).
pub fn markdown_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES
}

/// The words of the markdown without its syntax, whitespace collapsed.
pub fn plain_text(markdown: &str) -> String {
    let mut text = String::with_capacity(markdown.len());
    for event in Parser::new_ext(markdown, markdown_options()) {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak | Event::End(_) => text.push(' '),
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The first `max` characters of `text`, cut at a word, with "…" when shortened.
pub fn excerpt(text: &str, max: usize) -> String {
    excerpt_with(text, max, '…')
}

/// [`excerpt`] with `cut` where shortened.
fn excerpt_with(text: &str, max: usize, cut: char) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let head: String = text.chars().take(max).collect();
    let head = head.rsplit_once(' ').map_or(head.as_str(), |(head, _)| head);
    format!("{}{cut}", head.trim_end())
}

/// The characters a [`match_excerpt`] puts around each match and where the text is cut; the
/// pages replace them (escaping the text first) by `<mark>`, `</mark>` and "…" or "...".
#[derive(Debug, Clone, Copy)]
pub struct Marks {
    pub open: char,
    pub close: char,
    pub cut: char,
}

/// Byte ranges of the tokens of `text` that start with one of the (folded) query `terms`,
/// as the full-text index's prefix match decides; `first_only` stops at the first.
fn match_ranges(
    tokenizer: &Tokenizer,
    text: &str,
    terms: &[String],
    first_only: bool,
) -> Vec<(usize, usize)> {
    let mut ranges = Vec::new();
    tokenizer.visit_tokens(text, |start, end, token| {
        if terms.iter().any(|t| token.starts_with(t.as_str())) {
            ranges.push((start, end));
            if first_only {
                return ControlFlow::Break(());
            }
        }
        ControlFlow::Continue(())
    });
    ranges
}

/// About `radius` characters of plain text either side of the first match of the query, cut at
/// words, with `marks.cut` where shortened and every match inside wrapped in `marks.open` …
/// `marks.close`. Without a match in the text (a title hit), the start of the text.
pub fn match_excerpt(
    tokenizer: &Tokenizer,
    text: &str,
    terms: &[String],
    radius: usize,
    marks: Marks,
) -> String {
    let Some(&(first, first_end)) = match_ranges(tokenizer, text, terms, true).first() else {
        return excerpt_with(text, radius * 2, marks.cut);
    };
    let mut start = text[..first]
        .char_indices()
        .rev()
        .nth(radius.saturating_sub(1))
        .map_or(0, |(i, _)| i);
    if start > 0 {
        // Begin at the next whole word.
        start = text[start..first].find(' ').map_or(first, |i| start + i + 1);
    }
    let mut end = text[first_end..]
        .char_indices()
        .nth(radius)
        .map_or(text.len(), |(i, _)| first_end + i);
    if end < text.len() {
        // Stop after the last whole word.
        end = text[first_end..end]
            .rfind(' ')
            .map_or(first_end, |i| first_end + i);
    }
    let window = &text[start..end];
    let mut out = String::with_capacity(window.len() + 16);
    if start > 0 {
        out.push(marks.cut);
    }
    let mut at = 0;
    for (s, e) in match_ranges(tokenizer, window, terms, false) {
        out.push_str(&window[at..s]);
        out.push(marks.open);
        out.push_str(&window[s..e]);
        out.push(marks.close);
        at = e;
    }
    out.push_str(&window[at..]);
    if end < text.len() {
        out.push(marks.cut);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::fts_tokenizer::TOKENIZER;

    const MARKS: Marks = Marks {
        open: '[',
        close: ']',
        cut: '~',
    };

    fn query_words(q: &str) -> Vec<String> {
        TOKENIZER.terms(q, 16)
    }

    #[test]
    fn plain_text_and_excerpt() {
        assert_eq!(plain_text("# Hi\n\nSome **bold** `code`."), "Hi Some bold code.");
        assert_eq!(plain_text("| a | b |\n|---|---|\n| 1 | 2 |"), "a b 1 2");
        assert_eq!(excerpt("one two three four", 9), "one two…");
        assert_eq!(excerpt("short", 9), "short");
    }

    #[test]
    fn excerpts_centre_on_the_first_match() {
        let q = query_words("Refund");
        let text = "one two three four five refunds are paid six seven eight nine ten";
        assert_eq!(
            match_excerpt(&TOKENIZER, text, &q, 12, MARKS),
            "~four five [refunds] are paid~"
        );
        assert_eq!(
            match_excerpt(&TOKENIZER, "Refund now", &q, 12, MARKS),
            "[Refund] now"
        );
        assert_eq!(
            match_excerpt(&TOKENIZER, "nothing here at all", &q, 5, MARKS),
            "nothing~"
        );
        let q = query_words("ÉTÉ");
        assert_eq!(
            match_excerpt(&TOKENIZER, "un Été chaud", &q, 20, MARKS),
            "un [Été] chaud"
        );
        // Folded as the index folds: "ete" finds and marks "Été".
        let q = query_words("ete");
        assert_eq!(
            match_excerpt(&TOKENIZER, "un Été chaud", &q, 20, MARKS),
            "un [Été] chaud"
        );
        // Multi-byte text around the match never splits a character.
        let long = format!("{} clé {}", "ü".repeat(50), "ß".repeat(50));
        let cut = match_excerpt(&TOKENIZER, &long, &query_words("clé"), 10, MARKS);
        assert!(cut.contains("[clé]"), "{cut}");
    }
}
