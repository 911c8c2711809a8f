//! `/api/v1/accounts/{account_id}/portals/…` and `search/articles`: help-center administration
//! (portals by slug, their categories and articles, bulk article actions). The public help
//! center itself is `web::help_center`.

pub mod article_bulk_actions;
pub mod article_search;
pub mod articles;
pub mod categories;
pub mod portal_logo;
pub mod portals;
