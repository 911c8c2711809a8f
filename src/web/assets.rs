//! `/static/{file}`: CSS and JS embedded in the binary, cached for a day.

use actix_web::http::header;
use actix_web::{HttpResponse, web};
use rust_embed::RustEmbed;

#[derive(RustEmbed)]
#[folder = "static/"]
struct Static;

/// Serve an embedded asset, or a 404.
pub async fn serve(path: web::Path<String>) -> HttpResponse {
    let name = path.into_inner();
    match Static::get(&name) {
        Some(file) => HttpResponse::Ok()
            .insert_header((header::CONTENT_TYPE, file.metadata.mimetype()))
            .insert_header((header::CACHE_CONTROL, "public, max-age=86400"))
            .body(file.data.into_owned()),
        None => HttpResponse::NotFound().finish(),
    }
}

/// `/brand/{rrggbb}.css`: the brand colour as a CSS variable (pages keep a strict CSP, so no
/// inline styles).
pub async fn brand(path: web::Path<String>) -> HttpResponse {
    let name = path.into_inner();
    let hex = name.strip_suffix(".css").unwrap_or("");
    if hex.len() != 6 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return HttpResponse::NotFound().finish();
    }
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/css; charset=utf-8"))
        .insert_header((header::CACHE_CONTROL, "public, max-age=86400"))
        .body(format!(":root{{--brand:#{hex}}}\n"))
}

/// An embedded asset by name (`sdk.js` is served at `/packs/js/sdk.js` too).
pub fn file(name: &str) -> Option<rust_embed::EmbeddedFile> {
    Static::get(name)
}
