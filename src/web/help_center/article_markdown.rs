//! Help-center article markdown → safe HTML with heading anchors, a table of contents and
//! video embeds that Parlor renders itself. Raw HTML in the markdown is dropped (as Chatwoot
//! does); the result still passes through the one ammonia configuration of this module.

use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::num::NonZeroUsize;
use std::sync::{Arc, LazyLock, Mutex};

use lru::LruCache;
use pulldown_cmark::{CowStr, Event, HeadingLevel, Parser, Tag, TagEnd, html};

use crate::domain::article_text::markdown_options as options;

/// One entry of the table of contents (h2 and h3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub text: String,
}

/// A rendered article.
#[derive(Debug, Clone, Default)]
pub struct RenderedArticle {
    pub html: String,
    pub toc: Vec<TocEntry>,
}

/// The article sanitizer: CommonMark + GFM output, heading/footnote ids, checkboxes of task
/// lists, no scripts, no event handlers, only http/https/mailto links.
static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::default();
    let with_id: HashMap<&str, HashSet<&str>> = ["h1", "h2", "h3", "h4", "h5", "h6", "div", "li", "sup"]
        .into_iter()
        .map(|tag| (tag, HashSet::from(["id", "class"])))
        .collect();
    builder
        .link_rel(Some("noopener noreferrer nofollow"))
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .add_tags(["input"])
        .add_tag_attributes("input", ["type", "checked", "disabled"])
        .add_tag_attributes("a", ["class"])
        .attribute_filter(|element, attribute, value| match (element, attribute) {
            ("input", "type") if value != "checkbox" => None,
            _ => Some(value.into()),
        });
    for (tag, attributes) in with_id {
        builder.add_tag_attributes(tag, attributes);
    }
    builder
});

/// A heading id from its text: lowercase words joined by `-` (unicode letters kept).
fn heading_id(text: &str, used: &mut HashSet<String>) -> String {
    let mut base = String::new();
    let mut dash = false;
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            if dash && !base.is_empty() {
                base.push('-');
            }
            dash = false;
            base.push(c);
        } else {
            dash = true;
        }
    }
    if base.is_empty() {
        base = "section".into();
    }
    let mut id = base.clone();
    let mut n = 1;
    while !used.insert(id.clone()) {
        n += 1;
        id = format!("{base}-{n}");
    }
    id
}

/// The embed HTML for a video URL Parlor knows, if any (YouTube, Vimeo, Loom).
pub fn video_embed(url: &str) -> Option<String> {
    let rest = url.strip_prefix("https://")?;
    let id_ok = |id: &str| {
        !id.is_empty()
            && id.len() <= 64
            && id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    };
    let src = if let Some(q) = rest
        .strip_prefix("www.youtube.com/watch?v=")
        .or_else(|| rest.strip_prefix("youtube.com/watch?v="))
    {
        let id = q.split('&').next()?;
        id_ok(id).then(|| format!("https://www.youtube-nocookie.com/embed/{id}"))?
    } else if let Some(id) = rest.strip_prefix("youtu.be/") {
        let id = id.split(['?', '#']).next()?;
        id_ok(id).then(|| format!("https://www.youtube-nocookie.com/embed/{id}"))?
    } else if let Some(id) = rest.strip_prefix("vimeo.com/") {
        (id_ok(id) && id.chars().all(|c| c.is_ascii_digit()))
            .then(|| format!("https://player.vimeo.com/video/{id}"))?
    } else if let Some(id) = rest.strip_prefix("www.loom.com/share/") {
        let id = id.split(['?', '#']).next()?;
        id_ok(id).then(|| format!("https://www.loom.com/embed/{id}"))?
    } else {
        return None;
    };
    Some(format!(
        "<div class=\"embed\"><iframe src=\"{src}\" title=\"Video\" loading=\"lazy\" \
         allow=\"fullscreen; picture-in-picture\" referrerpolicy=\"strict-origin-when-cross-origin\" \
         sandbox=\"allow-scripts allow-same-origin allow-presentation\"></iframe></div>"
    ))
}

