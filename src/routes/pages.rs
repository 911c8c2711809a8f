//! Server-rendered pages people open in a browser: the public help center, the CSAT survey and
//! the embedded assets.

use super::RouteTable;
use crate::web::help_center::{feeds, home, pages, search_page};
use crate::web::{assets, survey};

/// Server-rendered pages and their assets.
pub(super) fn pages(t: &mut RouteTable<'_>) {
    t.configure(help_center_pages)
        .get("/survey/responses/{uuid}", survey::show)
        .post("/survey/responses/{uuid}", survey::submit)
        .get("/static/{file}", assets::serve)
        .get("/brand/{file}", assets::brand);
}

/// The public help center. Literal segments come before `{locale}` so that `articles`,
/// `sitemap.xml` and `logo` are never read as a locale.
fn help_center_pages(t: &mut RouteTable<'_>) {
    t.get("/", home::domain_root)
        .get("/robots.txt", feeds::robots)
        .get("/hc/{slug}", pages::portal_root)
        .get("/hc/{slug}/sitemap.xml", feeds::sitemap)
        .get("/hc/{slug}/logo", feeds::logo)
        .post("/hc/{slug}/articles/{article}/feedback", pages::feedback)
        .get("/hc/{slug}/articles/{article}", pages::article)
        .get("/hc/{slug}/{locale}", home::home)
        .get("/hc/{slug}/{locale}/search", search_page::search)
        .get("/hc/{slug}/{locale}/articles.json", feeds::articles_json)
        .get("/hc/{slug}/{locale}/categories.json", feeds::categories_json)
        .get("/hc/{slug}/{locale}/categories", feeds::categories_index)
        .get(
            "/hc/{slug}/{locale}/categories/{category}/articles.json",
            feeds::category_articles_json,
        )
        .get("/hc/{slug}/{locale}/categories/{category}", pages::category);
}
