//! `articles`: markdown pages of a portal, with their full-text index, daily view marks and
//! reader feedback.

use std::collections::HashMap;

use rusqlite::types::Value as SqlValue;
use rusqlite::{Connection, OptionalExtension, Row, params, params_from_iter};
use serde_json::{Map, Value};

use super::article_search::fts_query;
use super::{DbResult, now_ms};
use crate::domain::article_text::plain_text;

/// One article.
#[derive(Debug, Clone, Default)]
pub struct Article {
    pub id: i64,
    pub account_id: i64,
    pub portal_id: i64,
    pub category_id: Option<i64>,
    pub title: String,
    pub description: Option<String>,
    pub content: Option<String>,
    pub status: i64,
    pub views: Option<i64>,
    pub author_id: Option<i64>,
    pub associated_article_id: Option<i64>,
    pub meta: Map<String, Value>,
    pub slug: String,
    pub position: Option<i64>,
    pub locale: String,
    pub helpful_count: i64,
    pub not_helpful_count: i64,
    pub created_at: i64,
    pub updated_at: i64,
    /// `content` without markdown syntax (derived on save), for excerpts and the index.
    pub content_text: String,
    /// The first [`SUMMARY_CHARS`] characters of `content_text`: all a list needs.
    pub summary: String,
}

/// Length of [`Article::summary`].
pub const SUMMARY_CHARS: usize = 300;

pub(super) const COLUMNS: &str = "a.id, a.account_id, a.portal_id, a.category_id, a.title, a.description, a.content, \
    a.status, a.views, a.author_id, a.associated_article_id, a.meta, a.slug, a.position, a.locale, \
    a.helpful_count, a.not_helpful_count, a.created_at, a.updated_at, a.content_text, a.summary";

/// [`COLUMNS`] without the markdown (`content` is `None`), for search hits: their excerpt comes
/// from the plain text.
pub(super) fn hit_columns() -> String {
    COLUMNS.replace("a.content,", "NULL,")
}

/// [`COLUMNS`] without either body (`content` is `None`, `content_text` empty), for lists.
fn list_columns() -> String {
    hit_columns().replace("a.content_text", "''")
}

pub(super) fn from_row(row: &Row) -> rusqlite::Result<Article> {
    let meta: String = row.get(11)?;
    Ok(Article {
        id: row.get(0)?,
        account_id: row.get(1)?,
        portal_id: row.get(2)?,
        category_id: row.get(3)?,
        title: row.get(4)?,
        description: row.get(5)?,
        content: row.get(6)?,
        status: row.get(7)?,
        views: row.get(8)?,
        author_id: row.get(9)?,
        associated_article_id: row.get(10)?,
        meta: serde_json::from_str(&meta).unwrap_or_default(),
        slug: row.get(12)?,
        position: row.get(13)?,
        locale: row.get(14)?,
        helpful_count: row.get(15)?,
        not_helpful_count: row.get(16)?,
        created_at: row.get(17)?,
        updated_at: row.get(18)?,
        content_text: row.get(19)?,
        summary: row.get(20)?,
    })
}

/// Filters of the account article list (`GET …/portals/{slug}/articles`).
#[derive(Debug, Clone, Default)]
pub struct ArticleFilter {
    pub portal_id: i64,
    pub locale: Option<String>,
    pub category_slug: Option<String>,
    pub query: Option<String>,
    pub status: Option<i64>,
    pub author_id: Option<i64>,
}

impl ArticleFilter {
    /// `WHERE` text and values; `with_status_author` false gives the scope the meta counts use.
    fn condition(&self, with_status_author: bool) -> (String, Vec<SqlValue>) {
        let mut sql = String::from("a.portal_id = ?");
        let mut values = vec![SqlValue::Integer(self.portal_id)];
        if let Some(locale) = &self.locale {
            sql.push_str(" AND a.locale = ?");
            values.push(SqlValue::Text(locale.clone()));
        }
        if let Some(slug) = &self.category_slug {
            sql.push_str(" AND a.category_id IN (SELECT id FROM categories WHERE portal_id = a.portal_id AND slug = ?)");
            values.push(SqlValue::Text(slug.clone()));
        }
        if let Some(query) = self.query.as_deref().and_then(fts_query) {
            sql.push_str(" AND a.id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)");
            values.push(SqlValue::Text(query));
        }
        if with_status_author {
            if let Some(status) = self.status {
                sql.push_str(" AND a.status = ?");
                values.push(SqlValue::Integer(status));
            }
            if let Some(author) = self.author_id {
                sql.push_str(" AND a.author_id = ?");
                values.push(SqlValue::Integer(author));
            }
        }
        (sql, values)
    }
}

