-- Help center: portals, categories, articles, their full-text index, reader feedback and
-- per-visitor daily view counting.

CREATE TABLE portals (
    id                     INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id             INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    name                   TEXT    NOT NULL,
    slug                   TEXT    NOT NULL,
    custom_domain          TEXT,
    color                  TEXT,
    homepage_link          TEXT,
    page_title             TEXT,
    header_text            TEXT,
    config                 TEXT    NOT NULL DEFAULT '{"allowed_locales":["en"]}',
    archived               INTEGER NOT NULL DEFAULT 0,
    channel_web_widget_id  INTEGER REFERENCES inboxes (id) ON DELETE SET NULL,
    logo_key               TEXT,            -- attachment storage key of the logo, NULL without one
    logo_filename          TEXT,
    logo_content_type      TEXT,
    created_at             INTEGER NOT NULL,
    updated_at             INTEGER NOT NULL
);
CREATE UNIQUE INDEX index_portals_on_slug ON portals (slug);
CREATE UNIQUE INDEX index_portals_on_custom_domain ON portals (custom_domain) WHERE custom_domain IS NOT NULL;
CREATE INDEX index_portals_on_account_id ON portals (account_id, id);

CREATE TABLE categories (
    id                      INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id              INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    portal_id               INTEGER NOT NULL REFERENCES portals (id) ON DELETE CASCADE,
    name                    TEXT    NOT NULL,
    slug                    TEXT    NOT NULL,
    description             TEXT,
    position                INTEGER,
    locale                  TEXT    NOT NULL DEFAULT 'en',
    icon                    TEXT    NOT NULL DEFAULT '',
    icon_color              TEXT    NOT NULL DEFAULT '',
    parent_category_id      INTEGER REFERENCES categories (id) ON DELETE SET NULL,
    associated_category_id  INTEGER REFERENCES categories (id) ON DELETE SET NULL,
    created_at              INTEGER NOT NULL,
    updated_at              INTEGER NOT NULL
);
CREATE UNIQUE INDEX index_categories_on_portal_locale_slug ON categories (portal_id, locale, slug);
CREATE INDEX index_categories_on_portal_position ON categories (portal_id, locale, position);

CREATE TABLE related_categories (
    category_id          INTEGER NOT NULL REFERENCES categories (id) ON DELETE CASCADE,
    related_category_id  INTEGER NOT NULL REFERENCES categories (id) ON DELETE CASCADE,
    PRIMARY KEY (category_id, related_category_id)
) WITHOUT ROWID;

CREATE TABLE articles (
    id                     INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id             INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    portal_id              INTEGER NOT NULL REFERENCES portals (id) ON DELETE CASCADE,
    category_id            INTEGER REFERENCES categories (id) ON DELETE SET NULL,
    title                  TEXT    NOT NULL,
    description            TEXT,
    status                 INTEGER NOT NULL DEFAULT 0,   -- draft 0, published 1, archived 2
    views                  INTEGER,
    author_id              INTEGER REFERENCES users (id) ON DELETE SET NULL,
    associated_article_id  INTEGER REFERENCES articles (id) ON DELETE SET NULL,
    meta                   TEXT    NOT NULL DEFAULT '{}',
    slug                   TEXT    NOT NULL,
    position               INTEGER,
    locale                 TEXT    NOT NULL DEFAULT 'en',
    helpful_count          INTEGER NOT NULL DEFAULT 0,
    not_helpful_count      INTEGER NOT NULL DEFAULT 0,
    created_at             INTEGER NOT NULL,
    updated_at             INTEGER NOT NULL,
    summary                TEXT    NOT NULL DEFAULT '',  -- the first 300 characters of content_text
    -- The long columns come last so that lists and sorts read the short ones without walking
    -- overflow pages.
    content                TEXT,
    content_text           TEXT    NOT NULL DEFAULT ''  -- content without markdown syntax
);
CREATE UNIQUE INDEX index_articles_on_slug ON articles (slug);
CREATE INDEX index_articles_on_portal_updated ON articles (portal_id, updated_at DESC);
CREATE INDEX index_articles_on_portal_locale_status ON articles (portal_id, locale, status, position);
CREATE INDEX index_articles_on_portal_locale_category ON articles (portal_id, locale, status, category_id, position);
CREATE INDEX index_articles_on_portal_locale_views ON articles (portal_id, locale, status, views);
CREATE INDEX index_articles_on_category_position ON articles (category_id, position);
CREATE INDEX index_articles_on_associated ON articles (associated_article_id);

-- Full-text index over title (weight 10), description (5) and the plain text of the content
-- (1); kept in step by triggers so every write path is covered.
CREATE VIRTUAL TABLE articles_fts USING fts5 (
    title, description, content_text,
    content = 'articles', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3'
);
CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts (rowid, title, description, content_text)
    VALUES (new.id, new.title, coalesce(new.description, ''), new.content_text);
END;
CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, description, content_text)
    VALUES ('delete', old.id, old.title, coalesce(old.description, ''), old.content_text);
END;
CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, description, content_text ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, description, content_text)
    VALUES ('delete', old.id, old.title, coalesce(old.description, ''), old.content_text);
    INSERT INTO articles_fts (rowid, title, description, content_text)
    VALUES (new.id, new.title, coalesce(new.description, ''), new.content_text);
END;

-- One row per visitor per article per day: a view counts once a day for each visitor.
-- visitor is a keyed hash of the client address and user agent, never the address itself.
CREATE TABLE article_view_marks (
    article_id  INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    day         INTEGER NOT NULL,            -- days since the unix epoch
    visitor     BLOB    NOT NULL,
    PRIMARY KEY (article_id, day, visitor)
) WITHOUT ROWID;
CREATE INDEX index_article_view_marks_on_day ON article_view_marks (day);

-- "Was this helpful?" votes, one per visitor per article (a later vote replaces the earlier one).
CREATE TABLE article_feedbacks (
    article_id  INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    visitor     BLOB    NOT NULL,
    helpful     INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (article_id, visitor)
) WITHOUT ROWID;
