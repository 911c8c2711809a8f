//! Server-rendered pages (askama) and their embedded assets.

pub mod article_markdown;
pub mod assets;
pub mod colors;
pub mod i18n;
pub mod markdown;
pub mod portal;
pub mod portal_caches;
pub mod portal_feeds;
pub mod portal_home;
pub mod portal_pages;
pub mod portal_search;
pub mod portal_search_page;
pub mod portal_texts;
pub mod survey;

/// The Content-Security-Policy of every page: nothing from elsewhere, no inline script or style.
pub const PAGE_CSP: &str = "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; \
    connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