/// One page of the account list: by position with a category, else most recently updated.
pub fn list(conn: &Connection, filter: &ArticleFilter, page: i64, per_page: i64) -> DbResult<Vec<Article>> {
    let (condition, mut values) = filter.condition(true);
    let order = if filter.category_slug.is_some() {
        "a.position IS NULL, a.position, a.id"
    } else {
        "a.updated_at DESC, a.id DESC"
    };
    values.push(SqlValue::Integer(per_page));
    values.push(SqlValue::Integer((page - 1) * per_page));
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM articles a WHERE {condition} ORDER BY {order} LIMIT +? OFFSET +?"
    ))?;
    Ok(stmt
        .query_map(params_from_iter(values), from_row)?
        .collect::<Result<_, _>>()?)
}

/// Counts of the list scope (status and author ignored), by status, and the viewer's.
pub fn list_counts(
    conn: &Connection,
    filter: &ArticleFilter,
    viewer_id: i64,
) -> DbResult<(HashMap<i64, i64>, i64)> {
    let (condition, condition_values) = filter.condition(false);
    // `?1` first, so the anonymous parameters of the condition number from 2.
    let mut values = vec![SqlValue::Integer(viewer_id)];
    values.extend(condition_values);
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT a.status, count(*), sum(a.author_id IS ?1) FROM articles a WHERE {condition} GROUP BY a.status"
    ))?;
    let mut by_status = HashMap::new();
    let mut mine = 0;
    let mut rows = stmt.query(params_from_iter(values))?;
    while let Some(row) = rows.next()? {
        by_status.insert(row.get(0)?, row.get(1)?);
        mine += row.get::<_, i64>(2)?;
    }
    Ok((by_status, mine))
}

/// An article of a portal by id.
pub fn find(conn: &Connection, portal_id: i64, id: i64) -> DbResult<Option<Article>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM articles a WHERE a.portal_id = ?1 AND a.id = ?2"
    ))?;
    Ok(stmt.query_row(params![portal_id, id], from_row).optional()?)
}

/// An article of a portal by slug.
pub fn find_by_slug(conn: &Connection, portal_id: i64, slug: &str) -> DbResult<Option<Article>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM articles a WHERE a.portal_id = ?1 AND a.slug = ?2"
    ))?;
    Ok(stmt.query_row(params![portal_id, slug], from_row).optional()?)
}

/// Articles by id within a portal (bulk actions), in id order.
pub fn find_many(conn: &Connection, portal_id: i64, ids: &[i64]) -> DbResult<Vec<Article>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM articles a WHERE a.portal_id = ?1 AND a.id IN (SELECT value FROM json_each(?2)) ORDER BY a.id"
    ))?;
    Ok(stmt
        .query_map(
            params![portal_id, Value::from(ids.to_vec()).to_string()],
            from_row,
        )?
        .collect::<Result<_, _>>()?)
}

/// Translations of a root article (articles whose `associated_article_id` is `root_id`).
pub fn associated(conn: &Connection, root_ids: &[i64]) -> DbResult<HashMap<i64, Vec<Article>>> {
    let mut result: HashMap<i64, Vec<Article>> = HashMap::new();
    if root_ids.is_empty() {
        return Ok(result);
    }
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM articles a WHERE a.associated_article_id IN (SELECT value FROM json_each(?1)) ORDER BY a.id"
    ))?;
    let rows = stmt.query_map([Value::from(root_ids.to_vec()).to_string()], from_row)?;
    for article in rows {
        let article = article?;
        if let Some(root) = article.associated_article_id {
            result.entry(root).or_default().push(article);
        }
    }
    Ok(result)
}

/// Whether any other article (in any portal) uses this slug.
pub fn slug_taken(conn: &Connection, slug: &str, except_id: i64) -> DbResult<bool> {
    let mut stmt = conn.prepare_cached("SELECT 1 FROM articles WHERE slug = ?1 AND id != ?2")?;
    Ok(stmt.exists(params![slug, except_id])?)
}

