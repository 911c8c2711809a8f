-- Core tables: accounts, users and their memberships, tokens, platform apps, agent bots.
-- Timestamps are unix milliseconds (INTEGER); views format them the way each Chatwoot field does.
-- AUTOINCREMENT keeps ids from being reused after a delete, like Postgres sequences.

CREATE TABLE accounts (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    name              TEXT    NOT NULL,
    locale            TEXT    NOT NULL DEFAULT 'en',
    domain            TEXT,
    support_email     TEXT,
    status            INTEGER NOT NULL DEFAULT 0,          -- active 0, suspended 1
    features          TEXT    NOT NULL DEFAULT '{}',       -- {"name": true} of enabled features
    limits            TEXT    NOT NULL DEFAULT '{}',
    custom_attributes TEXT    NOT NULL DEFAULT '{}',
    settings          TEXT    NOT NULL DEFAULT '{}',
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL
);

CREATE TABLE users (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    name               TEXT    NOT NULL,
    display_name       TEXT,
    email              TEXT    NOT NULL,
    encrypted_password TEXT    NOT NULL DEFAULT '',
    provider           TEXT    NOT NULL DEFAULT 'email',
    pubsub_token       TEXT    NOT NULL,
    message_signature  TEXT,
    ui_settings        TEXT    NOT NULL DEFAULT '{}',
    custom_attributes  TEXT    NOT NULL DEFAULT '{}',
    user_type          TEXT,                                -- 'SuperAdmin' or NULL
    confirmed_at       INTEGER,
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL
);
CREATE UNIQUE INDEX index_users_on_email ON users (email);
CREATE UNIQUE INDEX index_users_on_pubsub_token ON users (pubsub_token);

CREATE TABLE account_users (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id   INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role         INTEGER NOT NULL DEFAULT 0,               -- agent 0, administrator 1
    inviter_id   INTEGER REFERENCES users (id) ON DELETE SET NULL,
    availability INTEGER NOT NULL DEFAULT 0,               -- online 0, offline 1, busy 2
    auto_offline INTEGER NOT NULL DEFAULT 1,
    active_at    INTEGER,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);
CREATE UNIQUE INDEX uniq_user_id_per_account_id ON account_users (account_id, user_id);
CREATE INDEX index_account_users_on_user_id ON account_users (user_id);
CREATE INDEX index_account_users_on_inviter_id ON account_users (inviter_id);

-- One token per owner. Lookups go through the SHA-256 digest so the comparison that decides
-- access never runs over the secret itself.
CREATE TABLE access_tokens (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    owner_type   TEXT    NOT NULL,                         -- 'User' | 'AgentBot' | 'PlatformApp'
    owner_id     INTEGER NOT NULL,
    token        TEXT    NOT NULL,
    token_digest TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);
CREATE UNIQUE INDEX index_access_tokens_on_token_digest ON access_tokens (token_digest);
CREATE UNIQUE INDEX index_access_tokens_on_owner ON access_tokens (owner_type, owner_id);

CREATE TABLE platform_apps (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    name       TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE platform_app_permissibles (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    platform_app_id  INTEGER NOT NULL REFERENCES platform_apps (id) ON DELETE CASCADE,
    permissible_type TEXT    NOT NULL,                     -- 'Account' | 'User' | 'AgentBot'
    permissible_id   INTEGER NOT NULL,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
);
CREATE UNIQUE INDEX unique_permissibles_index
    ON platform_app_permissibles (platform_app_id, permissible_type, permissible_id);
CREATE INDEX index_platform_app_permissibles_on_permissible
    ON platform_app_permissibles (permissible_type, permissible_id);

CREATE TABLE agent_bots (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    name         TEXT    NOT NULL,
    description  TEXT,
    outgoing_url TEXT,
    bot_type     INTEGER NOT NULL DEFAULT 0,               -- webhook 0
    bot_config   TEXT    NOT NULL DEFAULT '{}',
    account_id   INTEGER REFERENCES accounts (id) ON DELETE CASCADE,  -- NULL = system bot
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);
CREATE INDEX index_agent_bots_on_account_id ON agent_bots (account_id);

-- Polymorphic rows have no foreign key; these triggers keep them from outliving their owner.
CREATE TRIGGER users_cleanup AFTER DELETE ON users BEGIN
    DELETE FROM access_tokens WHERE owner_type = 'User' AND owner_id = OLD.id;
    DELETE FROM platform_app_permissibles WHERE permissible_type = 'User' AND permissible_id = OLD.id;
END;
CREATE TRIGGER agent_bots_cleanup AFTER DELETE ON agent_bots BEGIN
    DELETE FROM access_tokens WHERE owner_type = 'AgentBot' AND owner_id = OLD.id;
    DELETE FROM platform_app_permissibles WHERE permissible_type = 'AgentBot' AND permissible_id = OLD.id;
END;
CREATE TRIGGER platform_apps_cleanup AFTER DELETE ON platform_apps BEGIN
    DELETE FROM access_tokens WHERE owner_type = 'PlatformApp' AND owner_id = OLD.id;
END;
CREATE TRIGGER accounts_cleanup AFTER DELETE ON accounts BEGIN
    DELETE FROM platform_app_permissibles WHERE permissible_type = 'Account' AND permissible_id = OLD.id;
END;

-- Short-lived single-use tokens behind the Platform API's SSO login link.
CREATE TABLE sso_auth_tokens (
    token_digest TEXT    PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    expires_at   INTEGER NOT NULL
);
CREATE INDEX index_sso_auth_tokens_on_user_id ON sso_auth_tokens (user_id);