/// Origins of [`video_embed`] iframes, for the page's `frame-src`.
pub const EMBED_ORIGINS: &str =
    "https://www.youtube-nocookie.com https://player.vimeo.com https://www.loom.com";

/// How many rendered articles [`render_cached`] keeps.
const RENDER_CACHE_SIZE: usize = 512;

/// Recently rendered articles keyed by a hash of their markdown: an edit changes the key, so
/// an entry is never stale, and a hot article is sanitized once, not on every view.
static RENDER_CACHE: LazyLock<Mutex<LruCache<u64, Arc<RenderedArticle>>>> = LazyLock::new(|| {
    Mutex::new(LruCache::new(
        NonZeroUsize::new(RENDER_CACHE_SIZE).unwrap_or(NonZeroUsize::MIN),
    ))
});

/// [`render`] through the cache of recently rendered articles.
pub fn render_cached(markdown: &str) -> Arc<RenderedArticle> {
    let mut hasher = std::hash::DefaultHasher::new();
    markdown.hash(&mut hasher);
    let key = hasher.finish();
    if let Some(hit) = RENDER_CACHE.lock().ok().and_then(|mut c| c.get(&key).cloned()) {
        return hit;
    }
    let rendered = Arc::new(render(markdown));
    if let Ok(mut cache) = RENDER_CACHE.lock() {
        cache.put(key, rendered.clone());
    }
    rendered
}