/// The position a new article takes at the end of its category (or of the uncategorized ones).
pub fn next_position(conn: &Connection, portal_id: i64, category_id: Option<i64>) -> DbResult<i64> {
    let mut stmt =
        conn.prepare_cached("SELECT max(position) FROM articles WHERE portal_id = ?1 AND category_id IS ?2")?;
    let max: Option<i64> = stmt.query_row(params![portal_id, category_id], |r| r.get(0))?;
    Ok(max.map_or(10, |m| m + 10))
}

/// Insert (id 0) or update; returns the stored row.
pub fn save(conn: &Connection, a: &Article) -> DbResult<Article> {
    let now = now_ms();
    let meta = Value::Object(a.meta.clone()).to_string();
    let content_text = plain_text(a.content.as_deref().unwrap_or_default());
    let summary: String = content_text.chars().take(SUMMARY_CHARS).collect();
    if a.id == 0 {
        conn.execute(
            "INSERT INTO articles (account_id, portal_id, category_id, title, description, content, status, \
             author_id, associated_article_id, meta, slug, position, locale, created_at, updated_at, content_text, \
             summary) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?14, ?15, ?16)",
            params![
                a.account_id,
                a.portal_id,
                a.category_id,
                a.title,
                a.description,
                a.content,
                a.status,
                a.author_id,
                a.associated_article_id,
                meta,
                a.slug,
                a.position,
                a.locale,
                now,
                content_text,
                summary
            ],
        )?;
        return Ok(Article {
            id: conn.last_insert_rowid(),
            created_at: now,
            updated_at: now,
            content_text,
            summary,
            ..a.clone()
        });
    }
    conn.execute(
        "UPDATE articles SET category_id = ?2, title = ?3, description = ?4, content = ?5, status = ?6, \
         author_id = ?7, associated_article_id = ?8, meta = ?9, slug = ?10, position = ?11, locale = ?12, \
         updated_at = ?13, content_text = ?14, summary = ?15 WHERE id = ?1",
        params![
            a.id,
            a.category_id,
            a.title,
            a.description,
            a.content,
            a.status,
            a.author_id,
            a.associated_article_id,
            meta,
            a.slug,
            a.position,
            a.locale,
            now,
            content_text,
            summary
        ],
    )?;
    Ok(Article {
        updated_at: now,
        content_text,
        summary,
        ..a.clone()
    })
}

/// Delete articles of a portal by id; returns how many went.
pub fn delete_many(conn: &Connection, portal_id: i64, ids: &[i64]) -> DbResult<usize> {
    Ok(conn.execute(
        "DELETE FROM articles WHERE portal_id = ?1 AND id IN (SELECT value FROM json_each(?2))",
        params![portal_id, Value::from(ids.to_vec()).to_string()],
    )?)
}

/// Apply `{id: position}` within a portal; returns how many rows changed.
pub fn reorder(conn: &Connection, portal_id: i64, positions: &[(i64, i64)]) -> DbResult<usize> {
    let mut stmt =
        conn.prepare_cached("UPDATE articles SET position = ?3 WHERE portal_id = ?1 AND id = ?2")?;
    let mut changed = 0;
    for (id, position) in positions {
        changed += stmt.execute(params![portal_id, id, position])?;
    }
    Ok(changed)
}

/// Published articles of a portal in a locale (optionally one category), by position or by
/// views, without their bodies (see [`contents`]). The page is chosen on the short columns (an
/// index covers them).
pub fn published(
    conn: &Connection,
    portal_id: i64,
    locale: &str,
    category_id: Option<Option<i64>>,
    by_views: bool,
    limit: i64,
    offset: i64,
) -> DbResult<Vec<Article>> {
    let order = |t: &str| {
        if by_views {
            format!("{t}.views DESC, {t}.id")
        } else {
            format!("{t}.position IS NULL, {t}.position, {t}.id")
        }
    };
    let mut values = vec![SqlValue::Integer(portal_id), SqlValue::Text(locale.to_string())];
    let filter = match category_id {
        None => "",
        Some(None) => " AND i.category_id IS NULL",
        Some(Some(id)) => {
            values.push(SqlValue::Integer(id));
            " AND i.category_id = ?"
        }
    };
    values.push(SqlValue::Integer(limit));
    values.push(SqlValue::Integer(offset));
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {} FROM articles a WHERE a.id IN ( \
           SELECT i.id FROM articles i WHERE i.portal_id = ? AND i.locale = ? AND i.status = 1{filter} \
           ORDER BY {} LIMIT +? OFFSET +?) \
         ORDER BY {}",
        list_columns(),
        order("i"),
        order("a")
    ))?;
    Ok(stmt
        .query_map(params_from_iter(values), from_row)?
        .collect::<Result<_, _>>()?)
}

