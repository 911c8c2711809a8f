//! `/packs/js/sdk.js`, the script Chatwoot's embed snippet loads.

use actix_web::HttpResponse;
use actix_web::http::header;

/// `GET /packs/js/sdk.js`: the script of Chatwoot's embed snippet (`window.chatwootSDK.run`),
/// cached for an hour, readable from any origin (Partytown and similar loaders fetch it).
pub async fn sdk() -> HttpResponse {
    match crate::web::assets::file("sdk.js") {
        Some(file) => HttpResponse::Ok()
            .insert_header((header::CONTENT_TYPE, "application/javascript; charset=utf-8"))
            .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
            .insert_header((header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"))
            .body(file.data.into_owned()),
        None => HttpResponse::NotFound().finish(),
    }
}