/// Render article markdown.
pub fn render(markdown: &str) -> RenderedArticle {
    let events: Vec<Event> = Parser::new_ext(markdown, options())
        .filter(|e| !matches!(e, Event::Html(_) | Event::InlineHtml(_)))
        .collect();
    let nonce = uuid::Uuid::new_v4().simple().to_string();
    let mut embeds: Vec<String> = Vec::new();
    let mut used = HashSet::new();
    let mut toc = Vec::new();
    let mut out: Vec<Event> = Vec::with_capacity(events.len());
    let mut i = 0;
    while i < events.len() {
        // A paragraph holding only a link to a known video becomes an embed.
        if let (Event::Start(Tag::Paragraph), Some(Event::Start(Tag::Link { dest_url, .. }))) =
            (&events[i], events.get(i + 1))
            && let Some(embed) = video_embed(dest_url)
            && let Some(end) = events[i + 2..]
                .iter()
                .position(|e| matches!(e, Event::End(TagEnd::Link)))
            && matches!(events.get(i + 3 + end), Some(Event::End(TagEnd::Paragraph)))
        {
            out.push(Event::Text(CowStr::from(format!("{nonce}embed{}", embeds.len()))));
            embeds.push(embed);
            i += end + 4;
            continue;
        }
        if let Event::Start(Tag::Heading { level, .. }) = &events[i] {
            let level = *level;
            let close = events[i..]
                .iter()
                .position(|e| matches!(e, Event::End(TagEnd::Heading(_))))
                .map_or(events.len(), |p| i + p);
            let inner = &events[i + 1..close];
            let text: String = inner
                .iter()
                .filter_map(|e| match e {
                    Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                    _ => None,
                })
                .collect();
            let id = heading_id(&text, &mut used);
            let n = level as u8;
            if matches!(level, HeadingLevel::H2 | HeadingLevel::H3) {
                toc.push(TocEntry {
                    level: n,
                    id: id.clone(),
                    text: text.clone(),
                });
            }
            let mut inner_html = String::new();
            html::push_html(&mut inner_html, inner.iter().cloned());
            out.push(Event::Html(CowStr::from(format!(
                "<h{n} id=\"{id}\">{inner_html} <a class=\"anchor\" href=\"#{id}\">#</a></h{n}>"
            ))));
            i = close + 1;
            continue;
        }
        out.push(events[i].clone());
        i += 1;
    }
    let mut raw = String::new();
    html::push_html(&mut raw, out.into_iter());
    let mut clean = SANITIZER.clean(&raw).to_string();
    for (n, embed) in embeds.iter().enumerate() {
        clean = clean.replace(&format!("{nonce}embed{n}"), embed);
    }
    clean = clean
        .replace("<table>", "<div class=\"table\"><table>")
        .replace("</table>", "</table></div>");
    RenderedArticle { html: clean, toc }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `(markdown, must contain, must not contain)` for hostile input.
    const HOSTILE: &[(&str, &str, &str)] = &[
        ("<script>alert(1)</script>ok", "", "<script"),
        ("text <script>alert(1)</script> after", "after", "<script"),
        ("<SCRIPT SRC=//evil.test/x.js></SCRIPT>", "", "<script"),
        ("[x](javascript:alert(1))", "<a", "javascript:"),
        ("[x](JaVaScRiPt:alert(1))", "<a", "javascript:"),
        ("[x](java&#115;cript:alert(1))", "", "javascript"),
        ("[x](&#106;avascript:alert(1))", "", "avascript:"),
        ("[x](data:text/html;base64,PHNjcmlwdD4=)", "", "data:"),
        ("![i](javascript:alert(1))", "", "javascript:"),
        ("<img src=x onerror=alert(1)>", "", "onerror"),
        (
            "<a href=\"https://ok.test\" onclick=\"x()\">ok</a>",
            "ok",
            "onclick",
        ),
        ("<iframe src=\"https://evil.test\"></iframe>", "", "<iframe"),
        ("<svg><script>alert(1)</script></svg>", "", "<svg"),
        ("<svg onload=alert(1)>", "", "onload"),
        (
            "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>",
            "",
            "javascript",
        ),
        ("<style>body{display:none}</style>", "", "<style"),
        (
            "<form action=https://evil.test><input name=p></form>",
            "",
            "<form",
        ),
        (
            "[x](https://www.youtube.com/watch?v=abc\"onload=\"x)",
            "",
            "onload=\"",
        ),
        ("<div style=\"position:fixed\">x</div>", "", "style="),
        ("- [x] <input type=text value=evil>", "checkbox", "type=\"text\""),
        ("<object data=x.swf></object><embed src=x>", "", "<object"),
        (
            "<meta http-equiv=refresh content=0;url=https://evil.test>",
            "",
            "<meta",
        ),
        ("<base href=https://evil.test/>", "", "<base"),
    ];

    #[test]
    fn hostile_markdown_never_reaches_the_page() {
        for (markdown, present, absent) in HOSTILE {
            let html = render(markdown).html;
            assert!(html.contains(present), "{markdown:?} → {html}");
            assert!(!html.to_lowercase().contains(absent), "{markdown:?} → {html}");
        }
    }

    #[test]
    fn extensions_and_headings() {
        let rendered = render(
            "# Title\n\n## Set up\n\n### Set up\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~ and [^1]\n\n[^1]: note\n\n- [x] done\n",
        );
        assert!(
            rendered
                .html
                .contains("<h2 id=\"set-up\">Set up <a class=\"anchor\" href=\"#set-up\""),
            "{}",
            rendered.html
        );
        assert!(rendered.html.contains("id=\"set-up-2\""));
        assert!(rendered.html.contains("<div class=\"table\"><table>"));
        assert!(rendered.html.contains("<del>old</del>"));
        assert!(rendered.html.contains("footnote-definition"));
        assert!(rendered.html.contains("checkbox"));
        assert_eq!(
            rendered.toc.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(),
            ["set-up", "set-up-2"]
        );
    }

    #[test]
    fn only_known_videos_embed() {
        let html = render("https://www.youtube.com/watch?v=dQw4w9WgXcQ\n\n<https://vimeo.com/76979871>").html;
        assert!(!html.contains("youtube-nocookie"), "a bare URL is text: {html}");
        let html = render("[video](https://www.youtube.com/watch?v=dQw4w9WgXcQ)").html;
        assert!(
            html.contains("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
            "{html}"
        );
        let html = render("[v](https://evil.test/watch?v=1)").html;
        assert!(!html.contains("<iframe"), "{html}");
        assert_eq!(
            video_embed("https://youtu.be/abc?t=1")
                .as_deref()
                .map(|h| h.contains("/embed/abc")),
            Some(true)
        );
    }
}
