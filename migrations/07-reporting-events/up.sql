-- Reporting events: one row per measured moment of a conversation (first response, reply
-- time, resolution, reopening, bot handoff), written in the same transaction as the change.

CREATE TABLE reporting_events (
    id                       INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id               INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    name                     TEXT    NOT NULL,
    value                    REAL    NOT NULL,         -- seconds
    value_in_business_hours  REAL    NOT NULL DEFAULT 0,
    event_start_time         INTEGER NOT NULL,         -- unix ms
    event_end_time           INTEGER NOT NULL,
    inbox_id                 INTEGER REFERENCES inboxes (id) ON DELETE SET NULL,
    user_id                  INTEGER REFERENCES users (id) ON DELETE SET NULL,
    conversation_id          INTEGER REFERENCES conversations (id) ON DELETE CASCADE,
    created_at               INTEGER NOT NULL,
    updated_at               INTEGER NOT NULL
);
CREATE INDEX index_reporting_events_on_conversation ON reporting_events (conversation_id, name, id);
CREATE INDEX index_reporting_events_on_account_name ON reporting_events (account_id, name, created_at);
CREATE INDEX index_reporting_events_on_account_created ON reporting_events (account_id, created_at);
