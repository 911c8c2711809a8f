-- Account administration: teams, inboxes and their channels, members, canned responses, custom
-- attributes and filters, labels, webhooks, integration hooks, automation rules, audit logs.

CREATE TABLE teams (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id        INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    name              TEXT    NOT NULL,
    description       TEXT,
    allow_auto_assign INTEGER NOT NULL DEFAULT 1,
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL
);
CREATE UNIQUE INDEX index_teams_on_name_and_account_id ON teams (account_id, name);

CREATE TABLE team_members (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    team_id    INTEGER NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX index_team_members_on_team_id_and_user_id ON team_members (team_id, user_id);
CREATE INDEX index_team_members_on_user_id ON team_members (user_id);

-- One row per channel of any type. Lookup keys get their own indexed columns; the rest of the
-- type-specific settings live in `settings`.
CREATE TABLE channels (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id     INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    channel_type   TEXT    NOT NULL,            -- 'Channel::Api' | 'Channel::WebWidget' | 'Channel::Email'
    identifier     TEXT,                        -- Channel::Api inbox_identifier
    website_token  TEXT,                        -- Channel::WebWidget
    email          TEXT,                        -- Channel::Email
    hmac_token     TEXT,
    settings       TEXT    NOT NULL DEFAULT '{}',
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
);
CREATE UNIQUE INDEX index_channels_on_identifier ON channels (identifier) WHERE identifier IS NOT NULL;
CREATE UNIQUE INDEX index_channels_on_website_token ON channels (website_token) WHERE website_token IS NOT NULL;
CREATE UNIQUE INDEX index_channels_on_email ON channels (email) WHERE email IS NOT NULL;
CREATE INDEX index_channels_on_account_id ON channels (account_id);

CREATE TABLE inboxes (
    id                            INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id                    INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    channel_id                    INTEGER NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
    name                          TEXT    NOT NULL,
    greeting_enabled              INTEGER NOT NULL DEFAULT 0,
    greeting_message              TEXT,
    working_hours_enabled         INTEGER NOT NULL DEFAULT 0,
    working_hours                 TEXT    NOT NULL DEFAULT '[]',
    enable_email_collect          INTEGER NOT NULL DEFAULT 1,
    csat_survey_enabled           INTEGER NOT NULL DEFAULT 0,
    csat_config                   TEXT    NOT NULL DEFAULT '{}',
    enable_auto_assignment        INTEGER NOT NULL DEFAULT 1,
    auto_assignment_config        TEXT    NOT NULL DEFAULT '{}',
    out_of_office_message         TEXT,
    timezone                      TEXT    NOT NULL DEFAULT 'UTC',
    allow_messages_after_resolved INTEGER NOT NULL DEFAULT 1,
    lock_to_single_conversation   INTEGER NOT NULL DEFAULT 0,
    sender_name_type              INTEGER NOT NULL DEFAULT 0,  -- friendly 0, professional 1
    business_name                 TEXT,
    portal_id                     INTEGER,
    created_at                    INTEGER NOT NULL,
    updated_at                    INTEGER NOT NULL
);
CREATE INDEX index_inboxes_on_account_id ON inboxes (account_id);
CREATE UNIQUE INDEX index_inboxes_on_channel_id ON inboxes (channel_id);

CREATE TABLE inbox_members (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    inbox_id   INTEGER NOT NULL REFERENCES inboxes (id) ON DELETE CASCADE,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX index_inbox_members_on_inbox_id_and_user_id ON inbox_members (inbox_id, user_id);
CREATE INDEX index_inbox_members_on_user_id ON inbox_members (user_id);

CREATE TABLE agent_bot_inboxes (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    inbox_id     INTEGER NOT NULL REFERENCES inboxes (id) ON DELETE CASCADE,
    agent_bot_id INTEGER NOT NULL REFERENCES agent_bots (id) ON DELETE CASCADE,
    account_id   INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    status       INTEGER NOT NULL DEFAULT 0,   -- active 0, inactive 1
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);
CREATE UNIQUE INDEX index_agent_bot_inboxes_on_inbox_id ON agent_bot_inboxes (inbox_id);
CREATE INDEX index_agent_bot_inboxes_on_agent_bot_id ON agent_bot_inboxes (agent_bot_id);

CREATE TABLE canned_responses (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    short_code TEXT    NOT NULL,
    content    TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX index_canned_responses_on_account_id_and_short_code ON canned_responses (account_id, short_code);

CREATE TABLE custom_attribute_definitions (
    id                     INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id             INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    attribute_display_name TEXT    NOT NULL,
    attribute_key          TEXT    NOT NULL,
    attribute_display_type INTEGER NOT NULL DEFAULT 0,
    attribute_model        INTEGER NOT NULL DEFAULT 0,  -- conversation_attribute 0, contact_attribute 1
    attribute_description  TEXT,
    attribute_values       TEXT    NOT NULL DEFAULT '[]',
    default_value          TEXT,
    regex_pattern          TEXT,
    regex_cue              TEXT,
    created_at             INTEGER NOT NULL,
    updated_at             INTEGER NOT NULL
);
CREATE UNIQUE INDEX attribute_key_model_index
    ON custom_attribute_definitions (account_id, attribute_key, attribute_model);

CREATE TABLE custom_filters (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id  INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name        TEXT    NOT NULL,
    filter_type INTEGER NOT NULL DEFAULT 0,   -- conversation 0, contact 1, report 2
    query       TEXT    NOT NULL DEFAULT '{}',
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE INDEX index_custom_filters_on_account_user_type ON custom_filters (account_id, user_id, filter_type);

CREATE TABLE labels (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id      INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    title           TEXT    NOT NULL,
    description     TEXT,
    color           TEXT    NOT NULL DEFAULT '#1f93ff',
    show_on_sidebar INTEGER NOT NULL DEFAULT 0,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
CREATE UNIQUE INDEX index_labels_on_account_id_and_title ON labels (account_id, title);

CREATE TABLE webhooks (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id    INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    inbox_id      INTEGER REFERENCES inboxes (id) ON DELETE SET NULL,
    name          TEXT,
    url           TEXT    NOT NULL,
    subscriptions TEXT    NOT NULL DEFAULT '[]',
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);
CREATE UNIQUE INDEX index_webhooks_on_account_id_and_url ON webhooks (account_id, url);

CREATE TABLE integrations_hooks (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id   INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    app_id       TEXT    NOT NULL,
    inbox_id     INTEGER REFERENCES inboxes (id) ON DELETE CASCADE,
    status       INTEGER NOT NULL DEFAULT 1,   -- disabled 0, enabled 1
    hook_type    INTEGER NOT NULL DEFAULT 0,   -- account 0, inbox 1
    reference_id TEXT,
    settings     TEXT    NOT NULL DEFAULT '{}',
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);
CREATE INDEX index_integrations_hooks_on_account_id_and_app_id ON integrations_hooks (account_id, app_id);

CREATE TABLE automation_rules (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id  INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    name        TEXT    NOT NULL,
    description TEXT,
    event_name  TEXT    NOT NULL,
    conditions  TEXT    NOT NULL DEFAULT '[]',
    actions     TEXT    NOT NULL DEFAULT '[]',
    active      INTEGER NOT NULL DEFAULT 1,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE INDEX index_automation_rules_on_account_id ON automation_rules (account_id);

CREATE TABLE audit_logs (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id      INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    auditable_type  TEXT    NOT NULL,
    auditable_id    INTEGER NOT NULL,
    auditable       TEXT,                      -- JSON snapshot of the object after the change
    associated_type TEXT,
    associated_id   INTEGER,
    user_id         INTEGER,
    user_type       TEXT,
    username        TEXT,
    action          TEXT    NOT NULL,          -- create | update | destroy
    audited_changes TEXT    NOT NULL DEFAULT '{}',
    version         INTEGER NOT NULL DEFAULT 1,
    comment         TEXT,
    remote_address  TEXT,
    request_uuid    TEXT,
    created_at      INTEGER NOT NULL
);
CREATE INDEX index_audit_logs_on_account_id_and_id ON audit_logs (account_id, id);
CREATE INDEX index_audit_logs_on_auditable ON audit_logs (auditable_type, auditable_id, version);
