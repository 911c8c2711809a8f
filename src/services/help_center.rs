//! Batch loading of what help-center views show next to a row (counts, authors, categories,
//! translations, linked inbox), a fixed number of queries whatever the page size.

use std::collections::HashSet;

use rusqlite::Connection;

use crate::db::articles::{self, Article};
use crate::db::categories::{self, Category};
use crate::db::portals::{self, Portal};
use crate::db::{DbResult, agents, inboxes};
use crate::views::help_center::HelpCenterContext;

/// Who is looking: the account, the viewing user (for `mine` counts) and the URL base.
#[derive(Debug, Clone)]
pub struct Viewer {
    pub account_id: i64,
    pub user_id: i64,
    pub admin: bool,
    pub base_url: String,
}

/// Context for portal JSON: counts and linked inboxes.
pub fn portal_context(conn: &Connection, viewer: &Viewer, list: &[Portal]) -> DbResult<HelpCenterContext> {
    let mut ctx = HelpCenterContext {
        base_url: viewer.base_url.clone(),
        ..HelpCenterContext::default()
    };
    let ids: Vec<i64> = list.iter().map(|p| p.id).collect();
    ctx.counts = portals::counts(conn, &ids, viewer.user_id)?;
    for portal in list {
        if let Some(inbox_id) = portal.channel_web_widget_id
            && let Some(inbox) = inboxes::find(conn, viewer.account_id, inbox_id)?
        {
            ctx.inboxes.insert(
                portal.id,
                crate::views::inbox::inbox(&inbox, viewer.admin, &viewer.base_url),
            );
        }
        ctx.portals.insert(portal.id, portal.clone());
    }
    Ok(ctx)
}

/// Context for category JSON: related, parent and root categories and article counts.
pub fn category_context(
    conn: &Connection,
    viewer: &Viewer,
    portal: &Portal,
    list: &[Category],
) -> DbResult<HelpCenterContext> {
    let mut ctx = HelpCenterContext {
        base_url: viewer.base_url.clone(),
        ..HelpCenterContext::default()
    };
    let ids: Vec<i64> = list.iter().map(|c| c.id).collect();
    ctx.related = categories::related_ids(conn, &ids)?;
    let wanted: Vec<i64> = ctx
        .related
        .values()
        .flatten()
        .copied()
        .chain(list.iter().filter_map(|c| c.parent_category_id))
        .chain(list.iter().filter_map(|c| c.associated_category_id))
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    ctx.categories = categories::find_many(conn, viewer.account_id, &wanted)?;
    ctx.category_articles = categories::article_counts(conn, portal.id, false)?;
    Ok(ctx)
}

/// Context for article JSON: categories, authors, translations and their portals.
pub fn article_context(conn: &Connection, viewer: &Viewer, list: &[Article]) -> DbResult<HelpCenterContext> {
    let ids: Vec<i64> = list.iter().map(|a| a.id).collect();
    let associated = articles::associated(conn, &ids)?;
    let everything: Vec<&Article> = list.iter().chain(associated.values().flatten()).collect();
    let category_ids: Vec<i64> = everything
        .iter()
        .filter_map(|a| a.category_id)
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let author_ids: Vec<i64> = everything
        .iter()
        .filter_map(|a| a.author_id)
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let portal_ids: HashSet<i64> = associated.values().flatten().map(|a| a.portal_id).collect();
    let portal_rows: Vec<Portal> = portals::list(conn, viewer.account_id)?
        .into_iter()
        .filter(|p| portal_ids.contains(&p.id))
        .collect();
    let mut ctx = portal_context(conn, viewer, &portal_rows)?;
    ctx.associated = associated;
    ctx.categories = categories::find_many(conn, viewer.account_id, &category_ids)?;
    ctx.authors = agents::find_many(conn, viewer.account_id, &author_ids)?
        .into_iter()
        .map(|a| (a.id, a))
        .collect();
    Ok(ctx)
}