/// The first `per` published articles (by position) of every category of a locale, in one
/// query, keyed by category id; without their bodies.
pub fn published_top_per_category(
    conn: &Connection,
    portal_id: i64,
    locale: &str,
    per: i64,
) -> DbResult<HashMap<i64, Vec<Article>>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {} FROM articles a JOIN ( \
           SELECT id, row_number() OVER ( \
             PARTITION BY category_id ORDER BY position IS NULL, position, id) AS n \
           FROM articles WHERE portal_id = ?1 AND locale = ?2 AND status = 1 AND category_id IS NOT NULL) top \
         ON top.id = a.id WHERE top.n <= ?3 ORDER BY a.category_id, top.n",
        list_columns()
    ))?;
    let mut result: HashMap<i64, Vec<Article>> = HashMap::new();
    for article in stmt.query_map(params![portal_id, locale, per], from_row)? {
        let article = article?;
        if let Some(category) = article.category_id {
            result.entry(category).or_default().push(article);
        }
    }
    Ok(result)
}

/// The markdown of articles, by id (for lists that show it).
pub fn contents(conn: &Connection, ids: &[i64]) -> DbResult<HashMap<i64, String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, coalesce(content, '') FROM articles WHERE id IN (SELECT value FROM json_each(?1))",
    )?;
    let rows = stmt.query_map([Value::from(ids.to_vec()).to_string()], |r| {
        Ok((r.get(0)?, r.get(1)?))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// How many published articles a locale has.
pub fn published_count(conn: &Connection, portal_id: i64, locale: &str) -> DbResult<i64> {
    let mut stmt = conn.prepare_cached(
        "SELECT count(*) FROM articles WHERE portal_id = ?1 AND locale = ?2 AND status = 1",
    )?;
    Ok(stmt.query_row(params![portal_id, locale], |r| r.get(0))?)
}

/// Whether this visitor's view of the article already counted today (checked on a read
/// connection so repeat visits never queue for the writer).
pub fn viewed_today(conn: &Connection, article_id: i64, visitor: &[u8]) -> DbResult<bool> {
    let mut stmt = conn.prepare_cached(
        "SELECT EXISTS (SELECT 1 FROM article_view_marks WHERE article_id = ?1 AND day = ?2 AND visitor = ?3)",
    )?;
    Ok(stmt.query_row(params![article_id, now_ms() / 86_400_000, visitor], |r| r.get(0))?)
}

/// Count a view of a published article once per visitor per day; returns whether it counted.
pub fn record_view(conn: &Connection, article_id: i64, visitor: &[u8]) -> DbResult<bool> {
    let day = now_ms() / 86_400_000;
    let inserted = conn.execute(
        "INSERT OR IGNORE INTO article_view_marks (article_id, day, visitor) VALUES (?1, ?2, ?3)",
        params![article_id, day, visitor],
    )?;
    if inserted == 1 {
        conn.execute(
            "UPDATE articles SET views = coalesce(views, 0) + 1 WHERE id = ?1",
            [article_id],
        )?;
        conn.execute("DELETE FROM article_view_marks WHERE day < ?1", [day - 1])?;
    }
    Ok(inserted == 1)
}

/// Store a visitor's "was this helpful?" vote (a later vote replaces theirs) and refresh the
/// article's totals.
pub fn record_feedback(conn: &Connection, article_id: i64, visitor: &[u8], helpful: bool) -> DbResult<()> {
    conn.execute(
        "INSERT INTO article_feedbacks (article_id, visitor, helpful, created_at) VALUES (?1, ?2, ?3, ?4) \
         ON CONFLICT (article_id, visitor) DO UPDATE SET helpful = excluded.helpful, created_at = excluded.created_at",
        params![article_id, visitor, helpful, now_ms()],
    )?;
    conn.execute(
        "UPDATE articles SET \
           helpful_count = (SELECT count(*) FROM article_feedbacks WHERE article_id = ?1 AND helpful = 1), \
           not_helpful_count = (SELECT count(*) FROM article_feedbacks WHERE article_id = ?1 AND helpful = 0) \
         WHERE id = ?1",
        [article_id],
    )?;
    Ok(())
}
