//! The public help center (`/` on a custom domain, `/hc/{slug}/…`). This module holds the
//! shared parts: finding the portal (by slug or custom domain), the page chrome (head, header,
//! locale and theme), conditional GET and the visitor key. The pages are in [`home`], [`pages`]
//! and [`search_page`]; the machine-readable endpoints in [`feeds`]; the in-memory search
//! corpus in [`search`]; what is kept between requests in [`caches`]; interface texts in
//! [`texts`]; article rendering in [`article_markdown`].

pub mod article_markdown;
pub mod caches;
pub mod feeds;
pub mod home;
pub mod pages;
pub mod search;
pub mod search_page;
pub mod texts;

use std::sync::LazyLock;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use actix_web::http::{StatusCode, header};
use actix_web::{HttpMessage, HttpRequest, HttpResponse};
use askama::Template;
use sha2::{Digest, Sha256};

use crate::db::portals::{self, Portal};
use crate::domain::help_center::public_locales;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::web::colors;
use crate::web::help_center::caches::PortalCaches;
use crate::web::help_center::texts::{PortalTexts, direction, language_name, portal_texts};

/// The CSP of portal pages: only our own assets, plus the video players Parlor embeds.
fn page_csp(plain: bool) -> String {
    format!(
        "default-src 'none'; style-src 'self'; img-src 'self' https: data:; form-action 'self'; \
         base-uri 'none'; frame-src {}; frame-ancestors {}",
        crate::web::help_center::article_markdown::EMBED_ORIGINS,
        if plain { "*" } else { "'none'" }
    )
}

/// Characters escaped in a path segment built from a slug.
const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// One entry of the locale switcher.
#[derive(Debug, Clone)]
pub struct LocaleLink {
    pub code: String,
    pub name: String,
    pub href: String,
    pub current: bool,
}

/// What every page shows around its content.
#[derive(Debug, Clone)]
pub struct Chrome {
    pub t: &'static PortalTexts,
    pub lang: String,
    pub dir: &'static str,
    pub theme: &'static str,
    pub plain: bool,
    pub title: String,
    pub description: String,
    pub canonical: String,
    pub alternates: Vec<(String, String)>,
    pub og_type: &'static str,
    pub json_ld: String,
    pub noindex: bool,
    pub portal_name: String,
    pub logo_url: String,
    pub home: String,
    pub homepage_link: String,
    pub brand_hex: String,
    pub locales: Vec<LocaleLink>,
    pub locale_name: String,
}

/// A resolved public request: the portal, the locale and how the page is shown.
#[derive(Debug, Clone)]
pub struct Visit {
    pub portal: Portal,
    pub locale: String,
    pub theme: &'static str,
    pub plain: bool,
    /// `scheme://host` of the portal's public address.
    pub base: String,
    /// Whether `?theme=` asked to remember a theme.
    pub set_theme: Option<&'static str>,
}

impl Visit {
    /// `/hc/{slug}/{locale}`
    pub fn home(&self) -> String {
        format!("/hc/{}/{}", self.portal.slug, self.locale)
    }

    /// A link that keeps plain mode.
    pub fn link(&self, path: &str) -> String {
        if self.plain {
            let sep = if path.contains('?') { '&' } else { '?' };
            format!("{path}{sep}show_plain_layout=true")
        } else {
            path.to_string()
        }
    }

    /// `/hc/{slug}/articles/{article}`
    pub fn article_href(&self, slug: &str) -> String {
        self.link(&format!(
            "/hc/{}/articles/{}",
            self.portal.slug,
            percent_encoding::utf8_percent_encode(slug, SEGMENT)
        ))
    }

    /// `/hc/{slug}/{locale}/categories/{category}`
    pub fn category_href(&self, slug: &str) -> String {
        self.link(&format!(
            "{}/categories/{}",
            self.home(),
            percent_encoding::utf8_percent_encode(slug, SEGMENT)
        ))
    }

