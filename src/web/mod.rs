//! Server-rendered pages (askama) and their embedded assets: the CSAT survey page and, in
//! `help_center`, the public help center.

pub mod app;
pub mod assets;
pub mod colors;
pub mod help_center;
pub mod i18n;
pub mod markdown;
pub mod survey;
pub mod widget;

/// The Content-Security-Policy of every page: nothing from elsewhere, no inline script or style.
pub const PAGE_CSP: &str = "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; \
    connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
