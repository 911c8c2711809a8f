-- Notifications (Chatwoot's in-app inbox), per-account notification settings and push
-- subscriptions. Timestamps are unix milliseconds.

CREATE TABLE notifications (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id           INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    user_id              INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    notification_type    INTEGER NOT NULL,             -- Notification::NOTIFICATION_TYPES
    primary_actor_type   TEXT    NOT NULL DEFAULT 'Conversation',
    primary_actor_id     INTEGER NOT NULL,             -- conversations.id
    secondary_actor_type TEXT,                         -- 'Message' | 'User' | NULL
    secondary_actor_id   INTEGER,
    read_at              INTEGER,
    snoozed_until        INTEGER,
    meta                 TEXT    NOT NULL DEFAULT '{}',
    last_activity_at     INTEGER NOT NULL,
    created_at           INTEGER NOT NULL,
    updated_at           INTEGER NOT NULL
);
CREATE INDEX index_notifications_on_user_account
    ON notifications (user_id, account_id, last_activity_at);
CREATE INDEX index_notifications_on_primary_actor ON notifications (primary_actor_id);

-- A deleted conversation takes its notifications with it (Chatwoot: dependent destroy).
CREATE TRIGGER conversations_drop_notifications AFTER DELETE ON conversations BEGIN
    DELETE FROM notifications WHERE primary_actor_type = 'Conversation' AND primary_actor_id = OLD.id;
END;

-- Bit n-1 of each column is notification type n (flag_shih_tzu's layout in Chatwoot).
CREATE TABLE notification_settings (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id  INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    email_flags INTEGER NOT NULL DEFAULT 0,
    push_flags  INTEGER NOT NULL DEFAULT 0,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    UNIQUE (account_id, user_id)
);

-- Every membership gets Chatwoot's defaults (email and push for conversation_assignment),
-- whichever path creates it.
INSERT INTO notification_settings (account_id, user_id, email_flags, push_flags, created_at, updated_at)
    SELECT account_id, user_id, 2, 2, CAST(unixepoch('subsec') * 1000 AS INTEGER),
           CAST(unixepoch('subsec') * 1000 AS INTEGER)
    FROM account_users;
CREATE TRIGGER account_users_notification_settings AFTER INSERT ON account_users BEGIN
    INSERT OR IGNORE INTO notification_settings (account_id, user_id, email_flags, push_flags, created_at, updated_at)
    VALUES (NEW.account_id, NEW.user_id, 2, 2, CAST(unixepoch('subsec') * 1000 AS INTEGER),
            CAST(unixepoch('subsec') * 1000 AS INTEGER));
END;
CREATE TRIGGER account_users_drop_notification_settings AFTER DELETE ON account_users BEGIN
    DELETE FROM notification_settings WHERE account_id = OLD.account_id AND user_id = OLD.user_id;
END;

-- Push subscriptions of the mobile app (fcm) and browsers (browser_push); stored, never sent.
CREATE TABLE notification_subscriptions (
    id                      INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id                 INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    subscription_type       INTEGER NOT NULL,          -- 1 browser_push, 2 fcm
    subscription_attributes TEXT    NOT NULL DEFAULT '{}',
    identifier              TEXT    NOT NULL UNIQUE,
    created_at              INTEGER NOT NULL,
    updated_at              INTEGER NOT NULL
);
CREATE INDEX index_notification_subscriptions_on_user_id ON notification_subscriptions (user_id);

-- notification_created / _updated / _deleted events name their notification and its user (the
-- row of a deleted one is gone when the live fan-out reads the event).
ALTER TABLE events ADD COLUMN user_id INTEGER;
ALTER TABLE events ADD COLUMN notification_id INTEGER;
