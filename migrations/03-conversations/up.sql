-- Contacts, conversations and messages, with their labels, notes and attachments.

-- Per-account conversation numbers come from this counter so they are never reused.
ALTER TABLE accounts ADD COLUMN last_display_id INTEGER NOT NULL DEFAULT 0;

CREATE TABLE contacts (
    id                    INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id            INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    name                  TEXT    NOT NULL DEFAULT '',
    email                 TEXT,
    phone_number          TEXT,
    identifier            TEXT,
    blocked               INTEGER NOT NULL DEFAULT 0,
    contact_type          INTEGER NOT NULL DEFAULT 0,   -- visitor 0, lead 1, customer 2
    additional_attributes TEXT    NOT NULL DEFAULT '{}',
    custom_attributes     TEXT    NOT NULL DEFAULT '{}',
    last_activity_at      INTEGER,
    created_at            INTEGER NOT NULL,
    updated_at            INTEGER NOT NULL
);
CREATE UNIQUE INDEX uniq_email_per_account_contact ON contacts (account_id, email) WHERE email IS NOT NULL;
CREATE UNIQUE INDEX uniq_phone_per_account_contact ON contacts (account_id, phone_number) WHERE phone_number IS NOT NULL;
CREATE UNIQUE INDEX uniq_identifier_per_account_contact ON contacts (account_id, identifier) WHERE identifier IS NOT NULL;
CREATE INDEX index_contacts_on_account_id_and_last_activity_at ON contacts (account_id, last_activity_at);
CREATE INDEX index_contacts_on_account_id_and_id ON contacts (account_id, id);

-- Substring search over the fields Chatwoot's contact search reads (trigram = ILIKE '%q%').
CREATE VIRTUAL TABLE contacts_search USING fts5 (
    name, email, phone_number, identifier, company_name,
    content = '', contentless_delete = 1, tokenize = 'trigram'
);
CREATE TRIGGER contacts_search_insert AFTER INSERT ON contacts BEGIN
    INSERT INTO contacts_search (rowid, name, email, phone_number, identifier, company_name)
    VALUES (NEW.id, NEW.name, NEW.email, NEW.phone_number, NEW.identifier,
            json_extract(NEW.additional_attributes, '$.company_name'));
END;
CREATE TRIGGER contacts_search_update AFTER UPDATE OF name, email, phone_number, identifier, additional_attributes ON contacts BEGIN
    DELETE FROM contacts_search WHERE rowid = OLD.id;
    INSERT INTO contacts_search (rowid, name, email, phone_number, identifier, company_name)
    VALUES (NEW.id, NEW.name, NEW.email, NEW.phone_number, NEW.identifier,
            json_extract(NEW.additional_attributes, '$.company_name'));
END;
CREATE TRIGGER contacts_search_delete AFTER DELETE ON contacts BEGIN
    DELETE FROM contacts_search WHERE rowid = OLD.id;
END;

CREATE TABLE contact_labels (
    contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    label      TEXT    NOT NULL,
    PRIMARY KEY (contact_id, label)
) WITHOUT ROWID;
CREATE INDEX index_contact_labels_on_label ON contact_labels (label);

CREATE TABLE contact_inboxes (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    contact_id    INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    inbox_id      INTEGER NOT NULL REFERENCES inboxes (id) ON DELETE CASCADE,
    source_id     TEXT    NOT NULL,
    hmac_verified INTEGER NOT NULL DEFAULT 0,
    pubsub_token  TEXT    NOT NULL,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);
CREATE UNIQUE INDEX index_contact_inboxes_on_inbox_id_and_source_id ON contact_inboxes (inbox_id, source_id);
CREATE INDEX index_contact_inboxes_on_contact_id ON contact_inboxes (contact_id);
CREATE UNIQUE INDEX index_contact_inboxes_on_pubsub_token ON contact_inboxes (pubsub_token);

