-- Sign-in sessions (devise_token_auth's wire format): one row per user and `client` id (one
-- per device). The access token is stored as its SHA-256 digest; it is random (32 bytes), so a
-- fast digest is enough. Sessions are not rotated per request; they expire after two months,
-- a user keeps at most 25, and a password change ends all but the one that made it.
CREATE TABLE user_sessions (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    client       TEXT    NOT NULL,
    token_digest TEXT    NOT NULL,
    expires_at   INTEGER NOT NULL,   -- unix milliseconds
    created_at   INTEGER NOT NULL
);
CREATE UNIQUE INDEX index_user_sessions_on_user_id_and_client ON user_sessions (user_id, client);
