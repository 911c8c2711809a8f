//! `/api/v1/accounts/{account_id}/portals/…` and `search/articles`: help-center administration
//! (portals by slug, their categories and articles, bulk article actions). The public help
//! center itself is `web::help_center`.

pub mod article_bulk_actions;
pub mod article_search;
pub mod articles;
pub mod categories;
pub mod portal_logo;
pub mod portals;

use actix_web::web;
use rusqlite::Connection;

use crate::db::portals::{self as portal_rows, Portal};
use crate::error::{ApiError, ApiResult};

/// `…/portals/{slug}`: the account's id and the portal's slug.
pub type PortalPath = web::Path<(i64, String)>;

/// `…/portals/{slug}/categories/{id}` and `…/articles/{id}`: account id, portal slug, item id.
pub type PortalItemPath = web::Path<(i64, String, i64)>;

/// The account's portal `slug`, or 404: where every route below a portal starts.
pub fn portal_by_slug(conn: &Connection, account_id: i64, slug: &str) -> ApiResult<Portal> {
    portal_rows::find_by_slug(conn, account_id, slug)?.ok_or(ApiError::NotFound)
}