    /// The chrome of a page titled `title`, at `path` (for canonical and alternates).
    pub fn chrome(
        &self,
        title: String,
        description: String,
        path: &str,
        alternate_paths: Vec<(String, String)>,
    ) -> Chrome {
        let t = portal_texts(&self.locale);
        let locales = public_locales(&self.portal.config)
            .into_iter()
            .map(|code| LocaleLink {
                href: self.link(&format!("/hc/{}/{}", self.portal.slug, code)),
                name: language_name(&code),
                current: code == self.locale,
                code,
            })
            .collect();
        Chrome {
            t,
            lang: self.locale.replace('_', "-"),
            dir: direction(&self.locale),
            theme: self.theme,
            plain: self.plain,
            title,
            description,
            canonical: format!("{}{}", self.base, path),
            alternates: alternate_paths
                .into_iter()
                .map(|(code, p)| (code.replace('_', "-"), format!("{}{}", self.base, p)))
                .collect(),
            og_type: "website",
            json_ld: String::new(),
            noindex: false,
            portal_name: self
                .portal
                .localized("name", &self.locale)
                .unwrap_or_else(|| self.portal.name.clone()),
            logo_url: crate::views::help_center::logo_url("", &self.portal).unwrap_or_default(),
            home: self.link(&self.home()),
            homepage_link: self.portal.homepage_link.clone().unwrap_or_default(),
            brand_hex: colors::accessible(self.portal.color.as_deref())
                .trim_start_matches('#')
                .to_string(),
            locales,
            locale_name: language_name(&self.locale),
        }
    }
}

/// The host a request was sent to, lowercased, without port.
fn request_host(req: &HttpRequest) -> String {
    let info = req.connection_info();
    let host = info.host();
    let host = if host.starts_with('[') {
        host.split(']')
            .next()
            .map(|h| format!("{h}]"))
            .unwrap_or_default()
    } else {
        host.split(':').next().unwrap_or_default().to_string()
    };
    host.to_ascii_lowercase()
}

fn own_host(state: &AppState) -> String {
    let url = state.config.frontend_url();
    crate::domain::help_center::custom_domain_host(&url).unwrap_or_default()
}

/// Chatwoot's refusal of an unknown host on `/hc`.
fn unknown_domain(host: &str) -> ApiError {
    ApiError::Unauthorized(format!(
        "Domain: {host} is not registered with us. Please create a portal with this custom domain."
    ))
}

/// Find the portal of a public request: on Parlor's own host by slug (archived → 404); on a
/// custom domain the portal of that domain whatever the slug; other hosts are refused.
pub async fn find_portal(state: &AppState, req: &HttpRequest, slug: Option<String>) -> ApiResult<Portal> {
    let caches = PortalCaches::of(req)?;
    let host = request_host(req);
    let own = host == own_host(state);
    let key = format!("{own}\n{host}\n{}", slug.as_deref().unwrap_or_default());
    // The generation is read before the database, so a write in between only wastes the entry.
    let generation = state.db.generation();
    let lookup = match caches.lookups.get(&key, generation) {
        Some(lookup) => lookup,
        None => {
            let lookup = state
                .db
                .read(move |conn| -> ApiResult<_> {
                    if !own && let Some(portal) = portals::find_by_domain(conn, &host)? {
                        return Ok(PortalLookup::Found(Box::new(portal)));
                    }
                    if !own && slug.is_some() {
                        return Ok(PortalLookup::UnknownDomain(host));
                    }
                    Ok(match slug.map(|slug| portals::find_public(conn, &slug)) {
                        Some(found) => found?
                            .filter(|p| !p.archived)
                            .map_or(PortalLookup::Missing, |p| PortalLookup::Found(Box::new(p))),
                        None => PortalLookup::Missing,
                    })
                })
                .await?;
            caches.lookups.put(key, generation, lookup.clone());
            lookup
        }
    };
    match lookup {
        PortalLookup::Found(portal) => Ok(*portal),
        PortalLookup::UnknownDomain(host) => Err(unknown_domain(&host)),
        PortalLookup::Missing => Err(ApiError::NotFound),
    }
}

/// What a help-center request's host and slug resolve to.
#[derive(Debug, Clone)]
pub enum PortalLookup {
    Found(Box<Portal>),
    /// A host that is neither Parlor's own nor any portal's custom domain.
    UnknownDomain(String),
    Missing,
}

/// Build the visit of a request for `locale` (the portal default when `None`).
pub fn visit(state: &AppState, req: &HttpRequest, portal: Portal, locale: Option<String>) -> Visit {
    let query = req.query_string();
    let param = |name: &str| {
        form_urlencoded::parse(query.as_bytes())
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
    };
    let requested = param("theme").map(|t| match t.as_str() {
        "dark" => "dark",
        "light" => "light",
        _ => "",
    });
    let theme = requested.unwrap_or_else(|| match req.cookie("hc_theme").as_ref().map(|c| c.value()) {
        Some("dark") => "dark",
        Some("light") => "light",
        _ => "",
    });
    let plain = param("show_plain_layout").as_deref() == Some("true");
    let base = match &portal.custom_domain {
        Some(domain) => format!("https://{domain}"),
        None => state.config.frontend_url(),
    };
    Visit {
        locale: locale.unwrap_or_else(|| portal.default_locale()),
        portal,
        theme,
        plain,
        base,
        set_theme: requested,
    }
}

