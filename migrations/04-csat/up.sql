-- CSAT survey responses: one row per survey message.
CREATE TABLE csat_survey_responses (
    id                          INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id                  INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    conversation_id             INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    message_id                  INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    rating                      INTEGER NOT NULL,
    feedback_message            TEXT,
    contact_id                  INTEGER REFERENCES contacts (id) ON DELETE SET NULL,
    assigned_agent_id           INTEGER REFERENCES users (id) ON DELETE SET NULL,
    csat_review_notes           TEXT,
    review_notes_updated_at     INTEGER,
    review_notes_updated_by_id  INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at                  INTEGER NOT NULL,
    updated_at                  INTEGER NOT NULL
);
CREATE UNIQUE INDEX index_csat_survey_responses_on_message_id ON csat_survey_responses (message_id);
CREATE INDEX index_csat_survey_responses_on_account_created ON csat_survey_responses (account_id, created_at);
CREATE INDEX index_csat_survey_responses_on_conversation_id ON csat_survey_responses (conversation_id);
CREATE INDEX index_messages_on_account_content_type ON messages (account_id, content_type, created_at);
