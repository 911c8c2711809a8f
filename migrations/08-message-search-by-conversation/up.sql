-- Conversation search: the message index's rowid carries the conversation, so a match names
-- its conversation without a lookup per matching message (a common word matches most of a
-- million messages). rowid = conversation_id << 32 | (message id & 0xFFFFFFFF): unique while a
-- conversation's messages are fewer than 2^32 ids apart.

DROP TRIGGER messages_search_insert;
DROP TRIGGER messages_search_update;
DROP TRIGGER messages_search_delete;
DROP TABLE messages_search;

CREATE VIRTUAL TABLE messages_search USING fts5 (
    content, content = '', contentless_delete = 1, tokenize = 'trigram'
);
INSERT INTO messages_search (rowid, content)
SELECT (conversation_id << 32) | (id & 4294967295), content FROM messages
WHERE message_type IN (0, 1) AND content IS NOT NULL;

CREATE TRIGGER messages_search_insert AFTER INSERT ON messages
WHEN NEW.message_type IN (0, 1) AND NEW.content IS NOT NULL BEGIN
    INSERT INTO messages_search (rowid, content)
    VALUES ((NEW.conversation_id << 32) | (NEW.id & 4294967295), NEW.content);
END;
CREATE TRIGGER messages_search_update AFTER UPDATE OF content ON messages BEGIN
    DELETE FROM messages_search WHERE rowid = (OLD.conversation_id << 32) | (OLD.id & 4294967295);
    INSERT INTO messages_search (rowid, content)
    SELECT (NEW.conversation_id << 32) | (NEW.id & 4294967295), NEW.content
    WHERE NEW.message_type IN (0, 1) AND NEW.content IS NOT NULL;
END;
CREATE TRIGGER messages_search_delete AFTER DELETE ON messages BEGIN
    DELETE FROM messages_search WHERE rowid = (OLD.conversation_id << 32) | (OLD.id & 4294967295);
END;
