//! `categories` and `related_categories`: a portal's article groups, one set per locale.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, Row, params};
use serde_json::Value;

use super::{DbResult, now_ms};

/// One category.
#[derive(Debug, Clone, Default)]
pub struct Category {
    pub id: i64,
    pub account_id: i64,
    pub portal_id: i64,
    pub name: String,
    pub slug: String,
    pub description: Option<String>,
    pub position: Option<i64>,
    pub locale: String,
    pub icon: String,
    pub icon_color: String,
    pub parent_category_id: Option<i64>,
    pub associated_category_id: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

const COLUMNS: &str = "id, account_id, portal_id, name, slug, description, position, locale, icon, \
    icon_color, parent_category_id, associated_category_id, created_at, updated_at";

fn from_row(row: &Row) -> rusqlite::Result<Category> {
    Ok(Category {
        id: row.get(0)?,
        account_id: row.get(1)?,
        portal_id: row.get(2)?,
        name: row.get(3)?,
        slug: row.get(4)?,
        description: row.get(5)?,
        position: row.get(6)?,
        locale: row.get(7)?,
        icon: row.get(8)?,
        icon_color: row.get(9)?,
        parent_category_id: row.get(10)?,
        associated_category_id: row.get(11)?,
        created_at: row.get(12)?,
        updated_at: row.get(13)?,
    })
}

/// Categories of a portal (optionally one locale), by position then id (nulls last).
pub fn list(conn: &Connection, portal_id: i64, locale: Option<&str>) -> DbResult<Vec<Category>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM categories WHERE portal_id = ?1 AND (?2 IS NULL OR locale = ?2) \
         ORDER BY position IS NULL, position, id"
    ))?;
    Ok(stmt
        .query_map(params![portal_id, locale], from_row)?
        .collect::<Result<_, _>>()?)
}

/// One category of a portal.
pub fn find(conn: &Connection, portal_id: i64, id: i64) -> DbResult<Option<Category>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM categories WHERE portal_id = ?1 AND id = ?2"
    ))?;
    Ok(stmt.query_row(params![portal_id, id], from_row).optional()?)
}

/// A category by its (locale, slug) address.
pub fn find_by_slug(
    conn: &Connection,
    portal_id: i64,
    locale: &str,
    slug: &str,
) -> DbResult<Option<Category>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM categories WHERE portal_id = ?1 AND locale = ?2 AND slug = ?3"
    ))?;
    Ok(stmt
        .query_row(params![portal_id, locale, slug], from_row)
        .optional()?)
}

/// Categories by id (any portal of the account), keyed by id.
pub fn find_many(conn: &Connection, account_id: i64, ids: &[i64]) -> DbResult<HashMap<i64, Category>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM categories WHERE account_id = ?1 AND id IN (SELECT value FROM json_each(?2))"
    ))?;
    let rows = stmt.query_map(
        params![account_id, Value::from(ids.to_vec()).to_string()],
        from_row,
    )?;
    rows.map(|r| r.map(|c| (c.id, c)))
        .collect::<Result<_, _>>()
        .map_err(Into::into)
}

/// Whether another category of the portal uses this slug in this locale.
pub fn slug_taken(
    conn: &Connection,
    portal_id: i64,
    locale: &str,
    slug: &str,
    except_id: i64,
) -> DbResult<bool> {
    let mut stmt = conn.prepare_cached(
        "SELECT 1 FROM categories WHERE portal_id = ?1 AND locale = ?2 AND slug = ?3 AND id != ?4",
    )?;
    Ok(stmt.exists(params![portal_id, locale, slug, except_id])?)
}

