-- What Chatwoot's mobile app needs beyond the core: conversation participants (agents who
-- follow a conversation), macros (saved action lists an agent runs on conversations) and
-- dashboard apps (iframes shown beside a conversation).

-- Chatwoot's ConversationParticipant: one row per user and conversation.
CREATE TABLE conversation_participants (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id      INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    conversation_id INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    user_id         INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
CREATE UNIQUE INDEX index_conversation_participants_on_conversation_id_and_user_id
    ON conversation_participants (conversation_id, user_id);
CREATE INDEX index_conversation_participants_on_user_id ON conversation_participants (user_id);

-- Chatwoot's Macro: `visibility` 0 personal (only its creator), 1 global; `actions` is the
-- JSON array of {action_name, action_params}.
CREATE TABLE macros (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id    INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    name          TEXT    NOT NULL,
    visibility    INTEGER NOT NULL DEFAULT 0,
    actions       TEXT    NOT NULL DEFAULT '[]',
    created_by_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    updated_by_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);
CREATE INDEX index_macros_on_account_id ON macros (account_id);

-- Chatwoot's DashboardApp: `content` is the JSON array of {type: "frame", url}.
CREATE TABLE dashboard_apps (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    user_id    INTEGER REFERENCES users (id) ON DELETE SET NULL,
    title      TEXT    NOT NULL,
    content    TEXT    NOT NULL DEFAULT '[]',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX index_dashboard_apps_on_account_id ON dashboard_apps (account_id);