/// A page response: HTML with the CSP, an ETag over the content so repeat visits get a 304,
/// and the theme cookie when `?theme=` chose one.
pub fn page(
    req: &HttpRequest,
    visit: &Visit,
    status: StatusCode,
    body: impl Template,
) -> ApiResult<HttpResponse> {
    let html = body
        .render()
        .map_err(|e| ApiError::Internal(format!("rendering portal page: {e}")))?;
    let etag = format!("\"{}\"", &hex::encode(Sha256::digest(html.as_bytes()))[..32]);
    let mut builder = HttpResponse::build(status);
    builder
        .insert_header(("Content-Security-Policy", page_csp(visit.plain)))
        .insert_header(("Referrer-Policy", "strict-origin-when-cross-origin"))
        .insert_header(("X-Content-Type-Options", "nosniff"))
        .insert_header((header::CACHE_CONTROL, "public, max-age=0, must-revalidate"))
        .insert_header((header::VARY, "Cookie, Accept-Encoding"));
    if !visit.plain {
        builder.insert_header(("X-Frame-Options", "DENY"));
    }
    if let Some(theme) = visit.set_theme {
        let cookie =
            actix_web::cookie::Cookie::build("hc_theme", if theme.is_empty() { "system" } else { theme })
                .path("/")
                .same_site(actix_web::cookie::SameSite::Lax)
                .max_age(actix_web::cookie::time::Duration::days(365))
                .finish();
        builder.cookie(cookie);
    }
    if status == StatusCode::OK {
        let last_modified = header::HttpDate::from(
            UNIX_EPOCH
                + Duration::from_secs(u64::try_from(visit.portal.content_updated_at / 1000).unwrap_or(0)),
        );
        builder.insert_header((header::ETAG, etag.clone()));
        builder.insert_header(header::LastModified(last_modified));
        // If-None-Match wins over If-Modified-Since (RFC 9110 §13.2.2).
        let unchanged = match req.headers().get(header::IF_NONE_MATCH) {
            Some(tags) => tags
                .to_str()
                .is_ok_and(|v| v.split(',').any(|tag| tag.trim() == etag)),
            None => req
                .get_header::<header::IfModifiedSince>()
                .is_some_and(|since| SystemTime::from(last_modified) <= SystemTime::from(since.0)),
        };
        if unchanged && visit.set_theme.is_none() {
            return Ok(builder.status(StatusCode::NOT_MODIFIED).finish());
        }
    }
    Ok(builder.content_type("text/html; charset=utf-8").body(html))
}

/// Key of the server process, so visitor keys cannot be recomputed from outside.
static VISITOR_SALT: LazyLock<[u8; 32]> = LazyLock::new(rand::random);

/// An anonymous visitor key: a salted hash of the client address and user agent. Never the
/// address itself, never a cookie.
pub fn visitor_key(state: &AppState, req: &HttpRequest) -> Vec<u8> {
    let ip = crate::auth::client_ip(req, state);
    let agent = req
        .headers()
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let mut hasher = Sha256::new();
    hasher.update(*VISITOR_SALT);
    hasher.update(ip.to_string().as_bytes());
    hasher.update(agent.as_bytes());
    hasher.finalize()[..16].to_vec()
}

/// `Mon DD, YYYY` and the ISO date of a unix-ms time.
pub fn dates(ms: i64) -> (String, String) {
    let iso = crate::domain::timestamps::iso(ms);
    let date = iso.get(..10).unwrap_or_default().to_string();
    let mut parts = date.split('-');
    let (y, m, d) = (
        parts.next().unwrap_or(""),
        parts.next().unwrap_or(""),
        parts.next().unwrap_or(""),
    );
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month = m
        .parse::<usize>()
        .ok()
        .and_then(|m| MONTHS.get(m.wrapping_sub(1)))
        .unwrap_or(&"");
    (format!("{month} {}, {y}", d.trim_start_matches('0')), date)
}