CREATE TABLE notes (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    user_id    INTEGER REFERENCES users (id) ON DELETE SET NULL,
    content    TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX index_notes_on_contact_id ON notes (contact_id, id);

CREATE TABLE conversations (
    id                     INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id             INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    inbox_id               INTEGER NOT NULL REFERENCES inboxes (id) ON DELETE CASCADE,
    contact_id             INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    contact_inbox_id       INTEGER REFERENCES contact_inboxes (id) ON DELETE SET NULL,
    display_id             INTEGER NOT NULL,
    uuid                   TEXT    NOT NULL,
    status                 INTEGER NOT NULL DEFAULT 0,   -- open 0, resolved 1, pending 2, snoozed 3
    priority               INTEGER,                      -- low 0, medium 1, high 2, urgent 3
    assignee_id            INTEGER REFERENCES users (id) ON DELETE SET NULL,
    assignee_agent_bot_id  INTEGER REFERENCES agent_bots (id) ON DELETE SET NULL,
    team_id                INTEGER REFERENCES teams (id) ON DELETE SET NULL,
    campaign_id            INTEGER,
    snoozed_until          INTEGER,
    agent_last_seen_at     INTEGER,
    assignee_last_seen_at  INTEGER,
    contact_last_seen_at   INTEGER,
    first_reply_created_at INTEGER,
    waiting_since          INTEGER,
    last_activity_at       INTEGER NOT NULL,
    additional_attributes  TEXT    NOT NULL DEFAULT '{}',
    custom_attributes      TEXT    NOT NULL DEFAULT '{}',
    created_at             INTEGER NOT NULL,
    updated_at             INTEGER NOT NULL
);
CREATE UNIQUE INDEX index_conversations_on_account_id_and_display_id ON conversations (account_id, display_id);
CREATE UNIQUE INDEX index_conversations_on_uuid ON conversations (uuid);
CREATE INDEX conv_acid_status_activity ON conversations (account_id, status, last_activity_at DESC, id DESC);
CREATE INDEX conv_acid_activity ON conversations (account_id, last_activity_at DESC, id DESC);
CREATE INDEX conv_acid_inbox_status_activity ON conversations (account_id, inbox_id, status, last_activity_at DESC);
-- Covers the mine/unassigned/all counts of the conversation list without touching the table.
CREATE INDEX conv_acid_status_assignee ON conversations (account_id, status, assignee_id);
CREATE INDEX index_conversations_on_assignee ON conversations (account_id, assignee_id, last_activity_at DESC, id DESC);
CREATE INDEX index_conversations_on_team_id ON conversations (team_id);
CREATE INDEX index_conversations_on_contact_id ON conversations (contact_id, last_activity_at DESC);
CREATE INDEX index_conversations_on_contact_inbox_id ON conversations (contact_inbox_id);

CREATE TABLE conversation_labels (
    conversation_id INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    label           TEXT    NOT NULL,
    PRIMARY KEY (conversation_id, label)
) WITHOUT ROWID;
CREATE INDEX index_conversation_labels_on_label ON conversation_labels (label);

CREATE TABLE messages (
    id                        INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id                INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    inbox_id                  INTEGER NOT NULL REFERENCES inboxes (id) ON DELETE CASCADE,
    conversation_id           INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    message_type              INTEGER NOT NULL,              -- incoming 0, outgoing 1, activity 2, template 3
    content                   TEXT,
    content_type              INTEGER NOT NULL DEFAULT 0,
    content_attributes        TEXT    NOT NULL DEFAULT '{}',
    additional_attributes     TEXT    NOT NULL DEFAULT '{}',
    external_source_ids       TEXT    NOT NULL DEFAULT '{}',
    private                   INTEGER NOT NULL DEFAULT 0,
    status                    INTEGER NOT NULL DEFAULT 0,    -- sent 0, delivered 1, read 2, failed 3
    source_id                 TEXT,
    sender_type               TEXT,
    sender_id                 INTEGER,
    echo_id                   TEXT,
    created_at                INTEGER NOT NULL,
    updated_at                INTEGER NOT NULL
);
CREATE INDEX index_messages_on_conversation_id_and_id ON messages (conversation_id, id);
CREATE INDEX index_messages_on_account_id_and_created_at ON messages (account_id, created_at);
CREATE INDEX index_messages_on_source_id ON messages (source_id) WHERE source_id IS NOT NULL;
CREATE INDEX index_messages_on_sender ON messages (sender_type, sender_id);

-- Substring search over incoming/outgoing message text for conversation search.
CREATE VIRTUAL TABLE messages_search USING fts5 (
    content, content = '', contentless_delete = 1, tokenize = 'trigram'
);
CREATE TRIGGER messages_search_insert AFTER INSERT ON messages WHEN NEW.message_type IN (0, 1) AND NEW.content IS NOT NULL BEGIN
    INSERT INTO messages_search (rowid, content) VALUES (NEW.id, NEW.content);
END;
CREATE TRIGGER messages_search_update AFTER UPDATE OF content ON messages BEGIN
    DELETE FROM messages_search WHERE rowid = OLD.id;
    INSERT INTO messages_search (rowid, content)
    SELECT NEW.id, NEW.content WHERE NEW.message_type IN (0, 1) AND NEW.content IS NOT NULL;
END;
CREATE TRIGGER messages_search_delete AFTER DELETE ON messages BEGIN
    DELETE FROM messages_search WHERE rowid = OLD.id;
END;

CREATE TABLE attachments (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id       INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    message_id       INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    file_type        INTEGER NOT NULL DEFAULT 3,   -- image 0, audio 1, video 2, file 3, location 4, fallback 5
    storage_key      TEXT,                         -- server-generated file name under <data>/uploads
    file_name        TEXT,
    content_type     TEXT,
    byte_size        INTEGER NOT NULL DEFAULT 0,
    extension        TEXT,
    external_url     TEXT,
    coordinates_lat  REAL,
    coordinates_long REAL,
    fallback_title   TEXT,
    width            INTEGER,
    height           INTEGER,
    created_at       INTEGER NOT NULL
);
CREATE INDEX index_attachments_on_message_id ON attachments (message_id);
CREATE INDEX index_attachments_on_account_id ON attachments (account_id, id);
CREATE UNIQUE INDEX index_attachments_on_storage_key ON attachments (storage_key) WHERE storage_key IS NOT NULL;
