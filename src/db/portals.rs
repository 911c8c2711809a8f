//! `portals`: help centers, addressed by a globally unique slug (or a custom domain).

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, Row, params};
use serde_json::{Map, Value};

use super::{DbResult, now_ms};

/// One portal.
#[derive(Debug, Clone, Default)]
pub struct Portal {
    pub id: i64,
    pub account_id: i64,
    pub name: String,
    pub slug: String,
    pub custom_domain: Option<String>,
    pub color: Option<String>,
    pub homepage_link: Option<String>,
    pub page_title: Option<String>,
    pub header_text: Option<String>,
    pub config: Map<String, Value>,
    pub archived: bool,
    pub channel_web_widget_id: Option<i64>,
    pub logo_key: Option<String>,
    pub logo_filename: Option<String>,
    pub logo_content_type: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    /// Unix ms of the last change to anything the public pages show (kept by triggers).
    pub content_updated_at: i64,
}

impl Portal {
    /// The locale a portal falls back to.
    pub fn default_locale(&self) -> String {
        self.config
            .get("default_locale")
            .and_then(Value::as_str)
            .unwrap_or("en")
            .to_string()
    }

    /// Configured locales in order.
    pub fn allowed_locales(&self) -> Vec<String> {
        crate::domain::help_center::string_list(self.config.get("allowed_locales"))
    }

    /// A per-locale override of `name`, `page_title` or `header_text` (Chatwoot's
    /// `localized_value`): this locale's, then the default locale's, then the column.
    pub fn localized(&self, field: &str, locale: &str) -> Option<String> {
        let translations = self.config.get("locale_translations");
        let lookup = |loc: &str| {
            translations
                .and_then(|t| t.get(loc))
                .and_then(|t| t.get(field))
                .and_then(Value::as_str)
                .filter(|s| !s.trim().is_empty())
                .map(String::from)
        };
        lookup(locale)
            .or_else(|| lookup(&self.default_locale()))
            .or_else(|| match field {
                "name" => Some(self.name.clone()),
                "page_title" => self.page_title.clone(),
                "header_text" => self.header_text.clone(),
                _ => None,
            })
            .filter(|s| !s.trim().is_empty())
    }

    /// `display_title`: the localized page title, else the localized name.
    pub fn display_title(&self, locale: &str) -> String {
        self.localized("page_title", locale)
            .or_else(|| self.localized("name", locale))
            .unwrap_or_else(|| self.name.clone())
    }
}

const COLUMNS: &str = "id, account_id, name, slug, custom_domain, color, homepage_link, page_title, \
    header_text, config, archived, channel_web_widget_id, logo_key, logo_filename, logo_content_type, \
    created_at, updated_at, content_updated_at";

fn from_row(row: &Row) -> rusqlite::Result<Portal> {
    let config: String = row.get(9)?;
    Ok(Portal {
        id: row.get(0)?,
        account_id: row.get(1)?,
        name: row.get(2)?,
        slug: row.get(3)?,
        custom_domain: row.get(4)?,
        color: row.get(5)?,
        homepage_link: row.get(6)?,
        page_title: row.get(7)?,
        header_text: row.get(8)?,
        config: serde_json::from_str(&config).unwrap_or_default(),
        archived: row.get(10)?,
        channel_web_widget_id: row.get(11)?,
        logo_key: row.get(12)?,
        logo_filename: row.get(13)?,
        logo_content_type: row.get(14)?,
        created_at: row.get(15)?,
        updated_at: row.get(16)?,
        content_updated_at: row.get(17)?,
    })
}

fn query_one(conn: &Connection, condition: &str, params: impl rusqlite::Params) -> DbResult<Option<Portal>> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM portals WHERE {condition}"))?;
    Ok(stmt.query_row(params, from_row).optional()?)
}

/// Every portal of an account, oldest first.
pub fn list(conn: &Connection, account_id: i64) -> DbResult<Vec<Portal>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM portals WHERE account_id = ?1 ORDER BY id"
    ))?;
    Ok(stmt
        .query_map([account_id], from_row)?
        .collect::<Result<_, _>>()?)
}

/// A portal of the account by slug.
pub fn find_by_slug(conn: &Connection, account_id: i64, slug: &str) -> DbResult<Option<Portal>> {
    query_one(conn, "account_id = ?1 AND slug = ?2", params![account_id, slug])
}

/// A portal by slug in any account (public pages).
pub fn find_public(conn: &Connection, slug: &str) -> DbResult<Option<Portal>> {
    query_one(conn, "slug = ?1", [slug])
}

/// The portal serving a custom domain.
pub fn find_by_domain(conn: &Connection, host: &str) -> DbResult<Option<Portal>> {
    query_one(conn, "custom_domain = ?1", [host])
}

/// Whether another portal already uses this slug (slugs are global).
pub fn slug_taken(conn: &Connection, slug: &str, except_id: i64) -> DbResult<bool> {
    exists(
        conn,
        "SELECT 1 FROM portals WHERE slug = ?1 AND id != ?2",
        slug,
        except_id,
    )
}

/// Whether another portal already serves this domain.
pub fn domain_taken(conn: &Connection, domain: &str, except_id: i64) -> DbResult<bool> {
    exists(
        conn,
        "SELECT 1 FROM portals WHERE custom_domain = ?1 AND id != ?2",
        domain,
        except_id,
    )
}

