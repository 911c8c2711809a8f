-- The event stream. Triggers note every change Chatwoot announces in `pending_changes`, in the
-- transaction of the change, whatever code path made it; before that transaction commits,
-- Parlor turns them into `events` (with the webhook payload when someone is subscribed) and
-- one `event_deliveries` row per receiver. Delivery happens after commit, with retries.

CREATE TABLE pending_changes (
    id     INTEGER PRIMARY KEY AUTOINCREMENT,
    kind   TEXT    NOT NULL,   -- conversation | conversation_label | message | contact | inbox
    op     TEXT    NOT NULL,   -- insert | update | delete
    row_id INTEGER NOT NULL,   -- the changed row (the conversation for labels)
    old    TEXT                -- JSON of the changed columns before the update; the label
);

CREATE TRIGGER conversations_created AFTER INSERT ON conversations BEGIN
    INSERT INTO pending_changes (kind, op, row_id) VALUES ('conversation', 'insert', NEW.id);
END;
CREATE TRIGGER conversations_changed AFTER UPDATE ON conversations
WHEN OLD.status IS NOT NEW.status OR OLD.assignee_id IS NOT NEW.assignee_id
  OR OLD.assignee_agent_bot_id IS NOT NEW.assignee_agent_bot_id OR OLD.team_id IS NOT NEW.team_id
  OR OLD.snoozed_until IS NOT NEW.snoozed_until OR OLD.custom_attributes IS NOT NEW.custom_attributes
  OR OLD.waiting_since IS NOT NEW.waiting_since
  OR OLD.first_reply_created_at IS NOT NEW.first_reply_created_at OR OLD.priority IS NOT NEW.priority
  OR OLD.additional_attributes IS NOT NEW.additional_attributes
BEGIN
    INSERT INTO pending_changes (kind, op, row_id, old) VALUES ('conversation', 'update', NEW.id,
        json_object('status', OLD.status, 'assignee_id', OLD.assignee_id,
            'assignee_agent_bot_id', OLD.assignee_agent_bot_id, 'team_id', OLD.team_id,
            'snoozed_until', OLD.snoozed_until, 'custom_attributes', json(OLD.custom_attributes),
            'waiting_since', OLD.waiting_since, 'first_reply_created_at', OLD.first_reply_created_at,
            'priority', OLD.priority, 'additional_attributes', json(OLD.additional_attributes),
            'updated_at', OLD.updated_at));
END;
CREATE TRIGGER conversation_labels_added AFTER INSERT ON conversation_labels BEGIN
    INSERT INTO pending_changes (kind, op, row_id, old)
    VALUES ('conversation_label', 'insert', NEW.conversation_id, NEW.label);
END;
CREATE TRIGGER conversation_labels_removed AFTER DELETE ON conversation_labels BEGIN
    INSERT INTO pending_changes (kind, op, row_id, old)
    VALUES ('conversation_label', 'delete', OLD.conversation_id, OLD.label);
END;
CREATE TRIGGER messages_created AFTER INSERT ON messages BEGIN
    INSERT INTO pending_changes (kind, op, row_id) VALUES ('message', 'insert', NEW.id);
END;
CREATE TRIGGER messages_changed AFTER UPDATE ON messages
WHEN OLD.content IS NOT NEW.content OR OLD.status IS NOT NEW.status
  OR OLD.content_attributes IS NOT NEW.content_attributes OR OLD.private IS NOT NEW.private
BEGIN
    INSERT INTO pending_changes (kind, op, row_id) VALUES ('message', 'update', NEW.id);
END;
CREATE TRIGGER contacts_created AFTER INSERT ON contacts BEGIN
    INSERT INTO pending_changes (kind, op, row_id) VALUES ('contact', 'insert', NEW.id);
END;
CREATE TRIGGER contacts_changed AFTER UPDATE ON contacts
WHEN OLD.name IS NOT NEW.name OR OLD.email IS NOT NEW.email OR OLD.phone_number IS NOT NEW.phone_number
  OR OLD.identifier IS NOT NEW.identifier OR OLD.blocked IS NOT NEW.blocked
  OR OLD.additional_attributes IS NOT NEW.additional_attributes
  OR OLD.custom_attributes IS NOT NEW.custom_attributes
BEGIN
    INSERT INTO pending_changes (kind, op, row_id, old) VALUES ('contact', 'update', NEW.id,
        json_object('name', OLD.name, 'email', OLD.email, 'phone_number', OLD.phone_number,
            'identifier', OLD.identifier, 'blocked', OLD.blocked = 1,
            'additional_attributes', json(OLD.additional_attributes),
            'custom_attributes', json(OLD.custom_attributes), 'updated_at', OLD.updated_at));
END;
CREATE TRIGGER inboxes_created AFTER INSERT ON inboxes BEGIN
    INSERT INTO pending_changes (kind, op, row_id) VALUES ('inbox', 'insert', NEW.id);
END;
CREATE TRIGGER inboxes_changed AFTER UPDATE ON inboxes BEGIN
    INSERT INTO pending_changes (kind, op, row_id) VALUES ('inbox', 'update', NEW.id);
END;

-- What happened, in commit order. `payload` is the webhook body (null when nobody outside the
-- process was subscribed when it happened).
CREATE TABLE events (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id      INTEGER NOT NULL,
    name            TEXT    NOT NULL,
    inbox_id        INTEGER,
    conversation_id INTEGER,
    message_id      INTEGER,
    contact_id      INTEGER,
    changed         TEXT,      -- changed_attributes, JSON
    by_automation   INTEGER NOT NULL DEFAULT 0,
    payload         TEXT,
    created_at      INTEGER NOT NULL
);
CREATE INDEX index_events_on_created_at ON events (created_at);

-- One row per event and receiver; `uuid` is the X-Chatwoot-Delivery id (the same on retries).
CREATE TABLE event_deliveries (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    uuid            TEXT    NOT NULL UNIQUE,
    event_id        INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    account_id      INTEGER NOT NULL,
    target_type     TEXT    NOT NULL,   -- Webhook | Inbox | AgentBot
    target_id       INTEGER NOT NULL,
    url             TEXT    NOT NULL,
    status          TEXT    NOT NULL DEFAULT 'pending',   -- pending | delivered | failed
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    locked_until    INTEGER,
    response_status INTEGER,
    last_error      TEXT,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
CREATE INDEX index_event_deliveries_due ON event_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX index_event_deliveries_on_target ON event_deliveries (target_type, target_id, id);
CREATE INDEX index_event_deliveries_on_event_id ON event_deliveries (event_id);

-- Signing secrets (shown to administrators only).
ALTER TABLE webhooks ADD COLUMN secret TEXT;
ALTER TABLE agent_bots ADD COLUMN secret TEXT;
UPDATE webhooks SET secret = lower(hex(randomblob(24)));
UPDATE agent_bots SET secret = lower(hex(randomblob(24)));
CREATE TRIGGER webhooks_secret AFTER INSERT ON webhooks WHEN NEW.secret IS NULL BEGIN
    UPDATE webhooks SET secret = lower(hex(randomblob(24))) WHERE id = NEW.id;
END;
CREATE TRIGGER agent_bots_secret AFTER INSERT ON agent_bots WHEN NEW.secret IS NULL BEGIN
    UPDATE agent_bots SET secret = lower(hex(randomblob(24))) WHERE id = NEW.id;
END;
