-- Events that no row change carries: typing (recorded by the service, with who typed and
-- whether in a private note), a contact reading a conversation, a merge, a deleted contact
-- (its last push data, since the row is gone when the event is delivered).

ALTER TABLE events ADD COLUMN detail TEXT;   -- JSON: the typer, or the deleted contact

CREATE TRIGGER conversations_read AFTER UPDATE OF contact_last_seen_at ON conversations
WHEN OLD.contact_last_seen_at IS NOT NEW.contact_last_seen_at
BEGIN
    INSERT INTO pending_changes (kind, op, row_id) VALUES ('conversation', 'read', NEW.id);
END;

CREATE TRIGGER contacts_deleted AFTER DELETE ON contacts BEGIN
    INSERT INTO pending_changes (kind, op, row_id, old) VALUES ('contact', 'delete', OLD.id,
        json_object('additional_attributes', json(OLD.additional_attributes),
            'custom_attributes', json(OLD.custom_attributes), 'email', OLD.email, 'id', OLD.id,
            'identifier', OLD.identifier, 'name', OLD.name, 'phone_number', OLD.phone_number,
            'thumbnail', '', 'blocked', json(CASE WHEN OLD.blocked THEN 'true' ELSE 'false' END), 'type', 'contact',
            'account_id', OLD.account_id));
END;