fn exists(conn: &Connection, sql: &str, value: &str, except_id: i64) -> DbResult<bool> {
    let mut stmt = conn.prepare_cached(sql)?;
    Ok(stmt.exists(params![value, except_id])?)
}

/// Insert (id 0) or update; returns the stored row.
pub fn save(conn: &Connection, portal: &Portal) -> DbResult<Portal> {
    let now = now_ms();
    let config = Value::Object(portal.config.clone()).to_string();
    if portal.id == 0 {
        conn.execute(
            "INSERT INTO portals (account_id, name, slug, custom_domain, color, homepage_link, page_title, \
             header_text, config, archived, channel_web_widget_id, created_at, updated_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12)",
            params![
                portal.account_id,
                portal.name,
                portal.slug,
                portal.custom_domain,
                portal.color,
                portal.homepage_link,
                portal.page_title,
                portal.header_text,
                config,
                portal.archived,
                portal.channel_web_widget_id,
                now
            ],
        )?;
        return Ok(Portal {
            id: conn.last_insert_rowid(),
            created_at: now,
            updated_at: now,
            ..portal.clone()
        });
    }
    conn.execute(
        "UPDATE portals SET name = ?3, slug = ?4, custom_domain = ?5, color = ?6, homepage_link = ?7, \
         page_title = ?8, header_text = ?9, config = ?10, archived = ?11, channel_web_widget_id = ?12, \
         logo_key = ?13, logo_filename = ?14, logo_content_type = ?15, updated_at = ?16 \
         WHERE account_id = ?1 AND id = ?2",
        params![
            portal.account_id,
            portal.id,
            portal.name,
            portal.slug,
            portal.custom_domain,
            portal.color,
            portal.homepage_link,
            portal.page_title,
            portal.header_text,
            config,
            portal.archived,
            portal.channel_web_widget_id,
            portal.logo_key,
            portal.logo_filename,
            portal.logo_content_type,
            now
        ],
    )?;
    Ok(Portal {
        updated_at: now,
        ..portal.clone()
    })
}

/// Delete a portal with its categories and articles (cascade).
pub fn delete(conn: &Connection, account_id: i64, id: i64) -> DbResult<()> {
    conn.execute(
        "DELETE FROM portals WHERE account_id = ?1 AND id = ?2",
        params![account_id, id],
    )?;
    Ok(())
}

/// Article and category counts of a portal, per locale and status.
#[derive(Debug, Clone, Default)]
pub struct PortalCounts {
    /// `(locale, status) → articles`
    pub articles: HashMap<(String, i64), i64>,
    /// `locale → categories`
    pub categories: HashMap<String, i64>,
    /// Articles written by the viewing user, per locale.
    pub mine: HashMap<String, i64>,
}

impl PortalCounts {
    /// Articles of `status` (all with `None`), in `locale` (all with `None`).
    pub fn articles(&self, locale: Option<&str>, status: Option<i64>) -> i64 {
        self.articles
            .iter()
            .filter(|((loc, st), _)| locale.is_none_or(|l| l == loc) && status.is_none_or(|s| s == *st))
            .map(|(_, n)| n)
            .sum()
    }

    /// Categories in `locale` (all with `None`).
    pub fn categories(&self, locale: Option<&str>) -> i64 {
        self.categories
            .iter()
            .filter(|(loc, _)| locale.is_none_or(|l| l == *loc))
            .map(|(_, n)| n)
            .sum()
    }

    /// The viewer's articles in `locale` (all with `None`).
    pub fn mine(&self, locale: Option<&str>) -> i64 {
        self.mine
            .iter()
            .filter(|(loc, _)| locale.is_none_or(|l| l == *loc))
            .map(|(_, n)| n)
            .sum()
    }
}

/// Counts for many portals in three grouped queries.
pub fn counts(conn: &Connection, portal_ids: &[i64], viewer_id: i64) -> DbResult<HashMap<i64, PortalCounts>> {
    let mut result: HashMap<i64, PortalCounts> = portal_ids
        .iter()
        .map(|id| (*id, PortalCounts::default()))
        .collect();
    if portal_ids.is_empty() {
        return Ok(result);
    }
    let ids = Value::from(portal_ids.to_vec()).to_string();
    let mut stmt = conn.prepare_cached(
        "SELECT portal_id, locale, status, count(*), sum(author_id IS ?2) FROM articles \
         WHERE portal_id IN (SELECT value FROM json_each(?1)) GROUP BY portal_id, locale, status",
    )?;
    let mut rows = stmt.query(params![ids, viewer_id])?;
    while let Some(row) = rows.next()? {
        let entry = result.entry(row.get(0)?).or_default();
        let locale: String = row.get(1)?;
        entry.articles.insert((locale.clone(), row.get(2)?), row.get(3)?);
        *entry.mine.entry(locale).or_default() += row.get::<_, i64>(4)?;
    }
    let mut stmt = conn.prepare_cached(
        "SELECT portal_id, locale, count(*) FROM categories \
         WHERE portal_id IN (SELECT value FROM json_each(?1)) GROUP BY portal_id, locale",
    )?;
    let mut rows = stmt.query([ids])?;
    while let Some(row) = rows.next()? {
        let entry = result.entry(row.get(0)?).or_default();
        entry.categories.insert(row.get(1)?, row.get(2)?);
    }
    Ok(result)
}
