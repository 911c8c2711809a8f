-- Secrets the server keeps for itself (Chatwoot's secret_key_base): the key that signs the
-- website widget's visitor tokens. Generated here, once, so every process and every restart
-- signs with the same key and a backup of the database keeps visitors' conversations.
CREATE TABLE server_secrets (
    name TEXT PRIMARY KEY,
    value BLOB NOT NULL
) STRICT;

INSERT INTO server_secrets (name, value) VALUES ('widget_token', randomblob(32));