/// Insert (id 0) or update; returns the stored row.
pub fn save(conn: &Connection, c: &Category) -> DbResult<Category> {
    let now = now_ms();
    if c.id == 0 {
        conn.execute(
            "INSERT INTO categories (account_id, portal_id, name, slug, description, position, locale, icon, \
             icon_color, parent_category_id, associated_category_id, created_at, updated_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12)",
            params![
                c.account_id,
                c.portal_id,
                c.name,
                c.slug,
                c.description,
                c.position,
                c.locale,
                c.icon,
                c.icon_color,
                c.parent_category_id,
                c.associated_category_id,
                now
            ],
        )?;
        return Ok(Category {
            id: conn.last_insert_rowid(),
            created_at: now,
            updated_at: now,
            ..c.clone()
        });
    }
    conn.execute(
        "UPDATE categories SET name = ?2, slug = ?3, description = ?4, position = ?5, locale = ?6, icon = ?7, \
         icon_color = ?8, parent_category_id = ?9, associated_category_id = ?10, updated_at = ?11 WHERE id = ?1",
        params![
            c.id,
            c.name,
            c.slug,
            c.description,
            c.position,
            c.locale,
            c.icon,
            c.icon_color,
            c.parent_category_id,
            c.associated_category_id,
            now
        ],
    )?;
    Ok(Category {
        updated_at: now,
        ..c.clone()
    })
}

/// Delete a category; its articles become uncategorized.
pub fn delete(conn: &Connection, portal_id: i64, id: i64) -> DbResult<()> {
    conn.execute(
        "DELETE FROM categories WHERE portal_id = ?1 AND id = ?2",
        params![portal_id, id],
    )?;
    Ok(())
}

/// Replace the related categories of `id` (stored both ways).
pub fn set_related(conn: &Connection, id: i64, related: &[i64]) -> DbResult<()> {
    conn.execute(
        "DELETE FROM related_categories WHERE category_id = ?1 OR related_category_id = ?1",
        [id],
    )?;
    let mut stmt = conn.prepare_cached(
        "INSERT OR IGNORE INTO related_categories (category_id, related_category_id) VALUES (?1, ?2)",
    )?;
    for other in related.iter().filter(|other| **other != id) {
        stmt.execute(params![id, other])?;
        stmt.execute(params![other, id])?;
    }
    Ok(())
}

/// Related category ids for many categories.
pub fn related_ids(conn: &Connection, ids: &[i64]) -> DbResult<HashMap<i64, Vec<i64>>> {
    let mut result: HashMap<i64, Vec<i64>> = HashMap::new();
    if ids.is_empty() {
        return Ok(result);
    }
    let mut stmt = conn.prepare_cached(
        "SELECT category_id, related_category_id FROM related_categories \
         WHERE category_id IN (SELECT value FROM json_each(?1)) ORDER BY related_category_id",
    )?;
    let mut rows = stmt.query([Value::from(ids.to_vec()).to_string()])?;
    while let Some(row) = rows.next()? {
        result.entry(row.get(0)?).or_default().push(row.get(1)?);
    }
    Ok(result)
}

/// Apply `{id: position}` to categories of a portal; returns how many rows changed.
pub fn reorder(conn: &Connection, portal_id: i64, positions: &[(i64, i64)]) -> DbResult<usize> {
    let mut stmt = conn.prepare_cached(
        "UPDATE categories SET position = ?3, updated_at = ?4 WHERE portal_id = ?1 AND id = ?2",
    )?;
    let now = now_ms();
    let mut changed = 0;
    for (id, position) in positions {
        changed += stmt.execute(params![portal_id, id, position, now])?;
    }
    Ok(changed)
}

/// Article counts per category in one article locale, all statuses.
pub fn article_counts_in_locale(
    conn: &Connection,
    portal_id: i64,
    locale: &str,
) -> DbResult<HashMap<i64, i64>> {
    let mut stmt = conn.prepare_cached(
        "SELECT category_id, count(*) FROM articles WHERE portal_id = ?1 AND locale = ?2 \
         AND category_id IS NOT NULL GROUP BY category_id",
    )?;
    let rows = stmt.query_map(params![portal_id, locale], |r| Ok((r.get(0)?, r.get(1)?)))?;
    rows.collect::<Result<_, _>>().map_err(Into::into)
}

/// Article counts per category, all statuses (`published_only` for the public).
pub fn article_counts(
    conn: &Connection,
    portal_id: i64,
    published_only: bool,
) -> DbResult<HashMap<i64, i64>> {
    let mut stmt = conn.prepare_cached(
        "SELECT category_id, count(*) FROM articles WHERE portal_id = ?1 AND category_id IS NOT NULL \
         AND (?2 = 0 OR status = 1) GROUP BY category_id",
    )?;
    let rows = stmt.query_map(params![portal_id, published_only], |r| Ok((r.get(0)?, r.get(1)?)))?;
    rows.collect::<Result<_, _>>().map_err(Into::into)
}
