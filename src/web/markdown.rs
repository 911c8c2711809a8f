//! Markdown → sanitized HTML: pulldown-cmark renders, one configured ammonia builder cleans.

use std::sync::LazyLock;

use pulldown_cmark::{Options, Parser, html};

/// The only sanitizer: no scripts, no event handlers, no `javascript:` URLs, links get
/// `rel="noopener noreferrer nofollow"`.
static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::default();
    builder
        .link_rel(Some("noopener noreferrer nofollow"))
        .url_schemes(["http", "https", "mailto"].into_iter().collect());
    builder
});

/// Render untrusted markdown to HTML that is safe to embed.
pub fn render(markdown: &str) -> String {
    let parser = Parser::new_ext(markdown, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH);
    let mut raw = String::new();
    html::push_html(&mut raw, parser);
    SANITIZER.clean(&raw).to_string()
}

#[cfg(test)]
mod tests {
    use super::render;

    /// `(markdown, must contain, must not contain)`
    fn check(markdown: &str, present: &str, absent: &str) {
        let html = render(markdown);
        assert!(html.contains(present), "{markdown:?} → {html}");
        assert!(!html.to_lowercase().contains(absent), "{markdown:?} → {html}");
    }

    #[test]
    fn hostile_markdown() {
        check("**bold**", "<strong>bold</strong>", "<script");
        check("<script>alert(1)</script>hi", "hi", "<script");
        check("[x](javascript:alert(1))", "<a", "javascript:");
        check("<img src=x onerror=alert(1)>", "", "onerror");
        check(
            "<a href=\"https://ok.test\" onclick=\"x()\">ok</a>",
            "noopener",
            "onclick",
        );
        check("<iframe src=\"https://evil.test\"></iframe>", "", "<iframe");
        check("[mail](mailto:a@b.test)", "mailto:a@b.test", "javascript");
    }
}
