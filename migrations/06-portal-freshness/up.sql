-- When anything a portal's public pages show last changed (unix ms, strictly increasing: it
-- also versions memoized search results), for Last-Modified and
-- If-Modified-Since. Triggers keep it current on every write path; view counts and feedback
-- totals are left out because no page shows them.

ALTER TABLE portals ADD COLUMN content_updated_at INTEGER NOT NULL DEFAULT 0;
UPDATE portals SET content_updated_at = max(
    updated_at,
    coalesce((SELECT max(updated_at) FROM articles WHERE portal_id = portals.id), 0),
    coalesce((SELECT max(updated_at) FROM categories WHERE portal_id = portals.id), 0)
);

CREATE TRIGGER portals_fresh_on_update AFTER UPDATE OF
    name, slug, custom_domain, color, homepage_link, page_title, header_text, config, archived,
    channel_web_widget_id, logo_key ON portals
BEGIN
    UPDATE portals SET content_updated_at = max(content_updated_at + 1, CAST(unixepoch('subsec') * 1000 AS INTEGER)) WHERE id = new.id;
END;

CREATE TRIGGER articles_fresh_on_insert AFTER INSERT ON articles BEGIN
    UPDATE portals SET content_updated_at = max(content_updated_at + 1, CAST(unixepoch('subsec') * 1000 AS INTEGER)) WHERE id = new.portal_id;
END;
CREATE TRIGGER articles_fresh_on_update AFTER UPDATE OF
    portal_id, category_id, title, description, content, status, author_id, associated_article_id,
    meta, slug, position, locale ON articles
BEGIN
    UPDATE portals SET content_updated_at = max(content_updated_at + 1, CAST(unixepoch('subsec') * 1000 AS INTEGER))
    WHERE id IN (old.portal_id, new.portal_id);
END;
CREATE TRIGGER articles_fresh_on_delete AFTER DELETE ON articles BEGIN
    UPDATE portals SET content_updated_at = max(content_updated_at + 1, CAST(unixepoch('subsec') * 1000 AS INTEGER)) WHERE id = old.portal_id;
END;

CREATE TRIGGER categories_fresh_on_insert AFTER INSERT ON categories BEGIN
    UPDATE portals SET content_updated_at = max(content_updated_at + 1, CAST(unixepoch('subsec') * 1000 AS INTEGER)) WHERE id = new.portal_id;
END;
CREATE TRIGGER categories_fresh_on_update AFTER UPDATE ON categories BEGIN
    UPDATE portals SET content_updated_at = max(content_updated_at + 1, CAST(unixepoch('subsec') * 1000 AS INTEGER))
    WHERE id IN (old.portal_id, new.portal_id);
END;
CREATE TRIGGER categories_fresh_on_delete AFTER DELETE ON categories BEGIN
    UPDATE portals SET content_updated_at = max(content_updated_at + 1, CAST(unixepoch('subsec') * 1000 AS INTEGER)) WHERE id = old.portal_id;
END;
